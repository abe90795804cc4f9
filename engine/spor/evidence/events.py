"""Read a provider's event log (a JSON array, JSON Lines, or pretty-printed events): one finding per message.

The log is streamed: it is read line by line, each line decoded on its own
and each event decoded as soon as its lines are in, so memory holds one
string per message (its state: the deciding event's fields, and the count
and names of its events), never the file; the findings are made from those
strings one at a time as they are written. Which fields hold the event's
name, recipient, time and so on, and which events decide a message's
status, come from the rulebase (``evidence.events``). Of one message's
events the latest with a rank decides; at the same time, the higher rank.
An event repeated (the same id, event and recipient) is counted once, if
the first one is among the last ``MAX_IDS`` events. A line or an event
that cannot be read is reported with its line number and does not stop the
rest (except inside an array, whose end cannot be found again safely).
"""

from __future__ import annotations

import json
import math
from collections import deque
from typing import TypedDict

from spor.common.errors import Problem
from spor.common.files import bounded_lines, strip_bom
from spor.common.messages import Msg
from spor.common.reasons import json_reason
from spor.evidence.codes import codes_in
from spor.evidence.findings import EVENTS, Finding, Mapped, clean

MAX_EVENT = 1 << 20  # bytes of one line or characters of one event: a longer one is refused, the rest still read
MAX_TEXT = 1000  # characters kept of a diagnostic text
MAX_NAMES = 50  # event names kept per message (the count goes on)
MAX_PROBLEMS = 100  # bad lines reported one by one; beyond, only counted
# a repeated event (the same id: a webhook delivered twice) is found among this many recent events; the ids are
# kept as hashes, so the memory for them stays under about 10 MB however long the log
MAX_IDS = 100_000
MAX_SHARED = 10_000  # values kept as one shared copy (codes, diagnostics, types): most repeat
PARTS = ("status", "reply", "diagnostic", "type", "classification")  # the deciding event's fields kept
_DECODER = json.JSONDecoder()


SEP = "\x1f"  # between the parts of a message's state (a unit separator: in a field it becomes a space)
MAX_NAME_CODES = 1000  # distinct event names a log's messages list (more are counted, not listed)
NAME_BASE = 0x20  # an event name is kept as one character, chr(NAME_BASE + its index), all in one string
NO_TIME = -math.inf


def read_events(stream, source: str, spec, *, recipient: str | None = None) -> tuple:
    """(findings, problems, counts) of an event log read from a binary ``stream``.

    ``recipient`` keeps only that recipient's messages (compared ignoring case).
    ``counts`` says how many events were read, repeated, or had no rank.
    ``findings`` is a sequence made one finding at a time as it is read
    (made by ``findings.Mapped``): what is kept per message is one string, its state.
    """
    fields, ranks = spec.fields, spec.ranks
    messages: dict[str, str] = {}
    problems: list[Problem] = []
    names: dict[str, str] = {}  # event name -> its character
    shared: dict[str, str] = {}  # one copy of each value that repeats (codes, diagnostics, types)
    seen_ids: set[int] = set()
    recent: deque[int] = deque()
    counts = {"events": 0, "repeated": 0, "unranked": 0, "bad": 0}
    wanted = recipient.lower() if recipient else None
    for line, item in _items(stream, source, problems, counts):
        if not isinstance(item, dict):
            _bad(
                problems,
                counts,
                Problem(source, Msg("ev_not_an_event", found=type(item).__name__), line),
            )
            continue
        counts["events"] += 1
        ident = _field(item, fields.get("id", ()))
        if ident:  # the same event delivered twice has the same id, name and recipient
            digest = hash((ident, _field(item, fields["event"]), _field(item, fields["recipient"])))
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
            _bad(problems, counts, Problem(source, Msg("ev_no_event_field", names=" | ".join(fields["event"])), line))
            continue
        if wanted and address.lower() != wanted:
            continue
        key = _field(item, fields.get("message", ())) or address or f"line {line}"
        if len(names) < MAX_NAME_CODES:
            names.setdefault(name, chr(NAME_BASE + len(names)))
        rank = ranks.get(name)
        if rank is None:
            counts["unranked"] += 1
        time = _time(_field(item, fields.get("time", ())))
        state = messages.get(key)
        if state is None:
            decides, count, listed, rest = True, 0, "", ""
        else:
            best_time, best_rank, best_line, count_text, listed, rest = state.split(SEP, 5)
            count = int(count_text)
            # the latest ranked event decides (at the same time, the higher rank; at the same time and rank, the
            # later one); an event without a rank is shown only until a ranked one comes
            decides = rank is not None and (not best_rank or (time, rank) >= (float(best_time), int(best_rank)))
        if len(listed) < MAX_NAMES and name in names:
            listed += names[name]
        if decides:
            head = [repr(time), "" if rank is None else str(rank), str(line)]
            rest = SEP.join(_part(item, fields, shared, address, name))
        else:
            head = [best_time, best_rank, best_line]
        messages[key] = SEP.join([*head, str(count + 1), listed, rest])
    if counts["bad"] > len(problems):
        problems.append(
            Problem(
                source,
                Msg("ev_more_bad", count=counts["bad"] - len(problems)),
            )
        )
    codes = {code: name for name, code in names.items()}
    # one finding per message, made from the message's state when it is read: a log of many messages is never
    # held as findings all at once (spor evidence writes each as it comes)
    return Mapped(messages.items(), lambda item: _finding(source, item[0], item[1], codes)), problems, counts


