"""List methods and the checked list free functions (stdlib.md §6).

Every method returns a new value (A4) and runs as one native loop calling the
callback directly (§22). Callbacks are tested with :func:`common.test`, whose
fast path handles the bools predicates usually return.

Sorting follows A9: numbers numerically, strings by code point, pairs
lexicographically, anything else "equal"; sorts are stable. Lists made only
of ints/floats without NaN, or only of strings, sort with Python's native
ordering (identical results, much faster); everything else goes through
``compare`` with ``cmp_to_key``.
"""

from __future__ import annotations

from functools import cmp_to_key
from itertools import compress
from typing import Any

from vm.runtime.compare import compare, eq
from vm.runtime.errors import runtime_error, type_error
from vm.runtime.ops import add, make_iter
from vm.runtime.ops import contains as in_op
from vm.runtime.values import (
    EnumValue,
    HIter,
    HRange,
    HSet,
    Pair,
    StructValue,
    structural_key,
)
from vm.stdlib.common import MISSING, display, is_callable, s_or, test, truthy, type_of
from vm.stdlib.registry import builtin, method, register_receiver_type

register_receiver_type("list", list)

_CMP_KEY = cmp_to_key(compare)


def _native_sortable(items: list[Any]) -> bool:
    """True when Python's own ordering equals A9 for every pair in ``items``."""
    if not items:
        return True
    t0 = type(items[0])
    if t0 is str:
        return all(type(x) is str for x in items)
    if t0 is int or t0 is float:
        for x in items:
            t = type(x)
            if t is int:
                continue
            if t is not float or x != x:
                return False
        return True
    return False


def sort_values(items: list[Any]) -> list[Any]:
    if _native_sortable(items):
        return sorted(items)
    return sorted(items, key=_CMP_KEY)


def sort_by_keys(items: list[Any], keys: list[Any]) -> list[Any]:
    idx = list(range(len(items)))
    if _native_sortable(keys):
        idx.sort(key=keys.__getitem__)
    else:
        idx.sort(key=lambda i: _CMP_KEY(keys[i]))
    return [items[i] for i in idx]


def extreme(items: Any, sign: int) -> Any:
    """The first smallest (sign -1) or largest (sign 1) element by A9, or nil."""
    best: Any = MISSING
    for x in items:
        if best is MISSING or compare(x, best) == sign:
            best = x
    return None if best is MISSING else best


def extreme_by(items: list[Any], f: Any, sign: int) -> Any:
    best: Any = MISSING
    best_key: Any = None
    for x in items:
        k = f(x)
        if best is MISSING or compare(k, best_key) == sign:
            best, best_key = x, k
    return None if best is MISSING else best


def sum_numbers(items: Any) -> int | float:
    total: int | float = 0
    for x in items:
        t = type(x)
        if t is int or t is float:
            try:
                total += x
            except OverflowError:  # a huge int meets a float: same as `+`
                total = add(total, x)
    return total


# --------------------------------------------------------------------------- methods


@method("list", "count", "() -> int", "Number of elements.")
def list_count(xs: list[Any], *_: Any) -> int:
    return len(xs)


@method("list", "empty", "() -> bool", "True for [].")
def list_empty(xs: list[Any], *_: Any) -> bool:
    return not xs


@method("list", "first", "(n?: int) -> any",
        "The first element (nil when empty), or a list of the first n.")
def list_first(xs: list[Any], n: Any = None, *_: Any) -> Any:
    if type(n) is int:
        return xs[:n] if n > 0 else []
    return xs[0] if xs else None


@method("list", "last", "(n?: int) -> any",
        "The last element (nil when empty), or a list of the last n.")
def list_last(xs: list[Any], n: Any = None, *_: Any) -> Any:
    if type(n) is int:
        return xs[-n:] if n > 0 else []
    return xs[-1] if xs else None


@method("list", "map", "(f: fn(any) -> any) -> list", "A new list of f(x) for each element.")
def list_map(xs: list[Any], f: Any = None, *_: Any) -> list[Any] | None:
    if not is_callable(f):
        return None
    return list(map(f, xs))


# Result types whose Python truthiness is Harn truthiness (everything but durations
# and host handles), so a predicate's results can drive ``itertools.compress``.
_PY_TRUTHY = frozenset({bool, int, float, str, type(None), list, dict, bytes, HSet, HRange,
                        Pair, EnumValue, StructValue, HIter})


