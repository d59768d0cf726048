"""Dict methods, dict free functions and the native ``__dict_*`` helpers (stdlib.md §7, §19, §22).

Dicts are Python dicts with string keys in any internal order; everything
that exposes an order (keys, values, entries, iter) sorts by key (A7).

The ``__dict_*`` helpers back ``std/collections`` and ``std/json``: each is
one pass with at most one dict allocation, and returns its input unchanged
(the same object) when nothing would change, so a ``filter_nil`` over an
already clean config costs a scan and no copy. ``nil`` counts as ``{}``.
"""

from __future__ import annotations

from typing import Any

from vm.runtime.errors import type_error
from vm.runtime.ops import make_iter
from vm.runtime.values import HIter, HSet
from vm.stdlib.common import MISSING, display, is_callable, s, test, type_of
from vm.stdlib.registry import builtin, method, register_receiver_type

register_receiver_type("dict", dict)


def sorted_keys(d: dict[str, Any]) -> list[str]:
    return sorted(d)


# --------------------------------------------------------------------------- methods


@method("dict", "keys", "() -> list<string>", "The keys in order.")
def dict_keys(d: dict[str, Any], *_: Any) -> list[str]:
    return sorted(d)


@method("dict", "values", "() -> list", "The values in key order.")
def dict_values(d: dict[str, Any], *_: Any) -> list[Any]:
    return [d[k] for k in sorted(d)]


@method("dict", "entries", "() -> list<dict>", "[{key, value}, ...] in key order.")
def dict_entries(d: dict[str, Any], *_: Any) -> list[dict[str, Any]]:
    return [{"key": k, "value": d[k]} for k in sorted(d)]


@method("dict", "count", "() -> int", "Number of keys.")
def dict_count(d: dict[str, Any], *_: Any) -> int:
    return len(d)


@method("dict", "has", "(key: ~str) -> bool", "True if the key is present (even with nil).")
def dict_has(d: dict[str, Any], key: Any = None, *_: Any) -> bool:
    return (key if type(key) is str else display(key)) in d


@method("dict", "get", "(key: ~str, default?: any = nil) -> any",
        "The value under key, or default when the key is absent.")
def dict_get(d: dict[str, Any], key: Any = MISSING, default: Any = None, *_: Any) -> Any:
    if key is MISSING:
        return None
    return d.get(key if type(key) is str else display(key), default)


@method("dict", "merge", "(other: dict) -> dict", "A copy updated with other (right wins).")
def dict_merge(d: dict[str, Any], other: Any = None, *_: Any) -> dict[str, Any]:
    if type(other) is not dict:
        return d
    if not other:
        return d
    out = d.copy()
    out.update(other)
    return out


@method("dict", "remove", "(key: ~str) -> dict", "A copy without key.")
def dict_remove(d: dict[str, Any], key: Any = None, *_: Any) -> dict[str, Any]:
    k = key if type(key) is str else display(key)
    out = d.copy()
    out.pop(k, None)
    return out


@method("dict", "map_values", "(f: fn(any) -> any) -> dict", "Same keys, values f(v).")
def dict_map_values(d: dict[str, Any], f: Any = None, *_: Any) -> dict[str, Any] | None:
    if not is_callable(f):
        return None
    return {k: f(d[k]) for k in sorted(d)}


@method("dict", "filter", "(p: fn(any) -> any) -> dict", "Entries whose value passes p.")
def dict_filter(d: dict[str, Any], p: Any = None, *_: Any) -> dict[str, Any] | None:
    if not is_callable(p):
        return None
    return {k: d[k] for k in sorted(d) if test(p(d[k]))}


@method("dict", ("rekey", "map_keys"), "(f: fn(string) -> any) -> dict",
        "Keys replaced by display(f(k)); the largest original key wins collisions.")
def dict_rekey(d: dict[str, Any], f: Any = None, *_: Any) -> dict[str, Any] | None:
    if not is_callable(f):
        return None
    out: dict[str, Any] = {}
    for k in sorted(d):
        nk = f(k)
        out[nk if type(nk) is str else display(nk)] = d[k]
    return out


@method("dict", "iter", "() -> iter<pair>", "A lazy iterator of (key, value) pairs in key order.")
def dict_iter(d: dict[str, Any], *_: Any) -> HIter:
    return make_iter(d)


