"""Channels and ``select`` (stdlib.md §20.1, language.md §16.3), Tier 2.

A :class:`Channel` is a bounded FIFO with shared identity (``type_of`` is
``channel``, prints ``<channel:NAME>``, never ``==`` to anything, truthy).
All channel state is guarded by one process-wide condition variable
(:data:`_COND`): every state change notifies it, and a waiter re-checks its
own readiness after each wake-up. One lock keeps ``select`` over several
channels simple and race-free; channel traffic is never the hot path of a
script.

Blocking and deadlock. ``send`` on a full channel and ``receive`` on an
empty open one wait, as the spec says, but only while some other
participant could still change things. Participants are the main run plus
every task running on its own thread (a threaded ``spawn``/``parallel``
registers them with :func:`task_started`/:func:`task_finished`); a thread
waiting without a timeout counts as *blocked*. When every participant is
blocked, nobody can ever make progress, so the waiter fails at once with a
runtime error instead of hanging::

    Runtime error: receive: channel 'jobs' is empty and no other task can send to it

Today the VM runs task bodies sequentially, so there is exactly one
participant and these operations fail immediately rather than wait. Waits
with a timeout (``channel_select(chs, 50ms)``) are never deadlocks: they
sleep until the timeout. Waiting loops also poll the run's deadline
(:func:`vm.runtime.deadlines.check`) so ``--timeout`` and ``deadline`` blocks still work.

``select_ready`` is the runtime half of the ``select { v from ch { } ... }``
statement (see its docstring for the contract the compiler relies on).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vm.runtime import deadlines
from vm.runtime.display import register_value_type, type_of
from vm.runtime.errors import runtime_error, type_error
from vm.runtime.ops import register_iterable
from vm.runtime.values import Duration
from vm.stdlib.common import MISSING, s_or, throw
from vm.stdlib.registry import builtin

_COND = threading.Condition(threading.Lock())
_POLL = 0.05  # seconds between re-checks of deadlines and participants while waiting


class _Scheduler:
    """Counts who could still make progress (guarded by ``_COND``)."""

    participants = 1  # the main run
    blocked = 0


_SCHED = _Scheduler()


def task_started() -> None:
    """A task body starts running on its own thread (threaded spawn/parallel)."""
    with _COND:
        _SCHED.participants += 1
        _COND.notify_all()


def task_finished() -> None:
    """A threaded task body ended (normally or not)."""
    with _COND:
        _SCHED.participants -= 1
        _COND.notify_all()


@contextmanager
def blocking() -> Iterator[None]:
    """Mark the current thread as blocked for the duration (e.g. ``await`` on a thread).

    Lets a future threaded runtime count non-channel waits in the deadlock
    test. Must not be held while calling channel operations.
    """
    with _COND:
        _SCHED.blocked += 1
        _COND.notify_all()
    try:
        yield
    finally:
        with _COND:
            _SCHED.blocked -= 1
            _COND.notify_all()


class Channel:
    """A bounded FIFO; ``items``/``closed`` are read and written under ``_COND`` only."""

    __slots__ = ("name", "capacity", "items", "closed")

    def __init__(self, name: str, capacity: int) -> None:
        self.name = name
        self.capacity = capacity
        self.items: deque[Any] = deque()
        self.closed = False

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<channel:{self.name}>"


register_value_type(Channel, "channel", lambda ch: "<channel:" + ch.name + ">")


def _wait(ready: Any, deadline: float | None, stuck: str) -> bool:
    """Wait (holding ``_COND``) until ``ready()`` is true; False when ``deadline`` passed.

    ``deadline`` is a ``time.monotonic()`` instant or None (no timeout). An
    untimed wait that would be the last participant to block raises the
    runtime error ``stuck``.
    """
    if ready():
        return True
    if deadline is None:
        _SCHED.blocked += 1
    try:
        while True:
            block = deadlines.next_end()  # an enclosing ``deadline`` block ends the wait
            if deadline is None and _SCHED.blocked >= _SCHED.participants and block is None:
                raise runtime_error(stuck)
            slice_ = _POLL
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                slice_ = min(slice_, left)
            if block is not None:
                slice_ = min(slice_, max(0.0, block - time.monotonic()))
            _COND.wait(slice_)
            if ready():
                return True
            _COND.release()
            try:
                deadlines.check()
            finally:
                _COND.acquire()
    finally:
        if deadline is None:
            _SCHED.blocked -= 1


# --------------------------------------------------------------------------- builtins


def _capacity(v: Any) -> int:
    if type(v) is int:
        return max(1, v)
    if type(v) is float and v == v and v not in (float("inf"), float("-inf")):
        return max(1, int(v))
    return 256


@builtin("channel", "(name?: ~str = \"default\", capacity?: int = 256) -> channel",
         "A bounded FIFO channel (capacity >= 1).", "T2")
def channel(name: Any = None, capacity: Any = None, *_: Any) -> Channel:
    return Channel(s_or(name, "default"), _capacity(capacity))


def _need(name: str, ch: Any) -> Channel:
    if ch is MISSING:
        raise throw(f"{name}: requires a channel")
    if type(ch) is not Channel:
        raise throw(f"{name}: first argument must be a channel")
    return ch


def put(ch: Channel, v: Any) -> bool:
    """Send ``v`` (waiting while full); False once the channel is closed."""
    with _COND:
        if ch.closed:
            return False
        if len(ch.items) >= ch.capacity:
            _wait(lambda: ch.closed or len(ch.items) < ch.capacity, None,
                  f"send: channel '{ch.name}' is full and no other task can receive from it")
            if ch.closed:
                return False
        ch.items.append(v)
        _COND.notify_all()
        return True


def take(ch: Channel) -> tuple[bool, Any]:
    """``(True, value)`` for the next value (waiting for one); ``(False, nil)`` when
    the channel is closed and drained."""
    with _COND:
        if not ch.items and not ch.closed:
            _wait(lambda: bool(ch.items) or ch.closed, None,
                  f"receive: channel '{ch.name}' is empty and no other task can send to it")
        if ch.items:
            v = ch.items.popleft()
            _COND.notify_all()
            return True, v
        return False, None


def take_now(ch: Channel) -> tuple[bool, Any]:
    """``(True, value)`` for a buffered value, else ``(False, nil)``; never waits."""
    with _COND:
        if ch.items:
            v = ch.items.popleft()
            _COND.notify_all()
            return True, v
        return False, None


@builtin("send", "(ch: channel, v: any) -> bool",
         "Send a value, waiting while the channel is full (false once closed).", "T2")
def send(ch: Any = MISSING, v: Any = MISSING, *_: Any) -> bool:
    if ch is MISSING or v is MISSING:
        raise throw("send: requires channel and value")
    if type(ch) is not Channel:
        raise throw("send: first argument must be a channel")
    return put(ch, v)


@builtin("receive", "(ch: channel) -> any",
         "Receive a value, waiting for one (nil when closed and drained).", "T2")
def receive(ch: Any = MISSING, *_: Any) -> Any:
    return take(_need("receive", ch))[1]


@builtin("try_receive", "(ch: channel) -> any", "The next value, or nil without waiting.", "T2")
def try_receive(ch: Any = MISSING, *_: Any) -> Any:
    return take_now(_need("try_receive", ch))[1]


@builtin("close_channel", "(ch: channel) -> nil",
         "Close a channel: later sends return false, buffered values stay receivable.", "T2")
def close_channel(ch: Any = MISSING, *_: Any) -> None:
    c = _need("close_channel", ch)
    with _COND:
        c.closed = True
        _COND.notify_all()


def _drain(ch: Channel) -> Iterator[Any]:
    """``for x in ch`` / ``iter(ch)``: received values until closed and drained."""
    while True:
        got, v = take(ch)
        if not got:
            return
        yield v


register_iterable(Channel, _drain)


# --------------------------------------------------------------------------- select


def _poll(chs: list[Channel]) -> tuple[int, Any] | None:
    """Under ``_COND``: the first channel (in order) holding a value, ``(-1, nil)`` when
    all are closed and drained, or None when none is ready yet."""
    all_closed = True
    for i, ch in enumerate(chs):
        if ch.items:
            v = ch.items.popleft()
            _COND.notify_all()
            return i, v
        if not ch.closed:
            all_closed = False
    return (-1, None) if all_closed else None


def _select(chs: list[Channel], deadline: float | None, who: str) -> tuple[int, Any] | None:
    """The first ready channel; ``(-1, nil)`` when all are closed; None on timeout."""
    with _COND:
        hit = _poll(chs)
        if hit is not None:
            return hit
        box: list[tuple[int, Any] | None] = [None]

        def ready() -> bool:
            box[0] = _poll(chs)
            return box[0] is not None

        names = ", ".join(f"'{c.name}'" for c in chs)
        stuck = f"{who}: no channel among {names} has a value and no other task can send"
        if not _wait(ready, deadline, stuck):
            return None
        return box[0]


def _result(chs: list[Channel], hit: tuple[int, Any]) -> dict[str, Any]:
    i, v = hit
    return {"index": i, "value": v, "channel": chs[i].name if i >= 0 else None}


@builtin("select", "(...chs: channel) -> dict",
         "Wait for the first channel with a value: {index, value, channel}.", "T2")
def select(*chs: Any) -> dict[str, Any]:
    if not chs:
        raise throw("select: requires at least one channel")
    if any(type(c) is not Channel for c in chs):
        raise throw("select: all arguments must be channels")
    lst = list(chs)
    hit = _select(lst, None, "select")
    assert hit is not None
    return _result(lst, hit)


def timeout_seconds(name: str, t: Any) -> float | None:
    """A timeout argument (int/float ms or duration) in seconds; None when absent."""
    if t is None or t is MISSING:
        return None
    if type(t) is Duration:
        return t.ms / 1000
    if type(t) in (int, float) and t == t:
        return t / 1000
    raise throw(f"{name}: timeout must be milliseconds or a duration, got {type_of(t)}")


@builtin("channel_select", "(chs: list, timeout?: any) -> dict?",
         "select over a list of channels; nil on timeout or when all are closed.", "T2")
def channel_select(chs: Any = None, timeout: Any = None, *_: Any) -> dict[str, Any] | None:
    if type(chs) is not list or any(type(c) is not Channel for c in chs):
        raise throw("channel_select: first argument must be a list of channels")
    secs = timeout_seconds("channel_select", timeout)
    if not chs:
        return None
    deadline = None if secs is None else time.monotonic() + max(0.0, secs)
    hit = _select(chs, deadline, "channel_select")
    if hit is None or hit[0] < 0:
        return None
    return _result(chs, hit)


SELECT_DEFAULT = -1
"""``select_ready`` result index: run the ``default`` or ``timeout`` case."""
SELECT_CLOSED = -2
"""``select_ready`` result index: every channel is closed and drained."""


def select_ready(cases: list[Any], timeout: Any = None, has_default: bool = False
                 ) -> tuple[int, Any]:
    """Runtime half of the ``select`` statement (language.md §16.3).

    ``cases`` are the values of the ``name from EXPR`` cases in source order;
    ``timeout`` is the value of the ``timeout EXPR`` case (int/float ms or a
    duration; None when there is none); ``has_default`` says a ``default``
    case exists (the parser forbids combining it with ``timeout``).

    Returns ``(i, value)`` when case ``i`` received ``value`` (the first
    ready case in source order wins); ``(SELECT_DEFAULT, nil)`` when no case
    was ready and the default case should run (at once) or the timeout
    elapsed; ``(SELECT_CLOSED, nil)`` when every channel is closed and
    drained (the compiler runs the default case if any, else nothing).
    Without default or timeout it waits; a wait no other task can end raises
    the runtime error described in the module docstring. A case value that is
    not a channel: ``Type error: select: case expression must be a channel,
    got <type>``.
    """
    chs: list[Channel] = []
    for c in cases:
        if type(c) is not Channel:
            raise type_error(f"select: case expression must be a channel, got {type_of(c)}")
        chs.append(c)
    secs = timeout_seconds("select", timeout)
    if has_default:
        deadline: float | None = time.monotonic()
    elif secs is not None:
        deadline = time.monotonic() + max(0.0, secs)
    else:
        deadline = None
    if not chs:
        if deadline is None:
            return SELECT_CLOSED, None
        left = deadline - time.monotonic()
        if left > 0:
            time.sleep(left)
        return SELECT_DEFAULT, None
    hit = _select(chs, deadline, "select")
    if hit is None:
        return SELECT_DEFAULT, None
    if hit[0] < 0:
        return SELECT_CLOSED, None
    return hit
