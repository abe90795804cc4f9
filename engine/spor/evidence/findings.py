"""What spor found in a piece of evidence: one record per recipient (or message).

Readers (``reports`` for returned messages, ``events`` for an event log)
produce these; ``evidence`` gives them their meaning from the rulebase.
"""

from __future__ import annotations

from spor.common.records import record

REPORT, EVENTS, NOT_REPORT, UNREAD = "report", "events", "not_report", "unread"


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
