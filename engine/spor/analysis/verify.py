"""Static verification of a rulebase: gaps, conflicts, dead and redundant rules.

Each *decision* (the rules that conclude one derived fact, or the outcome)
is a decision table over the facts its rules read. Its rules are turned into
boxes (see ``boxes``) and checked the way DMN decision tables are:

* **gap**: cases where every fact the table reads is known, yet no rule
  concludes anything;
* **conflict**: cases where two rules conclude different values;
* **unreachable**: a rule whose condition can never hold, or needs derived
  values that never occur together;
* **masked**: a rule that can hold, but only where a rule with another value
  holds too, so it never decides anything;
* **redundant** (a warning): wherever the rule holds, other rules with the
  same conclusion hold too.

A region over derived facts counts only if some case of given facts really
produces it: ``realise`` works back through the rules that derive each
value until only given facts remain, and the point it finds is the example
case printed with the finding. Each finding carries such an example where
one exists, ready to save as a case file.
"""

from __future__ import annotations

from spor.common.records import field, record
from spor.inference.compiler import MAX_ENGINE_RULES
from spor.rulebase.boxes import ABSENT, TooComplex, boxes, domain, intersect, point, remainder
from spor.rulebase.conditions import In, facts_read, leaves
from spor.rulebase.model import OUTCOME, Rulebase

MAX_REALISE_STEPS = 5000
MAX_GAPS_PER_DECISION = 5


@record
class Finding:
    severity: str  # "error" or "warning"
    code: str
    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    decision: str | None = None
    rules: tuple = ()
    example: dict | None = None  # facts of a case that shows the finding
    path: str = ""  # inside the document, for problems found while loading

    def where(self) -> str:
        from spor.common.errors import place

        return place(self.file, self.line, self.column, self.path)

    def __str__(self) -> str:
        return f"{self.where()}: {self.severity}[{self.code}]: {self.message}"

    @classmethod
    def from_problem(cls, problem) -> Finding:
        """A loading problem (errors.Problem) as a finding, so that check reports both alike."""
        from spor.common.errors import format_path

        return cls(
            problem.severity,
            problem.code,
            problem.message,
            problem.file,
            problem.line,
            problem.column,
            path=format_path(problem.path) if problem.path else "",
        )

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "decision": self.decision,
            "rules": list(self.rules),
            "example": self.example,
        }


@record
class Report:
    findings: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity == "warning"]


