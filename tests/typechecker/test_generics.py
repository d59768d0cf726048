"""Calls, generics, constructors and returns (types.md §9) and inference (§6)."""

from __future__ import annotations

import pytest

from lang import ast
from tests.typechecker.helpers import check, errors, messages
from typechecker.types import show


def binding(result, name: str) -> str:
    for node, t in result.binding_types.items():
        if type(node) is ast.NamePattern and node.name == name:
            return show(t)
    raise KeyError(name)


def test_generic_return_is_substituted() -> None:
    r = check("""
        fn first<T>(xs: list<T>) -> T { return xs[0] }
        let a = first([1, 2])
        let b = first(["x"])
        let c: int = first([1])
        """)
    assert binding(r, "a") == "int" and binding(r, "b") == "string"
    assert [d for d in r.diagnostics if d.is_error] == []


def test_binding_errors_precede_argument_errors() -> None:
    got = errors("""
        fn pair_up<T>(a: T, b: T, c: T) -> list<T> { return [a, b, c] }
        pair_up(1, "x", true)
        """)
    assert got == [
        ("E004", "type parameter 'T' was inferred as both int and string"),
        ("E004", "type parameter 'T' was inferred as both int and bool"),
        ("E003", "Argument 2 ('b'): expected int, got string"),
        ("E003", "Argument 3 ('c'): expected int, got bool"),
    ]


def test_explicit_type_arguments_seed_bindings() -> None:
    assert errors("""
        fn id<T>(x: T) -> T { return x }
        id<string>(1)
        """) == [("E004", "type parameter 'T' was inferred as both string and int"),
                 ("E003", "Argument 1 ('x'): expected string, got int")]


def test_wildcard_never_conflicts() -> None:
    assert errors("""
        fn both<T>(a: T, b: T) { return a }
        both(Ok(1), Ok(2))
        both(Err("e"), Ok(1))
        """) == []


def test_unbound_type_parameter_stays_a_name() -> None:
    # reference quirk: `... assigned T`; the program runs, so it is W120 (§18.2)
    r = check("""
        fn id<T>(x: T) -> T { return x }
        fn main(u) {
          let k: int = id(u)
        }""")
    assert [(d.code, d.message) for d in r.diagnostics] == [
        ("W120", "'k' declared as int, but assigned T")]


def test_user_call_result_types() -> None:
    r = check("""
        fn mk() -> {n: int} { return {n: 1} }
        fn nothing() { return 1 }
        let a = mk()
        let b = nothing()
        let c = mk().n
        """)
    assert binding(r, "a") == "{n: int}"
    assert binding(r, "c") == "int"
    with pytest.raises(KeyError):
        binding(r, "zzz")
    assert r.binding_types[[n for n in r.binding_types
                            if type(n) is ast.NamePattern and n.name == "b"][0]] is None


def test_closures_held_in_variables_are_not_checked() -> None:
    assert errors("""
        fn add(a: int) -> int { return a }
        fn apply(add, x: string) { return add(x) }
        """) == []


def test_struct_literal_generic_binding() -> None:
    assert errors("""
        struct Box<T> { a: T, b: T }
        let x = Box {a: 1, b: 2}
        """) == []
    assert messages("""
        struct Box<T> { a: T, b: list<T> }
        let x = Box {a: 1, b: ["s"]}
        """)[0] == ("E015", "Field 'b' in struct 'Box' expects list<int>, got list<string>")


def test_where_clause_ok_and_interface_assignability() -> None:
    prog = """
        interface Named { fn name(self) -> string }
        struct Dog { n: string }
        impl Dog { fn name(self) -> string { return self.n } }
        fn greet<T>(x: T) -> string where T: Named { return x.name() }
        let d = Dog {n: "rex"}
        greet(d)
        let as_iface: Named = d
        """
    assert errors(prog) == []


