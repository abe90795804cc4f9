"""Read a returned message (a bounce): which recipients failed, with which codes.

A message in the standard format (RFC 3464: a ``message/delivery-status``
part) is read field by field. About half of real bounces state the failure
in free text instead; for those the text is searched for the recipients and
for an enhanced status code (RFC 3463, ``5.1.1``) and an SMTP reply
(``550``) near each. The phrases that differ between mail systems (where the
returned original starts, what introduces the diagnostic, which subjects
mark an auto-reply or a complaint) are data in the rulebase
(``evidence.reports.patterns``), not code.

Python's ``email`` package parses the message with the ``compat32`` policy:
on 333 real bounces of a public corpus (sisimai's set-of-emails) it gave the same recipients and
codes as ``policy.default`` at about a seventh of the time (bench/evidence.py).
"""

from __future__ import annotations

import bisect
import email
import email.policy
import re
from email.parser import HeaderParser
from functools import lru_cache

from spor.evidence.findings import NOT_REPORT, REPORT, UNREAD, Finding, clean

MAX_TEXT = 256 * 1024  # characters of human-readable text searched in a free-text bounce
ADDRESS = re.compile(r"[\w.!#$%&'*+=?^`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}")
# in running text: the common local-part characters only, not glued to a URL's query (?a=b&c=x@y.z) nor to
# a longer address (so that a@x.com is not found inside ba@x.com, nor user@x.com inside user@x.com.au)
TEXT_ADDRESS_TEXT = (
    r"(?<![\w.+=/&?%-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}(?![\w-]|\.[A-Za-z0-9])"
)
TEXT_ADDRESS = re.compile(TEXT_ADDRESS_TEXT)
# class 2/4/5, subject 0-7 (RFC 3463), no digit or dot glued on either side (IP addresses, versions)
STATUS = re.compile(r"(?<![\d.])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)")
REPLY = re.compile(r"(?:^|(?<=[\s<>#;:'\"(\[=]))([245][0-5]\d)(?=[\s-]|$)(?![-\s]*\d{3})", re.M)
PAIR = re.compile(r"(?<![\d.])([245][0-5]\d)[ -]+(?:#\s*)?([245]\.[0-7]\.\d{1,3})(?!\.?\d)")
MESSAGE_IDS = re.compile(r"^(?:Message-Id|In-Reply-To|References|X-Message-Id):\s*<?([^>\s]+@[^>\s]+)>?", re.I | re.M)
COMMENT = re.compile(r"\([^)]*\)")
TAG = re.compile(r"<[^<>]{0,2000}>")  # bounded, and stopping at the next "<": linear on any text
HIDDEN = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.I)  # their text is not shown, so not read
LEADING = re.compile(r"^[ \t]*<?(" + TEXT_ADDRESS_TEXT + r")>?[ \t]*(?::|$)", re.M)  # an address opening a line
MAX_RECIPIENTS = 1000  # recipients read from one message's free text
TYPE_PREFIX = re.compile(r"^\s*[\w-]+\s*;\s*")  # "rfc822;", "dns;", "smtp;"
DONE = ("delivered", "relayed", "expanded")  # actions that are not failures


@lru_cache(maxsize=8)
def _compiled(patterns: tuple) -> dict:
    """The rulebase's pattern lists, compiled once: ((name, (regex, ...)), ...) -> {name: [compiled]}."""
    return {name: [re.compile(text, re.I | re.M) for text in texts] for name, texts in patterns}


