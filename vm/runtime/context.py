"""The execution context of one script run: streams, argv and limits.

Builtins that do I/O (``print``, ``eprint``, ``read_line``...) write through
:func:`current`, never to ``sys.stdout`` directly, so an embedding host can
capture output per run. Runs nest (a host function may run another script),
so contexts form a stack, one per thread; the CLI and :mod:`vm.api` push one
per run.

Limits live here too: ``deadline`` is a ``time.monotonic()`` instant or
``None``; generated code compiled with deadline checks reads it through
:func:`check_deadline`.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, TextIO


class LimitExceeded(BaseException):
    """A run limit was hit. Not an ``Exception``: no script ``catch`` sees it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class ExecContext:
    stdout: TextIO
    stderr: TextIO
    argv: list[str] = field(default_factory=list)
    deadline: float | None = None
    timeout: float | None = None
    max_depth: int | None = None
    path: str = "<script>"
    extra: dict[str, Any] = field(default_factory=dict)

    def write(self, text: str) -> None:
        self.stdout.write(text)

    def ewrite(self, text: str) -> None:
        out = self.stdout
        try:
            out.flush()
        except (OSError, ValueError):
            pass
        self.stderr.write(text)


class _Stacks(threading.local):
    def __init__(self) -> None:
        self.stack: list[ExecContext] = []


_LOCAL = _Stacks()  # one stack per thread: hosts may run scripts in several threads
_DEFAULT = ExecContext(sys.stdout, sys.stderr)


def current() -> ExecContext:
    """The innermost running context of this thread (a default bound to the
    process streams when no run is active)."""
    stack = _LOCAL.stack
    return stack[-1] if stack else _DEFAULT


def push(ctx: ExecContext) -> None:
    _LOCAL.stack.append(ctx)


def pop(ctx: ExecContext) -> None:
    stack = _LOCAL.stack
    if stack and stack[-1] is ctx:
        stack.pop()
    elif ctx in stack:
        stack.remove(ctx)


def check_deadline() -> None:
    """Raise :class:`LimitExceeded` when the current run is past its deadline."""
    ctx = current()
    if ctx.deadline is not None and time.monotonic() > ctx.deadline:
        raise LimitExceeded(f"Runtime error: time limit of {ctx.timeout:g}s exceeded")
