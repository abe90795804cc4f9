"""``spor check``: validate a rulebase and verify its decisions."""

from __future__ import annotations

import json
import sys

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_OK, earn, rules_option, shown_folder


@click.command()
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
def check(rules_dir: str | None, strict: bool, fmt: str, budget: int | None) -> None:
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
    from spor.output.reports import check_json, check_text

    folder, _ = api.find_rules(rules_dir)
    if not folder.is_dir():
        raise click.BadParameter(f"{folder}: no such folder (expected a rulebase folder)", param_hint="--rules")
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
        click.echo("\n".join(check_text(report)))
    sys.exit(EXIT_INCOMPLETE if report.failed else EXIT_OK)
