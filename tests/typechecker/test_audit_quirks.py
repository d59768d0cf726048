"""Audit of §17/§18.2 against the checker: a reference error that only a lenient
inference quirk causes (a dict-literal field typed ``nil``, a function name typed
``fn(...) -> nil``, an alias-typed variable left un-narrowed, a builtin's coarse
static type) must be warning W120 with the reference's exact wording, while the
same diagnostic on genuinely wrong types stays an error."""

from __future__ import annotations

import pytest

from tests.typechecker.helpers import check, messages

W = "W120"
CSV = ("struct Csv { sep: string }\n"
       "impl Csv {\n  fn split(self, n: int) -> string { return \"x\" }\n}\n")

# (program, reference code, exact message) — each runs correctly, so W120
DOWNGRADED: list[tuple[str, str, str]] = [
    # E030 compares with `int` exactly; the run accepts ints, floats and nil
    ("fn f(n: any) {\n  return parallel each [1] with {max_concurrent: n} { x -> x }\n}\n",
     "E030", "`max_concurrent` on `parallel` must be int, got any"),
    ("type Limit = int\nfn f(n: Limit) {\n"
     "  return parallel(2) with {max_concurrent: n} { i -> i }\n}\n",
     "E030", "`max_concurrent` on `parallel` must be int, got Limit"),
    ("fn f(n: int | nil) {\n  return parallel(2) with {max_concurrent: n} { i -> i }\n}\n",
     "E030", "`max_concurrent` on `parallel` must be int, got int | nil"),
    # `pair(a, b)` is typed `pair`, which no annotation can name
    ("fn f() -> Pair<string, int> {\n  return pair(\"a\", 1)\n}\n",
     "E011", "return type doesn't match: expected Pair<string, int>, got pair"),
    ("fn f() {\n  let p: Pair<int, int> = pair(0, 0)\n  return p\n}\n",
     "E001", "'p' declared as Pair<int, int>, but assigned pair"),
    # where-clauses: a union of satisfying types, or the interface itself
    ("interface Shape { fn area(self) -> float }\nstruct Sq { s: float }\nstruct Ci { r: float }\n"
     "impl Sq { fn area(self) -> float { return self.s } }\n"
     "impl Ci { fn area(self) -> float { return self.r } }\n"
     "fn show(x: Shape) { return x.area() }\n"
     "fn f() {\n  for s in [Sq {s: 1.0}, Ci {r: 2.0}] { show(s) }\n}\n",
     "E003", "Argument 1 ('x'): expected Shape, got Sq | Ci"),
    ("interface Shape { fn area(self) -> float }\nstruct Sq { s: float }\nstruct Ci { r: float }\n"
     "impl Sq { fn area(self) -> float { return self.s } }\n"
     "impl Ci { fn area(self) -> float { return self.r } }\n"
     "fn total<T>(xs: list<T>) -> float where T: Shape { return 1.0 }\n"
     "fn f() { return total([Sq {s: 1.0}, Ci {r: 2.0}]) }\n",
     "E010", "Type 'Sq | Ci' does not satisfy interface 'Shape': only named types can "
     "satisfy interfaces (required by constraint `where T: Shape`)"),
    ("interface Shape { fn area(self) -> float }\n"
     "fn one<T>(x: T) -> float where T: Shape { return x.area() }\n"
     "fn f(s: Shape) { return one(s) }\n",
     "E009", "Type 'Shape' does not satisfy interface 'Shape': missing method(s): area "
     "(required by constraint `where T: Shape`)"),
    ("type S = {count: int}\nfn f(xs: list) -> S {\n  return {count: len(xs)}\n}\n",
     "E011", "return type doesn't match: expected S, got {count: nil}"),
    ("fn wrap(a) -> {x: int} { return {x: a} }\n",
     "E011", "return type doesn't match: expected {x: int}, got {x: nil}"),
    ("fn two<T>(a: T, b: T) -> list<T> { return [a, b] }\nfn f(u) { return two({x: 1}, {x: u}) }\n",
     "E004", "type parameter 'T' was inferred as both {x: int} and {x: nil}"),
    ("fn helper(x) { return x }\nfn both<T>(a: T, b: T) { return 1 }\n"
     "fn g(x: int) -> int { return x }\nboth(g, helper)\n",
     "E004", "type parameter 'T' was inferred as both fn(int) -> int and fn(_) -> nil"),
    ("gen fn nums(a) -> Stream<{x: int}> {\n  emit {x: a}\n}\n",
     "E028", "emit type doesn't match: expected {x: int}, got {x: nil}"),
    ("fn f(name) {\n  let u = {name: name}\n  return \"hi \" + u.name\n}\n",
     "E016", "can't add string and nil"),
    ("fn f(x) {\n  let d = {a: x}\n  return d[\"a\"] * 2\n}\n",
     "E018", "can't multiply nil and int (try string * int)"),
    ("fn f(x) {\n  let d = {a: x}\n  var t = 0\n  t += d.a\n  return t\n}\n",
     "E016", "can't add int and nil"),
    ("type M = string | nil\nfn f(x: M) -> string {\n  if x != nil { return x }\n"
     "  return \"\"\n}\n",
     "E011", "return type doesn't match: expected string, got M"),
    ("type M = string | nil\nfn f(x: M) {\n  if x == nil { return 0 }\n  let s: string = x\n"
     "  return s\n}\n", "E001", "'s' declared as string, but assigned M"),
    ("type M = string | nil\nfn f(x: M) {\n  if x { let s: string = x }\n}\n",
     "E001", "'s' declared as string, but assigned M"),
    ("type Id = string | int\nfn g(s: string) { return s }\n"
     "fn f(v: Id) {\n  if type_of(v) == \"string\" { return g(v) }\n  return \"\"\n}\n",
     "E003", "Argument 1 ('s'): expected string, got Id"),
    ("type Id = string | int\nfn g(s: string) { return s }\n"
     "fn f(v: Id) {\n  return match v {\n    \"a\" -> { g(v) }\n    _ -> { \"\" }\n  }\n}\n",
     "E003", "Argument 1 ('s'): expected string, got Id"),
    ("fn f() {\n  let r: range = range(3)\n  return r\n}\n",
     "E001", "'r' declared as range, but assigned list"),
    ("fn size(r: range) { return len(r) }\nsize(range(4))\n",
     "E003", "Argument 1 ('r'): expected range, got list"),
    ("fn f() {\n  let ms: list<string> | nil = regex_match(\"a\", \"banana\")\n  return ms\n}\n",
     "E001", "'ms' declared as list<string> | nil, but assigned string | nil"),
    ("let xs = [3, 1]\nlet r: list = xs.reverse()\n",
     "E001", "'r' declared as list, but assigned string"),
    ("fn f(s: set) {\n  let t: set = s.filter({ x -> x > 1 })\n  return t\n}\n",
     "E001", "'t' declared as set, but assigned list"),
    # impl methods are registered as functions by name (§13.1), but a free call of a
    # builtin's name runs the builtin (language.md §11.2)
    (CSV + "fn f() {\n  let p: list = split(\"a,b\", \",\")\n  return p\n}\n",
     "E003", "Argument 2 ('n'): expected int, got string"),
    (CSV + "fn f() {\n  let p: list = split(\"a,b\", \",\")\n  return p\n}\n",
     "E001", "'p' declared as list, but assigned string"),
    ("fn scale(x: string) -> string { return x }\nstruct Sq { s: float }\n"
     "impl Sq {\n  fn scale(self, k: int) -> Sq { return Sq {s: self.s * k} }\n}\n"
     "fn f() {\n  let r: string = scale(\"a\")\n  return r\n}\n",
     "E001", "'r' declared as string, but assigned Sq"),
]


