"""Ranges, lazy iterators, generators and pairs (stdlib.md §9, §10).

Iterator combinators wrap the parent :class:`HIter` itself (never its
source), so pulling through a derived iter advances the parent and keeps its
``exhausted`` flag right (shared identity, language.md §13). Combinators do
no work until pulled; sinks drain. Range methods not in the range table are
forwarded to ``iter(range)``, so ``(1 to 3).map(f)`` is a lazy iter.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import chain, dropwhile, islice, takewhile
from typing import Any

from vm.runtime.display import display as _display
from vm.runtime.errors import type_error
from vm.runtime.ops import add, make_iter
from vm.runtime.values import HGenerator, HIter, HRange, HSet, Pair
from vm.stdlib.common import MISSING, is_callable, test, type_of
from vm.stdlib.lists import extreme
from vm.stdlib.registry import (
    METHOD_INFO,
    METHODS,
    add_method,
    builtin,
    method,
    prop,
    register_receiver_type,
)
from vm.stdlib.sets import _eq_build

register_receiver_type("range", HRange)
register_receiver_type("iter", HIter)
register_receiver_type("generator", HGenerator)
register_receiver_type("pair", Pair)


# --------------------------------------------------------------------------- range()


@builtin("range", "(a: int, b?: int) -> range",
         "range(n) = 0 to n exclusive; range(a, b) = a to b exclusive.")
def range_(*args: Any) -> HRange:
    n = len(args)
    if n == 1:
        if type(args[0]) is not int:
            raise type_error("range(n): expected integer argument")
        return HRange(0, args[0], False)
    if n == 2:
        if type(args[0]) is not int or type(args[1]) is not int:
            raise type_error("range(a, b): expected integer arguments")
        return HRange(args[0], args[1], False)
    raise type_error(f"range expects 1 or 2 integer arguments, got {n}")


# --------------------------------------------------------------------------- iter combinators


def _need_callable(name: str, f: Any) -> Any:
    if not is_callable(f):
        raise type_error(f"iter.{name}: expected callable")
    return f


def _need_count(name: str, n: Any) -> int:
    """A non-negative int count, capped at ``sys.maxsize`` (ints are unbounded, §17.15)."""
    if type(n) is not int or n < 0:
        raise type_error(f"iter.{name}: expected non-negative int")
    return n if n <= sys.maxsize else sys.maxsize


@method("iter", "map", "(f: fn(any) -> any) -> iter", "Lazily apply f to each item.")
def iter_map(it: HIter, f: Any = None, *_: Any) -> HIter:
    return HIter(map(_need_callable("map", f), it))


@method("iter", "filter", "(p: fn(any) -> any) -> iter", "Lazily keep items where p is truthy.")
def iter_filter(it: HIter, p: Any = None, *_: Any) -> HIter:
    f = _need_callable("filter", p)
    return HIter(x for x in it if test(f(x)))


def _flat(it: HIter, f: Any) -> Iterator[Any]:
    for x in it:
        yield from make_iter(f(x))


@method("iter", "flat_map", "(f: fn(any) -> any) -> iter",
        "Lazily splice the iterable results of f.")
def iter_flat_map(it: HIter, f: Any = None, *_: Any) -> HIter:
    return HIter(_flat(it, _need_callable("flat_map", f)))


@method("iter", "take", "(n: int) -> iter", "The first n items.")
def iter_take(it: HIter, n: Any = None, *_: Any) -> HIter:
    return HIter(islice(it, _need_count("take", n)))


@method("iter", "skip", "(n: int) -> iter", "All but the first n items.")
def iter_skip(it: HIter, n: Any = None, *_: Any) -> HIter:
    return HIter(islice(it, _need_count("skip", n), None))


@method("iter", "take_while", "(p: fn(any) -> any) -> iter", "Items until p is first falsy.")
def iter_take_while(it: HIter, p: Any = None, *_: Any) -> HIter:
    f = _need_callable("take_while", p)
    return HIter(takewhile(lambda x: test(f(x)), it))


@method("iter", "skip_while", "(p: fn(any) -> any) -> iter",
        "Drop the leading items where p is truthy.")
def iter_skip_while(it: HIter, p: Any = None, *_: Any) -> HIter:
    f = _need_callable("skip_while", p)
    return HIter(dropwhile(lambda x: test(f(x)), it))


def _zip(a: HIter, b: HIter) -> Iterator[Pair]:
    for x in a:
        ok, y = b.next_item()
        if not ok:
            return
        yield Pair(x, y)


@method("iter", "zip", "(other: any) -> iter<pair>", "Pairs (a, b), stopping at the shorter.")
def iter_zip(it: HIter, other: Any = MISSING, *_: Any) -> HIter:
    if other is MISSING:
        raise type_error("iter.zip: expected iterable argument")
    return HIter(_zip(it, make_iter(other)))


@method("iter", "enumerate", "() -> iter<pair>", "Pairs (index, item) from 0.")
def iter_enumerate(it: HIter, *_: Any) -> HIter:
    return HIter(Pair(i, x) for i, x in enumerate(it))


@method("iter", "chain", "(other: any) -> iter", "This iter's items, then other's.")
def iter_chain(it: HIter, other: Any = None, *_: Any) -> HIter:
    return HIter(chain(it, make_iter(other)))


def _chunks(it: HIter, n: int) -> Iterator[list[Any]]:
    while True:
        chunk = list(islice(it, n))
        if not chunk:
            return
        yield chunk


@method("iter", "chunks", "(n: int) -> iter<list>", "Consecutive lists of n items.")
def iter_chunks(it: HIter, n: Any = None, *_: Any) -> HIter:
    if type(n) is not int or n <= 0:
        raise type_error("iter.chunks: chunk size must be positive")
    return HIter(_chunks(it, min(n, sys.maxsize)))


def _windows(it: HIter, n: int) -> Iterator[list[Any]]:
    win = list(islice(it, n))
    if len(win) < n:
        return
    yield list(win)
    for x in it:
        win = win[1:] + [x]
        yield win


@method("iter", "windows", "(n: int) -> iter<list>", "Sliding windows of exactly n items.")
def iter_windows(it: HIter, n: Any = None, *_: Any) -> HIter:
    if type(n) is not int or n <= 0:
        raise type_error("iter.windows: window size must be positive")
    return HIter(_windows(it, min(n, sys.maxsize)))


@method("iter", "iter", "() -> iter", "The iter itself.")
def iter_iter(it: HIter, *_: Any) -> HIter:
    return it


# --------------------------------------------------------------------------- sinks


@method("iter", "to_list", "() -> list", "The remaining items as a list.")
def iter_to_list(it: HIter, *_: Any) -> list[Any]:
    return list(it)


@method("iter", "to_set", "() -> set", "The remaining items, de-duplicated with ==.")
def iter_to_set(it: HIter, *_: Any) -> HSet:
    return _eq_build(it)


@method("iter", "to_dict", "() -> dict", "A dict from (string key, value) pairs.")
def iter_to_dict(it: HIter, *_: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in it:
        if type(p) is not Pair:
            raise type_error(f"iter.to_dict: expected pair, got {type_of(p)}")
        if type(p.first) is not str:
            raise type_error(f"iter.to_dict: expected string key, got {type_of(p.first)}")
        out[p.first] = p.second
    return out


@method("iter", "count", "() -> int", "Number of remaining items.")
def iter_count(it: HIter, *_: Any) -> int:
    n = 0
    for _x in it:
        n += 1
    return n


@method("iter", "sum", "() -> int | float", "Sum of the remaining items (numbers only).")
def iter_sum(it: HIter, *_: Any) -> int | float:
    total: int | float = 0
    for x in it:
        t = type(x)
        if t is not int and t is not float:
            raise type_error(f"iter.sum: expected number, got {type_of(x)}")
        try:
            total += x
        except OverflowError:  # a huge int meets a float: same as `+`
            total = add(total, x)
    return total


@method("iter", "min", "() -> any?", "The smallest remaining item.")
def iter_min(it: HIter, *_: Any) -> Any:
    return extreme(it, -1)


@method("iter", "max", "() -> any?", "The largest remaining item.")
def iter_max(it: HIter, *_: Any) -> Any:
    return extreme(it, 1)


@method("iter", "reduce", "(init: any, f: fn(any, any) -> any) -> any",
        "Fold the remaining items with f(acc, item).")
def iter_reduce(it: HIter, init: Any = MISSING, f: Any = MISSING, *_: Any) -> Any:
    if f is MISSING:
        raise type_error("iter.reduce: expected (init, fn)")
    if not is_callable(f):
        raise type_error("iter.reduce: second arg must be callable")
    acc = init
    for x in it:
        acc = f(acc, x)
    return acc


@method("iter", "first", "() -> any?", "Pull one item (nil when exhausted).")
def iter_first(it: HIter, *_: Any) -> Any:
    ok, v = it.next_item()
    return v if ok else None


@method("iter", "last", "() -> any?", "Drain and return the last item.")
def iter_last(it: HIter, *_: Any) -> Any:
    last = None
    for x in it:
        last = x
    return last


@method("iter", "any", "(p: fn(any) -> any) -> bool", "True once some item matches.")
def iter_any(it: HIter, p: Any = None, *_: Any) -> bool:
    f = _need_callable("any", p)
    for x in it:
        if test(f(x)):
            return True
    return False


@method("iter", "all", "(p: fn(any) -> any) -> bool", "False once some item fails.")
def iter_all(it: HIter, p: Any = None, *_: Any) -> bool:
    f = _need_callable("all", p)
    for x in it:
        if not test(f(x)):
            return False
    return True


@method("iter", "find", "(p: fn(any) -> any) -> any?", "The first matching item.")
def iter_find(it: HIter, p: Any = None, *_: Any) -> Any:
    f = _need_callable("find", p)
    for x in it:
        if test(f(x)):
            return x
    return None


@method("iter", "for_each", "(f: fn(any) -> any) -> nil", "Call f on each remaining item.")
def iter_for_each(it: HIter, f: Any = None, *_: Any) -> None:
    g = _need_callable("for_each", f)
    for x in it:
        g(x)


# --------------------------------------------------------------------------- ranges


@method("range", ("len", "count"), "() -> int", "Number of elements.")
def range_len(r: HRange, *_: Any) -> int:
    return r.stop - r.start


@method("range", "empty", "() -> bool", "True when the range has no element.")
def range_empty(r: HRange, *_: Any) -> bool:
    return r.stop <= r.start


@method("range", "contains", "(x: any) -> bool", "Int membership.")
def range_contains(r: HRange, x: Any = None, *_: Any) -> bool:
    return type(x) is int and r.start <= x < r.stop


@method("range", "first", "() -> int?", "The first element, nil when empty.")
def range_first(r: HRange, *_: Any) -> int | None:
    return r.first()


@method("range", "last", "() -> int?", "The last element, nil when empty.")
def range_last(r: HRange, *_: Any) -> int | None:
    return r.last()


@method("range", "to_string", "() -> string", "The display form.")
def range_to_string(r: HRange, *_: Any) -> str:
    return _display(r)


@method("range", "to_list", "() -> list", "The elements as a list.")
def range_to_list(r: HRange, *_: Any) -> list[int]:
    return list(range(r.start, r.stop))


@method("range", "skip", "(n: int) -> iter", "All but the first n items (O(1) on a range).")
def range_skip(r: HRange, n: Any = None, *_: Any) -> HIter:
    k = _need_count("skip", n)
    return HIter(range(min(r.start + k, r.stop), r.stop))


@method("range", "take", "(n: int) -> iter", "The first n items (O(1) on a range).")
def range_take(r: HRange, n: Any = None, *_: Any) -> HIter:
    k = _need_count("take", n)
    return HIter(range(r.start, min(r.start + k, r.stop)))


def _forward(fn: Any) -> Any:
    def forwarded(r: HRange, *args: Any) -> Any:
        return fn(HIter(range(r.start, r.stop)), *args)

    return forwarded


def _install_range_forwarding() -> None:
    own = METHODS[HRange]
    for name, info in METHOD_INFO["iter"].items():
        if name not in own:
            add_method("range", name, info.sig_text, info.doc + " (via iter(range))",
                       _forward(info.fn))


_install_range_forwarding()


# --------------------------------------------------------------------------- generators, pairs


@method("generator", "next", "() -> dict", "{done: false, value} for the next value, then done.")
def generator_next(g: HGenerator, *_: Any) -> dict[str, Any]:
    return g.next()


@method("generator", "iter", "() -> iter", "A lazy iterator over the remaining values.")
def generator_iter(g: HGenerator, *_: Any) -> HIter:
    return make_iter(g)


prop("list", "count", "int", "Number of elements.")
prop("list", "empty", "bool", "True for [].")
prop("list", "first", "any", "The first element or nil.")
prop("list", "last", "any", "The last element or nil.")
prop("string", "count", "int", "Number of characters.")
prop("string", "empty", "bool", "True for \"\".")
prop("pair", "first", "any", "The first component.")
prop("pair", "second", "any", "The second component.")
prop("enum", "variant", "string", "The variant name.")
prop("enum", "fields", "list", "The payload values.")
