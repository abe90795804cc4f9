"""Which facts are still missing, and which given facts did not matter.

This is analysis of the rules, not a second evaluator: durable-rules decides
what fires; this module looks at the rules that have *not* fired and asks
which unknown facts could still make one of them fire, starting from the
outcome and working back through the derived facts (goal-directed, as an
expert system's questioning is). A fact whose every possible answer leaves
the result unchanged is never listed.
"""

from __future__ import annotations

from spor.inference.compiled import Conditions, conditions
from spor.rulebase.conditions import facts_read
from spor.rulebase.model import OUTCOME, Rulebase


def possible_values(
    rulebase: Rulebase, facts: dict, unanswered: frozenset = frozenset(), compiled: Conditions | None = None
) -> dict:
    """For each unknown derived fact, the values some rule could still conclude.

    Starts from every value and removes those whose rules are all decided
    False, until nothing changes (removing a value can decide a rule
    further down the chain). Given facts in ``unanswered`` are taken to stay
    unknown (an empty set of values: only a test of "unknown" holds on them).
    ``compiled``: the rulebase's conditions, when the caller has them.
    """
    compiled = compiled or conditions(rulebase)
    fails = compiled.fails
    possible = {f.id: frozenset(f.value_ids()) for f in rulebase.facts.values() if f.derived and f.id not in facts}
    possible.update((name, frozenset()) for name in unanswered)
    rules_for = rulebase.rules_for

    def narrow(name: str, values: frozenset) -> bool:
        """Keep the values of ``name`` some rule could still conclude; whether any went."""
        now = frozenset(
            [
                rule.value
                for rule in rules_for.get(name, ())
                if rule.value in values and not fails[rule](facts, possible)
            ]
        )
        if now == values:
            return False
        possible[name] = now
        return True

    if compiled.order is not None:  # the rules chain without a circle: one pass, each fact after those it reads
        for name in compiled.order:
            if name in possible:
                narrow(name, possible[name])
        return possible
    changed = True
    while changed:
        changed = False
        for name, values in list(possible.items()):
            changed = narrow(name, values) or changed
    return possible


def missing_facts(
    rulebase: Rulebase, facts: dict, assumable: frozenset = frozenset(), compiled: Conditions | None = None
) -> list:
    """Askable facts that could still change the outcome, in the rulebase's declared order.

    A fact in ``assumable`` (some rule can read it as unknown: an
    assumption) is left out when the case can still reach an outcome with
    it unanswered, together with those left out before it: the rules would
    assume it, so it is not asked. Where that would leave nothing to ask,
    nothing is left out. ``compiled``: the rulebase's conditions, when the caller has them.
    """
    compiled = compiled or conditions(rulebase)
    fails, undecided = compiled.fails, compiled.undecided
    possible = possible_values(rulebase, facts, compiled=compiled)
    wanted: set = set()
    visited: set = set()

    def visit(target):
        visited.add(target)
        for rule in rulebase.rules_for.get(target, ()):
            if fails[rule](facts, possible):
                continue
            for name in undecided[rule](facts, possible):
                fact = rulebase.facts[name]
                if not fact.derived:
                    wanted.add(name)
                elif name not in visited:
                    visit(name)

    visit(OUTCOME)
    found = [fact for fact in rulebase.facts.values() if fact.id in wanted]
    if not assumable & wanted:
        return found
    candidates = [fact.id for fact in found if fact.id in assumable]
    if _decidable(compiled, facts, frozenset(candidates)):  # the common case: all of them at once
        unanswered = frozenset(candidates)
    else:  # one at a time, each with those left out before it
        unanswered = frozenset()
        for name in candidates:
            trial = unanswered | {name}
            if len(trial) < len(candidates) and _decidable(compiled, facts, trial):  # all at once do not decide
                unanswered = trial
    return [fact for fact in found if fact.id not in unanswered] or found


def _decidable(compiled: Conditions, facts: dict, unanswered: frozenset) -> bool:
    """Whether some rule could still conclude an outcome with the ``unanswered`` facts left unknown."""
    rulebase = compiled.rulebase
    possible = possible_values(rulebase, facts, unanswered, compiled)
    fails = compiled.fails
    return any(not fails[rule](facts, possible) for rule in rulebase.rules_for.get(OUTCOME, ()))


def unneeded_facts(given: dict, firings: list, reads: dict | None = None) -> list:
    """Given facts that no fired rule read (only meaningful once an outcome is reached).

    ``reads``: rule -> the facts its condition reads (``Conditions.reads``), when the caller has them.
    """
    read: set = set()
    for firing in firings:
        read.update(facts_read(firing.rule.when) if reads is None else reads[firing.rule])
    return [name for name in given if name not in read]


def conflicts(rulebase: Rulebase, facts: dict, concluded: dict, compiled: Conditions | None = None) -> list:
    """(rule, target, other value) for rules that hold now but conclude another value than was used."""
    sure = (compiled or conditions(rulebase)).sure
    rules_for = rulebase.rules_for
    found = []
    for target, value in concluded.items():
        for rule in rules_for.get(target, ()):
            if rule.value != value and sure[rule](facts):
                found.append((rule, target, value))
    return found
