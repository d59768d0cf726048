"""Micro sanity for the hot helpers: bulk runs and invariants, no timing.

Loops of the shape generated code runs (counters, builders, comparisons)
must give exact results; property tests pin the algebra the spec implies
(``a == (a / b) * b + a % b`` for truncating division, ``compare`` agreeing
with ``<``/``<=``, display of floats round-tripping).
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from vm.runtime.compare import compare, eq, ge, gt, le, lt
from vm.runtime.display import display, format_float, truthy
from vm.runtime.ops import add, contains, div, get_index, iterate, mod, mul, set_index, sub
from vm.runtime.values import HIter, HRange, HSet, structural_key

ints = st.integers(min_value=-(10**30), max_value=10**30)
nonzero = ints.filter(lambda n: n != 0)
scalars = st.one_of(st.none(), st.booleans(), ints, st.floats(), st.text(max_size=5))


def test_counter_and_builder_loops():
    t = 0
    for i in iterate(HRange(0, 10_000, False)):
        t = add(t, i)
    assert t == sum(range(10_000)) and type(t) is int
    out: dict[str, int] = {}
    for i in range(1000):
        out = set_index(out, i, i * i)
    assert len(out) == 1000 and get_index(out, 999) == 998001 and get_index(out, "10") == 100
    xs = [0] * 50
    for i in range(50):
        xs = set_index(xs, i, mul(i, 2))
    assert xs == [2 * i for i in range(50)]
    s = HSet()
    for i in range(200):
        s = s.add(i % 50)
    assert len(s) == 50 and contains(s, 49.0)


def test_mixed_comparison_loop():
    values = [3, 1.5, "a", None, [1], -2, "B", 2.0]
    less = sum(1 for a in values for b in values if lt(a, b))
    greater = sum(1 for a in values for b in values if gt(b, a))
    assert less == greater


def test_iter_pull_loop():
    it = HIter(range(1000))
    total = 0
    while True:
        ok, v = it.next_item()
        if not ok:
            break
        total = add(total, v)
    assert total == 499500 and it.exhausted


@given(ints, nonzero)
def test_truncating_division_identity(a, b):
    q = div(a, b)
    r = mod(a, b)
    assert a == q * b + r
    assert abs(r) < abs(b)
    assert r == 0 or (r < 0) == (a < 0)
    assert q == (abs(a) // abs(b)) * (1 if (a < 0) == (b < 0) else -1)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False))
def test_float_mod_matches_fmod(a, b):
    if b == 0:
        return
    r = mod(a, b)
    assert r == math.fmod(a, b)


@given(st.floats())
def test_float_display_round_trips(x):
    text = format_float(x)
    assert "e" not in text and "E" not in text
    if math.isnan(x):
        assert text == "NaN"
    else:
        assert float(text) == x


@given(ints, ints)
def test_int_ops_match_python(a, b):
    assert add(a, b) == a + b and sub(a, b) == a - b and mul(a, b) == a * b


@given(scalars, scalars)
def test_ordering_is_consistent(a, b):
    c = compare(a, b)
    assert lt(a, b) == (c < 0)
    assert gt(a, b) == (c > 0)
    assert le(a, b) == (c <= 0)
    assert ge(a, b) == (c >= 0)
    assert not (lt(a, b) and gt(a, b))
    assert compare(b, a) == -c


@given(scalars, scalars)
def test_equality_symmetric_and_keys_refine_it(a, b):
    assert eq(a, b) == eq(b, a)
    if structural_key(a) == structural_key(b) and not (isinstance(a, float) and a != a):
        assert eq(a, b)


@given(scalars)
def test_display_and_truthy_total(v):
    assert isinstance(display(v), str)
    assert isinstance(truthy(v), bool)
    assert display([v, {"k": v}]) == "[" + display(v) + ", {k: " + display(v) + "}]"
