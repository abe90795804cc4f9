"""Turn a rulebase into a durable-rules ruleset definition.

Each case lives in the inference engine as one fact, a *snapshot*: a mapping
from fact name to value id. A rule matches a snapshot when its condition
holds and its target is still unknown; its action (see ``evaluate``)
retracts the snapshot and asserts a new one with the concluded value, so
further rules chain on it. The target guard makes every rule fire at most
once per case, so chaining always ends.

Conditions become the engine's declarative JSON operators only: equality,
``$neq``, ``$ex``/``$nex``, ``$and``/``$or``. Negation is pushed down to the
tests, and a negated test also requires the fact to be present, so an
unknown fact never satisfies "is not X" (three-valued logic, as in
``conditions.truth``). Nothing from a rule file becomes code.
"""
from __future__ import annotations

from .conditions import All, Any, In, Known, Not
from .model import OUTCOME, Rulebase

OUTCOME_KEY = "_outcome"  # fact ids start with a letter, so this cannot clash
ALIAS = "m"


def snapshot_key(target: str) -> str:
    return OUTCOME_KEY if target == OUTCOME else target


def rule_name(index: int) -> str:
    return f"r{index}"


def compile_rulebase(rulebase: Rulebase) -> dict:
    """``{rule_name: {"all": [{"m": expression}], "pri": n}}`` for every rule (no actions yet)."""
    definition = {}
    for rule in rulebase.rules:
        guard = {"$nex": {snapshot_key(rule.target): 1}}
        definition[rule_name(rule.index)] = {
            "all": [{ALIAS: _join("$and", [guard, expression(rule.when)])}],
            "pri": rule.priority,
        }
    return definition


def expression(node, negate: bool = False) -> dict:
    """The durable-rules expression for a condition node (negated when ``negate``)."""
    if isinstance(node, Not):
        return expression(node.item, not negate)
    if isinstance(node, In):
        values = sorted(node.values)
        if negate:
            return _join("$and", [{"$ex": {node.fact: 1}}] + [{"$neq": {node.fact: v}} for v in values])
        return _join("$or", [{node.fact: v} for v in values])
    if isinstance(node, Known):
        return {"$nex" if negate else "$ex": {node.fact: 1}}
    if isinstance(node, All):
        op = "$or" if negate else "$and"
    elif isinstance(node, Any):
        op = "$and" if negate else "$or"
    else:
        raise TypeError(f"not a condition node: {node!r}")
    return _join(op, [expression(item, negate) for item in node.items])


def _join(op: str, parts: list) -> dict:
    flat = []
    for part in parts:
        flat.extend(part[op] if set(part) == {op} else [part])
    return flat[0] if len(flat) == 1 else {op: flat}
