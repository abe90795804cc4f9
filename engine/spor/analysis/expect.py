"""Compare a result with the ``expect`` block of its case file.

Used by the test suite on ``examples/`` (and by ``spor test``): each
mismatch names the field and holds the expected and the actual value, so a
failure reads as a difference, not as two dumps.
"""

from __future__ import annotations

from spor.common.records import record
from spor.inference.evaluate import Result


@record
class Mismatch:
    field: str  # "outcome", "facts.transport", "missing", "warnings"
    expected: object
    actual: object

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected!r}, got {self.actual!r}"


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
    return found
