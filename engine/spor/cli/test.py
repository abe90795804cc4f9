"""``spor test``: run case files that carry an expect block, with coverage."""

from __future__ import annotations

import json
import sys

import click

from spor.analysis.suite import SuiteReport
from spor.cli.common import EXIT_INCOMPLETE, EXIT_OK, earn, examples_for, load_rules, rules_option
from spor.common.errors import InputError, Problem
from spor.rulebase.model import Rulebase


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
@click.option(
    "--junit",
    "junit_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the results as JUnit XML to this file (for CI test reports).",
)
@click.option(
    "--lcov",
    "lcov_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="With --coverage: also write rule and outcome coverage as lcov to this file (for coverage gutters).",
)
def test_cmd(
    paths: tuple,
    rules_dir: str | None,
    pattern: str | None,
    show_coverage: bool,
    fail_under: float | None,
    fmt: str,
    junit_path: str | None,
    lcov_path: str | None,
) -> None:
    """Run case files that carry an expect block (default: examples/).

    Prints PASS or FAIL per case, and for each failure the expected and the
    actual value of each field that differs. Exit 0 all pass (and coverage
    at least --fail-under), 1 otherwise, 2 usage.
    """
    from spor.analysis.suite import run_suite
    from spor.output.reports import test_json, test_text

    if lcov_path and not show_coverage and fail_under is None:
        raise click.UsageError("--lcov writes coverage: give --coverage too")
    rulebase = load_rules(rules_dir).rulebase
    cases = examples_for(rules_dir, paths)
    report = run_suite(rulebase, cases, pattern, show_coverage or bool(lcov_path), fail_under)
    write_reports(report, rulebase, {junit_path: "junit", lcov_path: "lcov"})
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


def write_reports(report: SuiteReport, rulebase: Rulebase, targets: dict) -> None:
    """Write the JUnit XML and lcov files asked for, atomically; a case file is never overwritten."""
    from spor.common.files import atomic_write, same_file
    from spor.output.ci import junit_xml, lcov

    inputs = [run.source for run in report.runs]
    for path, kind in targets.items():
        if not path:
            continue
        if any(same_file(path, source) for source in inputs):
            raise InputError([Problem(path, f"is one of the case files: --{kind} would overwrite it")])
        try:
            atomic_write(path, junit_xml(report, rulebase) if kind == "junit" else lcov(report, rulebase))
        except OSError as exc:
            raise InputError([Problem(path, f"cannot be written: {exc.strerror or exc}")]) from None
