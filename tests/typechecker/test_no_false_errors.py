"""No false errors (types.md §17.1): every conformance program that is expected to
run (it has ``.expected`` and no ``.error``) checks without a single *error*,
strict mode and module graph included, exactly as ``lang run`` checks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lang.diagnostics import render_short
from lang.files import read_source
from typechecker.api import check_for_run

CONFORMANCE = Path(__file__).resolve().parent.parent / "conformance"


def _runnable() -> list[Path]:
    return [p for p in sorted(CONFORMANCE.rglob("*.harn"))
            if p.with_suffix(".expected").exists() and not p.with_suffix(".error").exists()]


CASES = _runnable()


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(CONFORMANCE)) for p in CASES])
def test_runnable_program_has_no_checker_error(path: Path) -> None:
    src = read_source(str(path))
    errors, _warnings = check_for_run(src, str(path))
    assert not errors, "\n".join(render_short(src, d) for d in errors)


def test_corpus_is_present() -> None:
    assert CASES, "no runnable conformance programs found"
