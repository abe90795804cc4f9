"""Conditions as sets of boxes, for analysing rules without enumerating cases.

A *box* maps some facts to the set of values each may take (a fact not in
the box may take any value, or be unknown). A condition becomes a list of
boxes, its disjunctive normal form: the condition holds exactly on the
union of the boxes. With boxes, the overlap of two rules is an
intersection, the cases no rule covers are what remains after subtracting
every rule's boxes from the whole space, and one point of a box is a
ready-made example case. The cost follows the number of rules and the
facts they test, not the product of every fact's values (as in the
analysis of DMN decision tables).

``ABSENT`` stands for "the fact is unknown" where a condition can tell
(``known: false``).
"""

from __future__ import annotations

from spor.rulebase.conditions import All, In, Known, Not

ABSENT = "\0absent"  # never a value id (ids are [a-z0-9_])
MAX_BOXES = 20000


class TooComplex(Exception):
    """A condition's normal form would exceed MAX_BOXES boxes."""


def domain(fact) -> frozenset:
    return frozenset(fact.value_ids())


def boxes(node, facts: dict, negate: bool = False) -> list:
    """The boxes on which ``node`` holds (``facts`` gives each fact's values)."""
    if isinstance(node, Not):
        return boxes(node.item, facts, not negate)
    if isinstance(node, In):
        values = domain(facts[node.fact]) - node.values if negate else node.values
        return [{node.fact: frozenset(values)}] if values else []
    if isinstance(node, Known):
        return [{node.fact: frozenset({ABSENT})}] if negate else [{node.fact: domain(facts[node.fact])}]
    conjunction = isinstance(node, All) != negate
    parts = [boxes(item, facts, negate) for item in node.items]
    if not conjunction:
        out = [box for part in parts for box in part]
        if len(out) > MAX_BOXES:
            raise TooComplex()
        return out
    out = [{}]
    for part in parts:
        out = [merged for a in out for b in part if (merged := intersect(a, b)) is not None]
        if len(out) > MAX_BOXES:
            raise TooComplex()
    return out


def intersect(a: dict, b: dict):
    """The box where both hold, or None when they share no point."""
    out = dict(a)
    for fact, values in b.items():
        if fact in out:
            values = out[fact] & values
            if not values:
                return None
        out[fact] = values
    return out


def subtract(box: dict, cut: dict, universe: dict) -> list:
    """Disjoint boxes covering ``box`` minus ``cut`` (facts missing from a box range over ``universe``)."""
    if intersect(box, cut) is None:
        return [box]
    out, rest = [], dict(box)
    for fact, values in cut.items():
        current = rest.get(fact, universe[fact])
        outside = current - values
        if outside:
            piece = dict(rest)
            piece[fact] = outside
            out.append(piece)
        rest[fact] = current & values
    return out


def remainder(start: list, cuts: list, universe: dict) -> list:
    """``start`` minus the union of ``cuts``, as disjoint boxes."""
    left = list(start)
    for cut in cuts:
        left = [piece for box in left for piece in subtract(box, cut, universe)]
        if len(left) > MAX_BOXES:
            raise TooComplex()
        if not left:
            break
    return left


def point(box: dict) -> dict:
    """The smallest case inside ``box``: facts it allows to be unknown are left out."""
    out = {}
    for fact, values in sorted(box.items()):
        real = sorted(v for v in values if v != ABSENT)
        if ABSENT in values or not real:
            continue
        out[fact] = real[0]
    return out
