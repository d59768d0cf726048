"""Display strings, type names and truthiness (language.md §6.1, §7).

``display`` is the one string conversion of the language (print, interpolation,
``to_string``, dict keys from values): strings raw at every depth, dicts and
struct fields sorted by code point, floats per §7.3 (shortest round-trip
digits written positionally, never an exponent). Dispatch is a dict keyed by
``type(v)`` after a ``str`` fast path; every lookup is on the exact type, so
``bool`` never falls into the ``int`` case. Compound values recurse; one nested
deeper than the remaining recursion budget is rendered again by an explicit-stack
walk (``_display_deep``), so display itself has no nesting limit.

Host value types (Tier 2 handles, rng, ...) join through
:func:`register_value_type`, which feeds ``type_of``, ``display`` and
``truthy`` at once.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from vm.runtime.values import (
    BuiltinRef,
    Duration,
    EnumValue,
    HGenerator,
    HIter,
    HRange,
    HSet,
    Pair,
    StructType,
    StructValue,
)

# --------------------------------------------------------------------------- type_of

_TYPE_NAMES: dict[type, str] = {
    type(None): "nil",
    bool: "bool",
    int: "int",
    float: "float",
    str: "string",
    list: "list",
    dict: "dict",
    bytes: "bytes",
    HSet: "set",
    Duration: "duration",
    HRange: "range",
    StructValue: "struct",
    StructType: "closure",
    EnumValue: "enum",
    Pair: "pair",
    HIter: "iter",
    HGenerator: "generator",
    BuiltinRef: "builtin",
    types.FunctionType: "closure",
    types.MethodType: "closure",
    types.BuiltinFunctionType: "builtin",
}


def type_of(v: Any) -> str:
    """The §6.1 type name of ``v``."""
    name = _TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    if callable(v):
        return "closure"
    return "unknown"


# --------------------------------------------------------------------------- truthiness

_LEN_TRUTHY = frozenset({type(None), int, float, str, list, dict, bytes, HSet})
_TRUTHY_FNS: dict[type, Callable[[Any], bool]] = {Duration: lambda d: d.ms != 0}


def truthy(v: Any) -> bool:
    """§6.1 truthiness: nil, false, 0, 0.0/-0.0, empty string/list/dict/set/bytes, 0ms."""
    t = type(v)
    if t is bool:
        return v
    if t in _LEN_TRUTHY:
        return bool(v)
    f = _TRUTHY_FNS.get(t)
    return True if f is None else f(v)


# --------------------------------------------------------------------------- floats


def _expand_exponent(r: str) -> str:
    """``'1.5e-07'`` -> ``'0.00000015'``; ``'1e+21'`` -> ``'1000000000000000000000'``."""
    mant, _, exp_s = r.partition("e")
    sign = ""
    if mant.startswith("-"):
        sign = "-"
        mant = mant[1:]
    int_part, _, frac = mant.partition(".")
    digits = int_part + frac
    point = len(int_part) + int(exp_s)
    if point <= 0:
        out = "0." + "0" * (-point) + digits
    elif point >= len(digits):
        out = digits + "0" * (point - len(digits))
    else:
        out = digits[:point] + "." + digits[point:]
    return sign + out


def format_float(x: float) -> str:
    """§7.3: NaN, inf, -inf; integral below 1e15 with ``.0``; else positional repr."""
    r = repr(x)
    if "e" in r:
        return _expand_exponent(r)  # never ends in ".0": repr's mantissa has no trailing 0
    if r[-1] == "0":  # "N.0": integral, positional (|x| < 1e16)
        if -1e15 < x < 1e15:
            return r
        return r[:-2]
    if r[-1] in "nf":  # nan, inf, -inf
        return "NaN" if x != x else r
    return r


# --------------------------------------------------------------------------- ints


def format_int(n: int) -> str:
    """Decimal text of any int, beyond CPython's 4300-digit ``str`` limit too."""
    try:
        return str(n)
    except ValueError:
        return _big_int_str(n)