def read_report(data: bytes, source: str, spec) -> list:
    """The findings of one message file: one per failed (or reported) recipient, or one NOT_REPORT."""
    pats = _compiled(tuple(sorted(spec.patterns.items())))
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = list(_walk(msg))
    text, cut = _human_text(parts)
    why = _not_a_report(msg, parts, text, pats, spec)
    if why:
        return [Finding(source=source, kind=NOT_REPORT, note=why)]
    status_parts = [p for p, inside in parts if p.get_content_type() == "message/delivery-status" and not inside] or [
        p for p, inside in parts if p.get_content_type() == "message/delivery-status"
    ]
    found, how = [], ""
    if status_parts:
        found, how = _from_blocks(_blocks(status_parts[0])), "delivery-status"
    if not found:
        if re.search(r"^(Final|Original)-Recipient:", text, re.M | re.I):  # a report pasted as text
            found = _from_blocks([_headers(b) for b in re.split(r"\n\s*\n", text) if re.search(r"recipient:", b, re.I)])
            how = "delivery-status in the text"
    if not found and _auto_reply(msg, pats) and not status_parts and not _looks_like_bounce(msg, pats):
        return [Finding(source=source, kind=NOT_REPORT, note="an automatic reply")]
    if not found:
        found, how = _from_text(msg, parts, text, pats), "free text"
    elif any(not f["status"] or not f["reply"] or f["status"].endswith(".0.0") for f in found):
        _fill_from_text(found, _from_text(msg, parts, text, pats))
    if cut:
        how += f"; only the first {MAX_TEXT // 1024} KB of its text were read"
    if not found and not status_parts and not _looks_like_bounce(msg, pats):
        return [
            Finding(
                source=source,
                kind=UNREAD,
                note="not recognised: no failed recipient, no status part, "
                "and neither its subject nor its sender marks a bounce",
            )
        ]
    failed = [f for f in found if f["action"] not in DONE]
    return [
        Finding(
            source=source,
            kind=REPORT,
            note=how,
            recipient=clean(f["recipient"]),
            action=clean(f["action"]),
            status=clean(f["status"]),
            reply=clean(f["reply"]),
            diagnostic=clean(f["diagnostic"]),
            reporting=clean(f["reporting"]),
            remote=clean(f["remote"]),
        )
        for f in (failed or found)
    ] or [Finding(source=source, kind=REPORT, note="a bounce, but no recipient could be read from it")]


# -- the MIME tree --------------------------------------------------------------------------------


def _walk(msg, inside=False):
    """Every part with whether it lies inside the returned original message.

    ``message/*`` is tested before ``is_multipart()``: under compat32 a
    message/rfc822 part says it is multipart, which would mix the returned
    message into the bounce's own text.
    """
    yield msg, inside
    ctype = msg.get_content_type()
    if ctype == "message/delivery-status":
        return
    if msg.get_content_maintype() == "message" or ctype == "text/rfc822-headers":
        payload = msg.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            yield from _walk(sub, True)
    elif msg.is_multipart():
        for sub in msg.get_payload():
            yield from _walk(sub, inside)


def _text_of(part) -> str:
    """A leaf part's text: transfer encoding and charset decoded, HTML tags dropped."""
    raw = part.get_payload(decode=True)
    if raw is None:
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    raw = raw[: MAX_TEXT * 4]  # enough bytes for MAX_TEXT characters in any charset
    try:
        text = raw.decode(part.get_content_charset() or "utf-8", "replace")
    except (LookupError, UnicodeError, TypeError):  # an unknown charset, or a codec that is no charset (idna)
        text = raw.decode("latin-1")
    if part.get_content_type() == "text/html":
        text = _strip_html(text[:MAX_TEXT])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strip_html(text: str) -> str:
    """The visible text of HTML, in time linear in its length."""
    out, at, lowered = [], 0, text.lower()
    for match in HIDDEN.finditer(text):
        if match.start() < at:
            continue
        out.append(text[at : match.start()])
        end = lowered.find(f"</{match.group(1).lower()}", match.end())
        at = len(text) if end < 0 else end
    out.append(text[at:])
    text = TAG.sub(" ", "".join(out))
    return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _human_parts(parts) -> list:
    return [
        p
        for p, inside in parts
        if not inside
        and p.get_content_maintype() == "text"
        and not p.is_multipart()
        and p.get_content_type() != "text/rfc822-headers"
    ]


def _human_text(parts) -> tuple:
    """(the bounce's own text, whether it was cut): at most MAX_TEXT characters, cut at the end of a line."""
    text = "\n".join(_text_of(p) for p in _human_parts(parts))
    if len(text) <= MAX_TEXT:
        return text, False
    end = text.rfind("\n", 0, MAX_TEXT)
    return text[: end if end > 0 else MAX_TEXT], True


def _headers(text: str) -> dict:
    return {k.lower(): str(v) for k, v in HeaderParser().parsestr(text.strip() + "\n").items()}


# -- not a bounce -------------------------------------------------------------------------------


def _not_a_report(msg, parts, text, pats, spec) -> str:
    """Why the message is a complaint rather than a bounce ("" when it may be a bounce)."""
    report_type = str(msg.get_param("report-type", "", header="content-type")).lower()
    if report_type in spec.report_types or any(p.get_content_type() == "message/feedback-report" for p, _ in parts):
        return f"a complaint report ({report_type or 'feedback-report'})"
    subject = str(msg.get("subject", ""))
    if any(rx.search(subject) for rx in pats.get("complaint_subject", ())):
        return "a complaint (by its subject)"
    if any(rx.search(text) for rx in pats.get("not_report_body", ())):
        return "a notice of another kind (its text says so)"
    return ""


