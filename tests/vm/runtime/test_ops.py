"""Operator helpers (language.md §6.2, §6.3, §8, §9.4, §13, §17)."""

from __future__ import annotations

import functools
import math

import pytest

from vm.runtime import ops
from vm.runtime.errors import HarnError, HarnRuntimeError, HarnTypeError, VMError
from vm.runtime.ops import (
    add,
    compare,
    contains,
    div,
    eq,
    ge,
    get_index,
    get_index_opt,
    get_property,
    get_property_opt,
    get_slice,
    gt,
    iterate,
    le,
    lt,
    make_iter,
    make_range,
    mod,
    mul,
    ne,
    neg,
    not_contains,
    register_iterable,
    set_index,
    set_property,
    spread_dict,
    spread_list,
    sub,
)
from vm.runtime.values import (
    BuiltinRef,
    Duration,
    EnumValue,
    HGenerator,
    HIter,
    HRange,
    HSet,
    Pair,
    StructType,
    StructValue,
    err,
    ok,
)

INF = math.inf
POINT = StructType("Point", ("x", "y"))


def _closure(*params: str):
    def f(*args):
        return None

    f.harn_params = params
    return f


def _gen(*values):
    yield from values


def _raises(exc_type: type[HarnError], message: str, fn, *args):
    with pytest.raises(exc_type) as info:
        fn(*args)
    assert info.value.message == message
    assert info.value.value == message
    return info.value


def _same_float(a: float, b: float) -> bool:
    if math.isnan(b):
        return math.isnan(a)
    return type(a) is float and a == b and math.copysign(1, a) == math.copysign(1, b)


# --------------------------------------------------------------------------- add


def test_add_numbers():
    assert add(2, 3) == 5 and type(add(2, 3)) is int
    assert add(2**64, 2**64) == 2**65  # never wrapped (§17.15)
    assert add(1, 0.5) == 1.5 and type(add(1, 2.0)) is float
    assert add(0.5, 1) == 1.5 and add(0.1, 0.2) == 0.30000000000000004
    assert add(10**400, 1.0) == INF and add(1.0, -(10**400)) == -INF


def test_add_strings_lists_dicts_durations():
    assert add("ab", "cd") == "abcd"
    a = [1, 2]
    b = [3]
    out = add(a, b)
    assert out == [1, 2, 3] and a == [1, 2] and out is not a
    da = {"a": 1, "b": 2}
    db = {"b": 9, "c": 3}
    merged = add(da, db)
    assert merged == {"a": 1, "b": 9, "c": 3} and da == {"a": 1, "b": 2}
    assert add(Duration(1000), Duration(500)) == Duration(1500)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("n=", 5, "Type error: Cannot add string and int"),
        (5, "x", "Type error: Cannot add int and string"),
        (1, True, "Type error: Cannot add int and bool"),
        (True, True, "Type error: Cannot add bool and bool"),
        (None, 1, "Type error: Cannot add nil and int"),
        ([1], 1, "Type error: Cannot add list and int"),
        ({}, [], "Type error: Cannot add dict and list"),
        (HSet(), HSet(), "Type error: Cannot add set and set"),
        (Duration(1), 1, "Type error: Cannot add duration and int"),
        (b"a", b"b", "Type error: Cannot add bytes and bytes"),
        (Pair(1, 2), 1.5, "Type error: Cannot add pair and float"),
    ],
)
def test_add_errors(a, b, message):
    _raises(HarnTypeError, message, add, a, b)


# --------------------------------------------------------------------------- sub / mul


def test_sub():
    assert sub(5, 7) == -2 and type(sub(5, 7)) is int
    assert sub(5, 0.5) == 4.5 and sub(5.5, 1) == 4.5 and sub(1.0, 1.0) == 0.0
    assert sub(Duration(5000), Duration(6000)) == Duration(-1000)
    assert sub(10**400, 1.0) == INF


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("a", "b", "Type error: Cannot subtract string from string"),
        ([1], 1, "Type error: Cannot subtract int from list"),
        (1, None, "Type error: Cannot subtract nil from int"),
        (Duration(1), 1, "Type error: Cannot subtract int from duration"),
        ({}, {}, "Type error: Cannot subtract dict from dict"),
    ],
)
def test_sub_errors(a, b, message):
    _raises(HarnTypeError, message, sub, a, b)


