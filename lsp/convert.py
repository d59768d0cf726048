"""Offsets <-> LSP positions in the negotiated encoding, and analysis results -> LSP types.

The analysis works in code-point offsets into the document text. The client
counts columns in UTF-16 units unless it negotiated UTF-8 or UTF-32; pygls'
:class:`PositionCodec` (chosen from the client's ``positionEncodings``) counts
the units of a line prefix. Line starts come from the analysis' line table
(bisected), so one conversion costs one line, not one document. Out-of-range
positions are clamped, never rejected.
"""

from __future__ import annotations

from bisect import bisect_right

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from lang.diagnostics import Diagnostic, Severity
from lsp.analysis import DocumentAnalysis

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
UNNECESSARY_RULES = frozenset({
    "unused-variable", "unused-pattern-binding", "unused-parameter", "unused-import",
    "unused-function", "unused-type", "dead-code-after-return", "W001",
})


class Converter:
    def __init__(self, a: DocumentAnalysis, codec: PositionCodec) -> None:
        self.a = a
        self.text = a.text
        self.codec = codec
        self.utf32 = codec.encoding == types.PositionEncodingKind.Utf32

    def _line_bounds(self, line: int) -> tuple[int, int]:
        starts = self.a.line_starts
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def offset(self, pos: types.Position) -> int:
        starts = self.a.line_starts
        line = pos.line
        if line < 0:
            return 0
        if line >= len(starts):
            return len(self.text)
        start, end = self._line_bounds(line)
        char = max(0, pos.character)
        text = self.text[start:end]
        if self.utf32 or text.isascii():
            return start + min(char, len(text))
        units = 0
        count = self.codec.impl.code_units_for_char
        for i, c in enumerate(text):
            if units >= char:
                return start + i
            units += count(c)
        return end

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        starts = self.a.line_starts
        line = bisect_right(starts, offset) - 1
        start = starts[line]
        prefix = self.text[start:offset]
        if self.utf32 or prefix.isascii():
            return types.Position(line, len(prefix))
        return types.Position(line, self.codec.client_num_units(prefix))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(max(start, end)))

    def first_char(self, offset: int) -> types.Range:
        """The one-character range at ``offset``; at a line end or the end of the
        text it still ends one column further (the spec's (line-1, col))."""
        p = self.position(offset)
        offset = max(0, min(offset, len(self.text)))
        if offset < len(self.text) and self.text[offset] not in "\r\n":
            return types.Range(p, self.position(offset + 1))
        return types.Range(p, types.Position(p.line, p.character + 1))

    # ------------------------------------------------------------ diagnostics

    def diagnostic(self, d: Diagnostic) -> types.Diagnostic:
        """types.md §1: the range is the diagnostic's first character, (line-1, col-1)
        to (line-1, col); ``harn-typecheck`` messages verbatim, ``harn-lint`` ones as
        ``[RULE] MESSAGE``; no span -> (0,0)-(0,1)."""
        if d.start < 0 or (d.start == 0 and d.end == 0):
            rng = types.Range(types.Position(0, 0), types.Position(0, 1))
        else:
            rng = self.first_char(d.start)
        source = d.source
        message = d.message
        if source == "harn-lint":
            message = f"[{d.code}] {message}"
        elif source not in ("harn-typecheck",):
            source = "harn"
        tags = [types.DiagnosticTag.Unnecessary] if d.code in UNNECESSARY_RULES else None
        return types.Diagnostic(range=rng, message=message, severity=SEVERITY[d.severity],
                                code=d.code, source=source, tags=tags)


# --------------------------------------------------------------------------- text sync


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def client_offset(text: str, starts: list[int], pos: types.Position,
                  codec: PositionCodec) -> int:
    """Code-point offset of a client position (clamped), given the line table."""
    line = pos.line
    if line < 0:
        return 0
    if line >= len(starts):
        return len(text)
    start = starts[line]
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    if end > start and text[end - 1] == "\r":
        end -= 1
    char = max(0, pos.character)
    seg = text[start:end]
    if codec.encoding == types.PositionEncodingKind.Utf32 or seg.isascii():
        return start + min(char, len(seg))
    units = 0
    count = codec.impl.code_units_for_char
    for i, c in enumerate(seg):
        if units >= char:
            return start + i
        units += count(c)
    return end


def apply_change(text: str, starts: list[int], change, codec: PositionCodec
                 ) -> tuple[str, list[int]]:
    """Apply one ``didChange`` content change; returns the new text and line table.

    O(size of the document) in C-level slicing plus O(lines after the edit) for the
    table, instead of re-splitting the whole text into lines per change."""
    rng = getattr(change, "range", None)
    if rng is None:
        return change.text, line_starts_of(change.text)
    a = client_offset(text, starts, rng.start, codec)
    b = max(a, client_offset(text, starts, rng.end, codec))
    new = change.text
    la = bisect_right(starts, a) - 1
    lb = bisect_right(starts, b) - 1
    delta = len(new) - (b - a)
    inserted = [a + i + 1 for i, c in enumerate(new) if c == "\n"] if "\n" in new else []
    tail = starts[lb + 1:]
    return (text[:a] + new + text[b:],
            starts[:la + 1] + inserted + ([s + delta for s in tail] if delta else tail))
