"""``spor check``'s report: loading problems and the verifier's findings, as one list.

The rulebase is loaded by the caller (so that the API layer's checks take
part); a rulebase that cannot be loaded gives a report of its problems.
"""

from __future__ import annotations

from collections.abc import Callable

from spor.analysis.verify import CHECK_BUDGET, Finding, verify
from spor.common.errors import InputError
from spor.common.records import field, record
from spor.rulebase.loader import Loaded


@record
class CheckReport:
    rulebase_id: str | None  # None: the rulebase could not be loaded
    rules: int = 0
    findings: list = field(default_factory=list)  # of Finding: errors first, then warnings
    strict: bool = False  # warnings count as errors
    folder: str = ""  # the rulebase folder checked
    digest: str = ""  # a short checksum of its rule files (``Loaded.digest``); empty when it cannot be loaded

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity != "error"]

    @property
    def not_analysed(self) -> list:
        """The findings of decisions the verifier's budget did not let it finish (each names its rules)."""
        return [f for f in self.findings if f.code == "not_analysed"]

    @property
    def failed(self) -> bool:
        return bool(self.errors) or (self.strict and bool(self.warnings))


def check(
    load: Callable[[], Loaded], strict: bool = False, folder: str = "", budget: int = CHECK_BUDGET
) -> CheckReport:
    """Load the rulebase in ``folder`` with ``load`` and verify its decisions within ``budget`` work units."""
    try:
        loaded = load()
    except InputError as exc:
        return CheckReport(None, findings=[Finding.from_problem(p) for p in exc.problems], strict=strict, folder=folder)
    report = verify(loaded.rulebase, budget)
    findings = report.errors + [Finding.from_problem(p) for p in loaded.warnings] + report.warnings
    return CheckReport(loaded.rulebase.id, len(loaded.rulebase.rules), findings, strict, folder, loaded.digest)
