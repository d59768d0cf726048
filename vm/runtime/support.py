"""Helpers that only compiled code calls (the VM side of the runtime).

The operator helpers of :mod:`vm.runtime.ops` implement the language's
semantics; this module holds what the compiler needs on top of them:

- copy-on-write assignment (``x[i] = v``, ``x.f = v``, nested paths). The
  generated code passes ``shared`` = "``sys.getrefcount`` says another
  reference exists", measured before anything else touches the value, so an
  unshared collection is updated in place and a builder loop stays O(1) per
  step (language.md §6.4). Thresholds are calibrated at import;
- method lookup returning a bound callable (so a method call costs one
  Python frame, which keeps the recursion limit an exact frame count);
- ``?``, destructuring, match helpers, pipe calls;
- undefined-name errors with the "did you mean" rule of §5.1.
"""

from __future__ import annotations

import sys
from sys import getrecursionlimit, setrecursionlimit
from types import MethodType
from typing import Any

from vm.runtime.display import display, type_of
from vm.runtime.errors import HarnError, ThrowError, plain_error, runtime_error, type_error
from vm.runtime.ops import get_index, get_property
from vm.runtime.values import EnumValue, StructType, StructValue

getrefcount = sys.getrefcount


class _Unset:
    """Default of a parameter whose default expression runs per call."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


# --------------------------------------------------------------------------- calibration


def _calibrate_local() -> int:
    x = [0]
    return getrefcount(x)


def _calibrate_cell() -> int:
    x = [0]

    def inner() -> Any:
        return x

    return getrefcount(x) + 0 * len(inner())


LOCAL_RC = _calibrate_local()
CELL_RC = _calibrate_cell()
assert LOCAL_RC == CELL_RC, "the VM assumes locals and cells count alike"


def _calibrate_child() -> int:
    parent = [[0]]
    child = parent[0]
    return getrefcount(child)


CHILD_RC = _calibrate_child()


# --------------------------------------------------------------------------- copy-on-write


def _copy(v: Any) -> Any:
    t = type(v)
    if t is list or t is dict:
        return v.copy()
    if t is StructValue:
        return StructValue(v.type, v.fields.copy())
    return v


def setidx(shared: bool, obj: Any, key: Any, value: Any) -> Any:
    """``obj[key] = value``; returns the updated collection (a copy when shared)."""
    t = type(obj)
    if t is dict:
        if shared:
            obj = obj.copy()
        obj[key if type(key) is str else display(key)] = value
        return obj
    if t is list and type(key) is int:
        n = len(obj)
        i = key
        if i < 0:
            i += n
            if i < 0:
                i = 0
        if i >= n:
            raise runtime_error(f"Index {i} out of bounds for list of length {n}")
        if shared:
            obj = obj.copy()
        obj[i] = value
        return obj
    raise type_error(f"cannot index into {type_of(obj)} with {type_of(key)}")


def setprop(shared: bool, obj: Any, name: str, value: Any) -> Any:
    """``obj.name = value``; returns the updated dict or struct."""
    t = type(obj)
    if t is dict:
        if shared:
            obj = obj.copy()
        obj[name] = value
        return obj
    if t is StructValue:
        if shared:
            obj = StructValue(obj.type, obj.fields.copy())
        obj.fields[name] = value
        return obj
    raise type_error(f"cannot set property `{name}` on {type_of(obj)}")


def setpath(shared: bool, root: Any, steps: tuple, value: Any) -> Any:
    """``root.a[i].b = value`` (decision §17.3): rebuilds the path with value
    semantics. ``steps`` holds ``(is_index, key)`` pairs; intermediate values
    are copied when anything else references them."""
    if shared:
        root = _copy(root)
    cur = root
    last = len(steps) - 1
    for n, (is_index, key) in enumerate(steps):
        if n == last:
            if is_index:
                setidx(False, cur, key, value)
            else:
                setprop(False, cur, key, value)
            return root
        child = get_index(cur, key) if is_index else get_property(cur, key)
        t = type(child)
        if (t is list or t is dict or t is StructValue) and getrefcount(child) > CHILD_RC:
            child = _copy(child)
            if is_index:
                setidx(False, cur, key, child)
            else:
                setprop(False, cur, key, child)
        cur = child
    return root


# --------------------------------------------------------------------------- calls


def _nil_fn(*_args: Any) -> None:
    return None


METHODS: dict[type, dict[str, Any]] = {}


def install_methods(table: dict[type, dict[str, Any]]) -> None:
    """Use the stdlib's method table (receiver type -> name -> fn(receiver, *args))."""
    global METHODS
    METHODS = table
    _SITES.clear()


