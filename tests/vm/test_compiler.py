"""The compiler, end to end: each Tier 1 construct runs with the spec's results."""

from __future__ import annotations

import ast as py

import pytest
from vm_helpers import error_of, lines, run, run_value

from lang.parser import parse_text
from lang.source import Source
from vm.compiler import compile_unit
from vm.loading import resolve_program
from vm.pyast import unpositioned


def test_every_generated_node_has_a_position() -> None:
    pipeline = SAMPLE.replace("let t = try", "pipeline main(x) {\n  return 1\n}\nlet t = try")
    for text in (SAMPLE, pipeline):
        src = Source(text, "sample.harn")
        res = resolve_program(parse_text(text).program, src)
        module = compile_unit(res, src).module
        assert unpositioned(module) == []
        compile(module, "sample.harn", "exec")


SAMPLE = """
enum Shape { Circle(r), Rect(w, h), Empty }
struct Point { x: int  y: int }
impl Point { fn norm(self) { return self.x + self.y } }
fn fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }
fn loop(n, acc = 0) { if n == 0 { return acc }; return loop(n - 1, acc + 1) }
fn gen(n) { var i = 0; while i < n { yield i; i += 1 } }
let p = Point {x: 1, y: 2}
var xs = [1, 2, ...[3]]
xs[0] = 5
var d = {a: {b: 1}}
d.a.b += 2
let s = match Shape.Circle(2) {
  Shape.Circle(r) if r > 1 -> { "big ${r}" }
  Shape.Rect(w, _) -> { "rect" }
  [a, b] -> { a }
  {k: v} -> { v }
  1 | 2 -> { "n" }
  other -> { other }
}
let t = try { 1 / 0 } catch (e: Shape) { 0 } finally { println("f") }
let r = try { 5 }
let q = xs |> len(_)
let c = { a, b = a -> a ?? b }
for (k, v) in [pair(1, 2)] { println(k) }
for {key, value} in d { println(key) }
let z = p?.x ?? (1 < 2 ? "y" : "n")
println(!true && false || xs[0:1] == [5] && 1 in xs)
"""


def test_arithmetic_and_operators() -> None:
    out = run("""
println(7 / 2)
println(-7 / 2)
println(-7 % 3)
println(7 % -3)
println(2 ** 10)
println(2 ** -1)
println(-2 ** 2)
println(2 ** 3 ** 2)
println(1 + 2.5)
println("ab" * 3)
println(3 * "ab")
println("ab" * -1)
println([1] + [2])
println({a: 1, b: 2} + {b: 3})
println(1 == 1.0)
println(1 == true)
println(nil == false)
println(nil < 1)
println([1] <= [2])
println("a" < "b")
println(nil || "x")
println("a" && 0)
println(false ?? 1)
println(nil ?? 2)
println(1 in [1.0])
println(1 in {"1": 0})
println("" in "abc")
println(2 not in [1])
println(5 in (1 to 10))
println(10 - 4 - 3)
println(a ?? 1 + 2) if false
""".replace("println(a ?? 1 + 2) if false\n", ""))
    assert out == lines("3", "-3", "-1", "1", "1024", "0.5", "4", "512", "3.5", "ababab",
                        "ababab", "", "[1, 2]", "{a: 1, b: 3}", "true", "false", "false",
                        "false", "true", "true", "true", "false", "false", "2", "true", "true",
                        "true", "true", "true", "3")


def test_int_fast_paths_keep_semantics_for_other_types() -> None:
    out = run("""
fn add(a, b) { return a + b }
fn lt(a, b) { return a < b }
println(add(1, 2))
println(add("a", "b"))
println(add(1.5, 2))
println(lt(1, 2))
println(lt(nil, 2))
println(lt(0.0 / 0.0, 1) )
var i = 0
var total = 0
while i < 10 { total = total + i; i += 1 }
println(total)
var f = 0
f = f + 0.5
println(f)
""")
    assert out == lines("3", "ab", "3.5", "true", "false", "false", "45", "0.5")


