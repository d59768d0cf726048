"""Error recovery: one bad statement never hides the rest of the file."""

from __future__ import annotations

from lang import ast
from lang.parser import parse_text
from lang.source import Source


def messages(text: str) -> list[str]:
    src = Source(text)
    from lang.parser import parse

    return [d.spec_text(src) for d in parse(src).diagnostics]


THREE_ERRORS = """\
fn good_one(a) {
  return a + 1
}

let broken = ;

struct Point { x: int, y: int }

fn bad_params(a, 1) {
  return a
}

enum Color { Red, Green }

let also_broken = (1 + )

fn good_two() {
  return Point {x: 1, y: 2}
}
"""


def test_three_independent_errors_all_reported() -> None:
    assert messages(THREE_ERRORS) == [
        "Expected expression, got ; at 5:14",
        "Expected parameter name, got int(1) at 9:18",
        "Expected expression, got ) at 15:24",
    ]


def test_valid_declarations_survive() -> None:
    res = parse_text(THREE_ERRORS)
    names = [(type(i).__name__, getattr(i, "name", None)) for i in res.program.items]
    assert names == [
        ("FnDecl", "good_one"),
        ("StructDecl", "Point"),
        ("EnumDecl", "Color"),
        ("FnDecl", "good_two"),
    ]


def test_errors_inside_a_function_body_keep_the_function() -> None:
    text = "fn f() {\n  let a = ]\n  let b = 2\n  let c = 3 4\n  return b\n}\nfn g() {}"
    res = parse_text(text)
    assert len(res.diagnostics) == 2
    f = res.program.items[0]
    assert isinstance(f, ast.FnDecl)
    assert [type(s).__name__ for s in f.body.stmts] == ["Let", "Let", "Return"]
    assert res.program.items[1].name == "g"


def test_unclosed_block_reports_eof_once() -> None:
    text = "fn f() {\n  if x {\n    while y {\n"
    assert messages(text) == ["Unexpected end of file, expected }"]


def test_stray_closing_brace_at_top_level() -> None:
    res = parse_text("}\nlet x = 1\n)\nlet y = 2")
    assert len(res.diagnostics) == 2
    assert [type(i).__name__ for i in res.program.items] == ["Let", "Let"]


def test_lexer_errors_are_reported_alone_but_tree_still_built() -> None:
    res = parse_text("let a = 1 # comment\nfn keep() { return 1 }\nlet b = )")
    assert [d.message for d in res.diagnostics] == ["Unexpected character '#'"]
    assert any(isinstance(i, ast.FnDecl) and i.name == "keep" for i in res.program.items)


def test_error_in_interpolation_does_not_stop_parsing() -> None:
    res = parse_text('let s = "${a b}"\nlet t = 2')
    assert [d.message for d in res.diagnostics] == ["Expected }, got id(b)"]
    assert len(res.program.items) == 2


def test_many_errors_each_reported() -> None:
    text = "\n".join(["let ok = 1", "let x = ;"] * 50)
    res = parse_text(text)
    assert len(res.diagnostics) == 50
    assert len(res.program.items) == 50
