"""The one serialiser of results: the field order of every record spor prints.

``spor run --format json``, ``spor batch`` (JSON Lines and CSV) and the
other commands that print results write them through these functions, so
the fields and their order are said once; ``schemas/result.schema.json``
describes what they write, and the tests validate real output against it.
"""

from __future__ import annotations

import json
import os
import weakref

from spor.common.errors import format_path, printable
from spor.common.messages import text as t
from spor.inference.evaluate import RULE_WARNING, Result
from spor.rulebase.model import PLACEHOLDER

RECORD_FIELDS = ("case", "source", "title", "notes")  # the first keys of a result: they vary per record
FACTS = "facts"  # the key of a result that is written per record: it repeats the record's own facts
CSV_HEADER = (
    "source",
    "case",
    "title",
    "outcome",
    "side",
    "verdict",
    "complete",
    "missing",
    "assumed",
    "warnings",
    "error",
)  # then one column per fact; in the order of a result's JSON fields
FORMULA_START = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
)  # a CSV cell starting so is run by a spreadsheet (OWASP: CSV injection)

# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one shared encoder writes the same text
encode = json.JSONEncoder(ensure_ascii=False).encode
encode_string = json.encoder.encode_basestring  # one str as JSON, as ``encode`` writes it (C, without the encoder)


def fill(template: str, result: Result, lang: str) -> str:
    """Replace ``{fact}`` in an outcome text with the label of the case's value."""
    return fill_with(template, result.facts, result.rulebase, lang)


def fill_with(template: str, facts: dict, rulebase, lang: str) -> str:
    """``fill`` for a set of facts (given and derived) rather than a result."""
    unknown = t("unknown", lang)
    return PLACEHOLDER.sub(
        lambda m: rulebase.label(m.group(1), facts[m.group(1)], lang) if m.group(1) in facts else unknown,
        template,
    )


def as_json(result: Result, lang: str = "nb") -> dict:
    """The result as the plain data ``schemas/result.schema.json`` describes."""
    rb = result.rulebase
    outcome = result.outcome
    return {
        "case": result.case_id,
        "source": result.source,
        "title": result.title,
        "notes": result.notes,
        "rulebase": rb.id,
        "rulebase_hash": rulebase_hash(rb),
        "outcome": outcome.id if outcome else None,
        "side": outcome.side if outcome else None,
        "verdict": fill(outcome.verdict.get(lang), result, lang) if outcome else None,
        "complete": result.complete,
        "facts": result.facts,
        "given": list(result.given),
        "derived": list(result.derived),
        "missing": [
            {
                "fact": fact.id,
                "question": fact.prompt(lang),
                "where": fact.where.get(lang) if fact.where else None,
                "values": list(fact.value_ids()),
            }
            for fact in result.missing
        ],
        "assumed": [_assumed_json(item, rb, lang) for item in result.assumed],
        "trace": [
            {
                "rule": f.rule.id,
                "title": f.rule.title.get(lang),
                "file": os.path.basename(f.rule.file),
                "cites": list(f.rule.cites),
                "saw": f.saw,
                "concluded": {f.rule.target: f.rule.value},
            }
            for f in result.trace
        ],
        "warnings": [
            {
                "code": w.code,
                "message": w.message(lang, rb),
                **({"fact": w.fact} if w.fact else {}),
                **({"rule": w.params["rule"]} if w.code == RULE_WARNING else {}),
            }
            for w in result.warnings
        ],
        **({"evidence": _evidence_json(result, lang)} if result.evidence else {}),
    }


# Rulebase -> the short checksum of the rule files it was loaded from (``Loaded.digest``); weak, so that a rulebase
# no longer used is not kept alive by having been named
_HASHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def note_hash(rulebase, digest: str) -> None:
    """Say which checksum (``Loaded.digest``) the files of ``rulebase`` had when they were loaded.

    Whoever holds the ``Loaded`` should say it: then results name the bytes
    the rulebase was made from even when a file is edited while spor runs
    (``spor serve`` runs for days).
    """
    _HASHES[rulebase] = digest


def rulebase_hash(rulebase) -> str | None:
    """The short checksum of the rule files a result came from: what ``spor check`` and ``--version`` show.

    The one noted (``note_hash``), else ``Loaded.digest``'s checksum of the
    files the rulebase names, read once per rulebase (a few kilobytes, in a
    process that read them a moment ago). None when it cannot be known: a
    rulebase not made from files, or a file gone since.
    """
    found = _HASHES.get(rulebase)
    if found is None:
        found = _HASHES[rulebase] = _files_hash(rulebase.files)
    return found or None


