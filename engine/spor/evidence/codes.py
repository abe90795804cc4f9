"""Status codes in a bounce: enhanced status codes (RFC 3463, ``5.1.1``) and SMTP replies (RFC 5321, ``550``).

A returned message often states its failure more than once: the ``Status``
field of a report (RFC 3464 §2.3.4), the server's own words in
``Diagnostic-Code`` (§2.3.6), and the text for people. When they disagree,
``choose`` takes the most specific code that agrees with the reply the
server gave; docs/evidence.md gives the precedence and what it rests on.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# class 2/4/5, subject 0-7 (RFC 3463), no digit or dot glued on either side (IP addresses, versions)
STATUS = re.compile(r"(?<![\d.])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)")
REPLY = re.compile(r"(?:^|(?<=[\s<>#;:'\"(\[=]))([245][0-5]\d)(?=[\s-]|$)(?![-\s]*\d{3})", re.M)
PAIR = re.compile(r"(?<![\d.])([245][0-5]\d)[ -]+(?:#\s*)?([245]\.[0-7]\.\d{1,3})(?!\.?\d)")
MAX_CODES = 100  # codes weighed in one text: a long text's later ones say no more about its failure
# where a code was found, the more direct first: the server's own words, the report's Status field, the text
DIAGNOSTIC, FIELD, TEXT = 3, 2, 1


class Code(NamedTuple):
    """An enhanced status code as found: with the reply stated next to it (or ""), where, and at what offset."""

    status: str
    reply: str
    source: int
    at: int


def status_in(text: str) -> str:
    """The first enhanced status code in a text, or ""."""
    match = STATUS.search(text or "")
    return ".".join(match.groups()) if match else ""


def specificity(status: str) -> int:
    """2 when subject and detail are both non-zero (5.1.1), 1 when one is (5.1.0), 0 for X.0.0."""
    _, subject, detail = status.split(".")
    return (subject != "0") + (detail.strip("0") != "")


def found_in(text: str, source: int) -> tuple:
    """(codes, replies) in a text: every status code with the reply stated just before it, and every reply."""
    codes, paired = [], set()
    for match in PAIR.finditer(text):
        codes.append(Code(match.group(2), match.group(1), source, match.start(2)))
        paired.add(match.start(2))
        if len(codes) >= MAX_CODES:
            break
    for match in STATUS.finditer(text):
        if len(codes) >= MAX_CODES:
            break
        if match.start() not in paired:
            codes.append(Code(".".join(match.groups()), "", source, match.start()))
    replies = []
    for match in REPLY.finditer(text):
        replies.append(match.group(1))
        if len(replies) >= MAX_CODES:
            break
    return codes, replies


def choose(codes: list, replies: list, failure: bool = True) -> tuple:
    """(status, reply): the code the precedence puts first among ``codes``; either may be "".

    ``replies`` are the reply codes the server gave; the first (in a
    failure, the first failure) decides. A code agrees with them when the
    reply stated next to it has its class (RFC 3463 §2, RFC 5321 §4.2.1), or,
    stated alone, when its class is the first reply's. Then a code with a
    non-zero subject and detail (RFC 3463 §3.1), then the source
    (DIAGNOSTIC, FIELD, TEXT), then a code with its own reply, then the
    earlier. A code that disagrees is taken only when none agrees, with the
    reply's class. In a failure (``failure``), a success code (2.X.X, from a
    transcript) comes last. docs/evidence.md gives the reasons.
    """
    first = next((r for r in replies if not failure or r[0] != "2"), replies[0] if replies else "")

    def agrees(code: Code) -> int:
        if code.reply:
            return 2 if code.reply[0] == code.status[0] else 0
        return 1 if not first or first[0] == code.status[0] else 0

    def rank(code: Code) -> tuple:
        return (
            not failure or code.status[0] != "2",
            agrees(code) > 0,
            specificity(code.status),
            code.source,
            agrees(code),
            -code.at,
        )

    if not codes:
        return "", first
    best = max(codes, key=rank)
    if agrees(best):
        reply = best.reply or next((r for r in replies if r[0] == best.status[0]), "")
        return best.status, reply
    if first and first[0] != "2" and best.status[0] != "2":  # no code agrees: the reply says which class it is
        return first[0] + best.status[1:], first
    return best.status, best.reply


def first_stated(codes: list, failure: bool = True) -> list:
    """The code a text states its failure with, as a list of one (or none): the first paired with a reply of its
    class; else the first alone, a generic X.0.0 giving way to a specific one of its class. In a text, order
    counts more than detail: the first failure stated is the failure, later codes are transcripts and retries."""
    codes = [c for c in codes if not failure or c.status[0] != "2"] or codes
    paired = sorted((c for c in codes if c.reply and c.reply[0] == c.status[0]), key=lambda c: c.at)
    if paired:
        return paired[:1]
    alone = sorted((c for c in codes if not c.reply), key=lambda c: c.at)
    if not alone:
        return sorted(codes, key=lambda c: c.at)[:1]
    best = alone[0]
    if specificity(best.status) == 0:
        best = next((c for c in alone if c.status[0] == best.status[0] and specificity(c.status)), best)
    return [best]


def codes_in(text: str, failure: bool = True) -> tuple:
    """(enhanced status code, SMTP reply code) in a piece of text; either may be ""."""
    codes, replies = found_in(text or "", TEXT)
    return choose(first_stated(codes, failure), replies, failure)
