"""Run many cases from folders, JSON Lines or CSV, streaming: one result per record.

Every record read yields exactly one output record: a result, or an error
record naming its source (file, or file and line) and what was wrong. The
input is read record by record and each result is written before the next
record is read, so memory stays flat however long the input. The summary
counts outcomes, the values of the facts the rulebase names for summaries,
incomplete cases and errors, and shows that records in = results + errors.
"""
from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter
from contextlib import closing

from spor.common.records import field, record
from pathlib import Path

from spor.rulebase.cases import CASE_SUFFIXES, MAX_CASE_BYTES, Normaliser, case_from_document, load_case
from spor.common.errors import InputError, Problem, format_path, shown
from spor.common.reader import Document, _check_plain

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
csv.field_size_limit(MAX_CASE_BYTES)  # a cell may be as long as a case file may be
JSONL_SUFFIXES = (".jsonl", ".ndjson")
ALL_SUFFIXES = (*CASE_SUFFIXES, *JSONL_SUFFIXES, ".csv")
META_COLUMNS = ("id", "title", "notes")


@record
class Record:
    """One input record: a case ready to evaluate, or the problems that stopped it."""

    source: str
    case: object = None  # cases.Case
    problems: list = field(default_factory=list)
    case_id: str | None = None
    alone: bool = False  # the only record of its file: reading the next may take a while, so write it out at once


