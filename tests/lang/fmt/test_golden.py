"""Golden tests: ``golden/NAME.in.harn`` formats to ``golden/NAME.out.harn``
(default width), the output is a fixed point, and formatting kept the
program's meaning and comments. ``UPDATE_GOLDEN=1`` rewrites the outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lang.formatter import format_source
from tests.lang.fmt.mutate import check_formatting

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name[: -len(".in.harn")] for p in GOLDEN.glob("*.in.harn"))


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def test_cases_exist() -> None:
    assert len(CASES) >= 15
    for name in CASES:
        assert (GOLDEN / f"{name}.out.harn").exists() or os.environ.get("UPDATE_GOLDEN"), name


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    source = read(GOLDEN / f"{name}.in.harn")
    out_path = GOLDEN / f"{name}.out.harn"
    got = format_source(source)
    if os.environ.get("UPDATE_GOLDEN"):
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(got)
    assert got == read(out_path)
    if source.strip():
        check_formatting(source)
    assert format_source(got) == got
