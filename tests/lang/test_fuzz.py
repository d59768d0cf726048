"""Fuzzing the front end: random text and mutations of valid programs must
only ever produce diagnostics, never an exception, and every diagnostic must
point inside the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lang.parser import parse
from lang.source import Source

CORPUS = sorted(Path(__file__).parent.glob("corpus/*.harn")) + [
    Path(__file__).parent / "sample_all.harn"
]
SEEDS = [p.read_text() for p in CORPUS if p.exists()]

FRAGMENTS = [
    "fn", "let", "var", "if", "else", "match", "{", "}", "(", ")", "[", "]", "->", "=>", "|>",
    "?", "?.", ":", ";", ",", "...", '"', '"${', "}", '"""', "r\"", "/*", "*/", "//", "\n",
    "x", "Foo", "1", "2.5", "5s", "try", "catch", "finally", "*", "@", "pub", "import",
    "pipeline", "struct", "enum", "impl", "<", ">", "!", "-", "to", "in", "not", "\\\n", "#",
    "yield", "return", "spawn", "parallel", "select", "type", "interface", "where", "gen",
]


def check(text: str) -> None:
    src = Source(text)
    result = parse(src)
    n = len(text)
    for d in result.diagnostics:
        assert 0 <= d.start <= n and d.start <= d.end
        d.spec_text(src)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join))
def test_random_token_soup(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_programs(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(SEEDS))
    for _ in range(data.draw(st.integers(1, 5))):
        if not text:
            break
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["delete", "insert", "swap", "truncate"]))
        if op == "delete":
            end = min(len(text), pos + data.draw(st.integers(1, 10)))
            text = text[:pos] + text[end:]
        elif op == "insert":
            text = text[:pos] + data.draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        elif op == "swap" and pos + 1 < len(text):
            text = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2:]
        else:
            text = text[:pos]
    check(text)


def test_deeply_nested_input_does_not_crash() -> None:
    check("(" * 5000 + "1" + ")" * 5000)
    check("[" * 5000)
    check("{" * 3000)
    check("-" * 5000 + "1")
