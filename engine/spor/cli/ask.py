"""``spor ask``: the interview, one question at a time, with WHY and HOW."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    SporCommand,
    assume_option,
    earn,
    evidence_options,
    lang_option,
    load_rules,
    read_evidence,
    rules_option,
)
from spor.cli.decisionlog import close_log, log_options, open_log
from spor.common.errors import InputError, Problem, printable
from spor.common.messages import Msg

NB = {
    "": """Spør etter faktaene som mangler, ett om gangen, og gi så diagnosen.

    Starter fra ingenting eller fra en delvis CASE-fil. Ved hvert spørsmål:
    ? (hvorfor/why) forklarer hvorfor det stilles, tilbake angrer siste svar,
    hopp over lar det stå ukjent, start på nytt, avslutt. Et spørsmål reglene
    besvarer med en antakelse (artikkelens svar når ingen har sagt noe), stilles
    ikke: diagnosen sier det, og tilbyr å svare likevel. Etter diagnosen viser
    hvordan (how) reglene og faktaene som førte dit. Leser svar fra en terminal
    eller, ett per linje, fra standard inn. Avslutter med 0 når en diagnose er
    nådd, 1 når saken ikke er avgjort, og 2 ved feil i det som ble gitt.
    """,
    "lang": "Språket i spørsmål og svar. Standard: $SPOR_LANG, ellers språket i locale (nb for nb, nn, no; ellers en).",
    "save_path": "Skriv økten som en saksfil som `spor run` gir samme svar på (en ny fil; se --force). "
    "Forventningen (expect) fra startsaken beholdes når den fortsatt holder; ellers skrives den nye.",
    "force": "Med --save: erstatt filen hvis den finnes.",
    "evidence_paths": "En melding som kom tilbake (.eml) eller en hendelseslogg (JSON) som fylles inn før "
    "spørsmålene (kan gis flere ganger).",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("case", required=False, type=click.Path(dir_okay=False))
@lang_option("Language of questions and answers.")
@rules_option
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the session as a case file that `spor run` reproduces (a new file; see --force).",
)
@click.option("--force", is_flag=True, help="With --save: replace the file if it exists.")
@evidence_options("are filled in before asking")
@assume_option
@log_options
def ask(
    case: str | None,
    lang: str,
    rules_dir: str | None,
    save_path: str | None,
    evidence_paths: tuple,
    recipient: str | None,
    evidence_wins: bool,
    no_assume: bool,
    force: bool,
    log_path: str | None,
    log_days: int | None,
) -> None:
    """Ask for the missing facts one at a time, then give the diagnosis.

    Starts from nothing or from a partial CASE file. At any question:
    ? (hvorfor/why) explains why it is asked, back undoes the last answer,
    skip leaves it unknown, restart, quit. A question the rules answer with
    an assumption (the article's answer when nobody has said) is not asked:
    the diagnosis states it, and offers it to answer anyway. After the
    diagnosis, how (hvordan) shows the rules and facts that led there. Reads
    answers from a terminal or, one per line, from standard input. Exit 0
    when a diagnosis is reached, 1 when the case is left undecided, 2 on bad
    input.
    """
    from spor.analysis.interview import Interview
    from spor.common.messages import text as t
    from spor.inference.evaluate import Evaluator
    from spor.rulebase.cases import Normaliser, load_case

    loaded = load_rules(rules_dir)
    rulebase = loaded.rulebase
    evaluator = Evaluator(rulebase, assume=not no_assume)
    start = load_case(case, Normaliser(rulebase)) if case else None
    if save_path:
        save_problem(Path(save_path), force)
    if save_path and not os.access(Path(save_path).resolve().parent, os.W_OK):
        raise InputError([Problem(str(save_path), Msg("ask_save_not_writable"))])
    case_id = start.id if start else (Path(save_path).stem if save_path else "ask")
    facts = dict(start.facts) if start else {}
    readings = read_evidence(evidence_paths, rulebase, recipient, say=False) if evidence_paths or recipient else []
    if any(r.problems for r in readings):  # before the first question, like --save
        raise InputError([p for r in readings for p in r.problems])
    notices: list = []
    if readings:
        from spor.evidence.merge import merge

        facts, notices = merge(facts, readings, rulebase=rulebase, evidence_wins=evidence_wins)
    interview = Interview(
        evaluator, facts, title=start.title if start else "", notes=start.notes if start else "", case_id=case_id
    )
    echo_answers = not sys.stdin.isatty()
    click.echo(f"spor ask: {printable(rulebase.title.get(lang))}\n{t('ask_intro', lang)}")
    if readings:
        from spor.output.evidence import lines as evidence_lines

        click.echo(
            f"\n{t('evidence', lang)}:\n"
            + "\n".join(evidence_lines([item for r in readings for item in r.explained], rulebase, lang))
        )
        for notice in notices:
            click.echo(f"  - {printable(notice.message(lang, rulebase))}")

    if start and start.facts:  # what the agent need not be asked again
        click.echo(f"\n{t('ask_known', lang)}:")
        for name, value in start.facts.items():
            label = rulebase.facts[name].label.get(lang)
            click.echo(f"  {printable(label)}: {printable(rulebase.label(name, value, lang))}")

    def read(prompt: str) -> str | None:
        if not echo_answers:  # a terminal: input() gives line editing and history where readline exists
            try:
                import readline  # noqa: F401  (imported for its effect on input())
            except ImportError:
                pass
            try:
                return input(prompt).strip()
            except EOFError:
                return None
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if line:
            click.echo(printable(line.rstrip("\n")))
        return None if line == "" else line.strip()

    steps = None
    if log_path:
        from spor.decisionlog.interviews import Interview as Logged

        steps = Logged(open_log(log_path, log_days, [p for p in (case, save_path) if p]), rulebase, loaded.digest)
        steps.evidence = [
            {"status": x.finding.status, "facts": dict(x.facts)} for r in readings for x in r.explained
        ]  # the codes it read and the facts it filled in: ids and codes, never an address
    try:
        code = converse(interview, lang, read, steps)
    except KeyboardInterrupt:  # Ctrl-C: the session so far is kept (and saved with --save), and it ends as stopped
        click.echo("")
        code = EXIT_INTERRUPTED
    finally:
        if steps is not None:
            open_question = interview.next_question(interview.result())
            steps.end(open_question.id if open_question is not None else None)
            close_log(steps.log, lang)
    if save_path:
        save(save_path, start, case_id, interview, notices, lang, evaluator if not no_assume else Evaluator(rulebase))
    sys.exit(code)


def save(path: str, start, case_id: str, interview, notices: list, lang: str, evaluator) -> None:
    """Write the session as a case file. The starting case's ``expect`` is kept, as written, while the new
    answers still meet it (as ``spor test`` runs it: with assumptions); otherwise the new result is written as
    the expectation and the change is said, so that a saved case never carries an expectation it fails."""
    from spor.analysis.expect import renewed
    from spor.common.messages import text as t
    from spor.rulebase.cases import write_case

    note = [
        t("ask_saved_evidence", lang, fact=n.fact, value=n.params["value"], source=n.params["source"])
        for n in notices
        if n.code == "from_evidence"
    ]  # the interview never asks a fact it already has
    expect, changed = None, []
    if start is not None and start.expect:
        expect, changed = renewed(start.expect, evaluator.evaluate(interview.known()))
    for line in write_case(path, start, case_id, interview.known(), note, expect=expect):
        click.echo(f"spor: {t('severity_warning', lang)}: {path}: {t('ask_notes_full', lang, line=line)}", err=True)
    click.echo(t("ask_saved", lang, path=path))
    if changed:
        said = "; ".join(mismatch.shown(lang) for mismatch in changed)
        click.echo(printable(t("ask_expect_updated", lang, changes=said)))


def save_problem(path: Path, force: bool) -> None:
    """Refuse a --save target before the first question: a link (it would write onto another file), a folder,
    or an existing file without --force (it would be replaced). The file is written atomically at the end."""
    if path.is_symlink():
        raise InputError([Problem(str(path), Msg("ask_save_link"))])
    if path.is_dir():
        raise InputError([Problem(str(path), Msg("ask_save_folder"))])
    if path.exists() and not force:
        raise InputError([Problem(str(path), Msg("ask_save_exists"))])


def converse(interview, lang: str, read: Callable[[str], str | None], steps=None) -> int:
    """The question-and-answer loop: show, read a line, let the interview act on it; returns the exit code earned.

    ``steps`` (with --log: a ``decisionlog.interviews.Interview``) hears each step and the decision reached.
    """
    from spor.analysis.interview import command
    from spor.common.messages import text as t
    from spor.output.text import offer, question, reasons, text, why

    code, shown = EXIT_INCOMPLETE, None
    while True:
        result = interview.result()
        fact = interview.next_question(result)
        if fact is None and shown != "end":
            offered = interview.offered(result)
            click.echo("\n" + text(result, lang) + "\n" + t("ask_after", lang) + offer(offered, lang))
            code = earn(EXIT_OK if result.complete else EXIT_INCOMPLETE)
            shown = "end"
            if steps is not None:
                from spor.output.record import as_json

                steps.decision(as_json(result, lang))
                if result.complete:
                    steps.note("finished")
        elif fact is not None and shown != fact.id:
            click.echo("\n" + question(fact, lang, len(interview.history) + 1))
            shown = fact.id
            if steps is not None:
                steps.note("asked", fact.id)
        line = read("> ")
        if line is None:
            if fact is not None and not result.complete:
                click.echo("\n" + t("ask_end_of_input", lang) + "\n\n" + text(result, lang))
            break
        word = command(line)
        if word == "quit":
            break
        if steps is not None and word in ("why", "how", "back", "restart", "skip"):
            steps.note(word, fact.id if fact is not None and word in ("why", "skip") else None)
        if word == "why" and fact is not None:
            click.echo(why(interview, fact, lang))
        elif word == "how":
            if result.outcome is None:  # nothing to explain yet: say so rather than an empty list
                click.echo(t("ask_how_not_yet", lang))
            else:
                click.echo(t("ask_how_head", lang) + "\n" + "\n".join(reasons(result, lang)))
        elif word == "back":
            undone = interview.back()
            label = interview.rulebase.facts[undone].label.get(lang) if undone else ""
            click.echo(
                printable(t("ask_undone", lang, label=label, fact=undone) if undone else t("ask_nothing_to_undo", lang))
            )
            shown = None
        elif word == "restart":
            interview.restart()
            click.echo(t("ask_restarted", lang))
            shown = None
        elif word == "skip" and fact is not None:
            interview.skip(fact)
            click.echo(printable(t("ask_skipped", lang, label=fact.label.get(lang), fact=fact.id)))
        elif fact is not None:
            hint = interview.answer(fact, line)
            if steps is not None and not hint:
                steps.note("answered", fact.id, interview.known().get(fact.id))
            if hint:
                choices = t("ask_choose", lang, last=len(fact.values))
                click.echo(printable(t("ask_invalid", lang, message=hint)) + " " + choices)
        elif interview.answer_anyway(result, line) is None:  # the number or id of an assumed fact asks it
            click.echo(t("ask_unknown_command", lang, intro=t("ask_after", lang)))
    return code