def test_mul():
    assert mul(6, 7) == 42 and mul(2**40, 2**40) == 2**80
    assert mul(2, 1.5) == 3.0 and mul(1.5, 2) == 3.0 and mul(0.5, 0.5) == 0.25
    assert mul("ab", 3) == "ababab" and mul(3, "ab") == "ababab"
    assert mul("ab", 0) == "" and mul("ab", -2) == "" and mul(-1, "x") == ""
    assert mul("", 5) == ""


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (Duration(1), 2, "Type error: Cannot multiply duration and int"),
        ("a", "b", "Type error: Cannot multiply string and string"),
        ("a", 2.0, "Type error: Cannot multiply string and float"),
        ("a", True, "Type error: Cannot multiply string and bool"),
        ([1], 3, "Type error: Cannot multiply list and int"),
        (None, 2, "Type error: Cannot multiply nil and int"),
    ],
)
def test_mul_errors(a, b, message):
    _raises(HarnTypeError, message, mul, a, b)


# --------------------------------------------------------------------------- div


@pytest.mark.parametrize(
    ("a", "b", "q"),
    [(7, 2, 3), (-7, 2, -3), (7, -2, -3), (-7, -2, 3), (-8, 2, -4), (6, 3, 2), (0, 5, 0),
     (1, 3, 0), (-1, 3, 0), (10**30 + 1, -(10**15), -(10**15))],
)  # fmt: skip
def test_int_division_truncates_toward_zero(a, b, q):
    result = div(a, b)
    assert result == q and type(result) is int


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (7, 2.0, 3.5),
        (7.0, 2, 3.5),
        (1, 0.0, INF),
        (-1, 0.0, -INF),
        (1.0, 0, INF),
        (1.0, -0.0, -INF),
        (-1.0, -0.0, INF),
        (0.0, 0.0, math.nan),
        (0, 0.0, math.nan),
        (math.nan, 0.0, math.nan),
        (INF, 0.0, INF),
        (10**400, 2.0, INF),
        (1.0, 10**400, 0.0),
    ],
)
def test_float_division_is_ieee(a, b, expected):
    assert _same_float(div(a, b), expected)


def test_division_errors():
    _raises(VMError, "Division by zero", div, 1, 0)
    _raises(VMError, "Division by zero", div, 0, 0)
    _raises(HarnRuntimeError, "Runtime error: Cannot divide string by int", div, "a", 1)
    _raises(HarnRuntimeError, "Runtime error: Cannot divide int by nil", div, 1, None)
    _raises(HarnRuntimeError, "Runtime error: Cannot divide bool by int", div, True, 1)
    _raises(HarnRuntimeError, "Runtime error: Cannot divide string by int", div, "a", 0)


# --------------------------------------------------------------------------- mod


@pytest.mark.parametrize(
    ("a", "b", "r"),
    [(-7, 3, -1), (7, -3, 1), (7, 3, 1), (-7, -3, -1), (6, 3, 0), (-6, 3, 0), (0, -5, 0),
     (10**30 + 7, 10, 7), (-(10**30) - 7, 10, -7)],
)  # fmt: skip
def test_int_modulo_takes_dividend_sign(a, b, r):
    result = mod(a, b)
    assert result == r and type(result) is int


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (-7.5, 2, -1.5),
        (7.5, -2, 1.5),
        (7, 2.5, 2.0),
        (5.0, INF, 5.0),
        (INF, 2, math.nan),
        (math.nan, 2, math.nan),
        (3.0, math.nan, math.nan),
        (-4.0, 2, -0.0),
    ],
)
def test_float_modulo_is_fmod(a, b, expected):
    assert _same_float(mod(a, b), expected)


