"""The one line style of spor's text output: wrapped at a width that reads well in a terminal."""

from __future__ import annotations

import textwrap

WIDTH = 88


def wrap(body: str, indent: str, first: str | None = None) -> str:
    """``body`` filled to ``WIDTH``; the first line starts with ``first`` (default: ``indent``), the others with
    ``indent``."""
    return textwrap.fill(
        body,
        WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
