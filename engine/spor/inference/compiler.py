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

from spor.rulebase.conditions import All, Any, In, Known, Not
from spor.rulebase.model import OUTCOME, WARNING, Rulebase

OUTCOME_KEY = "_outcome"  # fact ids start with a letter, so this cannot clash
WARNING_KEY = "_warning"
CASE_KEY = "_case"  # every snapshot has it, and every rule tests it first
ALIAS = "m"
# durable-rules loops forever building a node with 512 or more sibling
# conditions (docs/durable-rules.md); stay well below.
MAX_SIBLINGS = 500
MAX_REGEX = 3000  # characters; the engine refuses ~4,000 (error 503)
MAX_ENGINE_RULES = 4095  # one ruleset takes 4,096 rules (error 106 beyond); spor adds its priming rule
# durable-rules orders by priority, lower first, but only for values of 0 and
# up (a negative one fires last); the schema allows -1000..1000
PRIORITY_OFFSET = 1000


def snapshot_key(target: str, index: int = 0) -> str:
    """The key of a snapshot a rule writes its conclusion to (``index``: the rule's, for a warning rule's own key)."""
    if target == WARNING:
        return f"{WARNING_KEY}{index}"  # every warning rule fires once, whatever the others do
    return OUTCOME_KEY if target == OUTCOME else target


def rule_name(index: int) -> str:
    return f"r{index}"


def compile_rulebase(rulebase: Rulebase) -> dict:
    """``{rule_name: {"all": [{"m": expression}], "pri": n}}`` for every rule (no actions yet)."""
    return {
        rule_name(rule.index): {"all": [{ALIAS: rule_expression(rule)}], "pri": rule.priority + PRIORITY_OFFSET}
        for rule in rulebase.rules
    }


def rule_expression(rule) -> dict:
    """A rule's condition, guarded so that it fires only on a case, while its target is unknown.

    The positive test on ``_case`` comes first because durable-rules re-fires
    a rule made only of ``$nex`` tests for ever (a rule of ``known: false``
    tests would be one), and it keeps the priming fact from matching rules.
    """
    guard = {"$nex": {snapshot_key(rule.target, rule.index): 1}}
    return _join("$and", [{CASE_KEY: 1}, guard, expression(rule.when)])


def widest(expr) -> int:
    """The largest number of sibling conditions anywhere in an expression."""
    if isinstance(expr, dict):
        return max([widest(v) for v in expr.values()] + [0])
    if isinstance(expr, list):
        return max([len(expr)] + [widest(v) for v in expr])
    return 0


def expression(node, negate: bool = False) -> dict:
    """The durable-rules expression for a condition node (negated when ``negate``)."""
    if isinstance(node, Not):
        return expression(node.item, not negate)
    if isinstance(node, In):
        values = sorted(node.values)
        if negate:
            return _join("$and", [{"$ex": {node.fact: 1}}] + [{"$neq": {node.fact: v}} for v in values])
        return one_of(node.fact, values)
    if isinstance(node, Known):
        return {"$nex" if negate else "$ex": {node.fact: 1}}
    if isinstance(node, All):
        op = "$or" if negate else "$and"
    elif isinstance(node, Any):
        op = "$and" if negate else "$or"
    else:
        raise TypeError(f"not a condition node: {node!r}")
    return _join(op, [expression(item, negate) for item in node.items])


def one_of(fact: str, values: list) -> dict:
    """Membership as few conditions as possible.

    An ``$or`` of equalities puts one sibling per value in the engine's
    network, and 512 siblings hang it; a full-match regex (``$mt``) over the
    value ids (plain ``[a-z0-9_]``, nothing to escape) is one condition.
    The engine refuses regexes of about 4,000 characters, so long lists are
    cut into several.
    """
    if len(values) == 1:
        return {fact: values[0]}
    chunks: list[list[str]] = []
    current: list[str] = []
    for value in values:
        if current and sum(len(v) + 1 for v in current) + len(value) > MAX_REGEX:
            chunks.append(current)
            current = []
        current.append(value)
    chunks.append(current)
    tests = [{fact: c[0]} if len(c) == 1 else {"$mt": {fact: "|".join(c)}} for c in chunks]
    return _join("$or", tests)


class TooWide(Exception):
    """A rule would build more of the engine's network than it can take."""


def _join(op: str, parts: list) -> dict:
    """``{op: parts}``, with nested ``op`` lists merged in while the list stays short."""
    flat: list[dict] = []
    for part in parts:
        inner = part[op] if set(part) == {op} else [part]
        if len(flat) + len(inner) > MAX_SIBLINGS // 2:
            inner = [part]  # merging would make a wide node: keep the nesting
        flat.extend(inner)
    return flat[0] if len(flat) == 1 else {op: flat}
