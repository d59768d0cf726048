"""Operators where Harn differs from Python (language.md §8, §9.4, §13, §17).

Generated code calls these helpers only where the operand types are not
known to make Python's own operator correct. Every helper tests exact types
(``type(x) is int``; ``bool`` is not an int in Harn) with the common case
first, and raises the spec's error (errors.py) otherwise; error texts use the
``type_of`` names of the operands.

Numeric rules: int op int stays an (unbounded) int; any float operand gives a
float computed with IEEE semantics (``1 / 0.0`` is ``inf``, ``0.0 ** -1`` is
``inf``, a negative base to a fractional power is ``NaN``), where Python
would raise. Int ``/`` truncates toward zero and ``%`` takes the dividend's
sign (``math.fmod``); an int divided by int zero, or anything modulo zero, is
``Division by zero``.

Collections are values: ``set_property``/``set_index`` return an updated copy
and never touch their input (the compiler may update in place itself when it
knows the value is not shared).

``eq``/``ne``/``lt``/``gt``/``le``/``ge``/``compare`` live in compare.py and
are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from vm.runtime.compare import compare, eq, ge, gt, le, lt, ne
from vm.runtime.display import display, type_of
from vm.runtime.errors import DIVISION_BY_ZERO, plain_error, runtime_error, type_error
from vm.runtime.values import (
    Duration,
    EnumValue,
    HGenerator,
    HIter,
    HRange,
    HSet,
    Pair,
    StructValue,
)

__all__ = [
    "add", "sub", "mul", "div", "mod", "pow", "neg",
    "eq", "ne", "lt", "gt", "le", "ge", "compare",
    "contains", "not_contains",
    "get_property", "get_property_opt", "get_index", "get_index_opt", "get_slice",
    "set_property", "set_index", "spread_list", "spread_dict",
    "iterate", "make_iter", "make_range", "register_iterable",
]  # fmt: skip

_INF = float("inf")
_NAN = float("nan")
_POW_INT_MAX = 4294967295


def _f(x: int | float) -> float:
    """``x`` as a float; ints beyond the float range become +-inf."""
    if type(x) is float:
        return x
    try:
        return float(x)
    except OverflowError:
        return _INF if x > 0 else -_INF


# --------------------------------------------------------------------------- arithmetic


def add(a: Any, b: Any) -> Any:
    """Harn ``+``: numbers, string/list concatenation, dict merge, durations."""
    ta = type(a)
    tb = type(b)
    if ta is int:
        if tb is int:
            return a + b
        if tb is float:
            try:
                return a + b
            except OverflowError:
                return _f(a) + b
    elif ta is float:
        if tb is float:
            return a + b
        if tb is int:
            try:
                return a + b
            except OverflowError:
                return a + _f(b)
    elif ta is str:
        if tb is str:
            return a + b
    elif ta is list:
        if tb is list:
            return a + b
    elif ta is dict:
        if tb is dict:
            merged = a.copy()
            merged.update(b)
            return merged
    elif ta is Duration and tb is Duration:
        return Duration(a.ms + b.ms)
    raise type_error(f"Cannot add {type_of(a)} and {type_of(b)}")


def sub(a: Any, b: Any) -> Any:
    """Harn ``-``: numbers and durations."""
    ta = type(a)
    tb = type(b)
    if ta is int:
        if tb is int:
            return a - b
        if tb is float:
            try:
                return a - b
            except OverflowError:
                return _f(a) - b
    elif ta is float:
        if tb is float:
            return a - b
        if tb is int:
            try:
                return a - b
            except OverflowError:
                return a - _f(b)
    elif ta is Duration and tb is Duration:
        return Duration(a.ms - b.ms)
    raise type_error(f"Cannot subtract {type_of(b)} from {type_of(a)}")


def mul(a: Any, b: Any) -> Any:
    """Harn ``*``: numbers and string repetition in either order (count <= 0: ``""``)."""
    ta = type(a)
    tb = type(b)
    if ta is int:
        if tb is int:
            return a * b
        if tb is float:
            try:
                return a * b
            except OverflowError:
                return _f(a) * b
        if tb is str:
            return b * a
    elif ta is float:
        if tb is float:
            return a * b
        if tb is int:
            try:
                return a * b
            except OverflowError:
                return a * _f(b)
    elif ta is str and tb is int:
        return a * b
    raise type_error(f"Cannot multiply {type_of(a)} and {type_of(b)}")


def _fdiv(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0.0:
            return _NAN
        return _INF if (x > 0) == (math.copysign(1.0, y) > 0) else -_INF


def div(a: Any, b: Any) -> Any:
    """Harn ``/``: int division truncates toward zero; float division is IEEE."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise plain_error(DIVISION_BY_ZERO)
        q = a // b
        if q < 0 and q * b != a:
            q += 1
        return q
    if (ta is float or ta is int) and (tb is float or tb is int):
        return _fdiv(_f(a), _f(b))
    raise runtime_error(f"Cannot divide {type_of(a)} by {type_of(b)}")


