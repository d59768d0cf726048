"""Tail calls and the 512-frame limit (language.md §10.5), and ``exit(n)``."""

from __future__ import annotations

import io

import pytest
from vm_helpers import error_of, lines, run

from vm.api import compile_script
from vm.builtins import CAPABILITIES

OVERFLOW = "Stack overflow: too many nested calls"


def test_mutual_tail_recursion_is_unbounded() -> None:
    out = run("""
fn is_even(n) { if n == 0 { return true }
  return is_odd(n - 1) }
fn is_odd(n) { if n == 0 { return false }
  return n - 1 |> is_even }
println(is_even(100000))
println(is_odd(7))
""")
    assert out == lines("true", "true")


def test_three_way_cycle_with_self_calls_defaults_and_rest() -> None:
    out = run("""
fn a(n, acc = 0) {
  if n == 0 { return acc }
  if n % 2 == 0 { return a(n - 1, acc + 1) }
  return b(n - 1, acc)
}
fn b(n, acc) { return c(n, acc, "extra") }
fn c(n, ...rest) { return a(n, rest[0]) }
println(a(60000))
let f = a
println(f(4))
""")
    assert out == lines("30000", "2")


def test_trampolined_calls_report_errors_where_they_happen() -> None:
    err = error_of("fn p(n) { if n == 0 { return nil.x }\n return q(n - 1) }\n"
                   "fn q(n) { return p(n) }\np(5000)\n")
    assert "cannot access property `x` on nil" in err.message
    assert err.line == 1


def test_calls_in_try_are_not_tail_calls() -> None:
    out = run("""
fn p(n) { if n == 0 { throw "bottom" }
  return try { q(n - 1) } catch (e) { "caught ${e}" } }
fn q(n) { return p(n) }
println(p(10))
""")
    assert out == "caught bottom\n"


@pytest.mark.parametrize("loop", ["for x in [1] {", "while true {",
                                  "for x in 0 to 3 { while true {"])
def test_self_tail_call_inside_loops(loop: str) -> None:
    close = "}" * loop.count("{")
    out = run(f"fn scan(n) {{\n  {loop}\n    if n > 0 {{ return scan(n - 1) }}\n"
              f"    return \"done\"\n  {close}\n}}\nprintln(scan(100000))\n")
    assert out == "done\n"


def test_tail_call_in_loop_restarts_with_fresh_loop_state() -> None:
    out = run("""
fn f(n, acc) {
  var seen = 0
  for x in [1, 2, 3] {
    seen += x
    if n > 0 && x == 2 { return f(n - 1, acc + seen) }
  }
  return acc + seen
}
println(f(3, 0))
""")
    assert out == "15\n"


def test_return_inside_retry_is_not_a_tail_call() -> None:
    out = run("fn r(n) {\n  retry 3 {\n    if n > 0 { return r(n - 1) }\n"
              "    return \"done\"\n  }\n}\nprintln(r(3))\n")
    assert out == "done\n"


def test_exact_limit_for_plain_recursion() -> None:
    text = "fn d(n) { if n == 0 { return 0 }\n return 1 + d(n - 1) }\nprintln(d(N))\n"
    assert run(text.replace("N", "510")) == "510\n"
    assert error_of(text.replace("N", "511")).message == OVERFLOW


def test_frames_of_builtins_do_not_count() -> None:
    out = run("""
fn nest(n) { if n == 0 { return [] }
  return [nest(n - 1)] }
fn depth(t) { if len(t) == 0 { return 0 }
  return 1 + t.map({ c -> depth(c) }).max() }
fn f(n) {
  if n == 0 { return to_string({a: {b: [iter([1, 2]).map({ x -> x * 2 }).to_list()]}}) }
  return f(n - 1)
}
fn g(n) { if n == 0 { return sorted_len([3, 1, 2]) }
  return 0 + g(n - 1) }
fn sorted_len(xs) { return len(xs.sort()) }
println(depth(nest(200)))
println(f(505))
println(g(505))
""")
    assert out == lines("200", "{a: {b: [[2, 4]]}}", "3")


def test_runaway_recursion_through_callbacks_still_overflows() -> None:
    err = error_of("fn f(x) { return 1 + [x].map({ y -> f(y) })[0] }\nf(1)\n")
    assert err.message == OVERFLOW


def test_recursion_limit_and_lending_cap_are_restored() -> None:
    import sys

    from vm.runtime.support import DEEP_CAP

    before, cap = sys.getrecursionlimit(), DEEP_CAP[0]
    error_of("fn f(x) { return 1 + [x].map({ y -> f(y) })[0] }\nf(1)\n")
    assert (sys.getrecursionlimit(), DEEP_CAP[0]) == (before, cap)


def test_exit_ends_the_run_with_its_status() -> None:
    script = compile_script('println("a")\nexit(3)\nprintln("b")\n', capabilities=CAPABILITIES)
    out = io.StringIO()
    result = script.execute(stdout=out)
    assert (out.getvalue(), result.status, result.value) == ("a\n", 3, None)
    script = compile_script("fn f() { try { exit(300) } catch (e) { return 1 } }\nf()\n",
                            capabilities=CAPABILITIES)
    assert script.execute(stdout=io.StringIO()).status == 255


def test_exit_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    path = tmp_path / "e.harn"
    path.write_text('println("a")\nexit(4)\n')
    proc = subprocess.run([sys.executable, "-m", "lang.cli", "run", str(path)],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (4, "a\n", "")
