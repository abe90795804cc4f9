"""`missing` checked against an oracle built only from the engine's answers to complete cases.

For every partial case of the shipped rulebase (each input fact given or
unknown: 38,880 cases), a fact "can change the answer" when two complete
cases that agree with the partial one, and with each other except on that
fact, reach different outcomes. `missing` must list exactly those facts;
where no fact can change the answer yet the rules still need some to reach
it, answering the facts listed must reach that one answer.
"""
from __future__ import annotations

import itertools
import math

import pytest

MISSING_VALUE = None


@pytest.fixture(scope="module")
def oracle(rulebase, evaluator):
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    names = [f.id for f in inputs]
    outcomes = {}
    for values in itertools.product(*(f.value_ids() for f in inputs)):
        result = evaluator.evaluate(dict(zip(names, values)))
        assert result.outcome is not None
        outcomes[values] = result.outcome.id
    return names, inputs, outcomes


def completions(inputs, outcomes, partial) -> list:
    """(complete case, outcome) for every completion of ``partial``: enumerated, not searched for."""
    choices = [(value,) if value is not None else fact.value_ids() for fact, value in zip(inputs, partial)]
    return [(complete, outcomes[complete]) for complete in itertools.product(*choices)]


def mattering(names, partial, consistent):
    """The unknown facts of ``partial`` whose value can change the outcome, among its ``consistent`` completions."""
    found = set()
    for i, value in enumerate(partial):
        if value is not None:
            continue
        groups = {}
        for complete, outcome in consistent:
            key = complete[:i] + complete[i + 1:]
            groups.setdefault(key, set()).add(outcome)
        if any(len(seen) > 1 for seen in groups.values()):
            found.add(names[i])
    return found


def test_missing_lists_exactly_the_facts_that_can_change_the_outcome(evaluator, oracle):
    names, inputs, outcomes = oracle
    wrong = []
    checked = 0
    for partial in itertools.product(*((None, *f.value_ids()) for f in inputs)):
        given = {n: v for n, v in zip(names, partial) if v is not None}
        result = evaluator.evaluate(given)
        listed = {f.id for f in result.missing}
        consistent = completions(inputs, outcomes, partial)
        expected = set() if result.outcome else mattering(names, partial, consistent)
        if result.outcome:
            # a decided case must be decided the same way by every completion
            assert all(o == result.outcome.id for _, o in consistent), given
        if not result.outcome and not expected:
            # every completion reaches the same outcome, but the rules need facts on the way that do not change
            # it (a rejection's reason decides, yet the transport must be known to find the status): then the
            # listed facts, answered with any value, must lead to that one outcome
            same = {o for _, o in consistent}
            if not listed or not _answering_reaches(evaluator, given, result, same):
                wrong.append((given, sorted(listed), sorted(same)))
        elif listed != expected:
            wrong.append((given, sorted(listed), sorted(expected)))
        checked += 1
    assert checked == math.prod(len(f.values) + 1 for f in inputs)  # every partial case, none skipped
    assert wrong == []


def _answering_reaches(evaluator, given, result, outcomes) -> bool:
    """Answering the listed facts in order, each with its first value, reaches one of ``outcomes``."""
    facts = dict(given)
    while result.outcome is None:
        if not result.missing:
            return False
        fact = result.missing[0]
        facts[fact.id] = fact.value_ids()[0]
        result = evaluator.evaluate(facts)
    return result.outcome.id in outcomes
