"""Token cursor, error reporting and recovery shared by the parser mixins.

The parser is recursive descent over the token list. A syntax error records
one diagnostic and raises :class:`ParseError`; the innermost statement loop
(block or top level) catches it, skips to the next statement boundary
(:meth:`Cursor.synchronize`) and carries on, so one bad statement never hides
the rest of the file.

NEWLINE handling follows spec §2.3: the lexer already dropped line breaks
before leading operators; the parser skips them explicitly (``skip_nl``)
wherever the grammar requires a piece, and never where a piece is optional.
"""

from __future__ import annotations

from lang.diagnostics import Diagnostic, error
from lang.lexer import TokenArrays
from lang.source import Source
from lang.tokens import EOF, IDENT, KEYWORDS, NEWLINE, Token


class ParseError(Exception):
    """Raised after a syntax diagnostic was recorded; caught by statement loops."""


class Cursor:
    """Position in the token arrays plus the diagnostics collected so far.

    ``self.k`` is the kind of the current token and ``self.i`` its index;
    values and offsets are read from the arrays by index. Methods that
    consume a token return its index.
    """

    def __init__(self, src: Source, arrays: TokenArrays, diagnostics: list[Diagnostic]) -> None:
        self.src = src
        self.arrays = arrays
        self.kinds = arrays.kinds
        self.vals = arrays.vals
        self.starts = arrays.starts
        self.ends = arrays.ends
        self.docs = arrays.docs
        self.last = len(self.kinds) - 1
        self.i = 0
        self.k = self.kinds[0]
        self.diags = diagnostics
        self.eof_reported = False
        self.parens: list = []
        self.depth = 0

    # ------------------------------------------------------------ movement

    def advance(self) -> int:
        i = self.i
        if i < self.last:
            self.i = i + 1
            self.k = self.kinds[i + 1]
        return i

    @property
    def prev_end(self) -> int:
        """End offset of the last consumed token."""
        i = self.i
        return self.ends[i - 1] if i else self.starts[0]

    def peek(self, k: int = 1) -> str:
        """Kind of the token ``k`` ahead."""
        j = self.i + k
        return self.kinds[j] if j <= self.last else EOF

    def peek_val(self, k: int = 1) -> object:
        j = self.i + k
        return self.vals[j] if j <= self.last else None

    def peek_past_nl(self) -> str:
        """Kind of the next token that is not a NEWLINE (without moving)."""
        j = self.i
        kinds = self.kinds
        while kinds[j] == NEWLINE:
            j += 1
        return kinds[j]

    def skip_nl(self) -> None:
        if self.k == NEWLINE:
            self.advance()

    def at_word(self, word: str) -> bool:
        """True at the contextual word ``word`` (an identifier such as ``where``)."""
        return self.k == IDENT and self.vals[self.i] == word

    def accept(self, kind: str) -> bool:
        if self.k == kind:
            self.advance()
            return True
        return False

    def expect(self, kind: str, what: str | None = None) -> int:
        """Consume a required token, skipping line breaks before it (§2.3 rule 4)."""
        if self.k == NEWLINE and kind != NEWLINE:
            self.advance()
        if self.k != kind:
            self.fail_expected(what or kind)
        return self.advance()

    def expect_here(self, kind: str, what: str | None = None) -> int:
        """Consume a token that must be on this line (one of several alternatives)."""
        if self.k != kind:
            self.fail_expected(what or kind)
        return self.advance()

    def expect_name(self, what: str) -> int:
        """An identifier where a name is required; keywords get the reserved-keyword message."""
        if self.k == NEWLINE:
            self.advance()
        if self.k != IDENT:
            self.fail_expected(what, name_wanted=True)
        return self.advance()

    def token(self, i: int) -> Token:
        return self.arrays.token(i)

    # ------------------------------------------------------------ errors

    def report(self, code: str, message: str, start: int, end: int, located: bool = True) -> None:
        self.diags.append(error(code, message, start, end, located=located))

    def fail_expected(self, what: str, i: int | None = None, name_wanted: bool = False) -> None:
        """Record ``Expected WHAT, got TOKEN`` and raise. Keywords print as
        ``'kw' (reserved keyword)`` only where a name was wanted (§2.5)."""
        tok = self.token(self.i if i is None else i)
        if tok.kind == EOF:
            if not self.eof_reported:
                self.eof_reported = True
                self.report(
                    "E0111",
                    f"Unexpected end of file, expected {what}",
                    tok.start,
                    tok.end,
                    located=False,
                )
            raise ParseError()
        if name_wanted and tok.kind in KEYWORDS:
            got = f"'{tok.kind}' (reserved keyword)"
        else:
            got = tok.describe()
        self.report("E0110", f"Expected {what}, got {got}", tok.start, max(tok.end, tok.start + 1))
        raise ParseError()

    def fail_at(self, message: str, start: int, end: int, code: str = "E0112") -> None:
        self.report(code, message, start, end)
        raise ParseError()

    # ------------------------------------------------------------ recovery

    def synchronize(self, in_block: bool, from_i: int) -> None:
        """Skip to the next statement boundary after an error.

        Brackets opened by the failed statement (since token ``from_i``) must
        close first; then a NEWLINE or ``;`` ends the skip (and is consumed),
        as does a ``}`` closing the enclosing block (not consumed, when
        ``in_block``) or the ``}`` that ends the statement's own braces.
        """
        stack: list[str] = []
        kinds = self.kinds
        for j in range(from_i, self.i):
            k = kinds[j]
            if k in _OPENERS:
                stack.append(k)
            elif k in _CLOSERS and stack:
                stack.pop()
        while True:
            kind = self.k
            if kind == EOF:
                return
            if kind in _OPENERS:
                stack.append(kind)
            elif kind in _CLOSERS:
                opener = _CLOSERS[kind]
                if not stack or (kind == "}" and "{" not in stack):
                    if kind == "}" and in_block:
                        return
                    stack.clear()
                else:
                    while stack and stack.pop() != opener:
                        pass
                    if not stack and kind == "}":
                        self.advance()
                        nxt = self.k
                        if nxt in (NEWLINE, ";"):
                            self.advance()
                            return
                        if nxt == EOF or nxt == "}":
                            return
                        continue
            elif not stack and kind in (NEWLINE, ";"):
                self.advance()
                return
            self.advance()


_OPENERS = frozenset({"(", "[", "{"})
_CLOSERS = {")": "(", "]": "[", "}": "{"}
