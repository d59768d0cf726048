"""Small helpers shared by the checker tests."""

from __future__ import annotations

import textwrap

from lang.parser import parse
from lang.source import Source
from typechecker.api import CheckResult, check_program


def check(text: str, *, strict: bool = True, strict_types: bool = False,
          path: str | None = None) -> CheckResult:
    text = textwrap.dedent(text)
    src = Source(text, path or "t.harn")
    parsed = parse(src)
    assert parsed.ok, [d.spec_text(src) for d in parsed.diagnostics]
    return check_program(parsed.program, src, path=path, strict=strict,
                         strict_types=strict_types)


def codes(text: str, **kw) -> list[str]:
    return [d.code for d in check(text, **kw).diagnostics]


def messages(text: str, **kw) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check(text, **kw).diagnostics]


def errors(text: str, **kw) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check(text, **kw).diagnostics if d.is_error]
