"""Tier 2 tasks with sequential semantics (language.md §16.1).

``spawn { body }`` runs the body at once, to completion, and returns a
handle holding its value or its error; ``await(h)`` gives the value or
re-raises the error (a second ``await`` gives nil); ``cancel(h)`` has nothing
left to stop. Output printed by the body appears when it happens (§17.9).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from vm.runtime.display import register_value_type
from vm.runtime.errors import type_error

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