def _big_int_str(n: int) -> str:
    if n < 0:
        return "-" + _big_int_str(-n)
    if n.bit_length() <= 12000:  # at most ~3613 digits: under the limit
        return str(n)
    # Split by a power of ten of about half the digits, recursively.
    half = (n.bit_length() * 30103 // 100000) // 2
    hi, lo = divmod(n, 10**half)
    return _big_int_str(hi) + _big_int_str(lo).rjust(half, "0")


# --------------------------------------------------------------------------- display


def display(v: Any) -> str:
    """The display string of any Harn value (§7.2)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        try:
            return str(v)
        except ValueError:
            return _big_int_str(v)
    f = _DISPLAY.get(t)
    if f is not None:
        try:
            return f(v)
        except RecursionError:  # nested deeper than the frames left: no recursion
            return _display_deep(v)
    if callable(v):
        return _display_fn(v)
    return "<" + type_of(v) + ">"


class _Text:
    """Literal output in :func:`_display_deep`'s work stack (a str there is a value)."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s


_COMMA = _Text(", ")


def _joined(open_: str, items: Any, close: str) -> list[Any]:
    parts: list[Any] = [_Text(open_)]
    for i, x in enumerate(items):
        if i:
            parts.append(_COMMA)
        parts.append(x)
    parts.append(_Text(close))
    return parts


def _display_deep(v: Any) -> str:
    """``display`` with an explicit stack, for values nested deeper than the
    recursion limit allows (the recursive version is faster for the rest)."""
    out: list[str] = []
    stack: list[Any] = [v]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is _Text:
            out.append(x.s)
            continue
        if t is list:
            parts = _joined("[", x, "]")
        elif t is dict:
            parts = [_Text("{")]
            for i, k in enumerate(sorted(x)):
                parts.append(_Text((", " if i else "") + k + ": "))
                parts.append(x[k])
            parts.append(_Text("}"))
        elif t is HSet:
            parts = _joined("set(", list(x), ")")
        elif t is StructValue:
            fields = x.fields
            if not fields:
                out.append(x.type.name + " {}")
                continue
            parts = [_Text(x.type.name + " {")]
            for i, k in enumerate(sorted(fields)):
                parts.append(_Text((", " if i else "") + k + ": "))
                parts.append(fields[k])
            parts.append(_Text("}"))
        elif t is EnumValue:
            if not x.fields:
                out.append(x.enum + "." + x.variant)
                continue
            parts = _joined(x.enum + "." + x.variant + "(", x.fields, ")")
        elif t is Pair:
            parts = _joined("(", (x.first, x.second), ")")
        else:
            out.append(display(x))
            continue
        stack.extend(reversed(parts))
    return "".join(out)


def _display_none(v: None) -> str:
    return "nil"


def _display_bool(v: bool) -> str:
    return "true" if v else "false"


def _display_list(v: list[Any]) -> str:
    return "[" + ", ".join([display(x) for x in v]) + "]"


def _display_dict(v: dict[str, Any]) -> str:
    return "{" + ", ".join([k + ": " + display(v[k]) for k in sorted(v)]) + "}"


def _display_set(v: HSet) -> str:
    return "set(" + ", ".join([display(x) for x in v]) + ")"


def _display_struct(v: StructValue) -> str:
    fields = v.fields
    if not fields:
        return v.type.name + " {}"
    inner = ", ".join([k + ": " + display(fields[k]) for k in sorted(fields)])
    return v.type.name + " {" + inner + "}"


def _display_enum(v: EnumValue) -> str:
    if not v.fields:
        return v.enum + "." + v.variant
    return v.enum + "." + v.variant + "(" + ", ".join([display(x) for x in v.fields]) + ")"


def _display_pair(v: Pair) -> str:
    return "(" + display(v.first) + ", " + display(v.second) + ")"


def _display_range(v: HRange) -> str:
    text = format_int(v.start) + " to " + format_int(v.end)
    return text if v.inclusive else text + " exclusive"


def _display_fn(v: Any) -> str:
    params = getattr(v, "harn_params", ())
    return "<fn(" + ", ".join(params) + ")>"


def _display_builtin(v: BuiltinRef) -> str:
    return "<builtin " + v.name + ">"


def _display_py_builtin(v: Any) -> str:
    return "<builtin " + v.__name__ + ">"


_DURATION_UNITS = ((3_600_000, "h"), (60_000, "m"), (1000, "s"))


def format_duration(ms: int) -> str:
    """Largest exactly-dividing unit among h, m, s, else ms; days print as hours."""
    if ms == 0:
        return "0ms"
    for size, unit in _DURATION_UNITS:
        if ms % size == 0:
            return format_int(ms // size) + unit
    return format_int(ms) + "ms"


def _display_duration(v: Duration) -> str:
    return format_duration(v.ms)


def _display_iter(v: HIter) -> str:
    return "<iter (exhausted)>" if v.exhausted else "<iter>"


def _display_generator(v: HGenerator) -> str:
    return "<generator (done)>" if v.done else "<generator>"


def _display_bytes(v: bytes) -> str:
    n = len(v)
    if n <= 32:
        return 'b"' + v.hex() + '"'
    return 'b"' + v[:32].hex() + "...+" + str(n - 32) + '"'


_DISPLAY: dict[type, Callable[[Any], str]] = {
    type(None): _display_none,
    bool: _display_bool,
    int: format_int,
    float: format_float,
    list: _display_list,
    dict: _display_dict,
    HSet: _display_set,
    StructValue: _display_struct,
    StructType: _display_fn,
    EnumValue: _display_enum,
    Pair: _display_pair,
    HRange: _display_range,
    Duration: _display_duration,
    HIter: _display_iter,
    HGenerator: _display_generator,
    BuiltinRef: _display_builtin,
    bytes: _display_bytes,
    types.FunctionType: _display_fn,
    types.MethodType: _display_fn,
    types.BuiltinFunctionType: _display_py_builtin,
}


# --------------------------------------------------------------------------- extension


def register_value_type(
    cls: type,
    name: str,
    display_fn: Callable[[Any], str] | None = None,
    truthy_fn: Callable[[Any], bool] | None = None,
) -> None:
    """Make a host value type (Tier 2 handle, rng, ...) known to the runtime.

    Without ``display_fn`` it prints as ``<name>``; without ``truthy_fn`` it is
    always truthy. Equality defaults to never-equal (see compare.register_eq).
    """
    _TYPE_NAMES[cls] = name
    _DISPLAY[cls] = display_fn if display_fn is not None else (lambda _v: "<" + name + ">")
    if truthy_fn is not None:
        _TRUTHY_FNS[cls] = truthy_fn
