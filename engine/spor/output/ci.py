"""``spor test`` in the formats CI systems read: JUnit XML (test results) and lcov (coverage of rule files).

JUnit XML is what CI servers show as a test report: one ``testcase`` per
case file, with a ``failure`` naming each field that differs, an ``error``
for a case that cannot be read, ``skipped`` for one without an ``expect``.
lcov is what editors' coverage gutters read: for each rule file, every rule
and every outcome is a line (where it is declared) hit as often as the cases
fired or reached it, so an untested rule shows as an uncovered line.
"""

from __future__ import annotations

import os
from collections import Counter
from xml.sax.saxutils import quoteattr

from spor.analysis.suite import SuiteReport
from spor.common.errors import printable
from spor.rulebase.model import Rulebase


def _xml_text(text: str) -> str:
    """Text for an XML attribute: characters XML 1.0 cannot hold at all are shown escaped."""
    return quoteattr(printable(text))


def junit_xml(report: SuiteReport, rulebase: Rulebase) -> str:
    """The report as a JUnit XML document (one testsuite named after the rulebase)."""
    count = report.count
    failures, errors, skipped = count("fail"), count("error"), count("skip")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="spor test" tests="{len(report.runs)}" failures="{failures}" errors="{errors}"'
        f' skipped="{skipped}">',
        f'  <testsuite name={_xml_text(rulebase.id)} tests="{len(report.runs)}" failures="{failures}"'
        f' errors="{errors}" skipped="{skipped}">',
    ]
    for run in report.runs:
        named = f"classname={_xml_text(rulebase.id)} name={_xml_text(run.case_id)} file={_xml_text(run.source)}"
        head = f"    <testcase {named}"
        if run.status == "pass":
            lines.append(head + "/>")
            continue
        lines.append(head + ">")
        if run.status == "fail":
            said = "; ".join(str(m) for m in run.mismatches)
            lines.append(f'      <failure message={_xml_text(said)} type="mismatch"/>')
        elif run.status == "error":
            said = "; ".join(str(p) for p in run.problems)
            lines.append(f'      <error message={_xml_text(said)} type="unreadable case"/>')
        else:
            lines.append('      <skipped message="no expect block"/>')
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(lines)


def lcov(report: SuiteReport, rulebase: Rulebase) -> str:
    """Rule and outcome coverage as an lcov tracefile, line numbers pointing into the rule files."""
    fired: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    for run in report.runs:
        if run.result is not None:
            fired.update(f.rule.id for f in run.result.trace)
            if run.result.outcome is not None:
                reached[run.result.outcome.id] += 1
    out = ["TN:spor"]
    for file in rulebase.files:
        rules = [r for r in rulebase.rules if r.file == file and r.line]
        outcomes = [o for o in rulebase.outcomes.values() if o.file == file and o.line]
        if not rules and not outcomes:
            continue
        out.append(f"SF:{os.path.abspath(file)}")
        for rule in rules:
            out += [f"FN:{rule.line},{rule.id}", f"FNDA:{fired[rule.id]},{rule.id}"]
        out += [f"FNF:{len(rules)}", f"FNH:{sum(1 for r in rules if fired[r.id])}"]
        hits = {r.line: fired[r.id] for r in rules} | {o.line: reached[o.id] for o in outcomes}
        out += [f"DA:{line},{count}" for line, count in sorted(hits.items())]
        out += [f"LF:{len(hits)}", f"LH:{sum(1 for count in hits.values() if count)}", "end_of_record"]
    return "\n".join(out) + "\n"
