"""``spor check``: validate a rulebase and verify its decisions."""

from __future__ import annotations

import json
import sys

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_OK, SporCommand, earn, lang_option, rules_option, shown_folder

NB = {
    "": """Valider en regelbase og verifiser avgjørelsene dens.

    Melder feil mot skjemaet og i referansene (alle, hver på sin fil:linje:kolonne),
    og så for hver avgjørelse: hull, konflikter, regler som aldri slår til eller
    alltid skygges for (feil), og overflødige regler og ubrukte fakta, verdier og
    utfall (advarsler), hver med en eksempelsak. Avslutter med 0 når alt er rent,
    1 ved feil (eller advarsler med --strict, eller en avgjørelse budsjettet ikke
    lot den verifisere), 2 ved feil bruk.
    """,
    "strict": "Regn advarsler som feil.",
    "fmt": "text for lesing, json for skript.",
    "budget": "Arbeidsenheter til å verifisere avgjørelsene (standard 10 000 000: sekunder, ikke minutter); "
    "en avgjørelse som ikke blir verifisert, er en feil.",
}


@click.command(cls=SporCommand, nb=NB)
@rules_option
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--budget",
    type=click.IntRange(min=1),
    default=None,
    metavar="UNITS",
    help="Work units for verifying the decisions (default 10,000,000: seconds, not minutes); "
    "a decision left unverified is an error.",
)
@lang_option()
def check(rules_dir: str | None, strict: bool, fmt: str, budget: int | None, lang: str) -> None:
    """Validate a rulebase and verify its decisions.

    Reports schema and reference errors (every one, at its file:line:col),
    then for each decision: gaps, conflicts, unreachable and masked rules
    (errors) and redundant rules and unused facts, values and outcomes
    (warnings), each with an example case. Exit 0 clean, 1 errors (or
    warnings with --strict, or a decision the budget did not let it verify),
    2 usage.
    """
    from spor import api
    from spor.analysis.check import check as check_rulebase
    from spor.analysis.verify import CHECK_BUDGET
    from spor.common.messages import text
    from spor.output.reports import check_json, check_text

    folder, _ = api.find_rules(rules_dir)
    if not folder.is_dir():
        raise click.BadParameter(text("check_no_folder", lang, folder=str(folder)), param_hint="--rules")
    report = check_rulebase(
        lambda: api.load(folder, trust_cache=False),  # no cache
        strict,
        shown_folder(folder),
        budget or CHECK_BUDGET,
    )
    earn(EXIT_INCOMPLETE if report.failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps(check_json(report), ensure_ascii=False))
    else:
        click.echo("\n".join(check_text(report, lang)))
    sys.exit(EXIT_INCOMPLETE if report.failed else EXIT_OK)
