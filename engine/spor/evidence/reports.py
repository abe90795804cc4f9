"""Read a returned message (a bounce): which recipients failed, with which codes.

A message in the standard format (RFC 3464: a ``message/delivery-status``
part) is read field by field. About half of real bounces state the failure
in free text instead (``freetext``). When a recipient's ``Status``, its
``Diagnostic-Code`` and the text disagree, ``codes.choose`` decides
(docs/evidence.md). The phrases that differ between mail systems (where the
returned original starts, what introduces the diagnostic, which subjects
mark an auto-reply or a complaint) are data in the rulebase
(``evidence.reports.patterns``), not code; every pattern runs on a bounded
text: at most ``MAX_HEADER`` characters of a header, ``mime.MAX_TEXT`` of
the bounce's text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spor.common.messages import Joined, Msg
from spor.evidence import mime
from spor.evidence.codes import DIAGNOSTIC, FIELD, Code, choose, found_in, specificity, status_in
from spor.evidence.findings import NOT_REPORT, REPORT, UNREAD, Finding, clean
from spor.evidence.freetext import TYPE_PREFIX, address, from_text
from spor.evidence.mime import bounded, human_text, parse, text_of, walk

MAX_HEADER = 2000  # characters of a header (Subject, From) a pattern is matched against
COMMENT = re.compile(r"\([^)]{0,1000}\)")
NAMED = re.compile(r"^([A-Za-z][\w-]{0,76})[ \t]*:[ \t]?(.*)$")  # a "Name: value" line of a report (RFC 3464 §2.1)
DONE = ("delivered", "relayed", "expanded")  # actions that are not failures
RECIPIENT_FIELDS = ("original-recipient", "final-recipient", "x-actual-recipient")  # RFC 3464 §2.3.1, §2.3.2


@lru_cache(maxsize=8)
def _compiled(patterns: tuple) -> dict:
    """The rulebase's pattern lists, compiled once: ((name, (regex, ...)), ...) -> {name: [compiled]}."""
    return {name: [re.compile(text, re.I | re.M) for text in texts] for name, texts in patterns}