def test_if_match_try_as_expressions() -> None:
    out = run("""
let n = 42
let size = if n > 100 { "big" } else if n > 10 { "mid" } else { "small" }
println(size)
let blocky = if n > 1 {
  let m = n * 2
  m + 1
} else { 0 }
println(blocky)
println(if false { 1 })
let m = match n { 42 -> { "answer" } _ -> { "other" } }
println(m)
let t = try { throw "x" } catch (e) { "caught ${e}" }
println(t)
println(try { 10 / 0 })
println(try { 5 })
println(try { Ok(1) })
""")
    assert out == lines("mid", "85", "nil", "answer", "caught x", "Result.Err(Division by zero)",
                        "Result.Ok(5)", "Result.Ok(1)")


def test_evaluation_order_with_statement_expressions() -> None:
    out = run("""
fn say(x) { println(x); return x }
let r = [say(1), if say(true) { say(2) } else { 3 }, say(4)]
println(r)
var v = 1
let w = [v, match 1 { 1 -> { v = 5; v } }]
println(w)
""")
    assert out == lines("1", "true", "2", "4", "[1, 2, 4]", "[1, 5]")


def test_short_circuit_forms_only_evaluate_what_they_need() -> None:
    out = run("""
fn say(x) { println(x); return x }
let a = false && say("no")
let b = true || say("no")
let c = 1 ?? say("no")
let d = true ? say("yes") : say("no")
let e = nil?.x
let f = nil?[0]
println([a, b, c, d, e, f])
let g = false && (match 1 { 1 -> { say("no") } })
println(g)
""")
    assert out == lines("yes", "[false, true, 1, yes, nil, nil]", "false")


def test_match_every_pattern_form() -> None:
    out = run("""
enum Shape { Circle(radius), Rect(w, h), Empty }
fn describe(ev) {
  return match ev {
    {kind: "key", code: c} if c < 32 -> { "control ${c}" }
    {kind: "key", code: c} -> { "key ${c}" }
    Shape.Circle(r) -> { "circle ${r}" }
    Shape.Rect(w, _, extra) -> { "rect ${w} ${extra}" }
    Shape.Empty -> { "empty" }
    [first, _, third] -> { "list ${first}/${third}" }
    [1, x] -> { "one then ${x}" }
    0 | 1 -> { "bit" }
    nil -> { "nil" }
    other -> { "other: ${other}" }
  }
}
for v in [{kind: "key", code: 7}, {kind: "key", code: 65}, Shape.Circle(2),
          Shape.Rect(3, 4), Shape.Empty, [1, 2, 3, 4], [1, 9], 1, nil, "zz"] {
  println(describe(v))
}
let target = 3
println(match 3 { v if v == target -> { "same" } _ -> { "diff" } })
try { match 5 { 1 -> { 1 } } } catch (e) { println(e) }
""")
    assert out == lines("control 7", "key 65", "circle 2", "rect 3 nil", "empty", "list 1/3",
                        "one then 9", "bit", "nil", "other: zz", "same",
                        "No match arm matched the value")


def test_try_catch_finally_and_typed_catch() -> None:
    out = run("""
enum AppErr { Missing(id), Bad }
fn risky(k) {
  if k == 0 { throw AppErr.Missing(7) }
  if k == 1 { throw "plain" }
  return k / 0
}
for k in [0, 1, 2] {
  try {
    try { risky(k) } catch (e: AppErr) { println("typed ${e}") } finally { println("inner") }
  } catch (e) {
    println("outer ${e}")
  }
}
var n = 0
while true {
  try { n += 1; if n == 3 { break }; continue } finally { println("f${n}") }
}
fn early() {
  try { return "ret" } finally { println("cleanup") }
}
println(early())
""")
    assert out == lines("typed AppErr.Missing(7)", "inner", "inner", "outer plain", "inner",
                        "outer Division by zero", "f1", "f2", "f3", "cleanup", "ret")


def test_throw_any_value_and_rethrow() -> None:
    out = run("""
try { throw {code: 404} } catch (e) { println(e.code) }
try { throw [1, 2] } catch (e) { println(e) }
fn f() { return try* g() }
fn g() { throw "deep" }
try { f() } catch (e) { println(e) }
require 1 < 2
try { require false, {why: "no"} } catch (e) { println(e.why) }
try { require false } catch (e) { println(e) }
guard 1 > 2 else { println("guarded") }
""")
    assert out == lines("404", "[1, 2]", "deep", "no", "require condition failed", "guarded")


