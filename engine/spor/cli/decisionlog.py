"""--log and --log-days, shared by serve, batch and ask: open the decision log, and say what it could not keep."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from spor.common.errors import InputError, Problem, printable, shown
from spor.common.messages import Msg


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--log-days",
        "log_days",
        type=click.IntRange(1, 36_500),
        default=None,
        help="With --log: delete the log's rows older than this many days when it is opened.",
    )(func)
    return click.option(
        "--log",
        "log_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Append one row per decision to this SQLite decision log (ids and codes only), for spor report.",
    )(func)


def open_log(path: str, days: int | None, inputs: Iterable[str] = ()):
    """The decision log at ``path``, refused with a located message when it cannot be one (see store.open_log)."""
    from spor.common.files import same_file
    from spor.decisionlog.store import DecisionLog

    for raw in inputs:
        if raw != "-" and (Path(raw).resolve() == Path(path).resolve() or same_file(path, raw)):
            raise InputError([Problem(shown(path), Msg("log_is_input", input=shown(raw)))])
    return DecisionLog(path, days=days)


def close_log(log, lang: str = "en") -> None:
    """Close the log; say on standard error how many rows it could not keep, and why (the answers were given)."""
    if log is None:
        return
    if log.failed:
        from spor.common.messages import number, text

        said = text("log_not_kept", lang, count=number(log.failed, lang), error=log.last_error)
        click.echo(printable(f"spor: {text('severity_warning', lang)}: {shown(log.path)}: {said}"), err=True)
    try:
        log.close()
    except Exception:  # noqa: BLE001 (closing a broken log must not hide the run's result)
        pass
