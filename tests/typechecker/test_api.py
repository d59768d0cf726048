"""The public API: check_for_run, facts for hover/completion, proven facts for the
compiler."""

from __future__ import annotations

from lang import ast
from lang.diagnostics import render_run
from lang.source import Source
from tests.typechecker.helpers import check
from typechecker.api import check_for_run, check_source
from typechecker.types import show


def find(result, cls, pred=lambda n: True):
    for n in ast.walk(result.program):
        if type(n) is cls and pred(n):
            return n
    raise LookupError(cls)


def test_check_for_run_splits_errors_and_warnings() -> None:
    src = Source('let x = 1\nx = 2\nlet y: int = "s"\n', "run.harn")
    errors, warnings = check_for_run(src, "run.harn")
    assert [d.code for d in errors] == ["E001"]
    assert [d.code for d in warnings] == ["W002"]
    text = render_run(src, warnings[0])
    assert text.startswith("warning: Cannot assign to 'x'")
    assert "--> run.harn:2:1" in text


def test_check_for_run_reports_syntax_errors() -> None:
    errors, warnings = check_for_run("let = 1\n", "x.harn")
    assert errors and errors[0].code.startswith("E01") and warnings == []


def test_check_for_run_is_strict_with_a_path() -> None:
    errors, _ = check_for_run("nope(1)\n", "/nonexistent/dir/x.harn")
    assert [d.code for d in errors] == ["E013"]


def test_expression_and_binding_facts() -> None:
    r = check("""
        struct P { x: int }
        fn area(w: int, h: float) -> float {
          let s = w * h
          return s
        }
        let p = P {x: 1}
        """)
    mul = find(r, ast.Binary, lambda n: n.op == "*")
    assert show(r.expr_types[mul]) == "float"
    s = find(r, ast.NamePattern, lambda n: n.name == "s")
    assert show(r.binding_types[s]) == "float"
    w = find(r, ast.Param, lambda n: n.name == "w")
    assert show(r.binding_types[w]) == "int"
    lit = find(r, ast.StructLit)
    assert show(r.type_of(lit)) == "P"


def test_names_and_type_at_offset() -> None:
    text = "fn f(alpha: int) {\n  let beta = alpha + 1\n  println(beta)\n}\n"
    _, r = check_source(text)
    offset = text.index("println")
    names = r.names_at(offset)
    assert show(names["alpha"]) == "int" and show(names["beta"]) == "int"
    node, t = r.type_at(text.index("alpha + 1"))
    assert type(node) is ast.Name and show(t) == "int"


def test_call_targets() -> None:
    r = check("fn f(a: int) -> int { return a }\nlet x = f(1)\n")
    call = find(r, ast.Call)
    assert r.call_targets[call].name == "f"


def test_proven_kinds_are_sound() -> None:
    r = check("""
        fn f(n: int, s: string, u) {
          let a = 1 + 2
          let b = n + 1
          let c: int = u
          let d = "x" + s
          var e = 1
          let g = a * 2
          println(a + g)
          println(c)
          println(e)
          return [a, b, c, d, e]
        }""")
    lst = find(r, ast.ListLit)
    kinds = [r.proven_kind(el) for el in lst.elements]
    # c is annotated int but nothing checks it at run time; e is a var
    assert kinds == ["int", "number", None, "string", None]


def test_proven_kind_respects_shadowing() -> None:
    r = check("""
        fn f(xs) {
          let a = 1
          for a in xs { println(a) }
          match xs { a -> { println(a) } }
          println(a)
        }""")
    args = [c.args[0] for c in ast.walk(r.program) if type(c) is ast.Call
            and c.callee.name == "println"]
    assert [r.proven_kind(a) for a in args] == [None, None, "int"]


def test_struct_facts() -> None:
    r = check("""
        struct P { x: int }
        fn f() {
          let p = P {x: 1}
          println(p.x)
        }""")
    member = find(r, ast.Member)
    assert r.struct_of(member.obj) == "P"


def test_diagnostic_source_tag() -> None:
    r = check('let x: int = "s"\n')
    assert r.diagnostics[0].source == "harn-typecheck"
