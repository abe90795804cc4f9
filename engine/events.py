"""Read a provider's event log (a JSON array of events, or JSON Lines) into one finding per message.

The log is streamed: a file of any length is read in chunks and each event
decoded on its own, so memory holds one small record per message, never the
file. Which fields hold the event's name, recipient, time and so on, and
which events decide a message's status, come from the rulebase
(``evidence.events``). Of one message's events the latest with a rank
decides; at the same time, the higher rank. Events repeated with the same
id are counted once (among the last ``MAX_IDS`` events). A line that is not an event is reported with its line
number and does not stop the rest.
"""
from __future__ import annotations

import json
import math
from collections import deque

from .errors import Problem
from .findings import EVENTS, Finding
from .reports import codes_in

CHUNK = 1 << 16
MAX_EVENT = 1 << 20  # characters of one event; a longer one is refused, the rest still read
MAX_TEXT = 1000  # characters kept of a diagnostic text
MAX_NAMES = 50  # event names kept per message (the count goes on)
MAX_PROBLEMS = 100  # bad lines reported one by one; beyond, only counted
# a repeated event (the same id: a webhook delivered twice) is found among this many recent events; the ids are
# kept as hashes, so the memory for them stays under about 10 MB however long the log
MAX_IDS = 100_000
_DECODER = json.JSONDecoder()


class _Message:
    """What is kept of one message while the log is read."""

    __slots__ = ("key", "best", "names", "count")

    def __init__(self):
        self.key, self.best, self.names, self.count = None, None, [], 0


def read_events(stream, source: str, spec, *, recipient: str | None = None) -> tuple:
    """(findings, problems, counts) of an event log read from a text ``stream``.

    ``recipient`` keeps only that recipient's messages (compared ignoring case).
    ``counts`` says how many events were read, repeated, or had no rank.
    """
    fields, ranks = spec.fields, spec.ranks
    messages, problems, names = {}, [], {}
    seen_ids, recent = set(), deque()
    counts = {"events": 0, "repeated": 0, "unranked": 0, "bad": 0}
    wanted = recipient.lower() if recipient else None
    for position, (line, item) in enumerate(_items(stream, source, problems, counts)):
        if not isinstance(item, dict):
            _bad(problems, counts, Problem(source, f"expected an event (a JSON object), found {type(item).__name__}", line))
            continue
        counts["events"] += 1
        ident = _field(item, fields.get("id", ()))
        if ident:
            digest = hash(ident)
            if digest in seen_ids:
                counts["repeated"] += 1
                continue
            seen_ids.add(digest)
            recent.append(digest)
            if len(recent) > MAX_IDS:
                seen_ids.discard(recent.popleft())
        name = _field(item, fields["event"])
        address = _field(item, fields["recipient"])
        if not name:
            _bad(problems, counts, Problem(source, f"the event has no {' or '.join(fields['event'])} field", line))
            continue
        if wanted and address.lower() != wanted:
            continue
        key = _field(item, fields.get("message", ())) or address or f"line {line}"
        state = messages.setdefault(key, _Message())
        state.count += 1
        if len(state.names) < MAX_NAMES:
            state.names.append(names.setdefault(name, name) if len(names) < 1000 else name)  # one copy of each name
        rank = ranks.get(name)
        if rank is None:
            counts["unranked"] += 1
            if state.best is None:
                state.best = _compact(line, name, item, fields, address)  # shown until a ranked event comes
            continue
        order = (_time(_field(item, fields.get("time", ()))), rank, position)
        if state.key is None or order > state.key:
            state.key, state.best = order, _compact(line, name, item, fields, address)
    return [_finding(source, key, state) for key, state in messages.items()], problems, counts


def _items(stream, source, problems, counts):
    """(line, decoded value) for each event of a JSON array or of JSON Lines, read piece by piece."""
    line, first = 1, stream.read(1)
    while first and first in " \t\r\n":
        line += first == "\n"
        first = stream.read(1)
    if first == "[":
        yield from _array_items(stream, source, problems, counts, line)
        return
    text = first + stream.readline(MAX_EVENT) if first else ""
    while text:
        if len(text) > MAX_EVENT and not text.endswith("\n"):
            _bad(problems, counts, Problem(source, f"a line longer than {MAX_EVENT:,} characters: not read", line))
            while text and not text.endswith("\n"):  # skip the rest of it
                text = stream.readline(MAX_EVENT)
        elif text.strip():
            try:
                yield line, json.loads(text)
            except json.JSONDecodeError as exc:
                _bad(problems, counts, Problem(source, f"not valid JSON: {exc.msg}", line, exc.colno))
        line += 1
        text = stream.readline(MAX_EVENT + 1)


def _array_items(stream, source, problems, counts, line):
    """The elements of a JSON array whose "[" has been read, decoded one at a time."""
    buffer, eof = "", False
    while True:
        rest = buffer.lstrip(" \t\r\n,")
        line += buffer.count("\n", 0, len(buffer) - len(rest))
        buffer = rest
        if not buffer or buffer[0] != "]":
            try:
                if not buffer:
                    raise json.JSONDecodeError("no value", buffer, 0)
                value, end = _DECODER.raw_decode(buffer)
            except json.JSONDecodeError as exc:
                if not eof and len(buffer) < MAX_EVENT:
                    chunk = stream.read(CHUNK)
                    eof, buffer = not chunk, buffer + chunk
                    continue
                if not buffer:
                    _bad(problems, counts, Problem(source, "the JSON array is not closed (the file ends early)", line))
                elif len(buffer) >= MAX_EVENT:
                    _bad(problems, counts, Problem(source, f"an event longer than {MAX_EVENT:,} characters", line))
                else:
                    _bad(problems, counts, Problem(source, f"not valid JSON: {exc.msg} (the rest of the array is not read)",
                                                   line + buffer.count("\n", 0, exc.pos)))
                return
            yield line, value
            line += buffer.count("\n", 0, end)
            buffer = buffer[end:]
            continue
        tail = buffer[1:] + ("" if eof else stream.read(CHUNK))
        if tail.strip():
            _bad(problems, counts, Problem(source, "text after the end of the JSON array", line))
        return


def _bad(problems, counts, problem):
    counts["bad"] += 1
    if len(problems) < MAX_PROBLEMS:
        problems.append(problem)


def _field(item: dict, names) -> str:
    for name in names:
        value = item.get(name)
        if value is not None and not isinstance(value, (dict, list)):
            return str(value).strip()[:MAX_TEXT]
    return ""


def _time(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return -math.inf
    return value if math.isfinite(value) else -math.inf


def _compact(line, name, item, fields, address) -> tuple:
    """The parts of an event a finding needs, so that the event itself is not kept."""
    get = lambda part: _field(item, fields.get(part, ()))  # noqa: E731
    return (line, name, address, get("status"), get("reply"), get("diagnostic"), get("type"), get("classification"),
            _time(get("time")))


def _finding(source, key, state) -> Finding:
    line, name, address, given, reply_text, diagnostic, kind, classification, time = state.best
    status, reply = codes_in(reply_text)
    return Finding(
        source=f"{source}:{line}", kind=EVENTS, recipient=address, action=name, status=codes_in(given)[0] or status,
        reply=reply, diagnostic=diagnostic, type=kind, classification=classification, message=key,
        time=time if math.isfinite(time) else None, events=tuple(state.names),
        note=f"{state.count} event(s) of this message; the deciding one is on line {line}",
    )
