"""Lexer tests: one group per token kind of spec §2, and every lexer error."""

from __future__ import annotations

import pytest

from lang.lexer import lex
from lang.source import Source
from lang.tokens import Interp


def kinds(text: str) -> list[str]:
    return [t.kind for t in lex(Source(text)).tokens[:-1]]


def values(text: str) -> list[object]:
    return [t.value for t in lex(Source(text)).tokens[:-1]]


def errors(text: str) -> list[str]:
    src = Source(text)
    return [d.spec_text(src) for d in lex(src).diagnostics]


def one(text: str):
    toks = lex(Source(text)).tokens
    assert len(toks) == 2, toks
    return toks[0]


# ------------------------------------------------------------------ identifiers, keywords


def test_identifiers_and_keywords() -> None:
    assert kinds("foo _bar baz9 ünïcode") == ["IDENT"] * 4
    assert kinds("let var fn if else") == ["let", "var", "fn", "if", "else"]
    # contextual words stay identifiers
    assert kinds("gen not where out each settle with as stream timeout default self") == \
        ["IDENT"] * 12


def test_all_reserved_keywords_are_keywords() -> None:
    words = ("break catch continue deadline defer emit else enum eval_pack exclusive extends "
             "false finally fn for from guard if impl import in interface let match mutex nil "
             "override parallel pipeline pub require retry return select skill spawn struct "
             "throw to tool true try type var while yield").split()
    assert kinds(" ".join(words)) == words


# ------------------------------------------------------------------ numbers and durations


def test_numbers() -> None:
    assert one("42").kind == "INT" and one("42").value == 42
    assert one("3.25").kind == "FLOAT" and one("3.25").value == 3.25
    # both sides of the dot are required: 3.abs() is int, dot, name
    assert kinds("3.abs()") == ["INT", ".", "IDENT", "(", ")"]
    # no exponents, no separators
    assert kinds("1e3") == ["INT", "IDENT"]
    assert kinds("1_000") == ["INT", "IDENT"]


def test_int_literal_too_large_becomes_float() -> None:
    tok = one("9223372036854775808")
    assert tok.kind == "FLOAT" and tok.value == 9223372036854775808.0
    assert one("9223372036854775807").kind == "INT"


@pytest.mark.parametrize("text,ms", [
    ("250ms", 250), ("5s", 5000), ("2m", 120_000), ("3h", 10_800_000), ("1d", 86_400_000),
    ("1w", 604_800_000),
])
def test_durations(text: str, ms: int) -> None:
    tok = one(text)
    assert tok.kind == "DURATION" and tok.value == ms


def test_duration_unit_boundaries() -> None:
    assert kinds("5sec") == ["INT", "IDENT"]
    assert kinds("3min") == ["INT", "IDENT"]
    assert kinds("5s_x") == ["DURATION", "IDENT"]
    assert values("5msx") == [5, "x"] and kinds("5msx") == ["DURATION", "IDENT"]
    assert kinds("1.5s") == ["FLOAT", "IDENT"]


# ------------------------------------------------------------------ strings


def test_plain_string_escapes() -> None:
    assert one(r'"a\nb\tc\\d\"e\$f"').value == 'a\nb\tc\\d"e$f'
    # unknown escapes keep both characters
    assert one(r'"\d\r"').value == "\\d\\r"


def test_backslash_newline_inside_string_is_kept() -> None:
    assert one('"a\\\nb"').value == "a\\\nb"


def test_interpolation_parts() -> None:
    tok = one('"a ${x + 1} b"')
    assert tok.kind == "ISTRING"
    a, part, b = tok.value
    assert a == "a " and b == " b"
    assert isinstance(part, Interp) and part.text == "x + 1" and part.offset == 5


def test_interpolation_with_nested_string_and_braces() -> None:
    tok = one('"${join(xs, ", ")} ${ {a: 1}.a }"')
    parts = [p.text if isinstance(p, Interp) else p for p in tok.value]
    assert parts == ["", 'join(xs, ", ")', " ", " {a: 1}.a ", ""]


def test_dollar_without_brace_is_literal() -> None:
    assert one('"cost: $5"').value == "cost: $5"
    assert one(r'"\${x}"').value == "${x}"


def test_raw_string() -> None:
    tok = one(r'r"C:\temp\n${x}"')
    assert tok.kind == "RAWSTRING" and tok.value == r"C:\temp\n${x}"


def test_multiline_dedent_plain() -> None:
    tok = one('"""\n    a\n      b\n\n    c\n    """')
    assert tok.kind == "MSTRING" and tok.value == "a\n  b\n\nc"


def test_multiline_no_escapes_and_indent_zero() -> None:
    assert one('"""x\\n\ny\n"""').value == "x\\n\ny"


def test_multiline_all_blank_unchanged() -> None:
    assert one('"""\n   \n"""').value == "   \n"


def test_multiline_dedent_with_interpolation() -> None:
    tok = one('"""\n    Hi ${who},\n      see you\n    """')
    assert tok.kind == "IMSTRING"
    assert [p if isinstance(p, str) else p.text for p in tok.value] == \
        ["Hi ", "who", ",\n  see you"]


