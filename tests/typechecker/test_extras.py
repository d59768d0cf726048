"""Where we go further than the reference (types.md §17.3, §18.2, §18.3): our own
warnings, never errors, and reference errors downgraded when only a strict quirk
rejects a program that runs."""

from __future__ import annotations

import pytest

from tests.typechecker.helpers import check, errors, messages

EXTRAS = [
    ("W101", "fn f() { return zebra_cout }", "undefined variable `zebra_cout`",
     "fn f() {\n  let zebra = 1\n  return zebra\n}"),
    ("W101", "let zebra_count = 1\nfn f() {\n  let x = zebra_cout\n  return x\n}",
     "undefined variable `zebra_cout` (did you mean `zebra_count`?)",
     "let zebra_count = 1\nfn f() {\n  let x = zebra_count\n  return x\n}"),
    ("W103", "let x = len()", "Builtin 'len' expects 1 arguments, got 0", "let x = len([1])"),
    ("W104", "struct P { x: int }\nfn f(p: P) { return p.y }",
     "struct 'P' has no field 'y' (reading it gives nil)",
     "struct P { x: int }\nfn f(p: P) { return p.x }"),
    ("W105", "struct P { x: int }\nfn f(p: P) { return p.norm() }",
     "struct 'P' has no method 'norm' (calling it gives nil)",
     "struct P { x: int }\nimpl P { fn norm(self) { return 1 } }\nfn f(p: P) { return p.norm() }"),
    ("W107", "let big = 99999999999999999999", "integer literal 99999999999999999999 is outside "
     "the 64-bit range", "let big = 9223372036854775807"),
    ("W108", 'fn name() { return "n" }\nfn f() {\n  let c: int = name()\n}',
     "'c' declared as int, but assigned string (the inferred return type of 'name')",
     'fn name() { return 3 }\nfn f() {\n  let c: int = name()\n}'),
    ("W109", "let limit = 5\nfn f() {\n  let a: string = limit\n}",
     "'a' declared as string, but assigned int (the type of top-level 'limit')",
     "let limit = 5\nfn f() {\n  let a: int = limit\n}"),
    ("W110", "struct P { n: string }\nfn f(p: P) {\n  let d: int = p.n\n}",
     "'d' declared as int, but assigned string (the declared type of field 'n' of struct 'P')",
     "struct P { n: int }\nfn f(p: P) {\n  let d: int = p.n\n}"),
]


@pytest.mark.parametrize("code,program,message,near", EXTRAS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(EXTRAS)])
def test_extra_warning(code: str, program: str, message: str, near: str) -> None:
    got = messages(program)
    assert (code, message) in got, got
    assert all(c != code for c, _ in messages(near)), messages(near)
    assert errors(program) == [], "our own diagnostics are never errors"


def test_undefined_call_warning_in_non_strict_mode() -> None:
    got = messages("nope(1)", strict=False)
    assert ("W102", "call target `nope` is not defined") in got


def test_defined_names_do_not_warn() -> None:
    prog = """
        fn outer(p, ...rest) {
          let {a, b: bee = 1, ...more} = p
          let [c, _, ...tail] = rest
          for (k, v) in p { println(k) }
          for x in rest { println(x) }
          match p {
            Color.Red -> { 1 }
            [first, second] -> { first }
            {key: val} -> { val }
            other -> { other }
          }
          try { throw 1 } catch (err) { println(err) }
          let f = { y -> y + a + bee + c }
          println([more, tail, f, pi, e, argv] |> len(_))
          fn inner() { return a }
          return inner()
        }
        enum Color { Red }
        """
    assert [c for c, _ in messages(prog, strict=False) if c == "W101"] == []


def test_top_level_bindings_are_untyped_in_functions_and_later_statements() -> None:
    assert errors("""
        let limit: int = 5
        var count: int = 0
        count = "many"
        fn f() {
          let s: string = limit
        }""") == []


def test_quirk_downgrades_keep_reference_wording() -> None:
    got = messages("fn inc(n: any) { return n + 1 }")
    assert got == [("W120", "can't add any and int")]
    got = messages("""
        fn id<T>(x: T) -> T { return x }
        fn main(u) {
          let k: int = id(u)
        }""")
    assert got == [("W120", "'k' declared as int, but assigned T")]
    got = messages("""
        fn get() { return 3 }
        fn run(n: int) { return n }
        fn main() {
          let opts = {retries: get()}
          run(opts.retries)
        }""")
    assert ("W120", "Argument 1 ('n'): expected int, got nil") in got
    assert errors("""
        enum Color { Red, Green }
        fn f(c: Color) {
          match c {
            Color.Red | Color.Green -> { 1 }
          }
        }""") == []


def test_real_operator_errors_stay_errors() -> None:
    assert errors('struct P { x: int }\nfn f(p: P) { return p + 1 }') == [
        ("E016", "can't add P and int")]
    assert errors("fn f(b: bool) { return b * 2 }") == [
        ("E018", "can't multiply bool and int (try string * int)")]


def test_every_extra_is_a_warning() -> None:
    r = check("""
        struct P { x: int }
        fn f(p: P) {
          println(p.zz, p.nope(), len(), undefined_name)
        }""")
    assert r.diagnostics and all(not d.is_error for d in r.diagnostics)


def test_unknown_builtin_method_warning() -> None:
    got = messages("""
        fn f(xs: list<int>, s: string) {
          let a = xs.fooo()
          let r = range(3).to_list()
          let t = s.title_case()
        }""")
    assert ("W106", "list has no method 'fooo' (calling it gives nil)") in got
    assert ("W106", "string has no method 'title_case' (calling it gives nil)") in got
    assert len([c for c, _ in got if c == "W106"]) == 2
