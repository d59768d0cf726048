"""Tier 2 tasks with sequential semantics (language.md §16.1).

``spawn { body }`` runs the body at once, to completion, and returns a
handle holding its value or its error; ``await(h)`` gives the value or
re-raises the error (a second ``await`` gives nil); ``cancel(h)`` has nothing
left to stop. Output printed by the body appears when it happens (§17.9).

``parallel`` runs its copies one after another in index order, which is
also their completion order, so results are in order, the first error (by
index) propagates from ``parallel(n)`` / ``parallel each`` (later copies do
not run), ``settle`` collects every outcome, and ``parallel each ... as
stream`` gives a stream of the results whose pull reaching a failed copy
raises its error. ``max_concurrent`` is evaluated and checked, but with one
copy running at a time every limit is already met.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from vm.runtime import ops
from vm.runtime.display import register_value_type, type_of
from vm.runtime.errors import type_error
from vm.runtime.streams import HStream
from vm.runtime.values import EnumValue

_IDS = itertools.count(1)


class TaskHandle:
    __slots__ = ("id", "value", "error", "awaited", "cancelled")

    def __init__(self) -> None:
        self.id = next(_IDS)
        self.value: Any = None
        self.error: BaseException | None = None
        self.awaited = False
        self.cancelled = False


register_value_type(TaskHandle, "task_handle", lambda t: f"<task:{t.id}>")


def spawn(body: Callable[[], Any]) -> TaskHandle:
    task = TaskHandle()
    try:
        task.value = body()
    except Exception as exc:  # noqa: BLE001 - re-raised by await
        task.error = exc
    return task


def _stream_of(outcomes: list[tuple[bool, Any]]) -> Iterator[Any]:
    for ok, v in outcomes:
        if not ok:
            raise v
        yield v


def parallel(mode: str, operand: Any, fn: Callable[..., Any], limit: Any = None,
             as_stream: bool = False) -> Any:
    """``parallel(n)`` (mode ""), ``parallel each`` and ``parallel settle``."""
    if limit is not None and type(limit) not in (int, float):
        raise type_error(f"parallel: max_concurrent must be an int, got {type_of(limit)}")
    if mode == "":
        if type(operand) is not int:
            raise type_error(f"parallel: expected an int count, got {type_of(operand)}")
        return [fn(i) for i in range(operand)]
    items = list(ops.iterate(operand))
    if mode == "each":
        if as_stream:
            outcomes: list[tuple[bool, Any]] = []
            for x in items:
                try:
                    outcomes.append((True, fn(x)))
                except Exception as exc:  # noqa: BLE001 - raised at the pull
                    outcomes.append((False, exc))
            return HStream(_stream_of(outcomes))
        return [fn(x) for x in items]
    from vm.failures import error_value

    results = []
    ok = failed = 0
    for x in items:
        try:
            results.append(EnumValue("Result", "Ok", (fn(x),)))
            ok += 1
        except Exception as exc:  # noqa: BLE001 - settle never throws
            results.append(EnumValue("Result", "Err", (error_value(exc),)))
            failed += 1
    return {"results": results, "succeeded": ok, "failed": failed}


def _task(h: Any, name: str) -> TaskHandle:
    if type(h) is not TaskHandle:
        raise type_error(f"{name}: expected task_handle")
    return h


def await_(h: Any = None, *_rest: Any) -> Any:
    task = _task(h, "await")
    if task.awaited:
        return None
    task.awaited = True
    if task.error is not None:
        raise task.error
    return task.value


def cancel(h: Any = None, *_rest: Any) -> None:
    _task(h, "cancel").cancelled = True


def is_cancelled(h: Any = None, *_rest: Any) -> bool:
    return _task(h, "is_cancelled").cancelled


TASK_BUILTINS = {
    "await": await_,
    "cancel": cancel,
    "cancel_graceful": cancel,
    "is_cancelled": is_cancelled,
}
