"""Lexer: source text to tokens (spec §2).

Speed comes from letting the regex engine do the scanning: one compiled
master pattern is applied with ``findall`` to a whole stretch of text,
returning ``(blanks, token_text)`` pairs; positions follow from the lengths,
and kinds from a dict lookup on the text (operators, keywords) or its first
character. Constructs that need counting — ``${...}`` interpolation, nested
block comments, multi-line strings — and malformed input are matched only by
their opening characters; the loop then hands them to a small scanner and
resumes ``findall`` after them.

Tokens are stored column-wise (:class:`TokenArrays`: kinds, values, starts,
ends) because the parser reads them in its hottest loop; ``LexResult.tokens``
builds :class:`Token` objects on demand for tooling.

Invariants:
- Positions are character offsets; ``end`` is exclusive.
- Runs of line breaks (with the blanks and comments between them) become one
  ``NEWLINE`` token. A ``NEWLINE`` directly followed by a leading
  continuation operator (§2.3 rule 1) is dropped, so the parser never sees it.
- ``\\`` + LF is deleted; a ``#!`` line at offset 0 is skipped.
- Comments are kept in ``comments`` for tooling; a doc comment (``///`` or
  ``/** */``) is attached to the index of the next significant token.
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

_OPERATORS = (
    "|> || && == != <= >= -> ?. ?? ** += -= *= /= %= { } ( ) [ ] , . : ; = + - * / < > ! ? | @ %"
).split()

_MASTER = re.compile(
    r"""
    ([ \t\r]*+(?:\\\n[ \t\r]*+)*+)                  # blanks and backslash-newlines
    (
      r"[^"\n]*+"                                     # raw string
    | r"                                              # unterminated raw string
    | [^\W\d]\w*+                                     # identifier or keyword
    | [{}()\[\],:;]
    | \|>|\|\||&&|==|!=|<=|>=|->|\?\.|\?\?|\*\*|\+=|-=|\*=|/=|%=
    | \n
    | [0-9]++(?:\.[0-9]+|ms|[smhdw](?![^\W_]))?       # int, float, duration
    | \"\"\"                                          # multi-line string: by hand
    | "(?:[^"\\\n$]++|\\[\s\S]|\$(?!\{))*+"             # plain string without ${}
    | /\*                                             # block comment: by hand
    | //[^\n]*+                                       # line comment
    | [.=+\-*/<>!?|@%]
    | [\s\S]                                         # anything else: by hand
    |
    )
    """,
    re.VERBOSE,
)

# Kind of every token whose kind is its text.
_FIXED: dict[str, str] = {k: k for k in KEYWORDS}
_FIXED.update({op: op for op in _OPERATORS})
_FIXED["\n"] = NEWLINE

_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}

# Where findall must stop and resume: after these, the hand scanner takes over.
_OPENER = re.compile(r'\$\{|/\*|"""|[^\x00-\x7f]|[#`~^&]')
_PLAIN_SPECIAL = re.compile(r'["\\\n$]')
_MULTI_SPECIAL = re.compile(r'"""|\$\{')
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "$": "$"}
_BLOCK_COMMENT = re.compile(r"/\*|\*/")


@dataclass(slots=True)
class TokenArrays:
    """Tokens column-wise; index ``i`` is one token. The last token is ``EOF``."""

    kinds: list[str]
    vals: list[object]
    starts: list[int]
    ends: list[int]
    docs: dict[int, str] = field(default_factory=dict)

    def token(self, i: int) -> Token:
        tok = Token(self.kinds[i], self.vals[i], self.starts[i], self.ends[i])
        tok.doc = self.docs.get(i)
        return tok

    def to_tokens(self) -> list[Token]:
        return [self.token(i) for i in range(len(self.kinds))]


@dataclass(slots=True)
class LexResult:
    arrays: TokenArrays
    comments: list[Comment] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _tokens: list[Token] | None = None

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = self.arrays.to_tokens()
        return self._tokens