def _auto_reply(msg, pats) -> bool:
    """RFC 3834 marks, and the subjects people's auto-replies use."""
    if str(msg.get("auto-submitted", "")).lower().startswith("auto-replied"):
        return True
    if msg.get("x-autoreply") is not None or msg.get("x-autorespond") is not None:
        return True
    if str(msg.get("precedence", "")).lower() == "auto_reply":
        return True
    return any(rx.search(str(msg.get("subject", ""))) for rx in pats.get("auto_reply_subject", ()))


def _looks_like_bounce(msg, pats) -> bool:
    subject, sender = str(msg.get("subject", "")), str(msg.get("from", ""))
    return any(rx.search(subject) for rx in pats.get("bounce_subject", ())) or any(
        rx.search(sender) for rx in pats.get("bounce_sender", ())
    )


# -- the standard report ------------------------------------------------------------------------


def _blocks(part) -> list:
    """The per-message block and the per-recipient blocks of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        return [{k.lower(): str(v) for k, v in block.items()} for block in payload]
    text = _text_of(part) if not isinstance(payload, list) else ""
    return [_headers(b) for b in re.split(r"\n\s*\n", text) if b.strip()]


def _from_blocks(blocks) -> list:
    found, reporting = [], ""
    for block in blocks:
        reporting = reporting or block.get("reporting-mta", "")
        recipient = (
            _address(block.get("original-recipient"))
            or _address(block.get("final-recipient"))
            or _address(block.get("x-actual-recipient"))
        )
        if not recipient:
            continue
        diagnostic = " ".join(block.get("diagnostic-code", "").split())
        status = _status(COMMENT.sub(" ", block.get("status", "")))
        from_diagnostic, reply = codes_in(TYPE_PREFIX.sub("", diagnostic))
        if from_diagnostic and (not status or status.endswith(".0.0") and from_diagnostic[0] == status[0]):
            status = from_diagnostic  # missing or generic: the diagnostic's own code says more
        found.append(
            {
                "recipient": recipient,
                "action": block.get("action", "").strip().lower(),
                "status": status,
                "reply": reply,
                "diagnostic": diagnostic[:1000],
                "reporting": _host(reporting),
                "remote": _host(block.get("remote-mta", "")),
            }
        )
    return found


def _address(value) -> str:
    """The address in a recipient field, its domain in lower case (a local part may be case-sensitive)."""
    match = ADDRESS.search(TYPE_PREFIX.sub("", str(value or "")))
    if not match:
        return ""
    local, _, domain = match.group(0).strip(".").rpartition("@")
    return f"{local}@{domain.lower()}"


def _status(text: str) -> str:
    match = STATUS.search(text or "")
    return ".".join(match.groups()) if match else ""


def _host(value: str) -> str:
    return TYPE_PREFIX.sub("", value or "").strip()[:255]


def codes_in(text: str) -> tuple:
    """(enhanced status code, SMTP reply code) in a piece of text; either may be ""."""
    pair = PAIR.search(text)
    if pair and pair.group(1)[0] == pair.group(2)[0]:
        return pair.group(2), pair.group(1)
    status = _status(text)
    if status.endswith(".0.0"):  # generic: prefer a specific code of the same class
        status = next(
            (
                ".".join(m.groups())
                for m in STATUS.finditer(text)
                if m.group(1) == status[0] and m.group(2, 3) != ("0", "0")
            ),
            status,
        )
    reply = next((m.group(1) for m in REPLY.finditer(text) if not status or m.group(1)[0] == status[0]), "")
    return status, reply


# -- free text ----------------------------------------------------------------------------------


def _from_text(msg, parts, full, pats) -> list:
    """Recipients named in the bounce's own text, each with the codes that follow it."""
    returned = [p for p, inside in parts if inside and p.get("from") is not None]
    returned += [
        HeaderParser().parsestr(_text_of(p)) for p, _ in parts if p.get_content_type() == "text/rfc822-headers"
    ]
    body = _cut_returned(full, pats)
    excluded = _not_recipients(msg, returned) | {a.lower() for a in MESSAGE_IDS.findall(full)}
    never = pats.get("not_recipient", ())
    recipients = [_address(a) for a in ADDRESS.findall(str(msg.get("x-failed-recipients") or ""))]  # the MTA says so
    named = [
        _address(m.group("rcpt"))
        for rx in pats.get("recipient", ())
        for m in rx.finditer(body)
        if "rcpt" in rx.groupindex and m.group("rcpt")
    ]  # a line that names the failed recipient outright
    seen = {a.lower() for a in recipients}
    for address in named:
        if address and address.lower() not in seen:
            recipients.append(address)
            seen.add(address.lower())
    skip_lines = pats.get("not_recipient_line", ())
    for line in body.splitlines() if not recipients else ():
        if any(rx.search(line) for rx in skip_lines):
            continue
        for address in TEXT_ADDRESS.findall(line):
            address = _address(address)
            if (
                address.lower() not in excluded
                and address.lower() not in seen
                and not any(rx.search(address) for rx in never)
            ):
                recipients.append(address)
                seen.add(address.lower())
    leading = {m.group(1).lower() for m in LEADING.finditer(body)}
    if leading & seen and not msg.get("x-failed-recipients") and not named:
        # where some address opens a line of its own, that is where bounces name the failed ones
        recipients = [a for a in recipients if a.lower() in leading]
    recipients = recipients[:MAX_RECIPIENTS]
    if not recipients:  # last resort: whom the returned message was sent to (a part, or text after the cut)
        if len(body) < len(full):
            returned.append(HeaderParser().parsestr(full[len(body) :].split("\n", 1)[-1].lstrip("\n")))
        recipients = [
            _address(a)
            for r in returned
            for a in ADDRESS.findall(str(r.get("to", "")))
            if a.lower() not in excluded and not any(rx.search(a) for rx in never)
        ]
    reporting = _first(pats.get("reporting_mta", ()), full, "host")
    remote = _first(pats.get("remote_mta", ()), body, "host")
    overall_diagnostic = _first(pats.get("diagnostic", ()), body, "diag")
    overall = codes_in(overall_diagnostic) if overall_diagnostic else ("", "")
    if not overall[0]:
        status, reply = codes_in(body)
        overall = (status, overall[1] or reply)
    first_at: dict[str, int] = {}  # where each address is first named as a whole address (not inside a longer one)
    for match in TEXT_ADDRESS.finditer(body):
        first_at.setdefault(match.group(0).strip(".").lower(), match.start())
    places = sorted(((first_at.get(a.lower(), -1), a) for a in recipients), key=lambda t: (t[0] < 0, t[0]))
    starts = sorted(p for p, _ in places if p >= 0)
    found = []
    for start, address in places:
        segment = ""
        if start >= 0:
            later = starts[bisect.bisect_right(starts, start) :]
            segment = body[start : later[0] if later else len(body)]
        status, reply = codes_in(segment) if segment else ("", "")
        diagnostic = _first(pats.get("diagnostic", ()), segment, "diag") if segment else ""
        if not status:
            status, reply = overall[0], reply or overall[1]
        if not diagnostic and status:
            diagnostic = " ".join(next((ln for ln in (segment or body).splitlines() if status in ln), "").split())
        found.append(
            {
                "recipient": address,
                "action": "failed" if status[:1] in ("5", "") else "delayed",
                "status": status,
                "reply": reply or (overall[1] if status == overall[0] else ""),
                "diagnostic": (diagnostic or overall_diagnostic)[:1000],
                "reporting": reporting[:255],
                "remote": remote[:255],
            }
        )
    return found


