"""``spor evidence``: read bounces and event logs, and say what they mean."""

from __future__ import annotations

import sys
from itertools import islice

import click

from spor.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    SporCommand,
    earn,
    lang_option,
    load_rules,
    rules_option,
    say_problems,
)

NB = {
    "": """Les bevis om en sending og si hva det betyr.

    Hver FILE er en melding som kom tilbake (en avvisning, .eml) eller en
    hendelseslogg (en JSON-liste med hendelser, eller JSON Lines); en mappe: dens
    .eml-, .json-, .jsonl- og .ndjson-filer. For hver mottaker (eller melding):
    statuskoden, svaret, serverne, hva de betyr og hvem som må handle (fra
    regelbasen), og faktaene saken får. En fil som ikke kan leses, får én melding;
    de andre filene leses likevel. Avslutter med 0, eller 2 når en fil eller
    linje ikke kunne leses.
    """,
    "fmt": "text for lesing, json for skript (ett objekt per mottaker eller melding, per linje).",
    "recipient": "Bare det beviset sier om denne adressen.",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for reading, json for scripts (one object per recipient or message, per line).",
)
@lang_option()
@click.option("--recipient", default=None, help="Only what the evidence says about this address.")
@rules_option
def evidence(files: tuple, fmt: str, lang: str, recipient: str | None, rules_dir: str | None) -> None:
    """Read evidence about a send and say what it means.

    Each FILE is a returned message (a bounce, .eml) or an event log (a JSON
    array of events, or JSON Lines); a folder: its .eml, .json, .jsonl and
    .ndjson files. For each recipient (or message): the status code, the
    reply, the servers, what they mean and whose side must act (from the
    rulebase), and the case facts implied. A file that cannot be read gets
    one message; the other files are still read. Exit 0, or 2 when some
    file or line could not be read.
    """
    from spor.evidence.merge import readings
    from spor.output.evidence import heading, json_line, lines, tally

    rulebase = load_rules(rules_dir).rulebase
    counted: dict[str, int] = {}
    code, found, files_read = EXIT_OK, 0, 0
    for reading in readings(files, rulebase, recipient):  # one file at a time: said, written, then let go
        files_read += 1
        say_problems(reading.problems, lang)
        if reading.problems:
            code = earn(EXIT_INPUT)
        found += len(reading.explained)
        for name, value in reading.counts.items():
            counted[name] = counted.get(name, 0) + value
        if fmt == "json":
            for item in reading.explained:
                click.echo(json_line(item, rulebase, lang))
        elif reading.explained or not reading.problems:
            click.echo(heading(reading, rulebase, lang))
            items = iter(reading.explained)  # written a thousand at a time: a log of many messages is never held
            batch = list(islice(items, 1000))
            while True:
                click.echo("\n".join(lines(batch, rulebase, lang)))
                batch = list(islice(items, 1000))
                if not batch:
                    break
    click.echo(tally(files_read, found, counted, lang), err=True)
    sys.exit(code)