class _Lexer:
    def __init__(self, src: Source, base: int = 0, text: str | None = None) -> None:
        self.src = src
        self.text = src.text if text is None else text
        self.base = base  # offset of self.text within src.text (for ${} sources)
        self.comments: list[Comment] = []
        self.diags: list[Diagnostic] = []
        self.pending_doc: list[str] = []

    # ------------------------------------------------------------ errors

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
        kinds: list[str] = []
        vals: list[object] = []
        starts: list[int] = []
        ends: list[int] = []
        docs: dict[int, str] = {}
        kappend, vappend, sappend, eappend = kinds.append, vals.append, starts.append, ends.append
        fixed = dict(_FIXED)  # grows with this file's identifiers: their next use is one lookup
        cont = LEADING_CONTINUATION
        findall = _MASTER.findall
        pos = 0
        if base == 0 and text.startswith("#!"):
            nl = text.find("\n")
            pos = n if nl < 0 else nl
        last = NEWLINE  # no NEWLINE token at the very start
        opener = _OPENER.search
        pending = self.pending_doc  # doc comment lines waiting for the next token
        while pos < n:
            # Scan only to the end of the line holding the next construct that needs
            # the hand scanner, so findall never re-reads the rest of the file.
            m = opener(text, pos)
            nl = text.find("\n", m.end()) if m is not None else -1
            endpos = n if nl < 0 else nl + 1
            resume = -1
            for blanks, t in findall(text, pos, endpos):
                start = pos + len(blanks)
                pos = start + len(t)
                kind = fixed.get(t)
                if kind is None:
                    c = t[:1]
                    if c == '"':
                        if len(t) > 1 and t != '"""':
                            kind = STRING
                            value: object = t[1:-1] if "\\" not in t else _unescape(t[1:-1])
                        else:
                            resume = start
                            break
                    elif "0" <= c <= "9":
                        if "." in t:
                            kind, value = FLOAT, float(t)
                        elif t[-1].isdigit():
                            value = int(t)
                            kind = INT
                            if value > INT64_MAX:  # type: ignore[operator]
                                kind, value = FLOAT, float(value)  # type: ignore[arg-type]
                        else:
                            digits = t.rstrip("mshdw")
                            kind = DURATION
                            value = int(digits) * _DURATION_MS[t[len(digits) :]]
                    elif c == "/":
                        if t[1:2] == "/":
                            self.line_comment(t, start + base, pos + base)
                            continue
                        resume = start  # "/*"
                        break
                    elif c == "r" and t[1:2] == '"':
                        if len(t) == 2:
                            resume = start
                            break
                        kind, value = RAWSTRING, t[2:-1]
                    elif len(t) > 1 or t.isidentifier():
                        kind, value = IDENT, t
                        fixed[t] = IDENT
                    else:
                        if t:
                            resume = start
                        break
                elif kind is NEWLINE:
                    if last is NEWLINE:
                        continue
                    value = t
                else:
                    value = t
                    if last is NEWLINE and kind in cont and kinds:
                        kinds.pop()
                        vals.pop()
                        starts.pop()
                        ends.pop()
                if pending and kind is not NEWLINE:
                    docs[len(kinds)] = "\n".join(pending)
                    pending.clear()
                kappend(kind)
                vappend(value)
                sappend(start + base)
                eappend(pos + base)
                last = kind
            if resume < 0:
                continue  # end of this stretch (``pos`` is ``endpos``)
            kind, value, end = self.special(resume)
            if kind is not None:
                if pending:
                    docs[len(kinds)] = "\n".join(pending)
                    pending.clear()
                kappend(kind)
                vappend(value)
                sappend(resume + base)
                eappend(end + base)
                last = kind
            pos = end
        if kinds and kinds[-1] is NEWLINE:
            kinds.pop()
            vals.pop()
            starts.pop()
            ends.pop()
        kappend(EOF)
        vappend(None)
        sappend(n + base)
        eappend(n + base)
        return LexResult(TokenArrays(kinds, vals, starts, ends, docs), self.comments, self.diags)

    def special(self, pos: int) -> tuple[str | None, object, int]:
        """Scan a construct the master pattern only opened. Returns the token's
        kind, value and end offset; kind ``None`` when it made no token (a block
        comment, or an error already recorded)."""
        text = self.text
        if text.startswith("/*", pos):
            return None, None, self.block_comment(pos)
        if text.startswith('"""', pos):
            return self.multi_string(pos)
        if text.startswith('r"', pos):
            return self.raw_string(pos)
        if text.startswith('"', pos):
            return self.plain_string(pos)
        self.bad_char(pos + self.base)
        return None, None, pos + 1

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
                self.fail(
                    "E0103", "Unterminated block comment", pos + self.base, pos + self.base + 2
                )
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

    def raw_string(self, pos: int) -> tuple[str | None, object, int]:
        """``r"..."``: no escapes, no interpolation, single line, no ``"`` inside."""
        text = self.text
        close = text.find('"', pos + 2)
        nl = text.find("\n", pos + 2)
        if close < 0 or (0 <= nl < close):
            self.fail("E0102", "Unterminated string", pos + self.base, pos + self.base + 2)
            return None, None, (nl if nl >= 0 else len(text))
        return RAWSTRING, text[pos + 2 : close], close + 1

    def plain_string(self, pos: int) -> tuple[str | None, object, int]:
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
                return None, None, stop
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
                    return None, None, len(text)
                nxt = text[j + 1]
                buf.append(_ESCAPES.get(nxt, "\\" + nxt))
                i = j + 2
                continue
            # "$"
            if text.startswith("${", j):
                interp, after = self.interpolation(j, pos)
                if interp is None:
                    return None, None, after
                parts.append("".join(buf))
                buf = []
                parts.append(interp)
                i = after
            else:
                buf.append("$")
                i = j + 1
        if not parts:
            return STRING, "".join(buf), i
        parts.append("".join(buf))
        return ISTRING, parts, i

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
        inner = text[dollar + 2 : i]
        if not inner.strip():
            self.fail("E0101", "Unexpected character '}'", i + base, i + base + 1)
        return Interp(inner, dollar + 2 + base), i + 1

    def multi_string(self, pos: int) -> tuple[str | None, object, int]:
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
                return None, None, len(text)
            if m.group() == '"""':
                parts.append(text[seg_start : m.start()])
                end = m.end()
                break
            interp, after = self.interpolation(m.start(), pos)
            if interp is None:
                return None, None, after
            parts.append(text[seg_start : m.start()])
            parts.append(interp)
            i = seg_start = after
        if len(parts) == 1:
            return MSTRING, dedent_plain(parts[0]), end
        return IMSTRING, dedent_parts(parts), end


def _unescape(body: str) -> str:
    """Process the escapes of a plain string body (§2.8); unknown ones keep both characters."""
    out: list[str] = []
    i = 0
    while True:
        j = body.find("\\", i)
        if j < 0:
            out.append(body[i:])
            return "".join(out)
        out.append(body[i:j])
        nxt = body[j + 1 : j + 2]
        out.append(_ESCAPES.get(nxt, "\\" + nxt))
        i = j + 2


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

    The indent is the minimum over the non-blank lines of the concatenated
    literal parts (interpolations contribute nothing, so a line holding only
    ``${x}`` is blank for this purpose). Text that follows an interpolation on
    the same line is kept as is (§17.12).
    """
    joined = "".join(p for p in parts if isinstance(p, str))
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
                    new.append(piece[min(indent, stripped) :])
                elif piece.strip(" \t"):
                    stripped = len(piece) - len(piece.lstrip(" \t"))
                    new.append(piece[min(indent, stripped) :])
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
