"""The corpus of valid programs written from the spec (§3, Tier 1 and 2): each must parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from lang.parser import parse
from lang.source import Source

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.harn"))


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 60


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_program_parses(path: Path) -> None:
    src = Source(path.read_text(), str(path))
    result = parse(src)
    assert result.diagnostics == [], "\n".join(d.spec_text(src) for d in result.diagnostics)
