"""Plain record classes that cost little to define.

spor's records are compared by identity and never mutated after
construction, so all they need is an ``__init__`` that takes the annotated
fields in order (with defaults and default factories) and a ``__repr__`` for
debugging. ``dataclasses`` would generate that too, but importing it pulls in
``inspect``, ``ast`` and ``dis`` and it builds each class slowly: together
about a sixth of the start-up of ``spor run`` (bench/cold_start.py). The
``__init__`` is compiled when a class is first instantiated (about 0.1 ms a
class): a ``spor run`` uses few of the two dozen record classes.

``typing.dataclass_transform`` tells type checkers that ``@record`` makes
an ``__init__`` the way ``@dataclass`` does, so mypy checks every record's
construction and fields as it would a dataclass's. Measured against
``@dataclass(slots=True)`` for the same classes: building 24 of them costs
8-9 ms at start-up, about an eighth of ``spor run``'s baseline
(bench/cold_start.py), which would break its 1.3x bound; this costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_MISSING: Any = object()


class _Field:
    """A field's default, given as ``field(default=...)`` or ``field(default_factory=...)``."""

    __slots__ = ("default", "default_factory")

    def __init__(self, default, default_factory):
        self.default, self.default_factory = default, default_factory


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | Any = _MISSING, repr: bool = True) -> Any:  # noqa: A002
    """As ``dataclasses.field``, for defaults only (``repr`` is accepted and ignored)."""
    return _Field(default, default_factory)


def _repr(self) -> str:
    parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_fields)
    return f"{type(self).__name__}({parts})"


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Give ``cls`` an ``__init__`` over its annotated fields, like ``@dataclass(eq=False, repr=False)``."""
    names = list(cls.__dict__.get("__annotations__", {}))
    params, body, scope, seen_default = [], [], {"_MISSING": _MISSING}, False
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field) and value.default_factory is not _MISSING:
            scope[f"_factory_{name}"] = value.default_factory
            params.append(f"{name}=_MISSING")
            body.append(f"self.{name} = _factory_{name}() if {name} is _MISSING else {name}")
            delattr(cls, name)
            seen_default = True
            continue
        if isinstance(value, _Field):
            value = value.default
            setattr(cls, name, value)
        if value is _MISSING:
            if seen_default:
                raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with a default")
            params.append(name)
        else:
            scope[f"_default_{name}"] = value
            params.append(f"{name}=_default_{name}")
            seen_default = True
        body.append(f"self.{name} = {name}")
    if "__post_init__" in cls.__dict__:
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])

    def first_init(self, *args, **kwargs):
        """Build the real ``__init__`` when the class is first used: many never are in one command."""
        exec(source, scope)  # noqa: S102 - spor's own class definitions, never user data
        init = scope["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        setattr(cls, "__init__", init)  # noqa: B010 - mypy forbids assigning to a method
        init(self, *args, **kwargs)

    setattr(cls, "__init__", first_init)  # noqa: B010
    setattr(cls, "_record_fields", tuple(names))  # noqa: B010
    if "__repr__" not in cls.__dict__:
        setattr(cls, "__repr__", _repr)  # noqa: B010
    return cls
