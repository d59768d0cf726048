"""Conversion, introspection and Result helpers (stdlib.md §3, §4).

``to_int``/``to_float`` parse strictly (ASCII digits, no surrounding
whitespace, no ``_``), unlike Python's ``int()``/``float()``, which accept
Unicode digits, whitespace and underscores. ``hash_value`` is FNV-1a over a
canonical byte encoding of the structural key (sets hashed order-independently),
so equal structures hash alike across runs too.
"""

from __future__ import annotations

import re
import struct
from typing import Any

from vm.runtime.display import type_of as _type_of
from vm.runtime.errors import runtime_error, type_error
from vm.runtime.ops import make_iter
from vm.runtime.values import (
    BuiltinRef,
    EnumValue,
    HIter,
    HRange,
    HSet,
    Pair,
    err,
    ok,
    structural_key,
)
from vm.stdlib.common import MISSING, display
from vm.stdlib.registry import builtin

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)

_INT_RE = re.compile(r"[+-]?[0-9]+\Z")


@builtin("type_of", "(v: any) -> string", "The type name of v (int, string, list, ...).")
def type_of(v: Any = None, *_: Any) -> str:
    return _type_of(v)


@builtin("to_string", "(v: any) -> string", "The display form of v.")
def to_string(v: Any = None, *_: Any) -> str:
    return v if type(v) is str else display(v)


@builtin("to_int", "(v: any) -> int?",
         "Int from an int, float (truncated) or decimal string; nil otherwise.")
def to_int(v: Any = None, *_: Any) -> int | None:
    t = type(v)
    if t is int:
        return v
    if t is float:
        if v != v:
            return 0
        if v >= 9.223372036854775807e18:
            return INT_MAX
        if v <= -9.223372036854775808e18:
            return INT_MIN
        return int(v)
    if t is str:
        if _INT_RE.match(v):
            return int(v)
        return None
    return None


_FLOAT_RE = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)\Z",
    re.IGNORECASE,
)


@builtin("to_float", "(v: any) -> float?",
         "Float from a float, int or decimal float string; nil otherwise.")
def to_float(v: Any = None, *_: Any) -> float | None:
    t = type(v)
    if t is float:
        return v
    if t is int:
        try:
            return float(v)
        except OverflowError:
            return float("inf") if v > 0 else float("-inf")
    if t is str and _FLOAT_RE.match(v):
        return float(v)
    return None


_LEN_TYPES = frozenset({str, list, dict, bytes, HSet})


@builtin("len", "(v: any) -> int",
         "Length of a string (characters), list, set, dict, range or bytes; 0 otherwise.")
def len_(v: Any = None, *_: Any) -> int:
    t = type(v)
    if t in _LEN_TYPES:
        return len(v)
    if t is HRange:
        return v.stop - v.start
    return 0


@builtin("to_list", "(v: any) -> list",
         "A set's elements, a list itself, anything else wrapped as [v].")
def to_list(v: Any = None, *_: Any) -> list[Any]:
    t = type(v)
    if t is list:
        return v
    if t is HSet:
        return v.to_list()
    return [v]


@builtin("pair", "(a: any, b: any) -> pair", "Build the pair (a, b).")
def pair(*args: Any) -> Pair:
    if len(args) != 2:
        raise type_error(f"pair: expected 2 arguments, got {len(args)}")
    return Pair(args[0], args[1])


@builtin("iter", "(v: any) -> iter", "A lazy iterator over a list, set, dict, string, range, ...")
def iter_(*args: Any) -> HIter:
    if not args:
        raise type_error("iter: expected 1 argument")
    return make_iter(args[0])


# --------------------------------------------------------------------------- Result


@builtin("Ok", "(v?: any) -> Result", "Result.Ok(v).")
def ok_(v: Any = None, *_: Any) -> EnumValue:
    return ok(v)


@builtin("Err", "(e?: any) -> Result", "Result.Err(e).")
def err_(e: Any = None, *_: Any) -> EnumValue:
    return err(e)


def _is_variant(v: Any, variant: str) -> bool:
    return type(v) is EnumValue and v.enum == "Result" and v.variant == variant


@builtin("is_ok", "(r: any) -> bool", "True only for Result.Ok.")
def is_ok(r: Any = None, *_: Any) -> bool:
    return _is_variant(r, "Ok")


