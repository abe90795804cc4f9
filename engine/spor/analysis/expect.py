"""Compare a result with the ``expect`` block of its case file.

Used by the test suite on ``examples/`` (and by ``spor test``): each
mismatch names the field and holds the expected and the actual value, so a
failure reads as a difference, not as two dumps.
"""

from __future__ import annotations

from spor.common.messages import text
from spor.common.records import record
from spor.inference.evaluate import Result


@record
class Mismatch:
    field: str  # "outcome", "facts.transport", "missing", "warnings", "assumed"
    expected: object
    actual: object

    def shown(self, lang: str = "en") -> str:
        """``field: expected 'a', got 'b'`` in ``lang``; nothing (an undecided outcome) is said in words."""

        def show(value) -> str:
            return text("diff_none", lang) if value is None else repr(value)

        return text("test_mismatch", lang, field=self.field, expected=show(self.expected), actual=show(self.actual))

    def __str__(self) -> str:
        return self.shown("en")


def compare(expect: dict, result: Result) -> list:
    """Every way ``result`` differs from ``expect`` (empty when it matches)."""
    found = []
    if "outcome" in expect:
        actual: object = result.outcome.id if result.outcome else None
        if actual != expect["outcome"]:
            found.append(Mismatch("outcome", expect["outcome"], actual))
    facts = result.facts
    for name, value in expect.get("facts", {}).items():
        if facts.get(name) != value:
            found.append(Mismatch(f"facts.{name}", value, facts.get(name)))
    if "missing" in expect:
        actual = [fact.id for fact in result.missing]
        if actual != list(expect["missing"]):
            found.append(Mismatch("missing", list(expect["missing"]), actual))
    if "warnings" in expect:
        actual = sorted(w.code for w in result.warnings)
        if actual != sorted(expect["warnings"]):
            found.append(Mismatch("warnings", sorted(expect["warnings"]), actual))
    if "assumed" in expect:
        actual, wanted = assumed_facts(result), sorted(set(expect["assumed"]))  # a set of facts: said twice is once
        if actual != wanted:
            found.append(Mismatch("assumed", wanted, actual))
    return found


def assumed_facts(result: Result) -> list:
    """The facts a result decided on assumptions, sorted (as ``expect.assumed`` is compared: in any order)."""
    return sorted({item.fact for item in result.assumed})


def renewed(expect: dict, result: Result) -> tuple:
    """(None, []) when ``result`` still meets ``expect``; else (an expect block it meets, the mismatches).

    The new block has the outcome (null when the case is undecided), the
    missing facts when it is undecided, and the fields the old block checked
    (its facts, its warnings, what it assumed) as the result has them: an expectation of the
    same shape, which the case now passes.
    """
    found = compare(expect, result)
    if not found:
        return None, []
    new: dict = {"outcome": result.outcome.id if result.outcome else None}
    facts = {name: result.facts[name] for name in expect.get("facts", {}) if name in result.facts}
    if facts:
        new["facts"] = facts
    if result.outcome is None or "missing" in expect:
        new["missing"] = [fact.id for fact in result.missing]
    if "warnings" in expect:
        new["warnings"] = sorted(w.code for w in result.warnings)
    if "assumed" in expect:
        new["assumed"] = assumed_facts(result)
    return new, found