def test_question_mark_operator() -> None:
    out = run("""
fn half(n) { return if n % 2 == 0 { Ok(n / 2) } else { Err("odd: ${n}") } }
fn quarter(n) { return Ok(half(half(n)?)?) }
println(quarter(12))
println(quarter(6))
try { let v = 5?; println(v) } catch (e) { println(e) }
""")
    assert out == lines("Result.Ok(3)", "Result.Err(odd: 3)",
                        "Type error: ? operator requires a Result value, got int")


def test_functions_defaults_rest_and_return_rules() -> None:
    out = run("""
fn span(lo, hi = lo + 10, ...tags) { return "${lo}-${hi} ${tags}" }
println(span(1))
println(span(1, nil, "a"))
println(span(1, 2, "a", "b"))
fn nothing() { 5 }
println(nothing())
let closure = { a, b -> a + b }
println(closure(1, 2, 3))
println(closure(1, 2))
let fe = fn(x) { x * 2 }
println(fe(4))
println(span)
println(fe)
println({ -> 1 })
println(type_of(fe))
""")
    assert out == lines("1-11 []", "1-nil [a]", "1-2 [a, b]", "nil", "3", "3", "8",
                        "<fn(lo, hi, tags)>", "<fn(x)>", "<fn()>", "closure")


def test_tail_calls_are_unbounded_and_deep_recursion_overflows_cleanly() -> None:
    out = run("""
fn count(n, acc) { if n == 0 { return acc }; return count(n - 1, acc + 1) }
println(count(100000, 0))
fn piped(n) { if n == 0 { return "done" }; return n - 1 |> piped }
println(piped(20000))
fn spread(n, ...rest) { if n == 0 { return rest }; return spread(...[n - 1, n]) }
println(spread(3))
fn deep(n) { if n == 0 { return 0 }; return 1 + deep(n - 1) }
println(deep(500))
""")
    assert out == lines("100000", "done", "[1]", "500")
    err = error_of("fn deep(n) { return 1 + deep(n + 1) }\ndeep(0)\n")
    assert err.message == "Stack overflow: too many nested calls"
    assert err.line == 1


def test_recursion_limit_is_512_frames_including_entry() -> None:
    code = "fn d(n) { if n == 0 { return 0 }; return 1 + d(n - 1) }\nprintln(d(N))\n"
    assert run(code.replace("N", "510")) == "510\n"
    assert error_of(code.replace("N", "511")).message.startswith("Stack overflow")


def test_generators() -> None:
    out = run("""
fn countdown(n) {
  var i = n
  while i > 0 {
    yield i
    i = i - 1
  }
}
for v in countdown(3) { print("${v} ") }
println("")
let g = countdown(2)
println(g)
println(g.next())
println(g.next())
println(g.next())
println(g)
let gc = { -> yield 1; yield 2 }
println(iter(gc()).to_list())
fn boom() { yield 1; throw "bad" }
let b = boom()
println(b.next())
try { b.next() } catch (e) { println(e) }
println(b.next())
""")
    assert out == lines("3 2 1 ", "<generator>", "{done: false, value: 2}",
                        "{done: false, value: 1}", "{done: true, value: nil}",
                        "<generator (done)>", "[1, 2]", "{done: false, value: 1}", "bad",
                        "{done: true, value: nil}")


def test_structs_impl_and_enums() -> None:
    out = run("""
let early = Point {x: 1, y: 2}
println(early.norm())
struct Point {
  x: int
  y: int
  label?: string
}
impl Point {
  fn norm(self) { return self.x + self.y }
  fn shift(self, dx) { return Point {x: self.x + dx, y: self.y} }
}
let p = Point {x: 3, y: 4, extra: 1}
println(p)
println(Point({x: 1, z: 2}))
println(p.shift(1).norm())
println(p.label)
println(p.missing())
var q = p
q.label = "q"
println(q)
println(p == Point {y: 4, x: 3})
println(type_of(p))
enum Color { Red, Custom(hex) }
println(Color.Red)
println(Color.Custom("#fff"))
println(Color.Custom("#fff").variant)
println(Color.Custom("#fff").fields)
println(Color.Red == Color.Red)
println(Undeclared {a: 1})
println(Result.Ok(1) == Ok(1))
""")
    assert out == lines("3", "Point {x: 3, y: 4}", "Point {x: 1}", "8", "nil", "nil",
                        "Point {label: q, x: 3, y: 4}", "true", "struct", "Color.Red",
                        "Color.Custom(#fff)", "Custom", "[#fff]", "true", "Undeclared {a: 1}",
                        "true")


