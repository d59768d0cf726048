"""display / type_of / truthy (language.md §6.1, §7)."""

from __future__ import annotations

import math

import pytest

from vm.runtime.display import (
    display,
    format_duration,
    format_float,
    format_int,
    register_value_type,
    truthy,
    type_of,
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


def _closure(*params: str):  # a compiled script function: a plain Python function
    def f(*args):
        return None

    f.harn_params = params
    return f


def _gen():
    yield 1


POINT = StructType("Point", ("x", "y", "label"))


# --------------------------------------------------------------------------- scalars


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "nil"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (42, "42"),
        (-7, "-7"),
        (2**70, "1180591620717411303424"),
        ("", ""),
        ('héllo "x"\n', 'héllo "x"\n'),
    ],
)
def test_scalars(value, text):
    assert display(value) == text


def test_huge_int_beyond_cpython_str_limit():
    n = 10**5000 + 7
    text = format_int(n)
    assert len(text) == 5001 and text.startswith("1000") and text.endswith("0007")
    assert display(-n) == "-" + text
    assert display(-(10**12345)) == "-1" + "0" * 12345


# --------------------------------------------------------------------------- floats §7.3


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7 / 2.0, "3.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (10.0**15, "1000000000000000"),
        (1e21, "1000000000000000000000"),
        (1e20, "100000000000000000000"),
        (1e16, "10000000000000000"),
        (1e-7, "0.0000001"),
        (2.5e-5, "0.000025"),
        (1.5e-7, "0.00000015"),
        (-1.5e-7, "-0.00000015"),
        (5.0, "5.0"),
        (10.0, "10.0"),
        (-3.0, "-3.0"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (999999999999999.0, "999999999999999.0"),
        (-1e15, "-1000000000000000"),
        (1.2345e20, "123450000000000000000"),
        (-2e16, "-20000000000000000"),
        (1234567890123456.8, "1234567890123456.8"),
        (0.001, "0.001"),
        (2.0**60, "1152921504606847000"),
        (1.5e-16, "0.00000000000000015"),
        (1 / 3.0, "0.3333333333333333"),
        (123456789.125, "123456789.125"),
        (1e-4, "0.0001"),
        (123.456, "123.456"),
        (float("nan"), "NaN"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
    ],
)
def test_float_format(value, text):
    assert format_float(value) == text
    assert display(value) == text


def test_float_extremes_round_trip_positionally():
    big = format_float(1.7976931348623157e308)
    assert big.startswith("17976931348623157") and "e" not in big and len(big) == 309
    tiny = format_float(5e-324)
    assert tiny == "0." + "0" * 323 + "5"
    assert float(tiny) == 5e-324


# --------------------------------------------------------------------------- collections


def test_lists_raw_strings_nested():
    assert display([]) == "[]"
    assert display([1, "two", None]) == "[1, two, nil]"
    assert display([[1, [2]], ["a b"]]) == "[[1, [2]], [a b]]"


def test_dicts_sorted_by_code_point():
    assert display({}) == "{}"
    assert display({"b": [1, "x"], "a": None}) == "{a: nil, b: [1, x]}"
    assert display({"b": 1, "B": 2, "a": 3, "é": 4, "_": 5}) == "{B: 2, _: 5, a: 3, b: 1, é: 4}"
    assert display({"k": {"z": 1, "y": 2}}) == "{k: {y: 2, z: 1}}"


def test_sets_in_insertion_order():
    assert display(HSet()) == "set()"
    assert display(HSet.from_iterable([3, 1, 3, 2])) == "set(3, 1, 2)"
    assert display(HSet.from_iterable(["a", 1.0])) == "set(a, 1.0)"


def test_structs():
    assert display(POINT.new({"y": 2, "x": 1})) == "Point {x: 1, y: 2}"
    assert display(POINT.new({})) == "Point {}"
    assert display(StructValue(POINT, {"label": "p", "x": [1]})) == "Point {label: p, x: [1]}"


def test_enums():
    assert display(ok(42)) == "Result.Ok(42)"
    assert display(err("not found")) == "Result.Err(not found)"
    assert display(EnumValue("Color", "Red", ())) == "Color.Red"
    assert display(EnumValue("Shape", "Rect", (2, 3))) == "Shape.Rect(2, 3)"
    assert display(EnumValue("AppErr", "Missing", ("id",))) == "AppErr.Missing(id)"
    assert display(ok(ok(None))) == "Result.Ok(Result.Ok(nil))"


def test_pairs_and_ranges():
    assert display(Pair("a", 1)) == "(a, 1)"
    assert display(Pair(Pair(1, 2), [3])) == "((1, 2), [3])"
    assert display(HRange(1, 5, True)) == "1 to 5"
    assert display(HRange(0, 5, False)) == "0 to 5 exclusive"
    assert display(HRange(5, 1, True)) == "5 to 1"
    assert display(HRange(-3, -1, True)) == "-3 to -1"


