"""``spor batch``: many cases, one output record each, streamed, resumable."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_OK, earn, lang_option, load_rules, rules_option
from spor.common.errors import InputError, Problem


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write results here (default: standard output).",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@lang_option()
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted run: keep the records already in --out, run the rest."
)
@rules_option
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Run the engine in this many worker processes (the output is the same, in input order).",
)
def batch(
    inputs: tuple, out_path: str | None, fmt: str, lang: str, resume: bool, rules_dir: str | None, jobs: int
) -> None:
    """Diagnose many cases: folders of case files, JSON Lines files, CSV files.

    One output record per input record, in input order: a result, or an
    error record with the record's source and what was wrong. Results are
    written out as they come (at least every 0.2 s, and at once when
    stopped), so an interrupted run leaves a valid file;
    --resume goes on from there without duplicates. A summary goes to
    standard error. Exit 0 all decided, 1 some incomplete or invalid, 2
    usage, 130 interrupted.
    """
    import signal

    from spor import batch as batching
    from spor.common.messages import number
    from spor.common.messages import text as t
    from spor.inference.evaluate import Evaluator
    from spor.rulebase.cases import Normaliser

    missing = [Problem(str(raw), "no such file or folder") for raw in inputs if not Path(raw).exists()]
    if missing:
        raise InputError(missing)
    if resume and not out_path:
        raise click.UsageError("--resume needs --out: the file to continue")
    if out_path and any(Path(out_path).resolve() == Path(raw).resolve() for raw in inputs):
        raise InputError([Problem(str(out_path), "is also an input: writing results there would destroy it")])
    rulebase = load_rules(rules_dir).rulebase
    evaluator, normaliser = Evaluator(rulebase), Normaliser(rulebase)
    done_count, keep, kept = (
        batching.scan_output(Path(out_path), fmt, rulebase.summary) if resume and out_path else (0, 0, None)
    )
    try:
        if resume and out_path and Path(out_path).exists():
            with open(out_path, "r+b") as handle:
                handle.truncate(keep)  # a record cut by a kill goes: it is run again
        out = open(out_path, "a" if done_count else "w", encoding="utf-8", newline="") if out_path else sys.stdout
    except OSError as exc:
        raise InputError([Problem(str(out_path), f"cannot be written: {exc.strerror or exc}")]) from None
    writer = batching.WRITERS[fmt](out, rulebase, header=not done_count)
    progress = sys.stderr.isatty()

    def on_record(summary: batching.Summary) -> None:
        earn(EXIT_INCOMPLETE if summary.errors or summary.incomplete else EXIT_OK)
        if progress and summary.records % 1000 == 0:
            click.echo("\r" + t("batch_progress", lang, records=number(summary.records, lang)), nl=False, err=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        done = batching.output_sources(Path(out_path), fmt) if out_path and done_count else ()
        plan = batching.Plan(
            list(inputs),
            evaluator,
            normaliser,
            lang,
            jobs=jobs,
            exclude=out_path,
            done=done,
            done_count=done_count,
            summary=kept,
        )
        summary = batching.run(plan, writer, out, on_record)
    except KeyboardInterrupt:
        out.flush()
        if out_path:
            written = batching.scan_output(Path(out_path), fmt, ())[0]
            said = t("batch_interrupted", lang, written=number(written, lang), path=out_path)
        else:
            said = t("batch_interrupted_stdout", lang)
        click.echo("\n" + said, err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if out_path:
            out.close()
    if progress and summary.records >= 1000:
        click.echo("", err=True)
    for line in summary.lines(lang):
        click.echo(line, err=True)
    sys.exit(EXIT_INCOMPLETE if summary.errors or summary.incomplete else EXIT_OK)
