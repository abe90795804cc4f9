"""How a value written in a case maps to a value id.

A case may name a value by its id, its Norwegian or English label, or a
synonym, in any case and with stray spaces (``Lønn``, ``payroll``,
``LEVERT``). Yes/no facts also take true/false, ja/nei, y/n, j/n and 1/0.
"""
from __future__ import annotations

import unicodedata

from .model import NO, YES, Text, Value

YESNO_VALUES = (
    Value(YES, Text("Ja", "Yes"), ("true", "ja", "y", "j", "1")),
    Value(NO, Text("Nei", "No"), ("false", "nei", "n", "0")),
)


def token(text: str) -> str:
    """The form in which two spellings of one value compare equal."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def words(value: Value) -> list:
    """Every spelling that names ``value``."""
    return [value.id, value.label.nb, value.label.en, *value.synonyms]


def build(values) -> tuple:
    """(token -> value id, clashes) where clashes lists (token, first id, second id)."""
    table, clashes = {}, []
    for value in values:
        for word in words(value):
            key = token(word)
            if key in table and table[key] != value.id:
                clashes.append((word, table[key], value.id))
            table.setdefault(key, value.id)
    return table, clashes