def test_destructuring_everywhere() -> None:
    out = run("""
let {name, role: r = "guest", ...other} = {name: "Kim", age: 7}
println([name, r, other])
let [head, _, ...tail] = [1, 2, 3, 4]
println([head, tail])
for [a, b = "d"] in [[1], [2, 3]] { println("${a}${b}") }
for {key, value} in {b: 2, a: 1} { println("${key}=${value}") }
for (k, v) in [pair("x", 1)] { println("${k}${v}") }
var [m, n] = [1, 2]
m = 10
println(m + n)
""")
    assert out == lines("[Kim, guest, {age: 7}]", "[1, [3, 4]]", "1d", "23", "a=1", "b=2",
                        "x1", "12")


def test_pipe_and_placeholder() -> None:
    out = run("""
fn twice(n) { return n * 2 }
println(4 |> twice)
println("a-b-c" |> split(_, "-"))
println([3, 1, 2] |> _.sort() |> len(_))
println(10 - 4 |> twice)
println(5 |> { x -> x + 1 })
let add = { a -> { b -> a + b } }
println(1 |> add(10))
""")
    assert out == lines("8", "[a, b, c]", "3", "12", "6", "11")


def test_member_subscript_slices_and_spread() -> None:
    out = run("""
let xs = [1, 2, 3]
println([xs[0], xs[-1], xs[5], xs[-9]])
println("harness"[-3:])
println(xs[1:])
println(xs[:-1])
println(xs[5:9])
println(xs.count)
println(xs.first)
println("abc".count)
let d = {count: 3}
println(d.count)
println(d?.missing)
println([...xs, 4])
println({...{a: 1}, b: 2})
fn three(a, b, c) { return a + b + c }
println(three(...xs))
println(three(1, ...[2, 3]))
println(len(...[xs]))
println({run: { x -> x + 1 }}.run(1))
println(42?.foo)
println((1 to 5)[1])
""")
    assert out == lines("[1, 3, nil, nil]", "ess", "[2, 3]", "[1, 2]", "[]", "3", "1", "3",
                        "3", "nil", "[1, 2, 3, 4]", "{a: 1, b: 2}", "6", "6", "3", "2", "nil",
                        "2")


def test_compound_and_nested_assignment() -> None:
    out = run("""
var d = {a: {b: [1, 2]}}
d.a.b[1] += 10
d["a"]["c"] = "new"
println(d)
var n = 7
n -= 2
n *= 3
n /= 2
n %= 4
println(n)
var s = "a"
s += "b"
println(s)
""")
    assert out == lines("{a: {b: [1, 12], c: new}}", "3", "ab")


def test_assignment_errors() -> None:
    assert error_of("let x = 1\nx = 2\n").message == "Cannot assign to immutable binding: x"
    assert error_of("fn f(p) { p = 1 }\nf(1)\n").message == \
        "Cannot assign to immutable binding: p"
    assert error_of("nope = 1\n").message == "Undefined variable: nope"
    assert error_of("var xs = [1]\nxs[3] = 1\n").message == \
        "Runtime error: Index 3 out of bounds for list of length 1"
    assert error_of("var s = 5\ns.f = 1\n").message == "Type error: cannot set property `f` on int"
    assert error_of("let x = 1\nlet x = 2\n").message == (
        "Runtime error: Cannot redeclare immutable variable 'x' in the same scope "
        "(use 'var' for mutable bindings)")


