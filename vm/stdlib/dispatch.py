"""Method dispatch, builtin lookup and globals for generated code (stdlib.md §0.5, §0.7, §1).

``call_method(recv, name, *args)`` is the one entry point for ``recv.name(args)``:
the receiver's exact type selects its method table (O(1)); an unknown
method gives ``nil``; a dict falls back to a callable stored under the key;
a struct instance dispatches to its ``impl`` methods; ints, floats, nil,
bools, closures and enums have no methods (``nil``).

:func:`builtin_functions` builds the name -> callable table a run binds,
replacing builtins the host disabled with ones failing as
``Error [tool_rejected]: Tool 'NAME' is not permitted.``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from vm.runtime.errors import HarnError, categorized, runtime_error
from vm.runtime.values import BuiltinRef, StructValue
from vm.stdlib.common import is_callable
from vm.stdlib.host import HOST
from vm.stdlib.registry import BUILTINS, METHODS, global_value

_get_table = METHODS.get


def call_method(recv: Any, name: str, *args: Any) -> Any:
    """``recv.name(*args)`` (§0.5)."""
    t = type(recv)
    table = _get_table(t)
    if table is not None:
        f = table.get(name)
        if f is not None:
            return f(recv, *args)
        if t is dict:
            v = recv.get(name)
            if v is not None and is_callable(v):
                return v(*args)
        return None
    if t is StructValue:
        m = recv.type.methods.get(name)
        if m is not None:
            return m(recv, *args)
    return None


_BY_NAME: dict[str, tuple[dict[type, Callable[..., Any]], Callable[..., Any]]] = {}


def method_site(name: str) -> tuple[dict[type, Callable[..., Any]], Callable[..., Any]]:
    """Per-name dispatch for one call site: ``(by_type, fallback)``.

    Generated code can compile ``recv.name(args)`` to
    ``by_type.get(type(recv), fallback)(recv, *args)``: two C-level lookups
    and one Python call when the receiver's type has the method; the
    fallback covers everything else (dict-held callables, struct ``impl``
    methods, unknown methods -> nil) exactly like :func:`call_method`.
    Tables are built at first use (after the stdlib registered its methods)
    and shared per name.
    """
    site = _BY_NAME.get(name)
    if site is None:
        by_type = {cls: table[name] for cls, table in METHODS.items() if name in table}

        def fallback(recv: Any, *args: Any) -> Any:
            return call_method(recv, name, *args)

        site = _BY_NAME[name] = (by_type, fallback)
    return site


def find_method(recv: Any, name: str) -> Callable[..., Any] | None:
    """The table method ``name`` of ``recv``'s type, or None (no dict/struct fallback)."""
    table = _get_table(type(recv))
    return None if table is None else table.get(name)


# --------------------------------------------------------------------------- builtins

ALWAYS_ALLOWED = frozenset(
    "println print log type_of to_string to_int to_float len assert assert_eq assert_ne "
    "json_parse json_stringify".split()
)


def _rejected(name: str) -> Callable[..., Any]:
    def rejected(*_args: Any) -> Any:
        raise categorized("tool_rejected", f"Tool '{name}' is not permitted.")

    return rejected


def builtin_functions(denied: Iterable[str] = ()) -> dict[str, Callable[..., Any]]:
    """Every builtin's callable by name, with host-disabled ones failing when called."""
    deny = frozenset(denied) - ALWAYS_ALLOWED
    HOST.denied = deny
    table = {name: b.fn for name, b in BUILTINS.items()}
    for name in deny:
        if name in table:
            table[name] = _rejected(name)
    return table


_REFS: dict[str, BuiltinRef] = {}


def builtin_value(name: str) -> BuiltinRef | None:
    """The value of a bare builtin name (``let f = len``): one shared BuiltinRef per name."""
    ref = _REFS.get(name)
    if ref is None:
        b = BUILTINS.get(name)
        if b is None:
            return None
        fn = b.fn if name not in HOST.denied else _rejected(name)
        ref = _REFS[name] = BuiltinRef(name, fn)
    return ref


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The first candidate (in the given order) at minimal edit distance <= 2, if any."""
    best: str | None = None
    best_d = 3
    for c in candidates:
        if c == name or abs(len(c) - len(name)) > 2:
            continue
        d = _distance(name, c)
        if d < best_d:
            best, best_d = c, d
    return best


def undefined_builtin(name: str) -> HarnError:
    """``Undefined builtin: NAME`` with a did-you-mean among the builtin names."""
    other = suggest(name, sorted(n for n, b in BUILTINS.items() if not b.internal))
    if other is not None:
        return runtime_error(f"Undefined builtin: {name} (did you mean `{other}`?)")
    return runtime_error(f"Undefined builtin: {name}")


# --------------------------------------------------------------------------- globals

global_value("pi", "float", "The float 3.141592653589793.")
global_value("e", "float", "The float 2.718281828459045.")
global_value("argv", "list<string>", "The command-line arguments after --.")
global_value("stream", "dict", "Namespace of the stream.* operators.", "T2")


def global_values() -> dict[str, Any]:
    """Initial values of the global bindings for one run (``argv`` from the host)."""
    return {"pi": math.pi, "e": math.e, "argv": HOST.get_argv(), "stream": _stream_namespace()}


def _stream_namespace() -> dict[str, Any]:
    from vm.stdlib.streamops import stream_namespace

    return stream_namespace()