@pytest.mark.parametrize("program,ref,message", DOWNGRADED,
                         ids=[f"{r}-{i}" for i, (_, r, _) in enumerate(DOWNGRADED)])
def test_quirk_only_errors_are_w120(program: str, ref: str, message: str) -> None:
    result = check(program)
    assert not result.errors, [d.message for d in result.errors]
    hits = [d for d in result.diagnostics if d.code == W and d.message == message]
    assert hits, [(d.code, d.message) for d in result.diagnostics]
    assert hits[0].data == {"reference_code": ref}


# the same diagnostics on genuinely wrong types stay errors
KEPT: list[tuple[str, str, str]] = [
    # the body walk types `v` as string: the value does not fit, the reference's
    # `{x: nil}` (body variables untyped in the return check) is the message
    ("fn f() -> {x: int} {\n  let v = \"s\"\n  return {x: v}\n}\n",
     "E011", "return type doesn't match: expected {x: int}, got {x: nil}"),
    ("fn f() -> {x: int} { return {x: \"s\"} }\n",
     "E011", "return type doesn't match: expected {x: int}, got {x: string}"),
    ("fn two<T>(a: T, b: T) -> list<T> { return [a, b] }\ntwo({x: 1}, {x: \"s\"})\n",
     "E004", "type parameter 'T' was inferred as both {x: int} and {x: string}"),
    ("gen fn nums() -> Stream<{x: int}> {\n  emit {x: \"s\"}\n}\n",
     "E028", "emit type doesn't match: expected {x: int}, got {x: string}"),
    ("fn f() {\n  let u = {name: 3}\n  return \"hi \" + u.name\n}\n",
     "E016", "can't add string and int"),
    ("fn f(n: bool) {\n  return parallel each [1] with {max_concurrent: n} { x -> x }\n}\n",
     "E030", "`max_concurrent` on `parallel` must be int, got bool"),
    ("fn f(n: string | bool) {\n  return parallel(2) with {max_concurrent: n} { i -> i }\n}\n",
     "E030", "`max_concurrent` on `parallel` must be int, got string | bool"),
    ("interface Shape { fn area(self) -> float }\nstruct Sq { s: float }\n"
     "impl Sq { fn area(self) -> float { return self.s } }\n"
     "fn total<T>(xs: list<T>) -> float where T: Shape { return 1.0 }\n"
     "fn f() { return total([Sq {s: 1.0}, \"x\"]) }\n",
     "E010", "Type 'Sq | string' does not satisfy interface 'Shape': only named types can "
     "satisfy interfaces (required by constraint `where T: Shape`)"),
    ("interface Shape { fn area(self) -> float }\nstruct Sq { s: float }\n"
     "impl Sq { fn area(self) -> float { return self.s } }\n"
     "fn show(x: Shape) { return x.area() }\n"
     "fn f() {\n  for s in [Sq {s: 1.0}, 2] { show(s) }\n}\n",
     "E003", "Argument 1 ('x'): expected Shape, got Sq | int"),
    ("type Meters = int\nMeters(3)\n", "E013", "call target `Meters` is not defined or imported"),
    ("interface Shape {}\nShape()\n", "E013", "call target `Shape` is not defined or imported"),
]


