"""Batch input: every record of case files, JSON Lines files and CSV files, each one Record.

Every record read yields exactly one Record: a case ready to evaluate, or
the problems that stopped it, with its source (file, or file and line). The
input is read record by record, so memory stays flat however long it is.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from spor.common.errors import InputError, Problem, shown
from spor.common.files import BOM, bounded_lines, files_in, strip_bom
from spor.common.messages import Msg
from spor.common.reader import Document, DuplicateKey, NumberTooLong, bounded_int, check_plain, unique_pairs
from spor.common.records import field, record
from spor.rulebase.cases import CASE_SUFFIXES, MAX_CASE_BYTES, Case, Normaliser, case_from_document, load_case

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
ID_START = '{"id": "'  # how a JSON Lines record written by json.dumps starts, with a text id
MAX_SEEN_LINES, MAX_SEEN_REST = 5_000, 1024  # lines remembered per file, their length after the id: ~10 MB with facts
STDIN, STDIN_NAME = "-", "<stdin>"  # an input of "-" is JSON Lines read from standard input
JSONL_SUFFIXES = (".jsonl", ".ndjson")
ALL_SUFFIXES = (*CASE_SUFFIXES, *JSONL_SUFFIXES, ".csv")
META_COLUMNS = ("id", "title", "notes")


def csv_module():
    """The csv module, with cells as long as a case file may be: imported when CSV is read or written, not at
    every start of ``spor batch`` (most batches are JSON Lines)."""
    import csv

    csv.field_size_limit(MAX_CASE_BYTES)
    return csv


@record
class Record:
    """One input record: a case ready to evaluate, or the problems that stopped it."""

    source: str
    case: Case | None = None
    problems: list = field(default_factory=list)
    case_id: str | None = None
    alone: bool = False  # the only record of its file: reading the next may take a while, so write it out at once


def records(paths, normaliser: Normaliser, exclude=None):
    """Yield a Record for every record of every input, in input order (``exclude``: the output file)."""
    for raw in paths:
        if str(raw) == STDIN:  # JSON Lines on standard input
            yield from _jsonl(None, normaliser)
            continue
        path = Path(raw)
        if path.is_dir():  # case files, JSON Lines and CSV files inside, by the one folder policy (files.files_in)
            for file in files_in(path, ALL_SUFFIXES, exclude=exclude):  # never the results being written
                yield from _file(file, normaliser)
        else:
            yield from _file(path, normaliser)


def _file(path: Path, normaliser):
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl(path, normaliser)
    elif suffix == ".csv":
        yield from _csv(path, normaliser)
    else:
        yield _case_file(path, normaliser)


def _case_file(path: Path, normaliser) -> Record:
    name = shown(path)
    try:
        case = load_case(path, normaliser, name=name)
    except InputError as exc:
        return Record(name, problems=exc.problems, alone=True)
    return Record(name, case, case_id=case.id, alone=True)


def _from_data(source: str, data, normaliser) -> Record:
    known = normaliser.known_case(data, source)  # facts seen before: most records of an export
    if known is not None:
        return Record(source, known, case_id=known.id)
    doc = Document(source, data)
    try:
        case = case_from_document(doc, normaliser, default_id=source)
    except InputError as exc:
        case_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) else None
        if isinstance(case_id, str) and not (case_id.isprintable() and len(case_id) <= 200):
            case_id = None  # an id the schema refused is not repeated into the output
        return Record(source, problems=exc.problems, case_id=None if case_id is None else str(case_id))
    return Record(source, case, case_id=case.id)


def _lines(path: Path):
    """(line number, bytes) of a text file; None for a line longer than a case file may be."""
    name = shown(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        from spor.common.reasons import os_reason

        raise InputError([Problem(name, Msg("cannot_read", detail=os_reason(exc)))]) from None
    with handle:
        yield from bounded_lines(handle, MAX_CASE_BYTES)


class SeenLines:
    """The cases of one JSON Lines file's lines, by each line's text after its id (``_jsonl``), bounded:
    at most MAX_SEEN_LINES lines of at most MAX_SEEN_REST characters (with their facts, about 10 MB); others are
    not remembered."""

    def __init__(self) -> None:
        self.cases: dict = {}  # text after the id -> (facts, title, notes)

    def remember(self, rest: str, case: Case) -> None:
        if len(rest) <= MAX_SEEN_REST and len(self.cases) < MAX_SEEN_LINES:
            self.cases[rest] = (dict(case.facts), case.title, case.notes)


_decode = json.JSONDecoder(
    object_pairs_hook=unique_pairs, parse_int=bounded_int
).decode  # one decoder: json.loads makes one per call


def _jsonl(path: Path | None, normaliser):
    """The records of a JSON Lines file, or of standard input (``path`` None)."""
    name = shown(path) if path is not None else STDIN_NAME
    if path is not None and not path.is_file():
        yield Record(name, problems=[Problem(name, Msg("no_such_file"))])
        return
    lines = _lines(path) if path is not None else bounded_lines(sys.stdin.buffer, MAX_CASE_BYTES)
    seen = SeenLines()
    recall = seen.cases.get
    for number, line in lines:
        source = f"{name}:{number}"
        if line is None:
            yield Record(source, problems=[Problem(source, Msg("line_too_long", limit=MAX_CASE_BYTES))])
            continue
        try:
            text = line.decode("utf-8")  # not "utf-8-sig": it would name the wrong byte of an error after the BOM
        except UnicodeDecodeError as exc:
            message = Msg("line_not_utf8", byte=f"0x{line[exc.start]:02x}")
            bom = len(BOM) if number == 1 and line.startswith(BOM) else 0  # a BOM is no column an editor shows
            yield Record(source, problems=[Problem(source, message, column=exc.start - bom + 1)])
            continue
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]  # a BOM (Windows tools write one) is not text
        # An export repeats few combinations of facts: a line that is, to the byte, a line read before but for a
        # plain text id (no escape, no control character) gives the same case under that id. JSON reads the id's
        # text as it is, and what follows it was parsed, checked and normalised then, duplicate keys included.
        rest = case_id = None
        if text.startswith(ID_START):
            end = text.find('"', len(ID_START))
            case_id, rest = text[len(ID_START) : end], text[end:]
            if end > len(ID_START) and "\\" not in case_id and len(case_id) <= 200 and min(case_id) >= " ":
                known = recall(rest)
                if known is not None:
                    facts, title, notes = known
                    yield Record(source, Case(case_id, source, dict(facts), title=title, notes=notes), case_id=case_id)
                    continue
            else:
                rest = None
        if not text.strip():
            continue  # a blank line is not a record
        try:
            data = _decode(text)
            if "\\u" in text and _ESCAPED_SURROGATE.search(text):
                check_plain(source, data)
        except InputError as exc:
            yield Record(source, problems=exc.problems)
            continue
        except json.JSONDecodeError as exc:
            from spor.common.reasons import json_reason

            message = Msg("bad_json", why=json_reason(exc.msg))
            yield Record(source, problems=[Problem(source, message, column=exc.colno)])
            continue
        except (DuplicateKey, NumberTooLong) as exc:
            yield Record(source, problems=[Problem(source, exc.message)])
            continue
        except RecursionError:
            yield Record(source, problems=[Problem(source, Msg("nested_too_deeply"))])
            continue
        item = _from_data(source, data, normaliser)
        if rest is not None and item.case is not None and item.case.id == case_id and "expect" not in data:
            seen.remember(rest, item.case)
        yield item


MAX_CONTINUATION = 5000  # physical lines one quoted CSV cell may span before it is taken as broken


def _csv(path: Path, normaliser):
    """CSV: a header row of fact names (and optionally id, title, notes), then one case per row.

    Rows are read line by line, so that a broken row (an unclosed quote, a
    cell too long) gives an error record and the rows after it are still
    read; a header spor cannot use gives an error record for every row.
    """
    where = shown(path)
    if not path.is_file():
        yield Record(where, problems=[Problem(where, Msg("no_such_file"))])
        return
    try:
        handle = open(path, "rb")  # decoded line by line: one bad byte costs its row, not the rest of the file
    except OSError as exc:
        from spor.common.reasons import os_reason

        yield Record(where, problems=[Problem(where, Msg("cannot_read", detail=os_reason(exc)))])
        return
    with handle:
        try:
            rows = _csv_rows(handle)
            first = next(rows, None)
            if first is None:
                yield Record(f"{where}:1", problems=[Problem(where, Msg("csv_empty"), 1)])
                return
            _, header, delimiter, broken = first
            header = [h.strip() for h in header or []]
            problem = broken and Problem(where, broken, 1) or _check_header(where, header, normaliser)
            unusable = problem and Msg("csv_header_unusable", problem=problem.message)  # the same for every row
            seen = False
            for number, row, _, broken in rows:
                source, seen = f"{where}:{number}", True
                if unusable:
                    yield Record(source, problems=[Problem(source, unusable)])
                elif broken:
                    yield Record(source, problems=[Problem(source, broken)])
                elif len(row) != len(header):
                    message = Msg("csv_row_width", cells=len(row), width=len(header))
                    yield Record(source, problems=[Problem(source, message)])
                else:
                    data: dict = {"facts": {}}
                    for name, cell in zip(header, row):
                        cell = cell.strip()
                        if cell:  # an empty cell: unknown
                            (data if name in META_COLUMNS else data["facts"])[name] = cell
                    yield _from_data(source, data, normaliser)
            if problem and not seen:  # a header and no rows: the header is the one record
                yield Record(f"{where}:1", problems=[problem])
        except OSError as exc:
            from spor.common.reasons import os_reason

            yield Record(where, problems=[Problem(where, Msg("cannot_read", detail=os_reason(exc)))])


def _csv_rows(handle):
    """Yield (line number, cells or None, delimiter, problem or None) for each non-blank CSV row.

    Each row is parsed strictly on its own line first; only when the line
    ends inside a quoted cell are the following lines joined, and the joined
    text must make a row as wide as the header. Otherwise the first line is
    reported broken and the lines after it are read again as rows of their own.
    """
    lines = _text_lines(handle)
    pending: list = []  # physical lines given back after a broken row
    delimiter, width = None, None
    while True:
        if pending:
            number, line = pending.pop(0)
        else:
            number, line = next(lines, (None, None))
            if number is None:
                return
        if not isinstance(line, str):  # a line that could not be read as text: its problem
            yield number, None, delimiter or ",", line.message
            continue
        if delimiter is None:
            delimiter = max(",;\t", key=line.count) if line.strip() else ","
        parts, row, problem = [line], None, None
        while True:
            text = "".join(parts)
            if len(text) > MAX_CASE_BYTES:
                problem = Msg("csv_row_too_long", limit=MAX_CASE_BYTES)
                break
            try:
                row = next(csv_module().reader([text], delimiter=delimiter, strict=True), [])
                break
            except csv_module().Error as exc:
                more = pending.pop(0) if pending else next(lines, (None, None))
                following = more[1]
                if (
                    "unexpected end of data" not in str(exc)
                    or not isinstance(following, str)  # no more lines, or one that is not text
                    or len(parts) >= MAX_CONTINUATION
                ):
                    if more[0] is not None:
                        pending.insert(0, more)
                    problem = (
                        Msg("csv_quote_not_closed")
                        if "unexpected end of data" in str(exc)
                        else Msg("csv_invalid", why=str(exc))
                    )
                    break
                parts.append(following)
        if len(parts) > 1 and (row is None or len(row) != width):
            pending = [(number + i, p) for i, p in enumerate(parts[1:], 1)] + pending
            yield number, None, delimiter, Msg("csv_quote_not_closed")
            continue
        if row is not None and not any(cell.strip() for cell in row):
            continue
        if width is None and row is not None:
            width = len(row)
        yield number, row, delimiter, problem


def _text_lines(handle):
    """(line number, text) of each line of a binary CSV stream, each decoded on its own; for a line that is
    too long or not UTF-8, (line number, Problem) instead, and the lines after it are still read."""
    for number, raw in bounded_lines(handle, MAX_CASE_BYTES):
        if raw is None:
            yield number, Problem("", Msg("csv_row_too_long", limit=MAX_CASE_BYTES), number)
            continue
        try:
            yield number, (strip_bom(raw) if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            message = Msg("csv_line_not_utf8", byte=f"0x{exc.object[exc.start]:02x}", column=exc.start + 1)
            yield number, Problem("", message, number, exc.start + 1)


def _check_header(where: str, header, normaliser):
    if not header or not any(header):
        return Problem(where, Msg("csv_empty"), 1)
    seen = set()
    for i, name in enumerate(header, 1):
        if name in seen:
            return Problem(where, Msg("csv_column_twice", name=name), 1, i)
        seen.add(name)
        if name not in META_COLUMNS and name not in normaliser.rulebase.facts:
            from spor.common.reasons import did_you_mean

            known = ", ".join([*META_COLUMNS, *normaliser.rulebase.facts])
            hint = did_you_mean(name, normaliser.rulebase.facts)
            return Problem(where, Msg("csv_unknown_column", name=name, hint=hint, known=known), 1, i)
    return None