def test_callables():
    assert display(_closure("a", "b")) == "<fn(a, b)>"
    assert display(_closure()) == "<fn()>"
    assert display(_closure("xs")) == "<fn(xs)>"  # rest parameter stored without ...
    assert display(lambda: 1) == "<fn()>"  # no harn_params: no names
    assert display(BuiltinRef("len", len)) == "<builtin len>"
    assert display(POINT) == "<fn(fields)>"


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0ms"),
        (7_200_000, "2h"),
        (90_000, "90s"),
        (1500, "1500ms"),
        (5000, "5s"),
        (5_400_000, "90m"),
        (86_400_000, "24h"),
        (604_800_000, "168h"),
        (60_000, "1m"),
        (3_600_000, "1h"),
        (3_601_000, "3601s"),
        (1, "1ms"),
        (-7_200_000, "-2h"),
        (-1500, "-1500ms"),
    ],
)
def test_durations(ms, text):
    assert format_duration(ms) == text
    assert display(Duration(ms)) == text


def test_iter_display_never_pulls():
    it = HIter([1, 2])
    assert display(it) == "<iter>"
    assert display(it) == "<iter>"
    assert it.next_item() == (True, 1)
    assert display([it]) == "[<iter>]"
    assert it.next_item() == (True, 2)
    assert display(it) == "<iter>"  # exhaustion is known only once a pull finds nothing
    assert it.next_item() == (False, None)
    assert display(it) == "<iter (exhausted)>"


def test_empty_iter_is_not_exhausted_until_pulled():
    it = HIter([])
    assert display(it) == "<iter>"
    assert list(it) == []
    assert display(it) == "<iter (exhausted)>"


def test_generator_display():
    g = HGenerator(_gen())
    assert display(g) == "<generator>"
    g.next()
    assert display(g) == "<generator>"
    g.next()
    assert display(g) == "<generator (done)>"


def test_bytes():
    assert display(b"") == 'b""'
    assert display(b"hi\n") == 'b"68690a"'
    assert display(bytes(range(32))) == 'b"' + bytes(range(32)).hex() + '"'
    long = bytes(range(40))
    assert display(long) == 'b"' + bytes(range(32)).hex() + '...+8"'
    assert display(b"\xab" * 33) == 'b"' + "ab" * 32 + '...+1"'


# --------------------------------------------------------------------------- type_of


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "nil"),
        (True, "bool"),
        (False, "bool"),
        (0, "int"),
        (1.5, "float"),
        ("", "string"),
        ([], "list"),
        ({}, "dict"),
        (HSet(), "set"),
        (Duration(5), "duration"),
        (HRange(0, 3, False), "range"),
        (BuiltinRef("len", len), "builtin"),
        (POINT.new({}), "struct"),
        (POINT, "closure"),
        (ok(1), "enum"),
        (EnumValue("Color", "Red"), "enum"),
        (Pair(1, 2), "pair"),
        (HIter([]), "iter"),
        (b"x", "bytes"),
    ],
)
def test_type_of(value, name):
    assert type_of(value) == name


def test_type_of_functions_and_generators():
    assert type_of(_closure("a")) == "closure"
    assert type_of(lambda x: x) == "closure"
    assert type_of(HGenerator(_gen())) == "generator"


# --------------------------------------------------------------------------- truthiness


@pytest.mark.parametrize(
    "value",
    [None, False, 0, 0.0, -0.0, "", [], {}, HSet(), Duration(0), b""],
)
def test_falsy(value):
    assert truthy(value) is False


@pytest.mark.parametrize(
    "value",
    [
        True,
        1,
        -1,
        0.5,
        float("nan"),
        float("inf"),
        " ",
        "0",
        [0],
        {"a": None},
        HSet.from_iterable([None]),
        Duration(1),
        Duration(-1),
        b"\x00",
        HRange(0, 0, False),  # ranges are never falsy, even when empty
        HRange(5, 1, True),
        _closure(),
        BuiltinRef("len", len),
        POINT.new({}),
        EnumValue("Color", "Red"),
        ok(None),
        Pair(None, None),
        HIter([]),
        HGenerator(_gen()),
    ],
)
def test_truthy(value):
    assert truthy(value) is True


def test_nan_truthy_but_displayed():
    assert truthy(math.nan) and display(math.nan) == "NaN"


# --------------------------------------------------------------------------- extension


def test_register_value_type():
    class Handle:
        def __init__(self, n: int) -> None:
            self.n = n

    register_value_type(Handle, "atomic", lambda h: f"<atomic:{h.n}>", lambda h: h.n != 0)
    assert type_of(Handle(3)) == "atomic"
    assert display([Handle(3)]) == "[<atomic:3>]"
    assert truthy(Handle(0)) is False and truthy(Handle(1)) is True

    class Other:
        pass

    register_value_type(Other, "channel")
    assert display(Other()) == "<channel>" and truthy(Other()) is True


# --------------------------------------------------------------------------- deep nesting


def _nested_sample(depth: int):
    v = [1, "s", None]
    for i in range(depth):
        v = [v, {"k": Pair(i, HSet.from_iterable([ok(i), 2.5]))},
             StructValue(POINT, {"y": v, "x": EnumValue("E", "V", (i, v))}),
             StructValue(POINT, {}), EnumValue("E", "W")]
    return v


def test_display_deep_matches_recursive_display() -> None:
    from vm.runtime.display import _display_deep

    for depth in range(4):
        v = _nested_sample(depth)
        assert _display_deep(v) == display(v)


def test_display_survives_nesting_beyond_the_recursion_limit() -> None:
    v: list = [0]
    for _ in range(5000):
        v = [v, {"a": [1]}]
    s = display(v)
    assert s == "[" * 5000 + "[0]" + ", {a: [1]}]" * 5000
