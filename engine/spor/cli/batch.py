"""``spor batch``: many cases, one output record each, streamed, resumable."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    SporCommand,
    assume_option,
    earn,
    lang_option,
    load_rules,
    rules_option,
    shown_folder,
)
from spor.cli.decisionlog import close_log, log_options, open_log
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg

NB = {
    "": """Diagnostiser mange saker: mapper med saksfiler, JSON Lines-filer, CSV-filer (- leser fra standard inn).

    Én utpost per innpost, i samme rekkefølge: et resultat, eller en feilpost
    med postens kilde og hva som var galt. Resultatene skrives etter hvert (minst
    hvert 0,2 s, og straks når kjøringen stoppes), så en avbrutt kjøring etterlater
    en gyldig fil; --resume går videre derfra uten dubletter. Et sammendrag går
    til standard feil. Avslutter med 0 når alt er avgjort, 1 når noe er
    ufullstendig eller ugyldig, 2 ved feil bruk, 130 når kjøringen avbrytes.
    """,
    "out_path": "Skriv resultatene hit (standard: standard ut).",
    "fmt": "jsonl (JSON Lines) eller csv.",
    "resume": "Fortsett en avbrutt kjøring: behold postene som allerede står i --out, kjør resten.",
    "jobs": "Kjør motoren i så mange prosesser (utdataene blir de samme, i samme rekkefølge).",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write results here (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl (JSON Lines) or csv.",
)
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
@assume_option
@log_options
def batch(
    inputs: tuple,
    out_path: str | None,
    fmt: str,
    lang: str,
    resume: bool,
    rules_dir: str | None,
    jobs: int,
    no_assume: bool,
    log_path: str | None,
    log_days: int | None,
) -> None:
    """Diagnose many cases: folders of case files, JSON Lines files, CSV files (- reads JSON Lines from stdin).

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
    from spor.batch import guard
    from spor.common.messages import number
    from spor.common.messages import text as t
    from spor.inference.evaluate import Evaluator
    from spor.output.layout import rulebase_line
    from spor.output.record import note_hash
    from spor.rulebase.cases import Normaliser

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # from the start: a stop while resuming counts is one too
    out = log = None
    try:
        missing = [Problem(str(raw), Msg("no_such_path")) for raw in inputs if raw != "-" and not Path(raw).exists()]
        missing += guard.empty_folders(list(inputs))
        if inputs.count("-") > 1:
            missing.append(Problem("-", Msg("batch_stdin_twice")))
        if missing:
            raise InputError(missing)
        if resume and not out_path:
            raise click.UsageError(t("batch_resume_needs_out", lang))
        target = Path(out_path) if out_path else None
        refused = guard.output_problem(target, list(inputs), fmt) if target else None
        if refused:
            raise InputError([refused])
        loaded = load_rules(rules_dir)
        rulebase = loaded.rulebase
        note_hash(rulebase, loaded.digest)  # each result names these bytes, in --jobs workers too (forked after)
        click.echo(rulebase_line(rulebase.id, shown_folder(Path(rulebase.folder)), loaded.digest, lang), err=True)
        evaluator, normaliser = Evaluator(rulebase, assume=not no_assume), Normaliser(rulebase)
        key = loaded.key + (" --no-assume" if no_assume else "")  # without assumptions it answers as another rulebase
        record = guard.run_record(list(inputs), target, key, fmt, lang) if target else {}
        done_count, keep, kept = 0, 0, None
        if log_path:  # before the output is opened: a log refused leaves the output as it was
            log = open_log(log_path, log_days, [*inputs, *([out_path] if out_path else [])])
        if resume and target and target.exists():
            refused = (
                None if guard.looks_like_output(target, fmt) else Problem(str(target), Msg("batch_not_output"), 1)
            ) or guard.resume_problem(target, record)
            if refused:
                raise InputError([refused])
            done_count, keep, kept = batching.scan_output(target, fmt, rulebase.summary)
        try:
            if target:
                if done_count:
                    with open(target, "r+b") as handle:
                        handle.truncate(keep)  # a record cut by a kill goes: it is run again
                elif not target.exists() or target.is_file():  # not for a device or a pipe: nothing to resume
                    guard.write_run_record(target, record)
            out = batching.open_output(target, append=bool(done_count))
        except OSError as exc:
            from spor.common.reasons import os_reason

            raise InputError([Problem(str(out_path), Msg("cannot_write", detail=os_reason(exc)))]) from None
        writer = batching.WRITERS[fmt](out, rulebase, header=not done_count)
        if log_path:
            from spor.batch.logged import LoggedStream, LoggedWriter, log_done, run_id

            writer = LoggedWriter(writer, log, rulebase, loaded.digest, run_id(record), done_count)
            if done_count and fmt == "jsonl" and target is not None:
                log_done(target, done_count, writer)  # records that reached the output without their rows
            out = LoggedStream(out, writer)
        meter = None  # the progress line: on a terminal only
        if sys.stderr.isatty():
            from spor.batch.progress import Meter, count_records

            meter = Meter(sys.stderr, count_records(list(inputs), out_path), lang, start=done_count)

        earned = [earn(EXIT_OK)]  # the exit code so far, said to click when it changes (not for every record)

        def on_record(summary: batching.Summary) -> None:
            if earned[0] == EXIT_OK and (summary.errors or summary.incomplete):
                earned[0] = earn(EXIT_INCOMPLETE)
            if meter is not None:
                meter.tick(summary.records)

        done = batching.output_sources(target, fmt) if target and done_count else ()
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
        try:
            summary = batching.run(plan, writer, out, on_record)
        except BrokenPipeError:
            raise
        except OSError as exc:  # a full disk, a file size limit: what was written is whole, and --resume goes on
            from spor.common.reasons import os_reason

            detail = os_reason(exc)
            message = (
                Msg("batch_cannot_write_resume", detail=detail, out=out_path)
                if out_path
                else Msg("cannot_write", detail=detail)
            )
            raise InputError([Problem(str(out_path or "<stdout>"), message)]) from None
    except KeyboardInterrupt:
        try:
            if out is not None:
                out.flush()
            if out is None:
                said = t("batch_interrupted_early", lang)
            elif out_path:
                written = batching.scan_output(Path(out_path), fmt, ())[0]
                said = t("batch_interrupted", lang, written=number(written, lang), path=out_path)
            else:
                said = t("batch_interrupted_stdout", lang)
        except KeyboardInterrupt:  # stopped again while counting: say so without the count
            said = t("batch_interrupted_early", lang) if out is None else t("batch_interrupted_stdout", lang)
        except (OSError, InputError):
            said = t("batch_interrupted_stdout", lang)
        click.echo("\n" + said, err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if out_path and out is not None:
            try:
                out.close()
            except OSError:
                pass
        close_log(log, lang)
    if meter is not None:
        meter.close(summary.records)
    from spor.output.reports import batch_summary

    for line in batch_summary(summary, rulebase, lang):  # each summary fact and value by its label in lang
        click.echo(line, err=True)
    sys.exit(EXIT_INCOMPLETE if summary.errors or summary.incomplete else EXIT_OK)