@pytest.mark.parametrize("program,code,message", KEPT,
                         ids=[f"{c}-{i}" for i, (_, c, _) in enumerate(KEPT)])
def test_real_mismatches_stay_errors(program: str, code: str, message: str) -> None:
    assert (code, message) in [(d.code, d.message) for d in check(program).errors]


def test_generic_conflict_with_wildcards_inside_shapes_is_no_conflict() -> None:
    # `_` never conflicts, also inside shapes and function types (§4, §9.3)
    prog = ("fn two<T>(a: T, b: T) -> int { return 1 }\n"
            "two({x: Ok(1)}, {x: Ok(2)})\n"
            "two({x: Ok(1)}, {x: Err(\"e\")})\n")
    assert not [m for m in messages(prog) if m[0] in ("E004", W)]


def test_precise_mark_cleared_by_reassignment() -> None:
    # after `x = nil` the alias variable is no longer known non-nil, even precisely
    prog = ("type M = string | nil\nfn g(s: string) { return s }\n"
            "fn f(x: M) {\n  var y: M = x\n  if y == nil { return \"\" }\n  y = nil\n"
            "  return g(y)\n}\n")
    assert ("E003", "Argument 1 ('s'): expected string, got M") in \
        [(d.code, d.message) for d in check(prog).errors]


