"""The resolver: scopes, visibility, captures, tail calls, compile errors, LSP queries."""

from __future__ import annotations

from lang import ast
from lang.parser import parse_text
from lang.resolve import Resolution, resolve
from lang.source import Source


def res_of(text: str) -> Resolution:
    parsed = parse_text(text)
    assert not parsed.diagnostics, parsed.diagnostics
    return resolve(parsed.program, Source(text))


def names(res: Resolution, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(res.program) if type(n) is ast.Name and n.name == name]


def binding_at(res: Resolution, text: str, needle: str, nth: int = 0):
    """The binding of the ``nth`` use of a name found at ``needle``'s offset."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    for n in ast.walk(res.program):
        if type(n) is ast.Name and n.start == offset:
            return res.definition_of(n)
    raise AssertionError(f"no name at {needle!r}")


def test_block_scope_shadowing_gives_distinct_bindings() -> None:
    text = 'let mode = "fast"\nif true {\n  let mode = "slow"\n  println(mode)\n}\nprintln(mode)\n'
    res = res_of(text)
    inner = binding_at(res, text, "mode)", 0)
    outer = binding_at(res, text, "mode)", 1)
    assert inner is not outer
    assert inner.py_name != outer.py_name
    assert outer.kind == "let" and not outer.mutable


def test_use_before_let_resolves_outward() -> None:
    text = "let x = 1\nif true {\n  let y = x\n  let x = 2\n}\n"
    res = res_of(text)
    b = binding_at(res, text, "x\n  let x = 2")
    assert b is not None and b.start == 4


def test_inner_name_invisible_after_block() -> None:
    text = "if true {\n  let inner = 1\n}\nprintln(inner)\n"
    res = res_of(text)
    assert binding_at(res, text, "inner)") is None


def test_fn_is_not_hoisted_at_same_level_but_late_bound_inside_functions() -> None:
    text = "early()\nfn first() { return early() }\nfn early() { return 1 }\n"
    res = res_of(text)
    uses = names(res, "early")
    top, inside = uses[0], uses[1]
    assert res.definition_of(top) is None
    b = res.definition_of(inside)
    assert b is not None and b.kind == "fn"


def test_let_declared_after_closure_is_not_captured() -> None:
    text = "fn show() { return v }\nlet v = 10\n"
    res = res_of(text)
    assert binding_at(res, text, "v }") is None


def test_pipeline_mode_top_level_lets_visible_to_functions() -> None:
    text = "fn show() { return v }\nlet v = 10\npipeline main() { println(show()) }\n"
    res = res_of(text)
    b = binding_at(res, text, "v }")
    assert b is not None and b.kind == "let"


def test_capture_modes() -> None:
    text = (
        "let k = 1\n"
        "var x = 1\n"
        "let read = { -> k + x }\n"
        "x = 2\n"
        "var hits = 0\n"
        "let bump = { ->\n  hits = hits + 1\n  hits\n}\n"
    )
    res = res_of(text)
    closures = [f for f in res.funcs.values() if f.kind == "closure"]
    read, bump = closures
    modes = {b.name: m for b, m in read.captures.items()}
    assert modes == {"k": "cell", "x": "snapshot"}
    assert {b.name: m for b, m in bump.captures.items()} == {"hits": "snapshot"}


def test_loop_bindings_are_snapshotted() -> None:
    text = "var fs = []\nfor i in [1, 2] {\n  let j = i\n  fs = fs + [{ -> i + j }]\n}\n"
    res = res_of(text)
    closure = next(f for f in res.funcs.values() if f.kind == "closure")
    assert set(closure.captures.values()) == {"snapshot"}


def test_captures_propagate_through_intermediate_functions() -> None:
    text = "var x = 1\nfn mid() {\n  fn inner() { return x }\n  return inner\n}\nx = 2\n"
    res = res_of(text)
    mid = next(f for f in res.funcs.values() if f.name == "mid")
    inner = next(f for f in res.funcs.values() if f.name == "inner")
    assert {b.name: m for b, m in mid.captures.items()} == {"x": "snapshot"}
    assert {b.name: m for b, m in inner.captures.items()} == {"x": "cell"}


def test_self_tail_calls_found() -> None:
    text = ("fn loop(n) {\n  if n == 0 { return 0 }\n  return loop(n - 1)\n}\n"
            "fn pipe(n) { return n |> pipe }\n"
            "fn not_tail(n) { return 1 + not_tail(n) }\n"
            "fn in_try(n) { try { return in_try(n) } catch (e) { } }\n")
    res = res_of(text)
    by_name = {f.name: f for f in res.funcs.values()}
    assert len(by_name["loop"].tail_calls) == 1
    assert len(by_name["pipe"].tail_calls) == 1
    assert not by_name["not_tail"].tail_calls
    assert not by_name["in_try"].tail_calls


def test_tolerance_follows_escape() -> None:
    text = "fn direct(a) { return a }\nfn passed(a) { return a }\ndirect(1)\nlet f = passed\n"
    res = res_of(text)
    by_name = {f.name: f for f in res.funcs.values()}
    assert not by_name["direct"].tolerant
    assert by_name["passed"].tolerant


def test_compile_errors() -> None:
    text = "break\nfn f() { continue }\nwhile true { let g = { -> break } }\ntry* 1\n"
    res = res_of(text)
    messages = [d.message for d in res.errors]
    assert messages == [
        "Compile error at line 1: break outside of loop",
        "Compile error at line 2: continue outside of loop",
        "Compile error at line 3: break outside of loop",
        "Compile error at line 4: try* requires an enclosing function (fn, tool, or pipeline) "
        "so the rethrow has a target",
    ]


def test_try_star_inside_function_is_fine() -> None:
    assert not res_of("fn f() { return try* g() }\nfn g() { 1 }\n").errors


def test_redeclare_let_recorded() -> None:
    res = res_of("let x = 1\nlet x = 2\nvar y = 1\nlet y = 2\nfn g() {}\nlet g = 1\n")
    assert sorted(res.redeclare_errors.values()) == ["g", "x"]


def test_pipe_placeholder_binding() -> None:
    text = 'let r = "a-b" |> split(_, "-")\nprintln(_)\n'
    res = res_of(text)
    pipe = next(n for n in ast.walk(res.program) if type(n) is ast.Pipe)
    ph = res.placeholders[pipe]
    unders = names(res, "_")
    assert res.definition_of(unders[0]) is ph
    assert res.definition_of(unders[1]) is None


def test_match_pattern_shapes_and_arm_scope() -> None:
    text = ("enum Shape { Circle(r), Empty }\n"
            "let v = 1\n"
            "let out = match v {\n"
            "  Shape.Circle(r) -> { r }\n"
            "  Shape.Empty -> { 0 }\n"
            "  [a, 2] -> { a }\n"
            "  {k: x, t: 1} -> { x }\n"
            "  0 | 1 -> { 1 }\n"
            "  other -> { other }\n"
            "}\n")
    res = res_of(text)
    match = next(n for n in ast.walk(res.program) if type(n) is ast.Match)
    kinds = [res.patterns[arm.patterns[0]].kind for arm in match.arms]
    assert kinds == ["enum", "enum", "list", "dict", "expr", "bind"]
    circle = res.patterns[match.arms[0].patterns[0]]
    assert circle.enum == "Shape" and circle.variant == "Circle" and 0 in circle.binds


def test_enum_refs_and_shadowing() -> None:
    text = "enum E { A }\nlet a = E.A\nlet r = Result.Ok(1)\nlet E2 = {A: 1}\nlet b = E2.A\n"
    res = res_of(text)
    refs = set(res.enum_refs.values())
    assert refs == {"E", "Result"}


def test_definition_references_and_scopes_for_editors() -> None:
    text = "let total = 1\nfn f(n) {\n  let y = n + total\n  return y\n}\nprintln(total)\n"
    res = res_of(text)
    total = binding_at(res, text, "total)")
    refs = res.references_of(total)
    assert [text[r.start:r.end] for r in refs] == ["total", "total"]
    inside = text.index("return y")
    visible = {b.name for b in res.visible_at(inside)}
    assert {"y", "n", "total", "f"} <= visible
    scope = res.scope_at(inside)
    assert scope.kind == "block" and scope.func.name == "f"
    assert res.binding_at(text.index("total)") + 2) is total
    assert res.binding_at(4) is total  # the declaration itself
    y = res.binding_at(text.index("return y") + 7)
    assert y is not None and y.name == "y" and y.start == text.index("y =")
    assert res.binding_at(text.index("println")) is None


def test_assignment_targets_and_reassignment() -> None:
    text = "var a = [1]\na[0] = 2\nlet b = 1\nb = 2\nnope = 3\n"
    res = res_of(text)
    targets = {text[s.target.start:s.target.end]: b for s, b in res.assign_targets.items()}
    assert targets["a[0]"].name == "a" and targets["a[0]"].reassigned
    assert targets["b"].kind == "let"
    assert targets["nope"] is None


def test_python_names_cannot_collide_with_helpers() -> None:
    res = res_of("let __class__ = 1\nlet x = 2\nif true { let x = 3 }\n")
    py_names = [b.py_name for b in res.bindings]
    assert all(n.startswith("h_") for n in py_names)
    assert len(set(py_names)) == len(py_names)
