"""Ranges, lazy iterators, generators (stdlib.md §9, §10)."""

from __future__ import annotations

from stdlib_helpers import b, err_b, err_m, m, show

from vm.runtime.values import HGenerator, HRange


def test_range_spec_example() -> None:
    r = HRange(2, 6, True)
    assert show(r) == "2 to 6" and m(r, "len") == 5
    assert show(m(r, "map", lambda x: x * x)) == "<iter>"
    assert m(m(r, "filter", lambda x: x % 2 == 0), "to_list") == [2, 4, 6]
    assert show(b("range", 3)) == "0 to 3 exclusive"
    assert m(b("range", 1, 4), "to_list") == [1, 2, 3]
    assert m(HRange(5, 1, True), "first") is None
    assert m(r, "contains", 6) and not m(r, "contains", 6.0)
    assert m(r, "sum") == 20 and m(r, "to_string") == "2 to 6"
    assert m(r, "nope") is None


def test_range_errors() -> None:
    assert err_b("range", "x") == "Type error: range(n): expected integer argument"
    assert err_b("range", 1, 2.0) == "Type error: range(a, b): expected integer arguments"
    assert err_b("range") == "Type error: range expects 1 or 2 integer arguments, got 0"


def test_iter_spec_example() -> None:
    it = m(m(b("iter", [1, 2, 3, 4, 5]), "filter", lambda x: x % 2 == 1), "map",
           lambda x: x * 10)
    assert show(it) == "<iter>"
    assert m(it, "to_list") == [10, 30, 50]
    assert m(it, "to_list") == []
    assert show(it) == "<iter (exhausted)>"
    assert [(p.first, p.second) for p in m(m("ab", "iter"), "enumerate")] == [(0, "a"), (1, "b")]
    assert show(m(b("iter", {"b": 2, "a": 1}), "first")) == "(a, 1)"
    assert m(m(b("iter", [1, 2, 3, 4]), "windows", 3), "to_list") == [[1, 2, 3], [2, 3, 4]]
    assert m(m(b("iter", ["x", "y"]), "zip", HRange(1, 5, True)), "to_dict") == {"x": 1, "y": 2}


def test_shared_identity() -> None:
    src = b("iter", [4, 8, 15, 16, 23, 42])
    it = m(m(src, "filter", lambda v: v % 2 == 0), "map", lambda v: v // 2)
    assert m(m(it, "take", 2), "to_list") == [2, 4]
    assert m(it, "to_list") == [8, 21]
    assert show(it) == "<iter (exhausted)>"
    first = b("iter", [1, 2, 3])
    assert m(first, "first") == 1 and m(first, "to_list") == [2, 3]


def test_iter_sinks_and_errors() -> None:
    assert m(b("iter", [1, 2.5]), "sum") == 3.5 and m(b("iter", []), "sum") == 0
    assert err_m(b("iter", ["a"]), "sum") == "Type error: iter.sum: expected number, got string"
    assert err_m(b("iter", [1]), "map", 3) == "Type error: iter.map: expected callable"
    assert err_m(b("iter", [1]), "take", -1) == "Type error: iter.take: expected non-negative int"
    assert err_m(b("iter", [1]), "chunks", 0) == (
        "Type error: iter.chunks: chunk size must be positive")
    assert err_m(b("iter", [1]), "zip") == "Type error: iter.zip: expected iterable argument"
    assert err_m(b("iter", [1]), "reduce", 0) == "Type error: iter.reduce: expected (init, fn)"
    assert err_m(b("iter", [1]), "reduce", 0, 1) == (
        "Type error: iter.reduce: second arg must be callable")
    assert err_m(b("iter", [1]), "to_dict") == "Type error: iter.to_dict: expected pair, got int"
    assert m(b("iter", [3, 1, 2]), "min") == 1 and m(b("iter", []), "max") is None
    assert m(b("iter", [1, 2, 3]), "reduce", 0, lambda a, x: a + x) == 6
    assert m(b("iter", [1, 2, 3]), "last") == 3 and m(b("iter", [1, 2]), "count") == 2
    assert show(m(b("iter", [1, 1.0, 2]), "to_set")) == "set(1, 2)"
    assert m(m(b("iter", [[1], "ab"]), "flat_map", lambda x: x), "to_list") == [1, "a", "b"]
    assert m(m(b("iter", [1, 2, 3, 1]), "skip_while", lambda x: x < 2), "to_list") == [2, 3, 1]
    assert m(m(b("iter", [1, 2, 3, 1]), "take_while", lambda x: x < 3), "to_list") == [1, 2]
    assert m(m(b("iter", [1]), "chain", [2]), "to_list") == [1, 2]
    assert m(m(b("iter", [1, 2, 3]), "chunks", 2), "to_list") == [[1, 2], [3]]
    assert m(b("iter", [1]), "unknown") is None
    it = b("iter", [1, 2, 3, 4])
    assert m(it, "any", lambda x: x == 2) is True and m(it, "to_list") == [3, 4]


def test_generator_next() -> None:
    def body():
        yield 1

    g = HGenerator(body())
    assert m(g, "next") == {"value": 1, "done": False}
    assert m(g, "next") == {"value": None, "done": True}
    assert m(g, "next") == {"value": None, "done": True}
    assert m(g, "other") is None
