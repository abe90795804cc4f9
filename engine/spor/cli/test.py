"""``spor test``: run case files that carry an expect block, with coverage."""

from __future__ import annotations

import json
import sys

import click

from spor.analysis.suite import SuiteReport
from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    SporCommand,
    earn,
    examples_for,
    lang_option,
    load_rules,
    rules_option,
    say_rulebase,
)
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg
from spor.common.reasons import os_reason
from spor.rulebase.model import Rulebase

NB = {
    "": """Kjør saksfiler som har en expect-blokk (standard: examples/).

    Skriver PASS eller FAIL for hver sak, og for hver feil den ventede og den
    faktiske verdien av hvert felt som er forskjellig. Avslutter med 0 når alle
    består (og dekningen er minst --fail-under), ellers 1, og 2 ved feil bruk.
    """,
    "pattern": "Bare saker der id-en eller filnavnet inneholder (eller passer glob-mønsteret) PATTERN.",
    "show_coverage": "Vis regler, utfall og verdier som sakene aldri når.",
    "fail_under": "Feil når den samlede dekningen er under N prosent.",
    "junit_path": "Skriv også resultatene som JUnit XML til denne filen (for testrapporter i CI).",
    "lcov_path": "Med --coverage: skriv også regel- og utfallsdekningen som lcov til denne filen (for dekning "
    "i editoren).",
}


@click.command("test", cls=SporCommand, nb=NB)
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
@lang_option()
def test_cmd(
    paths: tuple,
    rules_dir: str | None,
    pattern: str | None,
    show_coverage: bool,
    fail_under: float | None,
    fmt: str,
    junit_path: str | None,
    lcov_path: str | None,
    lang: str,
) -> None:
    """Run case files that carry an expect block (default: examples/).

    Prints PASS or FAIL per case, and for each failure the expected and the
    actual value of each field that differs. Exit 0 all pass (and coverage
    at least --fail-under), 1 otherwise, 2 usage.
    """
    from spor.analysis.suite import run_suite
    from spor.common.messages import text
    from spor.output.reports import test_json, test_text

    if lcov_path and not show_coverage and fail_under is None:
        raise click.UsageError(text("test_lcov_needs_coverage", lang))
    loaded = load_rules(rules_dir)
    rulebase = loaded.rulebase
    cases = examples_for(rules_dir, paths)
    report = run_suite(rulebase, cases, pattern, show_coverage or bool(lcov_path), fail_under)
    write_reports(report, rulebase, {junit_path: "junit", lcov_path: "lcov"})
    earn(EXIT_INCOMPLETE if report.failed else EXIT_OK)
    if fmt == "json":
        click.echo(json.dumps(test_json(report), ensure_ascii=False))
    else:
        click.echo("\n".join(test_text(report, lang)))
        say_rulebase(loaded, lang)
        if not report.runs:
            why = text("test_none_matches", lang, pattern=repr(pattern)) if pattern else text("test_no_files", lang)
            click.echo(text("test_nothing_to_run", lang, why=why), err=True)
    sys.exit(EXIT_INCOMPLETE if report.failed else EXIT_OK)


def write_reports(report: SuiteReport, rulebase: Rulebase, targets: dict) -> None:
    """Write the JUnit XML and lcov files asked for, atomically; a case file is never overwritten."""
    from spor.common.files import atomic_write, output_refused
    from spor.output.ci import junit_xml, lcov

    inputs = [run.source for run in report.runs]
    for path, kind in targets.items():
        if not path:
            continue
        refused = output_refused(path, inputs)  # a case file, or a link
        if refused:
            raise InputError([Problem(path, refused)])
        try:
            atomic_write(path, junit_xml(report, rulebase) if kind == "junit" else lcov(report, rulebase))
        except OSError as exc:
            raise InputError([Problem(path, Msg("cannot_write", detail=os_reason(exc)))]) from None
