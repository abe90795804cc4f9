"""How a value written in a case maps to a value id.

A case may name a value by its id, its Norwegian or English label, or a
synonym, in any case and with stray spaces. Yes/no facts also take
true/false, ja/nei, y/n, j/n and 1/0. YAML reads some bare words as
booleans or numbers (``no``, ``on``, ``1``): the text as written is what
is looked up, so a value id such as ``no`` still works unquoted.
"""

from __future__ import annotations

import unicodedata

from spor.rulebase.model import NO, YES, Text, Value

YESNO_VALUES = (
    Value(YES, Text("Ja", "Yes"), ("true", "ja", "y", "j", "1")),
    Value(NO, Text("Nei", "No"), ("false", "nei", "n", "0")),
)


def token(text: str) -> str:
    """The form in which two spellings of one value compare equal."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def scalar_text(fact, raw, written: str | None = None):
    """The text to look up for a scalar from a case or a rule file, or None when it cannot name a value.

    A YAML boolean names yes or no for a yes/no fact; otherwise the text as
    it was written counts (``on``, ``no``, ``1``), so that a value id that
    YAML happens to read as a boolean or a number still matches.
    """
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool) and fact.type == "yesno":
        return YES if raw else NO
    if written is not None and isinstance(raw, (bool, int)):
        return written
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return None


def words(value: Value) -> list:
    """Every spelling that names ``value``."""
    return [value.id, value.label.nb, value.label.en, *value.synonyms]


def build(values) -> tuple:
    """(token -> value id, clashes) where clashes lists (token, first id, second id)."""
    table: dict[str, str] = {}
    clashes: list[tuple[str, str, str]] = []
    for value in values:
        for word in words(value):
            key = token(word)
            if key in table and table[key] != value.id:
                clashes.append((word, table[key], value.id))
            table.setdefault(key, value.id)
    return table, clashes
