"""``spor graph``: the decision tree as a Mermaid or Graphviz diagram."""

from __future__ import annotations

import click

from spor.cli.common import SporCommand, lang_option, load_rules, rules_option

NB = {
    "": """Skriv ut beslutningstreet som et Mermaid- eller Graphviz-diagram.

    Gitte fakta -> utledede fakta -> utfall; hver kant er én regel som leser ett
    faktum, merket med testen og konklusjonen; nodene viser avsnittene de viser til.
    """,
    "fmt": "Mermaid, eller Graphviz dot.",
    "lang": "Språket i merkelappene. Standard: $SPOR_LANG, ellers språket i locale (nb for nb, nn, no; ellers en).",
}


@click.command(cls=SporCommand, nb=NB)
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
@lang_option("Language of the labels.")
@rules_option
def graph(fmt: str, lang: str, rules_dir: str | None) -> None:
    """Print the decision tree as a Mermaid or Graphviz diagram.

    Given facts -> derived facts -> outcomes; each edge is one rule reading
    one fact, labelled with the test and the conclusion; nodes carry the
    sections they cite.
    """
    from spor.analysis.graph import FORMATS

    click.echo(FORMATS[fmt](load_rules(rules_dir).rulebase, lang), nl=False)
