"""Value classes, structural keys and errors (values.py, errors.py)."""

from __future__ import annotations

import pytest

from vm.runtime.errors import (
    CategorizedError,
    HarnError,
    HarnRuntimeError,
    HarnTypeError,
    ThrowError,
    VMError,
    categorized,
    plain_error,
    runtime_error,
    translate_python_error,
    type_error,
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
    is_err,
    is_ok,
    is_result,
    ok,
    structural_key,
)


def _closure(*params: str):
    def f(*args):
        return None

    f.harn_params = params
    return f


# --------------------------------------------------------------------------- Duration


def test_duration_immutable_equal_ordered_hashable():
    assert Duration(5000) == Duration(5000)
    assert Duration(1) != Duration(2)
    assert Duration(1) < Duration(2) and Duration(3) >= Duration(3)
    assert hash(Duration(7)) == hash(Duration(7))
    assert len({Duration(7), Duration(7), Duration(8)}) == 2
    with pytest.raises(AttributeError):
        Duration(1).ms = 3  # type: ignore[misc]


# --------------------------------------------------------------------------- HRange


def test_range_inclusive_and_exclusive():
    r = HRange(1, 5, True)
    assert r.length() == 5 and r.to_list() == [1, 2, 3, 4, 5]
    assert r.first() == 1 and r.last() == 5
    e = HRange(0, 5, False)
    assert e.length() == 5 and e.to_list() == [0, 1, 2, 3, 4] and e.last() == 4


def test_empty_ranges_never_descend():
    for r in (HRange(5, 1, True), HRange(3, 3, False), HRange(5, 1, False)):
        assert r.length() == 0 and r.to_list() == [] and list(r) == []
        assert r.first() is None and r.last() is None
    assert HRange(3, 3, True).to_list() == [3]


def test_range_contains_ints_only():
    r = HRange(1, 5, True)
    assert r.contains(1) and r.contains(5) and not r.contains(6) and not r.contains(0)
    assert not r.contains(2.0) and not r.contains(True) and not r.contains("2")
    assert not HRange(1, 5, False).contains(5)


def test_range_at():
    r = HRange(10, 14, True)  # 10..14, length 5
    assert r.at(0) == 10 and r.at(4) == 14 and r.at(-1) == 14 and r.at(-5) == 10
    with pytest.raises(HarnRuntimeError) as info:
        r.at(5)
    assert (
        info.value.message
        == "Runtime error: range index out of range: index 5 for range of length 5"
    )
    with pytest.raises(HarnRuntimeError) as info:
        r.at(-6)
    assert info.value.value == (
        "Runtime error: range index out of range: index -6 for range of length 5"
    )
    with pytest.raises(HarnRuntimeError, match="index 0 for range of length 0"):
        HRange(5, 1, True).at(0)


def test_range_is_lazy_and_o1():
    r = HRange(0, 10**18, False)
    assert r.length() == 10**18 and r.contains(10**17) and r.at(-1) == 10**18 - 1
    it = iter(r)
    assert [next(it), next(it)] == [0, 1]
    assert r.py_range() == range(0, 10**18)


# --------------------------------------------------------------------------- Pair, enums


def test_pair_and_enum_fields():
    p = Pair(1, "a")
    assert p.first == 1 and p.second == "a"
    e = EnumValue("Shape", "Rect", (2, 3))
    assert (e.enum, e.variant, e.fields) == ("Shape", "Rect", (2, 3))
    assert EnumValue("Color", "Red").fields == ()


def test_python_eq_follows_harn_eq():
    assert Pair(1, 2) == Pair(1.0, 2)
    assert Pair(1, True) != Pair(1, 1)
    assert ok(1) == EnumValue("Result", "Ok", (1,))
    assert HRange(1, 3, True) == HRange(1, 3, True)
    assert HRange(1, 3, True) != HRange(1, 4, False)
    assert HSet.from_iterable([1, 2]) == HSet.from_iterable([2, 1])


def test_result_helpers():
    assert is_ok(ok(1)) and not is_err(ok(1)) and is_result(ok(1))
    assert is_err(err("e")) and not is_ok(err("e")) and is_result(err("e"))
    assert not is_ok(EnumValue("Other", "Ok", (1,))) and not is_ok(1) and not is_result(None)
    assert ok(5).fields == (5,) and err("x").fields == ("x",)


