"""Escape attempts: every one ends in a language error, nil, or a clean limit."""

from __future__ import annotations

import io

import pytest
from vm_helpers import error_of, run

from vm.api import ScriptError, compile_script
from vm.namespace import BASE


def test_namespace_has_no_python_builtins() -> None:
    assert BASE["__builtins__"] == {}
    assert all("$" in k for k in BASE if k != "__builtins__")


@pytest.mark.parametrize("name", ["__import__", "__builtins__", "__class__", "open", "eval",
                                  "getattr", "globals", "object", "compile", "vars"])
def test_python_names_are_not_reachable(name: str) -> None:
    err = error_of(f'let x = {name}("os")\n')
    assert err.message.startswith(("Undefined builtin", "Runtime error: Undefined builtin"))


@pytest.mark.parametrize("name", ["exec", "shell", "read_file", "env", "write_file", "exit"])
def test_capability_builtins_are_denied_to_embedded_scripts(name: str) -> None:
    err = error_of(f'{name}("x")\n')
    assert err.message == f"Error [tool_rejected]: Tool '{name}' is not permitted."


def test_dunder_identifiers_are_ordinary_bindings() -> None:
    out = run("let __class__ = 1\nlet __globals__ = {__init__: 2}\n"
              "println(__class__ + __globals__.__init__)\n")
    assert out == "3\n"


@pytest.mark.parametrize("expr", [
    '"abc".__class__',
    "[1].__class__",
    "{a: 1}.__class__",
    "len.__self__",
    "{ -> 1 }.__globals__",
    "(1 to 3).__class__",
    "pair(1, 2).__class__",
])
def test_dunder_properties(expr: str) -> None:
    text = f"let v = {expr}\nprintln(v)\n"
    try:
        out = run(text)
    except ScriptError as exc:
        assert exc.message.startswith("Type error: cannot access property")
    else:
        assert out == "nil\n"


@pytest.mark.parametrize("expr", [
    '"abc".__class__()',
    "[1].__class__().__subclasses__()",
    '"{0.__class__}".format("x")',
    "{a: 1}.__getitem__(\"a\")",
    "{ -> 1 }.__call__()",
    "len.__call__([1])",
    "Ok(1).__class__()",
])
def test_dunder_methods_return_nil(expr: str) -> None:
    out = run(f"println({expr})\n")
    assert out == "nil\n"


def test_struct_fields_and_dict_keys_named_like_dunders() -> None:
    out = run("""
struct S { __class__: int }
var s = S {__class__: 1}
s.__dict__ = 2
println(s)
println(s.__class__)
var d = {}
d["__class__"] = 1
d.__init__ = 2
println(d)
println(d.__class__)
""")
    assert out == "S {__class__: 1, __dict__: 2}\n1\n{__class__: 1, __init__: 2}\n1\n"


def test_format_string_tricks_are_plain_text() -> None:
    out = run('let x = "{0.__class__.__mro__}"\nprintln("${x}")\nprintln(x + "${1}")\n')
    assert out == "{0.__class__.__mro__}\n{0.__class__.__mro__}1\n"


def test_errors_bind_values_not_exception_objects() -> None:
    out = run('try { 1 / 0 } catch (e) { println(type_of(e)); println(e.__traceback__) }\n')
    assert out == "string\nnil\n"


def test_generators_and_iterators_expose_no_frames() -> None:
    assert error_of("fn g() { yield 1 }\nprintln(g().gi_frame)\n").message == \
        "Type error: cannot access property `gi_frame` on generator"
    assert run("println(iter([1]).__next__())\nfn g() { yield 1 }\nprintln(g().send(1))\n") \
        == "nil\nnil\n"


def test_huge_range_iteration_stops_at_the_deadline() -> None:
    err = error_of("var n = 0\nfor i in 0 to 10 ** 18 { n += 1 }\n", timeout=0.2)
    assert err.kind == "limit"
    assert "time limit" in err.message


def test_huge_range_is_lazy() -> None:
    assert run("let r = 0 to 10 ** 18\nprintln(r)\nprintln(5 in r)\n") == \
        "0 to 1000000000000000000\ntrue\n"


def test_catch_cannot_swallow_the_deadline() -> None:
    err = error_of("while true { try { while true {} } catch (e) { } }\n", timeout=0.2)
    assert err.kind == "limit"


def test_helper_names_cannot_be_spelled() -> None:
    # ``$`` is not an identifier character, so helpers are out of reach.
    with pytest.raises(ScriptError) as exc:
        compile_script("let x = $add(1, 2)\n")
    assert exc.value.kind == "syntax"


def test_host_objects_are_only_what_the_host_gives() -> None:
    secret = {"k": 1}

    def peek() -> dict:
        return dict(secret)

    out = io.StringIO()
    compile_script("var d = peek()\nd.k = 2\nprintln(d)\n",
                   host_functions={"peek": peek}).run(stdout=out)
    assert out.getvalue() == "{k: 2}\n"
    assert secret == {"k": 1}
