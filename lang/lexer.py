"""Lexer: source text to tokens (spec §2).

One compiled master regex recognises every simple token at the current
offset; strings and block comments, which need counting (escapes,
``${...}`` brace depth, comment nesting), are scanned by small helpers that
jump with ``str.find``/``re.search`` rather than stepping per character.

Invariants:
- Positions are character offsets; ``end`` is exclusive.
- Runs of line breaks (with the blanks and comments between them) become one
  ``NEWLINE`` token. A ``NEWLINE`` directly followed by a leading
  continuation operator (§2.3 rule 1) is dropped, so the parser never sees it.
- ``\\`` + LF is deleted; a ``#!`` line at offset 0 is skipped.
- Comments are kept in ``comments`` for tooling; a doc comment (``///`` or
  ``/** */``) is attached to the next significant token as ``token.doc``.
- Errors never raise: each is recorded and lexing resumes after the bad
  character (or at the end of the unterminated string/comment), so tooling
  still gets tokens for the whole file. The spec's run stops at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lang.ast import Comment
from lang.diagnostics import Diagnostic, error
from lang.source import Source
from lang.tokens import (
    DURATION,
    EOF,
    FLOAT,
    IDENT,
    IMSTRING,
    INT,
    ISTRING,
    KEYWORDS,
    LEADING_CONTINUATION,
    MSTRING,
    NEWLINE,
    RAWSTRING,
    STRING,
    Interp,
    Token,
)

INT64_MAX = 2**63 - 1

_MASTER = re.compile(
    r"""
    (?P<ws>[ \t\r]+)
  | (?P<nl>\n)
  | (?P<ident>[^\W\d]\w*)
  | (?P<comment>//[^\n]*)
  | (?P<bcomment>/\*)
  | (?P<op>\|>|\|\||&&|==|!=|<=|>=|->|\?\.|\?\?|\*\*|\+=|-=|\*=|/=|%=
           |[{}()\[\],.:;=+\-*/<>!?|@%])
  | (?P<float>[0-9]+\.[0-9]+)
  | (?P<dur>[0-9]+(?:ms|(?:s|m|h|d|w)(?![^\W_])))
  | (?P<int>[0-9]+)
  | (?P<mstr>\"\"\")
  | (?P<str>\")
  | (?P<bsnl>\\\n)
    """,
    re.VERBOSE,
)

_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000,
                "w": 604_800_000}

_PLAIN_SPECIAL = re.compile(r'["\\\n$]')
_MULTI_SPECIAL = re.compile(r'"""|\$\{')
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "$": "$"}
_BLOCK_COMMENT = re.compile(r"/\*|\*/")


@dataclass(slots=True)
class LexResult:
    tokens: list[Token]
    comments: list[Comment] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Lexer:
    def __init__(self, src: Source, base: int = 0, text: str | None = None) -> None:
        self.src = src
        self.text = src.text if text is None else text
        self.base = base  # offset of self.text within src.text (for ${} sources)
        self.tokens: list[Token] = []
        self.comments: list[Comment] = []
        self.diags: list[Diagnostic] = []
        self.pending_doc: list[str] = []

    # ------------------------------------------------------------ errors

    def _where(self, offset: int) -> tuple[int, int]:
        return self.src.line_col(offset)

    def fail(self, code: str, message: str, start: int, end: int) -> None:
        self.diags.append(error(code, message, start, end, located=True))

    def bad_char(self, pos: int) -> None:
        ch = self.text[pos - self.base]
        self.fail("E0101", f"Unexpected character '{ch}'", pos, pos + 1)

    # ------------------------------------------------------------ main loop

    def run(self) -> LexResult:
        text = self.text
        base = self.base
        n = len(text)
        tokens = self.tokens
        append = tokens.append
        match = _MASTER.match
        keywords = KEYWORDS
        cont = LEADING_CONTINUATION
        pos = 0
        if base == 0 and text.startswith("#!"):
            nl = text.find("\n")
            pos = n if nl < 0 else nl
        while pos < n:
            m = match(text, pos)
            if m is None:
                self.bad_char(pos + base)
                pos += 1
                continue
            kind = m.lastgroup
            end = m.end()
            if kind == "ws" or kind == "bsnl":
                pos = end
                continue
            if kind == "ident":
                value = m.group()
                tok = Token(value if value in keywords else IDENT, value, pos + base, end + base)
            elif kind == "op":
                value = m.group()
                if value in cont and tokens and tokens[-1].kind == NEWLINE:
                    tokens.pop()
                tok = Token(value, value, pos + base, end + base)
            elif kind == "nl":
                if tokens and tokens[-1].kind != NEWLINE:
                    append(Token(NEWLINE, "\n", pos + base, end + base))
                pos = end
                continue
            elif kind == "int":
                value = int(m.group())
                if value > INT64_MAX:
                    tok = Token(FLOAT, float(value), pos + base, end + base)
                else:
                    tok = Token(INT, value, pos + base, end + base)
            elif kind == "float":
                tok = Token(FLOAT, float(m.group()), pos + base, end + base)
            elif kind == "dur":
                raw = m.group()
                digits = raw.rstrip("mshdw")
                unit = raw[len(digits):]
                tok = Token(DURATION, int(digits) * _DURATION_MS[unit], pos + base, end + base)
            elif kind == "comment":
                self.line_comment(m.group(), pos + base, end + base)
                pos = end
                continue
            elif kind == "bcomment":
                pos = self.block_comment(pos)
                continue
            elif kind == "str":
                if pos > 0 and text[pos - 1] == "r" and tokens and tokens[-1].end == pos + base \
                        and tokens[-1].kind == IDENT and tokens[-1].value == "r":
                    tokens.pop()
                    tok, end = self.raw_string(pos - 1)
                else:
                    tok, end = self.plain_string(pos)
                if tok is None:
                    pos = end
                    continue
            elif kind == "mstr":
                if pos > 0 and text[pos - 1] == "r" and tokens and tokens[-1].end == pos + base \
                        and tokens[-1].kind == IDENT and tokens[-1].value == "r":
                    tokens.pop()
                    tok, end = self.raw_string(pos - 1)
                else:
                    tok, end = self.multi_string(pos)
                if tok is None:
                    pos = end
                    continue
            else:  # pragma: no cover - every group is handled above
                raise AssertionError(kind)
            if self.pending_doc:
                tok.doc = "\n".join(self.pending_doc)
                self.pending_doc = []
            append(tok)
            pos = end
        if tokens and tokens[-1].kind == NEWLINE:
            tokens.pop()
        append(Token(EOF, None, n + base, n + base))
        return LexResult(tokens, self.comments, self.diags)

    # ------------------------------------------------------------ comments

    def line_comment(self, body: str, start: int, end: int) -> None:
        if body.startswith("///") and not body.startswith("////"):
            text = body[3:]
            self.comments.append(Comment(start, end, body, "doc_line"))
            self.pending_doc.append(text[1:] if text.startswith(" ") else text)
        else:
            self.comments.append(Comment(start, end, body, "line"))

    def block_comment(self, pos: int) -> int:
        """Skip a nested ``/* */`` comment starting at ``pos``; return the offset after it."""
        text = self.text
        depth = 0
        i = pos
        while True:
            m = _BLOCK_COMMENT.search(text, i)
            if m is None:
                self.fail("E0103", "Unterminated block comment", pos + self.base,
                          pos + self.base + 2)
                return len(text)
            depth += 1 if m.group() == "/*" else -1
            i = m.end()
            if depth == 0:
                break
        body = text[pos:i]
        is_doc = body.startswith("/**") and not body.startswith("/***") and body != "/**/"
        self.comments.append(
            Comment(pos + self.base, i + self.base, body, "doc_block" if is_doc else "block")
        )
        if is_doc:
            self.pending_doc.append(_doc_block_text(body))
        return i

    # ------------------------------------------------------------ strings

    def raw_string(self, pos: int) -> tuple[Token | None, int]:
        """``r"..."``: no escapes, no interpolation, single line, no ``"`` inside."""
        text = self.text
        close = text.find('"', pos + 2)
        nl = text.find("\n", pos + 2)
        if close < 0 or (0 <= nl < close):
            self.fail("E0102", "Unterminated string", pos + self.base, pos + self.base + 2)
            return None, (nl if nl >= 0 else len(text))
        return Token(RAWSTRING, text[pos + 2:close], pos + self.base, close + 1 + self.base), \
            close + 1

    def plain_string(self, pos: int) -> tuple[Token | None, int]:
        text = self.text
        base = self.base
        parts: list[str | Interp] = []
        buf: list[str] = []
        i = pos + 1
        search = _PLAIN_SPECIAL.search
        while True:
            m = search(text, i)
            if m is None or m.group() == "\n":
                self.fail("E0102", "Unterminated string", pos + base, pos + base + 1)
                stop = len(text) if m is None else m.start()
                return None, stop
            j = m.start()
            if j > i:
                buf.append(text[i:j])
            c = m.group()
            if c == '"':
                i = j + 1
                break
            if c == "\\":
                if j + 1 >= len(text):
                    self.fail("E0102", "Unterminated string", pos + base, pos + base + 1)
                    return None, len(text)
                nxt = text[j + 1]
                buf.append(_ESCAPES.get(nxt, "\\" + nxt))
                i = j + 2
                continue
            # "$"
            if text.startswith("${", j):
                interp, after = self.interpolation(j, pos)
                if interp is None:
                    return None, after
                parts.append("".join(buf))
                buf = []
                parts.append(interp)
                i = after
            else:
                buf.append("$")
                i = j + 1
        if not parts:
            return Token(STRING, "".join(buf), pos + base, i + base), i
        parts.append("".join(buf))
        return Token(ISTRING, parts, pos + base, i + base), i

    def interpolation(self, dollar: int, string_start: int) -> tuple[Interp | None, int]:
        """Scan ``${...}`` from ``dollar``; every ``{``/``}`` counts (§2.8)."""
        text = self.text
        base = self.base
        depth = 1
        i = dollar + 2
        n = len(text)
        while i < n:
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        else:
            self.fail("E0102", "Unterminated string", string_start + base, string_start + base + 1)
            return None, n
        inner = text[dollar + 2:i]
        if not inner.strip():
            self.fail("E0101", "Unexpected character '}'", i + base, i + base + 1)
        return Interp(inner, dollar + 2 + base), i + 1

    def multi_string(self, pos: int) -> tuple[Token | None, int]:
        text = self.text
        base = self.base
        i = pos + 3
        if text.startswith("\n", i):
            i += 1
        parts: list[str | Interp] = []
        seg_start = i
        while True:
            m = _MULTI_SPECIAL.search(text, i)
            if m is None:
                self.fail("E0102", "Unterminated string", pos + base, pos + base + 3)
                return None, len(text)
            if m.group() == '"""':
                parts.append(text[seg_start:m.start()])
                end = m.end()
                break
            interp, after = self.interpolation(m.start(), pos)
            if interp is None:
                return None, after
            parts.append(text[seg_start:m.start()])
            parts.append(interp)
            i = seg_start = after
        if len(parts) == 1:
            return Token(MSTRING, dedent_plain(parts[0]), pos + base, end + base), end
        return Token(IMSTRING, dedent_parts(parts), pos + base, end + base), end


def _doc_block_text(body: str) -> str:
    inner = body[3:-2]
    lines = [ln.strip() for ln in inner.split("\n")]
    lines = [ln[1:].lstrip() if ln.startswith("*") else ln for ln in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def dedent_plain(content: str) -> str:
    """Dedent a multi-line string without interpolation (§2.8)."""
    lines = content.split("\n")
    non_blank = [ln for ln in lines if ln.strip(" \t")]
    if not non_blank:
        return content
    indent = min(_indent_of(ln) for ln in non_blank)
    if indent > 0:
        lines = [ln[indent:] if ln.strip(" \t") else "" for ln in lines]
        content = "\n".join(lines)
    return content[:-1] if content.endswith("\n") else content


def dedent_parts(parts: list[str | Interp]) -> list[str | Interp]:
    """Dedent a multi-line string with interpolation (§2.8, §17.12).

    The indent is the minimum over lines of the concatenated literal text,
    where an interpolation counts as content (so a line holding only
    ``${x}`` still measures its indentation). Text that follows an
    interpolation on the same line is kept as is.
    """
    joined = "".join(p if isinstance(p, str) else "\x00" for p in parts)
    non_blank = [ln for ln in joined.split("\n") if ln.strip(" \t")]
    indent = min((_indent_of(ln) for ln in non_blank), default=0)
    out: list[str | Interp] = []
    last = len(parts) - 1
    for idx, part in enumerate(parts):
        if not isinstance(part, str):
            out.append(part)
            continue
        pieces = part.split("\n")
        followed = idx < last  # an interpolation follows this part
        if indent > 0:
            new = []
            for k, piece in enumerate(pieces):
                if k == 0 and idx > 0:
                    new.append(piece)  # continues the line of the interpolation before
                elif k == len(pieces) - 1 and followed:
                    stripped = len(piece) - len(piece.lstrip(" \t"))
                    new.append(piece[min(indent, stripped):])
                elif piece.strip(" \t"):
                    stripped = len(piece) - len(piece.lstrip(" \t"))
                    new.append(piece[min(indent, stripped):])
                else:
                    new.append("")
            text = "\n".join(new)
            if idx == last and text.endswith("\n"):
                text = text[:-1]
        else:
            text = part
            if idx == last and not text.strip(" \t\n"):
                text = ""
        out.append(text)
    return out


def lex(src: Source) -> LexResult:
    """Tokenise a whole source file."""
    return _Lexer(src).run()


def lex_fragment(src: Source, text: str, base: int) -> LexResult:
    """Tokenise ``text``, a slice of ``src`` starting at ``base`` (``${}`` parts)."""
    return _Lexer(src, base=base, text=text).run()
