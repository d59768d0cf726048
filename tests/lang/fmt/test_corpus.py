"""Idempotence and meaning preservation over every ``.harn`` file under
``tests/`` (found when the tests run, so files other suites add are covered;
files that do not parse are skipped): formatting keeps the syntax tree and
every comment (same order, same next token) and is a fixed point, at the
default width and at narrow widths that force most lines to break, also with
comments inserted between random tokens."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lang.fmt_verify import ast_diff
from lang.parser import parse_text
from tests.lang.fmt.mutate import check_formatting, insert_comments

TESTS = Path(__file__).resolve().parents[2]
FILES = sorted(TESTS.rglob("*.harn"))


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def parsed(path: Path) -> str:
    try:
        text = read(path)
    except (OSError, UnicodeDecodeError):
        pytest.skip("unreadable")
    if not parse_text(text).ok:
        pytest.skip("does not parse")
    return text


def test_corpus_is_large() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_file(path: Path) -> None:
    text = parsed(path)
    for width in (100, 40, 12):
        check_formatting(text, width)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_file_with_comments(path: Path) -> None:
    text = parsed(path)
    tree = parse_text(text).program
    for seed in range(3):
        rng = random.Random(f"{path.name}:{seed}")
        commented = insert_comments(text, rng, rng.randint(1, 8))
        res = parse_text(commented)
        if not res.ok or ast_diff(tree, res.program):
            continue  # the insertion changed the program (e.g. inside a ${} part)
        check_formatting(commented, rng.choice([100, 40, 20]))
