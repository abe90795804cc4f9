""" "Did you mean" hints for misspelt names and values."""

from __future__ import annotations


def closest(word: str, candidates) -> str:
    """`` (did you mean 'x'?)`` for the nearest candidate, or an empty string."""
    import difflib  # only on the error path

    match = difflib.get_close_matches(str(word).lower(), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
