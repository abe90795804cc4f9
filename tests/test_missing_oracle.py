"""`missing` checked against an oracle built only from the engine's answers to complete cases.

For every partial case of a rulebase (each input fact given or unknown), a
fact "can change the answer" when two complete cases that agree with the
partial one, and with each other except on that fact, reach different
answers: another outcome, or the same outcome with other values in its
{fact} placeholders (the verdict the agent reads differs). `missing` must
list exactly those facts; where no fact can change the answer yet the rules
still need some to reach it, answering the facts listed must reach that one
answer.

Here on the fixture rulebases (heating: 1,944 partial cases; printer);
test_shipped_rulebase.py runs the same oracle on the shipped rulebase
(38,880 partial cases).
"""

from __future__ import annotations

import itertools
import math

import pytest

from spor.inference.evaluate import Evaluator

MISSING_VALUE = None


@pytest.mark.parametrize("name", ["heating_rulebase", "printer_rulebase"])
def test_missing_lists_exactly_the_facts_that_can_change_the_outcome(request, name):
    rulebase = request.getfixturevalue(name)
    evaluator = Evaluator(rulebase)
    checked, wrong = check_missing(evaluator, build_oracle(rulebase, evaluator))
    assert checked == math.prod(len(f.values) + 1 for f in rulebase.facts.values() if not f.derived)
    assert wrong == []


def test_the_oracle_sees_a_wrong_missing_list(heating_rulebase, monkeypatch):
    """The check can fail: a `missing` that drops a fact which can change the outcome is caught."""
    import spor.inference.evaluate as evaluate_module

    real = evaluate_module.missing_facts
    monkeypatch.setattr(
        evaluate_module,
        "missing_facts",
        lambda rb, facts, *more: [f for f in real(rb, facts, *more) if f.id != "fuse_blown"],
    )
    evaluator = Evaluator(heating_rulebase)
    _, wrong = check_missing(evaluator, build_oracle(heating_rulebase, evaluator))
    assert wrong and any("fuse_blown" in expected for _, _, expected in wrong)


def build_oracle(rulebase, evaluator):
    """(names, inputs, outcomes): the outcome of every complete case of the rulebase's input facts."""
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    names = [f.id for f in inputs]
    outcomes = {}
    for values in itertools.product(*(f.value_ids() for f in inputs)):
        result = evaluator.evaluate(dict(zip(names, values)))
        assert result.outcome is not None
        outcomes[values] = answer(result)
    return names, inputs, outcomes


def answer(result) -> tuple:
    """What a decided case tells the agent: its outcome, and the values its texts show through {fact}."""
    from spor.rulebase.model import PLACEHOLDER

    outcome = result.outcome
    texts = [
        outcome.verdict.nb,
        outcome.verdict.en,
        outcome.reply.nb,
        outcome.reply.en,
        *(step for steps in outcome.steps.values() for step in steps),
    ]
    named = sorted({name for text in texts for name in PLACEHOLDER.findall(text)})
    return (outcome.id, *((name, result.facts.get(name)) for name in named))


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
            key = complete[:i] + complete[i + 1 :]
            groups.setdefault(key, set()).add(outcome)
        if any(len(seen) > 1 for seen in groups.values()):
            found.add(names[i])
    return found


def check_missing(evaluator, oracle) -> tuple:
    """(partial cases checked, those whose `missing` differs from the oracle's: (given, listed, expected))."""
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
            assert all(o == answer(result) for _, o in consistent), given
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
    return checked, wrong


def _answering_reaches(evaluator, given, result, outcomes) -> bool:
    """Answering the listed facts in order, each with its first value, reaches one of ``outcomes``."""
    facts = dict(given)
    while result.outcome is None:
        if not result.missing:
            return False
        fact = result.missing[0]
        facts[fact.id] = fact.value_ids()[0]
        result = evaluator.evaluate(facts)
    return answer(result) in outcomes
