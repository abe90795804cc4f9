"""``spor batch --log``: every record written is also a row of the decision log.

A ``LoggedWriter`` wraps the output writer; its rows are committed in
chunks, and always before the output stream is flushed (``LoggedStream``).
A row is keyed by the run and the record's number in it, so a record logged
twice (by a resumed run, or by the same run over unchanged inputs again)
is kept once. A run's id is a checksum of what its output depends on (the
run record of ``guard``), which a resumed run shares with the run it
continues. Records that reached the output just before a kill, without
their rows, are logged from the output when the run is resumed
(``log_done``), so a killed and resumed run logs what an uninterrupted one
does. A run to standard output cannot be resumed, and gets a random id.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from spor.common.files import bounded_lines
from spor.decisionlog.rows import Part, decision_row, given_of, part_of, row_of

CHUNK = 2_000  # rows kept before a commit: one transaction per chunk, not per record
MAX_PARTS = 20_000  # decisions whose columns are kept for the next record with the same facts


def run_id(record: dict | None) -> str:
    """The run's id: the same for a run and its resumption (they share their run record), else random."""
    if not record:
        return uuid.uuid4().hex[:16]
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


class LoggedWriter:
    """An output writer that also logs each result it writes (error records are numbered, not logged)."""

    def __init__(self, inner, log, rulebase, rulebase_hash: str, run: str, first: int = 0) -> None:
        self.inner = inner
        self.needs_data = inner.needs_data
        self.log = log
        self.rulebase = rulebase
        self.rulebase_hash = rulebase_hash
        self.run = run
        self.number = first  # records written so far in this run, counting those an earlier run wrote
        self.rows: list[tuple] = []
        self.parts: dict = {}  # key of the facts -> (Decision, Part)

    def decision(self, case, source: str, decision, key=None) -> None:
        self.inner.decision(case, source, decision, key)
        self.number += 1
        kept = self.parts.get(key)
        if kept is not None and kept[0] is decision:
            part = kept[1]
        else:
            part = part_of(self.data_of(case.facts, decision), self.rulebase, self.rulebase_hash)
            if key is not None and len(self.parts) < MAX_PARTS:
                self.parts[key] = (decision, part)
        self.add(part, case.facts, case.id)

    def add(self, part: Part, facts: dict, case_id) -> None:
        self.rows.append(
            decision_row(
                part,
                given_of(facts, facts, self.rulebase),
                source="batch",
                case_id=case_id if isinstance(case_id, str) else None,
                run=self.run,
                record_number=self.number,
            )
        )
        if len(self.rows) >= CHUNK:
            self.commit()

    def error(self, data: dict) -> None:
        self.inner.error(data)
        self.number += 1

    def commit(self) -> None:
        self.log.add_decisions(self.rows)
        self.rows = []

    @staticmethod
    def data_of(facts: dict, decision) -> dict:
        """The decision's record, but for the record's own fields, from the pieces the cache keeps of it."""
        if decision.data is not None:
            data = dict(decision.data)
        else:
            data = json.loads("{" + ", ".join((*decision.before, *decision.after)) + "}")
        data["facts"] = {**facts, **json.loads("{" + decision.derived)}
        return data


class LoggedStream:
    """The output stream, whose every flush first commits the log rows of the records written so far."""

    def __init__(self, stream, writer: LoggedWriter) -> None:
        self.stream = stream
        self.writer = writer

    def write(self, text: str) -> int:
        return self.stream.write(text)

    def flush(self) -> None:
        self.writer.commit()
        self.stream.flush()

    def close(self) -> None:
        self.writer.commit()
        self.stream.close()


def log_done(output: Path, count: int, writer: LoggedWriter) -> None:
    """Log the first ``count`` records of a JSON Lines output again (rows already there are kept as they are)."""
    number = 0
    with open(output, "rb") as handle:
        for _, line in bounded_lines(handle, 64 * 1024 * 1024):
            if number >= count:
                break
            number += 1
            if line is None:
                continue
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if not isinstance(data, dict) or "error" in data:
                continue
            row = row_of(
                data,
                writer.rulebase,
                writer.rulebase_hash,
                "batch",
                run=writer.run,
                record_number=number,
            )
            writer.rows.append(row)
            if len(writer.rows) >= CHUNK:
                writer.commit()
    writer.commit()
