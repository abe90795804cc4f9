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

Boxes that differ in one fact only are merged into one (``merge``), so that
an ``any`` of one-value tests is one box, as the value list it stands for
would be, instead of a product of boxes once ``all`` joins two of them.

An analysis over boxes can still grow with the square of the rules, or
worse; a :class:`Budget` counts its work (one unit per box operation) and
stops it at a bound that does not depend on the machine's speed.
"""

from __future__ import annotations

import time

from spor.rulebase.conditions import All, In, Known, Not

ABSENT = "\0absent"  # never a value id (ids are [a-z0-9_])
MAX_BOXES = 20000
MAX_MERGE_WORK = 1_000_000  # boxes times facts squared: what merging a list of boxes may cost
CLOCK_EVERY = 4096  # work units between two looks at the clock (Budget's safety net)


class TooComplex(Exception):
    """A condition's normal form would exceed MAX_BOXES boxes."""


class OverBudget(Exception):
    """An analysis spent the work units (or the seconds) its Budget allows."""


class Budget:
    """Work units an analysis may spend: one per box operation (an intersection, a subtraction, a step
    of a search).

    Counting work, not time, makes the point where an analysis stops the same
    on every machine and in every run. ``seconds`` is a safety net on top (a
    wall-clock bound, looked at every CLOCK_EVERY units): it stops an analysis
    whose units cost far more than they should. ``cap(units)`` bounds what
    the next part of the work may spend, within the whole.
    """

    def __init__(self, units: int, seconds: float | None = None):
        self.units = units
        self.seconds = seconds
        self.spent = 0
        self.limit = units
        self.timed_out = False
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._clock_at = CLOCK_EVERY

    @property
    def left(self) -> int:
        return max(0, self.units - self.spent)

    def cap(self, units: int) -> None:
        """Let the work from here on spend at most ``units`` more (and no more than is left)."""
        self.limit = min(self.units, self.spent + units)

    def spend(self, units: int = 1) -> None:
        self.spent += units
        if self.spent > self.limit or self.timed_out:
            raise OverBudget()
        if self._deadline is not None and self.spent >= self._clock_at:
            self._clock_at = self.spent + CLOCK_EVERY
            if time.monotonic() > self._deadline:
                self.timed_out = True
                raise OverBudget()


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
        out = merge([box for part in parts for box in part])
        if len(out) > MAX_BOXES:
            raise TooComplex()
        return out
    out = [{}]
    for part in parts:
        joined = []
        for a in out:
            for b in part:
                both = intersect(a, b)
                if both is not None:
                    joined.append(both)
            if len(joined) > MAX_BOXES:  # before the whole product is built
                raise TooComplex()
        out = joined
    return out


def merge(found: list) -> list:
    """The same union of boxes, with boxes that differ in one fact's values only made one.

    Exact: ``{a: S, b: U}`` and ``{a: T, b: U}`` cover what ``{a: S | T, b: U}``
    covers, and boxes of different facts are never merged. A merged box keeps
    the place of the first of its parts.
    """
    names = list(dict.fromkeys(name for box in found for name in box))
    if len(found) < 2 or len(found) * len(names) ** 2 > MAX_MERGE_WORK:
        return found  # (merging only saves work: past a bound it would cost more than it saves)
    changed = True
    while changed:
        changed = False
        for name in names:
            out: list = []
            seen: dict = {}  # the rest of a box (its other facts and their values) -> its place in out
            for box in found:
                if name not in box:
                    out.append(box)
                    continue
                rest = (frozenset(box), frozenset((k, v) for k, v in box.items() if k != name))
                at = seen.get(rest)
                if at is None:
                    seen[rest] = len(out)
                    out.append(box)
                else:
                    out[at] = {**out[at], name: out[at][name] | box[name]}
            if len(out) < len(found):
                changed = True
                found = out
    return found


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


def meets(a: dict, b: dict) -> bool:
    """Whether two boxes share a point: ``intersect(a, b) is not None``, without building it."""
    for fact, values in b.items():
        mine = a.get(fact)
        if mine is not None and mine.isdisjoint(values):
            return False
    return True


def subtract(box: dict, cut: dict, universe: dict) -> list:
    """Disjoint boxes covering ``box`` minus ``cut`` (facts missing from a box range over ``universe``)."""
    if not meets(box, cut):
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


def remainder(start: list, cuts: list, universe: dict, budget: Budget | None = None) -> list:
    """``start`` minus the union of ``cuts``, as disjoint boxes, spending ``budget`` as it goes."""
    left = list(start)
    for cut in cuts:
        if budget is not None:
            budget.spend(len(left))
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


class Neighbours:
    """Which groups of boxes (a rule's, say) may overlap which, without trying every pair.

    An index on one fact, the one that tells the groups apart best: two
    groups can share a point only if both admit a common value of it (a box
    that does not test the fact admits every value). ``of(i)`` lists, in
    order, every group that may overlap group ``i``, itself included: a
    superset of those that do, never missing one. For a decision table over
    two facts of n values each this is n groups per rule instead of n * n.
    """

    def __init__(self, groups: list):
        self.count = len(groups)
        best: tuple | None = None
        for name in dict.fromkeys(name for group in groups for box in group for name in box):
            admits = [_admitted(group, name) for group in groups]
            wild = sum(a is None for a in admits)
            hits: dict = {}
            for values in admits:
                for value in values or ():
                    hits[value] = hits.get(value, 0) + 1
            cost = sum(self.count if a is None else wild + sum(hits[v] for v in a) for a in admits)
            if best is None or cost < best[0]:
                best = (cost, admits)
        self.admits: list = best[1] if best else [None] * self.count
        self.wild = [i for i, a in enumerate(self.admits) if a is None]
        self.buckets: dict = {}
        for i, values in enumerate(self.admits):
            for value in values or ():
                self.buckets.setdefault(value, []).append(i)

    def of(self, i: int) -> list:
        values = self.admits[i]
        if values is None:
            return list(range(self.count))
        found = set(self.wild)
        for value in values:
            found.update(self.buckets[value])
        return sorted(found)


def _admitted(group: list, name: str) -> frozenset | None:
    """The values of ``name`` some box of ``group`` admits (ABSENT among them), or None for every value."""
    out: set = set()
    for box in group:
        if name not in box:
            return None
        out |= box[name]
    return frozenset(out)