def test_modulo_errors():
    for a, b in ((1, 0), (1.5, 0), (1, 0.0), (1.5, -0.0), (0, 0)):
        _raises(VMError, "Division by zero", mod, a, b)
    _raises(HarnRuntimeError, "Runtime error: Cannot modulo string by int", mod, "a", 2)
    _raises(HarnRuntimeError, "Runtime error: Cannot modulo int by list", mod, 2, [])
    _raises(HarnRuntimeError, "Runtime error: Cannot modulo duration by int", mod, Duration(1), 0)


# --------------------------------------------------------------------------- pow


def test_pow_ints():
    assert ops.pow(2, 10) == 1024 and type(ops.pow(2, 10)) is int
    assert ops.pow(0, 0) == 1 and ops.pow(-2, 3) == -8 and ops.pow(3, 0) == 1
    assert ops.pow(2, 100) == 2**100
    assert ops.pow(1, 4294967295) == 1 and type(ops.pow(1, 4294967295)) is int
    r = ops.pow(1, 4294967296)
    assert r == 1.0 and type(r) is float


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (2, -1, 0.5),
        (2, -2, 0.25),
        (9.0, 0.5, 3.0),
        (2, 0.5, math.sqrt(2)),
        (2.0, 3, 8.0),
        (10.0, 15, 1e15),
        (0, -1, INF),
        (0.0, -1.0, INF),
        (-0.0, -1.0, -INF),
        (-0.0, -2.0, INF),
        (-8.0, 1 / 3, math.nan),
        (10.0, 400, INF),
        (-10.0, 401, -INF),
        (-10.0, 400, INF),
        (2, 10**400, INF),
        (1.0, math.nan, 1.0),
        (math.nan, 0, 1.0),
    ],
)
def test_pow_floats(a, b, expected):
    assert _same_float(ops.pow(a, b), expected)


def test_pow_errors():
    _raises(HarnTypeError, "Type error: Cannot exponentiate string by int", ops.pow, "a", 2)
    _raises(HarnTypeError, "Type error: Cannot exponentiate int by bool", ops.pow, 2, True)
    _raises(HarnTypeError, "Type error: Cannot exponentiate nil by nil", ops.pow, None, None)


# --------------------------------------------------------------------------- neg


def test_neg():
    assert neg(5) == -5 and neg(-0) == 0 and neg(2**70) == -(2**70)
    assert _same_float(neg(0.0), -0.0) and neg(1.5) == -1.5
    for v, t in ((True, "bool"), ("a", "string"), (None, "nil"), (Duration(1), "duration")):
        _raises(HarnRuntimeError, f"Runtime error: Cannot negate value of type {t}", neg, v)


# --------------------------------------------------------------------------- equality §6.2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, 1),
        (3, 3.0),
        (3.0, 3),
        (0, -0.0),
        ("a", "a"),
        (None, None),
        (True, True),
        (b"ab", b"ab"),
        ([1, [2, "x"]], [1.0, [2, "x"]]),
        ([], []),
        ({"a": 1, "b": [2]}, {"b": [2.0], "a": 1}),
        (HSet.from_iterable([1, 2]), HSet.from_iterable([2, 1])),
        (HSet.from_iterable([1]), HSet.from_iterable([1.0])),
        (Pair(1, "a"), Pair(1.0, "a")),
        (ok(1), ok(1.0)),
        (EnumValue("Color", "Red"), EnumValue("Color", "Red", ())),
        (POINT.new({"x": 1, "y": 2}), POINT.new({"y": 2, "x": 1})),
        (HRange(1, 3, True), HRange(1, 3, True)),
        (HRange(5, 1, True), HRange(5, 1, True)),
        (BuiltinRef("len", len), BuiltinRef("len", len)),
        (Duration(5000), Duration(5000)),
        (10**30, 10**30),
    ],
)
def test_equal(a, b):
    assert eq(a, b) is True and ne(a, b) is False
    assert eq(b, a) is True


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (None, False),
        (0, "0"),
        (1, True),
        (0, False),
        (1.0, True),
        ("1", 1),
        (None, 0),
        ([1], [True]),
        ([1], [1, 1]),
        ([1, 2], [2, 1]),
        ({"a": 1}, {"a": 1, "b": 2}),
        ({"a": 1}, {"b": 1}),
        ({"a": None}, {}),
        (HSet.from_iterable([1, 2]), HSet.from_iterable([1, 3])),
        (HSet.from_iterable([1, 2]), HSet.from_iterable([1])),
        (HSet.from_iterable([1, 1.0]), HSet.from_iterable([1, 2])),
        (Pair(1, 2), Pair(2, 1)),
        (Pair(1, 2), [1, 2]),
        (ok(1), err(1)),
        (ok(1), EnumValue("Other", "Ok", (1,))),
        (EnumValue("E", "V", (1,)), EnumValue("E", "V", (1, 2))),
        (POINT.new({"x": 1}), POINT.new({"x": 2})),
        (POINT.new({"x": 1}), StructValue(StructType("Other", ("x",)), {"x": 1})),
        (POINT.new({"x": 1}), {"x": 1}),
        (HRange(1, 3, True), HRange(1, 4, False)),
        (HRange(1, 3, True), [1, 2, 3]),
        (BuiltinRef("len", len), BuiltinRef("type_of", len)),
        (Duration(1000), 1000),
        (math.nan, math.nan),
        ([math.nan], [math.nan]),
        (b"a", "a"),
        (2**53 + 1, float(2**53)),
    ],
)
def test_not_equal(a, b):
    assert eq(a, b) is False and ne(a, b) is True
    assert eq(b, a) is False


