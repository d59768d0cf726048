"""Source-token cursor for the formatter: token text and comment placement.

The formatter walks the AST in source order and takes every token it prints
from the parser's token list through :meth:`Emitter.tok`, so token text is
the exact source text (strings, numbers, durations are never re-spelled) and
each comment can be placed relative to the tokens it sat between. Tokens the
canonical form drops (``;``, optional commas, optional ``catch`` parens) are
passed over with :meth:`Emitter.skip`; tokens it adds (commas) are plain text.

Comment placement, decided from the source text around each comment:

- **trailing**: on the line of the previous token, followed by a line break
  (every line comment is): printed at the end of that line (:class:`Suffix`).
  It is attached lazily to the first line break or token emitted after the
  previous token, so a trailing comment after ``f(a, b)`` does not break the
  call's group.
- **own line**: preceded by a line break: printed on its own line before the
  next token (or before the closing bracket, :meth:`Emitter.dangling`).
- **inline**: a block comment with code on both sides on one line: printed
  between the same two tokens.

A line break is only ever added next to a comment where the source had one
between the same two tokens, so the result parses the same way. Blank lines
are kept (at most one) only where the caller allows them (between
statements and members), before a comment or before a token.
"""

from __future__ import annotations

from bisect import bisect_right

from lang.ast import Comment
from lang.fmt_doc import (
    BREAK_PARENT,
    ENSURE_BLANK,
    ENSURE_NL,
    FLUSH,
    FLUSH_HANG,
    HARD,
    INF,
    LINE,
    NEED_NL,
    SOFT,
    Inline,
    Raw,
    Suffix,
)
from lang.lexer import TokenArrays
from lang.tokens import EOF, NEWLINE, STRING_KINDS


class Misaligned(Exception):
    """The AST walk and the token list disagree (a formatter bug)."""