@method("list", "filter", "(p: fn(any) -> any) -> list", "The elements where p is truthy.")
def list_filter(xs: list[Any], p: Any = None, *_: Any) -> list[Any] | None:
    if not is_callable(p):
        return None
    results = list(map(p, xs))
    # All results == true or == false (bools, 0/1): Python truthiness is Harn's.
    if results.count(True) + results.count(False) == len(results) or (
            set(map(type, results)) <= _PY_TRUTHY):
        return list(compress(xs, results))
    return [x for x, r in zip(xs, results, strict=True) if truthy(r)]


def flat_map_values(xs: list[Any], f: Any) -> list[Any]:
    out: list[Any] = []
    for x in xs:
        r = f(x)
        if type(r) is list:
            out.extend(r)
        else:
            out.append(r)
    return out


@method("list", "flat_map", "(f: fn(any) -> any) -> list",
        "Concatenate list results of f; a non-list result is one element.")
def list_flat_map(xs: list[Any], f: Any = None, *_: Any) -> list[Any] | None:
    if not is_callable(f):
        return None
    return flat_map_values(xs, f)


@method("list", "reduce", "(init: any, f: fn(any, any) -> any) -> any",
        "Left fold from init with f(acc, x).")
def list_reduce(xs: list[Any], init: Any = None, f: Any = None, *_: Any) -> Any:
    if not is_callable(f):
        return None
    acc = init
    for x in xs:
        acc = f(acc, x)
    return acc


@method("list", "find", "(p: fn(any) -> any) -> any?", "The first element where p is truthy.")
def list_find(xs: list[Any], p: Any = None, *_: Any) -> Any:
    if not is_callable(p):
        return None
    for x in xs:
        if test(p(x)):
            return x
    return None


@method("list", "find_index", "(p: fn(any) -> any) -> int",
        "Index of the first element where p is truthy, -1 if none.")
def list_find_index(xs: list[Any], p: Any = None, *_: Any) -> int:
    if not is_callable(p):
        return -1
    for i, x in enumerate(xs):
        if test(p(x)):
            return i
    return -1


@method("list", "any", "(p: fn(any) -> any) -> bool", "True if some element matches.")
def list_any(xs: Any, p: Any = None, *_: Any) -> bool:
    if not is_callable(p):
        return False
    for x in xs:
        if test(p(x)):
            return True
    return False


@method("list", ("all", "every"), "(p: fn(any) -> any) -> bool", "True if every element matches.")
def list_all(xs: Any, p: Any = None, *_: Any) -> bool:
    if not is_callable(p):
        return True
    for x in xs:
        if not test(p(x)):
            return False
    return True


@method("list", "none", "(p?: fn(any) -> any) -> bool", "True if no element matches.")
def list_none(xs: list[Any], p: Any = None, *_: Any) -> bool:
    if not is_callable(p):
        return not xs
    return not list_any(xs, p)


@method("list", "contains", "(x: any) -> bool", "True if some element == x.")
def list_contains(xs: list[Any], x: Any = None, *_: Any) -> bool:
    t = type(x)
    if t is str or x is None:
        return x in xs  # equal only to themselves
    if t is int or (t is float and x == x):
        # Python's ``in`` finds every Harn-equal number, plus bools (1 == True):
        # a miss is exact, and so is a hit on a number other than 0 and 1.
        if x not in xs:
            return False
        if (x != 0 and x != 1) or type(xs[xs.index(x)]) is not bool:
            return True
    return in_op(xs, x)


@method("list", "index_of", "(x: any) -> int", "First index whose element == x, else -1.")
def list_index_of(xs: list[Any], x: Any = None, *_: Any) -> int:
    for i, e in enumerate(xs):
        if eq(e, x):
            return i
    return -1


@method("list", "sort", "() -> list", "Stable ascending sort (numbers, strings, pairs).")
def list_sort(xs: list[Any], *_: Any) -> list[Any]:
    return sort_values(xs)


@method("list", "sort_by", "(key: fn(any) -> any) -> list", "Stable ascending sort by key(x).")
def list_sort_by(xs: list[Any], key: Any = None, *_: Any) -> list[Any] | None:
    if not is_callable(key):
        return None
    return sort_by_keys(xs, [key(x) for x in xs])


@method("list", "reverse", "() -> list", "A reversed copy.")
def list_reverse(xs: list[Any], *_: Any) -> list[Any]:
    return xs[::-1]


@method("list", "unique", "() -> list", "First occurrence of each structural key.")
def list_unique(xs: list[Any], *_: Any) -> list[Any]:
    seen: dict[Any, Any] = {}
    for x in xs:
        k = structural_key(x)
        if k not in seen:
            seen[k] = x
    return list(seen.values())