def test_identity_values():
    f = _closure("a")
    assert not eq(f, f)  # closures never equal, not even to themselves
    assert not eq([f], [f])
    g = HGenerator(_gen(1))
    assert not eq(g, g)
    it = HIter([1])
    assert eq(it, it) and not eq(it, HIter([1]))
    assert not eq(POINT, POINT)  # a constructor is a closure
    lst = [math.nan]
    assert not eq(lst, lst)  # no identity shortcut


# --------------------------------------------------------------------------- ordering §6.3


def test_ordering_numbers_and_strings():
    assert lt(1, 2) and not lt(2, 1) and lt(1, 1.5) and lt(-0.5, 0)
    assert gt(2, 1.5) and le(2, 2.0) and ge(2.0, 2) and not gt(2, 2)
    assert lt("a", "b") and lt("B", "a") and lt("ab", "abc") and lt("z", "é")
    assert le("a", "a") and ge("b", "a") and not ge("a", "b")
    assert lt(2**70, 2.0**71) and gt(10**400, 1e308)


def test_ordering_pairs():
    assert lt(Pair(1, "z"), Pair(2, "a"))
    assert lt(Pair(1, "a"), Pair(1, "b"))
    assert not lt(Pair(1, "a"), Pair(1, "a")) and le(Pair(1, "a"), Pair(1, "a"))
    assert gt(Pair(2, 0), Pair(1, 9)) and ge(Pair(1, 2), Pair(1, 1))
    assert lt(Pair([1], 1), Pair([0], 2))  # incomparable firsts are "equal"


def test_ordering_durations():
    assert lt(Duration(1), Duration(2)) and ge(Duration(5000), Duration(5000))
    assert not lt(Duration(1), 2) and le(Duration(1), 2)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (None, 1),
        ([1], [2]),
        ("1", 2),
        (1, "2"),
        (True, False),
        (True, 5),
        ({"a": 1}, {"b": 2}),
        (math.nan, 1),
        (1, math.nan),
        (math.nan, math.nan),
        (Pair(1, 2), 3),
        (HRange(1, 2, True), HRange(3, 4, True)),
    ],
)
def test_incomparable_values_compare_equal(a, b):
    assert lt(a, b) is False and gt(a, b) is False
    assert le(a, b) is True and ge(a, b) is True
    assert compare(a, b) == 0


def test_compare_three_way():
    assert compare(1, 2) == -1 and compare(2, 1) == 1 and compare(1, 1.0) == 0
    assert compare("b", "a") == 1 and compare(Pair(1, 2), Pair(1, 3)) == -1
    assert sorted([3, 1.5, 2], key=functools.cmp_to_key(compare)) == [1.5, 2, 3]


