"""Static verification of a rulebase: gaps, conflicts, dead and redundant rules.

Each *decision* (the rules that conclude one derived fact, or the outcome)
is a decision table over the facts its rules read. Its rules are turned into
boxes (see ``boxes``) and checked the way DMN decision tables are:

* **gap**: cases where every fact the table reads is known, yet no rule
  concludes anything;
* **conflict**: cases where two rules conclude different values, and two
  rules that hold on exactly the same cases with different values (one
  always fires first, yet neither is a special case of the other);
* **unreachable**: a rule whose condition can never hold, or needs derived
  values that never occur (named in the message), or never together;
* **masked**: a rule that can hold, but only where a rule with another value
  holds too, so it never decides anything;
* **redundant** (a warning): wherever the rule holds, other rules with the
  same conclusion hold too.

A region over derived facts counts only if some case of given facts really
produces it: ``realise`` works back through the rules that derive each
value until only given facts remain, and the point it finds is the example
case printed with the finding. Each finding carries such an example where
one exists, ready to save as a case file.

Rules are paired only where they may overlap (``boxes.Neighbours``), which
changes no finding. The pairwise checks can still cost the square of a
decision's rules, and more for wide conditions, so they run on a budget of
work units
(``CHECK_BUDGET``, ``boxes.Budget``): each decision may spend at most half
of what is left when it starts, so that one huge decision leaves work for
the others. A decision whose analysis runs out is reported
(``not_analysed``, an error: nothing proves it sound), naming its rules;
the findings made for it before are kept, each true as it stands.
"""

from __future__ import annotations

from spor.analysis.report import Finding, Report, finding
from spor.analysis.unused import unused_names
from spor.common.messages import Joined, Msg
from spor.inference.compiler import MAX_ENGINE_RULES
from spor.rulebase.boxes import (
    ABSENT,
    Budget,
    Neighbours,
    OverBudget,
    TooComplex,
    boxes,
    domain,
    intersect,
    point,
    remainder,
)
from spor.rulebase.conditions import facts_read
from spor.rulebase.model import OUTCOME, WARNING, Rulebase

__all__ = ["CHECK_BUDGET", "CHECK_SECONDS", "Finding", "Report", "Verifier", "verify"]

MAX_REALISE_STEPS = 5000
MAX_GAPS_PER_DECISION = 5
CHECK_BUDGET = 10_000_000  # work units for every decision together (boxes.Budget): seconds, not minutes
CHECK_SECONDS = 20.0  # the safety net behind it: a wall-clock bound on the analysis of decisions