def records(paths, normaliser: Normaliser, exclude=None):
    """Yield a Record for every record of every input, in input order (``exclude``: the output file)."""
    skip = Path(exclude).resolve() if exclude else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # case files, JSON Lines and CSV files inside, in name order
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ALL_SUFFIXES):
                if file.resolve() != skip:  # never read the results being written
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
    """(line number, text) of a text file, refusing lines longer than a case file may be."""
    name = shown(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError([Problem(name, f"cannot be read: {exc.strerror or exc}")]) from None
    with handle:
        for number, line in enumerate(iter(lambda: handle.readline(MAX_CASE_BYTES + 1), b""), 1):
            if len(line) > MAX_CASE_BYTES and not line.endswith(b"\n"):
                yield number, None  # too long: the rest of it is skipped below
                while line and not line.endswith(b"\n"):
                    line = handle.readline(MAX_CASE_BYTES + 1)
                continue
            yield number, line


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(f"duplicate key {key!r}: each key may appear once, or one of the values would be lost")
        out[key] = value
    return out


_decode = json.JSONDecoder(object_pairs_hook=_no_duplicates).decode  # one decoder: json.loads makes one per call


def _jsonl(path: Path, normaliser):
    name = shown(path)
    if not path.is_file():
        yield Record(name, problems=[Problem(name, "no such file")])
        return
    for number, line in _lines(path):
        source = f"{name}:{number}"
        if line is None:
            yield Record(source, problems=[Problem(source, f"the line is longer than {MAX_CASE_BYTES:,} bytes")])
            continue
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Record(source, problems=[Problem(source, f"the line is not UTF-8 (byte 0x{line[exc.start]:02x})", column=exc.start + 1)])
            continue
        if not text.strip():
            continue  # a blank line is not a record
        try:
            data = _decode(text)
            if "\\u" in text and _ESCAPED_SURROGATE.search(text):
                _check_plain(source, data)
        except InputError as exc:
            yield Record(source, problems=exc.problems)
            continue
        except json.JSONDecodeError as exc:
            yield Record(source, problems=[Problem(source, f"not valid JSON: {exc.msg}", column=exc.colno)])
            continue
        except _Duplicate as exc:
            yield Record(source, problems=[Problem(source, str(exc))])
            continue
        except RecursionError:
            yield Record(source, problems=[Problem(source, "nested too deeply")])
            continue
        yield _from_data(source, data, normaliser)


MAX_CONTINUATION = 5000  # physical lines one quoted CSV cell may span before it is taken as broken


def _csv(path: Path, normaliser):
    """CSV: a header row of fact names (and optionally id, title, notes), then one case per row.

    Rows are read line by line, so that a broken row (an unclosed quote, a
    cell too long) gives an error record and the rows after it are still
    read; a header spor cannot use gives an error record for every row.
    """
    where = shown(path)
    if not path.is_file():
        yield Record(where, problems=[Problem(where, "no such file")])
        return
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        yield Record(where, problems=[Problem(where, f"cannot be read: {exc.strerror or exc}")])
        return
    with handle:
        try:
            rows = _csv_rows(handle)
            first = next(rows, None)
            if first is None:
                yield Record(f"{where}:1", problems=[Problem(where, "the file is empty: expected a header row of fact names", 1)])
                return
            _, header, delimiter, broken = first
            header = [h.strip() for h in header or []]
            problem = broken and Problem(where, broken, 1) or _check_header(where, header, normaliser)
            seen = False
            for number, row, _, broken in rows:
                source, seen = f"{where}:{number}", True
                if problem:
                    yield Record(source, problems=[Problem(source, f"the header cannot be used: {problem.message}")])
                elif broken:
                    yield Record(source, problems=[Problem(source, broken)])
                elif len(row) != len(header):
                    yield Record(source, problems=[Problem(source, f"{len(row)} cells, the header has {len(header)}")])
                else:
                    data = {"facts": {}}
                    for name, cell in zip(header, row):
                        cell = cell.strip()
                        if cell:  # an empty cell: unknown
                            (data if name in META_COLUMNS else data["facts"])[name] = cell
                    yield _from_data(source, data, normaliser)
            if problem and not seen:  # a header and no rows: the header is the one record
                yield Record(f"{where}:1", problems=[problem])
        except UnicodeDecodeError as exc:
            yield Record(where, problems=[Problem(where, f"the file is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); "
                                                      "the rest is not read")])


def _csv_rows(handle):
    """Yield (line number, cells or None, delimiter, problem or None) for each non-blank CSV row.

    Each row is parsed strictly on its own line first; only when the line
    ends inside a quoted cell are the following lines joined, and the joined
    text must make a row as wide as the header. Otherwise the first line is
    reported broken and the lines after it are read again as rows of their own.
    """
    lines = iter(enumerate(handle, 1))
    pending = []  # physical lines given back after a broken row
    delimiter, width = None, None
    while True:
        if pending:
            number, line = pending.pop(0)
        else:
            number, line = next(lines, (None, None))
            if line is None:
                return
        if delimiter is None:
            delimiter = max(",;\t", key=line.count) if line.strip() else ","
        parts, row, problem = [line], None, None
        while True:
            text = "".join(parts)
            if len(text) > MAX_CASE_BYTES:
                problem = f"the row is longer than {MAX_CASE_BYTES:,} characters"
                break
            try:
                row = next(csv.reader([text], delimiter=delimiter, strict=True), [])
                break
            except csv.Error as exc:
                more = pending.pop(0) if pending else next(lines, (None, None))
                if "unexpected end of data" not in str(exc) or more[1] is None or len(parts) >= MAX_CONTINUATION:
                    if more[1] is not None:
                        pending.insert(0, more)
                    problem = "a quoted cell is not closed" if "unexpected end of data" in str(exc) else f"not valid CSV: {exc}"
                    break
                parts.append(more[1])
        if len(parts) > 1 and (row is None or len(row) != width):
            pending = [(number + i, p) for i, p in enumerate(parts[1:], 1)] + pending
            yield number, None, delimiter, "a quoted cell is not closed"
            continue
        if row is not None and not any(cell.strip() for cell in row):
            continue
        if width is None and row is not None:
            width = len(row)
        yield number, row, delimiter, problem


def _check_header(where: str, header, normaliser):
    if not header or not any(header):
        return Problem(where, "the file is empty: expected a header row of fact names", 1)
    seen = set()
    for i, name in enumerate(header, 1):
        if name in seen:
            return Problem(where, f"the column {name!r} appears twice", 1, i)
        seen.add(name)
        if name not in META_COLUMNS and name not in normaliser.rulebase.facts:
            from spor.common.suggest import closest

            known = ", ".join([*META_COLUMNS, *normaliser.rulebase.facts])
            return Problem(where, f"unknown column {name!r}{closest(name, normaliser.rulebase.facts)}; known: {known}", 1, i)
    return None


@record
class Summary:
    records: int = 0
    results: int = 0
    errors: int = 0
    incomplete: int = 0
    outcomes: Counter = field(default_factory=Counter)
    values: dict = field(default_factory=dict)  # fact -> Counter
    skipped: int = 0  # records already in the output when resuming

    def add(self, decision: Decision, summary_facts) -> None:
        self.records += 1
        self.results += 1
        self.outcomes[decision.outcome] += 1
        if not decision.complete:
            self.incomplete += 1
        for name, value in zip(summary_facts, decision.counted):
            self.values.setdefault(name, Counter())[value] += 1

    def add_error(self) -> None:
        self.records += 1
        self.errors += 1

    def lines(self, lang: str = "nb") -> list:
        from spor.common.messages import number, text

        def counts(counter):
            return ", ".join(f"{text('batch_undecided', lang) if k is None else k} {number(v, lang)}"
                             for k, v in counter.most_common())

        sums = {"records": number(self.records, lang), "results": number(self.results, lang),
                "errors": number(self.errors, lang)}
        out = [text("batch_head", lang, **sums)]
        out.append(f"  {text('batch_outcomes', lang)}: {counts(self.outcomes) or '-'}")
        for name, counter in self.values.items():
            out.append(f"  {name}: {counts(counter)}")
        out.append(f"  {text('batch_incomplete', lang)}: {number(self.incomplete, lang)}")
        out.append(f"  {text('batch_errors', lang)}: {number(self.errors, lang)}")
        out.append(f"  {text('batch_balance', lang, **sums)}")
        if self.skipped:
            out.append(f"  {text('batch_resumed', lang, skipped=number(self.skipped, lang))}")
        return out


def error_record(record: Record) -> dict:
    return {
        "source": record.source,
        "case": record.case_id,
        "error": "; ".join(f"{format_path(p.path)}: {p.message}" if p.path else p.message for p in record.problems),
        "problems": [p.as_dict() for p in record.problems],
    }


RECORD_FIELDS = ("case", "source", "title", "notes")  # the first keys of a result: they vary per record
FACTS = "facts"  # the key of a result that is written per record: it repeats the record's own facts


@record
class Decision:
    """A result for one set of facts, kept to be written again for identical facts.

    Everything but the record's own fields and its given facts: those each
    record writes itself, so that one Decision serves every combination of
    facts with the same verdict, trace, questions and warnings.
    """

    __slots__ = ("data", "before", "after", "derived", "outcome", "complete", "counted")  # many are kept: no __dict__

    data: dict | None  # as_json() without the record's own fields; its "facts" only the derived ones (CSV output only)
    before: tuple  # the JSON text before "facts", one shared string per "key": value
    after: tuple  # the JSON text after "facts", likewise
    derived: str  # the derived facts as JSON text without its opening brace: '"a": "b"}', or '}' for none
    outcome: str | None
    complete: bool
    counted: tuple  # values of the summary facts

    def facts_text(self, given: str) -> str:
        """The result's "facts" as JSON: ``given`` (the record's facts as JSON text) followed by the derived ones."""
        if self.derived == "}":
            return given
        return "{" + self.derived if given == "{}" else given[:-1] + ", " + self.derived


class DecisionCache:
    """Results by normalised facts: a decision is a pure function of rulebase and facts.

    Exports repeat the same few combinations of facts over and over, so the
    engine runs once per distinct combination. Bounded: when full, the
    oldest entry goes. An entry costs about 100 bytes (a key of one
    character per fact, and its slot), because what a result holds is kept
    once for every combination that shares it: the Decision itself, and
    each of its parts as one string per "key": value. The bound of 50,000
    entries holds all of the shipped rulebase's 38,880 combinations of
    input facts, so memory stays flat however long the input.
    """

    MAX_SHARED = 20_000  # distinct pieces, and distinct decisions, kept for sharing; beyond, new ones are not shared

    def __init__(self, evaluator, lang: str, size: int = 50_000, keep_data: bool = False):
        self.evaluator, self.lang, self.size, self.keep_data = evaluator, lang, size, keep_data
        self.entries: dict = {}
        self.shared: dict = {}  # piece -> the same piece, kept once
        self.decisions: dict = {}  # a decision's parts -> the one Decision with them
        self.counted = evaluator.rulebase.summary
        self.names = tuple(evaluator.rulebase.facts)
        # one character per value of each fact, "\0" for unknown: the key of a record's facts
        self.codes = tuple((name, {None: "\0", **{v: chr(i) for i, v in enumerate(fact.value_ids(), 1)}})
                           for name, fact in evaluator.rulebase.facts.items())

    def key(self, facts: dict):
        """The same facts in any order give one key: one character per fact, in the rulebase's order.

        Small (a short string) and quick to make: a key is made for every
        record. A value outside the rulebase's domain (a Normaliser never
        gives one) gets a tuple of the values instead."""
        get = facts.get
        try:
            return "".join([code[get(name)] for name, code in self.codes])
        except KeyError:
            return tuple(get(name) for name in self.names)

    def get(self, facts: dict) -> Decision:
        key = self.key(facts)
        found = self.entries.get(key)
        if found is None:
            found = self.put(key, self.decide(facts))
        return found

    def decide(self, facts: dict) -> Decision:
        """Run the engine on one case (no cache): the result's JSON pieces and what the summary counts."""
        from spor.output.render import as_json

        result = self.evaluator.evaluate(facts)
        data = {k: v for k, v in as_json(result, self.lang).items() if k not in RECORD_FIELDS}
        pieces = [_key_text(key) + _encode(value) for key, value in data.items() if key != FACTS]
        at = list(data).index(FACTS)
        data[FACTS] = result.derived
        return Decision(data if self.keep_data else None, tuple(pieces[:at]), tuple(pieces[at:]),
                        _encode(result.derived)[1:], data["outcome"], result.complete,
                        tuple(result.facts.get(name) for name in self.counted))

    def put(self, key, decision: Decision) -> Decision:
        """Keep a decision (the same one as an earlier, equal decision); the oldest goes when full."""
        decision = self._same(decision)
        if len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)))
        self.entries[key] = decision
        return decision

    def _same(self, decision: Decision) -> Decision:
        """An earlier Decision equal to this one if there is one; else this one, its pieces shared."""
        share = self._share
        decision.before = tuple(share(piece) for piece in decision.before)
        decision.after = tuple(share(piece) for piece in decision.after)
        decision.derived = share(decision.derived)
        parts = (decision.before, decision.after, decision.derived, decision.counted)
        found = self.decisions.get(parts)
        if found is None:  # the parts hold all a decision says (its data is their text's source)
            found = decision
            if len(self.decisions) < self.MAX_SHARED:
                self.decisions[parts] = decision
        return found

    def _share(self, piece: str) -> str:
        found = self.shared.get(piece)
        if found is None:
            found = piece
            if len(self.shared) < self.MAX_SHARED:
                self.shared[piece] = piece
        return found


# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one shared encoder writes the same text
_encode = json.JSONEncoder(ensure_ascii=False).encode
_text = json.encoder.encode_basestring  # one str as JSON, as _encode writes it (C, without the encoder's machinery)
_KEY_TEXTS: dict = {}


def _key_text(key: str) -> str:
    """'"key": ' as JSON writes it."""
    text = _KEY_TEXTS.get(key)
    if text is None:
        text = _KEY_TEXTS[key] = _encode(key) + ": "
    return text


def _head(case, source: str) -> dict:
    return {"case": case.id, "source": source, "title": case.title, "notes": case.notes}


class JsonlWriter:
    """Results as JSON Lines, each line built from text made once: the decision's pieces, each fact's "name": value."""

    def __init__(self, stream, rulebase, header=True):
        self.stream = stream
        self.names = tuple(rulebase.facts)
        self.pairs = {name: {value: f"{_text(name)}: {_text(value)}" for value in fact.value_ids()}
                      for name, fact in rulebase.facts.items()}

    def decision(self, case, source: str, decision: Decision) -> None:
        self.stream.write(f"{self.head(case, source)}, {', '.join(decision.before)}, "
                          f"\"facts\": {decision.facts_text(self.given(case.facts))}, {', '.join(decision.after)}}}\n")

    def given(self, facts: dict) -> str:
        """The record's facts as JSON, in the rulebase's order (the same text as json.dumps of them in that order)."""
        pairs = self.pairs
        try:
            return "{" + ", ".join([pairs[name][facts[name]] for name in self.names if name in facts]) + "}"
        except (KeyError, TypeError):  # a value outside the rulebase's domain: a Normaliser never gives one
            return _encode({name: facts[name] for name in self.names if name in facts})

    @staticmethod
    def head(case, source: str) -> str:
        """The record's own fields as the start of a JSON object (no closing brace)."""
        fields = (case.id, source, case.title, case.notes)
        if all(type(value) is str for value in fields):
            return '{"case": %s, "source": %s, "title": %s, "notes": %s' % tuple(map(_text, fields))
        return _encode(_head(case, source))[:-1]

    def error(self, data: dict) -> None:
        self.stream.write(_encode(data) + "\n")


