"""Typed fast paths: native code where facts prove the kinds, identical results always.

Each case runs with the compiler's own facts (``check=False``) and, where the
static checker accepts the program, as ``lang run`` compiles it (checker facts
too); the output must be the spec's either way. Code-shape assertions pin
down that the fast path is taken (or not) where it matters.
"""

from __future__ import annotations

import ast as py
import io

import pytest
from vm_helpers import error_of, run

from vm.api import compile_script
from vm.compiler import debug_source


def code_of(text: str, check: bool = True, host: dict | None = None) -> str:
    script = compile_script(text, "t.harn", host, check=check)
    return py.unparse(script.variant(False)[1].module)


def run_checked(text: str) -> str:
    out = io.StringIO()
    compile_script(text, "t.harn").run(stdout=out)
    return out.getvalue()


CASES = [
    # one type test guards a whole arithmetic tree; negative ints and floats take the
    # slow path's truncating division and sign-of-dividend modulo
    ("fn f(x) { return x % 3 == 0 }\nlet g = f\n"
     "println([g(-3), g(-4), g(4), g(3.0), g(4.5)])\n",
     "[true, false, false, true, false]\n"),
    ("fn h(x, y) { return x / 2 + y * 3 - 1 }\nlet k = h\n"
     "println([k(-7, 1), k(7, -1), k(7.0, 1), k(1, 0.5)])\n",
     "[-1, -1, 5.5, 0.5]\n"),
    # dict keys known from a literal: read with a subscript, still nil after ``= nil``
    ("var d = {a: 1, b: 2}\nd.a = nil\nprintln(d.a)\nprintln(d.b + 1)\n", "nil\n3\n"),
    ("var d = {a: 1}\nd = {}\nprintln(d.a)\n", "nil\n"),
    ("let d = {a: 1} + {a: \"x\", b: 3}\nprintln(d.a)\nprintln(d)\n", "x\n{a: x, b: 3}\n"),
    # list element facts: lost when an element is assigned
    ("var xs = [1, 2]\nxs[0] = \"a\"\nfor x in xs { println(x + x) }\n", "aa\n4\n"),
    ("var xs = [1, 2]\nxs = xs + [0.5]\nvar t = 0\nfor x in xs { t = t + x }\nprintln(t)\n",
     "3.5\n"),
    # callbacks of list methods get the element facts
    ("println([1, 2.5].map({ x -> x * 2 }))\n", "[2, 5.0]\n"),
    ("println(range(7).to_list().filter({ x -> x % 3 == 0 }).map({ x -> x / 2 }))\n",
     "[0, 1, 3]\n"),
    ("println([-7, 7].map({ x -> x / 2 }))\n", "[-3, 3]\n"),
    ("println([-6, -7, 7, 9].map({ x -> [x % 3 == 0, x % -3 != 0, x % 3] }))\n",
     "[[true, false, 0], [false, true, -1], [false, true, 1], [true, false, 0]]\n"),
    ("let ys = [1, 2].map({ x -> x + 1 })\nprintln(len(ys) + len([1].sort_by({ x -> x })))\n",
     "3\n"),
    # filter with a predicate of a known kind runs Python's filter
    ("println([0, 1, 2].filter({ x -> x }))\nprintln([\"\", \"a\"].filter({ s -> s }))\n"
     "println([1, 2].filter({ x -> 1 to 0 }))\nprintln([1, 2].filter({ x -> x > 1 }))\n",
     "[1, 2]\n[a]\n[1, 2]\n[2]\n"),
    ("println([7, 8].map({ n -> to_string(n) + \"!\" }))\n", "[7!, 8!]\n"),
    # membership: native only for ints in int lists and strings in strings
    ("println([[1, 2, 3].contains(2), [true].contains(1), [1.0].contains(1)])\n",
     "[true, false, true]\n"),
    ("let s = \"hello\"\nprintln([s.contains(\"ell\"), s.contains(\"\"), s.contains(1)])\n",
     "[true, true, false]\n"),
    # Python ranges for proven int bounds
    ("for i in 1 to 3 { print(i) }\nfor i in 5 to 1 { print(i) }\n"
     "for i in 2 to 4 exclusive { print(i) }\nfor i in range(2, 4) { print(i) }\nprintln()\n",
     "1232323\n"),
    ("println([len(\"h\u00e9llo\"), len([1, 2]), len({a: 1}), len(1 to 4)])\n",
     "[5, 2, 1, 4]\n"),
    # compile-time method dispatch, and the dict fallback to a stored callable
    ("let d = {run: { x -> x + 1 }}\nprintln(d.run(1))\nprintln(d.keys())\n",
     "2\n[run]\n"),
    ("println(\"a,b\".split(\",\").map({ s -> s + \"!\" }))\n", "[a!, b!]\n"),
    ("println((1 to 3).to_list().reverse())\n", "[3, 2, 1]\n"),
    ("let xs = [3, 1, 2]\nprintln(xs.sort())\nprintln(xs.nope())\n", "[1, 2, 3]\nnil\n"),
    # dict merge and list concatenation with native operators
    ("var acc = {}\nfor i in range(3) { acc = acc + {[\"k${i}\"]: i} }\nprintln(acc)\n",
     "{k0: 0, k1: 1, k2: 2}\n"),
    ("println([1] + [2, 3])\n", "[1, 2, 3]\n"),
]