def _cut_returned(text: str, pats) -> str:
    """The text before the returned original message starts."""
    starts = [m.start() for rx in pats.get("returned_message", ()) for m in [rx.search(text)] if m]
    return text[: min(starts)] if starts else text


def _not_recipients(msg, returned) -> set:
    """The bounce's own addressees and the original's sender: never the failed recipient."""
    out: set[str] = set()
    for name in ("from", "to", "cc", "return-path", "delivered-to", "reply-to", "sender"):
        for value in msg.get_all(name, []):
            out.update(a.lower() for a in ADDRESS.findall(str(value)))
    for original in returned:
        for name in ("from", "sender", "return-path", "reply-to"):
            for value in original.get_all(name, []):
                out.update(a.lower() for a in ADDRESS.findall(str(value)))
    return out


def _first(patterns, text: str, group: str) -> str:
    for rx in patterns:
        match = rx.search(text)
        if match and match.groupdict().get(group):
            return " ".join(match.group(group).split())
    return ""


def _fill_from_text(found: list, from_text: list) -> None:
    """A standard report's missing or generic codes, completed from its human-readable text."""
    by_recipient = {f["recipient"].lower(): f for f in from_text}
    for item in found:
        other = by_recipient.get(item["recipient"].lower()) or (from_text[0] if len(from_text) == 1 else None)
        if not other:
            continue
        if not item["status"] or (
            item["status"].endswith(".0.0")
            and other["status"][:1] == item["status"][:1]
            and not other["status"].endswith(".0.0")
        ):
            item["status"] = other["status"]
        if not item["reply"] and other["reply"] and (not item["status"] or other["reply"][0] == item["status"][0]):
            item["reply"] = other["reply"]
