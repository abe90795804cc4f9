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

import itertools
import json
from collections import Counter

from spor.rulebase.conditions import All, Any, In, Known, Not
from spor.rulebase.model import OUTCOME, Rulebase

OUTCOME_KEY = "_outcome"  # fact ids start with a letter, so this cannot clash
CASE_KEY = "_case"  # every snapshot has it, and every rule tests it first
ALIAS = "m"
# durable-rules loops forever building a node with 512 or more sibling
# conditions (shared/notes/durable-rules.md); stay well below.
MAX_SIBLINGS = 500
MAX_REGEX = 3000  # characters; the engine refuses ~4,000 (error 503)
MAX_ENGINE_RULES = 4095  # one ruleset takes 4,096 rules (error 106 beyond); spor adds its priming rule
MAX_PATHS = 20000  # per rule, when modelling the network
# durable-rules matches with a stack of 64 pending tests (events.c, MAX_STACK_SIZE) and fails a case beyond
# (error 303); spor's model of it (compiler.deepest) is an upper bound, exact for decision tables (64 runs, 65 fails)
MAX_PENDING = 64
# durable-rules orders by priority, lower first, but only for values of 0 and
# up (a negative one fires last); the schema allows -1000..1000
PRIORITY_OFFSET = 1000


def snapshot_key(target: str) -> str:
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
    guard = {"$nex": {snapshot_key(rule.target): 1}}
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
    chunks, current = [], []
    for value in values:
        if current and sum(len(v) + 1 for v in current) + len(value) > MAX_REGEX:
            chunks.append(current)
            current = []
        current.append(value)
    chunks.append(current)
    tests = [{fact: c[0]} if len(c) == 1 else {"$mt": {fact: "|".join(c)}} for c in chunks]
    return _join("$or", tests)


def fan_out(rules, built=None) -> tuple:
    """(widest fan-out, rule ids under it) of the network the engine would build.

    Models what durable-rules does with a ruleset: each rule's expression
    becomes paths of tests (``$and`` in sequence, ``$or`` as alternatives),
    and rules that start with the same tests share those nodes. The widest
    node must stay under the engine's limit.
    """
    trie, owners = built or network(rules)
    widest_node, widest_key = _widest(trie, ())
    return widest_node, sorted(owners.get(widest_key, ()))


def network(rules) -> tuple:
    """(trie of tests, rule ids under each node's path): the engine's network as spor models it (for fan_out, deepest)."""
    trie: dict = {}
    owners: dict = {}
    for rule in rules:
        for path in _paths(rule_expression(rule)):
            node, key = trie, ()
            for atom in path:
                node = node.setdefault(atom, {})
                key += (atom,)
                owners.setdefault(key[:-1], set()).add(rule.id)
    return trie, owners


def deepest(rules, built=None) -> tuple:
    """(most tests the engine may hold pending at once while matching one case, rule ids under it).

    durable-rules walks its network with a stack of 64 entries and fails
    the case (error 303) when a node's passing tests do not fit: it pushes
    every test under a node that the case passes, then goes down the last.
    This bounds that from above: under a node, equality and value-list tests
    on one fact count as many as can pass together (a value is in how many
    lists), every other test (known, unknown, not equal, and the node that
    joins an ``$or``, one per rule) as passing.
    """
    trie, owners = built or network(rules)
    depth, key, _ = _deepest(trie, ())
    return depth, sorted(owners.get(key, ()))


def _deepest(node: dict, key: tuple) -> tuple:
    """(pending tests at most below ``node``, the path of the node on the way that adds most, how many it adds)."""
    passing = _passing(node)
    if not passing:
        return 0, key, 0
    below, where, most = max((_deepest(child, key + (atom,)) for atom, child in node.items()), key=lambda found: found[0])
    if passing >= most:
        where, most = key, passing
    return passing - 1 + max(below, 1), where, most


def _passing(children: dict) -> int:
    """How many of these sibling tests one case can pass at once, at most."""
    lists: dict = {}  # fact -> the value sets of its equality and list tests
    others = 0
    for atom in children:
        (op, arg), = json.loads(atom).items()
        if not op.startswith("$"):
            lists.setdefault(op, []).append({str(arg)})
        elif op == "$mt" and len(arg) == 1:
            (fact, pattern), = arg.items()
            lists.setdefault(fact, []).append(set(pattern.split("|")))
        else:
            others += 1
    for sets in lists.values():
        others += max(Counter(value for values in sets for value in values).values())  # the value in most of them
    return others


def _widest(node: dict, key: tuple) -> tuple:
    best = (len(node), key)
    for atom, child in node.items():
        found = _widest(child, key + (atom,))
        if found[0] > best[0]:
            best = found
    return best


def _paths(expr) -> list:
    """The sequences of single tests an expression stands for (its disjunctive normal form)."""
    if isinstance(expr, dict) and set(expr) == {"$and"}:
        out = [()]
        for part in expr["$and"]:
            out = [a + b for a in out for b in _paths(part)]
            if len(out) > MAX_PATHS:
                raise TooWide(f"more than {MAX_PATHS:,} alternative paths")
        return out
    if isinstance(expr, dict) and set(expr) == {"$or"}:
        # the engine joins an $or's alternatives in a node of its own (rete.c createForwardAlpha), never shared with
        # another rule's, and every case passes it: what follows the $or hangs under that node
        join = json.dumps({FORWARD: next(_FORWARDS)})
        out = [p + (join,) for part in expr["$or"] for p in _paths(part)]
        if len(out) > MAX_PATHS:
            raise TooWide(f"more than {MAX_PATHS:,} alternative paths")
        return out
    return [(json.dumps(expr, sort_keys=True),)]


FORWARD = "$forward"  # spor's name, in its model, for the engine's join node of an $or
_FORWARDS = itertools.count(1)


class TooWide(Exception):
    """A rule would build more of the engine's network than it can take."""


def _join(op: str, parts: list) -> dict:
    """``{op: parts}``, with nested ``op`` lists merged in while the list stays short."""
    flat = []
    for part in parts:
        inner = part[op] if set(part) == {op} else [part]
        if len(flat) + len(inner) > MAX_SIBLINGS // 2:
            inner = [part]  # merging would make a wide node: keep the nesting
        flat.extend(inner)
    return flat[0] if len(flat) == 1 else {op: flat}