# --------------------------------------------------------------------------- in §8.5


def test_membership_lists_and_sets():
    assert contains([1, 2], 1) and contains([1.0], 1) and contains([1], 1.0)
    assert not contains([True], 1) and not contains([1], True) and contains([True], True)
    assert contains(["a", None], None) and contains(["a"], "a") and not contains(["a"], "b")
    assert not contains([1], "1") and not contains(["1"], 1)
    assert contains([[1, 2]], [1.0, 2]) and contains([ok(1)], ok(1))
    assert not contains([math.nan], math.nan) and not contains([], None)
    assert not contains([ok(1)], "x") and not contains([Duration(1)], None)
    assert contains(HSet.from_iterable([1, "a"]), 1.0) and not contains(HSet(), 1)


def test_membership_dicts_strings_ranges_and_others():
    assert contains({"1": 0}, 1) and contains({"a": 1}, "a") and not contains({"a": 1}, "b")
    assert contains({"nil": 0}, None) and contains({"1.0": 0}, 1.0)
    assert contains("hello", "ell") and contains("hello", "") and contains("a1b", 1)
    assert contains("true", True) and not contains("abc", "d")
    r = HRange(1, 5, False)
    assert contains(r, 1) and not contains(r, 5) and not contains(r, 2.0) and not contains(r, "2")
    for other in (None, 5, 1.5, True, Pair(1, 2), POINT.new({"x": 1}), HIter([1]), Duration(1)):
        assert contains(other, 1) is False
    assert not_contains([1], 2) and not not_contains([1], 1)


# --------------------------------------------------------------------------- properties §8.9


def test_property_on_dicts_and_structs():
    d = {"count": 7, "a": None}
    assert get_property(d, "count") == 7 and get_property(d, "missing") is None
    assert get_property({}, "count") is None
    p = POINT.new({"x": 1})
    assert get_property(p, "x") == 1 and get_property(p, "y") is None
    assert get_property(p, "undeclared") is None


def test_property_on_enums_lists_strings_pairs():
    e = EnumValue("Shape", "Rect", (2, 3))
    assert get_property(e, "variant") == "Rect" and get_property(e, "fields") == [2, 3]
    assert get_property(EnumValue("C", "Red"), "fields") == []
    assert get_property(e, "other") is None
    assert get_property([5, 6, 7], "count") == 3 and get_property([], "empty") is True
    assert get_property([5, 6], "empty") is False
    assert get_property([5, 6, 7], "first") == 5 and get_property([5, 6, 7], "last") == 7
    assert get_property([], "first") is None and get_property([], "last") is None
    assert get_property([1], "len") is None
    assert get_property("héllo", "count") == 5 and get_property("", "empty") is True
    assert get_property("x", "empty") is False and get_property("x", "first") is None
    assert get_property(Pair(1, 2), "first") == 1 and get_property(Pair(1, 2), "second") == 2


@pytest.mark.parametrize(
    ("value", "name", "message"),
    [
        (Pair(1, 2), "x", "Type error: cannot access property `x` on pair (expected `first` or "
         "`second`)"),
        (None, "x", "Type error: cannot access property `x` on nil"),
        (42, "foo", "Type error: cannot access property `foo` on int"),
        (1.5, "foo", "Type error: cannot access property `foo` on float"),
        (True, "foo", "Type error: cannot access property `foo` on bool"),
        (HSet(), "count", "Type error: cannot access property `count` on set"),
        (HRange(1, 3, True), "len", "Type error: cannot access property `len` on range"),
        (_closure(), "x", "Type error: cannot access property `x` on closure"),
        (Duration(1), "ms", "Type error: cannot access property `ms` on duration"),
        (HIter([]), "x", "Type error: cannot access property `x` on iter"),
        (b"x", "x", "Type error: cannot access property `x` on bytes"),
    ],
)  # fmt: skip
def test_property_errors(value, name, message):
    _raises(HarnTypeError, message, get_property, value, name)
    assert get_property_opt(value, name) is None


