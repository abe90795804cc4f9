"""Checks that follow rules across each other: derived facts that depend on themselves, ``{fact}``s unknown.

They run on the joined rules, after every reference has been resolved, and
give problems at the rule or text they are about.
"""

from __future__ import annotations

from spor.common.errors import Problem
from spor.common.messages import Msg
from spor.rulebase.boxes import ABSENT, TooComplex, boxes
from spor.rulebase.conditions import facts_read
from spor.rulebase.model import OUTCOME, Fact, Rule


def placeholder_problems(filled: dict, facts: dict[str, Fact], rules: list[Rule]) -> list[Problem]:
    """A {fact} in an outcome's text must be known whenever a rule reaches that outcome.

    ``filled``: outcome id -> {fact named by a placeholder: (document, path of the text)}.
    """
    problems = []
    for rule in rules:
        if not facts.keys() >= set(facts_read(rule.when)):
            continue  # an unknown fact is already reported where the rule names it
        for name, (doc, where) in filled.get(rule.value if rule.target == OUTCOME else None, {}).items():
            try:
                regions = boxes(rule.when, facts)
            except TooComplex:
                continue
            if any(name not in box or ABSENT in box[name] for box in regions):
                problems.append(
                    doc.problem(
                        where,
                        Msg("placeholder_may_be_unknown", name=name, rule=rule.id),
                    )
                )
    return problems


def derivation_problems(facts: dict[str, Fact], rules: list[Rule]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings): derived facts need rules (a warning), and may not depend on themselves (an error)."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    depends: dict[str, set[str]] = {}
    for rule in rules:
        if rule.target != OUTCOME:
            depends.setdefault(rule.target, set()).update(
                f for f in facts_read(rule.when) if facts.get(f) and facts[f].derived
            )
    for fact in facts.values():
        if fact.derived and fact.id not in depends:
            warnings.append(
                Problem(
                    fact.file,
                    Msg("underived_fact", fact=fact.id),
                    fact.line,
                    fact.column,
                    severity="warning",
                    code="underived_fact",
                )
            )
    for start in depends:
        cycle = _cycle(start, depends)
        if cycle and cycle[0] == min(cycle):
            ring = cycle + [cycle[0]]
            for target, source in zip(ring, ring[1:]):  # the rules that close the circle
                for rule in rules:
                    if rule.target == target and source in facts_read(rule.when):
                        errors.append(
                            Problem(
                                rule.file,
                                Msg(
                                    "derivation_cycle",
                                    rule=rule.id,
                                    target=target,
                                    source=source,
                                    ring=" -> ".join(ring),
                                ),
                                rule.line,
                                rule.column,
                            )
                        )
    return errors, warnings


def _cycle(start: str, depends: dict[str, set[str]], path: list[str] | None = None) -> list[str] | None:
    path = path or [start]
    for nxt in sorted(depends.get(path[-1], ())):
        if nxt == start:
            return path
        if nxt not in path:
            found = _cycle(start, depends, path + [nxt])
            if found:
                return found
    return None
