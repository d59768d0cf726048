"""Comments survive formatting in place: same text, same order, attached to
the same code. Trailing comments stay at the end of their line, own-line
comments on their own line, inline block comments between the same tokens;
blank lines around comments are kept (at most one) between statements."""

from __future__ import annotations

import pytest

from lang.fmt_verify import comment_diff
from lang.formatter import format_source
from lang.parser import parse_text
from tests.lang.fmt.mutate import check_formatting


def fmt(text: str, width: int = 100) -> str:
    return check_formatting(text, width)


@pytest.mark.parametrize("src,expected", [
    # trailing comments stay on their line, after the synthesized comma
    ("let xs = [\n  1 // one\n  2\n]\n", "let xs = [\n  1, // one\n  2,\n]\n"),
    ("f(a, // first\n  b)\n", "f(\n  a, // first\n  b,\n)\n"),
    # a trailing comment after a whole statement does not break its groups
    ("let x = f(a, b) // note\n", "let x = f(a, b) // note\n"),
    ("let x = {a: 1} /* note */\nlet y = 2\n", "let x = {a: 1} /* note */\nlet y = 2\n"),
    # own-line comments keep their own line and the blank line before them
    ("let a = 1\n\n\n// section\nlet b = 2\n", "let a = 1\n\n// section\nlet b = 2\n"),
    ("let a = 1\n// one\n\n// two\nlet b = 2\n", "let a = 1\n// one\n\n// two\nlet b = 2\n"),
    # inline block comments stay between the same tokens
    ("let z = x + /* why */ y\n", "let z = x + /* why */ y\n"),
    ("f(/* first */ a, b)\n", "f(/* first */ a, b)\n"),
    # comments inside otherwise empty brackets and blocks
    ("fn f() {\n  // todo\n}\n", "fn f() {\n  // todo\n}\n"),
    ("fn f() { // todo\n}\n", "fn f() { // todo\n}\n"),
    ("let d = {\n  // nothing yet\n}\n", "let d = {\n  // nothing yet\n}\n"),
    ("f(\n  // no args\n)\n", "f(\n  // no args\n)\n"),
    # comments before else / after else
    ("if a {\n  b()\n} // end\nelse {\n  c()\n}\n", "if a {\n  b()\n} // end\nelse {\n  c()\n}\n"),
    # doc comments stay attached to their declaration
    ("/// Docs.\n@test\npipeline p() {}\n", "/// Docs.\n@test\npipeline p() {}\n"),
    ("@test\n/// Docs.\nfn f() {}\n", "@test\n/// Docs.\nfn f() {}\n"),
    ("/**\n * Block doc.\n */\nstruct S {}\n", "/**\n * Block doc.\n */\nstruct S {}\n"),
    # a comment after `=` keeps the value on the next line
    ("let x = // explain\n  42\n", "let x = // explain\n  42\n"),
    ("let x =\n  // explain\n  42\n", "let x =\n  // explain\n  42\n"),
    # comments at the end of the file and of blocks
    ("let a = 1\n\n// end\n", "let a = 1\n\n// end\n"),
    ("fn f() {\n  a()\n\n  // done\n}\n", "fn f() {\n  a()\n\n  // done\n}\n"),
    # line comment text is kept exactly (trailing spaces too), CR of CRLF dropped
    ("let a = 1 // spaced   \n", "let a = 1 // spaced   \n"),
    ("let a = 1 // crlf\r\nlet b = 2\r\n", "let a = 1 // crlf\nlet b = 2\n"),
    # a comment before a dropped `;` or optional comma
    ("let a = 1 /* c */; let b = 2\n", "let a = 1 /* c */\nlet b = 2\n"),
    ("let xs = [a /* c */, b]\n", "let xs = [a /* c */, b]\n"),
    # backslash-newline continuation is not a line break for comments
    ("let d = base /* c */ \\\n  - 4\n", "let d = base /* c */ - 4\n"),
])
def test_comment_placement(src: str, expected: str) -> None:
    assert fmt(src) == expected


def test_multi_line_block_comment_forces_break() -> None:
    out = fmt("f(a, /* one\n two */ b)\n")
    assert out == "f(\n  a,\n  /* one\n two */ b,\n)\n"


def test_comment_in_binding_pattern_keeps_closer_on_line() -> None:
    # a NEWLINE before `}` of a binding pattern is a syntax error (§2.2)
    out = fmt("let {a, // first\n  b} = d\n")
    assert out.endswith("b} = d\n")


def test_comment_in_type_args_keeps_parse() -> None:
    fmt("let x = f<int, // why\n  string>(1)\n")


def test_comment_diff_detects_moves() -> None:
    a = "let a = 1 // c\nlet b = 2\n"
    b = "let a = 1\nlet b = 2 // c\n"
    assert comment_diff(parse_text(a), a, parse_text(b), b) is not None
    assert comment_diff(parse_text(a), a, parse_text(a), a) is None


def test_every_comment_kind_survives() -> None:
    src = (
        "#!/usr/bin/env harn\n"
        "/// doc line\n/** doc block */\n// line\n/* block /* nested */ */\n"
        "fn f(/* a */ x /* b */, /* c */ y /* d */) /* e */ { /* f */\n"
        "  return /* g */ x /* h */ + /* i */ y // j\n"
        "} // k\n"
        "/**/\n/***/\n////not doc\n"
    )
    out = fmt(src, 40)
    assert out.startswith("#!/usr/bin/env harn\n")
    for text in ["/// doc line", "/** doc block */", "// line", "/* block /* nested */ */",
                 "/* a */", "/* b */", "/* c */", "/* d */", "/* e */", "/* f */", "/* g */",
                 "/* h */", "/* i */", "// j", "// k", "/**/", "/***/", "////not doc"]:
        assert out.count(text) == 1, text


def test_format_is_stable_under_repeated_comment_moves() -> None:
    src = "let v = [\n  1 /* a */ ,\n  2 /* b */\n]\n"
    once = format_source(src, 10)
    assert format_source(once, 10) == once
