"""Which facts are still missing, and which given facts did not matter.

This is analysis of the rules, not a second evaluator: durable-rules decides
what fires; this module looks at the rules that have *not* fired and asks
which unknown facts could still make one of them fire, starting from the
outcome and working back through the derived facts (goal-directed, as an
expert system's questioning is). A fact whose every possible answer leaves
the result unchanged is never listed.
"""
from __future__ import annotations

from .conditions import facts_read, truth, undecided_facts
from .model import OUTCOME, Rulebase


def settled_facts(rulebase: Rulebase, facts: dict) -> frozenset:
    """Unknown derived facts that no rule can conclude any more, whatever is asked."""
    settled = {f.id for f in rulebase.facts.values() if f.derived and f.id not in facts and f.id not in rulebase.rules_for}
    changed = True
    while changed:
        changed = False
        for target, rules in rulebase.rules_for.items():
            if target == OUTCOME or target in facts or target in settled:
                continue
            frozen = frozenset(settled)
            if all(truth(rule.when, facts, frozen) is False for rule in rules):
                settled.add(target)
                changed = True
    return frozenset(settled)


def missing_facts(rulebase: Rulebase, facts: dict) -> list:
    """Askable facts that could still change the outcome, in the rulebase's declared order."""
    settled = settled_facts(rulebase, facts)
    wanted: set = set()
    visited: set = set()

    def visit(target):
        visited.add(target)
        for rule in rulebase.rules_for.get(target, ()):
            if truth(rule.when, facts, settled) is False:
                continue
            for name in undecided_facts(rule.when, facts, settled):
                fact = rulebase.facts[name]
                if not fact.derived:
                    wanted.add(name)
                elif name not in visited:
                    visit(name)

    visit(OUTCOME)
    return [fact for fact in rulebase.facts.values() if fact.id in wanted]


def unneeded_facts(rulebase: Rulebase, given: dict, firings: list) -> list:
    """Given facts that no fired rule read (only meaningful once an outcome is reached)."""
    read = set()
    for firing in firings:
        read.update(facts_read(firing.rule.when))
    return [name for name in given if name not in read]


def conflicts(rulebase: Rulebase, facts: dict, concluded: dict) -> list:
    """(rule, target, other value) for rules that hold now but conclude another value than was used."""
    found = []
    for target, value in concluded.items():
        for rule in rulebase.rules_for.get(target, ()):
            if rule.value != value and truth(rule.when, facts) is True:
                found.append((rule, target, value))
    return found
