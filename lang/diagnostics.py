"""One diagnostic record for every phase, and its renderers.

Phases never raise on bad input: they return diagnostics. A diagnostic holds
character offsets into its source; line and column are computed when it is
rendered. Codes are stable: ``E01xx`` lexer and parser, ``E02xx`` compile
errors, ``E001``-``E030``/``W001``-``W014`` the checker catalogue of types.md
§16, ``W1xx`` our own checker warnings, and lint rules use their rule name.

Syntax errors carry ``located=True``: the spec's wording ends in ``at L:C``
(``Expected expression, got ; at 3:5``), which :meth:`Diagnostic.spec_text`
adds; editors show the bare message because they place it themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from lang.source import Source


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"


@dataclass(slots=True)
class Edit:
    """Replace ``source[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Fix:
    """A machine-applicable suggestion (a quick fix in editors)."""

    title: str
    edits: list[Edit]


@dataclass(slots=True)
class Related:
    message: str
    start: int
    end: int
    path: str | None = None


@dataclass(slots=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    start: int
    end: int
    located: bool = False
    help: str | None = None
    related: list[Related] = field(default_factory=list)
    fix: Fix | None = None
    source: str = "harn"
    data: dict | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def spec_text(self, src: Source) -> str:
        """The message as the spec words it (with ``at L:C`` for syntax errors)."""
        if self.located:
            line, col = src.line_col(self.start)
            return f"{self.message} at {line}:{col}"
        return self.message

    def to_json(self, src: Source) -> dict:
        line, col = src.line_col(self.start)
        end_line, end_col = src.line_col(max(self.end, self.start))
        out: dict = {
            "path": src.path,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.spec_text(src),
            "line": line,
            "column": col,
            "end_line": end_line,
            "end_column": end_col,
        }
        if self.help:
            out["help"] = self.help
        if self.related:
            out["related"] = [
                {"message": r.message, "path": r.path or src.path,
                 "line": src.line_col(r.start)[0], "column": src.line_col(r.start)[1]}
                for r in self.related
            ]
        if self.fix:
            out["fix"] = {
                "title": self.fix.title,
                "edits": [{"start": e.start, "end": e.end, "text": e.text} for e in self.fix.edits],
            }
        return out


def error(code: str, message: str, start: int, end: int, **kw) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, start, end, **kw)


def warning(code: str, message: str, start: int, end: int, **kw) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, start, end, **kw)


def _excerpt(src: Source, diag: Diagnostic, gutter: int) -> list[str]:
    """The source line under a diagnostic with a caret underline."""
    line, col = src.line_col(diag.start)
    text = src.line_text(line)
    end_line, end_col = src.line_col(max(diag.end, diag.start))
    width = (end_col - col) if end_line == line else len(text) - col + 1
    width = max(1, min(width, max(1, len(text) - col + 1)))
    pad = " " * gutter
    shown = text.replace("\t", " ")
    return [
        f"{pad} |",
        f"{str(line).rjust(gutter)} | {shown}",
        f"{pad} | {' ' * (col - 1)}{'^' * width}",
    ]


def has_span(diag: Diagnostic) -> bool:
    """False for diagnostics the reference reports with a dummy span (E012)."""
    return not (diag.data is not None and "span" in diag.data and diag.data["span"] is None)


def render_short(src: Source, diag: Diagnostic, excerpt: bool = True) -> str:
    """``path:line:col: error[CODE]: message`` plus the source line and carets."""
    line, col = src.line_col(diag.start)
    head = f"{src.path}:{line}:{col}: {diag.severity.value}[{diag.code}]: {diag.message}"
    lines = [head]
    if excerpt and src.text and has_span(diag):
        gutter = len(str(line)) + 1
        lines.extend(_excerpt(src, diag, gutter))
        if diag.help:
            lines.append(f"{' ' * gutter} = help: {diag.help}")
    return "\n".join(lines)


def render_run(src: Source, diag: Diagnostic) -> str:
    """The rustc-like block ``lang run`` prints: first line ``error: <spec text>``.

    Checker diagnostics follow types.md §1 exactly: ``--> path:line:col``, an
    empty gutter line, the numbered source line (verbatim), and ``= help:``
    when there is a help text; lint diagnostics add a caret line ending in
    `` lint[RULE]``; a diagnostic without a span is the first line alone.
    Other phases (syntax, run time) keep a caret line under the source.
    """
    line, col = src.line_col(diag.start)
    lines = [f"{diag.severity.value}: {diag.spec_text(src)}"]
    if not has_span(diag):
        return lines[0]
    if src.text or diag.start:
        gutter = len(str(line)) + 1
        pad = " " * gutter
        lines.append(f"{pad}--> {src.path}:{line}:{col}")
        if diag.source == "harn-typecheck":
            lines.append(f"{pad} |")
            lines.append(f"{str(line).rjust(gutter)} | {src.line_text(line)}")
        elif diag.source == "harn-lint":
            excerpt = _excerpt(src, diag, gutter)
            excerpt[-1] += f" lint[{diag.code}]"
            lines.extend(excerpt)
        else:
            lines.extend(_excerpt(src, diag, gutter))
        if diag.help:
            lines.append(f"{pad} = help: {diag.help}")
    return "\n".join(lines)


def render_json(items: list[tuple[Source, Diagnostic]]) -> str:
    return json.dumps([d.to_json(s) for s, d in items], indent=2)
