"""``spor report``'s figures: the decisions of logs and batch outputs, counted.

Memory must not grow with the number of decisions, so nothing is counted
row by row in Python from a log: SQLite groups the decisions by day and by
result (``parts``: what was decided, stored once per distinct result), and
every figure is a sum over those groups; only the cases citing the fallback
section are grouped again, by the facts given. The groups are as many as
the days times the distinct results, however many decisions there are
(bench/decision_log.py: the same 24.6 MiB over 100,000 and 1,000,000). A
batch output (JSON Lines) is read line by line into the same groups, so
both kinds of input give their figures through one piece of code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from spor.common.errors import InputError, Problem, shown
from spor.common.files import BOM, bounded_lines
from spor.common.messages import Msg
from spor.decisionlog.rows import given_of, part_of
from spor.decisionlog.store import PART_COLUMNS, DecisionLog, is_log

MAX_LINE_BYTES = 16 * 1024 * 1024  # a batch output line longer than this is not spor's
MAX_EXAMPLES = 3  # case ids shown for one group of silent decisions
MAX_GROUPS = 25  # groups of silent decisions shown, the most frequent first
UNDATED = "undated"  # the week of a decision from a batch output: it carries no time

# Every query takes a WHERE clause on the time (``where``), none for the whole log. There is no index on the time:
# a report scans the table once a query either way, and a server appending rows pays for no index but its own.
# decisions by day and result (which holds the rulebase): as many groups as days times distinct results
GROUP_SQL = "SELECT substr(time, 1, 10), part, count(*) FROM decisions {where} GROUP BY 1, 2"
PARTS_SQL = f"SELECT id, {', '.join(PART_COLUMNS)} FROM parts"
# the facts given for decisions citing the fallback section ({silent}: those results' ids, from PARTS_SQL)
SILENT_SQL = "SELECT given, count(*) FROM decisions {where} {conjunction} part IN ({silent}) GROUP BY 1"
# a few case ids of one group: stops at the first few found
EXAMPLES_SQL = (
    "SELECT case_id FROM decisions {where} {conjunction} given = ? AND part IN ({silent}) "
    "AND case_id IS NOT NULL LIMIT ?"
)
STEPS_SQL = "SELECT question, action, count(*), avg(seconds) FROM steps {where} GROUP BY 1, 2"
SESSIONS_SQL = """
SELECT count(DISTINCT session),
       count(DISTINCT CASE WHEN action = 'finished' THEN session END)
FROM steps {where}
"""
# where unfinished interviews stopped: the last question asked in each session that never finished
ABANDONED_SQL = """
SELECT s.question, count(*) FROM steps s
WHERE s.time >= ? AND s.time < ? AND s.action = 'asked'
  AND s.id = (SELECT max(t.id) FROM steps t WHERE t.session = s.session AND t.action = 'asked')
  AND NOT EXISTS (SELECT 1 FROM steps f WHERE f.session = s.session AND f.action = 'finished')
GROUP BY s.question
"""
SPAN_SQL = "SELECT min(time), max(time) FROM decisions {where}"


class Counts:
    """Everything the report shows, summed from groups of decisions and the interview steps."""

    def __init__(self) -> None:
        self.decisions = 0
        self.errors = 0  # error records in batch outputs: cases that could not be decided at all
        self.outcomes: Counter = Counter()
        self.sides: Counter = Counter()
        self.weeks: dict[str, dict[str, Counter]] = {}
        self.silent = 0
        self.silent_groups: Counter = Counter()  # given facts as JSON -> decisions
        self.examples: dict[str, list] = {}  # given facts as JSON -> a few case ids
        self.incomplete = 0
        self.next_question: Counter = Counter()  # the first missing fact of an undecided case
        self.assumed: Counter = Counter()
        self.warnings: Counter = Counter()
        self.from_evidence: Counter = Counter()
        self.codes: Counter = Counter()
        self.rules: Counter = Counter()
        self.sections: Counter = Counter()
        self.rulebases: Counter = Counter()  # (id, hash) -> decisions
        self.steps: dict[str, Counter] = {}  # question -> action -> count
        self.seconds: dict[str, float] = {}  # question -> mean seconds to answer
        self.sessions = 0
        self.finished = 0
        self.abandoned: Counter = Counter()  # question -> sessions that stopped there
        self.first: str | None = None
        self.last: str | None = None

    def add_group(self, week: str | None, part: tuple, count: int) -> None:
        """``count`` decisions of one week with one result (``part``: store.PART_COLUMNS, as stored)."""
        outcome, side, complete, silent, _derived, missing, assumed, warnings, evidence, codes, rules, sections = part
        self.decisions += count
        self.outcomes[outcome] += count
        self.sides[side] += count
        by_week = self.weeks.setdefault(week or UNDATED, {"outcomes": Counter(), "sides": Counter()})
        by_week["outcomes"][outcome] += count
        by_week["sides"][side] += count
        if silent:
            self.silent += count
        if not complete:
            self.incomplete += count
            first = json.loads(missing)[:1]
            self.next_question[first[0] if first else None] += count
        for name, counter in (
            (assumed, self.assumed),
            (warnings, self.warnings),
            (evidence, self.from_evidence),
            (codes, self.codes),
            (rules, self.rules),
            (sections, self.sections),
        ):
            for item in json.loads(name):
                counter[item] += count

    def add_examples(self, given: str, case_id) -> None:
        kept = self.examples.setdefault(given, [])
        if isinstance(case_id, str) and len(kept) < MAX_EXAMPLES and case_id not in kept:
            kept.append(case_id)


def monday(day: str | None, weeks: dict) -> str | None:
    """The Monday of an ISO day's week (``2026-12-06`` -> ``2026-11-30``), remembered in ``weeks``."""
    if day is None:
        return None
    found = weeks.get(day)
    if found is None:
        start = date.fromisoformat(day)
        found = weeks[day] = (start - timedelta(days=start.weekday())).isoformat()
    return found


