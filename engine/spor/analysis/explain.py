"""Why not another outcome: the smallest change of the given facts that leads to one.

For a decided case, try changing one given fact (or giving one more), then
two, and evaluate each variant with the engine itself; the first variant
that reaches a different outcome, with the fewest changes, is the nearest
rival. Facts are tried in the rulebase's order and values in their declared
order, so the answer is stable.
"""

from __future__ import annotations

import itertools

from spor.common.records import record
from spor.inference.evaluate import Evaluator, Result
from spor.rulebase.model import Outcome

MAX_CHANGES = 2
MAX_VARIANTS = 2000  # evaluations at most: a rulebase of many facts has many pairs


@record
class Change:
    fact: str
    old: str | None  # None: the case did not give it
    new: str


@record
class Rival:
    outcome: Outcome | None  # None when the search stopped before finding one
    changes: tuple
    stopped: bool = False  # the search reached MAX_VARIANTS


def nearest_rival(evaluator: Evaluator, result: Result, max_changes: int = MAX_CHANGES):
    """The nearest other outcome and the changes that reach it, or None."""
    if result.outcome is None:
        return None
    rb = evaluator.rulebase
    given = {k: v for k, v in result.given.items()}
    inputs = [f for f in rb.facts.values() if not f.derived]
    tried = 0
    for count in range(1, max_changes + 1):
        for chosen in itertools.combinations(inputs, count):
            options = [[v for v in fact.value_ids() if v != given.get(fact.id)] for fact in chosen]
            for values in itertools.product(*options):
                tried += 1
                if tried > MAX_VARIANTS:
                    return Rival(None, (), stopped=True)
                variant = dict(given)
                variant.update({fact.id: value for fact, value in zip(chosen, values)})
                other = evaluator.evaluate(variant).outcome
                if other is not None and other.id != result.outcome.id:
                    changes = tuple(Change(f.id, given.get(f.id), v) for f, v in zip(chosen, values))
                    return Rival(other, changes)
    return None
