"""Clock and duration builtins (stdlib.md §16, Tier 2; the date formatting family is not here).

Durations are :class:`Duration` values holding signed milliseconds. The
wall clock can be mocked (``mock_time``): then ``timestamp``/``now_ms``
report the frozen time, monotonic time starts at 0 and ``sleep_ms``
advances the mock instead of sleeping.
"""

from __future__ import annotations

import math
import time
from typing import Any

from vm.runtime.display import type_of
from vm.runtime.values import Duration
from vm.stdlib.common import throw
from vm.stdlib.registry import builtin

_START = time.monotonic()
_mock: list[int | None] = [None, 0]  # frozen wall ms, monotonic ms under the mock


def _wall_ms() -> int:
    m = _mock[0]
    return m if m is not None else time.time_ns() // 1_000_000


@builtin("timestamp", "() -> float", "Unix seconds with fraction.", "T2")
def timestamp(*_: Any) -> float:
    m = _mock[0]
    return m / 1000 if m is not None else time.time()


@builtin("now_ms", "() -> int", "Unix milliseconds.", "T2")
def now_ms(*_: Any) -> int:
    return _wall_ms()


@builtin("monotonic_ms", "() -> int", "Monotonic milliseconds.", "T2")
def monotonic_ms(*_: Any) -> int:
    if _mock[0] is not None:
        return _mock[1] or 0
    return int((time.monotonic() - _START) * 1000)


@builtin("elapsed", "() -> int", "Monotonic milliseconds since the VM started.", "T2")
def elapsed(*_: Any) -> int:
    return monotonic_ms()


@builtin("sleep_ms", "(ms: int) -> nil", "Sleep (advances a mocked clock instead).", "T2")
def sleep_ms(ms: Any = None, *_: Any) -> None:
    if type(ms) not in (int, float) or ms <= 0:
        return
    if _mock[0] is not None:
        _mock[0] += int(ms)
        _mock[1] = (_mock[1] or 0) + int(ms)
        return
    time.sleep(ms / 1000)


@builtin("mock_time", "(ms: int) -> nil", "Freeze wall time at ms.", "T2")
def mock_time(ms: Any = None, *_: Any) -> None:
    if type(ms) is not int:
        raise throw("mock_time(ms): expected an integer millisecond timestamp")
    _mock[0] = ms
    _mock[1] = 0


@builtin("advance_time", "(ms: int) -> int", "Move the mocked clock forward.", "T2")
def advance_time(ms: Any = None, *_: Any) -> int:
    if _mock[0] is None:
        raise throw("advance_time: no mock active. Call mock_time(ms) first.")
    step = ms if type(ms) is int else 0
    _mock[0] += step
    _mock[1] = (_mock[1] or 0) + step
    return _mock[0]


@builtin("unmock_time", "() -> nil", "Restore the real clock.", "T2")
def unmock_time(*_: Any) -> None:
    _mock[0] = None
    _mock[1] = 0


def _duration(name: str, unit_ms: int) -> None:
    def make(n: Any = None, *_: Any) -> Duration:
        t = type(n)
        if t is not int and t is not float:
            raise throw(f"{name}: expected number, got {type_of(n)}")
        value = n * unit_ms
        if t is float:
            if not math.isfinite(value):
                raise throw(f"{name}: duration overflow")
            value = round(value)
        if not -(2**63) <= value < 2**63:
            raise throw(f"{name}: duration overflow")
        return Duration(int(value))

    make.__name__ = name
    builtin(name, "(n: num) -> duration", f"n x {unit_ms}ms as a duration.", "T2")(make)


for _name, _unit in (("duration_ms", 1), ("duration_seconds", 1000), ("duration_minutes", 60_000),
                     ("duration_hours", 3_600_000), ("duration_days", 86_400_000)):
    _duration(_name, _unit)


def _need_duration(name: str, d: Any) -> Duration:
    if d is None:
        raise throw(f"{name}: missing duration argument")
    if type(d) is not Duration:
        raise throw(f"{name}: expected duration, got {type_of(d)}")
    return d


@builtin("duration_to_seconds", "(d: duration) -> int", "Whole seconds, truncated.", "T2")
def duration_to_seconds(d: Any = None, *_: Any) -> int:
    ms = _need_duration("duration_to_seconds", d).ms
    return int(ms / 1000) if ms >= 0 else -int(-ms / 1000)


@builtin("duration_to_human", "(d: duration) -> string", "Human text such as 1h 2m 5s.", "T2")
def duration_to_human(d: Any = None, *_: Any) -> str:
    ms = _need_duration("duration_to_human", d).ms
    if ms == 0:
        return "0s"
    sign = "-" if ms < 0 else ""
    rest = abs(ms)
    parts = []
    for size, unit in ((86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"),
                       (1, "ms")):
        q, rest = divmod(rest, size)
        if q:
            parts.append(f"{q}{unit}")
    return sign + " ".join(parts[:3])


def _timestamp_ms(name: str, dt: Any) -> int:
    if type(dt) is dict:
        dt = dt.get("timestamp")
    t = type(dt)
    if dt is None:
        raise throw(f"{name}: missing timestamp argument")
    if t is int:
        return dt * 1000
    if t is float:
        if not math.isfinite(dt):
            raise throw(f"{name}: timestamp must be finite")
        return round(dt * 1000)
    raise throw(f"{name}: expected timestamp number or date dict, got {type_of(dt)}")


def _as_timestamp(ms: int) -> int | float:
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


@builtin("date_add", "(dt: any, d: duration) -> int | float", "Timestamp plus a duration.", "T2")
def date_add(dt: Any = None, d: Any = None, *_: Any) -> int | float:
    base = _timestamp_ms("date_add", dt)
    return _as_timestamp(base + _need_duration("date_add", d).ms)


@builtin("date_diff", "(a: any, b: any) -> duration", "The signed duration a - b.", "T2")
def date_diff(a: Any = None, b: Any = None, *_: Any) -> Duration:
    return Duration(_timestamp_ms("date_diff", a) - _timestamp_ms("date_diff", b))