# --------------------------------------------------------------------------- structs


def test_struct_type_constructs_dropping_undeclared_keys():
    point = StructType("Point", ("x", "y"))
    p = point.new({"x": 1, "z": 9})
    assert p.fields == {"x": 1} and p.type is point and p.name == "Point"
    assert p.get("y") is None and p.get("z") is None
    q = point({"y": 2, "x": 1, "w": 0})  # the call form Point({...})
    assert q.fields == {"y": 2, "x": 1}
    assert point().fields == {} and point(5).fields == {}
    assert point.harn_params == ("fields",)


def test_struct_methods_filled_later():
    point = StructType("Point", ("x",))
    point.methods["norm"] = lambda self: self.fields.get("x")
    assert point.methods["norm"](point.new({"x": 3})) == 3


def test_struct_value_equality_by_name_and_fields():
    a = StructType("P", ("x", "y"))
    b = StructType("P", ("x",))
    assert StructValue(a, {"x": 1, "y": 2}) == StructValue(a, {"y": 2, "x": 1.0})
    assert StructValue(a, {"x": 1}) == StructValue(b, {"x": 1})  # same name
    assert StructValue(a, {"x": 1}) != StructValue(StructType("Q", ("x",)), {"x": 1})
    assert StructValue(a, {"x": 1}) != StructValue(a, {"x": 1, "y": None})


# --------------------------------------------------------------------------- BuiltinRef


def test_builtin_ref():
    f = BuiltinRef("len", len)
    assert f([1, 2]) == 2
    assert f == BuiltinRef("len", lambda v: 0)
    assert f != BuiltinRef("str", len) and f != "len"
    assert hash(f) == hash(BuiltinRef("len", len))


# --------------------------------------------------------------------------- structural keys


def test_structural_keys_are_type_tagged():
    keys = [structural_key(v) for v in (1, 1.0, True, "1", None, b"1", Duration(1))]
    assert len(set(keys)) == 7
    assert structural_key(0) != structural_key(False) != structural_key(0.0)
    assert structural_key(None) != structural_key("")


def test_structural_keys_of_collections():
    assert structural_key({"a": 1, "b": 2}) == structural_key({"b": 2, "a": 1})
    assert structural_key([1, 2]) != structural_key([2, 1])
    assert structural_key([1]) != structural_key([1.0])
    assert structural_key([[1, "x"]]) == structural_key([[1, "x"]])
    s1 = HSet.from_iterable([1, 2])
    s2 = HSet.from_iterable([2, 1])
    assert structural_key(s1) == structural_key(s2)
    assert structural_key(Pair(1, 2)) != structural_key(Pair(2, 1))
    assert structural_key(ok(1)) != structural_key(err(1))
    assert structural_key(ok(1)) == structural_key(ok(1))
    point = StructType("P", ("x",))
    assert structural_key(point.new({"x": 1})) == structural_key(point.new({"x": 1}))
    assert structural_key(HRange(1, 3, True)) != structural_key(HRange(1, 4, False))
    assert structural_key(BuiltinRef("len", len)) == structural_key(BuiltinRef("len", len))
    assert structural_key([1, 2]) != structural_key(Pair(1, 2))
    assert structural_key({"a": 1}) != structural_key([("a", 1)])


def test_structural_key_nan_zero_and_identity_values():
    nan = float("nan")
    assert structural_key(nan) == structural_key(float("nan"))
    assert len(HSet.from_iterable([nan, float("nan")])) == 1
    assert structural_key(-0.0) == structural_key(0.0)  # like ==; display differs
    f = _closure()
    assert structural_key(f) == structural_key(f)
    assert structural_key(f) != structural_key(_closure())
    hash(structural_key([f, {"a": HIter([])}]))


# --------------------------------------------------------------------------- HSet


def test_set_unique_by_structural_key_in_insertion_order():
    s = HSet.from_iterable([3, 1, 3, 2])
    assert list(s) == [3, 1, 2] and len(s) == 3
    assert len(HSet.from_iterable([1, "1", 1.0, True])) == 4
    assert len(HSet.from_iterable([[1, 2], [1, 2], {"a": 1}, {"a": 1}])) == 2
    first = [1]
    s2 = HSet.from_iterable([first, [1]])
    assert s2.values()[0] is first  # first occurrence kept


