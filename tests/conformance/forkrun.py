"""Run ``lang run NAME.harn`` in a forked copy of the test process.

A fresh ``python -m lang.cli`` costs ~150 ms of interpreter start-up and
imports per program; a fork of this already-warm process costs a few ms and
keeps the isolation that matters (own recursion limit, globals, file
descriptors, exit status). Set ``LANG_TEST_SUBPROCESS=1`` (or run where
``fork`` is missing) to use real subprocesses instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT = 60
USE_FORK = hasattr(os, "fork") and not os.environ.get("LANG_TEST_SUBPROCESS")

if USE_FORK:  # warm the imports every child would otherwise repeat
    import lang.cli  # noqa: F401
    import typechecker.api  # noqa: F401
    import vm.api  # noqa: F401
    import vm.cli  # noqa: F401
    import vm.stdlib  # noqa: F401


def run_lang(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``lang ARGS`` in ``cwd`` with ``env``, stdin from /dev/null, output captured."""
    if not USE_FORK:
        return subprocess.run([sys.executable, "-m", "lang.cli", *args], cwd=cwd,
                              capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              stdin=subprocess.DEVNULL)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            _child(args, cwd, env, out.fileno(), err.fileno())
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            args, code, out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"))


def _child(args: list[str], cwd: Path, env: dict[str, str], out_fd: int, err_fd: int) -> None:
    code = 3
    try:
        import signal

        signal.alarm(TIMEOUT)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.argv = ["lang", *args]
        from lang.cli import main

        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - report like the interpreter would
        import traceback

        traceback.print_exc()
        try:
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
    finally:
        os._exit(code)
