"""Linter rules (types.md §16.3): each fires with its wording and stays quiet on the
near miss."""

from __future__ import annotations

import textwrap

import pytest

from lang.diagnostics import Severity
from lang.parser import parse
from lang.source import Source
from typechecker.lint import lint_program


def lint(text: str) -> list[tuple[str, str]]:
    src = Source(textwrap.dedent(text))
    parsed = parse(src)
    assert parsed.ok
    return [(d.code, d.message) for d in lint_program(parsed.program, src)]


CASES = [
    ("unused-variable", "fn main() {\n  let x = 1\n}\nmain()",
     "variable `x` is declared but never used", "fn main() {\n  let _x = 1\n}\nmain()"),
    ("unused-pattern-binding", "fn main(d) {\n  let {a, b} = d\n  println(a)\n}\nmain(1)",
     "pattern binding `b` is never used", "fn main(d) {\n  let {a} = d\n  println(a)\n}\nmain(1)"),
    ("unused-parameter", "fn main(p) { return 1 }\nmain(1)",
     "parameter `p` is declared but never used", "fn main(_p) { return 1 }\nmain(1)"),
    ("unused-import", 'import { a } from "m"\nprintln(1)', "imported name `a` is never used",
     'import { a } from "m"\na()'),
    ("unused-function", "fn helper() { return 1 }", "function `helper` is declared but never used",
     "pub fn helper() { return 1 }"),
    ("unused-type", "struct Point { x: int }", "struct `Point` is declared but never referenced",
     "struct Point { x: int }\nlet p = Point {x: 1}\nprintln(p)"),
    ("mutable-never-reassigned", "var x = 1\nprintln(x)",
     "variable `x` is declared as `var` but never reassigned", "var x = 1\nx = 2\nprintln(x)"),
    ("shadow-variable", "let x = 1\nlet x = 2\nprintln(x)",
     "cannot redeclare immutable variable `x` in the same scope",
     "var x = 1\nvar x = 2\nprintln(x)"),
    ("shadow-variable", "let x = 1\nif x > 0 {\n  let x = 2\n  println(x)\n}",
     "variable `x` shadows a variable in an outer scope",
     "let x = 1\nif x > 0 {\n  let y = 2\n  println(y)\n}"),
    ("dead-code-after-return", "fn f() {\n  return 1\n  println(2)\n}\nf()",
     "unreachable code after a terminating statement",
     "fn f() {\n  println(2)\n  return 1\n}\nf()"),
    ("undefined-function", "prinln(1)", "function `prinln` is not defined", "println(1)"),
    ("break-outside-loop", "break", "`break` used outside of a loop",
     "while true { break }"),
    ("invalid-binary-op-literal", "let x = 1 + true\nprintln(x)",
     "operator '+' used with boolean or nil literal \u2014 this will cause a runtime error",
     "let x = 1 + 2\nprintln(x)"),
    ("comparison-to-bool", "let c = 1 > 0\nif c == true { println(1) }",
     "comparison to `true` is redundant", "let c = 1 > 0\nif c { println(1) }"),
    ("pointless-comparison", "let a = 1\nprintln(a == a)",
     "expression is compared to itself with `==`", "let a = 1\nprintln(a == 1)"),
    ("unnecessary-cast", "println(to_int(5))",
     "`to_int` is a no-op here \u2014 its argument is already an int", 'println(to_int("5"))'),
    ("empty-block", "let c = 1\nif c > 0 {}\n", "if block has an empty body",
     "let c = 1\nif c > 0 { println(c) }"),
    ("duplicate-match-arm", "let v = 1\nmatch v {\n  1 -> { 1 }\n  1 -> { 2 }\n  _ -> { 3 }\n}",
     "duplicate match arm pattern", "let v = 1\nmatch v {\n  1 -> { 1 }\n  _ -> { 3 }\n}"),
    ("naming-convention", "fn DoIt() { return 1 }\nDoIt()", "function `DoIt` should use snake_case",
     "fn do_it() { return 1 }\ndo_it()"),
    ("naming-convention", "struct point { x: int }\nlet p = point({x: 1})\nprintln(p)",
     "struct `point` should use PascalCase",
     "struct Point { x: int }\nlet p = Point({x: 1})\nprintln(p)"),
]


@pytest.mark.parametrize("rule,program,message,near", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(rule: str, program: str, message: str, near: str) -> None:
    got = lint(program)
    assert (rule, message) in got, got
    assert all(code != rule for code, _ in lint(near)), lint(near)


def test_only_break_outside_loop_is_an_error() -> None:
    src = Source("break\nlet x = 1 + nil\n")
    diags = lint_program(parse(src).program, src)
    sev = {d.code: d.severity for d in diags}
    assert sev["break-outside-loop"] is Severity.ERROR
    assert sev["invalid-binary-op-literal"] is Severity.WARNING
    assert all(d.source == "harn-lint" for d in diags)


def test_undefined_function_off_with_unresolved_wildcard() -> None:
    src = Source('import "nowhere"\nmystery(1)\n')
    diags = lint_program(parse(src).program, src, wildcard_unresolved=True)
    assert all(d.code != "undefined-function" for d in diags)


def test_undefined_function_knows_wildcard_imported_names(tmp_path) -> None:
    from typechecker.api import report_for

    path = tmp_path / "main.harn"
    path.write_text('import "std/math"\nprintln(clamp(5, 0, 3))\nprintln(nope(1))\n')
    report = report_for(Source(path.read_text(), str(path)), str(path))
    flagged = [d.message for d in report.lint if d.code == "undefined-function"]
    assert flagged == ["function `nope` is not defined"]


def test_undefined_function_off_for_wildcards_without_a_module_graph() -> None:
    src = Source('import "std/math"\nprintln(clamp(5, 0, 3))\n')  # as the language server lints
    diags = lint_program(parse(src).program, src)
    assert all(d.code != "undefined-function" for d in diags)
