"""Evidence about a case: read files, give each finding its meaning, and merge the facts it implies.

A file is read as an event log (JSON: ``.json``, ``.jsonl``, ``.ndjson``,
or text starting with ``[`` or ``{``) or else as a returned message. What
a finding means, whose side must act and which case facts it implies come
from the rulebase's ``evidence:`` (``spec.EvidenceSpec``), so the same code serves
any article. A finding's status code and classification imply facts only
when its own action or event does (a delivery that failed, an event that
decides the status): on a notice that decides nothing they only explain.

Merging follows one rule: what the case says wins. Evidence fills a fact
the case left unknown, or gave as a value that leaves it open (``open: true``
in the rulebase: "not read yet"), and says so; where it disagrees with the
case, the case's value stays and a warning names both (with
``evidence_wins``, the evidence's value is used and the warning says that);
where two findings disagree with each other, the fact stays as the case
gave it and a warning says why.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

from spor.common.errors import InputError, Problem, shown
from spor.common.files import JSON_LINES_SUFFIXES, files_in, strip_bom
from spor.common.messages import Joined, Msg
from spor.common.reader import read_bytes
from spor.common.reasons import os_reason
from spor.common.records import field, record
from spor.evidence.findings import EVENTS, FROM_EVIDENCE, REPORT, Finding, Mapped
from spor.evidence.spec import evidence_spec
from spor.inference.evaluate import Notice

MAX_MESSAGE_BYTES = 32 << 20  # a returned message larger than this is refused
MAX_SOURCES = 1000  # distinct sources named per implied value; past them, findings are counted
MAX_SHOWN = 1000  # findings a case's result lists (spor evidence lists them all); the rest are counted
EVENT_SUFFIXES = (".json", *JSON_LINES_SUFFIXES)
SUFFIXES = (".eml", *EVENT_SUFFIXES)  # the files a folder of evidence stands for
HEADER_START = (b"From ", b"Return-Path:", b"Received:")
# the notices that say a fact's value came from the evidence (filled in, or replacing the case's)


@record
class Explained:
    """A finding with the meanings that apply to it and the facts it implies."""

    finding: Finding
    meanings: list  # of model.Meaning: the action or event's, the status code's, the classification's
    facts: dict  # fact id -> value id
    side: str | None = None  # who must act, from the most specific meaning


@record
class Reading:
    """What one evidence file gave: its findings, explained, and the problems met reading it."""

    source: str
    kind: str  # "events", "message", or "" when the file could not be read at all
    explained: Sequence = field(default_factory=list)  # of Explained (for an event log, made as it is read)
    problems: list = field(default_factory=list)  # of Problem
    counts: dict = field(default_factory=dict)


def readings(names, rulebase, recipient: str | None = None):
    """A Reading for each evidence file named, one at a time; a folder stands for its evidence files (a folder
    with none is a Reading with that problem), and a file that cannot be read never stops the others."""
    for name in names:
        if not Path(name).is_dir():
            yield read_evidence(name, rulebase, recipient=recipient)
            continue
        inside = files_in(Path(name), SUFFIXES)
        if not inside:
            yield Reading(name, "", problems=[Problem(name, Msg("ev_empty_folder", suffixes=", ".join(SUFFIXES)))])
        for path in inside:
            yield read_evidence(str(path), rulebase, recipient=recipient)


def read_evidence(path, rulebase, *, recipient: str | None = None) -> Reading:
    """Read one evidence file; problems are collected in the Reading, never raised."""
    source = shown(path)
    spec = evidence_spec(rulebase)
    try:
        _regular_file(source, Path(path))
        looks_like_json = _is_event_log(Path(path))
        if not looks_like_json and Path(path).suffix.lower() in EVENT_SUFFIXES:
            return Reading(source, "", problems=[Problem(source, Msg("ev_not_an_event_log"), 1)])
        if looks_like_json:
            if spec.events is None:
                return Reading(
                    source,
                    "",
                    problems=[Problem(source, Msg("ev_no_events_spec"))],
                )
            return _read_event_log(path, source, rulebase, recipient)
        if spec.reports is None:
            return Reading(
                source,
                "",
                problems=[Problem(source, Msg("ev_no_reports_spec"))],
            )
        return _read_message(path, source, rulebase, recipient)
    except InputError as exc:
        return Reading(source, "", problems=list(exc.problems))


def _regular_file(source: str, path: Path) -> None:
    """Refuse, before opening it, what is not a file to read: a pipe or a device would block or never end."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError([Problem(source, Msg("no_such_file"))]) from None
    except OSError as exc:
        raise InputError([Problem(source, Msg("cannot_read", detail=os_reason(exc)))]) from None
    if stat.S_ISDIR(mode):
        raise InputError([Problem(source, Msg("ev_is_folder"))])
    if not stat.S_ISREG(mode):
        raise InputError([Problem(source, Msg("ev_not_regular"))])


