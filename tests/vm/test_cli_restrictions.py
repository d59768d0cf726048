"""``lang run --deny`` / ``--allow`` (stdlib.md §0.7): disabled builtins fail with
``tool_rejected``; the always-allowed ones can never be disabled."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from vm_helpers import lang_run as run_file

SCRIPT = 'println(len("abc"))\nprintln(split("a,b", ","))\nprintln(env_or("NOPE_X", "d"))\n'


def lang_run(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    path = tmp_path / "s.harn"
    path.write_text(SCRIPT)
    return run_file(path, *flags)


def test_no_flags_runs_everything(tmp_path: Path) -> None:
    proc = lang_run(tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "3\n[a, b]\nd\n")


@pytest.mark.parametrize("flags", [("--deny", "env_or"), ("--deny", " env_or , len"),
                                   ("--allow", "split"), ("--allow", "split,len")])
def test_denied_builtin_is_rejected(tmp_path: Path, flags: tuple[str, str]) -> None:
    proc = lang_run(tmp_path, *flags)
    assert proc.returncode == 1
    assert proc.stdout == "3\n[a, b]\n"  # len is always allowed; split allowed or not denied
    assert "Tool 'env_or' is not permitted." in proc.stderr
    assert "s.harn:3:" in proc.stderr and "Traceback" not in proc.stderr


def test_allow_disables_the_rest(tmp_path: Path) -> None:
    proc = lang_run(tmp_path, "--allow", "env_or")
    assert proc.returncode == 1 and proc.stdout == "3\n"
    assert "Tool 'split' is not permitted." in proc.stderr


def test_denied_builtin_can_be_caught(tmp_path: Path) -> None:
    path = tmp_path / "c.harn"
    path.write_text('try { env("HOME") } catch (e) { println(e) }\n')
    proc = run_file(path, "--deny", "env")
    want = "Error [tool_rejected]: Tool 'env' is not permitted.\n"
    assert (proc.returncode, proc.stdout) == (0, want), proc.stderr