def since_until(since: date | None, until: date | None) -> tuple[str, str]:
    """The bounds of the ``time`` column for --since (inclusive) and --until (inclusive: the whole day)."""
    low = since.isoformat() if since else ""
    high = (until + timedelta(days=1)).isoformat() if until else "~"  # '~' sorts after every ISO time
    return low, high


def count_inputs(paths: list, rulebase, since: date | None = None, until: date | None = None) -> Counts:
    """The counts over every input: decision logs (SQLite) and batch outputs (JSON Lines), in the order given."""
    counts = Counts()
    bounds = since_until(since, until)
    for path in paths:
        if is_log(Path(path)):
            count_log(Path(path), counts, bounds)
        else:
            if since or until:
                raise InputError([Problem(shown(path), Msg("report_output_has_no_time"))])
            count_output(Path(path), counts, rulebase)
    return counts


def count_log(path: Path, counts: Counts, bounds: tuple[str, str]) -> None:
    everything = bounds == since_until(None, None)
    where, params = ("", ()) if everything else ("WHERE time >= ? AND time < ?", bounds)
    conjunction = "WHERE" if everything else "AND"
    log = DecisionLog(path, read_only=True)
    try:
        db = log.connection
        parts = {row[0]: tuple(row[1:]) for row in db.execute(PARTS_SQL)}
        weeks: dict = {}
        for day, part, count in db.execute(GROUP_SQL.format(where=where), params):
            columns = parts[part]
            counts.add_group(monday(day, weeks), columns[2:], count)
            counts.rulebases[columns[:2]] += count
        silent = ", ".join(str(i) for i, columns in parts.items() if columns[5]) or "NULL"
        given_counts = Counter(
            dict(db.execute(SILENT_SQL.format(where=where, conjunction=conjunction, silent=silent), params).fetchall())
        )
        counts.silent_groups.update(given_counts)
        examples = EXAMPLES_SQL.format(where=where, conjunction=conjunction, silent=silent)
        for given, _ in given_counts.most_common(MAX_GROUPS):
            for (case_id,) in db.execute(examples, (*params, given, MAX_EXAMPLES)):
                counts.add_examples(given, case_id)
        first, last = db.execute(SPAN_SQL.format(where=where), params).fetchone()
        counts.first = min(filter(None, (counts.first, first)), default=None)
        counts.last = max(filter(None, (counts.last, last)), default=None)
        for question, action, count, seconds in db.execute(STEPS_SQL.format(where=where), params):
            counts.steps.setdefault(question, Counter())[action] += count
            if action == "answered" and seconds is not None:
                counts.seconds[question] = seconds
        sessions, finished = db.execute(SESSIONS_SQL.format(where=where), params).fetchone()
        counts.sessions += sessions
        counts.finished += finished
        for question, count in db.execute(ABANDONED_SQL, bounds):
            counts.abandoned[question] += count
    finally:
        log.close()


def count_output(path: Path, counts: Counts, rulebase) -> None:
    """A batch output's results, grouped as a log's rows are; its error records are counted apart."""
    groups: Counter = Counter()
    for data in _records(path):
        if "error" in data:
            counts.errors += 1
            continue
        part = part_of(data, rulebase, data.get("rulebase_hash") or "")
        groups[tuple(getattr(part, name) for name in PART_COLUMNS[2:])] += 1
        counts.rulebases[(data.get("rulebase"), data.get("rulebase_hash"))] += 1
        if part.silent:
            given = given_of(data.get("facts") or {}, data.get("given") or (), rulebase)
            counts.silent_groups[given] += 1
            counts.add_examples(given, data.get("case"))
    for part_columns, count in groups.items():
        counts.add_group(None, part_columns, count)


def _records(path: Path) -> Iterator[dict]:
    name = shown(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError([Problem(name, Msg("cannot_read", detail=exc.strerror or exc))]) from None
    with handle:
        for number, line in bounded_lines(handle, MAX_LINE_BYTES):
            if line is None:
                raise InputError([Problem(name, Msg("report_line_too_long", limit=MAX_LINE_BYTES), number)])
            if number == 1 and line.startswith(BOM):
                line = line[len(BOM) :]
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except (ValueError, RecursionError) as exc:
                column = getattr(exc, "colno", None)
                raise InputError([Problem(name, Msg("report_not_json_lines"), number, column)]) from None
            if not isinstance(data, dict) or not ("error" in data or "outcome" in data):
                raise InputError([Problem(name, Msg("report_not_a_record"), number, 1)])
            yield data
