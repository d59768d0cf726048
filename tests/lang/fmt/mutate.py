"""Helpers for formatter tests: insert comments into valid programs and check
that formatting keeps meaning, comments and idempotence."""

from __future__ import annotations

import random

from lang.fmt_verify import ast_diff, comment_diff
from lang.formatter import format_source
from lang.parser import parse_text
from lang.tokens import NEWLINE


def insert_comments(text: str, rng: random.Random, count: int) -> str:
    """``text`` with ``count`` comments inserted between tokens: block comments
    anywhere, line comments only just before an existing line break."""
    res = parse_text(text)
    toks = [t for t in res.tokens if t.kind != NEWLINE]
    # Offsets between two tokens (outside strings and comments).
    gaps: list[tuple[int, int]] = []
    for a, b in zip(toks, toks[1:], strict=False):
        if a.end <= b.start:
            gaps.append((a.end, b.start))
    if not gaps:
        return text
    inserts: list[tuple[int, str]] = []
    for n in range(count):
        lo, hi = rng.choice(gaps)
        gap = text[lo:hi]
        kind = rng.random()
        nl = gap.find("\n")
        if kind < 0.4 and nl >= 0:
            inserts.append((lo + nl, f" // c{n}"))
        elif kind < 0.6 and nl >= 0:
            inserts.append((lo + nl, f"\n// own{n}"))
        elif kind < 0.7:
            inserts.append((lo, f" /* m{n}\n multi */ "))
        else:
            inserts.append((lo, f" /* b{n} */ "))
    inserts.sort(key=lambda x: x[0])
    out = []
    prev = 0
    for off, s in inserts:
        out.append(text[prev:off])
        out.append(s)
        prev = off
    out.append(text[prev:])
    return "".join(out)


def check_formatting(text: str, width: int = 100) -> str:
    """Format ``text`` and assert the formatter's guarantees; returns the output."""
    before = parse_text(text)
    assert before.ok
    out = format_source(text, width)
    after = parse_text(out)
    assert after.ok, (after.diagnostics[0].message, after.diagnostics[0].start, out)
    diff = ast_diff(before.program, after.program)
    assert diff is None, (diff, out)
    diff = comment_diff(before, text, after, out)
    assert diff is None, (diff, out)
    again = format_source(out, width)
    assert again == out, ("not idempotent", out, again)
    return out
