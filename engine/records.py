"""Plain record classes that cost little to define.

``dataclasses`` compiles ``__eq__``, ``__repr__`` and, for frozen classes,
``__setattr__`` for every class at import time: about 0.8 ms a class, which
for spor's twenty-odd records was a fifth of the start-up of ``spor run``
(bench/cold_start.py). spor's records are compared by identity and never
mutated after construction, so they keep only the generated ``__init__``
and share one ``__repr__`` for debugging.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


def _repr(self) -> str:
    parts = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
    return f"{type(self).__name__}({parts})"


def record(cls):
    """``@dataclass`` with only ``__init__`` generated: equality is identity."""
    if not cls.__doc__:
        cls.__doc__ = cls.__name__  # else dataclass derives one with inspect.signature, at import
    cls = dataclass(eq=False, repr=False)(cls)
    if "__repr__" not in cls.__dict__ or cls.__repr__ is object.__repr__:
        cls.__repr__ = _repr
    return cls
