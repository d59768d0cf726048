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
from lang.source import Source
from lang.tokens import EOF, KEYWORDS, NEWLINE, Token


class ParseError(Exception):
    """Raised after a syntax diagnostic was recorded; caught by statement loops."""


class Cursor:
    """Position in the token list plus the diagnostics collected so far."""

    def __init__(self, src: Source, tokens: list[Token], diagnostics: list[Diagnostic]) -> None:
        self.src = src
        self.toks = tokens
        self.i = 0
        self.tok = tokens[0]
        self.prev_end = tokens[0].start
        self.diags = diagnostics
        self.eof_reported = False
        self.parens: list = []

    # ------------------------------------------------------------ movement

    def advance(self) -> Token:
        tok = self.tok
        self.prev_end = tok.end
        if tok.kind != EOF:
            self.i += 1
            self.tok = self.toks[self.i]
        return tok

    def peek(self, k: int = 1) -> Token:
        j = self.i + k
        toks = self.toks
        return toks[j] if j < len(toks) else toks[-1]

    def peek_past_nl(self) -> Token:
        """The next token that is not a NEWLINE (without moving)."""
        j = self.i
        toks = self.toks
        while toks[j].kind == NEWLINE:
            j += 1
        return toks[j]

    def skip_nl(self) -> None:
        if self.tok.kind == NEWLINE:
            self.advance()

    def at_word(self, word: str) -> bool:
        """True at the contextual word ``word`` (an identifier such as ``where``)."""
        tok = self.tok
        return tok.kind == "IDENT" and tok.value == word

    def accept(self, kind: str) -> bool:
        if self.tok.kind == kind:
            self.advance()
            return True
        return False

    def expect(self, kind: str, what: str | None = None) -> Token:
        """Consume a required token, skipping line breaks before it (§2.3 rule 4)."""
        if self.tok.kind == NEWLINE and kind != NEWLINE:
            self.advance()
        if self.tok.kind != kind:
            self.fail_expected(what or kind)
        return self.advance()

    def expect_here(self, kind: str, what: str | None = None) -> Token:
        """Consume a token that must be on this line (one of several alternatives)."""
        if self.tok.kind != kind:
            self.fail_expected(what or kind)
        return self.advance()

    def expect_name(self, what: str) -> Token:
        """An identifier where a name is required; keywords get the reserved-keyword message."""
        self.skip_nl()
        tok = self.tok
        if tok.kind != "IDENT":
            self.fail_expected(what, name_wanted=True)
        return self.advance()

    # ------------------------------------------------------------ errors

    def report(self, code: str, message: str, start: int, end: int, located: bool = True) -> None:
        self.diags.append(error(code, message, start, end, located=located))

    def fail_expected(self, what: str, tok: Token | None = None,
                      name_wanted: bool = False) -> None:
        """Record ``Expected WHAT, got TOKEN`` and raise. Keywords print as
        ``'kw' (reserved keyword)`` only where a name was wanted (§2.5)."""
        tok = tok or self.tok
        if tok.kind == EOF:
            if not self.eof_reported:
                self.eof_reported = True
                self.report("E0111", f"Unexpected end of file, expected {what}", tok.start,
                            tok.end, located=False)
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
        toks = self.toks
        for j in range(from_i, self.i):
            k = toks[j].kind
            if k in _OPENERS:
                stack.append(k)
            elif k in _CLOSERS and stack:
                stack.pop()
        while True:
            kind = self.tok.kind
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
                        nxt = self.tok.kind
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