# --------------------------------------------------------------------------- free functions


@builtin("keys", "(d: any) -> list<string>", "The keys of a dict in order; [] otherwise.")
def keys(d: Any = None, *_: Any) -> list[str]:
    return sorted(d) if type(d) is dict else []


@builtin("values", "(d: any) -> list", "The values of a dict in key order; [] otherwise.")
def values(d: Any = None, *_: Any) -> list[Any]:
    return dict_values(d) if type(d) is dict else []


@builtin("entries", "(d: any) -> list<dict>", "[{key, value}, ...] of a dict; [] otherwise.")
def entries(d: Any = None, *_: Any) -> list[dict[str, Any]]:
    return dict_entries(d) if type(d) is dict else []


# --------------------------------------------------------------------------- native helpers

_EMPTY: dict[str, Any] = {}


def _dict_arg(name: str, d: Any) -> dict[str, Any]:
    if type(d) is dict:
        return d
    if d is None or d is MISSING:
        return {}
    raise type_error(f"{name}: expected dict, got {type_of(d)}")


def _check_keys(name: str, keys: Any) -> None:
    t = type(keys)
    if t is not list and t is not HSet:
        raise type_error(f"{name}: keys argument must be a list or set, got {type_of(keys)}")


def _key_list(name: str, keys: Any) -> list[str]:
    _check_keys(name, keys)
    return [k if type(k) is str else display(k) for k in keys]


@builtin("__dict_filter_nil", "(d: dict) -> dict",
         "Native filter_nil: drop entries whose value is nil, \"\" or \"null\".", internal=True)
def dict_filter_nil(d: Any = None, *_: Any) -> dict[str, Any]:
    src = _dict_arg("filter_nil", d)
    out = {k: v for k, v in src.items()
           if v is not None and (type(v) is not str or (v != "" and v != "null"))}
    return src if len(out) == len(src) else out


@builtin("__dict_pick_keys", "(d: dict, keys: list | set, drop_nil?: bool = false) -> dict",
         "Native pick_keys: only the listed keys present in d.", internal=True)
def dict_pick_keys(d: Any = None, keys: Any = None, drop_nil: Any = None, *_: Any
                   ) -> dict[str, Any]:
    src = _dict_arg("pick_keys", d)
    _check_keys("pick_keys", keys)
    drop = test(drop_nil)
    out: dict[str, Any] = {}
    missing = _MISSING_VALUE
    get = src.get
    for k in keys:
        if type(k) is not str:
            k = display(k)
        v = get(k, missing)
        if v is missing or (drop and v is None):
            continue
        out[k] = v
    return src if len(out) == len(src) else out


_MISSING_VALUE = object()


@builtin("__dict_merge", "(a: dict, b: dict) -> dict",
         "Native merge: a shallow copy of a updated with b.", internal=True)
def dict_merge_native(a: Any = None, b: Any = None, *_: Any) -> dict[str, Any]:
    left = _dict_arg("merge", a)
    right = _dict_arg("merge", b)
    if not right:
        return left
    if not left:
        return right
    out = left.copy()
    out.update(right)
    return out


@builtin("__dict_pick", "(d: dict, keys: list | set) -> dict",
         "Native pick: the listed keys present with a non-nil value.", internal=True)
def dict_pick(d: Any = None, keys: Any = None, *_: Any) -> dict[str, Any]:
    src = _dict_arg("pick", d)
    names = _key_list("pick", keys)
    out: dict[str, Any] = {}
    for k in names:
        v = src.get(k)
        if v is not None:
            out[k] = v
    if len(out) == len(src):
        return src
    return out


@builtin("__dict_omit", "(d: dict, keys: list | set) -> dict",
         "Native omit: a copy without the listed keys.", internal=True)
def dict_omit(d: Any = None, keys: Any = None, *_: Any) -> dict[str, Any]:
    src = _dict_arg("omit", d)
    names = _key_list("omit", keys)
    drop = [k for k in names if k in src]
    if not drop:
        return src
    out = src.copy()
    for k in drop:
        out.pop(k, None)
    return out


__all__ = ["s", "sorted_keys"]
