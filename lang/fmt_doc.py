"""Layout documents and their printer, for the formatter (Wadler/Lindig style).

A document is a tree of: ``str`` (text without line breaks), ``list``
(concatenation), :class:`Group` (print flat if it fits, else break its own
lines), :class:`Indent`, the line kinds :data:`LINE` (space when flat),
:data:`SOFT` (nothing when flat) and :data:`HARD` (always breaks), and a few
comment-related commands (:class:`Suffix`, :class:`EnsureNL`, :data:`NEED_NL`,
:data:`FLUSH`, :class:`Inline`, :class:`Raw`), :class:`IfBreak`, :class:`Mark` and
:class:`Hug` (a call whose last argument may break on its own).

Invariants and algorithm:

- Widths are measured once, bottom-up, when a :class:`Group`/:class:`Indent`
  /:class:`Hug` is built; a forced break (``HARD``, ``BREAK_PARENT``) makes the
  width infinite, so every enclosing group breaks (break propagation).
- The printer walks an explicit stack of ``(indent, mode, doc)``. A group in
  break context is printed flat when its width plus the width of what follows
  it up to the next possible line break fits in the remaining columns
  (Lindig's strict lookahead, using cached "head widths").
- A flat group made only of text and lines ("simple") is written in one
  tight loop, without the per-command bookkeeping.
- Comments never change widths (an inline comment may overflow a line): a
  comment printed inline in one run may become a trailing or own-line comment
  in the next, and equal widths keep the layout, hence idempotence.
- Indentation is written lazily (blank lines carry no trailing spaces) and the
  printer strips the spaces it wrote itself at the end of a line, never those
  inside comments or strings (:class:`Raw`).
- ``Suffix`` text (a trailing comment) is held back until the next line break;
  ``FLUSH`` before a source token forces that break if it has not happened,
  so a trailing line comment never swallows code.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

INF = 1 << 30
OPENERS = ("(", "[", "{")
OPENERS_SPACE = (" ", "(", "[", "{")
FLAT = 0
BREAK = 1


class Line:
    __slots__ = ("flat", "hard")

    def __init__(self, flat: str, hard: bool) -> None:
        self.flat = flat
        self.hard = hard


LINE = Line(" ", False)
SOFT = Line("", False)
HARD = Line("", True)


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BREAK_PARENT = _Marker("BREAK_PARENT")  # forces enclosing groups to break; prints nothing
NEED_NL = _Marker("NEED_NL")  # the next text must start a new line (after an own-line comment)
FLUSH = _Marker("FLUSH")  # before a source token: pending trailing comments end the line here
FLUSH_HANG = _Marker("FLUSH_HANG")  # the same, the token then hangs two columns deeper


class Raw:
    """Verbatim text (comments, multi-line strings): may hold newlines, never stripped."""

    __slots__ = ("text", "first", "multi")

    def __init__(self, text: str) -> None:
        self.text = text
        nl = text.find("\n")
        self.multi = nl >= 0
        self.first = nl if nl >= 0 else len(text)


class Suffix:
    """Text printed at the end of the current line (a trailing comment)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class EnsureNL:
    """Start a new line unless already at one; with ``blank``, leave one empty line."""

    __slots__ = ("blank",)

    def __init__(self, blank: bool) -> None:
        self.blank = blank


ENSURE_NL = EnsureNL(False)
ENSURE_BLANK = EnsureNL(True)


class Inline:
    """An inline block comment: a space before it unless after an opener, then the text."""

    __slots__ = ("text", "after")

    def __init__(self, text: str, after: bool = True) -> None:
        self.text = text
        self.after = after


class IfBreak:
    __slots__ = ("brk", "flat")

    def __init__(self, brk: object, flat: object = "") -> None:
        self.brk = brk
        self.flat = flat


