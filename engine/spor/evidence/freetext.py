"""A bounce that states its failure in free text: the failed recipients it names, and the codes near each.

About half of real bounces have no report part (RFC 3464). Their text is
searched for recipients and for an enhanced status code and an SMTP reply
near each. The phrases that differ between mail systems (where the returned
original starts, what introduces the diagnostic, which lines never name a
recipient) are data in the rulebase (``evidence.reports.patterns``).

An address is never taken for the failed recipient when it is a sender (the
bounce's or the returned original's From, Sender, Return-Path, Reply-To), or
a Message-ID or Content-ID.
The bounce's own addressees (To, Cc) are normally the original's sender: one
is taken only where the text names it as a recipient would be named, on a
line of its own.
"""

from __future__ import annotations

import bisect
import re
from email.parser import HeaderParser

from spor.evidence.codes import TEXT, choose, first_stated, found_in
from spor.evidence.mime import text_of

ADDRESS = re.compile(r"[\w.!#$%&'*+=?^`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}")
# in running text: the common local-part characters only, not glued to a URL's query (?a=b&c=x@y.z) nor to
# a longer address (so that a@x.com is not found inside ba@x.com, nor user@x.com inside user@x.com.au)
TEXT_ADDRESS_TEXT = (
    r"(?<![\w.+=/&?%-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}(?![\w-]|\.[A-Za-z0-9])"
)
TEXT_ADDRESS = re.compile(TEXT_ADDRESS_TEXT)
# the identifiers of messages and parts (RFC 5322 §3.6.4, RFC 2045 §7), in headers or in a text that shows them
IDS = re.compile(
    r"^[ \t]*(?:[\w-]*Message-?Id|Content-Id|In-Reply-To|References)[ \t]*:[ \t]*([^\n]{0,2000})", re.I | re.M
)
ID_HEADERS = ("message-id", "content-id", "in-reply-to", "references", "resent-message-id", "x-message-id")
LEADING = re.compile(r"^[ \t]*<?(" + TEXT_ADDRESS_TEXT + r")>?[ \t]*(?::|$)", re.M)  # an address opening a line
TYPE_PREFIX = re.compile(r"^\s*[\w-]+\s*;\s*")  # "rfc822;", "dns;", "smtp;"
MAX_RECIPIENTS = 1000  # recipients read from one message's free text
SENDERS = ("from", "sender", "return-path", "reply-to")
ADDRESSEES = ("to", "cc", "delivered-to", "x-original-to")


def address(value) -> str:
    """The address in a recipient field, its domain in lower case (a local part may be case-sensitive)."""
    match = ADDRESS.search(TYPE_PREFIX.sub("", str(value or "")))
    if not match:
        return ""
    local, _, domain = match.group(0).strip(".").rpartition("@")
    return f"{local}@{domain.lower()}"


def from_text(msg, parts, full, pats) -> list:
    """Recipients named in the bounce's own text, each with the codes found after it.

    Each item has the fields of a finding, and ``codes`` and ``replies``:
    every code found in its part of the text, for the precedence
    (``codes.choose``) when a report's own fields are weighed with them.
    """
    returned = [p for p, inside in parts if inside and p.get("from") is not None]
    returned += [HeaderParser().parsestr(text_of(p)) for p, _ in parts if p.get_content_type() == "text/rfc822-headers"]
    body = cut_returned(full, pats)
    senders = _senders(msg, returned) | _ids(parts, full)
    addressees = {a.lower() for name in ADDRESSEES for v in msg.get_all(name, []) for a in ADDRESS.findall(str(v))}
    never = pats.get("not_recipient", ())
    leading = {m.group(1).lower() for m in LEADING.finditer(body)}
    returned_to = {a.lower() for r in returned for a in ADDRESS.findall(str(r.get("to", "")))}

    def allowed(found: str) -> bool:
        lowered = found.lower()
        if lowered in senders or lowered in addressees and lowered not in leading:
            return False
        # a role address (postmaster@) is a recipient only where the text and the returned message both name it
        return not any(rx.search(found) for rx in never) or lowered in leading and lowered in returned_to

    failed_header = [address(a) for a in ADDRESS.findall(str(msg.get("x-failed-recipients") or ""))]  # the MTA says so
    recipients = list(failed_header)
    named = [
        address(m.group("rcpt"))
        for rx in pats.get("recipient", ())
        for m in rx.finditer(body)
        if "rcpt" in rx.groupindex and m.group("rcpt")
    ]  # a line that names the failed recipient outright
    seen = {a.lower() for a in recipients}
    for found in named:
        if found and found.lower() not in seen and found.lower() not in senders:
            recipients.append(found)
            seen.add(found.lower())
    skip_lines = pats.get("not_recipient_line", ())
    for line in body.splitlines() if not recipients else ():
        if any(rx.search(line) for rx in skip_lines):
            continue
        for found in TEXT_ADDRESS.findall(line):
            found = address(found)
            if found.lower() not in seen and allowed(found):
                recipients.append(found)
                seen.add(found.lower())
    if leading & seen and not msg.get("x-failed-recipients") and not named:
        # where some address opens a line of its own, that is where bounces name the failed ones
        recipients = [a for a in recipients if a.lower() in leading]
    if any(a.lower() not in addressees for a in recipients):  # the bounce's own To: only where it is the one named
        recipients = [a for a in recipients if a.lower() not in addressees or a in named or a in failed_header]
    recipients = recipients[:MAX_RECIPIENTS]
    if not recipients:  # last resort: whom the returned message was sent to (a part, or text after the cut)
        if len(body) < len(full):
            returned.append(HeaderParser().parsestr(full[len(body) :].split("\n", 1)[-1].lstrip("\n")))
        recipients = [
            address(a)
            for r in returned
            for a in ADDRESS.findall(str(r.get("to", "")))
            if a.lower() not in senders and not any(rx.search(a) for rx in never)
        ]
    return _with_codes(recipients, body, full, pats)


