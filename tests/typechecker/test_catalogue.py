"""Every diagnostic of the catalogue (types.md §16): it fires with the exact
wording, and it does not fire on the near miss."""

from __future__ import annotations

import pytest

from tests.typechecker.helpers import check, messages

SHAPES = """
interface Shape { fn area(self) -> float }
struct Sq { s: float }
struct Circle { r: float }
impl Sq { fn area(self) -> float { return self.s * self.s } }
fn total<T>(x: T) -> float where T: Shape { return x.area() }
"""

# (code, program that fires, exact message, near miss that must not fire)
CASES: list[tuple[str, str, str, str]] = [
    ("E001", 'let x: int = "a"', "'x' declared as int, but assigned string", "let x: int = 1"),
    ("E001", 'let p: {a: int, b: string} = {a: "x"}',
     "'p' declared as {a: int, b: string}, but assigned {a: string} "
     "(field 'a' has type string, expected int; missing field 'b' (string))",
     'let p: {a: int, b?: string} = {a: 1}'),
    ("E001", "let xs: list<float> = [1, 2]",
     "'xs' declared as list<float>, but assigned list<int>", "let xs: list<int> = [1, 2]"),
    ("E001", "struct Point { x: int, y: int }\nlet p: Point = {x: 1, y: 2}",
     "'p' declared as Point, but assigned {x: int, y: int}",
     "let m: dict<string, float> = {a: 1}"),
    ("E002", 'fn f() {\n  var x: int = 1\n  x = "s"\n}',
     "can't assign string to 'x' (declared as int)", "fn f() {\n  var x: int = 1\n  x = 2\n}"),
    ("E003", 'fn add(a: int, b: int) -> int { return a + b }\nadd(1, "x")',
     "Argument 2 ('b'): expected int, got string",
     "fn add(a: int, b: int) -> int { return a + b }\nadd(1, 2)"),
    ("E004", 'fn pair_up<T>(a: T, b: T) -> list<T> { return [a, b] }\npair_up(1, "x")',
     "type parameter 'T' was inferred as both int and string",
     "fn pair_up<T>(a: T, b: T) -> list<T> { return [a, b] }\npair_up(1, 2)"),
    ("E005", "fn f(a) { return a }\nf<int>(1)", "Function 'f' does not declare type parameters",
     "fn f(a) { return a }\nf(1)"),
    ("E006", "fn f<T>(a: T) { return a }\nf<int, string>(1)",
     "Function 'f' expects 1 type arguments, got 2", "fn f<T>(a: T) { return a }\nf<int>(1)"),
    ("E007", "schema_parse<int, string>(1, {})",
     "Builtin function 'schema_parse' expects 1 type arguments, got 2",
     "schema_parse<int>(1, {})"),
    ("E008", "len<int>([1])", "Builtin function 'len' does not declare type parameters",
     "len([1])"),
    ("E009", SHAPES + "total(Circle {r: 1.0})",
     "Type 'Circle' does not satisfy interface 'Shape': missing method(s): area "
     "(required by constraint `where T: Shape`)", SHAPES + "total(Sq {s: 1.0})"),
    ("E010", SHAPES + "total([1])",
     "Type 'list<int>' does not satisfy interface 'Shape': only named types can satisfy "
     "interfaces (required by constraint `where T: Shape`)", SHAPES + "total(Sq {s: 2.0})"),
    ("E011", 'fn f() -> int { return "s" }', "return type doesn't match: expected int, got string",
     "fn f() -> int { return 1 }"),
    ("E012", "gen fn f() -> int { emit 1 }", "`gen fn` must return Stream<T>, got int",
     "gen fn f() -> Stream<int> { emit 1 }"),
    ("E013", "nope(1)", "call target `nope` is not defined or imported", "fn nope(a) {}\nnope(1)"),
    ("E013", "printn(1)", "call target `printn` is not defined or imported \u2014 did you mean "
     "`print`?", "print(1)"),
    ("E014", "struct Point { x: int }\nlet p = Pointt {x: 1}",
     "unknown struct type `Pointt` \u2014 did you mean `Point`?",
     "struct Point { x: int }\nlet p = Point {x: 1}"),
    ("E014", "let p = Zebra {x: 1}", "unknown struct type `Zebra`",
     "struct Zebra { x: int }\nlet p = Zebra {x: 1}"),
    ("E015", 'struct P { x: int }\nlet p = P {x: "s"}', "Field 'x' in struct 'P' expects int, "
     "got string", "struct P { x: int }\nlet p = P {x: 1}"),
    ("E016", 'let s = "a" + 1', "can't add string and int", 'let s = "a" + "b"'),
    ("E016", "let s = true + 1", "can't add bool and int", "let s = 1 + 2.5"),
    ("E017", 'let s = "a" - 1', "can't use '-' on string and int (needs numeric operands)",
     "let s = 3 - 1"),
    ("E018", 'let s = "a" * "b"', "can't multiply string and string (try string * int)",
     'let s = "a" * 3'),
    ("E019", "enum Color { Red, Green, Blue }\nfn f(c: Color) {\n  match c {\n"
     "    Color.Red -> { 1 }\n  }\n}", 'Non-exhaustive match on enum Color: missing variants '
     '"Green", "Blue"', "enum Color { Red, Green, Blue }\nfn f(c: Color) {\n  match c {\n"
     "    Color.Red -> { 1 }\n    _ -> { 2 }\n  }\n}"),
    ("E020", 'type Msg = {kind: "ping"} | {kind: "pong"} | {kind: 2}\nfn f(m: Msg) {\n'
     '  match m.kind {\n    "ping" -> { 1 }\n  }\n}',
     'Non-exhaustive match on tagged shape union: missing variants "pong", 2',
     'type Msg = {kind: "ping"} | {kind: "pong"}\nfn f(m: Msg) {\n  match m.kind {\n'
     '    "ping" -> { 1 }\n    "pong" -> { 2 }\n  }\n}'),
    ("E021", 'fn f(x: int | string | nil | bool) {\n  match x {\n    1 -> { 1 }\n'
     '    "s" -> { 2 }\n  }\n}', "Non-exhaustive match on union type: missing nil, bool",
     'fn f(x: int | string) {\n  match x {\n    1 -> { 1 }\n    "s" -> { 2 }\n  }\n}'),
    ("E022", 'fn f(x: "a" | "b" | 3) {\n  match x {\n    "a" -> { 1 }\n  }\n}',
     'Non-exhaustive match on literal union: missing "b", 3',
     'fn f(x: "a" | "b") {\n  match x {\n    "a" -> { 1 }\n    "b" -> { 2 }\n  }\n}'),
    ("E023", 'fn f(v: string | int | nil) -> int {\n  if type_of(v) == "string" { return 1 }\n'
     '  if v == nil { return 2 }\n  unreachable(v)\n}',
     "unreachable() argument has type `int` \u2014 not all cases are handled",
     'fn f(v: string | nil) -> int {\n  if type_of(v) == "string" { return 1 }\n'
     '  if v == nil { return 2 }\n  unreachable(v)\n}'),
    ("E024", "type Box<out T> = fn(T) -> nil",
     "type parameter 'T' is declared 'out' (covariant) but appears in a contravariant position "
     "in type alias 'Box'", "type Box<out T> = fn(int) -> T"),
    ("E025", "fn g() { return 1 }\nlet x = try* g()",
     "try* requires an enclosing function (fn, tool, or pipeline) so the rethrow has a target",
     "fn g() { return 1 }\nfn h() { let x = try* g() }"),
    ("E026", "gen fn f() -> Stream<int> { yield 1 }",
     "`yield` is not a stream emit; use `emit` inside `gen fn`", "fn f() { yield 1 }"),
    ("E027", "fn f() { emit 1 }", "`emit` can only be used inside a `gen fn`",
     "gen fn f() -> Stream<int> { emit 1 }"),
    ("E028", 'gen fn f() -> Stream<int> { emit "s" }',
     "emit type doesn't match: expected int, got string", "gen fn f() -> Stream<int> { emit 2 }"),
    ("E029", "fn f(x) {\n  match x {\n    1 | y -> { 1 }\n    _ -> { 2 }\n  }\n}",
     "Or-pattern alternatives must be literal patterns (string, int, float, bool, nil, or `_`)."
     " Identifier bindings and destructuring patterns are not allowed inside `|`.",
     "fn f(x) {\n  match x {\n    1 | 2 -> { 1 }\n    _ -> { 2 }\n  }\n}"),
    ("E030", 'let r = parallel(3) with {max_concurrent: "x"} { i -> i }',
     "`max_concurrent` on `parallel` must be int, got string",
     "let r = parallel(3) with {max_concurrent: 2} { i -> i }"),
    # warnings
    ("W001", "fn f() {\n  return 1\n  let x = 2\n}", "unreachable code", "fn f() {\n  let x = 2\n"
     "  return x\n}"),
    ("W002", "let x = 1\nx = 2", "Cannot assign to 'x': variable is immutable (declared with "
     "'let')", "var x = 1\nx = 2"),
    ("W003", "fn f(a, b = 1) { return a }\nf()", "Function 'f' expects 1-2 arguments, got 0",
     "fn f(a, b = 1) { return a }\nf(1)"),
    ("W003", "fn f(a) { return a }\nf(1, 2)", "Function 'f' expects 1 arguments, got 2",
     "fn f(...a) { return a }\nf(1, 2)"),
    ("W004", "let b = nil < 1", "Comparison '<' may not be meaningful for types nil and int",
     "let b = 2 < 1.5"),
    ("W005", 'let b = 1 < "a"', "Comparing int with string using '<' may give unexpected results",
     'let b = "b" < "a"'),
    ("W006", 'fn f(x: int) {\n  match x {\n    "s" -> { 1 }\n    _ -> { 2 }\n  }\n}',
     "Match pattern type mismatch: matching int against string literal",
     'fn f(x: int) {\n  match x {\n    1 -> { 1 }\n    _ -> { 2 }\n  }\n}'),
    ("W007", SHAPES + "fn p<T>(x: T) where T: Shape { return x.perimeter() }",
     "Method 'perimeter' not found in interface 'Shape' (constraint on 'T')",
     SHAPES + "fn p<T>(x: T) where T: Shape { return x.area() }"),
    ("W008", "struct P { x: int }\nlet p = P {x: 1, z: 2}", "Unknown field 'z' in struct 'P'",
     "struct P { x: int }\nlet p = P {x: 1}"),
    ("W009", "struct P { x: int, y?: int }\nlet p = P {y: 1}",
     "Missing field 'x' in struct 'P' construction", "struct P { x: int, y?: int }\n"
     "let p = P {x: 1}"),
    ("W010", 'fn f(v: unknown) {\n  if type_of(v) == "int" { return 1 }\n  unreachable(v)\n}',
     "`unreachable()` reached but `v: unknown` was not fully narrowed \u2014 uncovered concrete "
     "type(s): string, float, bool, nil, list, dict, closure, bytes",
     'fn f(v: unknown) {\n  if type_of(v) == "int" { return 1 }\n  return 2\n}'),
    ("W011", '@deprecated(since: "1.2", use: "g")\nfn f() { return 1 }\nfn g() { return 2 }\n'
     'let x = f()', "`f` is deprecated (since 1.2)", "fn f() { return 1 }\nlet x = f()"),
    ("W012", "@shiny\nfn f() { return 1 }", "unknown attribute `@shiny`",
     '@deprecated(use: "g")\nfn f() { return 1 }'),
    ("W013", "@test\nfn f() { return 1 }", "`@test` only applies to pipeline declarations",
     "@test\npipeline t() { println(1) }"),
]


