"""The editors' reports as text and JSON: ``spor check``, ``spor test`` and ``spor diff``.

Each function takes the report object its analysis returns and gives the
lines (text, in the language asked for) or the plain data (JSON, whose
messages are English and stable) that the command prints; ``schemas/``
describes the JSON (``spor schema check``, ``test``, ``diff``). The end-of-run
summary of ``spor batch`` is here too: its counts, with the rulebase's labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spor.common.errors import printable
from spor.common.messages import number, say
from spor.common.messages import text as t

if TYPE_CHECKING:  # only named in annotations: ``spor batch`` uses this module without the analysis (~9 ms)
    from spor.analysis.check import CheckReport
    from spor.analysis.suite import SuiteReport


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


def check_text(report: CheckReport, lang: str = "en") -> list:
    lines = []
    for finding in report.findings:
        lines.append(printable(finding.shown(lang)))
        if finding.example:
            lines.append("    " + t("check_example", lang))
            lines.append(example_text(finding.example))
    errors, warnings = len(report.errors), len(report.warnings)
    if report.rulebase_id is None:
        lines.append(t("check_cannot_load", lang, errors=errors, folder=report.folder))
    else:
        strict = " " + t("check_strict", lang) if report.strict and warnings else ""
        lines.append(
            t(
                "check_summary",
                lang,
                rulebase=report.rulebase_id,
                folder=report.folder,
                digest=report.digest,
                rules=report.rules,
                errors=errors,
                warnings=warnings,
            )
            + strict
        )
    lines += not_analysed_note(report, lang)
    return lines


def not_analysed_note(report: CheckReport, lang: str = "en") -> list:
    """The note under ``spor check``'s summary when the verifier's budget stopped it: what was not analysed."""
    stopped = report.not_analysed
    if not stopped:
        return []
    shown = ", ".join(
        f"{f.decision} ({t('n_rules_one' if len(f.rules) == 1 else 'n_rules', lang, count=len(f.rules))})"
        for f in stopped
    )
    return t("check_budget_note", lang, count=len(stopped), decisions=printable(shown)).split("\n")


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


STATUS = {"pass": "test_pass", "fail": "test_fail", "error": "test_error", "skip": "test_skip"}
COVERAGE = (
    ("test_rule_not_fired", "rules"),
    ("test_outcome_not_reached", "outcomes"),
    ("test_value_not_seen", "values"),
    ("test_assumption_not_made", "assumptions"),
)


def test_text(report: SuiteReport, lang: str = "en") -> list:
    lines = []
    for run in report.runs:
        note = " " + t("test_no_expect", lang) if run.status == "skip" else ""
        lines.append(f"{t(STATUS[run.status], lang)} {run.case_id} ({run.source}){note}")
        lines += [f"    {mismatch.shown(lang)}" for mismatch in run.mismatches]
        lines += [f"    {problem.shown(lang)}" for problem in run.problems]
    percent = report.percent
    if percent is not None:
        lines.append("\n" + t("test_coverage_head", lang))
        for c in report.files:
            hit, total = c.counts()
            lines.append(f"  {c.file:<24} {hit:>4}/{total:<4} {_percent(c.percent, lang)}")
            for key, kind in COVERAGE:
                lines += [f"      {t(key, lang)}: {say(name, lang)}" for name, ok in getattr(c, kind) if not ok]
        lines.append(f"  {t('test_total', lang):<24} {'':>9} {_percent(percent, lang)}")
        if report.below:
            lines.append(t("test_below", lang, percent=_percent(percent, lang).strip(), limit=f"{report.fail_under:g}"))
    failed = report.count("fail") + report.count("error")
    summary = t("test_summary", lang, passed=report.count("pass"), failed=failed)
    if report.count("skip"):
        summary += ", " + t("test_skipped", lang, count=report.count("skip"))
    return [printable(line, lines=True) for line in lines] + [summary]


def _percent(value: float, lang: str) -> str:
    """A percentage with one decimal, right-aligned in 6 characters and a %: a decimal comma in nb."""
    text = f"{value:6.1f}%"
    return text.replace(".", ",") if lang == "nb" else text


def diff_text(entries, lang: str = "en") -> list:
    """``spor diff``'s lines: each changed case and its differences, then how many changed."""
    changed = [e for e in entries if e.differences]
    lines = []
    for entry in changed:
        lines.append(printable(f"{t('diff_changed', lang)} {entry.case_id} ({entry.source})"))
        lines += [printable(f"    {d.shown(lang)}") for d in entry.differences]
    return lines + [t("diff_summary", lang, changed=len(changed), total=len(entries))]


def batch_summary(summary, rulebase, lang: str = "en") -> list:
    """``spor batch``'s end-of-run lines (``batch.Summary``): the counts, each summary fact and value by its
    label in ``lang`` (its id after it), so that a person reads no raw name."""

    def counts(counter, fact=None) -> str:
        return ", ".join(
            f"{t('batch_undecided', lang) if k is None else _value(rulebase, fact, k, lang)} {number(v, lang)}"
            for k, v in counter.most_common()
        )

    sums = {
        "records": number(summary.records, lang),
        "results": number(summary.results, lang),
        "errors": number(summary.errors, lang),
    }
    out = [t("batch_head", lang, **sums)]
    out.append(f"  {t('batch_outcomes', lang)}: {counts(summary.outcomes) or '-'}")
    for name, counter in summary.values.items():
        known = rulebase.facts.get(name)
        label = f"{known.label.get(lang)} ({name})" if known else name
        out.append(f"  {label}: {counts(counter, name) or '-'}")
    out.append(f"  {t('batch_incomplete', lang)}: {number(summary.incomplete, lang)}")
    out.append(f"  {t('batch_errors', lang)}: {number(summary.errors, lang)}")
    out.append(f"  {t('batch_balance', lang, **sums)}")
    if summary.skipped:
        out.append(f"  {t('batch_resumed', lang, skipped=number(summary.skipped, lang))}")
    return [printable(line) for line in out]


def _value(rulebase, fact, value, lang: str) -> str:
    """A summary value by its label, the id after it when they differ (an outcome: its id)."""
    if fact is None or fact not in rulebase.facts:
        return str(value)
    label = rulebase.label(fact, value, lang)
    return label if label == value else f"{label} ({value})"


def diff_json(entry) -> dict:
    """One case of ``spor diff`` (an ``impact.CaseImpact``)."""
    return {
        "case": entry.case_id,
        "source": entry.source,
        "changed": bool(entry.differences),
        "differences": [{"field": d.field, "old": d.old, "new": d.new} for d in entry.differences],
        "problems": [p.as_dict() for p in entry.problems],
    }