def test_undefined_names() -> None:
    assert error_of("println(zebra_cout)\nlet zebra_count = 1\n").message == \
        "Undefined variable: zebra_cout"
    assert error_of("let zebra_count = 2\nprintln(zebra_cout)\n").message == \
        "Runtime error: Undefined variable: zebra_cout (did you mean `zebra_count`?)"
    assert error_of("println(early())\nfn early() { 1 }\n").message == "Undefined builtin: early"
    assert error_of("let f = { -> later() }\nf()\nfn later() { 1 }\n").message == \
        "Undefined builtin: later"
    assert error_of("let _ = 1\nprintln(_)\n").message == "Undefined variable: _"


def test_calling_a_non_function() -> None:
    err = error_of("let x = 5\nx(1)\n")
    assert err.message == "Type error: Cannot call 5"
    assert (err.line, err.column) == (2, 1)


def test_block_scopes_and_closure_snapshots() -> None:
    out = run("""
let mode = "fast"
var steps = 0
while steps < 2 {
  let mode = "slow"
  steps += 1
}
println("${mode} ${steps}")
var hits = 0
let bump = { ->
  hits = hits + 1
  hits
}
println("${bump()} ${bump()} ${hits}")
var fs = []
for i in [1, 2, 3] { fs = fs + [{ -> i * 10 }] }
println(fs.map({ f -> f() }))
var x = 1
let read_x = { -> x }
x = 2
println(read_x())
fn gen(n) { var k = n; let f = { -> k }; k = 99; yield f() }
println(iter(gen(5)).to_list())
""")
    assert out == lines("fast 2", "1 1 0", "[10, 20, 30]", "1", "[5]")


def test_pipeline_mode() -> None:
    text = """
let greeting = "hi"
fn helper() { return greeting + "!" }
println("ignored")
pipeline base() { println("base") }
pipeline default(task) extends base {
  println(helper())
  println(task)
  return 3
}
"""
    assert run(text) == lines("base", "hi!", "nil")
    assert run_value(text) == 3


def test_script_result_value() -> None:
    assert run_value("let x = 2\nx * 21\n") == 42
    assert run_value("return [1, 2]\nprintln(3)\n") == [1, 2]


def test_tier2_forms_run() -> None:
    assert run("println(deadline 1s { 1 })\n") == "1\n"
    assert error_of("fn f() { emit 1 }\nf()\n").message == \
        "Runtime error: `emit` can only be used inside a `gen fn`"
    out = run("let h = spawn { println(1); 2 }\nprintln(type_of(h))\nprintln(await(h))\n"
              "println(await(h))\nlet bad = spawn { throw \"x\" }\n"
              "println(try { await(bad) })\n")
    assert out == "1\ntask_handle\n2\nnil\nResult.Err(x)\n"
    assert run("println(parallel(3) { i -> i * 2 })\n") == "[0, 2, 4]\n"
    out = run("fn f() { defer { println(2) }; println(1) }\nf()\n")
    assert out == "1\n2\n"


@pytest.mark.parametrize("text", [
    "break\n", "fn f() { continue }\n", "try* 1\n",
])
def test_compile_errors_stop_before_running(text: str) -> None:
    from vm.api import ScriptError, compile_script

    with pytest.raises(ScriptError) as exc:
        compile_script("println(1)\n" + text, check=False)
    assert exc.value.message.startswith("Compile error at line 2: ")
    assert exc.value.kind == "compile"


def test_top_level_try_star_is_reported_by_the_checker_first() -> None:
    from vm.api import ScriptError, compile_script

    with pytest.raises(ScriptError) as exc:
        compile_script("println(1)\ntry* 1\n")
    assert exc.value.message == (
        "try* requires an enclosing function (fn, tool, or pipeline) so the rethrow has a target")
    assert exc.value.kind == "check"


def test_generated_python_never_leaks_a_traceback() -> None:
    err = error_of('let d = {a: 1}\nd.a.b.c = 1\n'.replace("let", "var"))
    assert "Type error" in err.message or "Runtime error" in err.message


def test_python_ast_is_valid_for_every_statement_kind() -> None:
    text = SAMPLE + "\nreturn 1\n"
    src = Source(text, "x.harn")
    res = resolve_program(parse_text(text).program, src)
    tree = compile_unit(res, src).module
    assert isinstance(tree, py.Module)
