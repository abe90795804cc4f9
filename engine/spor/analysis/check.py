"""``spor check``'s report: loading problems and the verifier's findings, as one list.

The rulebase is loaded by the caller (so that the API layer's checks take
part); a rulebase that cannot be loaded gives a report of its problems.
"""

from __future__ import annotations

from collections.abc import Callable

from spor.analysis.verify import Finding, verify
from spor.common.errors import InputError
from spor.common.records import field, record
from spor.rulebase.loader import Loaded


@record
class CheckReport:
    rulebase_id: str | None  # None: the rulebase could not be loaded
    rules: int = 0
    findings: list = field(default_factory=list)  # of Finding: errors first, then warnings
    strict: bool = False  # warnings count as errors

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity != "error"]

    @property
    def failed(self) -> bool:
        return bool(self.errors) or (self.strict and bool(self.warnings))


def check(load: Callable[[], Loaded], strict: bool = False) -> CheckReport:
    """Load a rulebase with ``load`` and verify its decisions."""
    try:
        loaded = load()
    except InputError as exc:
        return CheckReport(None, findings=[Finding.from_problem(p) for p in exc.problems], strict=strict)
    report = verify(loaded.rulebase)
    findings = report.errors + [Finding.from_problem(p) for p in loaded.warnings] + report.warnings
    return CheckReport(loaded.rulebase.id, len(loaded.rulebase.rules), findings, strict)