class Verifier:
    """Verifies one rulebase; ``run()`` returns a Report."""

    def __init__(self, rulebase: Rulebase):
        self.rb = rulebase
        self.facts = rulebase.facts
        self.rule_boxes: dict = {}  # rule index -> list of boxes (realisable or not)
        self.findings: list = []
        self.steps = 0
        self.rank = _ranks(rulebase)

    # -- helpers ------------------------------------------------------------
    def add(self, severity, code, message, at=None, *, decision=None, rules=(), example=None):
        self.findings.append(
            Finding(
                severity,
                code,
                message,
                getattr(at, "file", "") or "",
                getattr(at, "line", None),
                getattr(at, "column", None),
                decision,
                tuple(r.id for r in rules),
                example,
            )
        )

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
        pending = [f for f in box if self.facts[f].derived and f not in done]
        if not pending:
            return box
        name = max(pending, key=lambda f: self.rank[f])
        wanted = box[name]
        for rule in self.rb.rules_for.get(name, ()):
            if rule.value not in wanted:
                continue
            for rule_box in self.boxes_of(rule):
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
        self.references()
        if len(self.rb.rules) > MAX_ENGINE_RULES:
            self.add(
                "error",
                "too_many_rules",
                f"{len(self.rb.rules):,} rules: the inference engine takes at most "
                f"{MAX_ENGINE_RULES:,} in one rulebase, so spor run refuses it",
                self.rb.rules[MAX_ENGINE_RULES],
            )
        for target, rules in self.rb.rules_for.items():
            try:
                self.decision(target, rules)
            except TooComplex:
                first = rules[0]
                self.add(
                    "warning",
                    "too_complex",
                    f"decision {target!r} is too complex to verify exhaustively",
                    first,
                    decision=target,
                )
        order = {"error": 0, "warning": 1}
        self.findings.sort(key=lambda f: (order[f.severity], f.file, f.line or 0, f.column or 0, f.code))
        return Report(self.findings)

    def references(self):
        """Unused facts, values and outcomes; derived values no rule concludes."""
        rb = self.rb
        read: set[str] = set()
        tested: dict[str, set[str]] = {}
        for rule in rb.rules:
            read.update(facts_read(rule.when))
            for leaf in leaves(rule.when):
                if isinstance(leaf, In):
                    tested.setdefault(leaf.fact, set()).update(leaf.values)
        concluded = {(r.target, r.value) for r in rb.rules}
        for fact in rb.facts.values():
            # a derived fact no rule reads is still a result shown to the agent
            if fact.id not in read and not (fact.derived and fact.id in rb.rules_for):
                self.add("warning", "unused_fact", f"fact {fact.id!r} is read by no rule", fact)
            if fact.derived and fact.id in rb.rules_for:  # (no rules at all: the loader's warning says so)
                for value in fact.value_ids():
                    if (fact.id, value) not in concluded:
                        self.add("warning", "unused_value", f"no rule concludes {fact.id} = {value}", fact)
            elif fact.id in read:
                for value in fact.value_ids():
                    if value not in tested.get(fact.id, ()) and fact.type == "choice":
                        self.add("warning", "unused_value", f"no rule tests {fact.id} = {value}", fact)
        for outcome in rb.outcomes.values():
            if (OUTCOME, outcome.id) not in concluded:
                self.add("warning", "unused_outcome", f"outcome {outcome.id!r} is concluded by no rule", outcome)
        cited = {c for item in [*rb.rules, *rb.outcomes.values(), *rb.facts.values()] for c in item.cites}
        for section in rb.sections:
            if section not in cited and section != rb.fallback_section:
                self.add(
                    "warning",
                    "unused_section",
                    f"no rule, outcome or fact cites {section}: is that part of the article covered?",
                    rb.origins.get(("section", section)),
                )

    def decision(self, target: str, rules: list):
        live = {}
        for rule in rules:
            found = self.boxes_of(rule)
            if not found:
                self.add(
                    "error",
                    "unreachable",
                    f"rule {rule.id!r} can never fire: its condition contradicts itself",
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
                    f"rule {rule.id!r} can never fire: no case produces the derived values it needs together",
                    rule,
                    decision=target,
                    rules=[rule],
                )
                continue
            live[rule.index] = realisable
        live_rules = [r for r in rules if r.index in live]
        masked = self.masked(target, live_rules, live)
        self.conflicts(target, live_rules, live, masked)
        self.redundant(target, live_rules, live, masked)
        self.gaps(target, rules, live)

    def conflicts(self, target, rules, live, masked):
        for i, a in enumerate(rules):
            for b in rules[i + 1 :]:
                if a.value == b.value or a.index in masked or b.index in masked:
                    continue  # a masked rule's finding already names the rules that hide it
                example = self._overlap(live[a.index], live[b.index])
                if example is not None:
                    self.add(
                        "error",
                        "conflict",
                        f"rules {a.id!r} and {b.id!r} both hold for one case but conclude "
                        f"{_show(target, a.value)} and {_show(target, b.value)}",
                        b,
                        decision=target,
                        rules=[a, b],
                        example=example,
                    )

    def _overlap(self, left, right):
        for x in left:
            for y in right:
                both = intersect(x, y)
                if both is not None:
                    example = self.example(both)
                    if example is not None:
                        return example
        return None

    def masked(self, target, rules, live) -> set:
        """Rules that hold only where an earlier rule with another conclusion holds too."""
        universe = self.universe(rules, absent=True)
        found = set()
        for rule in rules:
            mine = live[rule.index]
            earlier = [r for r in rules if r.value != rule.value and _fires_before(r, rule)]
            if earlier and not self._left(mine, [b for r in earlier for b in live[r.index]], universe):
                hiding = [r for r in earlier if self._overlap(mine, live[r.index]) is not None]
                self.add(
                    "error",
                    "masked",
                    f"rule {rule.id!r} never decides anything: wherever it holds, "
                    f"{_names(hiding)} fire{'s' if len(hiding) == 1 else ''} first with another conclusion",
                    rule,
                    decision=target,
                    rules=[rule, *hiding],
                    example=self.example(mine[0]),
                )
                found.add(rule.index)
        return found

    def redundant(self, target, rules, live, masked):
        """Rules other rules with the same conclusion cover entirely; once one is flagged, it no
        longer counts as cover for the others (deleting every flagged rule keeps the table whole)."""
        universe = self.universe(rules, absent=True)
        flagged = set(masked)
        for rule in rules:
            if rule.index in flagged:
                continue
            mine = live[rule.index]
            same = [r for r in rules if r is not rule and r.value == rule.value and r.index not in flagged]
            if not same or self._left(mine, [b for r in same for b in live[r.index]], universe):
                continue
            single = [r for r in same if not self._left(mine, live[r.index], universe)]
            cover = single[:1] or [r for r in same if self._overlap(mine, live[r.index]) is not None]
            self.add(
                "warning",
                "redundant",
                f"rule {rule.id!r} adds nothing: wherever it holds, "
                f"{_names(cover)} conclude{'s' if len(cover) == 1 else ''} the same",
                rule,
                decision=target,
                rules=[rule, *cover],
                example=self.example(mine[0]),
            )
            flagged.add(rule.index)

    def _left(self, start, cuts, universe):
        return [b for b in remainder(start, cuts, universe) if self.example(b) is not None]

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
        for hole in remainder([{}], cuts, universe):
            found = self.realise(hole)
            if found is None:
                continue
            reported += 1
            if reported <= MAX_GAPS_PER_DECISION:
                shown = _describe({k: v for k, v in found.items() if k in universe}, universe)
                what = "no outcome" if target == OUTCOME else f"no value for {target!r}"
                base = {k: v for k, v in found.items() if not self.facts[k].derived}
                self.add("error", "gap", f"{what} when {shown}", at, decision=target, example=point(base))
        if reported > MAX_GAPS_PER_DECISION:
            self.add(
                "error",
                "gap",
                f"... and {reported - MAX_GAPS_PER_DECISION} more gaps in {target!r}",
                at,
                decision=target,
            )


def _names(rules) -> str:
    return ", ".join(repr(r.id) for r in rules)


def _show(target, value) -> str:
    return f"outcome {value!r}" if target == OUTCOME else f"{target} = {value}"


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


def _fires_before(a, b) -> bool:
    """Whether ``a`` fires before ``b`` when both match at once (durable-rules: priority, then definition order)."""
    return (a.priority, a.index) < (b.priority, b.index)


def _describe(box: dict, universe: dict) -> str:
    """The constraints of a box that narrow the universe, as ``fact = v`` or ``fact in {a, b}``."""
    parts = []
    for fact, values in sorted(box.items()):
        values = sorted(v for v in values if v != ABSENT)
        if set(values) == set(universe.get(fact, ())):
            continue
        parts.append(f"{fact} = {values[0]}" if len(values) == 1 else f"{fact} in {{{', '.join(values)}}}")
    return ", ".join(parts) or "any values"


def verify(rulebase: Rulebase) -> Report:
    return Verifier(rulebase).run()