def test_optional_property():
    assert get_property_opt(None, "x") is None
    assert get_property_opt({"x": 1}, "x") == 1
    assert get_property_opt(POINT.new({"x": 1}), "x") == 1
    assert get_property_opt(Pair(1, 2), "second") == 2
    assert get_property_opt([1, 2], "count") == 2 and get_property_opt("ab", "count") == 2
    assert get_property_opt(ok(3), "variant") == "Ok"


# --------------------------------------------------------------------------- subscripts §8.10


def test_list_and_string_index():
    xs = [10, 20, 30]
    assert get_index(xs, 0) == 10 and get_index(xs, -1) == 30 and get_index(xs, -3) == 10
    assert get_index(xs, 3) is None and get_index(xs, 5) is None and get_index(xs, -4) is None
    assert get_index([], 0) is None
    s = "héllo"
    assert get_index(s, 1) == "é" and get_index(s, -1) == "o" and get_index(s, 9) is None
    assert get_index(s, -6) is None


def test_dict_and_range_index():
    d = {"1": "one", "a": 2, "nil": 3, "true": 4, "[1, 2]": 5}
    assert get_index(d, "a") == 2 and get_index(d, 1) == "one" and get_index(d, None) == 3
    assert get_index(d, True) == 4 and get_index(d, [1, 2]) == 5 and get_index(d, "zz") is None
    r = HRange(10, 14, True)
    assert get_index(r, 0) == 10 and get_index(r, -1) == 14
    _raises(HarnRuntimeError, "Runtime error: range index out of range: index 5 for range of "
            "length 5", get_index, r, 5)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "index", "message"),
    [
        ([1], "a", "Type error: cannot index into list with string"),
        ([1], 1.0, "Type error: cannot index into list with float"),
        ([1], True, "Type error: cannot index into list with bool"),
        (None, 0, "Type error: cannot index into nil with int"),
        (5, 0, "Type error: cannot index into int with int"),
        ("ab", None, "Type error: cannot index into string with nil"),
        (POINT.new({"x": 1}), "x", "Type error: cannot index into struct with string"),
        (HRange(1, 3, True), "a", "Type error: cannot index into range with string"),
        (HSet(), 0, "Type error: cannot index into set with int"),
        (Pair(1, 2), 0, "Type error: cannot index into pair with int"),
    ],
)
def test_index_errors(value, index, message):
    _raises(HarnTypeError, message, get_index, value, index)


def test_optional_index():
    assert get_index_opt(None, 0) is None and get_index_opt(None, "x") is None
    assert get_index_opt([1, 2], 1) == 2
    _raises(HarnTypeError, "Type error: cannot index into int with int", get_index_opt, 5, 0)


def test_slices():
    xs = [1, 2, 3, 4, 5]
    assert get_slice(xs, 1, 3) == [2, 3] and get_slice(xs, None, None) == xs
    assert get_slice(xs, None, 2) == [1, 2] and get_slice(xs, 3, None) == [4, 5]
    assert get_slice(xs, -2, None) == [4, 5] and get_slice(xs, -10, 2) == [1, 2]
    assert (
        get_slice(xs, 3, 1) == []
        and get_slice(xs, 10, 20) == []
        and get_slice(xs, 2, 99) == [3, 4, 5]
    )
    assert get_slice(xs, 0, -1) == [1, 2, 3, 4] and get_slice(xs, -1, -3) == []
    whole = get_slice(xs, None, None)
    assert whole is not xs
    assert get_slice("harness", -3, None) == "ess" and get_slice("héllo", 1, 2) == "é"
    assert get_slice("abc", 5, None) == "" and get_slice("", None, None) == ""


def test_slice_errors():
    _raises(HarnTypeError, "Type error: slice start must be an integer, got string",
            get_slice, [1], "a", None)  # fmt: skip
    _raises(HarnTypeError, "Type error: slice end must be an integer, got float",
            get_slice, "ab", 0, 1.0)  # fmt: skip
    _raises(HarnTypeError, "Type error: slice start must be an integer, got bool",
            get_slice, [1], True, None)  # fmt: skip
    _raises(HarnTypeError, "Type error: cannot slice dict", get_slice, {}, 0, 1)
    _raises(HarnTypeError, "Type error: cannot slice nil", get_slice, None, None, None)
    _raises(HarnTypeError, "Type error: cannot slice range", get_slice, HRange(1, 3, True), 0, 1)


