"""What spor found in a piece of evidence: one record per recipient (or message).

Readers (``reports`` for returned messages, ``events`` for an event log)
produce these; ``evidence`` gives them their meaning from the rulebase.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import islice

from spor.common.records import record

REPORT, EVENTS, NOT_REPORT, UNREAD = "report", "events", "not_report", "unread"


# the warning codes that say a fact came from evidence, not from the agent (text output marks those facts)
FROM_EVIDENCE = ("from_evidence", "evidence_replaces_open", "evidence_wins")


@record
class Finding:
    """One recipient's fate as a piece of evidence tells it."""

    source: str  # the file, with ":line" for an event log
    kind: str  # REPORT, EVENTS, NOT_REPORT, or UNREAD (a message that is neither recognisably)
    recipient: str = ""
    action: str = ""  # a report's Action (failed, delayed...), or the deciding event's name
    status: str = ""  # enhanced status code, "5.1.1"
    reply: str = ""  # SMTP reply code, "550"
    diagnostic: str = ""
    reporting: str = ""  # the server that wrote the report
    remote: str = ""  # the server that refused
    type: str = ""  # an event's sub-kind
    classification: str = ""
    message: str = ""  # the message an event log groups by
    time: float | None = None
    events: tuple = ()  # (time, event name) of every event of the message, in order
    note: str = ""  # how it was read, or why it is not a report

    @property
    def domain(self) -> str:
        return self.recipient.rpartition("@")[2] if "@" in self.recipient else ""


def clean(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate (a JSON escape, a header's stray byte) becomes '?'."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


class Mapped(Sequence):
    """``function`` of each of ``items``, made when read, never all held at once: the findings of an event log
    of many messages, explained one at a time as they are written."""

    def __init__(self, items: Collection, function: Callable):
        self.items, self.function = items, function

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator:
        return map(self.function, self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return next(islice(iter(self), index, None))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]
