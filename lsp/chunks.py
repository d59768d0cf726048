"""A document as a list of top-level chunks, re-parsed one item at a time.

A *chunk* is the text from the end of one top-level item to the end of the
next (so an item's leading blank lines, comments, doc comment and attributes
belong to it); the text after the last item is a final item-less chunk. A
:class:`ChunkedText` is one version of a document: its text, its chunks in
order and where each chunk starts.

Incremental update (:func:`update`): the changed region is found by comparing
the old and new text (common prefix and suffix, so any mix of edits and
full-text syncs works). When it lies inside a run of chunks, only their new
text is lexed and parsed; chunks before it are reused as they are, chunks
after it are reused *displaced*. Otherwise (edit in a region whose tokens do
not balance, lexer error, very large region) the whole text is parsed again.

Recovery (:func:`recover`). A whole-text parse whose error skipped the rest of
the file (an unclosed bracket) gets the items after the error back from extra
parses starting at later column-0 lines; they serve the features only, the
syntax diagnostics stay those of the whole-text parse.

Coordinates. Nodes keep the offsets they were parsed at. ``Chunk.base`` is
the offset, in those node coordinates, of the chunk's first character; in a
given version the chunk starts at ``starts[k]``, so a node's offset in the
current text is ``node.start + starts[k] - chunk.base`` (its *delta*).
Displaced chunks are shifted for real (:meth:`Chunk.normalize`) only when a
whole-document pass (lint, full check) needs every node in current offsets;
the fast path after an edit touches only the edited chunk.

Invariants: chunk texts concatenate to the document text; a chunk's nodes,
diagnostics and comments all lie within its text; chunks are shared between
versions, so everything cached on a chunk depends only on its text (and the
check environment key stored next to it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from lang import ast
from lang.diagnostics import Diagnostic
from lang.lexer import lex
from lang.parser import Parser, parse
from lang.source import Source, ensure_recursion_limit

OFFSET_FIELDS = (
    "start", "end", "name_start", "op_start", "alias_start", "rest_start",
    "catch_name_start", "param_start", "path_start",
)
# A region re-parse that finds syntax errors is kept (errors stay local to
# the edited items) only when the document is bigger than this; smaller
# documents are parsed whole so their recovery matches `lang parse` exactly.
LOCAL_ERRORS_ABOVE = 60_000
# Above this share of the document a region re-parse is no cheaper than a full one.
MAX_REGION_SHARE = 0.5


@dataclass(slots=True, eq=False)
class Chunk:
    """A piece of the document holding zero or more top-level items (usually one)."""

    text: str
    base: int
    items: list[ast.Stmt]
    syntax: list[Diagnostic]
    comments: list[ast.Comment]
    lex_error: bool = False
    # Caches filled by the analysis (dropped or shifted on normalize).
    cache: dict = field(default_factory=dict)

    @property
    def has_syntax_errors(self) -> bool:
        return any(d.is_error for d in self.syntax)

    def normalize(self, start: int) -> None:
        """Shift every node, diagnostic and comment so ``base == start``."""
        delta = start - self.base
        if not delta:
            return
        shift_nodes(self.items, delta)
        shift_diagnostics(self.syntax, delta)
        for c in self.comments:
            c.start += delta
            c.end += delta
        self.base = start
        for key in list(self.cache):
            value = self.cache[key]
            shifter = getattr(value, "shift", None)
            if shifter is None:
                del self.cache[key]
            else:
                shifter(delta)


@dataclass(slots=True, eq=False)
class ChunkedText:
    """One version of a document, split into chunks."""

    text: str
    chunks: list[Chunk]
    starts: list[int]
    full_parse: bool = False  # produced by a whole-document parse
    reparsed: tuple[int, int] = (0, 0)  # new chunk indices re-parsed by the last update
    replaced: tuple[int, int] = (0, 0)  # the previous version's chunk indices they replace

    def index_at(self, offset: int) -> int:
        """Index of the chunk holding ``offset`` (the end of text belongs to the last)."""
        k = bisect_right(self.starts, offset) - 1
        return max(0, min(k, len(self.chunks) - 1))

    def delta(self, k: int) -> int:
        return self.starts[k] - self.chunks[k].base

    def end_of(self, k: int) -> int:
        return self.starts[k] + len(self.chunks[k].text)

    def normalize(self) -> None:
        for k, chunk in enumerate(self.chunks):
            chunk.normalize(self.starts[k])

    def items(self) -> list[ast.Stmt]:
        out: list[ast.Stmt] = []
        for c in self.chunks:
            out.extend(c.items)
        return out


# --------------------------------------------------------------------------- shifting


def shift_nodes(roots: list, delta: int) -> None:
    """Add ``delta`` to every offset field of every node under ``roots`` (each node once)."""
    seen: set[int] = set()
    stack = list(roots)
    fields = OFFSET_FIELDS
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        for f in fields:
            v = getattr(n, f, None)
            if type(v) is int:
                setattr(n, f, v + delta)
        stack.extend(ast.children(n))


def shift_diagnostics(diags: list[Diagnostic], delta: int) -> None:
    for d in diags:
        d.start += delta
        d.end += delta
        for r in d.related:
            if r.path is None:
                r.start += delta
                r.end += delta
        if d.fix is not None:
            for e in d.fix.edits:
                e.start += delta
                e.end += delta


# --------------------------------------------------------------------------- building


def build(text: str) -> ChunkedText:
    """Parse the whole text and split it into chunks."""
    ensure_recursion_limit()
    result = parse(Source(text))
    items = result.program.items
    lex_error = bool(result.lexed.diagnostics)
    if not lex_error and any(d.is_error for d in result.diagnostics):
        items = recover(text, items, result.diagnostics)
    chunks = split(text, 0, items, result.diagnostics, result.program.comments, lex_error)
    return ChunkedText(text, chunks, _starts(chunks), full_parse=True,
                       reparsed=(0, len(chunks)))


# --------------------------------------------------------------------------- recovery

RESTART = re.compile(r"^(?:[^\W\d]|@|///)", re.MULTILINE)  # a column-0 item start
MAX_RESTARTS = 16


def recover(text: str, items: list[ast.Stmt], diags: list[Diagnostic], lo: int = 0,
            budget: list[int] | None = None) -> list[ast.Stmt]:
    """``items`` plus the top-level items the parser skipped after an error.

    After an error whose brackets never close (``fn f( {``), the parser's
    resynchronisation skips to the end of the file, so the valid items after it
    would be lost to every feature. Each stretch between items that holds an
    error is parsed again from its first later line starting in column 0 with an
    identifier, keyword, ``@`` or doc comment. The recovered items only serve the
    features: their own syntax errors are dropped (the published diagnostics stay
    those of the whole-file parse)."""
    out = list(items)
    budget = budget if budget is not None else [MAX_RESTARTS]
    errors = [d.start for d in diags if d.is_error]
    for nxt in [*items, None]:
        hi = nxt.start if nxt is not None else len(text)
        if any(lo <= e <= hi for e in errors):
            out.extend(_recover_gap(text, lo, hi, budget))
        if nxt is not None:
            lo = max(lo, nxt.end)
    out.sort(key=lambda it: it.start)
    return out


def _recover_gap(text: str, lo: int, hi: int, budget: list[int]) -> list[ast.Stmt]:
    first = lo
    while first < hi and text[first].isspace():
        first += 1
    nl = text.find("\n", first, hi)
    if nl < 0:
        return []
    for m in RESTART.finditer(text, nl + 1, hi):
        if budget[0] <= 0:
            return []
        budget[0] -= 1
        at = m.start()
        region = text[at:hi]
        src = Source(region)
        lexed = lex(src)
        if lexed.diagnostics:
            continue  # inside a multi-line string or comment: try a later line
        diags: list[Diagnostic] = []
        program = Parser(src, lexed.arrays, diags).parse_program()
        if not program.items:
            continue
        shift_nodes(program.items, at)
        found = list(program.items)
        if any(d.is_error for d in diags):
            for d in diags:
                d.start += at
                d.end += at
            found = recover(text[:hi], found, diags, at, budget)
        return found
    return []


def split(text: str, base: int, items: list[ast.Stmt], diags: list[Diagnostic],
          comments: list[ast.Comment], lex_error: bool) -> list[Chunk]:
    """Cut ``text`` (whose offset 0 is ``base`` in node coordinates) after each item."""
    bounds = [0]
    for it in items:
        end = it.end - base
        if end > bounds[-1]:
            bounds.append(end)
    groups: list[list[ast.Stmt]] = [[] for _ in bounds]
    for it in items:
        groups[max(0, bisect_right(bounds, it.start - base) - 1)].append(it)
    # groups[i] holds the items starting in [bounds[i], bounds[i+1]); each ends at bounds[i+1]
    if bounds[-1] < len(text) or len(bounds) == 1:
        bounds.append(len(text))
    else:
        groups.pop()
    chunks: list[Chunk] = []
    for i in range(len(bounds) - 1):
        lo, hi = bounds[i], bounds[i + 1]
        chunks.append(Chunk(text[lo:hi], base + lo, groups[i], [], []))
    for d in diags:
        chunks[_owner(bounds, d.start - base, len(chunks))].syntax.append(d)
    for c in comments:
        chunks[_owner(bounds, c.start - base, len(chunks))].comments.append(c)
    if lex_error:
        for c in chunks:
            c.lex_error = bool(c.syntax)
    return chunks


def _owner(bounds: list[int], rel: int, count: int) -> int:
    return max(0, min(bisect_right(bounds, rel) - 1, count - 1))


def _starts(chunks: list[Chunk]) -> list[int]:
    return [0, *accumulate(len(c.text) for c in chunks)][:-1] if chunks else [0]


# --------------------------------------------------------------------------- updating


def common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb = len(a), len(b)
    if limit <= 0:
        return 0
    if a[la - limit:] == b[lb - limit:]:
        return limit
    lo, hi = 0, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def update(old: ChunkedText, text: str) -> ChunkedText:
    """The chunks of ``text``, re-parsing only what changed since ``old``."""
    if text == old.text:
        return ChunkedText(text, old.chunks, old.starts)
    if not old.chunks:
        return build(text)
    p = common_prefix(old.text, text)
    s = common_suffix(old.text, text, min(len(old.text), len(text)) - p)
    old_end = len(old.text) - s
    first = old.index_at(p)
    if p == len(old.text) and first > 0 and not old.chunks[first].text:
        first -= 1
    last = old.index_at(max(old_end - 1, p))
    while last + 1 < len(old.chunks) and old.end_of(last) < old_end:
        last += 1
    delta = len(text) - len(old.text)
    lo = old.starts[first]
    hi = old.end_of(last) + delta
    if (hi - lo) > MAX_REGION_SHARE * max(len(text), 1) and len(text) > 4000:
        return build(text)
    region = text[lo:hi]
    fresh = _parse_region(region, lo, len(text))
    if fresh is None:
        return build(text)
    chunks = old.chunks[:first] + fresh + old.chunks[last + 1:]
    starts = old.starts[:first]
    pos = lo
    for c in fresh:
        starts.append(pos)
        pos += len(c.text)
    starts.extend(st + delta for st in old.starts[last + 1:])
    return ChunkedText(text, chunks, starts, reparsed=(first, first + len(fresh)),
                       replaced=(first, last + 1))


def _parse_region(region: str, base: int, doc_len: int) -> list[Chunk] | None:
    """Chunks for ``region`` parsed alone (offsets shifted to ``base``), or None when
    the region cannot be parsed in isolation."""
    ensure_recursion_limit()
    src = Source(region)
    lexed = lex(src)
    if lexed.diagnostics or not _balanced(lexed.arrays.kinds):
        return None
    diags: list[Diagnostic] = []
    parser = Parser(src, lexed.arrays, diags)
    program = parser.parse_program()
    if diags and doc_len <= LOCAL_ERRORS_ABOVE:
        return None
    if base:
        shift_nodes(program.items, base)
        shift_diagnostics(diags, base)
        for c in lexed.comments:
            c.start += base
            c.end += base
    return split(region, base, program.items, diags, lexed.comments, False)


def _balanced(kinds: list[str]) -> bool:
    depth = 0
    for k in kinds:
        if k in ("{", "(", "["):
            depth += 1
        elif k in ("}", ")", "]"):
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