def mod(a: Any, b: Any) -> Any:
    """Harn ``%``: the result takes the dividend's sign; any zero divisor is an error."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise plain_error(DIVISION_BY_ZERO)
        r = a % b
        if r and (r < 0) != (a < 0):
            r -= b
        return r
    if (ta is float or ta is int) and (tb is float or tb is int):
        if b == 0:
            raise plain_error(DIVISION_BY_ZERO)
        try:
            return math.fmod(_f(a), _f(b))
        except ValueError:  # fmod(inf, y)
            return _NAN
    raise runtime_error(f"Cannot modulo {type_of(a)} by {type_of(b)}")


def _odd_integer(y: float) -> bool:
    return y.is_integer() and abs(y) < 2**53 and int(y) % 2 == 1


def _fpow(x: float, y: float) -> float:
    """IEEE ``pow`` where Python's raises."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return -_INF if x < 0 and _odd_integer(y) else _INF
    except ValueError:
        if x == 0.0:  # zero to a negative power
            return -_INF if math.copysign(1.0, x) < 0 and _odd_integer(y) else _INF
        return _NAN  # negative base, fractional exponent


def pow(a: Any, b: Any) -> Any:
    """Harn ``**``: int ** int with 0 <= exp <= 2**32-1 is an int; else a float."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if 0 <= b <= _POW_INT_MAX:
            return a**b
        return _fpow(_f(a), _f(b))
    if (ta is float or ta is int) and (tb is float or tb is int):
        return _fpow(_f(a), _f(b))
    raise type_error(f"Cannot exponentiate {type_of(a)} by {type_of(b)}")


def neg(a: Any) -> Any:
    """Harn unary ``-``."""
    t = type(a)
    if t is int or t is float:
        return -a
    raise runtime_error(f"Cannot negate value of type {type_of(a)}")


# --------------------------------------------------------------------------- membership


def contains(container: Any, x: Any) -> bool:
    """Harn ``x in container`` (§8.5); never an error."""
    tc = type(container)
    if tc is list:
        # Harn == implies Python == (compare._EXACT), so Python's C-speed
        # ``in`` is a sound "no"; a "yes" is confirmed with Harn == except for
        # strings and nil, which Python compares exactly.
        if x not in container:
            return False
        if type(x) is str or x is None:
            return True
        for e in container:
            if e == x and eq(x, e):
                return True
        return False
    if tc is dict or tc is str:
        return (x if type(x) is str else display(x)) in container
    if tc is HSet:
        return container.contains_eq(x)
    if tc is HRange:
        return container.contains(x)
    return False


def not_contains(container: Any, x: Any) -> bool:
    """Harn ``x not in container``."""
    return not contains(container, x)


# --------------------------------------------------------------------------- properties


def _prop_list(v: list[Any], name: str) -> Any:
    if name == "count":
        return len(v)
    if name == "empty":
        return not v
    if name == "first":
        return v[0] if v else None
    if name == "last":
        return v[-1] if v else None
    return None


def _prop_str(v: str, name: str) -> Any:
    if name == "count":
        return len(v)
    if name == "empty":
        return not v
    return None


def _prop_enum(v: EnumValue, name: str) -> Any:
    if name == "variant":
        return v.variant
    if name == "fields":
        return list(v.fields)
    return None


def _prop_pair(v: Pair, name: str) -> Any:
    if name == "first":
        return v.first
    if name == "second":
        return v.second
    raise type_error(f"cannot access property `{name}` on pair (expected `first` or `second`)")


_PROPS: dict[type, Callable[[Any, str], Any]] = {
    list: _prop_list,
    str: _prop_str,
    EnumValue: _prop_enum,
    Pair: _prop_pair,
}


def get_property(v: Any, name: str) -> Any:
    """Harn ``v.name`` (§8.9)."""
    t = type(v)
    if t is dict:
        return v.get(name)
    if t is StructValue:
        return v.fields.get(name)
    f = _PROPS.get(t)
    if f is not None:
        return f(v, name)
    raise type_error(f"cannot access property `{name}` on {type_of(v)}")


def get_property_opt(v: Any, name: str) -> Any:
    """Harn ``v?.name``: nil for a nil receiver and wherever ``.`` would fail."""
    t = type(v)
    if t is dict:
        return v.get(name)
    if t is StructValue:
        return v.fields.get(name)
    if t is Pair:
        if name == "first":
            return v.first
        if name == "second":
            return v.second
        return None
    f = _PROPS.get(t)
    if f is not None:
        return f(v, name)
    return None


# --------------------------------------------------------------------------- subscripts


def get_index(v: Any, i: Any) -> Any:
    """Harn ``v[i]`` (§8.10): out-of-range list/string indexes give nil."""
    t = type(v)
    if t is list:
        if type(i) is int:
            try:
                return v[i]
            except IndexError:
                return None
    elif t is dict:
        return v.get(i if type(i) is str else display(i))
    elif t is str:
        if type(i) is int:
            try:
                return v[i]
            except IndexError:
                return None
    elif t is HRange:
        if type(i) is int:
            return v.at(i)
    raise type_error(f"cannot index into {type_of(v)} with {type_of(i)}")


def get_index_opt(v: Any, i: Any) -> Any:
    """Harn ``v?[i]``: nil for a nil receiver, otherwise ``v[i]``."""
    if v is None:
        return None
    return get_index(v, i)


def get_slice(v: Any, lo: Any, hi: Any) -> Any:
    """Harn ``v[lo:hi]`` on lists and strings; ``None`` bounds are omitted ones.

    Python's slice clamping is exactly §8.10's: a negative bound gets the
    length added then is clamped at 0, bounds are clamped to the length, and
    start >= end gives an empty result.
    """
    t = type(v)
    if t is not list and t is not str:
        raise type_error(f"cannot slice {type_of(v)}")
    if lo is not None and type(lo) is not int:
        raise type_error(f"slice start must be an integer, got {type_of(lo)}")
    if hi is not None and type(hi) is not int:
        raise type_error(f"slice end must be an integer, got {type_of(hi)}")
    return v[lo:hi]


# --------------------------------------------------------------------------- assignment


def set_property(v: Any, name: str, value: Any) -> Any:
    """``v.name = value``: an updated copy of a dict or struct (§8.11)."""
    t = type(v)
    if t is dict:
        d = v.copy()
        d[name] = value
        return d
    if t is StructValue:
        fields = v.fields.copy()
        fields[name] = value
        return StructValue(v.type, fields)
    raise type_error(f"cannot set property `{name}` on {type_of(v)}")


def set_index(v: Any, i: Any, value: Any) -> Any:
    """``v[i] = value``: an updated copy of a list or dict (§8.11, §17.13).

    A negative list index counts from the end and is clamped at 0; the error
    for an index past the end names the index after that adjustment.
    """
    t = type(v)
    if t is list:
        if type(i) is int:
            n = len(v)
            if i < 0:
                i += n
                if i < 0:
                    i = 0
            if i >= n:
                raise runtime_error(f"Index {i} out of bounds for list of length {n}")
            out = v.copy()
            out[i] = value
            return out
    elif t is dict:
        d = v.copy()
        d[i if type(i) is str else display(i)] = value
        return d
    raise type_error(f"cannot index into {type_of(v)} with {type_of(i)}")


# --------------------------------------------------------------------------- spread


def spread_list(v: Any) -> list[Any]:
    """``...v`` in a list literal or call: ``v`` must be a list."""
    if type(v) is list:
        return v
    raise type_error(f"cannot destructure {type_of(v)} with [...] pattern \u2014 expected list")


def spread_dict(v: Any) -> dict[str, Any]:
    """``...v`` in a dict literal: ``v`` must be a dict."""
    if type(v) is dict:
        return v
    raise type_error(f"cannot destructure {type_of(v)} with {{...}} pattern \u2014 expected dict")


# --------------------------------------------------------------------------- iteration


def _dict_entries(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for k in sorted(d):
        yield {"key": k, "value": d[k]}


def _dict_pairs(d: dict[str, Any]) -> Iterator[Pair]:
    for k in sorted(d):
        yield Pair(k, d[k])


def _set_values(s: HSet) -> Iterable[Any]:
    return s._d.values()


def _identity(v: Any) -> Any:
    return v


def _drain(v: HIter | HGenerator) -> Iterator[Any]:
    return v.drain()


_FOR_SOURCES: dict[type, Callable[[Any], Iterable[Any]]] = {
    dict: _dict_entries,
    HSet: _set_values,
    str: _identity,
    HIter: _drain,
    HGenerator: _drain,
}

_ITER_SOURCES: dict[type, Callable[[Any], Iterable[Any]]] = {
    list: _identity,
    dict: _dict_pairs,
    HSet: _set_values,
    str: _identity,
    HGenerator: _drain,
}


def iterate(v: Any) -> Iterable[Any]:
    """The items a ``for`` loop over ``v`` visits (§9.4, §17.5); non-iterables give none."""
    t = type(v)
    if t is list:
        return v
    if t is HRange:
        return range(v.start, v.stop)
    f = _FOR_SOURCES.get(t)
    if f is not None:
        return f(v)
    return ()


def make_iter(v: Any) -> HIter:
    """``iter(v)`` (§13): a lazy iter over a snapshot of ``v``; an iter is returned as is."""
    t = type(v)
    if t is HIter:
        return v
    if t is HRange:
        return HIter(range(v.start, v.stop))
    f = _ITER_SOURCES.get(t)
    if f is not None:
        return HIter(f(v))
    raise type_error(f"iter: value of type {type_of(v)} is not iterable")


def register_iterable(
    cls: type,
    for_items: Callable[[Any], Iterable[Any]],
    iter_items: Callable[[Any], Iterable[Any]] | None = None,
) -> None:
    """Make a host value type (stream, channel, ...) iterable by ``for`` and ``iter()``."""
    _FOR_SOURCES[cls] = for_items
    _ITER_SOURCES[cls] = for_items if iter_items is None else iter_items


def make_range(start: Any, end: Any, inclusive: bool) -> HRange:
    """``a to b [exclusive]``: a non-int operand counts as 0 (reference behaviour, §8.7)."""
    return HRange(
        start if type(start) is int else 0,
        end if type(end) is int else 0,
        inclusive,
    )