def _cell(text) -> str:
    """A text cell that a spreadsheet will not run as a formula (OWASP: CSV injection)."""
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _uncell(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


class CsvWriter:
    """Results as CSV: fixed columns, then one column per fact of the rulebase."""

    def __init__(self, stream, rulebase, header=True):
        self.facts = list(rulebase.facts)
        self.writer = csv.writer(stream, lineterminator="\n")
        if header:
            self.writer.writerow(["source", "case", "outcome", "side", "complete", "missing", "warnings", "error", *self.facts])

    def decision(self, case, source: str, decision: Decision) -> None:
        self.result({**_head(case, source), **decision.data, FACTS: {**case.facts, **decision.data[FACTS]}})

    def result(self, data: dict) -> None:
        facts = data["facts"]
        self.writer.writerow([
            _cell(data["source"]), _cell(data["case"]), data["outcome"] or "", data["side"] or "", "yes" if data["complete"] else "no",
            ";".join(m["fact"] for m in data["missing"]), ";".join(w["code"] for w in data["warnings"]), "",
            *[facts.get(f, "") for f in self.facts],
        ])

    def error(self, data: dict) -> None:
        self.writer.writerow([_cell(data["source"]), _cell(data["case"]), "", "", "no", "", "", _cell(data["error"]),
                              *[""] * len(self.facts)])


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter}


