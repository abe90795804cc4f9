"""``spor check``: validate a rulebase and verify its decisions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_OK, earn, rules_option


@click.command()
@rules_option
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(rules_dir: str | None, strict: bool, fmt: str) -> None:
    """Validate a rulebase and verify its decisions.

    Reports schema and reference errors (every one, at its file:line:col),
    then for each decision: gaps, conflicts, unreachable and masked rules
    (errors) and redundant rules and unused facts, values and outcomes
    (warnings), each with an example case. Exit 0 clean, 1 errors (or
    warnings with --strict), 2 usage.
    """
    from spor import api
    from spor.analysis.check import check as check_rulebase
    from spor.common.resources import default_rules_dir
    from spor.output.reports import check_json, check_text

    folder = Path(rules_dir) if rules_dir else default_rules_dir()
    if not folder.is_dir():
        raise click.BadParameter(f"{folder}: no such folder (expected a rulebase folder)", param_hint="--rules")
    report = check_rulebase(lambda: api.load(folder, trust_cache=False), strict)  # check trusts no cache
    earn(EXIT_INCOMPLETE if report.failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps(check_json(report), ensure_ascii=False))
    else:
        click.echo("\n".join(check_text(report)))
    sys.exit(EXIT_INCOMPLETE if report.failed else EXIT_OK)