@builtin("is_err", "(r: any) -> bool", "True only for Result.Err.")
def is_err(r: Any = None, *_: Any) -> bool:
    return _is_variant(r, "Err")


def _payload(r: EnumValue) -> Any:
    return r.fields[0] if r.fields else None


@builtin("unwrap", "(r: any) -> any",
         "Ok payload; fails on Err; any non-Result value is returned unchanged.")
def unwrap(r: Any = None, *_: Any) -> Any:
    if _is_variant(r, "Ok"):
        return _payload(r)
    if _is_variant(r, "Err"):
        raise runtime_error("unwrap called on Err: " + display(_payload(r)))
    return r


@builtin("unwrap_or", "(r: any, default: any) -> any",
         "Ok payload; default for Err; any non-Result value unchanged.")
def unwrap_or(r: Any = None, default: Any = None, *_: Any) -> Any:
    if _is_variant(r, "Ok"):
        return _payload(r)
    if _is_variant(r, "Err"):
        return default
    return r


@builtin("unwrap_err", "(r: any) -> any", "Err payload; fails on anything else.")
def unwrap_err(r: Any = None, *_: Any) -> Any:
    if _is_variant(r, "Err"):
        return _payload(r)
    raise runtime_error("unwrap_err called on non-Err")


# --------------------------------------------------------------------------- Tier 2 identity

_IDENTITY_TYPES = frozenset({list, dict, HSet, Pair})


@builtin("is_same", "(a: any, b: any) -> bool",
         "Identity: the same allocation for collections and closures; == otherwise.", "T2")
def is_same(a: Any = None, b: Any = None, *_: Any) -> bool:
    from vm.runtime.compare import eq

    t = type(a)
    if t in _IDENTITY_TYPES or _type_of(a) == "closure":
        return a is b
    return eq(a, b)


_ADDR_TYPES = {list: "list", dict: "dict", HSet: "set", str: "string", bytes: "bytes"}


@builtin("addr_of", "(v: any) -> string", "An identity key such as \"list@<id>\".", "T2")
def addr_of(v: Any = None, *_: Any) -> str:
    t = type(v)
    name = _ADDR_TYPES.get(t)
    if name is not None:
        return f"{name}@{id(v):x}"
    if t is BuiltinRef:
        return "builtin@" + v.name
    tn = _type_of(v)
    if tn == "closure":
        return f"closure@{id(v):x}"
    return tn + "@" + display(v)


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = 0xFFFFFFFFFFFFFFFF


def _encode_key(k: Any, out: bytearray) -> None:
    t = type(k)
    if k is None:
        out += b"N"
    elif t is int:
        raw = str(k).encode()
        out += b"i" + len(raw).to_bytes(4, "little") + raw
    elif t is str:
        raw = k.encode("utf-8", "surrogatepass")
        out += b"s" + len(raw).to_bytes(4, "little") + raw
    elif t is bool:
        out += b"T" if k else b"F"
    elif t is float:
        out += b"f" + struct.pack("<d", k)
    elif t is bytes:
        out += b"y" + len(k).to_bytes(4, "little") + k
    elif t is tuple:
        out += b"(" + len(k).to_bytes(4, "little")
        for x in k:
            _encode_key(x, out)
        out += b")"
    elif t is frozenset:
        parts = []
        for x in k:
            buf = bytearray()
            _encode_key(x, buf)
            parts.append(bytes(buf))
        out += b"{" + len(parts).to_bytes(4, "little")
        for p in sorted(parts):
            out += p
        out += b"}"
    else:
        out += b"o" + id(k).to_bytes(8, "little")


@builtin("hash_value", "(v: any) -> int",
         "64-bit FNV-1a hash of the structural key of v (signed).", "T2")
def hash_value(v: Any = None, *_: Any) -> int:
    buf = bytearray()
    _encode_key(structural_key(v), buf)
    h = _FNV_OFFSET
    for byte in buf:
        h = ((h ^ byte) * _FNV_PRIME) & _MASK
    return h - (1 << 64) if h >= (1 << 63) else h


__all__ = ["INT_MAX", "INT_MIN", "MISSING", "len_", "to_float", "to_int", "to_list", "to_string"]
