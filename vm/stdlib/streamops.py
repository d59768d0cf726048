"""Stream methods and the ``stream.*`` operators (stdlib.md §10.4, §10.5), Tier 2.

A ``gen fn`` stream (:class:`vm.runtime.streams.HStream`) has the generator
protocol: ``.next()`` and ``.iter()``; other methods return nil.

``stream.NAME(src, ...)`` operators take any iterable source (list, range,
dict, set, string, channel, generator, stream, iter) and, except for the
sinks ``collect``/``fold``/``first`` and ``broadcast`` (a list of iters),
return a lazy iter built on Python generators, so nothing is pulled before
the consumer asks. Sources are converted with ``iter()``: an iter argument is
consumed in place (shared identity, §13).

Time. Tasks run one after another (see :mod:`vm.runtime.tasks`), so every
item a source can produce without waiting counts as *ready*: ``merge``
alternates round-robin over the sources still running, ``race`` lets the
first source (in argument order) that produces an item win, and
``debounce`` (after an item, wait the window, keep only the latest ready
item) yields the last item of a synchronous source; of a channel it keeps
the last of the values already buffered. ``throttle`` spaces items at least
``1 / per_second`` seconds apart.

Argument errors are type errors: ``stream.NAME: missing argument K``,
``stream.NAME: argument K must be callable, got T``, ``stream.NAME:
argument K must be a non-negative int, got T`` and ``stream.NAME: argument K
is not iterable, got T`` (K is the parameter name of the signature).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from vm.runtime import deadlines
from vm.runtime.errors import HarnError, type_error
from vm.runtime.ops import make_iter
from vm.runtime.streams import HStream
from vm.runtime.values import BuiltinRef, Duration, HIter, Pair
from vm.stdlib.channels import Channel, take_now
from vm.stdlib.common import MISSING, is_callable, test, type_of
from vm.stdlib.registry import CONSTANTS, method, register_receiver_type

register_receiver_type("stream", HStream)


@method("stream", "next", "() -> dict", "{done: false, value} for the next value, then done.",
        "T2")
def stream_next(st: HStream, *_: Any) -> dict[str, Any]:
    return st.next()


@method("stream", "iter", "() -> iter", "A lazy iterator over the remaining values.", "T2")
def stream_iter(st: HStream, *_: Any) -> HIter:
    return make_iter(st)


# --------------------------------------------------------------------------- arguments


def _arg(op: str, args: tuple, i: int, name: str) -> Any:
    if i >= len(args) or args[i] is MISSING:
        raise type_error(f"stream.{op}: missing argument {name}")
    return args[i]


def _source(op: str, args: tuple, i: int, name: str = "src") -> HIter:
    v = _arg(op, args, i, name)
    try:
        return make_iter(v)
    except HarnError:
        raise type_error(f"stream.{op}: argument {name} is not iterable, got {type_of(v)}") \
            from None


def _fn(op: str, args: tuple, i: int, name: str) -> Callable[..., Any]:
    f = _arg(op, args, i, name)
    if not is_callable(f):
        raise type_error(f"stream.{op}: argument {name} must be callable, got {type_of(f)}")
    return f


def _count(op: str, args: tuple, i: int, name: str) -> int:
    n = _arg(op, args, i, name)
    if type(n) is not int or n < 0:
        raise type_error(f"stream.{op}: argument {name} must be a non-negative int, "
                         f"got {type_of(n) if type(n) is not int else n}")
    return n


def _number(op: str, args: tuple, i: int, name: str) -> float:
    v = _arg(op, args, i, name)
    if type(v) is Duration:
        return float(v.ms)
    if type(v) not in (int, float) or v != v or v < 0:
        raise type_error(f"stream.{op}: argument {name} must be a non-negative number, "
                         f"got {type_of(v)}")
    return float(v)


# --------------------------------------------------------------------------- transformers


def _map(*args: Any) -> HIter:
    src, f = _source("map", args, 0), _fn("map", args, 1, "f")
    return HIter(f(x) for x in src)


def _filter(*args: Any) -> HIter:
    src, p = _source("filter", args, 0), _fn("filter", args, 1, "p")
    return HIter(x for x in src if test(p(x)))


def _tap_gen(src: HIter, f: Callable[..., Any]) -> Iterator[Any]:
    for x in src:
        f(x)
        yield x


def _tap(*args: Any) -> HIter:
    return HIter(_tap_gen(_source("tap", args, 0), _fn("tap", args, 1, "f")))


def _scan_gen(src: HIter, acc: Any, f: Callable[..., Any]) -> Iterator[Any]:
    for x in src:
        acc = f(acc, x)
        yield acc


def _scan(*args: Any) -> HIter:
    src = _source("scan", args, 0)
    init = _arg("scan", args, 1, "init")
    return HIter(_scan_gen(src, init, _fn("scan", args, 2, "f")))


def _take_gen(src: HIter, n: int) -> Iterator[Any]:
    if n <= 0:
        return
    for i, x in enumerate(src, 1):
        yield x
        if i >= n:
            return


def _take(*args: Any) -> HIter:
    src = _source("take", args, 0)
    return HIter(_take_gen(src, _count("take", args, 1, "n")))


def _take_until_gen(src: HIter, p: Callable[..., Any]) -> Iterator[Any]:
    for x in src:
        if test(p(x)):
            return
        yield x


def _take_until(*args: Any) -> HIter:
    return HIter(_take_until_gen(_source("take_until", args, 0),
                                 _fn("take_until", args, 1, "p")))


def _sources(op: str, args: tuple, least: int) -> list[HIter]:
    if len(args) < least:
        raise type_error(f"stream.{op}: missing argument srcs (needs at least {least} sources)")
    return [_source(op, args, i, f"{i + 1}") for i in range(len(args))]


def _merge_gen(srcs: list[HIter]) -> Iterator[Any]:
    live = deque(srcs)
    while live:
        it = live.popleft()
        got, v = it.next_item()
        if got:
            live.append(it)
            yield v


def _merge(*args: Any) -> HIter:
    return HIter(_merge_gen(_sources("merge", args, 1)))


def _interleave_gen(srcs: list[HIter]) -> Iterator[Any]:
    while True:
        for it in srcs:
            got, v = it.next_item()
            if not got:
                return
            yield v


def _interleave(*args: Any) -> HIter:
    return HIter(_interleave_gen(_sources("interleave", args, 2)))


def _zip_gen(a: HIter, b: HIter) -> Iterator[Any]:
    while True:
        got, x = a.next_item()
        if not got:
            return
        got, y = b.next_item()
        if not got:
            return
        yield Pair(x, y)


def _zip(*args: Any) -> HIter:
    return HIter(_zip_gen(_source("zip", args, 0, "a"), _source("zip", args, 1, "b")))


class _Tee:
    """Shared buffer of ``broadcast``: each branch reads every item once."""

    __slots__ = ("src", "buffers")

    def __init__(self, src: HIter, n: int) -> None:
        self.src = src
        self.buffers: list[deque[Any]] = [deque() for _ in range(n)]

    def branch(self, k: int) -> Iterator[Any]:
        mine = self.buffers[k]
        while True:
            if mine:
                yield mine.popleft()
                continue
            got, v = self.src.next_item()
            if not got:
                return
            for j, buf in enumerate(self.buffers):
                if j != k:
                    buf.append(v)
            yield v


def _broadcast(*args: Any) -> list[HIter]:
    src = _source("broadcast", args, 0)
    n = _count("broadcast", args, 1, "n")
    tee = _Tee(src, n)
    return [HIter(tee.branch(k)) for k in range(n)]


def _race_gen(srcs: list[HIter]) -> Iterator[Any]:
    for it in srcs:
        got, v = it.next_item()
        if got:
            yield v
            yield from it
            return


def _race(*args: Any) -> HIter:
    return HIter(_race_gen(_sources("race", args, 1)))


def _throttle_gen(src: HIter, per_second: float) -> Iterator[Any]:
    gap = 1.0 / per_second if per_second > 0 else 0.0
    last: float | None = None
    for x in src:
        if last is not None and gap > 0:
            wait = last + gap - time.monotonic()
            if wait > 0:
                _pause(wait)
        last = time.monotonic()
        yield x


def _throttle(*args: Any) -> HIter:
    src = _source("throttle", args, 0)
    return HIter(_throttle_gen(src, _number("throttle", args, 1, "per_second")))


def _pause(secs: float) -> None:
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))
        deadlines.check()


def _ready(raw: Any, it: HIter) -> Iterator[Any]:
    """Items available without waiting: buffered values of a channel, else the rest."""
    if type(raw) is Channel:
        while True:
            got, v = take_now(raw)
            if not got:
                return
            yield v
    else:
        yield from it


def _debounce_gen(raw: Any, src: HIter, window: float) -> Iterator[Any]:
    while True:
        got, latest = src.next_item()
        if not got:
            return
        if window > 0:
            _pause(window / 1000)
        for v in _ready(raw, src):
            latest = v
        yield latest


def _debounce(*args: Any) -> HIter:
    src = _source("debounce", args, 0)
    return HIter(_debounce_gen(args[0], src, _number("debounce", args, 1, "window_ms")))


# --------------------------------------------------------------------------- sinks


def _collect(*args: Any) -> list[Any]:
    src = _source("collect", args, 0)
    limit: Any = args[1] if len(args) > 1 else None
    if type(limit) is dict:
        limit = limit.get("max")
    if limit is None:
        limit = 10000
    elif type(limit) is not int or limit < 0:
        raise type_error(f"stream.collect: argument max must be a non-negative int, "
                         f"got {type_of(limit)}")
    out: list[Any] = []
    while len(out) < limit:
        got, v = src.next_item()
        if not got:
            break
        out.append(v)
    return out


def _fold(*args: Any) -> Any:
    src = _source("fold", args, 0)
    acc = _arg("fold", args, 1, "init")
    f = _fn("fold", args, 2, "f")
    for x in src:
        acc = f(acc, x)
    return acc


def _first(*args: Any) -> Any:
    return _source("first", args, 0).next_item()[1]


OPS: dict[str, Callable[..., Any]] = {
    "map": _map, "filter": _filter, "tap": _tap, "scan": _scan, "take": _take,
    "take_until": _take_until, "merge": _merge, "interleave": _interleave, "zip": _zip,
    "broadcast": _broadcast, "race": _race, "throttle": _throttle, "debounce": _debounce,
    "collect": _collect, "fold": _fold, "first": _first,
}  # fmt: skip


def stream_namespace() -> dict[str, Any]:
    """The value of the global ``stream`` (a fresh dict per run: scripts may modify it)."""
    return {name: BuiltinRef("stream." + name, fn) for name, fn in OPS.items()}


CONSTANTS["stream"] = stream_namespace()
