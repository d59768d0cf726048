"""List methods and the checked list free functions (stdlib.md §6)."""

from __future__ import annotations

from stdlib_helpers import b, err_b, m, show

from vm.runtime.values import Pair


def test_spec_example() -> None:
    xs = [3, 1, 2]
    assert m(xs, "map", lambda x: x * 10) == [30, 10, 20]
    assert m(xs, "sort") == [1, 2, 3]
    assert m(xs, "push", 4) == [3, 1, 2, 4]
    assert m(xs, "pop") == [3, 1]
    assert xs == [3, 1, 2]
    assert m(xs, "reduce", 0, lambda acc, x: acc + x) == 6
    assert m(xs, "slice", -2) == [1, 2]
    assert show(m([1, 2, 3, 4, 5], "window", 2, 2)) == "[[1, 2], [3, 4]]"
    assert show(m(["b", "a"], "zip", [1, 2])) == "[[b, 1], [a, 2]]"
    assert show(m(["a", "b"], "enumerate")) == "[{index: 0, value: a}, {index: 1, value: b}]"
    assert show(m([1, 2, 3, 4], "partition", lambda x: x > 2)) == "[[3, 4], [1, 2]]"
    assert show(b("partition", [1, 2, 3, 4], lambda x: x > 2)) == (
        "{match: [3, 4], no_match: [1, 2]}")
    assert show(m([1, 2, 3, 4], "group_by", lambda x: x % 2 == 0)) == (
        "{false: [1, 3], true: [2, 4]}")
    assert show(m(["a", "b", "a"], "tally")) == "{a: 2, b: 1}"
    assert show(m([1, "x", 2.5], "sum")) == "3.5"


def test_filter_uses_harn_truthiness() -> None:
    from vm.runtime.values import Duration

    assert m([1, 2, 3], "filter", lambda x: Duration(0) if x == 2 else Duration(5)) == [1, 3]
    assert m([1, 2, 3, 4], "filter", lambda x: [0] * (x % 2)) == [1, 3]
    assert m([1, 2], "filter", lambda x: float("nan")) == [1, 2]


def test_first_last_take_skip() -> None:
    assert m([], "first") is None and m([1, 2, 3], "last") == 3
    assert m([1, 2, 3], "first", 2) == [1, 2] and m([1, 2, 3], "last", 5) == [1, 2, 3]
    assert m([1, 2], "first", -1) == []
    assert m([1, 2, 3], "take", -1) == [] and m([1, 2, 3], "skip", 2) == [3]


def test_non_callable_and_predicates() -> None:
    assert m([1], "map", 5) is None and m([1], "filter", None) is None
    assert m([], "any", lambda x: True) is False and m([], "all", lambda x: False) is True
    assert m([1], "any", 3) is False and m([1], "all", 3) is True
    assert m([], "none") is True and m([1], "none", lambda x: x > 1) is True
    assert m([1, 2, 3], "find", lambda x: x > 1) == 2
    assert m([1, 2, 3], "find_index", lambda x: x > 5) == -1


def test_sorting_is_a9() -> None:
    assert m([2, 1.5, 1], "sort") == [1, 1.5, 2]
    assert m(["b", "B", "a"], "sort") == ["B", "a", "b"]
    assert m([Pair(2, "a"), Pair(1, "z")], "sort")[0].first == 1
    assert m([3, "x", 1], "sort") == [3, "x", 1] or True  # unspecified, must not fail
    assert m(["bb", "a"], "sort_by", lambda s: len(s)) == ["a", "bb"]
    assert m([1, 2, 3, 2], "max_by", lambda x: x % 3) == 2
    assert m([], "min") is None and m([2, 1, 1.0], "min") == 1


def test_unique_uses_structural_keys() -> None:
    assert show(m([1, 1.0, "1", 1, True, [1], [1]], "unique")) == "[1, 1.0, 1, true, [1]]"
    assert b("dedup_by", [1, 2, 3, 4], lambda x: x % 2) == [1, 2]


def test_misc() -> None:
    assert m([1, [2, [3]], 4], "flatten") == [1, 2, [3], 4]
    assert m([None, 0, None], "compact") == [0]
    assert m([1, 2, 3], "chunk", 2) == [[1, 2], [3]] and m([], "chunk") == []
    assert m([1, 2], "window", 3) == []
    assert m([1, 2], "zip", "x") == []
    assert m([1, 2], "index_of", 2.0) == 1
    assert m([1, 2], "contains", 1.0) is True
    assert m([1, 2], "join", ", ") == "1, 2"
    assert m([1, 2], "push") == [1, 2]
    assert m([], "pop") == []
    assert m([1, 2], "len") is None


def test_free_function_errors() -> None:
    assert err_b("chunk", "x") == "Type error: chunk: first argument must be a list, got string"
    assert err_b("chunk") == "Runtime error: chunk: first argument must be a list"
    assert err_b("group_by", [1]) == "Runtime error: group_by: callback is required"
    assert err_b("flat_map", [1], 3) == "Type error: flat_map: callback must be callable, got int"
    assert b("flat_map", [1, 2], lambda x: [x, x] if x > 1 else x) == [1, 2, 2]
    assert b("window", [1, 2, 3]) == [[1, 2], [2, 3]]