def _files_hash(names) -> str:
    from pathlib import Path

    from spor.rulebase.loader import digest

    if not names:
        return ""
    paths = [Path(name) for name in names]
    try:
        return digest(paths, [path.read_bytes() for path in paths])
    except OSError:
        return ""


def _assumed_json(item, rulebase, lang: str) -> dict:
    """One assumption: the fact, what it was read as, the rule and sections, and what other answers lead to."""
    return {
        "fact": item.fact,
        "values": list(item.values),
        "rule": item.rule.id,
        "cites": list(item.rule.cites),
        "otherwise": [
            {
                "value": other.value,
                "outcome": other.outcome.id if other.outcome else None,
                "verdict": fill_with(other.outcome.verdict.get(lang), other.facts, rulebase, lang)
                if other.outcome
                else None,
                "missing": list(other.missing),
            }
            for other in item.otherwise
        ],
        "stopped": item.stopped,  # true: not every other answer was tried
    }


def _evidence_json(result: Result, lang: str) -> list:
    if not result.evidence:
        return []
    from spor.output.evidence import as_json as finding_json  # here: most results have no evidence (start-up)

    return [finding_json(item, result.rulebase, lang) for item in result.evidence]


def rival_json(rival) -> dict | None:
    if rival is None or rival.outcome is None:
        return None
    return {
        "outcome": rival.outcome.id,
        "changes": [{"fact": c.fact, "from": c.old, "to": c.new} for c in rival.changes],
    }


def json_line(result: Result, lang: str = "nb") -> str:
    return encode(as_json(result, lang))


def why_not_line(result: Result, rival, lang: str = "nb") -> str:
    """``json_line`` with the nearest rival outcome (``run --explain``) as ``why_not``."""
    return encode({**as_json(result, lang), "why_not": rival_json(rival)})


def error_record(source: str, case_id: str | None, problems: list) -> dict:
    """A record that could not be decided: its source, its case id if known, and every problem."""
    return {
        "source": source,
        "case": case_id,
        "error": "; ".join(f"{format_path(p.path)}: {p.message}" if p.path else p.message for p in problems),
        "problems": [p.as_dict() for p in problems],
    }


def record_head(case_id, source: str, title, notes) -> str:
    """A result's own fields (``RECORD_FIELDS``) as the start of a JSON object, without its closing brace."""
    fields = (case_id, source, title, notes)
    if all(type(value) is str for value in fields):
        case, where, title, notes = map(encode_string, fields)
        return f'{{"case": {case}, "source": {where}, "title": {title}, "notes": {notes}'
    return encode(dict(zip(RECORD_FIELDS, fields)))[:-1]


def cell(text) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in FORMULA_START else text


def text_cell(text) -> str:
    """A cell of free text (a title, a verdict): ``cell``, and every control character shown as its escape
    (``errors.printable``; line ends kept, the CSV writer quotes them). A carriage return or an escape sequence in
    a title would otherwise reach a terminal that shows the file, or end the row for a reader that splits on
    lines; JSON Lines keeps the exact text."""
    return cell(printable("" if text is None else str(text), lines=True))


def uncell(text: str) -> str:
    """The text of a cell written by ``cell``."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def csv_header(facts) -> list:
    return [*CSV_HEADER, *facts]


def csv_result_row(data: dict, facts) -> list:
    """A result (as ``as_json`` gives it) as a CSV row under ``csv_header(facts)``."""
    given = data[FACTS]
    return [
        cell(data["source"]),
        cell(data["case"]),
        text_cell(data["title"]),
        data["outcome"] or "",
        data["side"] or "",
        text_cell(data["verdict"]),
        "yes" if data["complete"] else "no",
        ";".join(m["fact"] for m in data["missing"]),
        ";".join(a["fact"] for a in data["assumed"]),  # decided on these, read as unknown (the reasons say how)
        ";".join(w["code"] for w in data["warnings"]),
        "",
        *[given.get(f, "") for f in facts],
    ]


def csv_error_row(data: dict, facts) -> list:
    """An error record as a CSV row under ``csv_header(facts)``."""
    own = [cell(data["source"]), cell(data["case"]), "", "", "", ""]  # an error record has no title or verdict
    return [*own, "no", "", "", "", cell(data["error"]), *[""] * len(facts)]
