"""Batch output writers: results and error records as JSON Lines or CSV, in input order.

The field order and the CSV columns are the output layer's (``spor.output.record``);
the JSON Lines writer builds each line from text made once per decision and per
fact value, because writing is most of a cached record's cost.
"""

from __future__ import annotations

import codecs
import io
import os
import sys

from spor.batch.decisions import Decision
from spor.batch.inputs import csv_module
from spor.output.record import (
    FACTS,
    RECORD_FIELDS,
    csv_error_row,
    csv_header,
    csv_result_row,
    encode,
    encode_string,
    record_head,
)


class JsonlWriter:
    """Results as JSON Lines, each line built from text made once: the decision's pieces, each fact's "name": value."""

    needs_data = False  # writes a decision's JSON pieces, not its data

    # lines' tails kept, and their length in all (a tail is about 3 KB: 20,000 of them were 68 MB); beyond either, a
    # tail is made again for each record (memory stays flat)
    MAX_TAILS, MAX_TAIL_CHARS = 20_000, 16 << 20

    def __init__(self, stream, rulebase, header=True):
        self.stream = stream
        self.raw = utf8_bytes_under(stream)  # where a line may go as UTF-8 bytes, the same as text to ``stream``
        self.tails: dict = {}  # key of a record's facts -> (its Decision, the line after the record's own fields)
        self.tail_chars = 0  # their length in all
        self.names = tuple(rulebase.facts)
        self.pairs = {
            name: {value: f"{encode_string(name)}: {encode_string(value)}" for value in fact.value_ids()}
            for name, fact in rulebase.facts.items()
        }

    def decision(self, case, source: str, decision: Decision, key=None) -> None:
        """Write one result. Everything after the record's own fields depends only on its facts, that is on their
        ``key``: for a key seen before with the same decision, that text is written as it was made then."""
        kept = self.tails.get(key)
        if kept is not None and kept[0] is decision:
            tail = kept[1]
        else:
            tail = (
                f", {', '.join(decision.before)}, "
                f'"{FACTS}": {decision.facts_text(self.given(case.facts))}, {", ".join(decision.after)}}}\n'
            )
            if self.raw is not None:
                tail = tail.encode("utf-8")  # encoded once, not for every record that repeats it
            if key is not None and len(self.tails) < self.MAX_TAILS and self.tail_chars < self.MAX_TAIL_CHARS:
                self.tails[key] = (decision, tail)
                self.tail_chars += len(tail)
        head = record_head(case.id, source, case.title, case.notes)
        if self.raw is not None:
            self.raw.write(head.encode("utf-8") + tail)  # one call: a stop (Ctrl-C) between two would cut the line
        else:
            self.stream.write(head + tail)

    def given(self, facts: dict) -> str:
        """The record's facts as JSON, in the rulebase's order (the same text as json.dumps of them in that order)."""
        pairs = self.pairs
        try:
            return "{" + ", ".join([pairs[name][facts[name]] for name in self.names if name in facts]) + "}"
        except (KeyError, TypeError):  # a value outside the rulebase's domain: a Normaliser never gives one
            return encode({name: facts[name] for name in self.names if name in facts})

    def error(self, data: dict) -> None:
        if self.raw is not None:
            self.raw.write((encode(data) + "\n").encode("utf-8"))
        else:
            self.stream.write(encode(data) + "\n")


# bytes gathered before each system call: a result line is about 3 KB, and with Python's 8 KiB a write was a system
# call for nearly every record, a quarter of the time of a batch whose cases are mostly decided already
OUTPUT_BUFFER = 1 << 16


def open_output(target, append: bool = False):
    """The text stream a batch writes its results to, with an OUTPUT_BUFFER buffer: ``target`` opened (appending to
    it when resuming), else standard output.

    Standard output gets a stream of its own over the same file descriptor,
    in its encoding, when it is a plain file or pipe; it is flushed first, so
    that nothing written before comes after. A terminal (line-buffered) or a
    replaced ``sys.stdout`` (a test's) is used as it is.
    """
    if target is not None:
        return open(target, "a" if append else "w", encoding="utf-8", newline="", buffering=OUTPUT_BUFFER)
    stdout = sys.stdout
    if type(stdout) is not io.TextIOWrapper or stdout.line_buffering:
        return stdout
    try:
        descriptor = stdout.fileno()
    except (OSError, ValueError):
        return stdout
    stdout.flush()
    return open(descriptor, "w", encoding=stdout.encoding, errors=stdout.errors, buffering=OUTPUT_BUFFER, closefd=False)


def utf8_bytes_under(stream):
    """The binary buffer under ``stream`` when UTF-8 bytes written there are exactly the text written to it, else None.

    A result's tail is the same text for every record with its facts; a
    text stream would encode it again for each. That holds for a file or
    standard output opened as text in UTF-8, strict, without line buffering,
    where a line end is written as it is (POSIX): what ``spor batch`` writes
    to. Anything else (a terminal, a StringIO, a wrapper) gets text.
    """
    if type(stream) is not io.TextIOWrapper or os.linesep != "\n":
        return None
    try:
        if codecs.lookup(stream.encoding).name != "utf-8" or stream.errors != "strict" or stream.line_buffering:
            return None
    except LookupError:
        return None
    stream.flush()  # text written before goes first
    return stream.buffer


class CsvWriter:
    """Results as CSV: fixed columns, then one column per fact of the rulebase."""

    needs_data = True  # a row is made from the decision's data

    def __init__(self, stream, rulebase, header=True):
        self.facts = list(rulebase.facts)
        self.writer = csv_module().writer(stream, lineterminator="\n")
        if header:
            self.writer.writerow(csv_header(self.facts))

    def decision(self, case, source: str, decision: Decision, key=None) -> None:
        data = decision.data
        assert data is not None  # needs_data: the cache keeps every decision's data for this writer
        own = dict(zip(RECORD_FIELDS, (case.id, source, case.title, case.notes)))
        self.result({**own, **data, FACTS: {**case.facts, **data[FACTS]}})

    def result(self, data: dict) -> None:
        """A result as ``as_json`` gives it."""
        self.writer.writerow(csv_result_row(data, self.facts))

    def error(self, data: dict) -> None:
        self.writer.writerow(csv_error_row(data, self.facts))


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter}
