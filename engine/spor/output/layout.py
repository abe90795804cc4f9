"""The one line style of spor's text output: wrapped at a width that reads well where it is shown.

The width is a setting of the process, not read from the environment on
every line: the command line (``spor.cli.app``) sets it for each command
but ``serve`` from where its standard output goes (``terminal_width``:
``COLUMNS`` or the terminal's size on a terminal, ``WIDTH`` elsewhere), and
puts it back when the command ends. Everything else (the Python API,
``spor serve``'s pages, tests that call the renderers) wraps at ``WIDTH``,
so what a program, a file or a web page gets never depends on the size of
a terminal that happens to be near.
"""

from __future__ import annotations

import os
import textwrap

WIDTH = 88  # output that goes to no terminal: a pipe, a file, the API, the web page
MIN_WIDTH, MAX_WIDTH = 40, 200  # below 40 a line holds a few words; above 200 an eye loses the next line
_width = WIDTH


def wrap(body: str, indent: str, first: str | None = None) -> str:
    """``body`` filled to the width in use; the first line starts with ``first`` (default: ``indent``), the others
    with ``indent``."""
    return textwrap.fill(
        body,
        _width,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def width() -> int:
    """The width text is wrapped at now."""
    return _width


def use_width(columns: int) -> int:
    """Wrap at ``columns`` (held within ``MIN_WIDTH``..``MAX_WIDTH``) from now on; return the width used before,
    so that a caller can put it back."""
    global _width
    before, _width = _width, max(MIN_WIDTH, min(MAX_WIDTH, columns))
    return before


def terminal_width(stream, environ=None) -> int:
    """The width to wrap text for ``stream`` at: ``WIDTH`` off a terminal, else as ``shutil.get_terminal_size``
    finds it.

    Text to a pipe or a file is wrapped at ``WIDTH`` whatever the
    environment says, so that it is the same on every machine and in every
    test: a ``COLUMNS`` is easily inherited without anyone asking for it (a
    Python parent that loaded readline, as pytest does, exports its
    terminal's size to every child). On a terminal, ``COLUMNS`` first (a
    value that is not a positive whole number is passed over, never an
    error), then the terminal's own size. Held within
    ``MIN_WIDTH``..``MAX_WIDTH``.
    """
    try:
        if not stream.isatty():
            return WIDTH
    except (AttributeError, ValueError):  # no isatty, or closed
        return WIDTH
    environ = os.environ if environ is None else environ
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:  # unset, empty, words, or more digits than int() reads
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):  # a stream that says it is a terminal but has no descriptor
            columns = 0
    if columns <= 0:  # a terminal that does not say its size (it says 0)
        return WIDTH
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


RULEBASE_WORD = {"nb": "regelbase", "en": "rulebase"}


def rulebase_named(rulebase_id: str, folder: str, digest: str) -> str:
    """A rulebase as text output names it, as ``spor check`` does: its id, its folder and the short checksum of its
    files, which is also each JSON result's ``rulebase_hash``: two runs with the same three used the same rules."""
    return f"{rulebase_id} ({folder}, {digest})"


def rulebase_line(rulebase_id: str, folder: str, digest: str, lang: str = "nb") -> str:
    """The line a command writes on standard error to say which rulebase it used: ``rulebase: id (folder, hash)``."""
    return f"{RULEBASE_WORD.get(lang, RULEBASE_WORD['en'])}: {rulebase_named(rulebase_id, folder, digest)}"
