"""``spor run``: diagnose case files."""

from __future__ import annotations

import sys

import click

from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_INPUT,
    EXIT_OK,
    SporCommand,
    assume_option,
    earn,
    evidence_options,
    lang_option,
    load_rules,
    read_evidence,
    rules_option,
    say_problems,
    say_rulebase,
)
from spor.common.errors import InputError

NB = {
    "": """Diagnostiser hver CASE-fil (YAML eller JSON; en mappe: hver saksfil i den; - leser standard inn).

    Avslutter med 0 når hver sak fikk et utfall, 1 når en sak fortsatt mangler
    fakta (de listes med spørsmålene sine), og 2 ved feil i det som ble gitt. En
    sak som er avgjort på antakelser (fakta reglene leser som ukjente: artikkelens
    svar når ingen har sagt noe), er avgjort, og resultatet sier hver antakelse;
    --no-assume gjør ingen. Med --evidence vinner det saken sier: beviset fyller
    ukjente fakta og verdier saken lot stå åpne (en annen grunn, ikke lest ennå),
    og en uenighet vises som en advarsel (--evidence-wins: bevisets verdi brukes
    i stedet).
    """,
    "fmt": "text for lesing, json (ett objekt per linje) for skript, markdown for et svar i en sak.",
    "explain": "Legg til hvorfor ikke: den minste endringen av de gitte faktaene som gir et annet utfall.",
    "evidence_paths": "En melding som kom tilbake (.eml) eller en hendelseslogg (JSON) som fyller det saken lar "
    "stå ukjent eller åpent (kan gis flere ganger).",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("cases", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for reading, json (one object per line) for scripts, markdown for a ticket reply.",
)
@lang_option()
@rules_option
@click.option(
    "--explain", is_flag=True, help="Add why not: the smallest change of the given facts that gives another outcome."
)
@evidence_options("fill what the case leaves unknown or open")
@assume_option
def run(
    cases: tuple,
    fmt: str,
    lang: str,
    rules_dir: str | None,
    explain: bool,
    evidence_paths: tuple,
    recipient: str | None,
    evidence_wins: bool,
    no_assume: bool,
) -> None:
    """Diagnose each CASE file (YAML or JSON; a folder: every case file in it; - reads standard input).

    Exit 0 when every case reached an outcome, 1 when some case still misses
    facts (they are listed with their questions), 2 on bad input. A case
    decided on assumptions (facts the rules read as unknown: the article's
    answer when nobody has said) is decided, and the result states each one;
    --no-assume makes none. With --evidence, what the case says wins:
    evidence fills unknown facts and values the case left open (another
    reason, not read yet), and a disagreement is shown as a warning
    (--evidence-wins: the evidence's value is used instead).
    """
    from spor.inference.evaluate import Evaluator
    from spor.output.text import render
    from spor.rulebase.cases import Normaliser, case_paths, load_case

    loaded = load_rules(rules_dir)
    say_problems(loaded.warnings)
    rulebase = loaded.rulebase
    evaluator, normaliser = Evaluator(rulebase, assume=not no_assume), Normaliser(rulebase)
    code, first = EXIT_OK, True
    readings = read_evidence(evidence_paths, rulebase, recipient) if evidence_paths or recipient else []
    if any(r.problems for r in readings):
        code = earn(EXIT_INPUT)
    for path in case_paths(cases):
        try:
            if path == "-":
                case = load_case("-", normaliser, stream=sys.stdin.buffer, name="<stdin>")
            else:
                case = load_case(path, normaliser)
        except InputError as exc:
            say_problems(exc.problems)
            code = earn(EXIT_INPUT)
            continue
        details: dict = dict(case_id=case.id, source=case.source, title=case.title, notes=case.notes)
        if readings:
            from spor.evidence.merge import evaluate_with

            result = evaluate_with(evaluator, case.facts, readings, evidence_wins=evidence_wins, **details)
        else:
            result = evaluator.evaluate(case.facts, **details)
        if fmt != "json" and not first:
            click.echo("\n" + "-" * 40 + "\n")
        first = False
        rival = None
        if explain and result.complete:
            from spor.analysis.explain import nearest_rival

            rival = nearest_rival(evaluator, result)
        click.echo(render(result, fmt, lang, explain=explain, rival=rival), nl=fmt == "json")
        if not result.complete and code == EXIT_OK:
            code = earn(EXIT_INCOMPLETE)
    if fmt != "json" and not first:  # a JSON result names it in its rulebase_hash
        say_rulebase(loaded, lang)
    sys.exit(code)
