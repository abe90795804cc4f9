"""What durable-rules can run: spor's model of the network it builds from a ruleset, and the limits it checks.

durable-rules hangs building a node of 512 or more sibling tests, and
fails a case (error 303) when more than 64 tests are pending on its
matching stack (docs/durable-rules.md). The loader knows nothing of the
engine, so this layer adds ``ENGINE_LIMITS``, a ``loader.Extension`` that
models the network each rulebase would build and refuses one the engine
cannot take, naming the rules.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter

from spor.common.errors import Problem
from spor.common.messages import Msg
from spor.inference.compiler import MAX_SIBLINGS, TooWide, rule_expression
from spor.rulebase.joiner import Extension, Joiner

MAX_PATHS = 20000  # per rule, when modelling the network
# durable-rules matches with a stack of 64 pending tests (events.c, MAX_STACK_SIZE) and fails a case beyond
# (error 303); spor's model of it (``deepest``) is an upper bound, exact for decision tables (64 runs, 65 fails)
MAX_PENDING = 64


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
    """(trie of tests, rule ids under each node's path): the engine's network as spor models it."""
    trie: dict = {}
    owners: dict = {}
    for rule in rules:
        for path in _paths(rule_expression(rule)):
            node = trie
            key: tuple[str, ...] = ()
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
    below, where, most = max(
        (_deepest(child, key + (atom,)) for atom, child in node.items()), key=lambda found: found[0]
    )
    if passing >= most:
        where, most = key, passing
    return passing - 1 + max(below, 1), where, most


def _passing(children: dict) -> int:
    """How many of these sibling tests one case can pass at once, at most."""
    lists: dict = {}  # fact -> the value sets of its equality and list tests
    others = 0
    for atom in children:
        ((op, arg),) = json.loads(atom).items()
        if not op.startswith("$"):
            lists.setdefault(op, []).append({str(arg)})
        elif op == "$mt" and len(arg) == 1:
            ((fact, pattern),) = arg.items()
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
                raise TooWide(Msg("engine_too_many_paths", limit=MAX_PATHS))
        return out
    if isinstance(expr, dict) and set(expr) == {"$or"}:
        # the engine joins an $or's alternatives in a node of its own (rete.c createForwardAlpha), never shared with
        # another rule's, and every case passes it: what follows the $or hangs under that node
        join = json.dumps({FORWARD: next(_FORWARDS)})
        out = [p + (join,) for part in expr["$or"] for p in _paths(part)]
        if len(out) > MAX_PATHS:
            raise TooWide(Msg("engine_too_many_paths", limit=MAX_PATHS))
        return out
    return [(json.dumps(expr, sort_keys=True),)]


FORWARD = "$forward"  # spor's name, in its model, for the engine's join node of an $or
_FORWARDS = itertools.count(1)


class EngineLimits(Extension):
    """The ``loader.Extension`` that refuses what the inference engine cannot take."""

    name: str = "engine-limits"
    section: str | None = None

    def read(self, joiner: Joiner) -> None:
        return None

    def check(self, joiner: Joiner, rules: list) -> None:
        """Refuse what the engine cannot take: a node of 512 siblings hangs it, 65 pending tests fail a case."""
        try:
            built = network(rules)
            width, owners = fan_out(rules, built)
            depth, pending_owners = deepest(rules, built)
        except TooWide as exc:
            joiner.problems.append(Problem(str(joiner.folder), Msg("engine_rule_too_large", why=exc.args[0])))
            return
        if width > MAX_SIBLINGS:
            joiner.network_problem(
                rules,
                owners,
                lambda names: Msg("engine_too_wide", names=names, width=width, limit=MAX_SIBLINGS),
            )
        if depth > MAX_PENDING:
            joiner.network_problem(
                rules,
                pending_owners,
                lambda names: Msg("engine_too_deep", depth=depth, names=names, limit=MAX_PENDING),
            )


ENGINE_LIMITS = EngineLimits()
