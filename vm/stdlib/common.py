"""Small helpers shared by the stdlib modules: argument sentinels, coercions, callables.

``MISSING`` is the default of parameters whose absence differs from an
explicit ``nil`` (``println()`` prints an empty line, ``println(nil)`` prints
``nil``). :func:`s` is the ``~str`` coercion of §0.2 A2. :func:`is_callable`
accepts exactly the Harn callables: script closures (Python functions),
builtin references, struct constructors and bound methods.
"""

from __future__ import annotations

import types
from typing import Any

from vm.runtime.display import display, truthy, type_of
from vm.runtime.errors import ThrowError
from vm.runtime.values import BuiltinRef, StructType


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

_CALLABLE_TYPES = frozenset(
    {types.FunctionType, BuiltinRef, StructType, types.MethodType, types.BuiltinFunctionType}
)


def is_callable(f: Any) -> bool:
    """True for the values Harn can call (closures, builtin references, constructors)."""
    t = type(f)
    if t in _CALLABLE_TYPES:
        return True
    if t is dict or t is list or t is str or f is None:
        return False
    return callable(f) and type_of(f) in ("closure", "builtin")


def s(v: Any) -> str:
    """``~str`` coercion (A2): a string as is, anything else by its display form."""
    return v if type(v) is str else display(v)


def s_or(v: Any, default: str) -> str:
    """``~str`` with a default for a missing or ``nil`` argument."""
    if v is None or v is MISSING:
        return default
    return v if type(v) is str else display(v)


def throw(message: Any) -> ThrowError:
    """The ``throw "M"`` error kind of §0.3 (``catch`` binds the string itself)."""
    return ThrowError(message)


def test(v: Any) -> bool:
    """Truthiness with a fast path for the bools callbacks usually return."""
    if v is True:
        return True
    if v is False or v is None:
        return False
    return truthy(v)


def is_int(v: Any) -> bool:
    return type(v) is int


def is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


__all__ = ["MISSING", "display", "is_callable", "is_int", "is_num", "s", "s_or", "test",
           "throw", "truthy", "type_of"]
