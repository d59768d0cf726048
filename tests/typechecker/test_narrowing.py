"""Flow-sensitive narrowing (types.md §7) seen through the diagnostics it enables
or prevents, and through the recorded binding types."""

from __future__ import annotations

import pytest

from lang import ast
from tests.typechecker.helpers import check, errors
from typechecker.types import show

CLEAN = {
    "nil_check": """
        fn f(x: string | nil) -> string {
          if x != nil { return x }
          return "d"
        }""",
    "nil_on_left": """
        fn f(x: string | nil) -> string {
          if nil != x { return x }
          return "d"
        }""",
    "early_exit": """
        fn f(x: string | nil) -> string {
          if x == nil { return "" }
          return x
        }""",
    "else_exits": """
        fn f(x: string | nil) -> string {
          if x != nil { let a = 1 } else { return "" }
          return x
        }""",
    "truthiness": """
        fn f(x: string | nil) -> string {
          if x { return x }
          return ""
        }""",
    "not": """
        fn f(x: string | nil) -> string {
          if !x { return "" }
          return x
        }""",
    "and": """
        fn f(x: string | nil, y: int | nil) -> int {
          if x != nil && y != nil { return y }
          return 0
        }""",
    "and_right_operand": """
        fn f(y: int | nil) -> bool {
          let ok = y != nil && y > 2
          return ok
        }""",
    "or_falsy": """
        fn f(x: int | nil) -> int {
          if x == nil || x < 0 { return 0 }
          return x
        }""",
    "type_of": """
        fn f(v: string | int) -> int {
          if type_of(v) == "string" { return 0 }
          return v
        }""",
    "type_of_reversed": """
        fn f(v: string | int) -> string {
          if "string" == type_of(v) { return v }
          return ""
        }""",
    "ternary": """
        fn f(x: int | nil) -> int {
          return x != nil ? x : 0
        }""",
    "while": """
        fn f(x: int | nil) -> int {
          while x != nil { return x }
          return 0
        }""",
    "guard_body_walk": """
        fn f(x: int | nil) {
          guard x != nil else { return }
          let y: int = x
        }""",
    "discriminator": """
        type Msg = {kind: "a", n: int} | {kind: "b", s: string}
        fn f(m: Msg) -> int {
          if m.kind == "a" { return m.n }
          return 0
        }""",
    "discriminator_falsy": """
        type Msg = {kind: "a", n: int} | {kind: "b", s: string}
        fn f(m: Msg) -> string {
          if m.kind != "b" { return "" }
          return m.s
        }""",
    "has": """
        fn f(o: {a?: int}) {
          if o.has("a") { let v: {a: int} = o }
        }""",
    "match_arm": """
        fn f(x: int | string) {
          match x {
            1 -> { let q: int = x }
            "s" -> { let r: string = x }
            _ -> { 0 }
          }
        }""",
    "match_tag": """
        type Msg = {kind: "a", n: int} | {kind: "b", s: string}
        fn f(m: Msg) {
          match m.kind {
            "a" -> { let n: int = m.n }
            "b" -> { let s: string = m.s }
          }
        }""",
    "reassign_back_to_declared": """
        fn f() {
          var y: int | nil = 1
          if y != nil {
            y = nil
          }
        }""",
    "nil_widening": """
        fn f() {
          var best = nil
          best = {n: 1}
          let b: {n: int} | nil = best
        }""",
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_narrowing_avoids_errors(name: str) -> None:
    assert errors(CLEAN[name]) == []


def test_guard_refinement_not_used_by_return_check() -> None:
    # §9.4 quirk: the return check ignores guard refinements; the program runs, so the
    # reference's error is our W120 (§18.2).
    result = check("""
        fn f(x: string | nil) -> string {
          guard x != nil else { return "" }
          return x
        }""")
    assert [d.code for d in result.diagnostics] == ["W120"]
    assert result.diagnostics[0].message == \
        "return type doesn't match: expected string, got string | nil"


def test_narrowing_does_not_leak_out_of_branch() -> None:
    assert errors("""
        fn f(x: int | nil) -> int {
          if x != nil { let a = 1 }
          return x
        }""") == [("E011", "return type doesn't match: expected int, got int | nil")]


def test_any_and_alias_not_narrowed() -> None:
    result = check("""
        type MaybeInt = int | nil
        fn f(x: MaybeInt, y: any) {
          if x != nil { let a = x }
          if y != nil { let b = y }
        }""")
    lets = {n.name: t for n, t in result.binding_types.items() if type(n) is ast.NamePattern}
    assert show(lets["a"]) == "MaybeInt"
    assert show(lets["b"]) == "any"


def test_reassignment_drops_narrowing_and_widening_scope() -> None:
    result = check("""
        fn f() {
          var best = nil
          best = {n: 1}
          best = "x"
        }""")
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("E002", "can't assign string to 'best' (declared as {n: int} | nil)")]


def test_unknown_ruled_out_and_full_coverage() -> None:
    full = "\n".join(f'  if type_of(v) == "{k}" {{ return 1 }}' for k in
                     ("int", "string", "float", "bool", "nil", "list", "dict", "closure",
                      "bytes"))
    result = check(f"fn f(v: unknown) {{\n{full}\n  unreachable(v)\n}}")
    assert [d.code for d in result.diagnostics] == []


def test_unknown_flows_only_after_narrowing() -> None:
    assert errors("""
        fn f(v: unknown) {
          let a: int = v
        }""") == [("E001", "'a' declared as int, but assigned unknown")]
    assert errors("""
        fn f(v: unknown) {
          if type_of(v) == "int" { let a: int = v }
        }""") == []


def test_throw_site_reports_ruled_out() -> None:
    result = check("""
        fn f(v: unknown) {
          if type_of(v) == "int" { return 1 }
          throw "bad"
        }""")
    assert [d.code for d in result.diagnostics] == ["W010"]
    assert result.diagnostics[0].message.startswith("`throw` reached but `v: unknown`")


def test_never_function_call_site() -> None:
    result = check("""
        fn fail(m) -> never { throw m }
        fn f(v: unknown) {
          if type_of(v) == "int" { return 1 }
          fail("x")
        }""")
    assert "`fail()` reached but `v: unknown`" in result.diagnostics[-1].message
