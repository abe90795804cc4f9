"""``spor report``: what the decisions of a log or a batch output say about the article."""

from __future__ import annotations

from pathlib import Path

import click

from spor.cli.common import EXIT_OK, SporCommand, earn, lang_option, load_rules, rules_option
from spor.common.errors import InputError, Problem, shown
from spor.common.messages import Msg

SUFFIXES = (".sqlite", ".sqlite3", ".db", ".jsonl", ".ndjson")  # what a folder given to report is searched for

NB = {
    "": """Tell opp hva en avgjørelseslogg eller batch-utdata sier: utfall, taushet, bevis, spørsmål, regler, avsnitt.

    INPUTS er avgjørelseslogger (--log fra serve, batch og ask) og utdata fra
    batch (JSON Lines), eller mapper med slike. Regelbasen navngir utfall,
    fakta og avsnitt, og sier hvilke regler som aldri slo til; den bør være den
    avgjørelsene ble tatt med (en forskjell blir sagt). Med --format html er
    rapporten én selvstendig fil: diagrammer (med tillegget
    pip install 'spor[report]') ved siden av tabeller.
    """,
    "since": "Første dag som telles (ÅÅÅÅ-MM-DD, UTC).",
    "until": "Siste dag som telles (ÅÅÅÅ-MM-DD, UTC).",
    "fmt": "text for lesing, json for skript, html for en fil med diagrammer og tabeller.",
    "out": "Skriv rapporten til denne filen.",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day counted (YYYY-MM-DD, UTC).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day counted (YYYY-MM-DD, UTC).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text to read, json for scripts, html for one file with charts and tables.",
)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@lang_option()
@rules_option
def report(inputs: tuple, since, until, fmt: str, out: str | None, lang: str, rules_dir: str | None) -> None:
    """Count what a decision log or batch output says: outcomes, silence, evidence, questions, rules, sections.

    INPUTS are decision logs (``--log`` of serve, batch and ask) and batch
    outputs (JSON Lines), or folders holding them. The rulebase names
    outcomes, facts and sections, and tells which rules never fired; it
    should be the one the decisions were made with (a difference is said).
    With --format html the report is one self-contained file: charts
    (with the optional extra: pip install 'spor[report]') beside tables.
    """
    from spor.common.files import atomic_write, files_in, output_refused
    from spor.decisionlog.report import build
    from spor.decisionlog.tally import count_inputs

    if since and until and since > until:
        from spor.decisionlog.words import word

        raise click.UsageError(word("since_after_until", lang))
    paths = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = files_in(path, SUFFIXES, exclude=out)
            if not found:
                raise InputError([Problem(shown(path), Msg("report_empty_folder", suffixes=", ".join(SUFFIXES)))])
            paths += found
        elif not path.exists():
            raise InputError([Problem(shown(path), Msg("no_such_file"))])
        else:
            paths.append(path)
    refused = output_refused(out, paths) if out else None
    if refused:
        raise InputError([Problem(shown(out), refused)])
    loaded = load_rules(rules_dir)
    counts = count_inputs(paths, loaded.rulebase, since.date() if since else None, until.date() if until else None)
    data = build(
        counts,
        loaded.rulebase,
        lang,
        inputs=[shown(p) for p in paths],
        rulebase_hash=loaded.digest,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    if fmt == "json":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        from spor.decisionlog.html import render_html

        text = render_html(data, lang)
    else:
        from spor.decisionlog.text import render_text

        text = render_text(data, lang)
    if out:
        atomic_write(out, text)
    else:
        click.echo(text, nl=False)
    earn(EXIT_OK)
