"""Every case file in examples/ is a test: its result must match its ``expect`` block.

On the shipped rulebase, whose cases these are: an edit of rules/ that changes
an answer must change the example's ``expect`` with it (test_shipped_rulebase.py
holds the article's other decisions; the engine's own tests use tests/fixtures/)."""

from __future__ import annotations

import pytest

from spor.analysis.expect import compare
from spor.rulebase.cases import load_case

from .conftest import EXAMPLES

CASES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def test_there_are_at_least_twenty_examples():
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_example_gives_its_expected_result(path, evaluator, normaliser):
    case = load_case(path, normaliser)
    assert case.expect, f"{path.name} has no expect block"
    result = evaluator.evaluate(case.facts, case_id=case.id, source=case.source)
    assert [str(m) for m in compare(case.expect, result)] == []


def _results(evaluator, normaliser):
    for path in CASES:
        case = load_case(path, normaliser)
        yield evaluator.evaluate(case.facts)


def test_examples_reach_every_outcome_and_every_derived_value(rulebase, evaluator, normaliser):
    outcomes, derived = set(), set()
    for result in _results(evaluator, normaliser):
        if result.outcome:
            outcomes.add(result.outcome.id)
        derived.update(result.derived.items())
    assert outcomes == set(rulebase.outcomes)
    wanted = {(f.id, v) for f in rulebase.facts.values() if f.derived for v in f.value_ids()}
    assert wanted - derived == set()


def test_examples_fire_every_rule(rulebase, evaluator, normaliser):
    fired = {firing.rule.id for result in _results(evaluator, normaliser) for firing in result.trace}
    assert {rule.id for rule in rulebase.rules} - fired == set()


def test_every_example_that_assumes_says_what_it_assumes(evaluator, normaliser):
    """An example decided on assumptions lists them in ``expect.assumed``: a rule edit that makes the article's
    most common case assume something else (or ask instead) fails its example."""
    for path in CASES:
        case = load_case(path, normaliser)
        result = evaluator.evaluate(case.facts)
        if result.assumed:
            assert "assumed" in case.expect, f"{path.name} assumes {[a.fact for a in result.assumed]}"


def test_expect_assumed_is_compared_in_any_order_and_names_known_facts(tmp_path, evaluator, normaliser):
    from spor.common.errors import InputError

    case_file = tmp_path / "case.yaml"
    base = (
        "facts: {concern: not_received, module: lonn, log_status: levert}\n"
        "expect:\n  outcome: recipient_server_builtin\n"
    )
    case_file.write_text(base + "  assumed: [bounce_received]\n", encoding="utf-8")
    case = load_case(case_file, normaliser)
    assert compare(case.expect, evaluator.evaluate(case.facts)) == []
    case_file.write_text(base + "  assumed: [bounce_received, bounce_received]\n", encoding="utf-8")
    case = load_case(case_file, normaliser)
    assert compare(case.expect, evaluator.evaluate(case.facts)) == []  # a set: named twice is named once
    case_file.write_text(base + "  assumed: []\n", encoding="utf-8")
    case = load_case(case_file, normaliser)
    [mismatch] = compare(case.expect, evaluator.evaluate(case.facts))
    assert (mismatch.field, mismatch.expected, mismatch.actual) == ("assumed", [], ["bounce_received"])
    case_file.write_text(base + "  assumed: [bounce_recieved]\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_case(case_file, normaliser)
    [problem] = refused.value.problems
    assert problem.line == 4 and "bounce_received" in problem.message  # the fact, and the one it may have meant
