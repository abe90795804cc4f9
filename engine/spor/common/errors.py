"""Error objects that carry where the problem is.

Every problem a user can cause (a rule file, a case file, a command-line
argument) ends up as a :class:`Problem`: the file, the line and column when
the text is known, the path inside the document, and a sentence saying what
was expected. The CLI prints them one per line and exits with code 2; tests
assert on their fields rather than on printed text.

The sentence is a catalogue message (``messages.Msg``) wherever spor words
it: ``message`` is its English text, the one scripts and JSON read, and
:meth:`Problem.shown` words it in the language of the person reading.
"""

from __future__ import annotations

import os

from spor.common.records import field, record


@record
class Problem:
    """One thing wrong with an input, and where it is."""

    file: str
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: tuple = ()  # keys and indexes inside the document
    severity: str = "error"  # "error" or "warning"
    code: str = "invalid"  # what kind of problem, for scripts

    def where(self) -> str:
        """``file:line:col`` when known, else ``file`` (with the document path)."""
        return place(self.file, self.line, self.column, format_path(self.path) if self.path else "")

    def text(self, lang: str = "en") -> str:
        """The message worded in ``lang`` (a message that is no catalogue message reads as it was written)."""
        from spor.common.messages import say

        return say(self.message, lang)

    def shown(self, lang: str = "en") -> str:
        """``where: message`` in ``lang``, with a warning marked as one, safe to print."""
        from spor.common.messages import text

        label = "" if self.severity == "error" else f"{text('severity_' + self.severity, lang)}: "
        return printable(f"{self.where()}: {label}{self.text(lang)}")

    def __str__(self) -> str:
        return self.shown("en")

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": format_path(self.path) if self.path else "",
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def place(file: str, line=None, column=None, path: str = "") -> str:
    """``file:line:col (path)``, leaving out what is not known."""
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where + (f" ({path})" if path else "")


def printable(text: str, lines: bool = False) -> str:
    """Text from a user's file (a case, a rule file, evidence) made safe to print: the one function for it.

    A control character (C0, DEL, C1), a line or paragraph separator, a
    format character (a bidirectional override, a zero-width one) or an
    unassigned code point shows as its escape (``\x1b``, ``\u202e``), so no
    escape sequence reaches a terminal and no line can be forged. Spaces
    other than the ASCII one (a no-break space) are kept. One line of text,
    unless ``lines``: then line ends (``\n``) are kept and every line is made
    safe. JSON output needs none of this: its encoder escapes what JSON must.
    """
    if text.isprintable() or lines and all(line.isprintable() for line in text.split("\n")):
        return text  # the usual text, checked at C speed: no character to escape
    from unicodedata import category

    keep = "\n" if lines else ""
    return "".join(
        c
        if c.isprintable() or c in keep or category(c) == "Zs"
        else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


def format_path(path) -> str:
    """Render a document path the way jq and JSON Pointer users read it: ``rules[3].when``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            out += ("." if out else "") + (text if text.isprintable() and text else repr(text))
    return out


@record
class InputError(Exception):
    """Raised when an input cannot be used; holds every problem found, not just the first."""

    problems: list = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EngineFailure(Exception):
    """The inference engine itself failed on a case (not the user's input)."""

    @property
    def message(self) -> str:
        """What failed as it was given: a catalogue message (``Msg``, worded in the reader's language; as a
        ``str``, English) or text."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


def shown(path) -> str:
    """A path as one line of text that can be written anywhere: a byte of a file name that is not UTF-8 shows
    as \\xff, and a control character (a newline, an escape) as its escape."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # surrogates standing for the bytes of a name that is not UTF-8
        text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return printable(text)
