"""Shared helpers for VM tests: run a script and capture what it prints.

They compile with ``check=False``: these tests pin down run-time semantics,
including of programs the static checker would reject before running.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

from vm.api import ScriptError, compile_script


def run(text: str, **kw: Any) -> str:
    """Run ``text``; return its stdout (raises ScriptError on an uncaught error)."""
    out = io.StringIO()
    host = kw.pop("host_functions", None)
    compile_script(text, "test.harn", host, check=False).run(stdout=out, **kw)
    return out.getvalue()


def run_value(text: str, **kw: Any) -> Any:
    out = io.StringIO()
    return compile_script(text, "test.harn", check=False).run(stdout=out, **kw)


def error_of(text: str, **kw: Any) -> ScriptError:
    """The ScriptError a script raises (fails the test if it runs cleanly)."""
    out = io.StringIO()
    try:
        compile_script(text, "test.harn", check=False).run(stdout=out, **kw)
    except ScriptError as exc:
        exc.stdout = out.getvalue()  # type: ignore[attr-defined]
        return exc
    raise AssertionError(f"expected an error, got output {out.getvalue()!r}")


def lines(*items: str) -> str:
    return "".join(i + "\n" for i in items)


def lang_run(path: Path, *flags: str) -> subprocess.CompletedProcess:
    """``lang run [FLAGS] PATH`` as a whole process (exit status, stdout, stderr)."""
    return subprocess.run([sys.executable, "-m", "lang.cli", "run", *flags, str(path)],
                          capture_output=True, text=True, timeout=60)