def test_interface_mismatch_reasons() -> None:
    base = """
        interface Sized { fn size(self, unit: string) -> int }
        struct A { v: int }
        impl A { IMPL }
        fn need<T>(x: T) -> int where T: Sized { return 1 }
        need(A {v: 1})
        """
    cases = {
        "fn other(self) { return 1 }": "missing method 'size'",
        "fn size(self) -> int { return 1 }": "method 'size' has 0 parameter(s), expected 1",
        "fn size(self, unit: int) -> int { return 1 }":
            "method 'size' parameter 1 has type 'int', expected 'string'",
        'fn size(self, unit: string) -> string { return "" }':
            "method 'size' returns 'string', expected 'int'",
    }
    for impl, reason in cases.items():
        got = errors(base.replace("IMPL", impl))
        assert got and got[0][0] == "E009" and reason in got[0][1], got


def test_return_check_scope_quirk() -> None:
    # §9.4: body variables are untyped in the return check, so this is accepted
    assert errors("""
        fn f() -> int {
          let s: string = "x"
          return s
        }""") == []
    # returns in loops are not checked
    assert errors("""
        fn f(xs) -> int {
          for x in xs { return "s" }
          return 1
        }""") == []


def test_returns_in_if_branches_are_checked() -> None:
    assert errors("""
        fn f(c) -> int {
          if c { return "s" } else { return 1 }
        }""") == [("E011", "return type doesn't match: expected int, got string")]


@pytest.mark.parametrize("expr,printed", [
    ("[1, 2]", "list<int>"),
    ('[1, "a", 2]', "list<int | string>"),
    ("[]", "list"),
    ("{}", "dict"),
    ('{a: 1, b: "x"}', "{a: int, b: string}"),
    ("{a: nothing()}", "{a: nil}"),
    ("{...d}", "dict"),
    ("1 to 3", "range"),
    ("!1", "bool"),
    ("-2.5", "float"),
    ("1 + 2", "int"),
    ("1 + 2.0", "float"),
    ('"a" + "b"', "string"),
    ('"a" * 2', "string"),
    ("[1] + [2]", None),
    ("[] + []", "list"),
    ("1 == 2", "bool"),
    ("Ok(1)", "Result<int, _>"),
    ('Err("e")', "Result<_, string>"),
    ("try { 1 }", "Result<int, _>"),
    ("maybe ?? 0", "int"),
    ("c ? 1 : 2", "int"),
    ('c ? 1 : "s"', "int | string"),
    ("if c { 1 } else { 2 }", "int"),
    ('if c { 1 } else { "s" }', "int | string"),
    ("to_int(\"4\")", "int"),
    ("len([1])", None),
    ("type_of(1)", "string"),
    ("[1, 2].map({ x -> x })", "list"),
    ("\"a\".split(\",\")", "list"),
    ("iter([1, 2])", "iter"),
    ("iter([1]).map({ x -> x })", "iter"),
    ("[1, 2].iter()", "iter<int>"),
    ("[1, 2].iter().filter({ x -> true })", "iter<int>"),
    ("[1, 2].iter().enumerate()", "iter<Pair<int, int>>"),
    ("[1, 2].iter().first()", "int | nil"),
    ("{ x: int -> x + 1 }", "fn(int) -> int"),
    ("{ x -> x }", "closure"),
    ("env(\"HOME\")", "string | nil"),
])
def test_expression_inference(expr: str, printed: str | None) -> None:
    r = check(f"""
        fn nothing() {{ return 1 }}
        fn main(c, d, maybe: int | nil) {{
          let probe = {expr}
        }}""", strict=False)
    got = binding(r, "probe")
    assert got == (printed if printed is not None else "_"), got


def test_enum_construction_types() -> None:
    r = check("""
        enum Shape { Circle(r: float), Empty }
        enum Opt<T> { Some(v: T), None }
        let a = Shape.Circle(1.0)
        let b = Shape.Empty
        let c = Opt.Some(3)
        let d = Opt.None
        """)
    assert [binding(r, n) for n in "abcd"] == ["Shape", "Shape", "Opt<int>", "Opt<_>"]


def test_for_loop_element_types() -> None:
    r = check("""
        fn f(xs: list<string>, ps: iter<Pair<string, int>>) {
          for x in xs { let a = x }
          for i in 0 to 3 { let b = i }
          for (k, v) in ps { let c = k
            let d = v }
        }""")
    assert [binding(r, n) for n in "abcd"] == ["string", "int", "string", "int"]