@pytest.mark.parametrize("code,program,message,near", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_fires_and_near_miss(code: str, program: str, message: str, near: str) -> None:
    got = messages(program)
    assert (code, message) in got, got
    assert all(c != code for c, _ in messages(near)), messages(near)


def test_w014_strict_types_only() -> None:
    prog = 'fn main() {\n  let raw = json_parse("{}")\n  println(raw.name)\n' \
           '  println(json_parse("{}").x)\n}'
    got = messages(prog, strict_types=True)
    assert ("W014", "Accessing property on unvalidated value 'raw' from `json_parse`") in got
    assert ("W014", "Direct property access on unvalidated `json_parse()` result") in got
    assert all(c != "W014" for c, _ in messages(prog))
    validated = 'fn main() {\n  let raw = json_parse("{}")\n' \
                '  if schema_is(raw, {type: "dict"}) { println(raw.name) }\n' \
                '  let typed: {name: string} = json_parse("{}")\n  println(typed.name)\n}'
    assert all(c != "W014" for c, _ in messages(validated, strict_types=True))


def test_deprecated_statement_call_is_reported_twice() -> None:
    prog = '@deprecated(since: "2", use: "g")\nfn f() { return 1 }\nfn g() { return 2 }\nf()'
    result = check(prog)
    w11 = [d for d in result.diagnostics if d.code == "W011"]
    assert len(w11) == 2
    assert all(d.help == "use `g` instead" for d in w11)


def test_e013_help_and_non_strict() -> None:
    result = check("printn(1)")
    d = [d for d in result.diagnostics if d.code == "E013"][0]
    assert d.help == "did you mean `print`?"
    assert all(d.code != "E013" for d in check("printn(1)", strict=False).diagnostics)


def test_e013_exemptions() -> None:
    prog = "__internal(1)\nhostlib_x(1)\nOk(1)\nErr(2)\nlet f = { x -> x }\nf(1)\n" \
           "struct S { a: int }\nlet s = S({a: 1})\nawait(1)\nchannel(1)"
    assert [c for c, _ in messages(prog) if c == "E013"] == []


def test_e016_fix_offers_interpolation() -> None:
    result = check('let s = "n=" + 5')
    d = [d for d in result.diagnostics if d.code == "E016"][0]
    assert d.fix is not None and d.fix.edits[0].text == '"n=${5}"'


def test_e012_has_no_span() -> None:
    d = [d for d in check("gen fn f() -> int { emit 1 }").diagnostics if d.code == "E012"][0]
    assert d.start == 0 and d.data == {"span": None}


def test_w001_once_and_rest_unchecked() -> None:
    prog = 'fn f() {\n  return 1\n  let a: int = "x"\n  let b: int = "y"\n}'
    got = messages(prog)
    assert got == [("W001", "unreachable code")]


def test_codes_are_stable_format() -> None:
    for code, *_ in CASES:
        assert len(code) == 4 and code[0] in "EW" and code[1:].isdigit()
