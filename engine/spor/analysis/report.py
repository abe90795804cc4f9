"""What ``spor check``'s verification says: a ``Finding`` each, in a ``Report``."""

from __future__ import annotations

from spor.common.records import field, record


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

    def shown(self, lang: str = "en") -> str:
        """``where: severity[code]: message``, the severity and the message worded in ``lang`` (the code stays)."""
        from spor.common.messages import say, text

        return f"{self.where()}: {text('severity_' + self.severity, lang)}[{self.code}]: {say(self.message, lang)}"

    def __str__(self) -> str:
        return self.shown("en")

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


def finding(severity, code, message, at=None, *, decision=None, rules=(), example=None) -> Finding:
    """A finding located at ``at`` (a rule, fact, outcome or origin: anything with file, line and column)."""
    return Finding(
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


@record
class Report:
    findings: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity == "warning"]
