"""The ``spor`` command: a thin layer over the Python API.

Exit codes, for every command: 0 all cases decided, 1 some case still
misses facts, 2 bad input or usage (with one message per problem, naming
the file and the line and column), 3 an internal error (a bug: please
report it). A Python traceback is never shown.
"""
from __future__ import annotations

import os
import sys

import click

from spor import python_supported
from spor import unsupported_python_message
from spor.common.errors import EngineFailure, InputError, Problem

EXIT_OK, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_KEY = "spor.exit"  # ctx.meta: the exit code a command has earned so far


def _earn(code: int) -> int:
    """Record the exit code so far, so that a closed output pipe does not turn it into 0."""
    click.get_current_context().meta[EXIT_KEY] = code
    return code


def _say_problems(problems) -> None:
    for problem in problems:
        prefix = "error" if problem.severity == "error" else "warning"
        click.echo(f"spor: {prefix}: {problem}", err=True)


def _load(rules_dir):
    from spor.rulebase.loader import load_cached
    from spor.common.resources import default_rules_dir

    return load_cached(rules_dir or default_rules_dir())


def _rules_option(func):
    return click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                        help="Rulebase folder (default: the shipped rulebase).")(func)


def _example(facts: dict, indent: str = "      ") -> str:
    """A finding's example as the text of a case file."""
    import yaml

    body = yaml.safe_dump({"facts": facts}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return "\n".join(indent + line for line in body.splitlines())


class _Group(click.Group):
    """Turns every failure into a message and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _say_problems(exc.problems)
            ctx.exit(EXIT_INPUT)
        except EngineFailure as exc:
            click.echo(f"spor: error: {exc}", err=True)
            ctx.exit(EXIT_INTERNAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (| head): stop writing, keep the exit code earned so far
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(ctx.meta.get(EXIT_KEY, EXIT_OK))
        except Exception as exc:  # a bug in spor: say so plainly
            click.echo(f"spor: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spor", prog_name="spor")
def cli():
    """spor: diagnose a support case from the rules of a help article."""


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text for reading, json (one object per line) for scripts, markdown for a ticket reply.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
@_rules_option
@click.option("--explain", is_flag=True, help="Add why not: the smallest change of the given facts that gives another outcome.")
@click.option("--evidence", "evidence_paths", multiple=True, type=click.Path(),
              help="A returned message (.eml) or an event log (JSON) whose facts fill what the case leaves unknown (repeatable).")
@click.option("--recipient", default=None, help="With --evidence: use only what the evidence says about this address.")
def run(cases, fmt, lang, rules_dir, explain, evidence_paths, recipient):
    """Diagnose each CASE file (YAML or JSON; a folder: every case file in it; - reads standard input).

    Exit 0 when every case reached an outcome, 1 when some case still misses
    facts (they are listed with their questions), 2 on bad input. With
    --evidence, what the case says wins: evidence fills only unknown facts,
    and a disagreement is shown as a warning.
    """
    from spor.rulebase.cases import Normaliser, load_case
    from spor.inference.evaluate import Evaluator
    from spor.output.render import RENDERERS

    from pathlib import Path

    from spor.rulebase.cases import case_files

    loaded = _load(rules_dir)
    _say_problems(loaded.warnings)
    rulebase = loaded.rulebase
    evaluator, normaliser, render = Evaluator(rulebase), Normaliser(rulebase), RENDERERS[fmt]
    code, first = EXIT_OK, True
    readings = _read_evidence(evidence_paths, rulebase, recipient) if evidence_paths or recipient else []
    if any(r.problems for r in readings):
        code = _earn(EXIT_INPUT)
    paths = []
    for path in cases:
        if path != "-" and Path(path).is_dir():
            paths += map(str, case_files(Path(path)))
        else:
            paths.append(path)
    for path in paths:
        try:
            if path == "-":
                case = load_case("-", normaliser, stream=sys.stdin.buffer, name="<stdin>")
            else:
                case = load_case(path, normaliser)
        except InputError as exc:
            _say_problems(exc.problems)
            code = _earn(EXIT_INPUT)
            continue
        details = dict(case_id=case.id, source=case.source, title=case.title, notes=case.notes)
        if readings:
            from spor.evidence.merge import evaluate_with

            result = evaluate_with(evaluator, case.facts, readings, **details)
        else:
            result = evaluator.evaluate(case.facts, **details)
        if fmt != "json" and not first:
            click.echo("\n" + "-" * 40 + "\n")
        first = False
        click.echo(_explained(result, fmt, lang, evaluator) if explain else render(result, lang), nl=fmt == "json")
        if not result.complete and code == EXIT_OK:
            code = _earn(EXIT_INCOMPLETE)
    sys.exit(code)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None, help="Write results here (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--resume", is_flag=True, help="Continue an interrupted run: keep the records already in --out, run the rest.")
@_rules_option
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Run the engine in this many worker processes (the output is the same, in input order).")
def batch(inputs, out_path, fmt, lang, resume, rules_dir, jobs):
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
    from pathlib import Path

    from spor.batch import runner as batching
    from spor.rulebase.cases import Normaliser
    from spor.inference.evaluate import Evaluator
    from spor.common.messages import number, text as t

    missing = [Problem(str(raw), "no such file or folder") for raw in inputs if not Path(raw).exists()]
    if missing:
        raise InputError(missing)
    if resume and not out_path:
        raise click.UsageError("--resume needs --out: the file to continue")
    if out_path and any(Path(out_path).resolve() == Path(raw).resolve() for raw in inputs):
        raise InputError([Problem(str(out_path), "is also an input: writing results there would destroy it")])
    rulebase = _load(rules_dir).rulebase
    evaluator, normaliser = Evaluator(rulebase), Normaliser(rulebase)
    done_count, keep, kept = batching.scan_output(Path(out_path), fmt, rulebase.summary) if resume else (0, 0, None)
    try:
        if resume and Path(out_path).exists():
            with open(out_path, "r+b") as handle:
                handle.truncate(keep)  # a record cut by a kill goes: it is run again
        out = open(out_path, "a" if done_count else "w", encoding="utf-8", newline="") if out_path else sys.stdout
    except OSError as exc:
        raise InputError([Problem(str(out_path), f"cannot be written: {exc.strerror or exc}")]) from None
    writer = batching.WRITERS[fmt](out, rulebase, header=not done_count)
    progress = sys.stderr.isatty()

    def on_record(summary):
        _earn(EXIT_INCOMPLETE if summary.errors or summary.incomplete else EXIT_OK)
        if progress and summary.records % 1000 == 0:
            click.echo("\r" + t("batch_progress", lang, records=number(summary.records, lang)), nl=False, err=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        done = batching.output_sources(Path(out_path), fmt) if done_count else ()
        summary = batching.run(inputs, evaluator, normaliser, writer, out, lang, done, done_count, on_record, kept,
                               exclude=out_path, jobs=jobs)
    except KeyboardInterrupt:
        out.flush()
        written = batching.scan_output(Path(out_path), fmt, ())[0] if out_path else None
        said = (t("batch_interrupted", lang, written=number(written, lang), path=out_path) if out_path
                else t("batch_interrupted_stdout", lang))
        click.echo("\n" + said, err=True)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if out_path:
            out.close()
    if progress and summary.records >= 1000:
        click.echo("", err=True)
    for line in summary.lines(lang):
        click.echo(line, err=True)
    sys.exit(EXIT_INCOMPLETE if summary.errors or summary.incomplete else EXIT_OK)


WHY_WORDS = {"?", "why", "hvorfor"}
HOW_WORDS = {"how", "hvordan"}
BACK_WORDS = {"back", "tilbake", "angre"}
SKIP_WORDS = {"skip", "hopp over", "vet ikke", "don't know", "unknown", "ukjent"}
RESTART_WORDS = {"restart", "start på nytt", "omstart"}
QUIT_WORDS = {"quit", "exit", "q", "avslutt"}


@cli.command()
@click.argument("case", required=False, type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of questions and answers.")
@_rules_option
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
              help="Write the session as a case file that `spor run` reproduces.")
@click.option("--evidence", "evidence_paths", multiple=True, type=click.Path(),
              help="A returned message (.eml) or an event log (JSON) whose facts are filled in before asking (repeatable).")
@click.option("--recipient", default=None, help="With --evidence: use only what the evidence says about this address.")
def ask(case, lang, rules_dir, save_path, evidence_paths, recipient):
    """Ask for the missing facts one at a time, then give the diagnosis.

    Starts from nothing or from a partial CASE file. At any question:
    ? (hvorfor/why) explains why it is asked, back undoes the last answer,
    skip leaves it unknown, restart, quit. After the diagnosis, how
    (hvordan) shows the rules and facts that led there. Reads answers from a
    terminal or, one per line, from standard input. Exit 0 when a diagnosis
    is reached, 1 when the case is left undecided, 2 on bad input.
    """
    from spor.rulebase.cases import Normaliser, load_case
    from spor.inference.evaluate import Evaluator
    from spor.analysis.interview import Interview
    from spor.common.messages import text as t

    from pathlib import Path

    rulebase = _load(rules_dir).rulebase
    evaluator = Evaluator(rulebase)
    start = load_case(case, Normaliser(rulebase)) if case else None
    if save_path and not os.access(Path(save_path).resolve().parent, os.W_OK):
        raise InputError([Problem(str(save_path), "cannot be written (no such folder, or no permission): "
                                  "--save is checked before the interview starts")])
    case_id = start.id if start else (Path(save_path).stem if save_path else "ask")
    facts = dict(start.facts) if start else {}
    readings = _read_evidence(evidence_paths, rulebase, recipient, say=False) if evidence_paths or recipient else []
    if any(r.problems for r in readings):  # before the first question, like --save
        raise InputError([p for r in readings for p in r.problems])
    notices = []
    if readings:
        from spor.evidence.merge import merge

        facts, notices = merge(facts, readings)
    interview = Interview(evaluator, facts)
    echo_answers = not sys.stdin.isatty()
    click.echo(f"spor ask: {rulebase.title.get(lang)}\n{t('ask_intro', lang)}")
    if readings:
        from spor.output.evidence import lines as evidence_lines

        click.echo(f"\n{t('evidence', lang)}:\n" + "\n".join(evidence_lines(
            [item for r in readings for item in r.explained], rulebase, lang)))
        for notice in notices:
            click.echo(f"  - {notice.message(lang, rulebase)}")

    def read(prompt):
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if echo_answers and line:
            click.echo(line.rstrip("\n"))
        return None if line == "" else line.strip()

    try:
        code = _interview_loop(interview, start, case_id, lang, read)
    except KeyboardInterrupt:  # Ctrl-C: like quit, the session so far is kept
        click.echo("")
        code = click.get_current_context().meta.get(EXIT_KEY, EXIT_INCOMPLETE)
    if save_path:
        known = interview.known()
        note = [t("ask_saved_evidence", lang, fact=n.fact, value=n.params["value"], source=n.params["source"])
                for n in notices if n.code == "from_evidence"]  # the interview never asks a fact it already has
        _save_case(save_path, start, case_id, known, note)
        click.echo(t("ask_saved", lang, path=save_path))
    sys.exit(code)


def _read_evidence(names, rulebase, recipient, say=True) -> list:
    """Every evidence file read; each file's problems are said (unless ``say`` is false)."""
    if recipient and not names:
        raise click.UsageError("--recipient chooses among the evidence: give --evidence FILE too")
    readings = list(_readings(names, rulebase, recipient))
    for reading in readings if say else ():
        _say_problems(reading.problems)
    return readings


def _readings(names, rulebase, recipient):
    """A Reading for each evidence file named, one at a time; a folder stands for its evidence files (a folder
    with none is a Reading with that problem), and a file that cannot be read never stops the others."""
    from pathlib import Path

    from spor.evidence.merge import SUFFIXES, Reading, read_evidence

    for name in names:
        if not Path(name).is_dir():
            yield read_evidence(name, rulebase, recipient=recipient)
            continue
        inside = sorted(str(p) for p in Path(name).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        if not inside:
            yield Reading(name, "", problems=[Problem(name, f"a folder with no evidence files ({', '.join(SUFFIXES)})")])
        for path in inside:
            yield read_evidence(path, rulebase, recipient=recipient)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for reading, json for scripts (one object per recipient or message, per line).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
@click.option("--recipient", default=None, help="Only what the evidence says about this address.")
@_rules_option
def evidence(files, fmt, lang, recipient, rules_dir):
    """Read evidence about a send and say what it means.

    Each FILE is a returned message (a bounce, .eml) or an event log (a JSON
    array of events, or JSON Lines); a folder: its .eml, .json, .jsonl and
    .ndjson files. For each recipient (or message): the status code, the
    reply, the servers, what they mean and whose side must act (from the
    rulebase), and the case facts implied. A file that cannot be read gets
    one message; the other files are still read. Exit 0, or 2 when some
    file or line could not be read.
    """
    from spor.output.evidence import json_line, lines

    rulebase = _load(rules_dir).rulebase
    code, found, counted, files_read = EXIT_OK, 0, {}, 0
    for reading in _readings(files, rulebase, recipient):  # one file at a time: said, written, then let go
        files_read += 1
        _say_problems(reading.problems)
        if reading.problems:
            code = _earn(EXIT_INPUT)
        found += len(reading.explained)
        for name, value in reading.counts.items():
            counted[name] = counted.get(name, 0) + value
        if fmt == "json":
            for item in reading.explained:
                click.echo(json_line(item, rulebase, lang))
        elif reading.explained or not reading.problems:
            label = {"events": rulebase.evidence.events, "message": rulebase.evidence.reports}.get(reading.kind)
            click.echo(f"{reading.source}: {label.label.get(lang) if label else reading.kind}")
            click.echo("\n".join(lines(reading.explained, rulebase, lang)))
    events = (f"; events: {counted['events']:,} read, {counted['repeated']:,} repeated (counted once), "
              f"{counted['unranked']:,} that decide nothing, {counted['bad']:,} not readable") if counted else ""
    click.echo(f"spor evidence: {files_read} file(s), {found} finding(s){events}", err=True)
    sys.exit(code)


def _interview_loop(interview, start, case_id, lang, read) -> int:
    """The question-and-answer loop of ``spor ask``; returns the exit code earned."""
    from spor.common.messages import text as t
    from spor.output.render import question, reasons, text, why

    code, shown = EXIT_INCOMPLETE, None
    while True:
        result = interview.evaluator.evaluate(interview.known(), case_id=case_id, title=start.title if start else "",
                                              notes=start.notes if start else "")
        fact = interview.next_question(result)
        if fact is None and shown != "end":
            click.echo("\n" + text(result, lang) + "\n" + t("ask_after", lang))
            code = _earn(EXIT_OK if result.complete else EXIT_INCOMPLETE)
            shown = "end"
        elif fact is not None and shown != fact.id:
            click.echo("\n" + question(fact, lang, len(interview.history) + 1))
            shown = fact.id
        line = read("> ")
        if line is None:
            if fact is not None:
                click.echo("\n" + t("ask_end_of_input", lang) + "\n\n" + text(result, lang))
            break
        word = " ".join(line.lower().split())
        if word in QUIT_WORDS:
            break
        if word in WHY_WORDS and fact is not None:
            click.echo(why(interview, fact, lang))
        elif word in HOW_WORDS:
            click.echo(t("ask_how_head", lang) + "\n" + "\n".join(reasons(result, lang)))
        elif word in BACK_WORDS:
            undone = interview.back()
            click.echo(t("ask_undone", lang, fact=undone) if undone else t("ask_nothing_to_undo", lang))
            shown = None
        elif word in RESTART_WORDS:
            interview.restart()
            click.echo(t("ask_restarted", lang))
            shown = None
        elif word in SKIP_WORDS and fact is not None:
            interview.skip(fact)
            click.echo(t("ask_skipped", lang, fact=fact.id))
        elif fact is not None:
            hint = interview.answer(fact, line)
            if hint:
                click.echo(t("ask_invalid", lang, message=hint))
        else:
            click.echo(t("ask_unknown_command", lang, intro=t("ask_after", lang)))
    return code


def _explained(result, fmt, lang, evaluator) -> str:
    """A result rendered with the nearest rival outcome (``--explain``)."""
    import json

    from spor.analysis.explain import nearest_rival
    from spor.output.render import RENDERERS, as_json, rival_json, why_not

    rival = nearest_rival(evaluator, result) if result.complete else None
    if fmt == "json":
        return json.dumps({**as_json(result, lang), "why_not": rival_json(rival)}, ensure_ascii=False)
    body = RENDERERS[fmt](result, lang)
    if not result.complete:
        return body
    lines = why_not(result, rival, lang)
    if fmt == "markdown":
        return body + "\n#### " + lines[0] + "\n\n" + "\n".join(line.strip() for line in lines[1:]) + "\n"
    return body + "\n" + "\n".join(lines) + "\n"


def _save_case(path, start, case_id, facts, note=()) -> None:
    """Write a case file (YAML) with the facts of an interview; what the starting case held is kept.

    ``note``: lines added to the case's notes, saying which facts came from evidence, not from the agent.
    """
    import yaml

    data = {"id": case_id}
    if start and start.title:
        data["title"] = start.title
    from spor.common.schemas import MAX_NOTES

    notes = start.notes if start and start.notes else ""
    for line in note:
        if len(notes) + 1 + len(line) > MAX_NOTES:  # a longer case would be refused when read back
            click.echo(f"spor: warning: {path}: the notes are full; not noted: {line}", err=True)
            continue
        notes = f"{notes}\n{line}" if notes else line
    if notes:
        data["notes"] = notes
    data["facts"] = facts
    if start and start.expect:
        data["expect"] = start.document.data["expect"]  # as written, not normalised
    try:
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False)
    except OSError as exc:
        raise InputError([Problem(str(path), f"cannot be written: {exc.strerror or exc}")]) from None


@cli.command()
@_rules_option
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(rules_dir, strict, fmt):
    """Validate a rulebase and verify its decisions.

    Reports schema and reference errors (every one, at its file:line:col),
    then for each decision: gaps, conflicts, unreachable and masked rules
    (errors) and redundant rules and unused facts, values and outcomes
    (warnings), each with an example case. Exit 0 clean, 1 errors (or
    warnings with --strict), 2 usage.
    """
    import json
    from pathlib import Path

    from spor.common.errors import printable
    from spor.rulebase.loader import load
    from spor.common.resources import default_rules_dir
    from spor.analysis.verify import Finding, verify

    folder = Path(rules_dir) if rules_dir else default_rules_dir()
    if not folder.is_dir():
        raise click.BadParameter(f"{folder}: no such folder (expected a rulebase folder)", param_hint="--rules")
    rulebase_id, rules = None, 0
    try:
        loaded = load(folder)
    except InputError as exc:
        findings = [Finding.from_problem(p) for p in exc.problems]
    else:
        rulebase_id, rules = loaded.rulebase.id, len(loaded.rulebase.rules)
        report = verify(loaded.rulebase)
        findings = report.errors + [Finding.from_problem(p) for p in loaded.warnings] + report.warnings
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    failed = bool(errors) or (strict and bool(warnings))
    _earn(EXIT_INCOMPLETE if failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps({"rulebase": rulebase_id, "ok": not failed, "errors": len(errors), "warnings": len(warnings),
                               "findings": [f.as_dict() for f in findings]}, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(printable(str(finding)))
            if finding.example:
                click.echo("    example case (save it as a .yaml file and try `spor run` on it):")
                click.echo(_example(finding.example))
        if rulebase_id is None:
            click.echo(f"{len(errors)} error(s): the rulebase cannot be loaded")
        else:
            click.echo(f"{rulebase_id}: {rules} rules, {len(errors)} error(s), {len(warnings)} warning(s)"
                       + (" (warnings count as errors: --strict)" if strict and warnings else ""))
    sys.exit(1 if failed else 0)


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@_rules_option
@click.option("-k", "pattern", default=None, help="Only cases whose id or file name contains (or glob-matches) PATTERN.")
@click.option("--coverage", "show_coverage", is_flag=True, help="Report rules, outcomes and values the cases never reach.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="Fail when total coverage is below N percent.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test_cmd(paths, rules_dir, pattern, show_coverage, fail_under, fmt):
    """Run case files that carry an expect block (default: examples/).

    Prints PASS or FAIL per case, and for each failure the expected and the
    actual value of each field that differs. Exit 0 all pass (and coverage
    at least --fail-under), 1 otherwise, 2 usage.
    """
    import json

    from spor.rulebase.cases import Normaliser
    from spor.inference.evaluate import Evaluator
    from spor.analysis.suite import coverage, discover, run_cases, total_percent

    rulebase = _load(rules_dir).rulebase
    files = discover(paths or ["examples"])
    runs = run_cases(files, Evaluator(rulebase), Normaliser(rulebase), pattern)
    counts = {status: sum(1 for r in runs if r.status == status) for status in ("pass", "fail", "error", "skip")}
    files_cov = coverage(rulebase, runs) if (show_coverage or fail_under is not None) else []
    percent = total_percent(files_cov) if files_cov else None
    below = fail_under is not None and percent is not None and percent < fail_under
    bad = counts["fail"] or counts["error"] or below or not runs
    _earn(EXIT_INCOMPLETE if bad else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps({
            "cases": [{"case": r.case_id, "source": r.source, "status": r.status,
                       "mismatches": [{"field": m.field, "expected": m.expected, "actual": m.actual} for m in r.mismatches],
                       "problems": [p.as_dict() for p in r.problems]} for r in runs],
            "summary": {"passed": counts["pass"], "failed": counts["fail"], "errors": counts["error"], "skipped": counts["skip"]},
            "coverage": None if not files_cov else {
                "percent": round(percent, 1),
                "files": [{"file": c.file, "percent": round(c.percent, 1),
                           "rules_not_fired": [n for n, hit in c.rules if not hit],
                           "outcomes_not_reached": [n for n, hit in c.outcomes if not hit],
                           "values_not_seen": [n for n, hit in c.values if not hit]} for c in files_cov]},
        }, ensure_ascii=False))
    else:
        for run_ in runs:
            label = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "skip": "SKIP"}[run_.status]
            note = " (no expect block)" if run_.status == "skip" else ""
            click.echo(f"{label} {run_.case_id} ({run_.source}){note}")
            for mismatch in run_.mismatches:
                click.echo(f"    {mismatch}")
            for problem in run_.problems:
                click.echo(f"    {problem}")
        if files_cov:
            click.echo("\nCoverage (rules fired, outcomes reached, values seen):")
            for c in files_cov:
                hit, total = c.counts()
                click.echo(f"  {c.file:<24} {hit:>4}/{total:<4} {c.percent:6.1f}%")
                for kind, items in (("rule not fired", c.rules), ("outcome not reached", c.outcomes), ("value not seen", c.values)):
                    for name, ok in items:
                        if not ok:
                            click.echo(f"      {kind}: {name}")
            click.echo(f"  {'total':<24} {'':>9} {percent:6.1f}%")
            if below:
                click.echo(f"coverage {percent:.1f}% is below --fail-under {fail_under:g}%")
        if not runs:
            click.echo("no case to run: " + (f"none matches -k {pattern!r}" if pattern else "no case files found"), err=True)
        summary = f"{counts['pass']} passed, {counts['fail'] + counts['error']} failed"
        if counts["skip"]:
            summary += f", {counts['skip']} skipped"
        click.echo(summary)
    sys.exit(EXIT_INCOMPLETE if bad else EXIT_OK)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@_rules_option
def graph(fmt, lang, rules_dir):
    """Print the decision tree as a Mermaid or Graphviz diagram.

    Given facts -> derived facts -> outcomes; each edge is one rule reading
    one fact, labelled with the test and the conclusion; nodes carry the
    sections they cite.
    """
    from spor.analysis.graph import FORMATS

    click.echo(FORMATS[fmt](_load(rules_dir).rulebase, lang), nl=False)


@cli.command()
@click.argument("old_rules", type=click.Path(file_okay=False))
@click.argument("new_rules", type=click.Path(file_okay=False))
@click.argument("cases", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(old_rules, new_rules, cases, fmt):
    """Show which cases change their answer between two rulebases.

    Runs CASES (default: examples/) on OLD_RULES and NEW_RULES and lists each
    case whose outcome, derived facts or missing facts changed. Exit 0 when
    nothing changed, 1 when something did, 2 usage.
    """
    import json

    from spor.analysis.impact import impact
    from spor.analysis.suite import discover

    old, new = _load(old_rules).rulebase, _load(new_rules).rulebase
    entries = impact(old, new, discover(cases or ["examples"]))
    changed = [e for e in entries if e.differences]
    broken = [e for e in entries if e.problems]
    _earn(EXIT_INPUT if broken else EXIT_INCOMPLETE if changed else EXIT_OK)
    if fmt == "json":
        for e in entries:
            click.echo(json.dumps({"case": e.case_id, "source": e.source, "changed": bool(e.differences),
                                   "differences": [{"field": d.field, "old": d.old, "new": d.new} for d in e.differences],
                                   "problems": [p.as_dict() for p in e.problems]}, ensure_ascii=False))
    else:
        for e in changed:
            click.echo(f"CHANGED {e.case_id} ({e.source})")
            for d in e.differences:
                click.echo(f"    {d}")
        click.echo(f"{len(changed)} of {len(entries)} case(s) changed")
    for e in broken:
        _say_problems(e.problems)
    sys.exit(EXIT_INPUT if broken else EXIT_INCOMPLETE if changed else EXIT_OK)


@cli.command()
@click.argument("kind", type=click.Choice(["rules", "case", "result"]))
def schema(kind):
    """Print the JSON Schema for rule files, case files or results."""
    from spor.common.schemas import schema_text

    click.echo(schema_text(kind), nl=False)


def main():
    """Console-script entry point: refuse an unsupported Python before anything else."""
    if not python_supported():
        click.echo(f"spor: error: {unsupported_python_message()}", err=True)
        sys.exit(EXIT_INPUT)
    cli(prog_name="spor")
