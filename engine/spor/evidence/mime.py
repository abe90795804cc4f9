"""A returned message as MIME parts: parsed within bounds, its parts walked, their text decoded.

Python's ``email`` package parses the message with the ``compat32`` policy:
on 333 real bounces of a public corpus (sisimai's set-of-emails) it gave the
same recipients and codes as ``policy.default`` at about a seventh of the
time (bench/evidence.py).

Only the first ``MAX_PARSE`` bytes are parsed, and a line longer than
``MAX_LINE`` is cut: a bounce says what failed in its first part and its
report, and the returned original (an attachment of many megabytes, say)
needs only its headers. So a message costs a bounded amount of memory over
its own bytes, and a header line of many megabytes neither fills that bound
nor hides the headers after it.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections import Counter
from email.parser import HeaderParser

from spor.common.messages import Joined, Msg

MAX_PARSE = 2 << 20  # bytes of a message parsed; the rest is not read
MAX_LINE = 64 << 10  # bytes of one line read; the rest of that line is not
MAX_TEXT = 256 * 1024  # characters of human-readable text searched in a bounce
MAX_SPLITS = 8  # multiparts of one message split again with the boundary their lines use
TAG = re.compile(r"<[^<>]{0,2000}>")  # bounded, and stopping at the next "<": linear on any text
HIDDEN = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.I)  # their text is not shown, so not read
# a line that may open a part (RFC 2046 §5.1.1: "--" and a boundary of at most 70 characters, not all dashes)
DELIMITER = re.compile(r"^--((?=[^\n]*[^\s-])[^\s]{1,70})[ \t]*\r?$", re.M)


def bounded(data: bytes) -> tuple:
    """(the bytes to parse, "" or what was left unread): at most MAX_PARSE bytes, lines cut at MAX_LINE bytes.

    NUL bytes are dropped: they end no header and mean nothing in a text.
    """
    if b"\0" in data[:MAX_PARSE]:
        data = data[: MAX_PARSE + MAX_LINE].replace(b"\0", b"") + data[MAX_PARSE + MAX_LINE :]
    if len(data) <= MAX_LINE or (len(data) <= MAX_PARSE and max(map(len, data.split(b"\n"))) <= MAX_LINE):
        return data, ""
    out, size, at, long_line = [], 0, 0, False
    while at < len(data) and size < MAX_PARSE:
        end = data.find(b"\n", at, at + MAX_LINE + 1)
        if end < 0 and len(data) - at > MAX_LINE:  # a line longer than MAX_LINE: its start, then the next line
            long_line = True
            out.append(data[at : at + MAX_LINE] + b"\n")
            end = data.find(b"\n", at + MAX_LINE)
            at = len(data) if end < 0 else end + 1
        else:
            end = len(data) if end < 0 else end + 1
            out.append(data[at:end])
            at = end
        size += len(out[-1])
    unread = []
    if at < len(data):
        unread.append(Msg("ev_only_first_mb", size=MAX_PARSE >> 20))
    if long_line:
        unread.append(Msg("ev_long_lines_cut", size=MAX_LINE >> 10))
    return b"".join(out), Joined(unread, Msg("sep_and")) if unread else ""


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.compat32)


def walk(msg, inside=False, splits=None):
    """Every part with whether it lies inside the returned original message.

    ``message/*`` is tested before ``is_multipart()``: under compat32 a
    message/rfc822 part says it is multipart, which would mix the returned
    message into the bounce's own text. A multipart whose boundary is never
    found is parsed again with the boundary its lines use, if they use one,
    and otherwise read as text (``text_leaf``); at most ``MAX_SPLITS`` times
    a message, each a parse of its part again.
    """
    splits = [MAX_SPLITS] if splits is None else splits
    yield msg, inside
    ctype = msg.get_content_type()
    if ctype == "message/delivery-status":
        return
    if msg.get_content_maintype() == "message" or ctype == "text/rfc822-headers":
        payload = msg.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            yield from walk(sub, True, splits)
    else:
        if msg.get_content_maintype() == "multipart" and not msg.is_multipart() and splits[0] > 0:
            splits[0] -= 1
            _split_again(msg)
        if msg.is_multipart():
            for sub in msg.get_payload():
                yield from walk(sub, inside, splits)


def _split_again(msg) -> None:
    """A multipart whose declared boundary never appears: split with the one its lines use, if they use one."""
    payload = msg.get_payload()
    if not isinstance(payload, str):
        return
    seen = Counter(m.group(1).removesuffix("--") for m in DELIMITER.finditer(payload))
    boundary = next((b for b in seen if seen[b] >= 2 and b != msg.get_boundary()), None)
    if boundary is None:
        return
    again = email.message_from_string(
        f'Content-Type: {msg.get_content_type()}; boundary="{boundary}"\n\n' + payload, policy=email.policy.compat32
    )
    if again.is_multipart():
        msg.set_payload(again.get_payload())


def text_leaf(part) -> bool:
    """A part whose text a person reads: text/* (not headers), or a multipart that could not be split."""
    if part.is_multipart():
        return False
    if part.get_content_maintype() == "multipart":
        return True
    return part.get_content_maintype() == "text" and part.get_content_type() != "text/rfc822-headers"


def text_of(part) -> str:
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
        text = strip_html(text[:MAX_TEXT])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_html(text: str) -> str:
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


def human_text(parts) -> tuple:
    """(the bounce's own text, whether it was cut): at most MAX_TEXT characters, cut at the end of a line."""
    text = "\n".join(text_of(p) for p, inside in parts if not inside and text_leaf(p))
    if len(text) <= MAX_TEXT:
        return text, False
    end = text.rfind("\n", 0, MAX_TEXT)
    return text[: end if end > 0 else MAX_TEXT], True


def headers(text: str) -> dict:
    return {k.lower(): str(v) for k, v in HeaderParser().parsestr(text.strip() + "\n").items()}
