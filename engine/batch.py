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
import io
import json
import re
from collections import Counter
from dataclasses import field

from .records import record
from pathlib import Path

from .cases import MAX_CASE_BYTES, Normaliser, case_files, case_from_document, load_case
from .errors import InputError, Problem, format_path
from .reader import Document, _check_plain

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
META_COLUMNS = ("id", "title", "notes")


@record
class Record:
    """One input record: a case ready to evaluate, or the problems that stopped it."""

    source: str
    case: object = None  # cases.Case
    problems: list = field(default_factory=list)
    case_id: str | None = None


def records(paths, normaliser: Normaliser):
    """Yield a Record for every record of every input, in input order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in case_files(path):
                yield _case_file(file, normaliser)
        elif path.suffix.lower() in JSONL_SUFFIXES:
            yield from _jsonl(path, normaliser)
        elif path.suffix.lower() == ".csv":
            yield from _csv(path, normaliser)
        else:
            yield _case_file(path, normaliser)


def _case_file(path: Path, normaliser) -> Record:
    try:
        case = load_case(path, normaliser)
    except InputError as exc:
        return Record(str(path), problems=exc.problems)
    return Record(str(path), case, case_id=case.id)


def _from_data(source: str, data, normaliser) -> Record:
    doc = Document(source, data)
    try:
        case = case_from_document(doc, normaliser, default_id=source)
    except InputError as exc:
        case_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) else None
        return Record(source, problems=exc.problems, case_id=None if case_id is None else str(case_id))
    return Record(source, case, case_id=case.id)


def _lines(path: Path):
    """(line number, text) of a text file, refusing lines longer than a case file may be."""
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise InputError([Problem(str(path), f"cannot be read: {exc.strerror or exc}")]) from None
    with handle:
        for number, line in enumerate(iter(lambda: handle.readline(MAX_CASE_BYTES + 1), b""), 1):
            if len(line) > MAX_CASE_BYTES and not line.endswith(b"\n"):
                yield number, None  # too long: the rest of it is skipped below
                while line and not line.endswith(b"\n"):
                    line = handle.readline(MAX_CASE_BYTES + 1)
                continue
            yield number, line


def _jsonl(path: Path, normaliser):
    if not path.is_file():
        yield Record(str(path), problems=[Problem(str(path), "no such file")])
        return
    for number, line in _lines(path):
        source = f"{path}:{number}"
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
            data = json.loads(text)
            if "\\u" in text and _ESCAPED_SURROGATE.search(text):
                _check_plain(source, data)
        except InputError as exc:
            yield Record(source, problems=exc.problems)
            continue
        except json.JSONDecodeError as exc:
            yield Record(source, problems=[Problem(source, f"not valid JSON: {exc.msg}", column=exc.colno)])
            continue
        except RecursionError:
            yield Record(source, problems=[Problem(source, "nested too deeply")])
            continue
        yield _from_data(source, data, normaliser)


def _csv(path: Path, normaliser):
    """CSV: a header row of fact names (and optionally id, title, notes), then one case per row."""
    if not path.is_file():
        yield Record(str(path), problems=[Problem(str(path), "no such file")])
        return
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        yield Record(str(path), problems=[Problem(str(path), f"cannot be read: {exc.strerror or exc}")])
        return
    with handle:
        try:
            first = handle.readline()
            delimiter = max(",;\t", key=first.count) if first.strip() else ","
            reader = csv.reader(io.StringIO(first), delimiter=delimiter)
            header = [h.strip() for h in next(reader, [])]
            problem = _check_header(path, header, normaliser)
            if problem:
                yield Record(f"{path}:1", problems=[problem])
                return
            reader = csv.reader(handle, delimiter=delimiter)
            reader_line = 1
            for row in reader:
                source = f"{path}:{reader_line + 1}"
                reader_line += 1 + sum(cell.count("\n") for cell in row)
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield Record(source, problems=[Problem(source, f"{len(row)} cells, the header has {len(header)}")])
                    continue
                data = {"facts": {}}
                for name, cell in zip(header, row):
                    cell = cell.strip()
                    if not cell:
                        continue  # an empty cell: unknown
                    (data if name in META_COLUMNS else data["facts"])[name] = cell
                yield _from_data(source, data, normaliser)
        except UnicodeDecodeError as exc:
            yield Record(str(path), problems=[Problem(str(path), f"the file is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); the rest is not read")])
        except csv.Error as exc:
            yield Record(str(path), problems=[Problem(str(path), f"not valid CSV: {exc}; the rest is not read")])


def _check_header(path, header, normaliser):
    if not header or not any(header):
        return Problem(str(path), "the file is empty: expected a header row of fact names", 1)
    seen = set()
    for i, name in enumerate(header, 1):
        if name in seen:
            return Problem(str(path), f"the column {name!r} appears twice", 1, i)
        seen.add(name)
        if name not in META_COLUMNS and name not in normaliser.rulebase.facts:
            from .suggest import closest

            known = ", ".join([*META_COLUMNS, *normaliser.rulebase.facts])
            return Problem(str(path), f"unknown column {name!r}{closest(name, normaliser.rulebase.facts)}; known: {known}", 1, i)
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

    def lines(self) -> list:
        def counts(counter):
            return ", ".join(f"{'(undecided)' if k is None else k} {v:,}" for k, v in counter.most_common())

        out = [f"spor batch: {self.records:,} records: {self.results:,} results, {self.errors:,} errors"]
        out.append(f"  outcomes: {counts(self.outcomes) or '-'}")
        for name, counter in self.values.items():
            out.append(f"  {name}: {counts(counter)}")
        out.append(f"  incomplete: {self.incomplete:,}")
        out.append(f"  errors: {self.errors:,}")
        out.append(f"  records in = results + errors: {self.records:,} = {self.results:,} + {self.errors:,}")
        if self.skipped:
            out.append(f"  resumed: {self.skipped:,} records were already in the output and were not run again")
        return out


def error_record(record: Record) -> dict:
    return {
        "source": record.source,
        "case": record.case_id,
        "error": "; ".join(f"{format_path(p.path)}: {p.message}" if p.path else p.message for p in record.problems),
        "problems": [p.as_dict() for p in record.problems],
    }


RECORD_FIELDS = ("case", "source", "title", "notes")  # the first keys of a result: they vary per record


@record
class Decision:
    """A result for one set of facts, kept to be written again for identical facts."""

    data: dict  # as_json() without the record's own fields
    tail: str  # its JSON text after the record's own fields
    outcome: str | None
    complete: bool
    counted: tuple  # values of the summary facts


class DecisionCache:
    """Results by normalised facts: a decision is a pure function of rulebase and facts.

    Exports repeat the same few combinations of facts over and over, so the
    engine runs once per distinct combination. Bounded: when full, the
    oldest entry goes.
    """

    def __init__(self, evaluator, lang: str, size: int = 100_000):
        self.evaluator, self.lang, self.size = evaluator, lang, size
        self.entries: dict = {}
        self.counted = evaluator.rulebase.summary

    def get(self, facts: dict) -> Decision:
        key = tuple(facts.items())
        found = self.entries.get(key)
        if found is None:
            from .render import as_json

            result = self.evaluator.evaluate(facts)
            data = {k: v for k, v in as_json(result, self.lang).items() if k not in RECORD_FIELDS}
            all_facts = result.facts
            found = Decision(data, json.dumps(data, ensure_ascii=False)[1:], data["outcome"], result.complete,
                             tuple(all_facts.get(name) for name in self.counted))
            if len(self.entries) >= self.size:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = found
        return found


def _head(case, source: str) -> dict:
    return {"case": case.id, "source": source, "title": case.title, "notes": case.notes}


class JsonlWriter:
    def __init__(self, stream, rulebase, header=True):
        self.stream = stream

    def decision(self, case, source: str, decision: Decision) -> None:
        head = json.dumps(_head(case, source), ensure_ascii=False)[:-1]
        self.stream.write(f"{head}, {decision.tail}\n")

    def error(self, data: dict) -> None:
        self.stream.write(json.dumps(data, ensure_ascii=False) + "\n")


class CsvWriter:
    """Results as CSV: fixed columns, then one column per fact of the rulebase."""

    def __init__(self, stream, rulebase, header=True):
        self.facts = list(rulebase.facts)
        self.writer = csv.writer(stream, lineterminator="\n")
        if header:
            self.writer.writerow(["source", "case", "outcome", "side", "complete", "missing", "warnings", "error", *self.facts])

    def decision(self, case, source: str, decision: Decision) -> None:
        self.result({**_head(case, source), **decision.data})

    def result(self, data: dict) -> None:
        facts = data["facts"]
        self.writer.writerow([
            data["source"], data["case"], data["outcome"] or "", data["side"] or "", "yes" if data["complete"] else "no",
            ";".join(m["fact"] for m in data["missing"]), ";".join(w["code"] for w in data["warnings"]), "",
            *[facts.get(f, "") for f in self.facts],
        ])

    def error(self, data: dict) -> None:
        self.writer.writerow([data["source"], data["case"] or "", "", "", "no", "", "", data["error"], *[""] * len(self.facts)])


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter}


def done_sources(path: Path, fmt: str) -> list:
    """The sources of the complete records already in an output file, cutting off a torn last line.

    An interrupted run leaves every finished record whole (each is written
    and flushed in one piece), except perhaps a last line cut by a kill;
    that line is removed so the run can go on from the record it belonged to.
    """
    if not path.exists():
        return []
    blob = path.read_bytes()
    keep = blob.rfind(b"\n") + 1
    if keep < len(blob):
        with open(path, "r+b") as handle:
            handle.truncate(keep)
    lines = blob[:keep].decode("utf-8").splitlines()
    if fmt == "csv":
        return [row[0] for row in csv.reader(lines[1:]) if row]
    sources = []
    for number, line in enumerate(lines, 1):
        try:
            sources.append(json.loads(line)["source"])
        except (ValueError, KeyError, TypeError):
            raise InputError([Problem(str(path), "this is not a spor batch output: cannot resume from it", number)]) from None
    return sources


def run(inputs, evaluator, normaliser, writer, stream, lang: str, done: list = (), on_record=None) -> Summary:
    """Evaluate every record of ``inputs`` and write one output record each; skip the first ``done``.

    The records skipped must be the ones the sources in ``done`` name, in
    order, or the output does not belong to these inputs.
    """
    from .errors import EngineFailure

    summary = Summary()
    cache = DecisionCache(evaluator, lang)
    seen = 0
    for index, record in enumerate(records(inputs, normaliser)):
        seen = index + 1
        if index < len(done):
            if record.source != done[index]:
                raise InputError([Problem(record.source, f"cannot resume: record {index + 1} of the output came from "
                                          f"{done[index]}, not from this input")])
            continue
        if record.case is not None:
            case = record.case
            try:
                decision = cache.get(case.facts)
            except EngineFailure as exc:
                record = Record(record.source, problems=[Problem(record.source, f"the inference engine failed on this case: {exc}")],
                                case_id=case.id)
            else:
                summary.add(decision, evaluator.rulebase.summary)
                writer.decision(case, record.source, decision)
        if record.case is None or record.problems:
            summary.add_error()
            writer.error(error_record(record))
        stream.flush()
        if on_record:
            on_record(summary)
    if len(done) > seen:
        raise InputError([Problem(str(inputs[0]), f"cannot resume: the output already holds {len(done)} records, "
                                  f"these inputs have {seen}")])
    summary.skipped = len(done)
    return summary
