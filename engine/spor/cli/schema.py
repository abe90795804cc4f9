"""``spor schema``: the JSON Schemas of what spor reads and prints."""

from __future__ import annotations

import click

from spor.cli.common import SporCommand, lang_option

# the keys of spor.common.schemas.SCHEMAS, written out so that starting the CLI does not import that module
# (tests/test_output_schemas.py holds them equal)
KINDS = ("rules", "case", "result", "batch-record", "finding", "check-report", "test-report", "diff-record")


NB = {
    "": """Skriv ut JSON-skjemaet (utkast 2020-12) for det spor leser eller skriver.

    \b
    rules         en regelfil
    case          en saksfil
    result        en linje av spor run --format json
    batch-record  en linje av spor batch (JSON Lines): et resultat eller en feilpost
    finding       en linje av spor evidence --format json
    check-report  spor check --format json
    test-report   spor test --format json
    diff-record   en linje av spor diff --format json

    Hvert skjema skrives ut helt: skjemaene det bruker, ligger under $defs, så
    en validator trenger ingen annen fil.
    """,
    "lang": "Språket i hjelpen og meldingene (skjemaene selv er på engelsk og norsk). Standard: $SPOR_LANG, "
    "ellers språket i locale (nb for nb, nn, no; ellers en).",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("kind", type=click.Choice(KINDS))
@lang_option("Language of the help and the messages (the schemas themselves are in English and Norwegian).")
def schema(kind: str, lang: str) -> None:
    """Print the JSON Schema (draft 2020-12) of what spor reads or prints.

    \b
    rules         a rule file
    case          a case file
    result        a line of spor run --format json
    batch-record  a line of spor batch (JSON Lines): a result or an error record
    finding       a line of spor evidence --format json
    check-report  spor check --format json
    test-report   spor test --format json
    diff-record   a line of spor diff --format json

    Each schema is printed whole: the schemas it uses are embedded under its
    $defs, so a validator needs no other file.
    """
    from spor.common.schemas import schema_text

    click.echo(schema_text(kind), nl=False)
