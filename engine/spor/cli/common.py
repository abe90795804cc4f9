"""What every ``spor`` command shares: exit codes, problem messages, the --rules option, loading.

Exit codes, for every command: 0 all cases decided, 1 some case still
misses facts, 2 bad input or usage (with one message per problem, naming
the file and the line and column), 3 an internal error (a bug: please
report it), 130 interrupted, 141 the output was closed before all of it was
written (``| head``; a code of 2 or 3 earned before is kept). A Python
traceback is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from spor.common.errors import InputError, Problem, shown
from spor.rulebase.loader import Loaded

EXIT_OK, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: the output was closed before all of it was written, as a shell reports it
EXIT_KEY = "spor.exit"  # ctx.meta: the exit code a command has earned so far


def earn(code: int) -> int:
    """Record the exit code so far, so that a closed output pipe does not turn it into 0."""
    click.get_current_context().meta[EXIT_KEY] = code
    return code


def say_problems(problems: Iterable[Problem]) -> None:
    """Each problem on standard error as ``spor: error: FILE:LINE:COL (path): message``."""
    for problem in problems:
        prefix = "error" if problem.severity == "error" else "warning"
        click.echo(f"spor: {prefix}: {problem}", err=True)


def load_rules(rules_dir: str | None) -> Loaded:
    """The rulebase of ``--rules``, else the one ``api.find_rules`` finds (SPOR_RULES, a ``rules/`` folder here or
    above, the shipped one), from the caches when its files did not change."""
    from spor.api import find_rules, load_cached

    return load_cached(find_rules(rules_dir)[0])


def shown_folder(folder: Path) -> str:
    """A folder as a person would name it here: relative to the current folder when inside it."""
    try:
        relative = folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return shown(folder)
    return shown(relative) + "/" if str(relative) != "." else "./"


def examples_for(rules_dir: str | None, paths: tuple) -> list:
    """The case files a command was given, or else the ``examples/`` beside the rulebase it uses."""
    if paths:
        return list(paths)
    from spor.api import examples_beside, find_rules

    rules, how = find_rules(rules_dir)
    folder = examples_beside(rules) if how != "shipped" else Path("examples")  # the shipped rulebase has none
    if not folder.is_dir():
        raise InputError(
            [Problem(shown(folder), "no such folder: give case files, or run beside a rulebase that has examples/")]
        )
    return [str(folder)]


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Rulebase folder (default: $SPOR_RULES, else a rules/ folder here or in a parent, else the shipped one).",
    )(func)


def lang_option(help_text: str = "Language of the output.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help=help_text)


def assume_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--no-assume, for run, ask and batch: no rule reads an unknown fact as an answer."""
    return click.option(
        "--no-assume",
        "no_assume",
        is_flag=True,
        help="Make no assumptions: a fact the rules would read as unknown (and say so) must be answered.",
    )(func)


def evidence_options(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--evidence (repeatable), --recipient and --evidence-wins, for run and ask."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "--evidence-wins",
            "evidence_wins",
            is_flag=True,
            help="With --evidence: where the evidence and the case disagree, use the evidence's value "
            "(by default the case's answer wins).",
        )(func)
        func = click.option(
            "--recipient", default=None, help="With --evidence: use only what the evidence says about this address."
        )(func)
        return click.option(
            "--evidence",
            "evidence_paths",
            multiple=True,
            type=click.Path(),
            help=f"A returned message (.eml) or an event log (JSON) whose facts {verb} (repeatable).",
        )(func)

    return decorate


def read_evidence(names: tuple, rulebase: Any, recipient: str | None, say: bool = True) -> list:
    """Every evidence file read; each file's problems are said (unless ``say`` is false)."""
    from spor.evidence.merge import readings

    if recipient and not names:
        raise click.UsageError("--recipient chooses among the evidence: give --evidence FILE too")
    found = list(readings(names, rulebase, recipient))
    for reading in found if say else ():
        say_problems(reading.problems)
    return found