def _with_codes(recipients, body, full, pats) -> list:
    """Each recipient with the codes of its part of the text: from where it is named to where the next one is."""
    reporting = first(pats.get("reporting_mta", ()), full, "host")
    remote = first(pats.get("remote_mta", ()), body, "host")
    overall_diagnostic = first(pats.get("diagnostic", ()), body, "diag")
    overall = found_in(overall_diagnostic, TEXT) if overall_diagnostic else ([], [])
    whole: list = []  # the codes of the whole text, found when first needed

    def in_body() -> tuple:
        if not whole:
            whole.append(found_in(body, TEXT))
        return whole[0]

    first_at: dict[str, int] = {}  # where each address is first named as a whole address (not inside a longer one)
    for match in TEXT_ADDRESS.finditer(body):
        first_at.setdefault(match.group(0).strip(".").lower(), match.start())
    places = sorted(((first_at.get(a.lower(), -1), a) for a in recipients), key=lambda t: (t[0] < 0, t[0]))
    starts = sorted(p for p, _ in places if p >= 0)
    found = []
    for start, name in places:
        segment = ""
        if start >= 0:
            later = starts[bisect.bisect_right(starts, start) :]
            segment = body[start : later[0] if later else len(body)]
        codes, replies = found_in(segment, TEXT) if segment else ([], [])
        diagnostic = first(pats.get("diagnostic", ()), segment, "diag") if segment else ""
        if not codes:  # nothing after it: what the diagnostic says, or the whole text
            codes, replies = (overall[0] or in_body()[0]), replies or overall[1] or in_body()[1]
        codes = first_stated(codes)
        status, reply = choose(codes, replies)
        if not diagnostic and status:
            diagnostic = " ".join(next((ln for ln in (segment or body).splitlines() if status in ln), "").split())
        found.append(
            {
                "recipient": name,
                "action": "failed" if status[:1] in ("5", "") else "delayed",
                "status": status,
                "reply": reply,
                "diagnostic": (diagnostic or overall_diagnostic)[:1000],
                "reporting": reporting[:255],
                "remote": remote[:255],
                "codes": codes,
                "replies": replies,
            }
        )
    return found


def cut_returned(text: str, pats) -> str:
    """The text before the returned original message starts."""
    starts = [m.start() for rx in pats.get("returned_message", ()) for m in [rx.search(text)] if m]
    return text[: min(starts)] if starts else text


def _senders(msg, returned) -> set:
    """The bounce's and the original's senders: never the failed recipient."""
    out: set[str] = set()
    for name in SENDERS:
        for value in msg.get_all(name, []):
            out.update(a.lower() for a in ADDRESS.findall(str(value)))
    for original in returned:
        for name in SENDERS:
            for value in original.get_all(name, []):
                out.update(a.lower() for a in ADDRESS.findall(str(value)))
    return out


def _ids(parts, full: str) -> set:
    """Message-IDs and Content-IDs, of every part and where the text shows them: they look like addresses."""
    out: set[str] = set()
    for part, _ in parts:
        for name in ID_HEADERS:
            for value in part.get_all(name, []):
                out.update(a.lower() for a in ADDRESS.findall(str(value)[:2000]))
    for value in IDS.findall(full):
        out.update(a.lower() for a in ADDRESS.findall(value))
    return out


def first(patterns, text: str, group: str) -> str:
    for rx in patterns:
        match = rx.search(text)
        if match and match.groupdict().get(group):
            return " ".join(match.group(group).split())
    return ""