def test_multiline_spaces_between_interpolations_kept() -> None:
    tok = one('"""\n  x ${a} ${b}\n  """')
    assert [p if isinstance(p, str) else p.text for p in tok.value] == ["x ", "a", " ", "b", ""]


def test_multiline_indent_counts_only_literal_text() -> None:
    # Lines holding only interpolations are blank for the indent (§2.8): indent 0 here,
    # so only the final whitespace-only literal part is dropped.
    tok = one('"""\n  ${a} ${b}\n  """')
    assert [p if isinstance(p, str) else p.text for p in tok.value] == ["  ", "a", " ", "b", ""]


# ------------------------------------------------------------------ operators and punctuation


def test_two_char_operators() -> None:
    ops = "== != && || |> ?? ** ?. -> <= >= += -= *= /= %="
    assert kinds(ops) == ops.split()


def test_single_char_operators() -> None:
    ops = "= ! . + - * / % < > ? | { } ( ) [ ] , : ; @"
    assert kinds(ops) == ops.split()


def test_longest_match_and_ellipsis() -> None:
    assert kinds("...") == [".", ".", "."]
    assert kinds("?[") == ["?", "["]
    assert kinds("a|>b") == ["IDENT", "|>", "IDENT"]


# ------------------------------------------------------------------ comments, newlines


def test_comments_are_kept_and_skipped() -> None:
    res = lex(Source("a // line\n/* block /* nested */ still */ b"))
    assert [t.kind for t in res.tokens] == ["IDENT", "NEWLINE", "IDENT", "EOF"]
    assert [c.kind for c in res.comments] == ["line", "block"]
    assert res.comments[1].text == "/* block /* nested */ still */"


def test_doc_comments_attach_to_next_token() -> None:
    res = lex(Source("/// Adds.\n/// Twice.\nfn add() {}"))
    fn = res.tokens[0]
    assert fn.kind == "fn" and fn.doc == "Adds.\nTwice."
    res = lex(Source("/** Block doc. */\nstruct S {}"))
    assert res.tokens[0].doc == "Block doc."
    # four slashes and /***/ are not doc comments
    assert lex(Source("//// no\nfn f() {}")).tokens[0].doc is None
    assert [c.kind for c in lex(Source("/**/ /*** x */")).comments] == ["block", "block"]


def test_newlines_collapse_and_leading_operators_continue() -> None:
    assert kinds("a\n\n\nb") == ["IDENT", "NEWLINE", "IDENT"]
    assert kinds("a\n  && b") == ["IDENT", "&&", "IDENT"]
    assert kinds("a\n  .b") == ["IDENT", ".", "IDENT"]
    assert kinds("a\n  |> f") == ["IDENT", "|>", "IDENT"]
    # a line starting with - or in is a new statement
    assert kinds("a\n-b") == ["IDENT", "NEWLINE", "-", "IDENT"]
    assert kinds("a\nin b") == ["IDENT", "NEWLINE", "in", "IDENT"]


def test_backslash_newline_joins_lines() -> None:
    assert kinds("a \\\n - b") == ["IDENT", "-", "IDENT"]


def test_shebang_skipped() -> None:
    assert kinds("#!/usr/bin/env harn\nlet x = 1") == ["let", "IDENT", "=", "INT"]


def test_positions_are_character_offsets() -> None:
    toks = lex(Source('"é😀" x')).tokens
    assert (toks[1].start, toks[1].end) == (5, 6)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("text,message", [
    ("let x = 1 # c", "Unexpected character '#' at 1:11"),
    ("a ~ b", "Unexpected character '~' at 1:3"),
    ("a ^ b", "Unexpected character '^' at 1:3"),
    ("`x`", "Unexpected character '`' at 1:1"),
    ("x = $y", "Unexpected character '$' at 1:5"),
    ("a & b", "Unexpected character '&' at 1:3"),
    ("a\n  \u00a0b", "Unexpected character '\u00a0' at 2:3"),
    ("a \\ b", "Unexpected character '\\' at 1:3"),
    ("a\\\r\nb", "Unexpected character '\\' at 1:2"),
])
def test_unexpected_character(text: str, message: str) -> None:
    assert errors(text)[0] == message


@pytest.mark.parametrize("text,message", [
    ('let s = "abc', "Unterminated string at 1:9"),
    ('let s = "abc\ndef"', "Unterminated string at 1:9"),
    ('x\nr"abc', "Unterminated string at 2:1"),
    ('"""abc', "Unterminated string at 1:1"),
    ('"${a', "Unterminated string at 1:1"),
])
def test_unterminated_string(text: str, message: str) -> None:
    assert errors(text)[0] == message


def test_unterminated_block_comment_reports_opening() -> None:
    assert errors("a\n  /* x /* y */") == ["Unterminated block comment at 2:3"]


def test_empty_interpolation() -> None:
    assert errors('"${}"') == ["Unexpected character '}' at 1:4"]
    assert errors('"${  }"') == ["Unexpected character '}' at 1:6"]


def test_lexer_keeps_going_after_an_error() -> None:
    res = lex(Source("a # b\nc"))
    assert [t.kind for t in res.tokens] == ["IDENT", "IDENT", "NEWLINE", "IDENT", "EOF"]
