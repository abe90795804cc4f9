"""Subpackages that name their public modules in ``__all__`` and import each only when it is first used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType


def submodules(package: str, public: list[str]) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` (PEP 562) for ``package``: ``package.name`` imports a public module on first use.

    So ``import spor.rulebase`` costs nothing, yet ``spor.rulebase.loader``
    and ``from spor.rulebase import *`` work, and ``__all__`` says what the
    subpackage offers.
    """

    def get(name: str) -> ModuleType:
        if name not in public:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return importlib.import_module(f"{package}.{name}")

    return get