class Mark:
    """Records the output position where it is printed (range formatting)."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key


class Group:
    __slots__ = ("contents", "w", "simple", "_head")

    def __init__(self, contents: object) -> None:
        self.contents = contents
        self.w, self.simple = measure(contents)
        self._head: tuple[int, bool] | None = None


class Indent:
    __slots__ = ("contents", "w", "simple", "_head")

    def __init__(self, contents: object) -> None:
        self.contents = contents
        self.w, self.simple = measure(contents)
        self._head: tuple[int, bool] | None = None


class Hug:
    """Arguments ``(a, b, last)``: flat if it fits, else ``hugged`` (``(a, b, `` then
    ``last`` breaking on its own) if its start fits, else ``broken``."""

    __slots__ = ("broken", "hugged", "pre_w", "last", "w", "simple", "_head")

    def __init__(self, broken: Group, hugged: list, pre_w: int, last: object) -> None:
        self.broken = broken
        self.hugged = hugged
        self.pre_w = pre_w
        self.last = last
        self.w = broken.w
        self.simple = broken.simple
        self._head: tuple[int, bool] | None = None


def measure(d: Any) -> tuple[int, bool]:
    """Flat width (``INF`` if it must break) and whether it is text and lines only."""
    t = type(d)
    if t is list:
        # Widths add up in any order, so nested lists go on a work list, not the stack.
        w = 0
        simple = True
        todo = [d]
        while todo:
            for x in todo.pop():
                tx = type(x)
                if tx is str:
                    w += len(x)
                elif tx is list:
                    todo.append(x)
                elif tx in _CACHED:
                    w += x.w
                    if not x.simple:
                        simple = False
                else:
                    xw, xs = measure(x)
                    w += xw
                    if not xs:
                        simple = False
            if w >= INF:
                return INF, False
        return w, simple
    if t is str:
        return len(d), True
    if t in _CACHED:
        return d.w, d.simple
    if t is Line:
        if d.hard:
            return INF, False
        return len(d.flat), True
    if t is IfBreak:
        return measure(d.flat)
    if d is BREAK_PARENT:
        return INF, False
    if t is Raw:
        return d.first, False
    return 0, False  # comments (Inline, Suffix) never change the layout; EnsureNL, marks


def head(d: Any) -> tuple[int, bool]:
    """Width up to the first possible line break when printed in break mode,
    and whether a break was found (Lindig's lookahead for the rest of a line)."""
    t = type(d)
    if t is str:
        return len(d), False
    if t is list:
        w = 0
        for x in d:
            if type(x) is str:
                w += len(x)
                continue
            xw, found = head(x)
            w += xw
            if found:
                return w, True
        return w, False
    if t is Group or t is Indent or t is Hug:
        h = d._head
        if h is None:
            h = head(d.broken if t is Hug else d.contents)
            d._head = h
        return h
    if t is Line or t is EnsureNL or d is NEED_NL:
        return 0, True
    if t is IfBreak:
        return head(d.brk)
    if t is Raw:
        return d.first, d.multi
    return 0, False


_CACHED = frozenset({Group, Indent, Hug})


def _rest_fits(stack: list, rem: int) -> bool:
    for k in range(len(stack) - 1, -1, -1):
        _, mode, d = stack[k]
        if mode == FLAT:
            rem -= measure(d)[0]
            found = False
        else:
            w, found = head(d)
            rem -= w
        if rem < 0:
            return False
        if found:
            return True
    return True


class Printer:
    """Prints a document at a given width; see the module docstring."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.out: list[str] = []
        self.col = 0
        self.line_empty = True  # nothing but (unwritten) indentation on this line
        self.pend_ind = 0
        self.suffix: list[str] = []
        self.need_nl = False
        self.raw_end = -1  # length of the output after the last comment or string piece
        self.marks: dict[int, int] = {}

    # ------------------------------------------------------------ output

    def text(self, s: str, ind: int, ours: bool = True) -> None:
        if self.need_nl:
            self.newline(ind)
        out = self.out
        if self.line_empty:
            if self.pend_ind:
                out.append(" " * self.pend_ind)
            self.line_empty = False
        out.append(s)
        self.col += len(s)
        if not ours:
            self.raw_end = len(out)

    def raw(self, r: Raw, ind: int) -> None:
        self.text(r.text, ind, False)
        if r.multi:
            self.col = len(r.text) - r.text.rfind("\n") - 1

    def flat(self, d: Group, ind: int) -> None:
        """Write a simple group flat, piece by piece."""
        if self.need_nl or self.line_empty:
            self.text("", ind)
        out = self.out
        append = out.append
        stack = [d.contents]
        pop = stack.pop
        push = stack.append
        while stack:
            x = pop()
            t = type(x)
            if t is str:
                if x:
                    append(x)
            elif t is list:
                stack.extend(reversed(x))
            elif t is Group or t is Indent:
                push(x.contents)
            elif t is Line:
                if x.flat:
                    append(x.flat)
            elif t is IfBreak:
                push(x.flat)
            elif t is Hug:
                push(x.broken)
        self.col += d.w

    def _strip(self) -> None:
        out = self.out
        if out and len(out) != self.raw_end and out[-1].endswith(" "):
            out[-1] = out[-1].rstrip(" ")

    def _blank_lines(self) -> int:
        """How many line breaks end the output."""
        out = self.out
        k = len(out)
        while k and out[k - 1] == "\n":
            k -= 1
        return len(out) - k

    def flush_suffix(self) -> None:
        """Write the held-back trailing comments at the end of the current line."""
        self._strip()
        out = self.out
        for text in self.suffix:
            last = out[-1][-1:] if out else "\n"
            if last not in (" ", "\n") and not (text.startswith("/*") and last in OPENERS):
                out.append(" ")
            out.append(text)
        self.suffix.clear()
        self.raw_end = len(out)

    def newline(self, ind: int) -> None:
        out = self.out
        if self.suffix:
            self.flush_suffix()
        self._strip()
        out.append("\n")
        self.line_empty = True
        self.pend_ind = ind
        self.col = ind
        self.need_nl = False

    # ------------------------------------------------------------ main loop

    def print(self, doc: object) -> str:
        width = self.width
        stack: list[tuple[int, int, Any]] = [(0, BREAK, doc)]
        out = self.out
        pop = stack.pop
        push = stack.append
        while stack:
            ind, mode, d = pop()
            t = type(d)
            if t is str:
                if d:
                    if self.need_nl or self.line_empty:
                        self.text(d, ind)
                    else:
                        out.append(d)
                        self.col += len(d)
            elif t is list:
                for x in reversed(d):
                    push((ind, mode, x))
            elif t is Group:
                if self.need_nl:
                    self.newline(ind)
                if mode == FLAT or (d.w < INF and self.col + d.w <= width
                                    and _rest_fits(stack, width - self.col - d.w)):
                    if d.simple:
                        self.flat(d, ind)
                    else:
                        push((ind, FLAT, d.contents))
                else:
                    push((ind, BREAK, d.contents))
            elif t is Line:
                if mode == FLAT and not d.hard and not self.need_nl:
                    if d.flat:
                        self.text(d.flat, ind)
                else:
                    self.newline(ind)
            elif t is Indent:
                push((ind + 2, mode, d.contents))
            elif t is IfBreak:
                push((ind, mode, d.flat if mode == FLAT else d.brk))
            elif t is Raw:
                self.raw(d, ind)
            elif t is Suffix:
                self.suffix.append(d.text)
            elif t is Hug:
                self._hug(d, ind, mode, stack)
            elif t is EnsureNL:
                if self.need_nl or self.suffix or not self.line_empty:
                    self.newline(ind)
                if d.blank and out and self._blank_lines() < 2:
                    self.newline(ind)
            elif t is Inline:
                if self.need_nl:
                    self.newline(ind)
                if not self.line_empty and self.out[-1][-1:] not in OPENERS_SPACE:
                    self.text(" ", ind)
                self.raw(Raw(d.text), ind)
                if d.after:
                    self.text(" ", ind)
            elif d is NEED_NL:
                self.need_nl = True
            elif d is FLUSH_HANG:
                if self.suffix:
                    self.newline(ind + 2)
            elif d is FLUSH:
                if self.suffix:
                    self.newline(ind)
            elif t is Mark:
                self.marks[d.key] = len(self.out)
            # BREAK_PARENT prints nothing
        if self.suffix:
            self.flush_suffix()
        return "".join(self.out)

    def _hug(self, d: Hug, ind: int, mode: int, stack: list) -> None:
        g = d.broken
        if mode == FLAT:
            stack.append((ind, FLAT, g))
            return
        room = self.width - self.col
        if g.w <= room and _rest_fits(stack, room - g.w):
            stack.append((ind, FLAT, g))
            return
        if d.pre_w < INF and d.pre_w + head(d.last)[0] <= room:
            stack.append((ind, BREAK, d.hugged))
            return
        stack.append((ind, BREAK, g))


def render(doc: object, width: int) -> tuple[str, dict[int, int]]:
    """Print ``doc``; also return, for each :class:`Mark`, the output offset."""
    p = Printer(width)
    text = p.print(doc)
    marks: dict[int, int] = {}
    if p.marks:
        offsets = [0, *accumulate(map(len, p.out))]
        marks = {k: offsets[v] for k, v in p.marks.items()}
    return text, marks
