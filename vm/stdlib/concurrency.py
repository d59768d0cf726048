"""Atomics, ``sleep``, circuit breakers and timers (stdlib.md §20.1, §20.2), Tier 2.

An :class:`Atomic` is an integer cell with shared identity (``type_of`` is
``atomic``, prints ``<atomic:N>``, truthy, never ``==``); each operation
holds the cell's own lock, so read-modify-write steps are atomic when task
bodies run on threads. Values stored are ints: a float is truncated toward
zero, a bool is 0/1 and anything else counts as 0.

``sleep`` really sleeps (it ignores ``mock_time``), in short slices that
check the run's deadline. Circuit breakers and timers read the clock of
clock.py, so ``mock_time``/``advance_time`` drive them in tests. Breaker
state is process-wide, keyed by name and guarded by one lock.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from vm.runtime import deadlines
from vm.runtime.display import register_value_type, type_of
from vm.runtime.values import Duration
from vm.stdlib.clock import monotonic_ms, now_ms
from vm.stdlib.common import MISSING, s, s_or, throw
from vm.stdlib.host import HOST
from vm.stdlib.registry import builtin

# --------------------------------------------------------------------------- atomics


def as_int(v: Any) -> int:
    """The integer an atomic stores for ``v``."""
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return 1 if v else 0
    if t is float and math.isfinite(v):
        return int(v)
    return 0


class Atomic:
    __slots__ = ("value", "lock")

    def __init__(self, value: int) -> None:
        self.value = value
        self.lock = threading.Lock()

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<atomic:{self.value}>"


register_value_type(Atomic, "atomic", lambda a: f"<atomic:{a.value}>")


@builtin("atomic", "(initial?: int = 0) -> atomic",
         "An integer cell (float truncated, bool -> 0/1).", "T2")
def atomic(initial: Any = 0, *_: Any) -> Atomic:
    return Atomic(as_int(initial))


@builtin("atomic_get", "(a: atomic) -> int", "The cell's value (nil for a non-atomic).", "T2")
def atomic_get(a: Any = None, *_: Any) -> int | None:
    if type(a) is not Atomic:
        return None
    with a.lock:
        return a.value


@builtin("atomic_set", "(a: atomic, v: int) -> int", "Set the cell; returns the old value.", "T2")
def atomic_set(a: Any = None, v: Any = None, *_: Any) -> int | None:
    if type(a) is not Atomic:
        return None
    new = as_int(v)
    with a.lock:
        old, a.value = a.value, new
    return old


@builtin("atomic_add", "(a: atomic, d: int) -> int", "Add d to the cell; returns the old value.",
         "T2")
def atomic_add(a: Any = None, d: Any = None, *_: Any) -> int | None:
    if type(a) is not Atomic:
        return None
    step = as_int(d)
    with a.lock:
        old = a.value
        a.value = old + step
    return old


@builtin("atomic_cas", "(a: atomic, expected: int, new: int) -> bool",
         "Set the cell to new when it holds expected; true when it did.", "T2")
def atomic_cas(a: Any = None, expected: Any = None, new: Any = None, *_: Any) -> bool:
    if type(a) is not Atomic:
        return False
    want, value = as_int(expected), as_int(new)
    with a.lock:
        if a.value != want:
            return False
        a.value = value
        return True


# --------------------------------------------------------------------------- sleep

_SLICE = 0.05


@builtin("sleep", "(t: any) -> nil",
         "Suspend the current task for t (ms or a duration); ignores mock_time.", "T2")
def sleep(t: Any = None, *_: Any) -> None:
    if type(t) is Duration:
        secs = t.ms / 1000
    elif type(t) in (int, float) and t == t:
        secs = t / 1000
    elif t is None:
        return
    else:
        raise throw(f"sleep: expected milliseconds or a duration, got {type_of(t)}")
    if secs <= 0:
        return
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        block = deadlines.next_end()  # an enclosing ``deadline`` block cuts the sleep short
        if block is not None:
            left = min(left, max(0.0, block - time.monotonic()))
        time.sleep(min(left, _SLICE))
        deadlines.check()


# --------------------------------------------------------------------------- circuit breakers


@dataclass(slots=True)
class Breaker:
    threshold: int = 5
    reset_ms: int = 30000
    failures: int = 0
    opened_at: int | None = None  # monotonic ms when it opened; None while closed


_BREAKERS: dict[str, Breaker] = {}
_BREAKER_LOCK = threading.Lock()


def _breaker(name: str) -> Breaker:
    b = _BREAKERS.get(name)
    if b is None:
        b = _BREAKERS[name] = Breaker()
    return b


def _state(b: Breaker) -> str:
    if b.opened_at is None:
        return "closed"
    if monotonic_ms() - b.opened_at >= b.reset_ms:
        return "half_open"
    return "open"


@builtin("circuit_breaker", "(name?: ~str, threshold?: int = 5, reset_ms?: int = 30000) -> string",
         "Create (or reconfigure) a circuit breaker; returns its name.", "T2")
def circuit_breaker(name: Any = None, threshold: Any = None, reset_ms: Any = None, *_: Any
                    ) -> str:
    n = s_or(name, "default")
    with _BREAKER_LOCK:
        b = _breaker(n)
        b.threshold = max(1, threshold) if type(threshold) is int else 5
        b.reset_ms = max(0, reset_ms) if type(reset_ms) is int else 30000
    return n


@builtin("circuit_check", "(name: ~str) -> string",
         "closed (also for unknown names), open, or half_open once reset_ms passed.", "T2")
def circuit_check(name: Any = None, *_: Any) -> str:
    with _BREAKER_LOCK:
        b = _BREAKERS.get(s_or(name, "default"))
        return "closed" if b is None else _state(b)


@builtin("circuit_record_success", "(name: ~str) -> nil",
         "Record a success: the breaker closes and its failure count resets.", "T2")
def circuit_record_success(name: Any = None, *_: Any) -> None:
    with _BREAKER_LOCK:
        b = _breaker(s_or(name, "default"))
        b.failures = 0
        b.opened_at = None


@builtin("circuit_record_failure", "(name: ~str) -> nil",
         "Record a failure: the breaker opens at threshold failures.", "T2")
def circuit_record_failure(name: Any = None, *_: Any) -> None:
    with _BREAKER_LOCK:
        b = _breaker(s_or(name, "default"))
        b.failures += 1
        if b.failures >= b.threshold or (b.opened_at is not None and _state(b) == "half_open"):
            b.opened_at = monotonic_ms()


@builtin("circuit_reset", "(name: ~str) -> nil", "Close a breaker and forget its failures.",
         "T2")
def circuit_reset(name: Any = None, *_: Any) -> None:
    with _BREAKER_LOCK:
        b = _BREAKERS.get(s_or(name, "default"))
        if b is not None:
            b.failures = 0
            b.opened_at = None


# --------------------------------------------------------------------------- timers


@builtin("timer_start", "(name?: ~str = \"default\") -> dict",
         "Start a named timer: {name, start_ms}.", "T2")
def timer_start(name: Any = None, *_: Any) -> dict[str, Any]:
    return {"name": s_or(name, "default"), "start_ms": now_ms()}


@builtin("timer_end", "(timer: dict) -> int",
         "Print [timer] NAME: Nms and return the elapsed milliseconds.", "T2")
def timer_end(timer: Any = MISSING, *_: Any) -> int:
    if type(timer) is not dict or type(timer.get("start_ms")) is not int \
            or "name" not in timer:
        raise throw("timer_end: argument must be a timer dict from timer_start")
    ms = now_ms() - timer["start_ms"]
    HOST.out(f"[timer] {s(timer['name'])}: {ms}ms\n")
    return ms