def _is_event_log(path: Path) -> bool:
    """Whether a file's text starts like JSON (an event log) rather than like a mail message."""
    try:
        with open(path, "rb") as handle:
            start = strip_bom(handle.read(512)).lstrip()
    except OSError:
        return False  # read_bytes says why
    return start[:1] in (b"[", b"{")


def _read_event_log(path, source, rulebase, recipient) -> Reading:
    from spor.evidence.events import read_events

    try:
        with open(path, "rb") as stream:
            findings, problems, counts = read_events(
                stream, source, evidence_spec(rulebase).events, recipient=recipient
            )
    except OSError as exc:
        raise InputError([Problem(source, Msg("cannot_read", detail=os_reason(exc)))]) from None
    if not findings and not problems:
        problems = [
            Problem(
                source,
                Msg("ev_no_events_for", address=recipient) if recipient and counts["events"] else Msg("ev_no_events"),
            )
        ]
    spec = evidence_spec(rulebase)  # each finding explained when it is read: a log of many messages is never held
    return Reading(source, EVENTS, Mapped(findings, lambda f: explain(f, spec)), problems, counts)


def _read_message(path, source, rulebase, recipient) -> Reading:
    from spor.evidence.reports import read_report

    data = read_bytes(source, path, max_bytes=MAX_MESSAGE_BYTES)
    data = strip_bom(data)
    start = data[:4096].lstrip(b"\r\n")
    if not start:
        raise InputError([Problem(source, Msg("ev_empty_message"))])
    first = start.split(b"\n", 1)[0]
    headers = start.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]  # a NUL byte in a body is read past
    if b"\0" in headers or not (start.startswith(HEADER_START) or _header_line(first)):
        raise InputError([Problem(source, Msg("ev_not_mail"), 1)])
    try:
        findings = read_report(data, source, evidence_spec(rulebase).reports)
    except RecursionError:
        raise InputError([Problem(source, Msg("ev_mime_too_deep"))]) from None
    problems = []
    if recipient:
        kept = [f for f in findings if f.kind != REPORT or f.recipient.lower() == recipient.lower()]
        if findings and findings[0].kind == REPORT and not kept:
            named = ", ".join(f.recipient for f in findings[:5] if f.recipient) or Msg("ev_none_readable")
            problems.append(Problem(source, Msg("ev_says_nothing_about", address=recipient, named=named)))
        findings = kept
    return Reading(source, "message", [explain(f, evidence_spec(rulebase)) for f in findings], problems)


def _header_line(line: bytes) -> bool:
    name, colon, _ = line.partition(b":")
    return bool(colon) and 0 < len(name) <= 76 and all(33 <= c <= 126 for c in name)


def code_meaning(status: str, codes: dict):
    """(the most specific entry for an enhanced status code, its level: 3 code, 2 subject, 1 class), or (None, 0)."""
    parts = status.split(".")
    for level in (3, 2, 1):
        entry = codes.get(".".join(parts[:level])) if len(parts) >= level else None
        if entry is not None:
            return entry, level
    return None, 0


def explain(finding: Finding, spec) -> Explained:
    """The meanings of a finding, whose side must act, and the facts it implies."""
    own = None
    if finding.kind == REPORT and spec.reports is not None:
        own = spec.reports.actions.get(finding.action)
    elif finding.kind == EVENTS and spec.events is not None:
        meanings = spec.events.meanings
        own = meanings.get(f"{finding.action}/{finding.type}") or meanings.get(finding.action)
    code, level = code_meaning(finding.status, spec.codes) if finding.status else (None, 0)
    specific = code if level >= 2 else None  # a whole code or its subject, not only its class
    classified = spec.classifications.get(finding.classification) if finding.classification else None
    reason = next((m for m in (specific, classified, code) if m is not None), None)
    facts = dict(own.facts) if own else {}
    if own is not None and own.facts and reason is not None:
        facts.update({k: v for k, v in reason.facts.items() if k not in facts})
    meanings = [m for m in (own, code, classified) if m is not None]
    # who acts: a specific code says most, then the classification, then the action or event, then the code's class
    decider = next((m for m in (specific, classified, own, code) if m is not None), None)
    return Explained(finding, meanings, facts, decider.side if decider is not None else None)