CSV_HEADER = ("source", "case", "outcome", "side", "complete", "missing", "warnings", "error")


def _output_records(path: Path, fmt: str):
    """Yield (line number, end offset, record as a dict) for each complete record of an output file.

    Lines are split on newline bytes only (a title may hold U+2028); a last
    line without its newline is a record cut by a kill and is not yielded.
    Raises InputError for a file that is not spor batch output.
    """
    with open(path, "rb") as handle:
        offset, header = 0, None
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                return  # torn by a kill
            offset += len(line)
            try:
                text = line.decode("utf-8")
                if fmt == "csv":
                    row = next(csv.reader([text]))
                    if header is None:
                        header = row
                        if tuple(row[:len(CSV_HEADER)]) != CSV_HEADER:
                            raise ValueError
                        continue
                    entry = dict(zip(header, (_uncell(cell) for cell in row)))
                    entry["complete"] = entry["complete"] == "yes"
                    entry["facts"] = {k: v for k, v in entry.items() if k not in CSV_HEADER and v}
                else:
                    entry = json.loads(text)
                if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
                    raise ValueError
            except (ValueError, StopIteration):
                raise InputError([Problem(str(path), "this is not spor batch output: cannot resume from it", number)]) from None
            yield number, offset, entry


def scan_output(path: Path, fmt: str, summary_facts) -> tuple:
    """(records, bytes to keep, their Summary) of an earlier run's output, checked before anything is cut."""
    summary, keep, count = Summary(), 0, 0
    if not path.exists():
        return 0, 0, summary
    with open(path, "rb") as handle:
        start = handle.read(16)
    looks_right = start.startswith((b'{"case": ', b'{"source": ')) if fmt == "jsonl" else start.startswith(b"source,case,")
    if start and not looks_right:
        raise InputError([Problem(str(path), "this is not spor batch output: cannot resume from it", 1)])
    for _, offset, entry in _output_records(path, fmt):
        count, keep = count + 1, offset
        if entry.get("error"):
            summary.add_error()
        else:
            facts = entry.get("facts") or {}
            summary.add(Decision(None, (), (), "}", entry.get("outcome") or None, bool(entry.get("complete")),
                                 tuple(facts.get(name) for name in summary_facts)), summary_facts)
    return count, keep, summary


