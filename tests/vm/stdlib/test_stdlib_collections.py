"""Dicts, sets, native dict helpers (stdlib.md §7, §8, §19, §22)."""

from __future__ import annotations

from stdlib_helpers import b, err_b, m, show


def test_dict_spec_example() -> None:
    d = {"b": 2, "a": 1}
    assert m(d, "keys") == ["a", "b"]
    assert m(d, "get", "z", 0) == 0
    assert show(m(d, "map_values", lambda v: v + 1)) == "{a: 2, b: 3}"
    assert show(m(d, "filter", lambda v: v > 1)) == "{b: 2}"
    assert show(m(d, "remove", "a")) == "{b: 2}"
    assert d == {"a": 1, "b": 2}
    assert m(d, "count") == 2
    assert show(m(d, "entries")) == "[{key: a, value: 1}, {key: b, value: 2}]"
    assert show(m({"first_name": "Ada"}, "rekey", b.__globals__["BUILTINS"]["snake_to_camel"].fn)
                ) == "{firstName: Ada}"


def test_dict_details() -> None:
    assert m({"a": None}, "get", "a", 5) is None
    assert m({"a": None}, "has", "a") is True
    assert m({"1": 0}, "has", 1) is True
    assert m({"a": 1}, "get") is None
    assert m({"a": 1}, "merge", 3) == {"a": 1}
    assert m({"a": 1, "b": 2}, "rekey", lambda k: "x") == {"x": 2}
    assert m({"run": lambda x: x + 1}, "run", 1) == 2
    assert m({"keys": 1}, "keys") == ["keys"]
    assert m({"a": 1}, "nothing") is None
    assert b("keys", None) == [] and b("values", {"b": 1, "a": 2}) == [2, 1]
    assert b("entries", 3) == []
    assert show(m({"b": 1, "a": 2}, "iter")) == "<iter>"


def test_set_spec_example() -> None:
    s = b("set", 3, 1, 3, 2)
    assert show(s) == "set(3, 1, 2)"
    assert m(m(s, "add", 1), "count") == 3
    assert show(b("set_union", s, b("set", [9, 1]))) == "set(3, 1, 2, 9)"
    assert m(b("set", 1, "1", 1.0), "count") == 3
    assert show(m(s, "map", lambda x: x % 2)) == "set(1, 0)"


def test_set_equalities() -> None:
    s = b("set", 1)
    assert m(s, "contains", 1.0) is True
    assert b("set_contains", s, 1.0) is False
    assert b("set_contains", [1], 1) is False
    assert show(b("set_add", s, 1.0)) == "set(1, 1.0)"
    assert show(m(s, "add", 1.0)) == "set(1)"
    assert show(b("set", [1, 2], b("set", 3), "x")) == "set(1, 2, 3, x)"
    assert show(b("set")) == "set()"
    assert err_b("set_add", [1], 2) == "set_add: first argument must be a set"
    assert err_b("set_union", s, [1]) == "set_union: arguments must be sets"
    a, c = b("set", 1, 2, 3), b("set", 2, 4)
    assert show(b("set_intersect", a, c)) == "set(2)"
    assert show(b("set_difference", a, c)) == "set(1, 3)"
    assert show(b("set_symmetric_difference", a, c)) == "set(1, 3, 4)"
    assert b("set_is_subset", b("set", 2), c) is True and b("set_is_superset", a, 1) is False
    assert b("set_is_disjoint", a, "x") is True
    assert show(m(a, "intersect", 5)) == "set()"
    assert show(m(a, "difference", c)) == "set(1, 3)"
    assert show(m(a, "remove", 2.0)) == "set(1, 3)"
    assert m(a, "is_subset", b("set", 1, 2, 3, 4)) is True
    assert m(a, "to_list") == [1, 2, 3] and b("to_list", a) == [1, 2, 3]


def test_native_dict_helpers() -> None:
    opts = {"model": "m1", "temp": None, "stop": "", "tag": "null", "n": 0}
    assert show(b("__dict_filter_nil", opts)) == "{model: m1, n: 0}"
    assert show(b("__dict_pick_keys", opts, ["temp", "n", "absent"], False)) == "{n: 0, temp: nil}"
    assert show(b("__dict_pick_keys", opts, ["temp", "n"], True)) == "{n: 0}"
    assert show(b("__dict_merge", {"a": 1, "b": 2}, {"b": 3})) == "{a: 1, b: 3}"
    assert show(b("__dict_pick", {"a": 1, "b": None}, ["a", "b", "c"])) == "{a: 1}"
    assert show(b("__dict_omit", {"a": 1, "b": 2}, b("set", "a"))) == "{b: 2}"


def test_native_helpers_return_input_when_unchanged() -> None:
    clean = {"a": 1, "b": [2]}
    assert b("__dict_filter_nil", clean) is clean
    assert b("__dict_merge", clean, {}) is clean and b("__dict_merge", clean, None) is clean
    assert b("__dict_pick_keys", clean, ["a", "b", "z"]) is clean
    assert b("__dict_pick", clean, ["a", "b"]) is clean
    assert b("__dict_omit", clean, ["z"]) is clean
    assert b("__dict_filter_nil", None) == {}


def test_native_helper_errors() -> None:
    assert err_b("__dict_filter_nil", 3) == "Type error: filter_nil: expected dict, got int"
    assert err_b("__dict_merge", {}, [1]) == "Type error: merge: expected dict, got list"
    assert err_b("__dict_pick_keys", {}, "a") == (
        "Type error: pick_keys: keys argument must be a list or set, got string")
    assert err_b("__dict_pick", 1, []) == "Type error: pick: expected dict, got int"
    assert err_b("__dict_omit", {}, 2) == (
        "Type error: omit: keys argument must be a list or set, got int")