def merge(given: dict, readings: list, *, rulebase=None, evidence_wins: bool = False) -> tuple:
    """(facts, notices): the case's facts with what the evidence implies filled in where unknown.

    With the ``rulebase``, a fact the case gave as an open value (``Value.open``: not read yet) is replaced
    by what the evidence implies; with ``evidence_wins``, any value the evidence contradicts is.
    """
    implied: dict = {}  # fact -> value -> its distinct sources, in order (a dict: source -> None)
    more: dict = {}  # (fact, value) -> findings past the first MAX_SOURCES sources, only counted
    for reading in readings:
        for item in reading.explained:
            for fact, value in item.facts.items():
                sources = implied.setdefault(fact, {}).setdefault(value, {})
                if len(sources) < MAX_SOURCES or item.finding.source in sources:
                    sources[item.finding.source] = None
                else:
                    more[fact, value] = more.get((fact, value), 0) + 1
    facts, notices = dict(given), []
    for fact, values in implied.items():
        if len(values) > 1:
            shown = Joined(
                [
                    Msg("ev_value_sources", value=value, sources=_sources(sources, more.get((fact, value))))
                    for value, sources in values.items()
                ],
                "; ",
            )
            if fact in given:
                notices.append(
                    Notice("evidence_disagrees_given", {"fact": fact, "values": shown, "value": given[fact]}, fact)
                )
            else:
                notices.append(Notice("evidence_disagrees", {"fact": fact, "values": shown}, fact))
            continue
        ((value, sources),) = values.items()
        if fact not in given:
            facts[fact] = value
            source = _sources(sources, more.get((fact, value)))
            notices.append(Notice("from_evidence", {"fact": fact, "value": value, "source": source}, fact))
        elif given[fact] != value:
            code = "evidence_replaces_open" if _open(rulebase, fact, given[fact]) else None
            code = code or ("evidence_wins" if evidence_wins else "evidence_conflict")
            if code != "evidence_conflict":
                facts[fact] = value
            notices.append(
                Notice(
                    code,
                    {
                        "fact": fact,
                        "value": given[fact],
                        "other": value,
                        "source": _sources(sources, more.get((fact, value))),
                    },
                    fact,
                )
            )
    return facts, notices


def _open(rulebase, fact: str, value: str) -> bool:
    """Whether ``value`` leaves ``fact`` open (the rulebase marks it ``open: true``: not read yet)."""
    known = rulebase.facts.get(fact) if rulebase is not None else None
    found = known.value(value) if known is not None else None
    return bool(found is not None and found.open)


def _sources(sources, more: int | None = None) -> str:
    sources = list(dict.fromkeys(sources))  # a file named once, however many of its findings agree
    shown, rest = ", ".join(sources[:3]), max(len(sources) - 3, 0) + (more or 0)
    return Msg("and_more", names=shown, count=rest) if rest else shown


def evaluate_with(evaluator, given: dict, readings: list, *, evidence_wins: bool = False, **case):
    """Evaluate a case with its evidence merged in; the result carries the evidence and the merge's notices."""
    facts, notices = merge(given, readings, rulebase=evaluator.rulebase, evidence_wins=evidence_wins)
    result = evaluator.evaluate(facts, **case)
    filled = {n.fact for n in notices if n.code in FROM_EVIDENCE}
    result.warnings = notices + [w for w in result.warnings if not (w.code == "not_needed" and w.fact in filled)]
    # an event log of many messages: the result lists the first MAX_SHOWN findings, and says how many there are
    result.evidence = list(islice((item for reading in readings for item in reading.explained), MAX_SHOWN))
    total = sum(len(reading.explained) for reading in readings)
    if total > len(result.evidence):
        result.warnings.append(Notice("evidence_cut", {"shown": len(result.evidence), "total": total}))
    return result
