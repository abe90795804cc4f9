"""Resuming a batch: read back what an earlier, interrupted run wrote.

Only complete lines count (a line cut by a kill is run again); a file that
is not spor batch output is refused before anything is cut from it.
"""

from __future__ import annotations

import json
from pathlib import Path

from spor.batch.decisions import Decision
from spor.batch.inputs import csv_module
from spor.batch.runner import Summary
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg
from spor.output.record import CSV_HEADER, uncell
from spor.rulebase.cases import MAX_CASE_BYTES


def _output_records(path: Path, fmt: str):
    """Yield (line number, end offset, record as a dict) for each complete record of an output file.

    Lines are split on newline bytes only (a title may hold U+2028); a last
    line without its newline is a record cut by a kill and is not yielded.
    Raises InputError for a file that is not spor batch output.
    """
    with open(path, "rb") as handle:
        offset, header, held, first = 0, None, "", 0
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                return  # torn by a kill
            offset += len(line)
            try:
                text = held + line.decode("utf-8")
                if fmt == "csv":
                    try:
                        row = next(csv_module().reader([text], strict=True))
                    except csv_module().Error as exc:  # a quoted cell goes on over the next line
                        if "unexpected end of data" not in str(exc) or len(text) > MAX_CASE_BYTES:
                            raise ValueError from None
                        held, first = text, first or number
                        continue
                    held, number, first = "", first or number, 0
                    if header is None:
                        header = row
                        if tuple(row[: len(CSV_HEADER)]) != CSV_HEADER:
                            raise ValueError
                        continue
                    # by position: a fact may be named like a fixed column ("title", "error") without taking its place
                    fixed = len(CSV_HEADER)
                    entry: dict[str, object] = dict(zip(CSV_HEADER, (uncell(cell) for cell in row[:fixed])))
                    entry["complete"] = entry.get("complete") == "yes"
                    entry["facts"] = {k: v for k, v in zip(header[fixed:], row[fixed:]) if v}
                else:
                    entry = json.loads(text)
                if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
                    raise ValueError
            except (ValueError, StopIteration):
                raise InputError([Problem(str(path), Msg("batch_not_output"), number)]) from None
            yield number, offset, entry


def scan_output(path: Path, fmt: str, summary_facts) -> tuple:
    """(records, bytes to keep, their Summary) of an earlier run's output, checked before anything is cut."""
    summary, keep, count = Summary(), 0, 0
    if not path.exists():
        return 0, 0, summary
    with open(path, "rb") as handle:
        start = handle.read(16)
    looks_right = (
        start.startswith((b'{"case": ', b'{"source": ')) if fmt == "jsonl" else start.startswith(b"source,case,")
    )
    if start and not looks_right:
        raise InputError([Problem(str(path), Msg("batch_not_output"), 1)])
    for _, offset, entry in _output_records(path, fmt):
        count, keep = count + 1, offset
        if entry.get("error"):
            summary.add_error()
        else:
            facts = entry.get("facts") or {}
            summary.add(
                Decision(
                    None,
                    (),
                    (),
                    "}",
                    entry.get("outcome") or None,
                    bool(entry.get("complete")),
                    tuple(facts.get(name) for name in summary_facts),
                ),
                summary_facts,
            )
    return count, keep, summary


def output_sources(path: Path, fmt: str):
    """The sources of an output's records, in order, read as they are needed."""
    for _, _, entry in _output_records(path, fmt):
        yield entry["source"]
