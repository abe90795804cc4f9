"""``spor test``: run case files that carry an expect block, with coverage."""

from __future__ import annotations

import json
import sys

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_OK, earn, load_rules, rules_option


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@rules_option
@click.option(
    "-k", "pattern", default=None, help="Only cases whose id or file name contains (or glob-matches) PATTERN."
)
@click.option(
    "--coverage", "show_coverage", is_flag=True, help="Report rules, outcomes and values the cases never reach."
)
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), default=None, help="Fail when total coverage is below N percent."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test_cmd(
    paths: tuple, rules_dir: str | None, pattern: str | None, show_coverage: bool, fail_under: float | None, fmt: str
) -> None:
    """Run case files that carry an expect block (default: examples/).

    Prints PASS or FAIL per case, and for each failure the expected and the
    actual value of each field that differs. Exit 0 all pass (and coverage
    at least --fail-under), 1 otherwise, 2 usage.
    """
    from spor.analysis.suite import run_suite
    from spor.output.reports import test_json, test_text

    report = run_suite(load_rules(rules_dir).rulebase, paths or ["examples"], pattern, show_coverage, fail_under)
    earn(EXIT_INCOMPLETE if report.failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps(test_json(report), ensure_ascii=False))
    else:
        click.echo("\n".join(test_text(report)))
        if not report.runs:
            click.echo(
                "no case to run: " + (f"none matches -k {pattern!r}" if pattern else "no case files found"), err=True
            )
    sys.exit(EXIT_INCOMPLETE if report.failed else EXIT_OK)