class Emitter:
    def __init__(self, text: str, tokens: TokenArrays, comments: list[Comment],
                 first_offset: int = 0) -> None:
        self.text = text
        keep = [k for k, kind in enumerate(tokens.kinds) if kind != NEWLINE]
        self.kinds = [tokens.kinds[k] for k in keep]
        self.starts = [tokens.starts[k] for k in keep]
        self.ends = [tokens.ends[k] for k in keep]
        self.i = 0
        self.comments = comments
        self.ci = 0
        self.ncs = comments[0].start if comments else INF  # start of the next unplaced comment
        self.pending: list | None = None  # trailing-comment docs waiting for a line break
        self.prev_end = first_offset  # end of the last token passed
        self.last_comment_end = first_offset  # end of the last comment placed
        self._classify(first_offset)

    # ------------------------------------------------------------ comment facts

    def _classify(self, first_offset: int) -> None:
        """For each comment: a line break before it, after it, a blank line before it."""
        text = self.text
        starts = self.starts
        ends = self.ends
        comments = self.comments
        n = len(comments)
        nl_before: list[bool] = []
        nl_after: list[bool] = []
        blank_before: list[bool] = []
        for k, c in enumerate(comments):
            j = bisect_right(starts, c.start) - 1
            prev = ends[j] if j >= 0 else first_offset
            if k and comments[k - 1].end > prev:
                prev = comments[k - 1].end
            breaks = _breaks(text[prev:c.start] if prev <= c.start else "")
            nl_before.append(breaks > 0)
            blank_before.append(breaks >= 2)
            nxt = starts[j + 1] if j + 1 < len(starts) else len(text)
            if k + 1 < n and comments[k + 1].start < nxt:
                nxt = comments[k + 1].start
            nl_after.append(c.kind in ("line", "doc_line") or _breaks(text[c.end:nxt]) > 0)
        self.c_nl_before = nl_before
        self.c_nl_after = nl_after
        self.c_blank_before = blank_before

    def _next_comment(self) -> None:
        self.last_comment_end = self.comments[self.ci].end
        self.ci += 1
        self.ncs = self.comments[self.ci].start if self.ci < len(self.comments) else INF

    @staticmethod
    def _ctext(c: Comment) -> str:
        text = c.text
        if c.kind in ("line", "doc_line"):
            return text.rstrip("\r")
        return text

    def has_comment_in(self, start: int, end: int) -> bool:
        """Whether an unplaced comment starts in ``[start, end)``."""
        k = self.ci
        comments = self.comments
        while k < len(comments) and comments[k].start < start:
            k += 1
        return k < len(comments) and comments[k].start < end

    # ------------------------------------------------------------ tokens

    def peek_kind(self, k: int = 0) -> str:
        j = self.i + k
        return self.kinds[j] if j < len(self.kinds) else EOF

    def tok(self, kind: str | None = None, hang: bool = True) -> object:
        """The next source token's text, preceded by the comments before it.

        If a trailing comment forces a line break before the token, the token is
        indented two more columns (a continuation) when ``hang``; ``else``,
        ``catch`` and ``finally`` pass ``hang=False`` to line up with their ``}``."""
        i = self.i
        tkind = self.kinds[i]
        start = self.starts[i]
        end = self.ends[i]
        if kind is not None and tkind != kind:
            raise Misaligned(f"expected {kind}, found {tkind} at offset {start}")
        parts = None
        if self.ncs < start or self.pending:
            parts = self._before(start, True, hang=hang)
        self.i = i + 1
        self.prev_end = end
        s: object = self.text[start:end]
        if tkind in STRING_KINDS and "\n" in s:  # type: ignore[operator]
            s = Raw(s)  # type: ignore[arg-type]
        if i + 1 < len(self.starts) and self.ncs < self.starts[i + 1]:
            self._trailing()
        if parts:
            parts.append(s)
            return parts
        return s

    def skip(self, kind: str) -> object:
        """Pass over an optional source token the canonical form drops (or adds back
        as plain text). Returns docs for inline comments before it, or ``""``."""
        i = self.i
        if self.kinds[i] != kind:
            return ""
        start = self.starts[i]
        out: object = ""
        deferred = False
        if self.ncs < start:
            if self.c_nl_before[self.ci]:
                deferred = True  # own-line comments go before the next printed token
            else:
                docs: list = []
                while self.ncs < start and not self.c_nl_before[self.ci]:
                    k = self.ci
                    text = self._ctext(self.comments[k])
                    if self.c_nl_after[k]:
                        docs += [BREAK_PARENT, Inline(text, False), NEED_NL]
                    else:
                        if "\n" in text:
                            docs.append(BREAK_PARENT)
                        docs.append(Inline(text, False))
                    self._next_comment()
                if self.ncs < start:
                    deferred = True
                out = docs
        self.i = i + 1
        self.prev_end = self.ends[i]
        if not deferred and i + 1 < len(self.starts) and self.ncs < self.starts[i + 1]:
            self._trailing()
        return out

    def skip_all(self, kind: str) -> list:
        out: list = []
        while self.peek_kind() == kind:
            out.append(self.skip(kind))
        return out

    # ------------------------------------------------------------ comment docs

    def _trailing(self) -> None:
        """After a token: comments on its line followed by a line break trail it."""
        nxt = self.starts[self.i]
        k = self.ci
        comments = self.comments
        while k < len(comments) and comments[k].start < nxt and not self.c_nl_before[k]:
            if self.c_nl_after[k]:
                docs = [Suffix(self._ctext(comments[j])) for j in range(self.ci, k + 1)]
                docs.append(BREAK_PARENT)
                if self.pending:
                    self.pending.extend(docs)
                else:
                    self.pending = docs
                self.ci = k
                self._next_comment()
                return
            k += 1

    def _before(self, limit: int, at_token: bool, boundary: bool = False,
                mode: int = 0, hang: bool = True) -> list:
        """Docs for pending trailing comments and the comments before offset ``limit``.

        At a ``boundary`` (before a list element, statement or closer, outside any
        group of the element) an own-line comment also breaks the enclosing group.
        ``mode`` says where blank lines are kept: 0 nowhere, 1 between comments and
        before the token but not before the first comment, 2 anywhere."""
        parts: list = []
        if self.pending:
            parts.extend(self.pending)
            self.pending = None
            if at_token:
                parts.append(FLUSH_HANG if hang else FLUSH)
        first = True
        last_end = max(self.prev_end, self.last_comment_end)
        while self.ncs < limit:
            k = self.ci
            c = self.comments[k]
            text = self._ctext(c)
            if "\n" in text:
                parts.append(BREAK_PARENT)
            if self.c_nl_before[k]:
                blank = self.c_blank_before[k] and (mode == 2 or (mode == 1 and not first))
                if self.c_nl_after[k]:
                    parts += [BREAK_PARENT, ENSURE_BLANK if blank else ENSURE_NL,
                              Inline(text, False), NEED_NL]
                else:
                    if boundary:
                        parts.append(BREAK_PARENT)
                    parts += [ENSURE_BLANK if blank else ENSURE_NL, Inline(text, at_token)]
            elif self.c_nl_after[k]:
                parts += [BREAK_PARENT, Inline(text, False), NEED_NL]
            else:
                parts.append(Inline(text, at_token))
            first = False
            last_end = c.end
            self._next_comment()
        if at_token and mode and (mode == 2 or not first):
            if _breaks(self.text[last_end:limit] if last_end <= limit else "") >= 2:
                parts.append(ENSURE_BLANK)
        return parts

    def dangling(self, blank_mode: int = 0) -> list:
        """Comments before the next token (a closer), to print inside the brackets."""
        if self.ncs >= self.starts[self.i] and not self.pending:
            return []
        return self._before(self.starts[self.i], False, True, blank_mode)

    def lead(self, blank_mode: int = 0, hang: bool = True) -> list:
        """Comments before the next token, placed at an element or statement boundary."""
        if self.ncs >= self.starts[self.i] and not self.pending and not blank_mode:
            return []
        return self._before(self.starts[self.i], True, True, blank_mode, hang)

    def inner_comments(self) -> bool:
        """Whether comments sit before the next token (or trail the previous one)."""
        return bool(self.pending) or self.ncs < self.starts[self.i]

    # ------------------------------------------------------------ lines

    def line(self) -> object:
        if self.pending:
            docs = self.pending
            self.pending = None
            return [*docs, LINE]
        return LINE

    def softline(self) -> object:
        if self.pending:
            docs = self.pending
            self.pending = None
            return [*docs, SOFT]
        return SOFT

    def hardline(self) -> object:
        if self.pending:
            docs = self.pending
            self.pending = None
            return [*docs, HARD]
        return HARD


def _breaks(gap: str) -> int:
    """Line breaks in whitespace between tokens (a backslash-newline is not one)."""
    n = gap.count("\n")
    if n and "\\\n" in gap:
        n -= gap.count("\\\n")
    return n
