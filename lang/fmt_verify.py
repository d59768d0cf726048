"""Checks that formatting kept a program's meaning and its comments.

:func:`ast_diff` compares two syntax trees field by field (walking the
dataclass fields), ignoring positions, ``parenthesized`` (a name in
parentheses means the same) and the comment list; doc strings are compared
without carriage returns (a CRLF file comes out with LF). It returns a
description of the first difference, or ``None`` when the trees match.
:func:`comment_diff` checks that both texts hold the same comments in the
same order, each followed by the same next token. ``lang fmt`` runs both on
every file before writing it; the tests run them over every sample program.
"""

from __future__ import annotations

from bisect import bisect_right

from lang import ast
from lang.parser import ParseResult
from lang.tokens import NEWLINE

IGNORED_FIELDS = frozenset({"start", "end", "name_start", "op_start", "alias_start",
                            "rest_start", "catch_name_start", "param_start", "path_start",
                            "parenthesized", "comments"})


def ast_diff(a: object, b: object, path: str = "program") -> str | None:
    """The first difference between two trees (ignoring layout), or ``None``."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, ast.Node):
        for name in a.__dataclass_fields__:  # type: ignore[attr-defined]
            if name in IGNORED_FIELDS:
                continue
            va, vb = getattr(a, name), getattr(b, name)
            if name == "doc" and isinstance(va, str) and isinstance(vb, str):
                va, vb = va.replace("\r", ""), vb.replace("\r", "")
            d = ast_diff(va, vb, f"{path}.{name}")
            if d:
                return d
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):  # type: ignore[arg-type]
            return f"{path}: length {len(a)} != {len(b)}"  # type: ignore[arg-type]
        for k, (x, y) in enumerate(zip(a, b, strict=True)):  # type: ignore[call-overload]
            d = ast_diff(x, y, f"{path}[{k}]")
            if d:
                return d
        return None
    if isinstance(a, float) and a != a and b != b:  # NaN
        return None
    if a != b:
        return f"{path}: {a!r} != {b!r}"
    return None


def _comment_facts(result: ParseResult, text: str) -> list[tuple[str, str]]:
    """Each comment's text and the next token after it (commas and ``;`` skipped)."""
    toks = [t for t in result.tokens if t.kind not in (NEWLINE, ",", ";")]
    starts = [t.start for t in toks]
    out = []
    for c in result.program.comments:
        j = bisect_right(starts, c.start)
        nxt = toks[j] if j < len(toks) else toks[-1]
        body = c.text.rstrip("\r") if c.kind in ("line", "doc_line") else c.text
        out.append((body, text[nxt.start:nxt.end]))
    return out


def comment_diff(before: ParseResult, before_text: str, after: ParseResult,
                 after_text: str) -> str | None:
    """Whether both texts hold the same comments, in order, before the same tokens."""
    a = _comment_facts(before, before_text)
    b = _comment_facts(after, after_text)
    if len(a) != len(b):
        return f"{len(a)} comments became {len(b)}"
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if x[0] != y[0]:
            return f"comment {k}: {x[0]!r} became {y[0]!r}"
        if x[1] != y[1]:
            return f"comment {k} ({x[0]!r}): next token {x[1]!r} became {y[1]!r}"
    return None
