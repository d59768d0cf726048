"""Where the native stdlib meets the embedding host: output streams, environment, argv.

Builtins never touch ``sys.stdout`` or ``os.environ`` directly; they go
through :data:`HOST`, a single mutable record. By default it delegates to the
VM's execution context (``vm.runtime.context.current()``: the run's stdout,
stderr — flushing stdout first — and argv), so a host capturing output per
run needs nothing more; ``bind_host`` can still repoint streams or supply an
environment mapping (the process environment otherwise).

Writes are looked up as ``HOST.out(text)`` at each call, so contexts can
change between runs without the builtins holding stale references.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vm.runtime.context import current


def _stdout_write(text: str) -> Any:
    return current().stdout.write(text)


def _stderr_write(text: str) -> Any:
    return current().ewrite(text)


@dataclass(slots=True)
class StdlibHost:
    """The capabilities the stdlib reads from the host (one per process, repointed per run)."""

    out: Callable[[str], Any] = _stdout_write
    err: Callable[[str], Any] = _stderr_write
    env: Mapping[str, str] | None = None  # None: the process environment
    argv: list[str] | None = None  # None: the execution context's argv
    script_path: str | None = None  # None: the execution context's path
    denied: frozenset[str] = frozenset()  # builtins disabled by the host (§0.7)

    def getenv(self, name: str) -> str | None:
        env = self.env
        if env is None:
            env = current().extra.get("env") or os.environ
        return env.get(name)

    def get_argv(self) -> list[str]:
        return list(current().argv if self.argv is None else self.argv)

    def get_script_path(self) -> str | None:
        if self.script_path is not None:
            return self.script_path
        path = current().path
        return None if path.startswith("<") else path


HOST = StdlibHost()


def bind_host(
    out: Callable[[str], Any] | None = None,
    err: Callable[[str], Any] | None = None,
    env: Mapping[str, str] | None = None,
    argv: list[str] | None = None,
    script_path: str | None = None,
) -> StdlibHost:
    """Point the stdlib at a run's streams and environment; returns the previous settings."""
    previous = StdlibHost(HOST.out, HOST.err, HOST.env, HOST.argv, HOST.script_path, HOST.denied)
    if out is not None:
        HOST.out = out
    if err is not None:
        HOST.err = err
    HOST.env = env
    if argv is not None:
        HOST.argv = argv
    HOST.script_path = script_path
    return previous


def restore_host(previous: StdlibHost) -> None:
    HOST.out = previous.out
    HOST.err = previous.err
    HOST.env = previous.env
    HOST.argv = previous.argv
    HOST.script_path = previous.script_path
    HOST.denied = previous.denied