def output_sources(path: Path, fmt: str):
    """The sources of an output's records, in order, read as they are needed."""
    for _, _, entry in _output_records(path, fmt):
        yield entry["source"]


# Results are written out at least this often (and at once when stopped): a reader of the output sees them
# as they come, without a system call per record (flushing each one cost about 3% of a run)
FLUSH_SECONDS = 0.2


def run(inputs, evaluator, normaliser, writer, stream, lang: str, done=(), done_count: int = 0,
        on_record=None, summary=None, exclude=None, jobs: int = 1) -> Summary:
    """Evaluate every record of ``inputs`` and write one output record each; skip the first ``done_count``.

    The records skipped must be the ones the sources in ``done`` (an
    iterable, read as needed) name, in order, or the output does not belong
    to these inputs. ``summary`` may already count the skipped records.
    With ``jobs`` above 1 the engine runs in that many worker processes
    (``parallel``); the output is the same, byte for byte.
    """
    from spor.inference.session import keep_heap_slack

    keep_heap_slack()  # many engine sessions in a row: see its docstring
    summary = summary or Summary()
    cache = DecisionCache(evaluator, lang, keep_data=isinstance(writer, CsvWriter))
    items = _pending(records(inputs, normaliser, exclude), done, done_count, str(inputs[0]))
    if jobs > 1:
        from spor.batch.workers import decided

        stream_of = decided(items, cache, jobs)
    else:
        stream_of = ((item, _decision(cache, item)) for item in items)
    flushed = time.monotonic()
    with closing(stream_of):  # a failure while writing stops the worker processes at once, not at exit
        for item, decision in stream_of:
            _emit(item, decision, writer, summary, evaluator.rulebase.summary)
            now = time.monotonic()
            if item.alone or now - flushed >= FLUSH_SECONDS:
                stream.flush()
                flushed = now
            if on_record:
                on_record(summary)
    stream.flush()
    summary.skipped = done_count
    return summary


def _pending(items, done, done_count: int, first_input: str):
    """The records after the ``done_count`` an earlier run wrote, checking those are this input's first ones."""
    done = iter(done)
    seen = 0
    for index, item in enumerate(items):
        seen = index + 1
        if index < done_count:
            expected = next(done, None)
            if item.source != expected:
                raise InputError([Problem(item.source, f"cannot resume: record {index + 1} of the output came from "
                                          f"{expected}, not from this input")])
            continue
        yield item
    if done_count > seen:
        raise InputError([Problem(first_input, f"cannot resume: the output already holds {done_count:,} records, "
                                  f"these inputs have {seen:,}")])


def _decision(cache, item):
    """The decision for a record's case, an EngineFailure's message, or None for a record that is an error."""
    from spor.common.errors import EngineFailure

    if item.case is None:
        return None
    try:
        return cache.get(item.case.facts)
    except EngineFailure as exc:
        return str(exc)


def _emit(item, decision, writer, summary, counted) -> None:
    """Write one output record: the decision, or an error record."""
    if isinstance(decision, str):
        item = Record(item.source, problems=[Problem(item.source, f"the inference engine failed on this case: {decision}")],
                      case_id=item.case.id)
    elif decision is not None:
        summary.add(decision, counted)
        writer.decision(item.case, item.source, decision)
    if item.case is None or item.problems:
        summary.add_error()
        writer.error(error_record(item))