@pytest.mark.parametrize("text,out", CASES)
def test_fast_paths_keep_the_semantics(text: str, out: str) -> None:
    assert run(text) == out


@pytest.mark.parametrize("text,out", CASES)
def test_fast_paths_with_checker_facts(text: str, out: str) -> None:
    try:
        got = run_checked(text)
    except Exception as exc:  # noqa: BLE001 - the checker may reject a deliberate misuse
        pytest.skip(f"rejected by the checker: {exc}")
    assert got == out


def test_hoisted_guard_shape() -> None:
    code = debug_source("fn f(x) { return x % 3 == 0 }\nlet g = f\nprintln(g(1))\n")
    assert "== 0 if $T(h_x) is $int else" in code


def test_known_list_elements_make_native_loops() -> None:
    code = debug_source("let xs = range(10).to_list()\nvar t = 0\n"
                        "for x in xs { t = t + x }\nprintln(t)\n")
    assert "for h_x in h_xs:" in code
    assert "h_t = h_t + h_x\n" in code
    assert "$iterate" not in code and "$add" not in code


def test_callback_parameters_follow_the_receiver_elements() -> None:
    code = debug_source("let xs = [1, 2, 3]\nprintln(xs.filter({ x -> x % 2 == 0 }))\n")
    assert "$eq" not in code and "$T(h_x)" not in code


def test_dict_literal_keys_are_subscripts() -> None:
    code = debug_source("let cfg = {port: 80}\nprintln(cfg.port + 1)\nprintln(cfg.host)\n")
    assert "h_cfg['port'] + 1" in code
    assert "h_cfg.get('host')" in code


def test_method_calls_on_known_receivers_are_direct() -> None:
    code = debug_source("let s = \"a b\"\nprintln(s.upper())\nprintln(s.contains(\"a\"))\n")
    assert "$find_method" not in code
    assert "'a' in h_s" in code


def test_unknown_receivers_use_the_per_name_site() -> None:
    code = debug_source("fn f(x) { return x.len() }\nlet g = f\nprintln(g([1]))\n")
    assert "$ms" in code and "$find_method(h_x, 'len')" in code


def test_checker_facts_are_used_when_the_checker_ran() -> None:
    text = "let s = json_stringify([1])\nprintln(s + \"!\")\n"
    assert "h_s + '!'" in code_of(text, check=True)
    assert "$add" in code_of(text, check=False)
    assert run_checked(text) == "[1]!\n"


def test_host_functions_shadowing_builtins_disable_checker_facts() -> None:
    text = "let n = len(\"ab\")\nprintln(n - 1)\n"
    assert "$T(h_n) is $int" not in code_of(text)
    code = code_of(text, host={"len": lambda *a: "ab"})
    assert "$T(h_n) is $int" in code


def test_errors_still_come_from_the_helpers() -> None:
    err = error_of("fn f(x) { return x * 2 + 1 }\nlet g = f\ng(\"s\")\n")
    assert "Cannot add string and int" in err.message or "Cannot multiply" in err.message


def test_struct_field_alias_and_value_semantics() -> None:
    text = ("struct P { x: int  y: int }\nlet p = P {x: 1, y: 2}\nvar q = p\nq.x = 10\n"
            "println(p.x + p.y)\nprintln(q.x)\n"
            "for i in 0 to 1 { let r = P {x: i, y: i}\n println(r.x + r.y) }\n"
            "fn f() { return p.x }\nprintln(f())\n")
    assert run(text) == "3\n10\n0\n2\n1\n"
    code = debug_source(text)
    assert "h_p$x + h_p$y" in code


def test_filter_with_a_known_predicate_is_python_filter() -> None:
    code = debug_source("let xs = [1, 2, 3]\nprintln(xs.filter({ x -> x > 1 }))\n"
                        "println(xs.filter({ x -> 1 to x }))\n")
    assert code.count("$filter(") == 1