# --------------------------------------------------------------------------- assignment §8.11


def test_set_property_returns_copies():
    d = {"a": 1}
    d2 = set_property(d, "b", 2)
    assert d2 == {"a": 1, "b": 2} and d == {"a": 1}
    p = POINT.new({"x": 1})
    p2 = set_property(p, "y", 5)
    assert p2.fields == {"x": 1, "y": 5} and p.fields == {"x": 1} and p2.type is POINT
    p3 = set_property(p, "extra", 9)  # an undeclared field is added
    assert p3.fields == {"x": 1, "extra": 9}


@pytest.mark.parametrize(
    ("value", "t"),
    [([1], "list"), (None, "nil"), (5, "int"), ("s", "string"), (Pair(1, 2), "pair"),
     (ok(1), "enum"), (HSet(), "set")],
)  # fmt: skip
def test_set_property_errors(value, t):
    _raises(HarnTypeError, f"Type error: cannot set property `f` on {t}", set_property, value,
            "f", 1)  # fmt: skip


def test_set_index_list():
    xs = [1, 2, 3]
    assert set_index(xs, 0, 99) == [99, 2, 3] and xs == [1, 2, 3]
    assert set_index(xs, -1, 0) == [1, 2, 0]
    assert set_index(xs, -10, 7) == [7, 2, 3]  # negative index clamped at 0
    _raises(HarnRuntimeError, "Runtime error: Index 3 out of bounds for list of length 3",
            set_index, xs, 3, 0)  # fmt: skip
    _raises(HarnRuntimeError, "Runtime error: Index 0 out of bounds for list of length 0",
            set_index, [], -1, 0)  # fmt: skip


def test_set_index_dict():
    d = {"a": 1}
    assert set_index(d, "b", 2) == {"a": 1, "b": 2} and d == {"a": 1}
    assert set_index(d, 1, "x") == {"a": 1, "1": "x"}
    assert set_index(d, None, 0) == {"a": 1, "nil": 0}


@pytest.mark.parametrize(
    ("value", "index", "message"),
    [
        (5, "a", "Type error: cannot index into int with string"),
        ([1], "a", "Type error: cannot index into list with string"),
        ([1], 0.0, "Type error: cannot index into list with float"),
        (None, 0, "Type error: cannot index into nil with int"),
        ("abc", 0, "Type error: cannot index into string with int"),
        (POINT.new({}), "x", "Type error: cannot index into struct with string"),
        (HRange(1, 3, True), 0, "Type error: cannot index into range with int"),
    ],
)
def test_set_index_errors(value, index, message):
    _raises(HarnTypeError, message, set_index, value, index, 1)


# --------------------------------------------------------------------------- spread §8.12


def test_spread():
    xs = [1, 2]
    assert spread_list(xs) is xs
    d = {"a": 1}
    assert spread_dict(d) is d
    _raises(HarnTypeError,
            "Type error: cannot destructure int with [...] pattern \u2014 expected list",
            spread_list, 5)  # fmt: skip
    _raises(HarnTypeError,
            "Type error: cannot destructure dict with [...] pattern \u2014 expected list",
            spread_list, {})  # fmt: skip
    _raises(HarnTypeError,
            "Type error: cannot destructure list with {...} pattern \u2014 expected dict",
            spread_dict, [])  # fmt: skip
    _raises(HarnTypeError,
            "Type error: cannot destructure struct with {...} pattern \u2014 expected dict",
            spread_dict, POINT.new({}))  # fmt: skip
    _raises(HarnTypeError,
            "Type error: cannot destructure nil with {...} pattern \u2014 expected dict",
            spread_dict, None)  # fmt: skip


# --------------------------------------------------------------------------- for loops §9.4


