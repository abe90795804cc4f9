"""``spor diff``: which cases change their answer between two rulebases."""

from __future__ import annotations

import json
import sys

import click

from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_INPUT,
    EXIT_OK,
    SporCommand,
    earn,
    examples_for,
    lang_option,
    load_rules,
    say_problems,
)

NB = {
    "": """Vis hvilke saker som får et annet svar mellom to regelbaser.

    Kjører CASES (standard: examples/) på OLD_RULES og NEW_RULES og lister hver
    sak der utfallet, de utledede faktaene eller faktaene som mangler, er endret.
    Avslutter med 0 når ingenting er endret, 1 når noe er det, og 2 ved feil bruk
    eller når en sak ikke kan leses (de andre sakene blir likevel sammenlignet).
    """,
    "fmt": "text for lesing, json for skript (ett objekt per sak, per linje).",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("old_rules", type=click.Path(file_okay=False))
@click.argument("new_rules", type=click.Path(file_okay=False))
@click.argument("cases", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option()
def diff(old_rules: str, new_rules: str, cases: tuple, fmt: str, lang: str) -> None:
    """Show which cases change their answer between two rulebases.

    Runs CASES (default: examples/) on OLD_RULES and NEW_RULES and lists each
    case whose outcome, derived facts or missing facts changed. Exit 0 when
    nothing changed, 1 when something did, 2 on bad usage or when a case
    cannot be read (the other cases are still compared).
    """
    from spor.analysis.impact import impact
    from spor.analysis.suite import discover
    from spor.output.reports import diff_json, diff_text

    old, new = load_rules(old_rules).rulebase, load_rules(new_rules).rulebase
    entries = impact(old, new, discover(examples_for(new_rules, cases)))
    changed = [e for e in entries if e.differences]
    broken = [e for e in entries if e.problems]
    code = earn(EXIT_INPUT if broken else EXIT_INCOMPLETE if changed else EXIT_OK)
    if fmt == "json":
        for e in entries:
            click.echo(json.dumps(diff_json(e), ensure_ascii=False))
    else:
        click.echo("\n".join(diff_text(entries, lang)))
    for e in broken:
        say_problems(e.problems, lang)
    sys.exit(code)