# ---------------------------------------------------------------- schema-as-type (§12)

SCHEMA_OK = [
    ("fn g(s: string) { return s }\nfn f(x: string | int) {\n"
     "  if schema_is(x, {type: \"string\"}) { return g(x) }\n  return \"\"\n}\n"),
    ("fn g(s: string) { return s }\nfn f(x: string | int) {\n  let S = {type: \"string\"}\n"
     "  if is_type(x, S) { return g(x) }\n  return \"\"\n}\n"),
    ("fn g(n: int) { return n }\nfn f(x: string | int) {\n"
     "  if schema_is(x, {type: \"string\"}) { return 0 }\n  return g(x)\n}\n"),
    ("type User = {name: string}\nfn g(u: User) { return u.name }\nfn f(x: User | nil) {\n"
     "  if schema_is(x, User) { return g(x) }\n  return \"\"\n}\n"),
    ("fn g(u: {name: string}) { return u.name }\nfn f(x: dict | nil) {\n"
     "  if schema_is(x, {type: \"object\", properties: {name: {type: \"string\"}},"
     " required: [\"name\"]}) {\n    return g(x)\n  }\n  return \"\"\n}\n"),
    ("fn g(s: string | nil) { return s }\nfn f(x: string | int | nil) {\n"
     "  if schema_is(x, {type: \"string\", nullable: true}) { return g(x) }\n  return \"\"\n}\n"),
    ("fn g(xs: list<int>) { return len(xs) }\nfn f(x: list<int> | string) {\n"
     "  if schema_is(x, {type: \"array\", items: {type: \"integer\"}}) { return g(x) }\n"
     "  return 0\n}\n"),
    ("fn g(s: string) { return s }\nfn f(x: string | int) {\n"
     "  if schema_is(x, {type: [\"string\", \"boolean\"]}) { return g(x) }\n  return \"\"\n}\n"),
]


@pytest.mark.parametrize("program", SCHEMA_OK, ids=range(len(SCHEMA_OK)))
def test_schema_is_narrows(program: str) -> None:
    assert not check(program).diagnostics, messages(program)


def test_schema_is_narrowing_keeps_real_errors_and_skips_unknown() -> None:
    narrowed = ("fn g(n: int) { return n }\nfn f(x: string | int) {\n"
                "  if schema_is(x, {type: \"string\"}) { return g(x) }\n  return 0\n}\n")
    assert ("E003", "Argument 1 ('n'): expected int, got string") in messages(narrowed)
    unknown = ("fn g(s: string) { return s }\nfn f(x: unknown) {\n"
               "  if schema_is(x, {type: \"string\"}) { return g(x) }\n  return \"\"\n}\n")
    assert ("E003", "Argument 1 ('s'): expected string, got unknown") in messages(unknown)


def test_where_clause_on_a_type_parameter_in_force_is_w120() -> None:
    prog = ("interface Shape { fn area(self) -> float }\nstruct Sq { s: float }\n"
            "impl Sq { fn area(self) -> float { return self.s * self.s } }\n"
            "fn total<T>(x: T) -> float where T: Shape { return x.area() }\n"
            "fn outer<U>(u: U) -> float where U: Shape { return total(u) }\n")
    result = check(prog)
    assert not result.errors
    assert (W, "Type 'U' does not satisfy interface 'Shape': missing method(s): area "
               "(required by constraint `where T: Shape`)") in messages(prog)


def test_w007_only_when_no_constraint_has_the_method() -> None:
    prog = ("interface A { fn a(self) -> int }\ninterface B { fn b(self) -> int }\n"
            "fn both<T>(x: T) -> int where T: A, T: B { return x.a() + x.b() + x.c() }\n")
    assert [m for m in messages(prog) if m[0] == "W007"] == [
        ("W007", "Method 'c' not found in interface 'A' (constraint on 'T')")]