@method("list", "join", "(sep?: ~str = \"\") -> string", "Display forms joined by sep.")
def list_join(xs: list[Any], sep: Any = None, *_: Any) -> str:
    return s_or(sep, "").join([x if type(x) is str else display(x) for x in xs])


@method("list", "slice", "(start: int, end?: int) -> list",
        "Python-style slice; negative bounds count from the end.")
def list_slice(xs: list[Any], start: Any = None, end: Any = None, *_: Any) -> list[Any]:
    a = start if type(start) is int else 0
    b = end if type(end) is int else None
    return xs[a:b]


@method("list", "take", "(n: int) -> list", "The first n elements.")
def list_take(xs: list[Any], n: Any = None, *_: Any) -> list[Any]:
    return xs[:n] if type(n) is int and n > 0 else []


@method("list", "skip", "(n: int) -> list", "All but the first n elements.")
def list_skip(xs: list[Any], n: Any = None, *_: Any) -> list[Any]:
    return xs[n:] if type(n) is int and n > 0 else xs[:]


@method("list", "push", "(x?: any) -> list", "A copy with x appended.")
def list_push(xs: list[Any], x: Any = MISSING, *_: Any) -> list[Any]:
    out = xs.copy()
    if x is not MISSING:
        out.append(x)
    return out


@method("list", "pop", "() -> list", "A copy without the last element.")
def list_pop(xs: list[Any], *_: Any) -> list[Any]:
    return xs[:-1]


@method("list", "sum", "() -> int | float", "Sum of the numbers (other elements skipped).")
def list_sum(xs: list[Any], *_: Any) -> int | float:
    return sum_numbers(xs)


@method("list", "min", "() -> any?", "The smallest element, nil when empty.")
def list_min(xs: list[Any], *_: Any) -> Any:
    return extreme(xs, -1)


@method("list", "max", "() -> any?", "The largest element, nil when empty.")
def list_max(xs: list[Any], *_: Any) -> Any:
    return extreme(xs, 1)


@method("list", "min_by", "(key: fn(any) -> any) -> any?", "The element with the smallest key.")
def list_min_by(xs: list[Any], key: Any = None, *_: Any) -> Any:
    return extreme_by(xs, key, -1) if is_callable(key) else None


@method("list", "max_by", "(key: fn(any) -> any) -> any?", "The element with the largest key.")
def list_max_by(xs: list[Any], key: Any = None, *_: Any) -> Any:
    return extreme_by(xs, key, 1) if is_callable(key) else None


@method("list", "flatten", "() -> list", "Splice list elements one level deep.")
def list_flatten(xs: list[Any], *_: Any) -> list[Any]:
    out: list[Any] = []
    for x in xs:
        if type(x) is list:
            out.extend(x)
        else:
            out.append(x)
    return out


@method("list", "compact", "() -> list", "Drop nil elements.")
def list_compact(xs: list[Any], *_: Any) -> list[Any]:
    return [x for x in xs if x is not None]


def chunks_of(xs: list[Any], size: Any) -> list[list[Any]]:
    n = size if type(size) is int and size >= 1 else 1
    return [xs[i : i + n] for i in range(0, len(xs), n)]


def windows_of(xs: list[Any], size: Any, step: Any) -> list[list[Any]]:
    n = 2 if size is None or size is MISSING else (size if type(size) is int else 1)
    k = 1 if step is None or step is MISSING else (step if type(step) is int else 1)
    n = max(n, 1)
    k = max(k, 1)
    return [xs[i : i + n] for i in range(0, len(xs) - n + 1, k)]


@method("list", ("chunk", "each_slice"), "(size?: int = 1) -> list<list>",
        "Consecutive chunks of size elements.")
def list_chunk(xs: list[Any], size: Any = None, *_: Any) -> list[list[Any]]:
    return chunks_of(xs, size)


@method("list", ("window", "each_cons", "sliding_window"),
        "(size?: int = 2, step?: int = 1) -> list<list>", "Sliding windows of exactly size.")
def list_window(xs: list[Any], size: Any = None, step: Any = None, *_: Any) -> list[list[Any]]:
    return windows_of(xs, size, step)


@method("list", "enumerate", "() -> list<dict>", "[{index, value}, ...].")
def list_enumerate(xs: list[Any], *_: Any) -> list[dict[str, Any]]:
    return [{"index": i, "value": x} for i, x in enumerate(xs)]


