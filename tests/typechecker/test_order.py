"""Emission order (types.md §1 "first error"): source order, inner expressions before
their statement, a function's return errors after its body, exhaustiveness after
the arms, call checks before the arguments' own diagnostics (§9.1)."""

from __future__ import annotations

from tests.typechecker.helpers import errors


def test_argument_errors_before_let_mismatch() -> None:
    got = errors("""
        fn f(a: int) -> int { return a }
        let s: string = f("x")
        """)
    assert [c for c, _ in got] == ["E003", "E001"]


def test_return_errors_after_body() -> None:
    got = errors("""
        fn f() -> int {
          let a: int = "x"
          return "s"
        }""")
    assert [c for c, _ in got] == ["E001", "E011"]


def test_exhaustiveness_after_arms() -> None:
    got = errors("""
        enum C { A, B }
        fn f(c: C) {
          match c {
            C.A -> { let x: int = "s" }
          }
        }""")
    assert [c for c, _ in got] == ["E001", "E019"]


def test_call_checks_before_argument_expressions() -> None:
    got = errors("""
        fn f(a: int, b: int) { return a }
        f("x", 1 + "y")
        """)
    assert got == [("E003", "Argument 1 ('a'): expected int, got string"),
                   ("E016", "can't add int and string")]


def test_interpolation_is_never_checked() -> None:
    assert errors('let s = "${1 + "a"} and ${nope(2)}"') == []
