"""``format_source`` and ``format_range``: pure functions of their arguments;
syntax errors raise :class:`FormatError` with the diagnostics; the width is
honoured; a range formats exactly the top-level items it touches."""

from __future__ import annotations

import pytest

from lang.formatter import FormatError, format_range, format_source


def apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:e.start] + e.text + text[e.end:]
    return text


def test_syntax_error_raises_with_diagnostics() -> None:
    with pytest.raises(FormatError) as info:
        format_source("let x = \nfn (", path="bad.harn")
    exc = info.value
    assert exc.diagnostics and not exc.internal
    assert str(exc).startswith("bad.harn:2:")
    assert exc.source is not None and exc.source.path == "bad.harn"


def test_lexer_error_raises() -> None:
    with pytest.raises(FormatError, match="Unterminated string"):
        format_source('let s = "open\n')


def test_empty_and_blank_texts() -> None:
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""
    assert format_source("let a = 1") == "let a = 1\n"
    assert format_source("let a = 1\n\n\n") == "let a = 1\n"


def test_width_controls_breaking() -> None:
    src = "let xs = [alpha, beta, gamma, delta]\n"
    assert format_source(src, 100) == src
    assert format_source(src, 20) == "let xs = [\n  alpha,\n  beta,\n  gamma,\n  delta,\n]\n"


def test_exact_fit_stays_flat() -> None:
    src = "let xs = [alpha, beta]\n"
    assert format_source(src, len(src) - 1) == src
    assert format_source(src, len(src) - 2) != src


def test_deterministic() -> None:
    src = "fn f(a,b){return a+b}\n"
    assert format_source(src) == format_source(src) == "fn f(a, b) {\n  return a + b\n}\n"


def test_range_formats_only_touched_items() -> None:
    text = "let a=1\nlet b=2\nlet c=3\n"
    start = text.index("let b")
    edits = format_range(text, start, start + 3)
    assert len(edits) == 1
    assert apply(text, edits) == "let a=1\nlet b = 2\nlet c=3\n"


def test_range_spanning_items_and_comments() -> None:
    text = "let a=1\n// about b\nlet b=[1,\n2]\nfn f(){g()}\nlet z=0\n"
    start = text.index("let b")
    end = text.index("g()")
    new = apply(text, format_range(text, start, end))
    assert new == "let a=1\n// about b\nlet b = [1, 2]\nfn f() {\n  g()\n}\nlet z=0\n"


def test_range_on_formatted_code_is_empty() -> None:
    text = "let a = 1\nlet b = 2\n"
    assert format_range(text, 0, len(text)) == []


def test_range_in_whitespace_or_empty_file() -> None:
    assert format_range("", 0, 0) == []
    text = "let a = 1\n\n\nlet b = 2\n"
    assert format_range(text, text.index("\n\n") + 1, text.index("\n\n") + 2) == []


def test_range_whole_file_equals_format_source() -> None:
    text = "#!/usr/bin/env harn\nlet a=1 // c\n\n\nfn f( x ){x}\n// end\n"
    assert apply(text, format_range(text, 0, len(text))) == format_source(text)


def test_range_items_sharing_a_line_go_together() -> None:
    text = "let a=1; let b=2\nlet c=3\n"
    new = apply(text, format_range(text, 0, 3))
    assert new == "let a = 1\nlet b = 2\nlet c=3\n"


def test_range_cursor_inside_item() -> None:
    text = "fn f(){\n  g( 1 )\n}\n"
    pos = text.index("g(")
    assert apply(text, format_range(text, pos, pos)) == "fn f() {\n  g(1)\n}\n"


def test_range_syntax_error_raises() -> None:
    with pytest.raises(FormatError):
        format_range("let = 1\n", 0, 3)
