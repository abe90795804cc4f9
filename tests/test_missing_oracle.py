"""`missing` checked against an oracle built only from the engine's answers to complete cases.

For every partial case of the shipped rulebase (each input fact given or
unknown: 7,776 cases), a fact "can change the answer" when two complete
cases that agree with the partial one, and with each other except on that
fact, reach different outcomes. `missing` must list exactly those facts.
"""
from __future__ import annotations

import itertools

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


def mattering(names, outcomes, partial):
    """The unknown facts of ``partial`` whose value can change the outcome."""
    consistent = [(c, o) for c, o in outcomes.items() if all(p is None or p == v for p, v in zip(partial, c))]
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
        expected = set() if result.outcome else mattering(names, outcomes, partial)
        if result.outcome:
            # a decided case must be decided the same way by every completion
            assert all(o == result.outcome.id for c, o in outcomes.items()
                       if all(p is None or p == v for p, v in zip(partial, c))), given
        if listed != expected:
            wrong.append((given, sorted(listed), sorted(expected)))
        checked += 1
    assert checked == 7776
    assert wrong == []