def test_set_add_returns_new_set():
    s = HSet.from_iterable([1, 2])
    t = s.add(3)
    assert list(s) == [1, 2] and list(t) == [1, 2, 3]
    assert s.add(1) is s
    assert list(s.add(1.0)) == [1, 2, 1.0]
    assert list(t.without_key(2)) == [1, 3] and list(t) == [1, 2, 3]
    assert t.without_key(9) is t
    assert t.to_list() == [1, 2, 3]


def test_set_contains_key_vs_eq():
    s = HSet.from_iterable([1, "a", None, True, [1, 2], {"k": 1}, 2.5])
    assert s.contains_key(1) and not s.contains_key(1.0)
    assert s.contains_eq(1.0) and s.contains_eq(1)
    assert s.contains_eq("a") and not s.contains_eq("b") and s.contains_eq(None)
    assert s.contains_eq(True) and not s.contains_eq(False)
    assert s.contains_eq([1.0, 2]) and not s.contains_key([1.0, 2])
    assert s.contains_eq({"k": 1.0}) and not s.contains_eq({"k": 2})
    assert not s.contains_eq(2) and s.contains_eq(2.5)
    floats = HSet.from_iterable([3.0, -0.0])
    assert floats.contains_eq(3) and floats.contains_eq(0) and not floats.contains_eq(4)
    assert not HSet.from_iterable([1]).contains_eq(True)
    assert not HSet.from_iterable([True]).contains_eq(1)
    assert not HSet.from_iterable([float("inf")]).contains_eq(10**400)
    assert HSet.from_iterable([10**400]).contains_eq(10**400)
    nan = float("nan")
    assert not HSet.from_iterable([nan]).contains_eq(nan)  # NaN == NaN is false
    f = _closure()
    assert not HSet.from_iterable([f]).contains_eq(f)  # closures never equal
    assert HSet.from_iterable([f]).contains_key(f)
    nested = HSet.from_iterable([HSet.from_iterable([1])])
    assert nested.contains_eq(HSet.from_iterable([1.0]))


# --------------------------------------------------------------------------- HIter


def test_iter_is_lazy_single_pass_fused():
    pulled = []

    def source():
        for i in range(3):
            pulled.append(i)
            yield i

    it = HIter(source())
    assert pulled == []
    assert it.next_item() == (True, 0) and pulled == [0]
    assert list(it) == [1, 2]
    assert it.exhausted
    assert it.next_item() == (False, None)
    assert list(it) == []
    with pytest.raises(StopIteration):
        next(it)


def test_iter_shared_identity_through_derived_iters():
    it = HIter([4, 8, 15, 16, 23, 42])
    derived = HIter(x for x in it if x % 2 == 0)
    assert derived.next_item() == (True, 4)
    assert it.next_item() == (True, 8)  # the derived pull took only 4 from the parent
    assert derived.next_item() == (True, 16)  # consumed 15 and 16 of the parent
    assert it.next_item() == (True, 23)
    assert list(derived) == [42]
    assert it.exhausted  # the derived iter's pulls exhausted the parent
    assert list(HIter(it)) == []


def test_iter_of_iter_shares_state():
    it = HIter([1, 2, 3])
    same = HIter(it)
    assert same.next_item() == (True, 1)
    assert it.next_item() == (True, 2)


def test_iter_fused_even_if_source_is_not():
    class Flaky:
        def __init__(self):
            self.calls = 0

        def __iter__(self):
            return self

        def __next__(self):
            self.calls += 1
            if self.calls == 1:
                raise StopIteration
            return "late"

    it = HIter(Flaky())
    assert it.next_item() == (False, None)
    assert it.next_item() == (False, None)
    assert list(it) == []


def test_iter_drain_break_keeps_remaining_items():
    it = HIter([1, 2, 3, 4])
    for x in it.drain():
        if x == 2:
            break
    assert not it.exhausted
    assert list(it.drain()) == [3, 4]
    assert it.exhausted
    assert list(it.drain()) == []


def test_iter_drain_with_generator_source_survives_break():
    def source():
        yield from (1, 2, 3)

    it = HIter(source())
    d = it.drain()
    assert next(d) == 1
    d.close()  # what abandoning a for loop does
    assert it.next_item() == (True, 2)