def read_report(data: bytes, source: str, spec) -> list:
    """The findings of one message file: one per failed (or reported) recipient, or one NOT_REPORT."""
    pats = _compiled(tuple(sorted(spec.patterns.items())))
    data, unread = bounded(data)
    msg = parse(data)
    parts = list(walk(msg))
    text, cut = human_text(parts)
    why = _not_a_report(msg, parts, text, pats, spec)
    if why:
        return [Finding(source=source, kind=NOT_REPORT, note=why)]
    status_parts = [p for p, inside in parts if p.get_content_type() == "message/delivery-status" and not inside] or [
        p for p, inside in parts if p.get_content_type() == "message/delivery-status"
    ]
    found, how = [], Msg("ev_read_status_part")
    if status_parts:
        found = _from_blocks(_blocks(status_parts[0]))
    if not found and re.search(r"^(Final|Original)-Recipient:", text, re.M | re.I):  # a report pasted as text
        blocks = [
            f
            for b in re.split(r"\n[ \t]*\n", text)
            if re.search(r"recipient:", b, re.I)
            for f in fields(b.splitlines())
        ]
        found, how = _from_blocks(blocks), Msg("ev_read_status_in_text")
    if not found and _auto_reply(msg, pats) and not status_parts and not _looks_like_bounce(msg, pats):
        return [Finding(source=source, kind=NOT_REPORT, note=Msg("ev_auto_reply"))]
    if not found:
        found, how = from_text(msg, parts, text, pats), Msg("ev_read_free_text")
    elif not all(_settled(f) for f in found):
        _weigh_text(found, from_text(msg, parts, text, pats))
    notes = [how]
    if cut:
        notes.append(Msg("ev_only_first_kb", size=mime.MAX_TEXT // 1024))
    if unread:
        notes.append(unread)
    note = Joined(notes, "; ") if len(notes) > 1 else how
    if not status_parts and not _looks_like_bounce(msg, pats) and not any(_failure(f) for f in found):
        return [
            Finding(
                source=source,
                kind=UNREAD,
                note=Msg("ev_not_recognised"),
            )
        ]
    failed = [f for f in found if f["action"] not in DONE]
    return [
        Finding(
            source=source,
            kind=REPORT,
            note=note,
            recipient=clean(f["recipient"]),
            action=clean(f["action"]),
            status=clean(f["status"]),
            reply=clean(f["reply"]),
            diagnostic=clean(f["diagnostic"]),
            reporting=clean(f["reporting"]),
            remote=clean(f["remote"]),
        )
        for f in (failed or found)
    ] or [Finding(source=source, kind=REPORT, note=Msg("ev_no_recipient"))]


def _failure(item: dict) -> bool:
    """A recipient with a failure code (4.X.X or 5.X.X, a 4XX or 5XX reply) or a diagnostic in a mail system's
    words: in a message with no other mark of a bounce, an address alone says nothing."""
    failed = item["status"][:1] in ("4", "5") or item["reply"][:1] in ("4", "5") or item["diagnostic"]
    return bool(item["recipient"] and failed)


# -- not a bounce -------------------------------------------------------------------------------


def _header(msg, name: str) -> str:
    return str(msg.get(name, ""))[:MAX_HEADER]


def _not_a_report(msg, parts, text, pats, spec) -> Msg | None:
    """Why the message is a complaint rather than a bounce ("" when it may be a bounce)."""
    report_type = str(msg.get_param("report-type", "", header="content-type")).lower()[:MAX_HEADER]
    if report_type in spec.report_types or any(p.get_content_type() == "message/feedback-report" for p, _ in parts):
        return Msg("ev_complaint_report", type=report_type or "feedback-report")
    if any(rx.search(_header(msg, "subject")) for rx in pats.get("complaint_subject", ())):
        return Msg("ev_complaint_subject")
    if any(rx.search(text) for rx in pats.get("not_report_body", ())):
        return Msg("ev_other_notice")
    return None


def _auto_reply(msg, pats) -> bool:
    """RFC 3834 marks, and the subjects people's auto-replies use."""
    if _header(msg, "auto-submitted").lower().startswith("auto-replied"):
        return True
    if msg.get("x-autoreply") is not None or msg.get("x-autorespond") is not None:
        return True
    if _header(msg, "precedence").lower() == "auto_reply":
        return True
    return any(rx.search(_header(msg, "subject")) for rx in pats.get("auto_reply_subject", ()))


def _looks_like_bounce(msg, pats) -> bool:
    """Its subject or its sender marks a bounce; a message without a From has no sender to tell by."""
    subject = _header(msg, "subject")
    if any(rx.search(subject) for rx in pats.get("bounce_subject", ())):
        return True
    return msg.get("from") is not None and any(rx.search(_header(msg, "from")) for rx in pats.get("bounce_sender", ()))


# -- the standard report ------------------------------------------------------------------------


def fields(lines, start=()) -> list:
    """The blocks of a report's fields (RFC 3464 §2.1), each a dict with lower-case names.

    A line that starts no field continues the one before it (a
    Diagnostic-Code of several lines, some servers not indenting them). A
    recipient field met again starts the next block: some servers leave out
    the blank line between recipients. Another field met again: the first
    counts."""
    pairs = [[name.lower(), str(value)] for name, value in start]
    for line in lines:
        named = NAMED.match(line)
        if named and not line[:1].isspace():
            pairs.append([named.group(1).lower(), named.group(2)])
        elif pairs and line.strip():
            pairs[-1][1] += " " + line.strip()
    blocks: list[dict] = [{}]
    for name, value in pairs:
        if name in blocks[-1] and name in RECIPIENT_FIELDS:
            blocks.append({})
        blocks[-1].setdefault(name, value)
    return [b for b in blocks if b]


def _blocks(part) -> list:
    """The per-message block and the per-recipient blocks of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        blocks = []
        for block in payload:
            rest = block.get_payload()  # the lines after one that starts no field
            blocks += fields(rest.splitlines() if isinstance(rest, str) else [], block.items())
        return blocks
    text = text_of(part) if not isinstance(payload, list) else ""
    return [block for b in re.split(r"\n[ \t]*\n", text) if b.strip() for block in fields(b.splitlines())]


def _from_blocks(blocks) -> list:
    found, reporting = [], ""
    for block in blocks:
        reporting = reporting or block.get("reporting-mta", "")
        recipient = (
            address(block.get("original-recipient"))
            or address(block.get("final-recipient"))
            or address(block.get("x-actual-recipient"))
        )
        if not recipient:
            continue
        action = block.get("action", "").strip().lower()[:100]
        diagnostic = " ".join(block.get("diagnostic-code", "")[: mime.MAX_TEXT // 16].split())
        codes, replies = found_in(TYPE_PREFIX.sub("", diagnostic), DIAGNOSTIC)
        given = status_in(COMMENT.sub(" ", block.get("status", "")[:MAX_HEADER]))
        if given:
            codes.append(Code(given, "", FIELD, 0))
        status, reply = choose(codes, replies, failure=action not in DONE)
        found.append(
            {
                "recipient": recipient,
                "action": action,
                "status": status,
                "reply": reply,
                "diagnostic": diagnostic[:1000],
                "reporting": _host(reporting),
                "remote": _host(block.get("remote-mta", "")),
                "codes": codes,
                "replies": replies,
            }
        )
    return found


def _host(value: str) -> str:
    return TYPE_PREFIX.sub("", value[:1000] or "").strip()[:255]


def _settled(item: dict) -> bool:
    """Whether a report's own fields settle its code: a specific one as given, agreeing with the reply."""
    status, reply = item["status"], item["reply"]
    given = any(code.status == status for code in item["codes"])  # not a class taken from the reply
    return bool(given and reply and specificity(status) == 2 and reply[0] == status[0])


def _weigh_text(found: list, from_text: list) -> None:
    """A standard report's codes, weighed with those of its human-readable text where its own do not settle it.

    The text may speak of other recipients too: where the report gives a
    code, only the text's codes and replies of that class are weighed."""
    by_recipient = {f["recipient"].lower(): f for f in from_text}
    for item in found:
        other = by_recipient.get(item["recipient"].lower()) or (from_text[0] if len(from_text) == 1 else None)
        if not other or _settled(item):
            continue
        classes = {code.status[0] for code in item["codes"]} or set("245")
        codes = item["codes"] + [code for code in other["codes"] if code.status[0] in classes]
        replies = item["replies"] + [r for r in other["replies"] if r[0] in classes]
        item["status"], item["reply"] = choose(codes, replies, item["action"] not in DONE)
