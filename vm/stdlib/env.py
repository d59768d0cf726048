"""Environment and process builtins (stdlib.md §17).

``env``/``env_or`` read the host's environment mapping (host.py), which an
embedding host may replace. ``exit`` raises :class:`HarnExit`, a
``BaseException`` so no script ``catch`` intercepts it; the run command
flushes stdout and exits with its code. ``exec``/``shell`` run without
standard input and decode output lossily.
"""

from __future__ import annotations

import os
from typing import Any

from vm.lazymod import lazy
from vm.stdlib.common import MISSING, s, throw
from vm.stdlib.host import HOST
from vm.stdlib.registry import builtin

_platform = lazy("platform")  # imported on first use (start-up time)
subprocess = lazy("subprocess")


class HarnExit(BaseException):
    """Raised by ``exit(code)``: ends the run with ``code`` (never caught by scripts)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@builtin("env", "(name: ~str) -> string?", "An environment variable, or nil when unset.")
def env(name: Any = None, *_: Any) -> str | None:
    return HOST.getenv(s(name))


@builtin("env_or", "(name: ~str, default: any) -> any",
         "An environment variable if set, else default unchanged.")
def env_or(name: Any = None, default: Any = None, *_: Any) -> Any:
    v = HOST.getenv(s(name))
    return default if v is None else v


@builtin("cwd", "() -> string", "The working directory.", "T2")
def cwd(*_: Any) -> str:
    return os.getcwd()


def _script_dir() -> str:
    p = HOST.get_script_path()
    if p:
        return os.path.dirname(os.path.abspath(p))
    return os.getcwd()


@builtin("source_dir", "() -> string", "Directory of the running .harn file.", "T2")
def source_dir(*_: Any) -> str:
    return _script_dir()


@builtin("project_root", "() -> string?",
         "Nearest ancestor of the working directory containing harn.toml.", "T2")
def project_root(*_: Any) -> str | None:
    for start in (os.getcwd(), _script_dir()):
        d = start
        while True:
            if os.path.isfile(os.path.join(d, "harn.toml")):
                return d
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    return None


@builtin("execution_root", "() -> string", "Base directory for relative file paths.", "T2")
def execution_root(*_: Any) -> str:
    return os.getcwd()


@builtin("asset_root", "() -> string", "Base directory for templates.", "T2")
def asset_root(*_: Any) -> str:
    return _script_dir()


@builtin("home_dir", "() -> string", "The home directory (HOME), \"\" if unset.", "T2")
def home_dir(*_: Any) -> str:
    return HOST.getenv("HOME") or HOST.getenv("USERPROFILE") or ""


@builtin("username", "() -> string", "The current user name.", "T2")
def username(*_: Any) -> str:
    return HOST.getenv("USER") or HOST.getenv("USERNAME") or ""


@builtin("hostname", "() -> string", "The machine's host name.", "T2")
def hostname(*_: Any) -> str:
    return _platform.node()


@builtin("platform", "() -> string", "darwin, linux, windows or the OS name.", "T2")
def platform(*_: Any) -> str:
    name = _platform.system().lower()
    return name or "unknown"


@builtin("arch", "() -> string", "The CPU architecture (x86_64, aarch64, ...).", "T2")
def arch(*_: Any) -> str:
    m = _platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(m, m)


@builtin("pid", "() -> int", "The process id.", "T2")
def pid(*_: Any) -> int:
    return os.getpid()


@builtin("exit", "(code?: int = 0) -> never", "End the process with code.", "T2")
def exit_(code: Any = None, *_: Any) -> Any:
    raise HarnExit(code if type(code) is int else 0)


def _run(argv: list[str] | str, shell: bool, cwd_dir: str | None) -> dict[str, Any]:
    try:
        proc = subprocess.run(
            argv, shell=shell, cwd=cwd_dir, capture_output=True, stdin=subprocess.DEVNULL,
            check=False,
        )
    except OSError as exc:
        return {"stdout": "", "stderr": str(exc), "status": -1, "success": False}
    status = proc.returncode if proc.returncode >= 0 else -1
    return {
        "stdout": proc.stdout.decode("utf-8", "replace"),
        "stderr": proc.stderr.decode("utf-8", "replace"),
        "status": status,
        "success": status == 0,
    }


@builtin("exec", "(cmd: ~str, ...args: ~str) -> dict",
         "Run a program directly: {stdout, stderr, status, success}.", "T2")
def exec_(cmd: Any = MISSING, *args: Any) -> dict[str, Any]:
    if cmd is MISSING or cmd is None:
        raise throw("exec: command is required")
    return _run([s(cmd), *[s(a) for a in args]], False, None)


@builtin("shell", "(cmd: ~str) -> dict", "Run a command through sh -c.", "T2")
def shell(cmd: Any = None, *_: Any) -> dict[str, Any]:
    text = "" if cmd is None else s(cmd)
    if not text:
        raise throw("shell: command string is required")
    return _run(text, True, None)


@builtin("exec_at", "(dir: ~str, cmd: ~str, ...args: ~str) -> dict",
         "exec in working directory dir.", "T2")
def exec_at(d: Any = None, cmd: Any = MISSING, *args: Any) -> dict[str, Any]:
    if cmd is MISSING or cmd is None:
        raise throw("exec: command is required")
    return _run([s(cmd), *[s(a) for a in args]], False, s(d))


@builtin("shell_at", "(dir: ~str, cmd: ~str) -> dict", "shell in working directory dir.", "T2")
def shell_at(d: Any = None, cmd: Any = None, *_: Any) -> dict[str, Any]:
    text = "" if cmd is None else s(cmd)
    if not text:
        raise throw("shell: command string is required")
    return _run(text, True, s(d))