def _lines(stream, source, problems, counts):
    """(line number, text) of a binary stream, each line decoded on its own; None for a line that cannot be read.

    A line that is not UTF-8, or longer than MAX_EVENT, is reported with its
    number and the reading goes on at the next line.
    """
    for number, raw in bounded_lines(stream, MAX_EVENT):
        if raw is None:
            _bad(problems, counts, Problem(source, Msg("ev_line_too_long", limit=MAX_EVENT), number))
            yield number, None
            continue
        if number == 1:
            raw = strip_bom(raw)
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            _bad(
                problems,
                counts,
                Problem(
                    source,
                    Msg("ev_not_utf8", byte=repr(raw[exc.start : exc.start + 1])),
                    number,
                    exc.start + 1,
                ),
            )
            yield number, None


def _items(stream, source, problems, counts):
    """(line, value) for each JSON value of an array, or of a sequence of values (JSON Lines, or pretty-printed).

    Values are decoded one at a time from a buffer of whole lines; a value
    that goes on past its line gets more lines, the buffer at least doubling
    each time, so that a large pretty-printed event costs time in proportion
    to its size. A value that cannot be decoded is reported once, at the
    line where it starts; reading goes on at the next line that starts with
    "{" or "[" (in an array, whose end cannot be found again safely, the rest
    is not read, and the message says so).
    """
    lines = _lines(stream, source, problems, counts)
    state: _ReadState = {"buffer": "", "line": 1, "cut": None, "skipping": False}
    in_array = started = ended = False

    def more(target: int = 0) -> bool:
        """Add at least one line to the buffer, and more until it holds ``target`` characters.

        False at the end of the file, or at an unreadable line while a value
        is being read (``cut`` then says which line ended that value).
        """
        if state["cut"] is not None:
            return False
        parts: list[str] = []
        size = len(state["buffer"])
        for number, text in lines:
            if text is None:
                if in_array:
                    raise _Stop(number, Msg("ev_array_line_unreadable"))
                if parts or state["buffer"].strip():
                    state["cut"] = number
                    break
                state["line"] = number + 1
                continue
            if state["skipping"]:  # after a broken value: on to the next line that can start one
                if not text.startswith(("{", "[")):
                    continue
                state["skipping"] = False
            if not parts and not state["buffer"]:
                state["line"] = number
            parts.append(text)
            size += len(text)
            if size >= target:
                break
        state["buffer"] += "".join(parts)
        return bool(parts)

    try:
        while True:
            buffer = state["buffer"]
            rest = buffer.lstrip(" \t\r\n" + ("," if in_array else ""))
            state["line"] += buffer.count("\n", 0, len(buffer) - len(rest))
            state["buffer"] = buffer = rest
            if not buffer:
                if more():
                    continue
                if state["cut"] is None:
                    break
                state["cut"] = None  # the value before the unreadable line was empty: go on after it
                continue
            if not started:
                started = True
                if buffer.startswith("["):
                    in_array, state["buffer"] = True, buffer[1:]
                    continue
            if in_array and buffer.startswith("]"):
                ended = True
                while not state["buffer"][1:].strip() and more():
                    pass
                if state["buffer"][1:].strip():
                    _bad(problems, counts, Problem(source, Msg("ev_text_after_array"), state["line"]))
                return
            try:
                value, end = _DECODER.raw_decode(buffer)
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, a number too long, nesting too deep
                at = getattr(exc, "pos", 0)
                unfinished = at >= len(buffer.rstrip()) or "Unterminated" in str(exc)
                if unfinished and len(buffer) < MAX_EVENT and more(min(2 * len(buffer), MAX_EVENT)):
                    continue  # the value goes on, on the next lines
                if state["cut"] is not None:
                    why: Msg | str = Msg("ev_event_cut", line=state["cut"])
                elif isinstance(exc, json.JSONDecodeError):
                    why = (
                        Msg("ev_file_ends_in_event") if unfinished and len(buffer) < MAX_EVENT else json_reason(exc.msg)
                    )
                else:
                    why = Msg("ev_nested_too_deeply") if isinstance(exc, RecursionError) else str(exc).split(";")[0]
                if in_array:
                    raise _Stop(state["line"], Msg("ev_bad_json_in_array", why=why)) from None
                _bad(problems, counts, Problem(source, Msg("ev_bad_json", why=why), state["line"]))
                _skip_value(state)
                continue
            yield state["line"], value
            state["line"] += buffer.count("\n", 0, end)
            state["buffer"] = buffer[end:]
        if in_array and not ended:
            _bad(problems, counts, Problem(source, Msg("ev_array_not_closed"), state["line"]))
    except _Stop as stop:
        _bad(problems, counts, Problem(source, stop.message, stop.line))


