"""Run limits: deadline and call depth stop a script with a clean language error."""

from __future__ import annotations

import io

import pytest
from vm_helpers import error_of, run

from vm.api import ScriptError, compile_script


@pytest.mark.parametrize("body", [
    "while true {}",
    "var i = 0\nwhile true { i += 1 }",
    "fn spin(n) { return spin(n + 1) }\nspin(0)",
    "for i in 0 to 10 ** 18 { }",
    "fn g() { while true { yield 1 } }\nfor x in g() { }",
    "let f = { -> while true {} }\nf()",
    "while true { try { while true {} } catch (e) { } finally { } }",
])
def test_deadline_stops_the_script(body: str) -> None:
    err = error_of(body + "\n", timeout=0.05)
    assert err.kind == "limit"
    assert err.message == "Runtime error: time limit of 0.05s exceeded"


def test_no_deadline_means_no_checks_in_the_code() -> None:
    script = compile_script("var i = 0\nwhile i < 3 { i += 1 }\nfn f() { return 1 }\n")
    plain, _ = script.variant(False)
    checked, _ = script.variant(True)

    def names(code) -> set[str]:  # type: ignore[no-untyped-def]
        out = set(code.co_names)
        for c in code.co_consts:
            if hasattr(c, "co_names"):
                out |= names(c)
        return out

    assert "$mono" not in names(plain)
    assert "$mono" in names(checked)


def test_deadline_does_not_fire_for_quick_scripts() -> None:
    assert run("var i = 0\nwhile i < 1000 { i += 1 }\nprintln(i)\n", timeout=30) == "1000\n"


def test_max_depth_limit() -> None:
    text = "fn d(n) { if n == 0 { return 0 }; return 1 + d(n - 1) }\nprintln(d(N))\n"
    assert run(text.replace("N", "40"), max_depth=50) == "40\n"
    err = error_of(text.replace("N", "60"), max_depth=50)
    assert err.message == "Stack overflow: too many nested calls"


def test_recursion_limit_is_restored_after_the_run() -> None:
    import sys

    before = sys.getrecursionlimit()
    error_of("fn f(n) { return 1 + f(n) }\nf(0)\n")
    assert sys.getrecursionlimit() == before


def test_stack_overflow_is_catchable_as_a_string() -> None:
    out = run("fn f(n) { return 1 + f(n) }\n"
              "let r = try { f(0) } catch (e) { e }\nprintln(r)\n")
    assert out == "Stack overflow: too many nested calls\n"


def test_limit_error_is_a_script_error_with_path() -> None:
    script = compile_script("while true {}\n", "spin.harn")
    with pytest.raises(ScriptError) as exc:
        script.run(stdout=io.StringIO(), timeout=0.01)
    assert exc.value.path == "spin.harn"