def test_iterate_sources():
    assert list(iterate([1, 2])) == [1, 2]
    assert list(iterate(HSet.from_iterable([3, 1, 3]))) == [3, 1]
    assert list(iterate({"b": 2, "a": 1})) == [{"key": "a", "value": 1}, {"key": "b", "value": 2}]
    assert list(iterate(HRange(1, 3, True))) == [1, 2, 3]
    assert list(iterate(HRange(0, 3, False))) == [0, 1, 2]
    assert list(iterate(HRange(3, 1, True))) == []
    assert list(iterate("hé")) == ["h", "é"]  # §17.5: characters


@pytest.mark.parametrize(
    "value",
    [None, 5, 1.5, True, POINT.new({"x": 1}), ok(1), Pair(1, 2), Duration(1), b"ab",
     _closure(), BuiltinRef("len", len)],
)  # fmt: skip
def test_iterate_non_iterables_gives_nothing(value):
    assert list(iterate(value)) == []


def test_iterate_consumes_iters_and_generators():
    it = HIter([1, 2, 3])
    out = []
    for x in iterate(it):
        out.append(x)
        if x == 2:
            break
    assert out == [1, 2] and not it.exhausted
    assert list(iterate(it)) == [3] and it.exhausted
    g = HGenerator(_gen(1, 2))
    assert list(iterate(g)) == [1, 2] and g.done


def test_iterate_dict_is_snapshot_in_sorted_order():
    d = {"z": 1, "a": 2, "M": 3}
    items = iterate(d)
    assert [e["key"] for e in items] == ["M", "a", "z"]


# --------------------------------------------------------------------------- iter() §13


def test_make_iter_sources():
    assert list(make_iter([1, 2])) == [1, 2]
    assert list(make_iter(HSet.from_iterable([2, 1]))) == [2, 1]
    pairs = list(make_iter({"b": 2, "a": 1}))
    assert pairs == [Pair("a", 1), Pair("b", 2)]
    assert list(make_iter("hé")) == ["h", "é"]
    assert list(make_iter(HRange(1, 3, True))) == [1, 2, 3]
    g = HGenerator(_gen(5, 6))
    it = make_iter(g)
    assert it.next_item() == (True, 5) and g.next() == {"value": 6, "done": False}
    assert list(it) == [] and g.done
    base = HIter([1])
    assert make_iter(base) is base


def test_make_iter_is_lazy_over_huge_ranges():
    it = make_iter(HRange(1, 10**12, True))
    assert it.next_item() == (True, 1) and it.next_item() == (True, 2)


def test_make_iter_snapshot_and_shared_identity():
    xs = [1, 2, 3]
    it = make_iter(xs)
    xs = set_index(xs, 0, 9)  # a script's `xs[0] = 9` rebinds to a copy
    alias = it
    assert alias.next_item() == (True, 1)
    assert list(it) == [2, 3] and alias.exhausted


@pytest.mark.parametrize(
    ("value", "t"),
    [(None, "nil"), (5, "int"), (1.5, "float"), (True, "bool"), (POINT.new({}), "struct"),
     (ok(1), "enum"), (Pair(1, 2), "pair"), (Duration(1), "duration"), (b"x", "bytes"),
     (_closure(), "closure")],
)  # fmt: skip
def test_make_iter_errors(value, t):
    _raises(HarnTypeError, f"Type error: iter: value of type {t} is not iterable", make_iter,
            value)  # fmt: skip


def test_register_iterable():
    class Channel:
        def __init__(self, items):
            self.items = items

    register_iterable(Channel, lambda c: iter(c.items))
    assert list(iterate(Channel([1, 2]))) == [1, 2]
    assert list(make_iter(Channel([3]))) == [3]


# --------------------------------------------------------------------------- ranges


def test_make_range():
    r = make_range(1, 5, True)
    assert (r.start, r.end, r.inclusive) == (1, 5, True)
    r = make_range("a", 3, False)  # the reference treats a non-int operand as 0
    assert (r.start, r.end) == (0, 3)
    r = make_range(1.5, True, True)
    assert (r.start, r.end) == (0, 0)
