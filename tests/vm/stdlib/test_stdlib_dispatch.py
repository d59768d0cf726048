"""Method dispatch entry points, builtin values and host restrictions (stdlib.md §0.5, §0.7)."""

from __future__ import annotations

import pytest
from stdlib_helpers import m

from vm.runtime.errors import HarnError
from vm.runtime.values import BuiltinRef, StructType
from vm.stdlib.dispatch import (
    builtin_functions,
    builtin_value,
    call_method,
    global_values,
    method_site,
    undefined_builtin,
)


def test_unknown_methods_and_scalars_give_nil() -> None:
    assert m(5, "nope") is None and m(None, "upper") is None and m(True, "x") is None
    assert m(2.5, "floor") is None and m(lambda: 1, "x") is None
    assert m([1], "len") is None


def test_dict_callable_fallback_and_structs() -> None:
    assert m({"run": lambda x: x + 1}, "run", 1) == 2
    assert m({"run": 3}, "run") is None
    point = StructType("P", ("x",), {"double": lambda self: self.fields["x"] * 2})
    assert m(point({"x": 4}), "double") == 8
    assert m(point({"x": 4}), "other") is None


def test_method_site_matches_call_method() -> None:
    by_type, fallback = method_site("contains")
    for recv, arg in (([1, 2], 2), ("abc", "b"), ({"contains": lambda x: x}, 7), (3, 1)):
        got = by_type.get(type(recv), fallback)(recv, arg)
        assert got == call_method(recv, "contains", arg)
    assert method_site("contains") is method_site("contains")


def test_builtin_values_and_denial() -> None:
    ref = builtin_value("len")
    assert isinstance(ref, BuiltinRef) and ref("abc") == 3 and builtin_value("len") is ref
    assert builtin_value("nope") is None
    table = builtin_functions(denied=["env", "println"])
    with pytest.raises(HarnError) as info:
        table["env"]("HOME")
    assert info.value.message == "Error [tool_rejected]: Tool 'env' is not permitted."
    assert table["println"] is not None  # always allowed
    builtin_functions()


def test_undefined_builtin_suggestion() -> None:
    assert undefined_builtin("pritnln").message == (
        "Runtime error: Undefined builtin: pritnln (did you mean `println`?)")
    assert undefined_builtin("zzzzzzzz").message == "Runtime error: Undefined builtin: zzzzzzzz"


def test_globals() -> None:
    g = global_values()
    assert g["pi"] == 3.141592653589793 and g["e"] == 2.718281828459045
    assert isinstance(g["argv"], list)
    assert list(g["stream"]["map"](["ab"], len)) == [2]  # stdlib.md §10.5
