"""Formatting randomly generated programs (tests/lang/fmt/gen_programs.py):
Hypothesis drives the generator's choices (and shrinks failures to small
programs); a fixed range of seeds runs too. Every program that parses must
format to a parseable fixed point with the same syntax tree and comments."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lang.fmt_verify import ast_diff
from lang.parser import parse_text
from tests.lang.fmt.gen_programs import RandomChooser, generate
from tests.lang.fmt.mutate import check_formatting, insert_comments


class DataChooser:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def pick(self, n: int) -> int:
        return self.data.draw(st.integers(0, n - 1)) if n > 1 else 0


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), width=st.sampled_from([100, 60, 30, 12]), comments=st.integers(0, 6),
       seed=st.integers(0, 1000))
def test_generated_programs(data: st.DataObject, width: int, comments: int, seed: int) -> None:
    source = generate(DataChooser(data))
    res = parse_text(source)
    assume(res.ok)
    if comments:
        commented = insert_comments(source, random.Random(seed), comments)
        res2 = parse_text(commented)
        if res2.ok and not ast_diff(res.program, res2.program):
            source = commented
    check_formatting(source, width)


@pytest.mark.parametrize("block", range(10))
def test_seeded_programs(block: int) -> None:
    checked = 0
    for seed in range(block * 60, block * 60 + 60):
        source = generate(RandomChooser(seed))
        res = parse_text(source)
        if not res.ok:
            continue
        rng = random.Random(seed)
        commented = insert_comments(source, rng, rng.randint(0, 6))
        res2 = parse_text(commented)
        if res2.ok and not ast_diff(res.program, res2.program):
            source = commented
        check_formatting(source, rng.choice([100, 50, 20]))
        checked += 1
    assert checked > 40
