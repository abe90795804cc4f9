"""Where the shipped rulebase and the JSON Schemas are.

Installed (``pip install .``) they live inside the package as ``spor/_rules``
and ``spor/_schemas`` (see ``pyproject.toml``); in a source checkout or an
editable install they are the top-level ``rules/`` and ``schemas/`` folders
of the checkout, beside ``engine/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # spor/ (engine/spor/ in a checkout)


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / f"_{name}", _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped {name}/ folder is missing from this installation")


def default_rules_dir() -> Path:
    return _shipped("rules")


def schemas_dir() -> Path:
    return _shipped("schemas")
