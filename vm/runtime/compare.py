"""Harn equality and ordering (language.md §6.2, §6.3, §17.4; stdlib.md §0.2 A9).

Equality never fails. Values of different types are unequal except int vs
float (compared numerically, also inside collections); bool is its own type
(``1 == true`` is false), which is why every check is on ``type(x) is T`` and
never on ``isinstance`` or Python's ``==`` for containers (Python says
``1 == True`` and shortcuts identical elements, so ``[nan] == [nan]`` would be
true). Same-type compound values dispatch through ``_EQ_SAME`` keyed by type;
a type missing from it (closures, generators, unknown host values) is never
equal, not even to itself.

Ordering is defined for numbers, strings, pairs (first, then second) and
durations (by ms, §17.4); anything else, and NaN, compares "equal": ``<``/``>``
are false, ``<=``/``>=`` true. :func:`compare` gives the same relation as a
three-way result for sorting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vm.runtime.values import (
    BuiltinRef,
    Duration,
    EnumValue,
    HIter,
    HRange,
    HSet,
    Pair,
    StructValue,
)

_SCALARS = frozenset({int, float, str, bool, type(None), bytes})


def eq(a: Any, b: Any) -> bool:
    """Harn ``==``."""
    ta = type(a)
    tb = type(b)
    if ta is tb:
        if ta in _SCALARS:
            return a == b
        f = _EQ_SAME.get(ta)
        return f is not None and f(a, b)
    if ta is int:
        return tb is float and a == b
    if ta is float:
        return tb is int and a == b
    return False


def ne(a: Any, b: Any) -> bool:
    """Harn ``!=``."""
    return not eq(a, b)


def _eq_list(a: list[Any], b: list[Any]) -> bool:
    # Harn-equal implies Python-equal (see _EXACT), so Python's C-speed != is a
    # sound early "no"; a Python "yes" is then checked item by item.
    if len(a) != len(b) or a != b:
        return False
    for x, y in zip(a, b):  # noqa: B905 (lengths checked)
        tx = type(x)
        if tx is type(y):
            if tx in _EXACT:
                continue
            if tx is float:
                if x == y:
                    continue
                return False
        if not eq(x, y):
            return False
    return True


def _eq_dict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if len(a) != len(b) or a != b:
        return False
    for k, x in a.items():
        y = b[k]
        tx = type(x)
        if tx is type(y):
            if tx in _EXACT:
                continue
            if tx is float:
                if x == y:
                    continue
                return False
        if not eq(x, y):
            return False
    return True


# Types whose Python == is exactly Harn == between two values of that type.
# Python's container == (identity shortcut, 1 == True, NaN) only ever says
# "equal" more often than Harn, never less: every value class here defines
# __eq__ as Harn ==, and int/float compare numerically in both.
_EXACT = frozenset({int, str, bool, type(None), bytes})


def _eq_set(a: HSet, b: HSet) -> bool:
    if len(a) != len(b):
        return False
    return all(b.contains_eq(x) for x in a) and all(a.contains_eq(y) for y in b)


def _eq_pair(a: Pair, b: Pair) -> bool:
    return eq(a.first, b.first) and eq(a.second, b.second)


def _eq_enum(a: EnumValue, b: EnumValue) -> bool:
    if a.variant != b.variant or a.enum != b.enum:
        return False
    fa = a.fields
    fb = b.fields
    if len(fa) != len(fb):
        return False
    return all(eq(x, y) for x, y in zip(fa, fb, strict=True))


def _eq_struct(a: StructValue, b: StructValue) -> bool:
    return a.type.name == b.type.name and _eq_dict(a.fields, b.fields)


def _eq_range(a: HRange, b: HRange) -> bool:
    return a.start == b.start and a.end == b.end and a.inclusive == b.inclusive


def _eq_duration(a: Duration, b: Duration) -> bool:
    return a.ms == b.ms


def _eq_builtin(a: BuiltinRef, b: BuiltinRef) -> bool:
    return a.name == b.name


def _eq_identity(a: Any, b: Any) -> bool:
    return a is b


_EQ_SAME: dict[type, Callable[[Any, Any], bool]] = {
    list: _eq_list,
    dict: _eq_dict,
    HSet: _eq_set,
    Pair: _eq_pair,
    EnumValue: _eq_enum,
    StructValue: _eq_struct,
    HRange: _eq_range,
    Duration: _eq_duration,
    BuiltinRef: _eq_builtin,
    HIter: _eq_identity,
}


def register_eq(cls: type, fn: Callable[[Any, Any], bool]) -> None:
    """Give a host value type an equality (called only with two values of ``cls``).

    The class's Python ``__eq__`` must say "equal" whenever ``fn`` does (list
    and dict equality use Python's ``!=`` as a fast negative check).
    """
    _EQ_SAME[cls] = fn


# --------------------------------------------------------------------------- ordering


def compare(a: Any, b: Any) -> int:
    """Three-way A9 comparison: -1, 0 or 1; incomparable values and NaN give 0."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return -1 if a < b else (1 if a > b else 0)
    if ta is str and tb is str:
        return -1 if a < b else (1 if a > b else 0)
    if ta is Pair and tb is Pair:
        return compare(a.first, b.first) or compare(a.second, b.second)
    if ta is Duration and tb is Duration:
        return -1 if a.ms < b.ms else (1 if a.ms > b.ms else 0)
    return 0


def lt(a: Any, b: Any) -> bool:
    """Harn ``<``."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a < b
    if ta is str and tb is str:
        return a < b
    return compare(a, b) < 0


def gt(a: Any, b: Any) -> bool:
    """Harn ``>``."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a > b
    if ta is str and tb is str:
        return a > b
    return compare(a, b) > 0


def le(a: Any, b: Any) -> bool:
    """Harn ``<=`` (NaN and incomparable values give true)."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return not a > b
    if ta is str and tb is str:
        return a <= b
    return compare(a, b) <= 0


def ge(a: Any, b: Any) -> bool:
    """Harn ``>=`` (NaN and incomparable values give true)."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return not a < b
    if ta is str and tb is str:
        return a >= b
    return compare(a, b) >= 0