def method(obj: Any, name: str) -> Any:
    """The callable for ``obj.name(...)``; unknown methods give a nil-returning one."""
    t = type(obj)
    if t is StructValue:
        fn = obj.type.methods.get(name)
        return _nil_fn if fn is None else MethodType(fn, obj)
    table = METHODS.get(t)
    if table is not None:
        fn = table.get(name)
        if fn is not None:
            return MethodType(fn, obj)
    if t is dict:
        v = obj.get(name)
        if v is not None and callable(v):
            return v
    return _nil_fn


_SITES: dict[str, dict[type, Any]] = {}


def method_site(name: str) -> dict[type, Any]:
    """Receiver type -> method function for ``name`` (one shared table per name).

    Compiled code calls ``(site.get(type(x)) or find_method(x, name))(x, *args)``:
    two C-level lookups when the receiver's type has the method.
    """
    site = _SITES.get(name)
    if site is None:
        site = _SITES[name] = {cls: table[name] for cls, table in METHODS.items()
                               if name in table}
    return site


def _drop_receiver(fn: Any) -> Any:
    def call(_recv: Any, *args: Any) -> Any:
        return fn(*args)
    return call


def find_method(obj: Any, name: str) -> Any:
    """The method for ``obj.name(...)`` taking the receiver first (site fallback)."""
    t = type(obj)
    if t is StructValue:
        fn = obj.type.methods.get(name)
        return _nil_fn if fn is None else fn
    table = METHODS.get(t)
    if table is not None:
        fn = table.get(name)
        if fn is not None:
            return fn
    if t is dict:
        v = obj.get(name)
        if v is not None and callable(v):
            return _drop_receiver(v)
    return _nil_fn


def method_opt(obj: Any, name: str) -> Any:
    """``obj?.name(...)``: nil for a nil receiver (the arguments still run)."""
    if obj is None:
        return _nil_fn
    return method(obj, name)


DEEP_RESERVE = 64  # Python frames lent to a builtin called from a recursive function
DEEP_CAP = [0]  # no lending past this recursion limit (set per run by vm.api)


def deep_call(fn: Any, *args: Any) -> Any:
    """Call a builtin/method with ``DEEP_RESERVE`` more frames of recursion limit.

    The run's recursion limit counts Python frames, and plain Harn-to-Harn calls
    are one Python frame each, so it enforces the 512-frame limit exactly at no
    cost per call. Builtins are Python frames too (display of a nested value,
    iterator chains, ``list_map`` between a function and the closure it calls
    back); compiled code in functions that may recur (the ones whose frames pile
    up) calls them through here, so at depth 500 a builtin still has room, and a
    recursion through callbacks is not charged for the helper frames. Lending
    per call keeps the exact count for plain recursion; the price is a lenient
    count for recursion through callbacks (the lent frames exceed the helper's
    own), bounded by ``DEEP_CAP`` so the C stack is never at risk.
    """
    limit = getrecursionlimit()
    if limit >= DEEP_CAP[0]:
        return fn(*args)
    setrecursionlimit(limit + DEEP_RESERVE)
    try:
        return fn(*args)
    finally:
        setrecursionlimit(limit)


class TailCall:
    """What a member of a mutually tail-recursive group returns to its trampoline
    instead of making the tail call ``fn(*args)`` (see vm.callgraph.tail_call_groups)."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: Any, *args: Any) -> None:
        self.fn = fn
        self.args = args


_IN_TRAMPOLINE = {"$tc": True}


def trampoline(fn: Any, *args: Any) -> Any:
    """Run the tail call ``fn(*args)`` and the tail calls it returns, in one frame."""
    r = fn(*args, **_IN_TRAMPOLINE)
    while type(r) is TailCall:
        r = r.fn(*r.args, **_IN_TRAMPOLINE)
    return r


def pipe(f: Any, x: Any) -> Any:
    """``x |> f`` when ``f`` is not statically known to be a function."""
    if not callable(f) or type(f) is StructValue:
        raise type_error(f"cannot pipe into {type_of(f)}")
    return f(x)


def drop(*_args: Any) -> tuple:
    """Swallows extra arguments (evaluated for their effects) of a static call."""
    return ()


def register_methods(stype: StructType, methods: dict[str, Any]) -> None:
    stype.methods.update(methods)


def struct_new(stype: StructType, values: dict[str, Any]) -> StructValue:
    """A struct literal: declared structs drop unknown keys, undeclared keep all."""
    if stype.fields:
        fs = stype.field_set
        return StructValue(stype, {k: v for k, v in values.items() if k in fs})
    return StructValue(stype, values)


def make_enum(enum: str, variant: str, fields: tuple = ()) -> EnumValue:
    return EnumValue(enum, variant, fields)


# --------------------------------------------------------------------------- Result and ?


def try_unwrap(v: Any) -> Any:
    """The payload of ``Ok(v)`` for postfix ``?`` (``Err`` was handled before)."""
    if type(v) is EnumValue and v.enum == "Result" and v.variant == "Ok":
        return v.fields[0] if v.fields else None
    raise type_error(f"? operator requires a Result value, got {type_of(v)}")


def is_err(v: Any) -> bool:
    return type(v) is EnumValue and v.variant == "Err" and v.enum == "Result"


def wrap_ok(v: Any) -> Any:
    """The try-expression's success value: ``Ok(v)`` unless already a Result."""
    if type(v) is EnumValue and v.enum == "Result" and v.variant in ("Ok", "Err"):
        return v
    return EnumValue("Result", "Ok", (v,))