class Verifier:
    """Verifies one rulebase; ``run()`` returns a Report."""

    def __init__(self, rulebase: Rulebase, budget: int = CHECK_BUDGET, seconds: float | None = CHECK_SECONDS):
        self.rb = rulebase
        self.facts = rulebase.facts
        self.rule_boxes: dict = {}  # rule index -> list of boxes (realisable or not)
        self.findings: list = []
        self.steps = 0
        self.rank = _ranks(rulebase)
        self.budget = Budget(budget, seconds)

    # -- helpers ------------------------------------------------------------
    def add(self, severity, code, message, at=None, *, decision=None, rules=(), example=None):
        self.findings.append(finding(severity, code, message, at, decision=decision, rules=rules, example=example))

    def boxes_of(self, rule) -> list:
        if rule.index not in self.rule_boxes:
            self.rule_boxes[rule.index] = boxes(rule.when, self.facts)
        return self.rule_boxes[rule.index]

    def realise(self, box: dict):
        """``box`` narrowed to what some case produces, or None when no case can.

        Derived facts are expanded downstream first, and each keeps the value
        chosen for it, so that two rules can never realise one fact with two
        different values.
        """
        self.steps = 0
        return self._realise(box, frozenset())

    def _realise(self, box: dict, done: frozenset):
        self.steps += 1
        if self.steps > MAX_REALISE_STEPS:
            raise TooComplex()
        self.budget.spend()
        pending = [f for f in box if self.facts[f].derived and f not in done]
        if not pending:
            return box
        name = max(pending, key=lambda f: self.rank[f])
        wanted = box[name]
        for rule in self.rb.rules_for.get(name, ()):
            if rule.value not in wanted:
                continue
            rule_boxes = self.boxes_of(rule)
            self.budget.spend(len(rule_boxes))
            for rule_box in rule_boxes:
                merged = intersect({**box, name: frozenset({rule.value})}, rule_box)
                if merged is not None:
                    found = self._realise(merged, done | {name})
                    if found is not None:
                        return found
        return None  # ABSENT alone (never derived) is not pursued: upstream gaps report it

    def example(self, box: dict) -> dict | None:
        """The smallest case (given facts only) inside ``box``, or None if no case reaches it.

        A search that runs out of steps raises TooComplex: "could not tell"
        must not be reported as "impossible".
        """
        found = self.realise(box)
        if found is None:
            return None
        return point({k: v for k, v in found.items() if not self.facts[k].derived})

    # -- checks -------------------------------------------------------------
    def run(self) -> Report:
        self.findings.extend(unused_names(self.rb))
        if len(self.rb.rules) > MAX_ENGINE_RULES:
            self.add(
                "error",
                "too_many_rules",
                Msg("check_too_many_rules", count=len(self.rb.rules), limit=MAX_ENGINE_RULES),
                self.rb.rules[MAX_ENGINE_RULES],
            )
        for target, rules in self.rb.rules_for.items():
            if not self.budget.left or self.budget.timed_out:
                self.not_analysed(target, rules, started=False)
                continue
            self.budget.cap(max(1, self.budget.left // 2))
            try:
                self.decision(target, rules)
            except TooComplex:
                first = rules[0]
                self.add(
                    "warning",
                    "too_complex",
                    Msg("check_too_complex", decision=target),
                    first,
                    decision=target,
                )
            except OverBudget:
                self.not_analysed(target, rules, started=True)
        order = {"error": 0, "warning": 1}
        self.findings.sort(key=lambda f: (order[f.severity], f.file, f.line or 0, f.column or 0, f.code))
        return Report(self.findings)

    def not_analysed(self, target: str, rules: list, started: bool):
        """The finding for a decision whose analysis the budget stopped (or never let start)."""
        budget = self.budget
        if budget.timed_out:
            why = Msg("check_time_limit", seconds=f"{budget.seconds:g}")
        elif started:
            why = Msg("check_over_share", units=budget.units)
        else:
            why = Msg("check_budget_spent", units=budget.units)
        names = _names(rules[:5])
        shown = names if len(rules) <= 5 else Msg("and_more", names=names, count=len(rules) - 5)
        count = Msg("n_rules_one" if len(rules) == 1 else "n_rules", count=len(rules))
        key = "check_not_fully_analysed" if started else "check_not_analysed"
        message = Msg(key, decision=target, why=why, rules=count, names=shown)
        self.add("error", "not_analysed", message, rules[0], decision=target, rules=rules)

    def decision(self, target: str, rules: list):
        live = {}
        for rule in rules:
            found = self.boxes_of(rule)
            if not found:
                self.add(
                    "error",
                    "unreachable",
                    Msg("check_contradicts_itself", rule=rule.id),
                    rule,
                    decision=target,
                    rules=[rule],
                )
                continue
            realisable = [b for b in found if self.example(b) is not None]
            if not realisable:
                self.add(
                    "error",
                    "unreachable",
                    Msg("check_never_fires", rule=rule.id, why=self.never(found[0])),
                    rule,
                    decision=target,
                    rules=[rule],
                )
                continue
            live[rule.index] = realisable
        if target == WARNING:
            return  # warnings are no decision: any number may hold for a case, and none must
        live_rules = [r for r in rules if r.index in live]
        groups = [live[r.index] for r in live_rules]
        self.budget.spend(sum(len(group) for group in groups) * len(self.universe(live_rules)))  # the index's work
        near = Neighbours(groups)  # which rules may overlap which
        masked = self.masked(target, live_rules, live, near)
        self.conflicts(target, live_rules, live, masked, near)
        self.redundant(target, live_rules, live, masked, near)
        self.gaps(target, rules, live)

    def never(self, box: dict) -> Msg:
        """Why no case reaches ``box``: a derived value that never occurs, or several that never meet."""
        derived = {k: v for k, v in sorted(box.items()) if self.facts[k].derived}
        given = {k: v for k, v in box.items() if not self.facts[k].derived}
        try:
            alone = [name for name in derived if self.realise({name: derived[name]}) is None]
        except TooComplex:  # say no more than is known
            return Msg("check_never_together")
        if alone:
            return Msg("check_never_produces", wanted=_condition(alone[0], derived[alone[0]]))
        wanted = Joined([_condition(name, values) for name, values in derived.items()], Msg("sep_together"))
        narrowed = _narrowing(given, {k: domain(self.facts[k]) for k in given})
        if narrowed:
            return Msg("check_never_produces_with", given=narrowed, wanted=wanted)
        return Msg("check_never_produces", wanted=wanted)

    def neighbours(self, rules, near, i, after=-1) -> list:
        """The rules of ``rules`` after place ``after`` that may overlap ``rules[i]`` (by ``near``), in order:
        the others share no case with it, so leaving them out changes no finding."""
        found = near.of(i)
        self.budget.spend(len(found))
        return [rules[j] for j in found if j > after]

    def conflicts(self, target, rules, live, masked, near):
        for i, a in enumerate(rules):
            if a.index in masked:
                continue  # a masked rule's finding already names the rules that hide it
            for b in self.neighbours(rules, near, i, after=i):
                if a.value == b.value or b.index in masked:
                    continue
                example = self._overlap(live[a.index], live[b.index])
                if example is not None:
                    self.add(
                        "error",
                        "conflict",
                        Msg(
                            "check_conflict",
                            a=a.id,
                            b=b.id,
                            first=_show(target, a.value),
                            second=_show(target, b.value),
                        ),
                        b,
                        decision=target,
                        rules=[a, b],
                        example=example,
                    )

    def _overlap(self, left, right):
        for x in left:
            for y in right:
                self.budget.spend()
                both = intersect(x, y)
                if both is not None:
                    example = self.example(both)
                    if example is not None:
                        return example
        return None

    def masked(self, target, rules, live, near) -> set:
        """Rules that hold only where an earlier rule with another conclusion holds too.

        A rule that holds exactly where one earlier rule with another
        conclusion holds is no special case that rule overrides: the two
        contradict each other, and are reported as a ``conflict``.
        """
        universe = self.universe(rules, absent=True)
        found = set()
        for i, rule in enumerate(rules):
            mine = live[rule.index]
            near_mine = self.neighbours(rules, near, i)
            earlier = [r for r in near_mine if r.value != rule.value and _fires_before(r, rule)]
            if earlier and not self._left(mine, [b for r in earlier for b in live[r.index]], universe):
                hiding = [r for r in earlier if self._overlap(mine, live[r.index]) is not None]
                twin = next((r for r in hiding if self.same(mine, live[r.index], universe)), None)
                if twin is not None:
                    self.add(
                        "error",
                        "conflict",
                        Msg(
                            "check_twins",
                            a=twin.id,
                            b=rule.id,
                            first=_show(target, twin.value),
                            second=_show(target, rule.value),
                        ),
                        rule,
                        decision=target,
                        rules=[twin, rule],
                        example=self.example(mine[0]),
                    )
                else:
                    self.add(
                        "error",
                        "masked",
                        Msg(
                            "check_masked_one" if len(hiding) == 1 else "check_masked",
                            rule=rule.id,
                            names=_names(hiding),
                        ),
                        rule,
                        decision=target,
                        rules=[rule, *hiding],
                        example=self.example(mine[0]),
                    )
                found.add(rule.index)
        return found

    def same(self, left, right, universe) -> bool:
        """Whether two sets of boxes hold for the same cases (that some case reaches)."""
        return not self._left(left, right, universe) and not self._left(right, left, universe)

    def redundant(self, target, rules, live, masked, near):
        """Rules other rules with the same conclusion cover entirely; once one is flagged, it no
        longer counts as cover for the others (deleting every flagged rule keeps the table whole)."""
        universe = self.universe(rules, absent=True)
        flagged = set(masked)
        for i, rule in enumerate(rules):
            if rule.index in flagged:
                continue
            mine = live[rule.index]
            near_mine = self.neighbours(rules, near, i)
            same = [r for r in near_mine if r is not rule and r.value == rule.value and r.index not in flagged]
            if not same or self._left(mine, [b for r in same for b in live[r.index]], universe):
                continue
            single = [r for r in same if not self._left(mine, live[r.index], universe)]
            cover = single[:1] or [r for r in same if self._overlap(mine, live[r.index]) is not None]
            self.add(
                "warning",
                "redundant",
                Msg("check_redundant_one" if len(cover) == 1 else "check_redundant", rule=rule.id, names=_names(cover)),
                rule,
                decision=target,
                rules=[rule, *cover],
                example=self.example(mine[0]),
            )
            flagged.add(rule.index)

    def _left(self, start, cuts, universe):
        return [b for b in remainder(start, cuts, universe, self.budget) if self.example(b) is not None]

    def universe(self, rules, absent=False) -> dict:
        names = []
        for rule in rules:
            for name in facts_read(rule.when):
                if name not in names:
                    names.append(name)
        extra = frozenset({ABSENT}) if absent else frozenset()
        return {name: domain(self.facts[name]) | extra for name in names}

    def gaps(self, target, rules, live):
        universe = self.universe(rules)
        cuts = [b for r in rules if r.index in live for b in live[r.index]]
        at = self.facts.get(target) if target != OUTCOME else rules[0]
        reported = 0
        for hole in remainder([{}], cuts, universe, self.budget):
            found = self.realise(hole)
            if found is None:
                continue
            reported += 1
            if reported <= MAX_GAPS_PER_DECISION:
                shown = _describe({k: v for k, v in found.items() if k in universe}, universe)
                what = Msg("check_gap_outcome") if target == OUTCOME else Msg("check_gap_value", fact=target)
                base = {k: v for k, v in found.items() if not self.facts[k].derived}
                self.add(
                    "error", "gap", Msg("check_gap", what=what, when=shown), at, decision=target, example=point(base)
                )
        if reported > MAX_GAPS_PER_DECISION:
            self.add(
                "error",
                "gap",
                Msg("check_more_gaps", count=reported - MAX_GAPS_PER_DECISION, decision=target),
                at,
                decision=target,
            )


def _names(rules) -> str:
    return ", ".join(repr(r.id) for r in rules)


def _show(target, value) -> Msg | str:
    return Msg("check_outcome", value=value) if target == OUTCOME else f"{target} = {value}"


def _ranks(rb: Rulebase) -> dict:
    """Depth of each derived fact in the derivation graph (given facts: 0)."""
    rank: dict = {}

    def depth(name):
        if name not in rank:
            rank[name] = 0
            inputs = {f for r in rb.rules_for.get(name, ()) for f in facts_read(r.when) if rb.facts[f].derived}
            rank[name] = 1 + max((depth(f) for f in inputs), default=0)
        return rank[name]

    for fact in rb.facts.values():
        if fact.derived:
            depth(fact.id)
    return rank


def _condition(fact: str, values) -> Msg | str:
    shown = sorted(v for v in values if v != ABSENT)
    return f"{fact} = {shown[0]}" if len(shown) == 1 else Msg("check_one_of", fact=fact, values=", ".join(shown))


def _fires_before(a, b) -> bool:
    """Whether ``a`` fires before ``b`` when both match at once (durable-rules: priority, then definition order)."""
    return (a.priority, a.index) < (b.priority, b.index)


def _describe(box: dict, universe: dict) -> Msg | str:
    """The constraints of a box that narrow the universe, as ``fact = v`` or ``fact in {a, b}``."""
    return _narrowing(box, universe) or Msg("check_any_values")


def _narrowing(box: dict, universe: dict) -> Joined | str:
    parts = []
    for fact, values in sorted(box.items()):
        if {v for v in values if v != ABSENT} != set(universe.get(fact, ())):
            parts.append(_condition(fact, values))
    return Joined(parts, ", ") if parts else ""


def verify(rulebase: Rulebase, budget: int = CHECK_BUDGET, seconds: float | None = CHECK_SECONDS) -> Report:
    """Every finding about ``rulebase``'s decisions, within ``budget`` work units and ``seconds``."""
    return Verifier(rulebase, budget, seconds).run()