def test_iter_error_in_source_propagates():
    def source():
        yield 1
        raise ThrowError("boom")

    it = HIter(source())
    assert it.next_item() == (True, 1)
    with pytest.raises(ThrowError):
        it.next_item()


# --------------------------------------------------------------------------- HGenerator


def _countdown(n: int):
    while n > 0:
        yield n
        n -= 1
    return "ignored"


def test_generator_next_protocol():
    g = HGenerator(_countdown(2))
    assert not g.done
    assert g.next() == {"value": 2, "done": False}
    assert g.next() == {"value": 1, "done": False}
    assert not g.done
    assert g.next() == {"value": None, "done": True}
    assert g.done
    assert g.next() == {"value": None, "done": True}


def test_generator_does_not_run_until_pulled():
    ran = []

    def body():
        ran.append(1)
        yield None

    g = HGenerator(body())
    assert ran == []
    assert g.next() == {"value": None, "done": False} and ran == [1]


def test_generator_error_surfaces_at_pull_and_finishes():
    def body():
        yield 1
        raise plain_error("Division by zero")

    g = HGenerator(body())
    assert g.next()["value"] == 1
    with pytest.raises(VMError, match="Division by zero"):
        g.next()
    assert g.done
    assert g.next() == {"value": None, "done": True}


def test_generator_for_loop_and_break():
    g = HGenerator(_countdown(4))
    for v in g:
        if v == 3:
            break
    assert not g.done
    assert g.next() == {"value": 2, "done": False}
    assert list(g) == [1]
    assert g.done
    assert list(g) == []


def test_generator_error_in_for_loop_finishes():
    def body():
        yield 1
        raise ThrowError("x")

    g = HGenerator(body())
    out = []
    with pytest.raises(ThrowError):
        for v in g:
            out.append(v)
    assert out == [1] and g.done


def test_generator_python_next():
    g = HGenerator(_countdown(1))
    assert next(g) == 1
    with pytest.raises(StopIteration):
        next(g)
    assert g.done
    with pytest.raises(StopIteration):
        next(g)


# --------------------------------------------------------------------------- errors


def test_throw_error_binds_the_value():
    e = ThrowError({"code": 404})
    assert e.value == {"code": 404}
    assert e.message == "Thrown: {code: 404}"
    assert str(e) == "Thrown: {code: 404}"
    assert ThrowError(EnumValue("AppErr", "Missing", ("id",))).message == (
        "Thrown: AppErr.Missing(id)"
    )
    assert ThrowError("No match arm matched the value").message == (
        "Thrown: No match arm matched the value"
    )
    assert e.kind == "throw" and isinstance(e, HarnError)
    assert e.pos is None and e.path is None


def test_vm_error_factories():
    t = type_error("Cannot add string and int")
    assert isinstance(t, HarnTypeError) and t.kind == "type"
    assert t.value == t.message == "Type error: Cannot add string and int"
    r = runtime_error("Cannot divide string by int")
    assert isinstance(r, HarnRuntimeError) and r.kind == "runtime"
    assert r.value == r.message == "Runtime error: Cannot divide string by int"
    for msg in (
        "Division by zero",
        "Undefined variable: x",
        "Cannot assign to immutable binding: x",
        "Stack overflow: too many nested calls",
        "Undefined builtin: f",
    ):
        p = plain_error(msg)
        assert type(p) is VMError and p.kind == "plain" and p.value == p.message == msg
    c = categorized("tool_rejected", "Tool 'x' is not permitted.")
    assert isinstance(c, CategorizedError) and c.kind == "categorized"
    assert c.value == c.message == "Error [tool_rejected]: Tool 'x' is not permitted."
    assert c.category == "tool_rejected" and c.detail == "Tool 'x' is not permitted."


def test_errors_are_raisable_and_positionable():
    with pytest.raises(HarnError) as info:
        raise type_error("x")
    info.value.pos = 12
    info.value.path = "a.harn"
    assert (info.value.pos, info.value.path) == (12, "a.harn")


def test_translate_python_error():
    assert translate_python_error(ZeroDivisionError()).message == "Division by zero"
    assert translate_python_error(RecursionError()).message == (
        "Stack overflow: too many nested calls"
    )
    e = type_error("x")
    assert translate_python_error(e) is e
    assert translate_python_error(KeyError("k")) is None
