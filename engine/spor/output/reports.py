"""The editors' reports as text and JSON: ``spor check``, ``spor test`` and ``spor diff``.

Each function takes the report object its analysis returns and gives the
lines (text) or the plain data (JSON) that the command prints;
``schemas/`` describes the JSON (``spor schema check``, ``test``, ``diff``).
"""

from __future__ import annotations

from spor.analysis.check import CheckReport
from spor.analysis.suite import SuiteReport
from spor.common.errors import printable


def example_text(facts: dict, indent: str = "      ") -> str:
    """A finding's example as the text of a case file."""
    import yaml

    body = yaml.safe_dump({"facts": facts}, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return "\n".join(indent + line for line in body.splitlines())


def check_json(report: CheckReport) -> dict:
    return {
        "rulebase": report.rulebase_id,
        "folder": report.folder,
        "hash": report.digest or None,
        "ok": not report.failed,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "findings": [f.as_dict() for f in report.findings],
    }


def check_text(report: CheckReport) -> list:
    lines = []
    for finding in report.findings:
        lines.append(printable(str(finding)))
        if finding.example:
            lines.append("    example case (save it as a .yaml file and try `spor run` on it):")
            lines.append(example_text(finding.example))
    errors, warnings = len(report.errors), len(report.warnings)
    if report.rulebase_id is None:
        lines.append(f"{errors} error(s): the rulebase in {report.folder} cannot be loaded")
    else:
        lines.append(
            f"{report.rulebase_id} ({report.folder}, {report.digest}): {report.rules} rules, "
            f"{errors} error(s), {warnings} warning(s)"
            + (" (warnings count as errors: --strict)" if report.strict and warnings else "")
        )
    lines += not_analysed_note(report)
    return lines


def not_analysed_note(report: CheckReport) -> list:
    """The note under ``spor check``'s summary when the verifier's budget stopped it: what was not analysed."""
    stopped = report.not_analysed
    if not stopped:
        return []
    shown = ", ".join(f"{f.decision} ({len(f.rules)} rule{'s' if len(f.rules) != 1 else ''})" for f in stopped)
    return [
        f"note: the check stopped at its budget: {len(stopped)} decision(s) not fully analysed: {printable(shown)}.",
        "      The findings above hold, but these decisions may have more. Simplify their rules (a value",
        "      list for an 'any' of one-value tests; a derived fact for a part many rules share), or give",
        "      the check more work units with --budget.",
    ]


def test_json(report: SuiteReport) -> dict:
    percent = report.percent
    return {
        "cases": [
            {
                "case": r.case_id,
                "source": r.source,
                "status": r.status,
                "mismatches": [{"field": m.field, "expected": m.expected, "actual": m.actual} for m in r.mismatches],
                "problems": [p.as_dict() for p in r.problems],
            }
            for r in report.runs
        ],
        "summary": {
            "passed": report.count("pass"),
            "failed": report.count("fail"),
            "errors": report.count("error"),
            "skipped": report.count("skip"),
        },
        "coverage": None
        if percent is None
        else {
            "percent": round(percent, 1),
            "files": [
                {
                    "file": c.file,
                    "percent": round(c.percent, 1),
                    "rules_not_fired": [n for n, hit in c.rules if not hit],
                    "outcomes_not_reached": [n for n, hit in c.outcomes if not hit],
                    "values_not_seen": [n for n, hit in c.values if not hit],
                    "assumptions_not_made": [n for n, hit in c.assumptions if not hit],
                }
                for c in report.files
            ],
        },
    }


def test_text(report: SuiteReport) -> list:
    lines = []
    for run in report.runs:
        label = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "skip": "SKIP"}[run.status]
        note = " (no expect block)" if run.status == "skip" else ""
        lines.append(f"{label} {run.case_id} ({run.source}){note}")
        lines += [f"    {mismatch}" for mismatch in run.mismatches]
        lines += [f"    {problem}" for problem in run.problems]
    percent = report.percent
    if percent is not None:
        lines.append("\nCoverage (rules fired, outcomes reached, values seen, assumptions made):")
        for c in report.files:
            hit, total = c.counts()
            lines.append(f"  {c.file:<24} {hit:>4}/{total:<4} {c.percent:6.1f}%")
            for kind, items in (
                ("rule not fired", c.rules),
                ("outcome not reached", c.outcomes),
                ("value not seen", c.values),
                ("assumption not made", c.assumptions),
            ):
                lines += [f"      {kind}: {name}" for name, ok in items if not ok]
        lines.append(f"  {'total':<24} {'':>9} {percent:6.1f}%")
        if report.below:
            lines.append(f"coverage {percent:.1f}% is below --fail-under {report.fail_under:g}%")
    failed = report.count("fail") + report.count("error")
    summary = f"{report.count('pass')} passed, {failed} failed"
    if report.count("skip"):
        summary += f", {report.count('skip')} skipped"
    return [printable(line, lines=True) for line in lines] + [summary]


def diff_text(entries) -> list:
    """``spor diff``'s lines: each changed case and its differences, then how many changed."""
    changed = [e for e in entries if e.differences]
    lines = []
    for entry in changed:
        lines.append(printable(f"CHANGED {entry.case_id} ({entry.source})"))
        lines += [printable(f"    {d}") for d in entry.differences]
    return lines + [f"{len(changed)} of {len(entries)} case(s) changed"]


def diff_json(entry) -> dict:
    """One case of ``spor diff`` (an ``impact.CaseImpact``)."""
    return {
        "case": entry.case_id,
        "source": entry.source,
        "changed": bool(entry.differences),
        "differences": [{"field": d.field, "old": d.old, "new": d.new} for d in entry.differences],
        "problems": [p.as_dict() for p in entry.problems],
    }