def wrap_err(v: Any) -> EnumValue:
    return EnumValue("Result", "Err", (v,))


# --------------------------------------------------------------------------- patterns


def expect_dict(v: Any) -> dict:
    if type(v) is dict:
        return v
    raise type_error(f"cannot destructure {type_of(v)} with {{...}} pattern \u2014 expected dict")


def expect_list(v: Any) -> list:
    if type(v) is list:
        return v
    raise type_error(f"cannot destructure {type_of(v)} with [...] pattern \u2014 expected list")


def nth(v: list, i: int) -> Any:
    return v[i] if i < len(v) else None


def dict_rest(d: dict, keys: tuple) -> dict:
    return {k: x for k, x in d.items() if k not in keys}


def enum_field(v: EnumValue, i: int) -> Any:
    f = v.fields
    return f[i] if i < len(f) else None


def is_variant(v: Any, enum: str, variant: str) -> bool:
    return type(v) is EnumValue and v.variant == variant and v.enum == enum


def list_at_least(v: Any, n: int) -> bool:
    return type(v) is list and len(v) >= n


def no_match() -> ThrowError:
    return ThrowError("No match arm matched the value")


def catch_is(v: Any, enum: str) -> bool:
    """Typed catch: the error value is a value of enum ``enum``."""
    return type(v) is EnumValue and v.enum == enum


# --------------------------------------------------------------------------- errors


def _distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(name: str, candidates: Any) -> str | None:
    """The closest candidate per §5.1 (distance limit by length; ties: length
    difference, then alphabetical)."""
    n = len(name)
    limit = 1 if n <= 2 else (2 if n <= 5 else 3)
    best: tuple[int, int, str] | None = None
    for c in candidates:
        if c == name or c.startswith("__") or abs(len(c) - n) > limit:
            continue
        d = _distance(name, c)
        if d <= limit:
            key = (d, abs(len(c) - n), c)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]


BUILTIN_NAMES: tuple[str, ...] = ()


def set_builtin_names(names: Any) -> None:
    global BUILTIN_NAMES
    BUILTIN_NAMES = tuple(sorted(names))


def undefined_variable(name: str, visible: tuple = (), hint: bool = True) -> HarnError:
    """``hint`` is off for assignments: only reads suggest a spelling (§5.1)."""
    best = None if name == "_" or not hint else suggest(name, visible + BUILTIN_NAMES)
    if best is None:
        return plain_error(f"Undefined variable: {name}")
    return runtime_error(f"Undefined variable: {name} (did you mean `{best}`?)")


def undefined_builtin(name: str, visible: tuple = ()) -> HarnError:
    best = suggest(name, visible + BUILTIN_NAMES)
    if best is None:
        return plain_error(f"Undefined builtin: {name}")
    return runtime_error(f"Undefined builtin: {name} (did you mean `{best}`?)")


def immutable(name: str) -> HarnError:
    return plain_error(f"Cannot assign to immutable binding: {name}")


def redeclared(name: str) -> HarnError:
    return runtime_error(f"Cannot redeclare immutable variable '{name}' in the same scope "
                         "(use 'var' for mutable bindings)")


def unsupported(feature: str) -> HarnError:
    return runtime_error(f"{feature} is not supported yet")


def throw(v: Any) -> ThrowError:
    return ThrowError(v)


def require_failed(msg: Any = "require condition failed") -> ThrowError:
    return ThrowError(msg)