@method("list", "zip", "(other: list) -> list<list>", "[[a0, b0], ...] up to the shorter length.")
def list_zip(xs: list[Any], other: Any = None, *_: Any) -> list[list[Any]]:
    if type(other) is not list:
        return []
    return [[a, b] for a, b in zip(xs, other, strict=False)]


def split_by(xs: list[Any], p: Any) -> tuple[list[Any], list[Any]]:
    yes: list[Any] = []
    no: list[Any] = []
    for x in xs:
        (yes if test(p(x)) else no).append(x)
    return yes, no


@method("list", "partition", "(p: fn(any) -> any) -> list",
        "[[matching], [non_matching]].")
def list_partition(xs: list[Any], p: Any = None, *_: Any) -> list[list[Any]] | None:
    if not is_callable(p):
        return None
    yes, no = split_by(xs, p)
    return [yes, no]


def group_values(xs: list[Any], key: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for x in xs:
        k = key(x)
        ks = k if type(k) is str else display(k)
        bucket = out.get(ks)
        if bucket is None:
            out[ks] = [x]
        else:
            bucket.append(x)
    return out


@method("list", "group_by", "(key: fn(any) -> any) -> dict<string, list>",
        "Buckets keyed by the display string of key(x).")
def list_group_by(xs: list[Any], key: Any = None, *_: Any) -> dict[str, list[Any]] | None:
    if not is_callable(key):
        return None
    return group_values(xs, key)


@method("list", "tally", "() -> dict<string, int>", "Count per display string of the element.")
def list_tally(xs: list[Any], *_: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in xs:
        k = x if type(x) is str else display(x)
        out[k] = out.get(k, 0) + 1
    return out


@method("list", "iter", "() -> iter", "A lazy iterator over the elements.")
def list_iter(xs: list[Any], *_: Any) -> HIter:
    return make_iter(xs)


# --------------------------------------------------------------------------- free functions


def _check_list(name: str, xs: Any) -> list[Any]:
    if xs is MISSING:
        raise runtime_error(f"{name}: first argument must be a list")
    if type(xs) is not list:
        raise type_error(f"{name}: first argument must be a list, got {type_of(xs)}")
    return xs


def _check_callback(name: str, f: Any) -> Any:
    if f is MISSING:
        raise runtime_error(f"{name}: callback is required")
    if not is_callable(f):
        raise type_error(f"{name}: callback must be callable, got {type_of(f)}")
    return f


@builtin("chunk", "(xs: list, size?: int = 1) -> list<list>", "Consecutive chunks of size.")
def chunk(xs: Any = MISSING, size: Any = None, *_: Any) -> list[list[Any]]:
    return chunks_of(_check_list("chunk", xs), size)


@builtin("window", "(xs: list, size?: int = 2, step?: int = 1) -> list<list>",
         "Sliding windows of exactly size.")
def window(xs: Any = MISSING, size: Any = None, step: Any = None, *_: Any) -> list[list[Any]]:
    return windows_of(_check_list("window", xs), size, step)


@builtin("group_by", "(xs: list, key: fn(any) -> any) -> dict",
         "Buckets keyed by the display string of key(x).")
def group_by(xs: Any = MISSING, key: Any = MISSING, *_: Any) -> dict[str, list[Any]]:
    items = _check_list("group_by", xs)
    return group_values(items, _check_callback("group_by", key))


@builtin("partition", "(xs: list, p: fn(any) -> any) -> dict", "{match: [...], no_match: [...]}.")
def partition(xs: Any = MISSING, p: Any = MISSING, *_: Any) -> dict[str, list[Any]]:
    items = _check_list("partition", xs)
    yes, no = split_by(items, _check_callback("partition", p))
    return {"match": yes, "no_match": no}


@builtin("dedup_by", "(xs: list, key: fn(any) -> any) -> list",
         "Keep the first element for each structural key of key(x).")
def dedup_by(xs: Any = MISSING, key: Any = MISSING, *_: Any) -> list[Any]:
    items = _check_list("dedup_by", xs)
    f = _check_callback("dedup_by", key)
    seen: set[Any] = set()
    out: list[Any] = []
    for x in items:
        k = structural_key(f(x))
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


@builtin("flat_map", "(xs: list, f: fn(any) -> any) -> list",
         "Concatenate list results of f; a non-list result is one element.")
def flat_map(xs: Any = MISSING, f: Any = MISSING, *_: Any) -> list[Any]:
    items = _check_list("flat_map", xs)
    return flat_map_values(items, _check_callback("flat_map", f))
