"""Reasons worded by others, said in the reader's language: a name's closest spelling, the operating system's
and the json module's words for an error.

Each gives a ``messages.Words`` (or plain text when there is nothing to
translate), so that a problem built from it is worded like the rest.
"""

from __future__ import annotations

from spor.common.messages import Msg, Pair, Words


def did_you_mean(word, candidates) -> Msg | str:
    """`` (did you mean 'x'?)`` for the nearest candidate, or an empty string."""
    import difflib  # only on the error path

    match = difflib.get_close_matches(str(word).lower(), [str(c) for c in candidates], n=1, cutoff=0.6)
    return Msg("did_you_mean", name=match[0]) if match else ""


# what the operating system says (in English, as Python gives it) for the errors a person can act on
_OS_REASONS = {
    "ENOENT": "finnes ikke",
    "EACCES": "ingen tilgang",
    "EPERM": "ikke tillatt",
    "ENOSPC": "disken er full",
    "EDQUOT": "kvoten på disken er brukt opp",
    "EFBIG": "filen er for stor",
    "EISDIR": "er en mappe",
    "ENOTDIR": "en del av stien er ikke en mappe",
    "EROFS": "filsystemet er skrivebeskyttet",
    "EEXIST": "finnes allerede",
    "ENAMETOOLONG": "navnet er for langt",
}


def os_reason(exc: OSError) -> Words | str:
    """Why an operating system call failed, as a person reads it: its own words in English, ours in Norwegian."""
    import errno

    reason = exc.strerror or str(exc)
    nb = _OS_REASONS.get(errno.errorcode.get(exc.errno or 0, ""))
    return Pair(nb, reason) if nb else reason


# what Python's json module says of a document it cannot read (in English), for the reasons people meet
_JSON_REASONS = {
    "Expecting value": "ventet en verdi",
    "Expecting property name enclosed in double quotes": "ventet et navn i doble anførselstegn",
    "Expecting ',' delimiter": "ventet skilletegnet ','",
    "Expecting ':' delimiter": "ventet skilletegnet ':'",
    "Unterminated string starting at": "en tekst som ikke avsluttes, begynner her",
    "Extra data": "mer tekst etter slutten",
    "Invalid control character at": "et kontrolltegn som ikke er tillatt",
    "Invalid \\escape": "en ugyldig \\-kode",
}


def json_reason(message: str) -> Words | str:
    """Why ``json`` could not read a document, as a person reads it: its own words in English, ours in Norwegian."""
    nb = _JSON_REASONS.get(message)
    return Pair(nb, message) if nb else message
