"""``deadline DUR { body }`` blocks (language.md §16.2) and the checks that end them.

The body of a deadline block is compiled inline (so ``return``, ``break`` and
assignments behave as in any block) between :func:`enter`, which pushes the
end instant (``time.monotonic()``) on the run's stack of block deadlines
(``ExecContext.extra["deadlines"]``), and :func:`leave`, which pops it in a
``finally``. The body's value is the block's value.

Interruption is cooperative, at the same points where the ``--timeout``
limit is enforced: a program that contains a ``deadline`` form is compiled
with the deadline checks of :mod:`vm.compiler` (function entry and every loop
iteration), which compare ``time.monotonic()`` with the namespace global
``$DL``. While a block runs, ``$DL`` holds the earliest of the run limit and
every open block's end, so the common path stays one comparison; when it
fires, :func:`limit_reached` decides which one passed: the run limit raises
the uncatchable :class:`LimitExceeded`, a block deadline throws the catchable
string ``Deadline exceeded``. Blocking builtins (``sleep``, channel waits)
call :func:`check` and bound their waits with :func:`next_end`, so
``deadline 50ms { sleep(10s) }`` ends after 50ms. A body that finishes
without reaching a check point returns its value even if it overran (as an
async runtime's timeout would, which only fires at a suspension point).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from vm.runtime.context import LimitExceeded, current
from vm.runtime.display import type_of
from vm.runtime.errors import ThrowError, type_error
from vm.runtime.values import Duration

MESSAGE = "Deadline exceeded"
_INF = float("inf")


def _stack() -> list[float]:
    ctx = current()
    stack = ctx.extra.get("deadlines")
    if stack is None:
        stack = ctx.extra["deadlines"] = []
    return stack


def _seconds(d: Any) -> float:
    t = type(d)
    if t is Duration:
        return d.ms / 1000
    if (t is int or t is float) and d == d:
        return d / 1000
    raise type_error(f"deadline: expected a duration, got {type_of(d)}")


def _publish(g: dict[str, Any], stack: list[float]) -> None:
    ctx = current()
    dl = min(stack) if stack else _INF
    if ctx.deadline is not None and ctx.deadline < dl:
        dl = ctx.deadline
    g["$DL"] = dl


class _Open:
    """One open deadline block: its end instant and the namespace whose ``$DL`` it set."""

    __slots__ = ("end", "globals")

    def __init__(self, end: float, g: dict[str, Any]) -> None:
        self.end = end
        self.globals = g


def enter(duration: Any) -> _Open:
    """``$deadline_enter``: open a block ending ``duration`` from now."""
    end = time.monotonic() + max(0.0, _seconds(duration))
    g = sys._getframe(1).f_globals  # the compiled script's namespace (holds ``$DL``)
    stack = _stack()
    stack.append(end)
    _publish(g, stack)
    return _Open(end, g)


def leave(block: _Open) -> None:
    """``$deadline_exit``: close the block (normally, by return or by error)."""
    stack = _stack()
    if stack and stack[-1] == block.end:
        stack.pop()
    elif block.end in stack:
        stack.remove(block.end)
    _publish(block.globals, stack)


def next_end() -> float | None:
    """The earliest open block deadline (a ``time.monotonic()`` instant), if any."""
    stack = current().extra.get("deadlines")
    return min(stack) if stack else None


def _block_passed() -> bool:
    stack = current().extra.get("deadlines")
    return bool(stack) and time.monotonic() >= min(stack)


def check() -> None:
    """Raise when the run limit or an open deadline block has passed."""
    ctx = current()
    if ctx.deadline is not None and time.monotonic() > ctx.deadline:
        raise LimitExceeded(f"Runtime error: time limit of {ctx.timeout:g}s exceeded")
    if _block_passed():
        raise ThrowError(MESSAGE)


def limit_reached() -> None:
    """``$limit``: a compiled deadline check saw ``$mono() > $DL``."""
    ctx = current()
    if ctx.deadline is not None and time.monotonic() > ctx.deadline:
        raise LimitExceeded(f"Runtime error: time limit of {ctx.timeout:g}s exceeded")
    if _block_passed():
        raise ThrowError(MESSAGE)