class _ReadState(TypedDict):
    """Where ``_items`` is in the stream: the lines read but not yet decoded, and how it goes on."""

    buffer: str  # whole lines not yet decoded
    line: int  # the line the buffer starts on
    cut: int | None  # an unreadable line that ended the value being read
    skipping: bool  # after a broken value: lines are skipped until one can start a value


def _skip_value(state: _ReadState) -> None:
    """After a value that cannot be decoded: drop it, up to the next line of the buffer that starts with { or [."""
    buffer = state["buffer"]
    starts = [at for at in (buffer.find("\n{"), buffer.find("\n[")) if at >= 0]
    if starts:
        at = min(starts) + 1
        state["line"] += buffer.count("\n", 0, at)
        state["buffer"] = buffer[at:]
    else:  # the value may go on past the buffer: skip lines until one can start a value
        state["line"] += buffer.count("\n") + (0 if buffer.endswith("\n") else 1)
        state["buffer"], state["skipping"] = "", True
    if state["cut"] is not None and not state["buffer"]:
        state["line"], state["cut"], state["skipping"] = state["cut"] + 1, None, False


class _Stop(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line, self.message = line, message


def _bad(problems, counts, problem):
    counts["bad"] += 1
    if len(problems) < MAX_PROBLEMS:
        problems.append(problem)


def _field(item: dict, names) -> str:
    for name in names:
        value = item.get(name)
        if value is not None and not isinstance(value, (dict, list)):
            return clean(str(value).strip()[:MAX_TEXT])
    return ""


def _time(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return -math.inf
    return value if math.isfinite(value) else -math.inf


def _part(item, fields, shared, address, name) -> list:
    """The deciding event's parts a finding needs, so that the event itself is not kept."""

    def get(part: str) -> str:
        value = _field(item, fields.get(part, ())).replace(SEP, " ")
        return shared.setdefault(value, value) if len(shared) < MAX_SHARED else value

    return [name.replace(SEP, " "), address.replace(SEP, " "), *(get(p) for p in PARTS)]


def _finding(source, key, state, codes) -> Finding:
    time_text, _, line, count, listed, name, address, given, reply_text, diagnostic, kind, classification = state.split(
        SEP
    )
    status, reply = codes_in(reply_text)
    time = float(time_text)
    return Finding(
        source=f"{source}:{line}",
        kind=EVENTS,
        recipient=address,
        action=name,
        status=codes_in(given)[0] or status,
        reply=reply,
        diagnostic=diagnostic,
        type=kind,
        classification=classification,
        message=key,
        time=time if math.isfinite(time) else None,
        events=tuple(codes[c] for c in listed),
        note=Msg("ev_events_note", count=int(count), line=int(line)),
    )
