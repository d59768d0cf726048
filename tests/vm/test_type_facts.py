"""Type facts pick native operators only where they are sound."""

from __future__ import annotations

import pytest

from lang.parser import parse_text
from lang.source import Source
from vm.compiler import Compiler, debug_source
from vm.loading import resolve_program


def facts(text: str) -> dict[str, str | None]:
    src = Source(text, "t.harn")
    res = resolve_program(parse_text(text).program, src)
    c = Compiler(res, src)
    c.compile_program()
    return {b.name: t for b, t in c.types.types.items() if hasattr(b, "name")}


def test_loop_counters_and_accumulators_are_ints() -> None:
    f = facts("var i = 0\nvar total = 0\nwhile i < 10 { total = total + i * 2; i += 1 }\n"
              "for k in 0 to 5 { total += k }\nfor j in range(3) { total -= j }\n")
    assert (f["i"], f["total"], f["k"], f["j"]) == ("int", "int", "int", "int")


def test_unknown_sources_make_a_binding_unknown() -> None:
    f = facts("var x = 0\nx = x + len([1])\nvar y = 0\ny = y + to_int(\"3\")\n"
              "var z = 1\nz = z / 2.0\nvar w = 0\nw = nil\n")
    assert f["x"] == "int"
    assert f["y"] is None
    assert f["z"] == "num"
    assert f["w"] is None


def test_struct_fields_of_an_immutable_literal() -> None:
    text = ("struct P { x: int  y: int }\nlet p = P {x: 3, y: 4}\nvar t = 0\n"
            "for i in 0 to 3 { t = t + p.x + p.y }\nprintln(t)\n")
    assert facts(text)["t"] == "int"
    code = debug_source(text)
    assert "h_p$x = h_p.fields['x']" in code and "$add" not in code  # read once


def test_mutated_struct_loses_field_types() -> None:
    text = ("struct P { x: int }\nvar p = P {x: 3}\np.x = \"s\"\nlet y = p.x\n")
    assert facts(text)["y"] is None


def test_parameters_of_non_escaping_functions_follow_call_sites() -> None:
    f = facts("fn down(n) { if n == 0 { return 0 }; return 1 + down(n - 1) }\n"
              "let r = down(10)\nfn loose(a) { return a }\nlet g = loose\nloose(1)\n")
    assert f["n"] == "int" and f["r"] == "int"
    assert f["a"] is None  # ``loose`` escapes: anyone may call it


@pytest.mark.parametrize("text,out", [
    ("fn f(a) { return a + 1 }\nprintln(f(1))\nprintln(f(1.5))\n", "2\n2.5\n"),
    ("fn f(n) { if n <= 0 { return \"done\" }; return f(n - 1) }\nprintln(f(3))\n", "done\n"),
])
def test_programs_with_mixed_facts_run(text: str, out: str) -> None:
    from vm_helpers import run

    assert run(text) == out
