"""Run case files as tests, and measure what they cover of the rulebase.

``spor test`` discovers case files that carry an ``expect`` block, runs
each, and reports per case PASS, FAIL (with the expected and actual value
of each differing field) or ERROR (the case file cannot be read). Coverage
counts, per rule file, the rules the cases fired, the outcomes they reached,
the values they saw (given or derived) and the assumptions they made (each
fact a rule can read as unknown), as ``opa test --coverage`` does for
policies.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from spor.analysis.expect import compare
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg
from spor.common.records import field, record
from spor.inference.assumptions import unknown_reads
from spor.inference.evaluate import Evaluator, Result
from spor.rulebase.cases import Normaliser, case_files, load_case
from spor.rulebase.model import Rulebase


@record
class CaseRun:
    source: str
    case_id: str = ""
    status: str = "pass"  # pass, fail, error, skip (no expect block)
    mismatches: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    result: Result | None = None


def discover(paths) -> list:
    """Case files under ``paths`` (files as given, folders searched as ``cases.case_files`` does)."""
    found, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = case_files(path)
            if not inside:
                problems.append(Problem(str(raw), Msg("no_case_files")))
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            problems.append(Problem(str(raw), Msg("no_such_path")))
    if problems:
        raise InputError(problems)
    return found


def matches(pattern: str | None, path: Path, case_id: str) -> bool:
    """``-k`` selection: a substring or glob of the case id or the file name."""
    if not pattern:
        return True
    names = (case_id, path.name, str(path))
    return any(pattern in n or fnmatch.fnmatch(n, pattern) for n in names)


def run_cases(files, evaluator: Evaluator, normaliser: Normaliser, pattern: str | None = None) -> list:
    runs = []
    for path in files:
        try:
            case = load_case(path, normaliser)
        except InputError as exc:
            if matches(pattern, path, path.stem):
                runs.append(CaseRun(str(path), path.stem, "error", problems=exc.problems))
            continue
        if not matches(pattern, path, case.id):
            continue
        if not case.expect:
            runs.append(CaseRun(str(path), case.id, "skip"))
            continue
        result = evaluator.evaluate(case.facts, case_id=case.id, source=case.source)
        mismatches = compare(case.expect, result)
        runs.append(CaseRun(str(path), case.id, "fail" if mismatches else "pass", mismatches, result=result))
    return runs


@record
class FileCoverage:
    file: str
    rules: list = field(default_factory=list)  # (rule id, fired?)
    outcomes: list = field(default_factory=list)  # (outcome id, reached?)
    values: list = field(default_factory=list)  # ("fact = value", seen?)
    assumptions: list = field(default_factory=list)  # (Msg "rule assumes fact", made?)

    def counts(self) -> tuple:
        items = self.rules + self.outcomes + self.values + self.assumptions
        return sum(1 for _, hit in items if hit), len(items)

    @property
    def percent(self) -> float:
        hit, total = self.counts()
        return 100.0 * hit / total if total else 100.0


def coverage(rulebase: Rulebase, runs: list) -> list:
    """One FileCoverage per rule file, in file order, from the results of ``runs``."""
    fired: set[str] = set()
    reached: set[str] = set()
    seen: set[tuple[str, str]] = set()
    made: set[tuple[str, str]] = set()
    for run in runs:
        if run.result is None:
            continue
        fired.update(f.rule.id for f in run.result.trace)
        if run.result.outcome:
            reached.add(run.result.outcome.id)
        seen.update(run.result.facts.items())
        made.update((a.rule.id, a.fact) for a in run.result.assumed)
    files = {name: FileCoverage(Path(name).name) for name in rulebase.files}
    reads = unknown_reads(rulebase)
    for rule in rulebase.rules:
        files[rule.file].rules.append((rule.id, rule.id in fired))
        for name in reads.get(rule.index, ()):
            files[rule.file].assumptions.append((Msg("cov_assumes", rule=rule.id, fact=name), (rule.id, name) in made))
    for outcome in rulebase.outcomes.values():
        files[outcome.file].outcomes.append((outcome.id, outcome.id in reached))
    for fact in rulebase.facts.values():
        for value in fact.value_ids():
            files[fact.file].values.append((f"{fact.id} = {value}", (fact.id, value) in seen))
    return [c for c in files.values() if c.counts()[1]]


def total_percent(files: list) -> float:
    hit = sum(f.counts()[0] for f in files)
    total = sum(f.counts()[1] for f in files)
    return 100.0 * hit / total if total else 100.0


@record
class SuiteReport:
    """What ``spor test`` found: each case's run, and the coverage when it was asked for."""

    runs: list  # of CaseRun
    files: list = field(default_factory=list)  # of FileCoverage; empty when coverage was not asked for
    fail_under: float | None = None
    pattern: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for run in self.runs if run.status == status)

    @property
    def percent(self) -> float | None:
        return total_percent(self.files) if self.files else None

    @property
    def below(self) -> bool:
        percent = self.percent
        return self.fail_under is not None and percent is not None and percent < self.fail_under

    @property
    def failed(self) -> bool:
        return bool(self.count("fail") or self.count("error") or self.below or not self.runs)


def run_suite(
    rulebase: Rulebase, paths, pattern: str | None = None, with_coverage: bool = False, fail_under: float | None = None
) -> SuiteReport:
    """Run the case files under ``paths`` on ``rulebase``; with coverage when asked or when it must be met."""
    runs = run_cases(discover(paths), Evaluator(rulebase), Normaliser(rulebase), pattern)
    files = coverage(rulebase, runs) if (with_coverage or fail_under is not None) else []
    return SuiteReport(runs, files, fail_under, pattern)
