"""Conformance programs: each ``NAME.harn`` with a ``NAME.expected`` (exact stdout)
and/or ``NAME.error`` (a line the failing run's stderr must contain) runs as
``lang run NAME.harn`` in a fresh process. ``NAME.status`` overrides the
expected exit status. ``.harn`` files with neither sibling are helper modules.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conformance.forkrun import run_lang

HERE = Path(__file__).parent


def _cases() -> list[Path]:
    out = []
    for path in sorted(HERE.rglob("*.harn")):
        if path.with_suffix(".expected").exists() or path.with_suffix(".error").exists():
            out.append(path)
    return out


CASES = _cases()


def run_case(path: Path) -> subprocess.CompletedProcess:
    return run_lang(["run", path.name], path.parent, dict(os.environ, NO_COLOR="1"))


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(HERE)) for p in CASES])
def test_conformance(path: Path) -> None:
    proc = run_case(path)
    expected_out = path.with_suffix(".expected")
    expected_err = path.with_suffix(".error")
    status_file = path.with_suffix(".status")
    status = int(status_file.read_text().strip()) if status_file.exists() else None
    if expected_err.exists():
        want = expected_err.read_text().rstrip("\n")
        assert proc.returncode != 0, f"expected failure, got exit 0\nstdout:\n{proc.stdout}"
        assert want in proc.stderr, f"stderr lacks {want!r}:\n{proc.stderr}"
        if status is not None:
            assert proc.returncode == status
        assert "Traceback" not in proc.stderr
    if expected_out.exists():
        assert proc.stdout == expected_out.read_text(), f"stderr:\n{proc.stderr}"
        if not expected_err.exists():
            assert proc.returncode == (status or 0), f"stderr:\n{proc.stderr}"
