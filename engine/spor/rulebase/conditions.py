"""Condition trees: parsing from rule files, three-valued reading, facts they read.

A condition is a small tree of :class:`In` (the fact has one of these
values), :class:`Known` (the fact has a value), :class:`Not`, :class:`All`
and :class:`Any`. The inference engine does the matching at run time (see
``compiler``); the functions here only *analyse* a condition against what is
known so far, which is what "which questions remain" needs. They use Kleene's
three-valued logic: a test on an unknown fact is ``None`` (undecided) unless
the fact is known never to get a value.
"""

from __future__ import annotations

from spor.common.messages import Msg
from spor.common.reasons import did_you_mean
from spor.common.records import record
from spor.rulebase.vocabulary import scalar_text

RESERVED = {"all", "any", "not"}


@record
class In:
    fact: str
    values: frozenset


@record
class Known:
    fact: str


@record
class Not:
    item: object


@record
class All:
    items: tuple


@record
class Any:
    items: tuple


def truth(node, facts: dict, possible: dict | None = None, negated: bool = False):
    """True, False, or None (undecided) for ``node`` given the known ``facts``.

    ``possible`` maps unknown facts to the values they can still take (an
    empty set: the fact will stay unknown); a test no possible value can pass
    is decided False rather than undecided. Negation follows the compiled
    rules (``compiler.expression``): it is pushed down to the tests, and a
    negated value test needs the fact to be known, as the engine does.
    """
    if isinstance(node, Not):
        return truth(node.item, facts, possible, not negated)
    if isinstance(node, (All, Any)):
        conjunction = isinstance(node, All) != negated
        result: bool | None = conjunction
        for item in node.items:
            value = truth(item, facts, possible, negated)
            if value is not conjunction:
                if value is None:
                    result = None
                else:
                    return value
        return result
    if node.fact in facts:
        held = facts[node.fact] in node.values if isinstance(node, In) else True
        return held != negated
    can_be = possible.get(node.fact) if possible is not None else None
    if isinstance(node, Known):
        if negated:  # "unknown": true now, false once a value arrives
            return True if can_be is not None and not can_be else None
        return False if can_be is not None and not can_be else None
    if can_be is None:
        return None
    passing = can_be - node.values if negated else can_be & node.values
    return None if passing else False


def undecided_facts(node, facts: dict, possible: dict | None = None) -> list:
    """Unknown facts whose value could still decide ``node``, in the order they are read."""
    out: list = []
    _undecided(node, facts, possible, out)
    return out


def _undecided(node, facts, possible, out):
    if truth(node, facts, possible) is not None:
        return
    if isinstance(node, (In, Known)):
        if node.fact not in out:
            out.append(node.fact)
    elif isinstance(node, Not):
        _undecided(node.item, facts, possible, out)
    else:
        for item in node.items:
            _undecided(item, facts, possible, out)


def signed_leaves(node, negated: bool = False):
    """Yield (test, negated) for every test (In or Known) of a condition, in order."""
    if isinstance(node, Not):
        yield from signed_leaves(node.item, not negated)
    elif isinstance(node, (In, Known)):
        yield node, negated
    else:
        for item in node.items:
            yield from signed_leaves(item, negated)


def leaves(node):
    """Yield every test (In or Known) of a condition."""
    return (leaf for leaf, _ in signed_leaves(node))


def facts_read(node) -> list:
    """Every fact a condition mentions, in the order it mentions them."""
    return list(dict.fromkeys(leaf.fact for leaf in leaves(node)))


def unknown_tests(node) -> list:
    """The facts a condition can read as unknown (``known: false``, ``assume``), in the order it reads them.

    A rule that holds because such a fact is unknown answers without it: it
    makes an *assumption*, which results report (``inference.assumptions``).
    """
    return list(
        dict.fromkeys(leaf.fact for leaf, negated in signed_leaves(node) if isinstance(leaf, Known) and negated)
    )


def strict(node, negated: bool = False):
    """``node`` with every test that holds on an unknown fact taken out (never true), or None when nothing is left.

    What a rule says when no assumption may be made (``--no-assume``): an
    unknown fact is never read as an answer. Negation is pushed down to the
    tests first, as the engine does, so the tree returned has ``Not`` only
    directly above a test.
    """
    if isinstance(node, Not):
        return strict(node.item, not negated)
    if isinstance(node, Known) and negated:
        return None  # "the fact is unknown"
    if isinstance(node, (In, Known)):
        return Not(node) if negated else node
    conjunction = isinstance(node, All) != negated
    items = [strict(item, negated) for item in node.items]
    if conjunction:
        if any(item is None for item in items):
            return None
        return items[0] if len(items) == 1 else All(tuple(items))
    kept = [item for item in items if item is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Any(tuple(kept))


class ConditionParser:
    """Builds condition trees from rule-file data, reporting every bad reference.

    ``report(path, message)`` is called for each problem; parsing goes on so
    that one run lists all of them.
    """

    def __init__(self, facts: dict, report, written=lambda path: None):
        self.facts = facts
        self.report = report
        self.written = written  # path -> the scalar as the file spelt it
        self.negations = 0  # how many ``not:`` the test being parsed is under

    def parse(self, data, path):
        items: list[In | Known | Not | All | Any] = []
        for key, value in data.items():
            sub = path + (key,)
            if key == "all":
                items.append(All(tuple(self.parse(d, sub + (i,)) for i, d in enumerate(value))))
            elif key == "any":
                items.append(Any(tuple(self.parse(d, sub + (i,)) for i, d in enumerate(value))))
            elif key == "not":
                self.negations += 1
                try:
                    items.append(Not(self.parse(value, sub)))
                finally:
                    self.negations -= 1
            else:
                items.append(self.test(key, value, sub))
        return items[0] if len(items) == 1 else All(tuple(items))

    def test(self, name, spec, path):
        fact = self.facts.get(name)
        if fact is None:
            self.report(path, Msg("unknown_fact", name=name, hint=did_you_mean(name, self.facts)), at_key=True)
            return Known(name)
        if isinstance(spec, dict):
            ((op, arg),) = spec.items()
            if op == "known":
                return Known(name) if arg else Not(Known(name))
            values = self.values(fact, arg, path + (op,))
            if op == "assume":
                return self.assume(fact, values, path + (op,))
            return Not(In(name, values)) if op == "not" else In(name, values)
        return In(name, self.values(fact, spec, path))

    def assume(self, fact, values: frozenset, path):
        """``{assume: v}``: the fact is ``v``, or unknown and read as ``v`` (the article's answer when nobody has
        said); the same tree as ``any: [{fact: v}, {fact: {known: false}}]``."""
        if fact.derived:
            self.report(path, Msg("assume_derived", fact=fact.id))
            return In(fact.id, values)
        if self.negations % 2:
            self.report(path, Msg("assume_under_not", fact=fact.id))
            return In(fact.id, values)
        return Any((In(fact.id, values), Not(Known(fact.id))))

    def values(self, fact, spec, path) -> frozenset:
        """The value ids of ``spec`` (one value or a list), each checked against the fact."""
        pairs = [(path + (i,), raw) for i, raw in enumerate(spec)] if isinstance(spec, list) else [(path, spec)]
        out = set()
        for where, raw in pairs:
            value = scalar_text(fact, raw, self.written(where))
            if value is None or fact.value(value) is None:
                hint = did_you_mean(str(value), fact.value_ids())
                self.report(where, Msg("not_a_value", raw=raw, fact=fact.id, hint=hint, allowed=fact.value_ids()))
                continue
            out.add(value)
        return frozenset(out)
