"""What the language server knows about one document version (no pygls here).

:class:`DocumentAnalysis` wraps a :class:`lsp.chunks.ChunkedText` and computes,
lazily and cached on the chunks, everything the features ask for: the
resolver's bindings per chunk, checker diagnostics and type facts, lint
diagnostics, the top-level symbol table and the published diagnostics.

Checking after an edit. Each chunk has a *signature key* (:mod:`lsp.items`:
what other items can see of it through the checker's root scope). The
*environment key* of a version is a hash of all signature keys. While it
stays the same, only chunks that were re-parsed are re-checked, each alone,
in a program made of *stubs* (bodiless clones at offset -1) of the
declarations it refers to (closed over the types their signatures mention,
impl blocks included) followed by its own items; a name only ``let``s provide
becomes one placeholder ``let``. When the environment changes, every chunk
is normalised and the whole program is checked once. Lint rules are
name-based over the whole file, so lint runs whole-document too, but off the
fast path: until it has run, the lint diagnostics of the edited chunk are
carried over from the previous version (shifted, dropped where the edit
touched them) — see :meth:`DocumentAnalysis.lint_is_fresh`.

LSP rule (types.md §1): if any chunk has a syntax error, only syntax errors are
published; otherwise checker diagnostics (non-strict) plus lint diagnostics.

Resolution is per chunk too (:func:`chunk_resolution`), told which names other
chunks declare (or import) as enums, so ``E.V(x)`` patterns bind ``x`` whatever
chunk ``E`` lives in.

Document-wide tables (environment key, declaration index, enum names, chunks with
syntax errors or diagnostics) are carried over from the previous version when
an edit keeps the number of chunks, so the fast path is O(edited chunk), not
O(document).

Dependencies that may be missing are reached through one adapter each
(:func:`checker`, :func:`linter`, :func:`formatter`, :func:`registry`), which
return None when the module is not importable (parse-only diagnostics, no
types, no builtin docs), so features degrade instead of failing.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic
from lang.resolve import Binding, Resolution, Resolver, pattern_names
from lang.source import Source, ensure_recursion_limit
from lsp import chunks as ch
from lsp.chunks import Chunk, ChunkedText
from lsp.items import (
    IMPORTS,
    NEG,
    chunk_stubs,
    provides,
    references,
    signature_key,
    signature_refs,
)

log = logging.getLogger("lsp.analysis")


class Cancelled(Exception):
    """Raised inside analysis work when a newer version superseded it."""


@dataclass(slots=True)
class CancelToken:
    cancelled: bool = False

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()


NEVER = CancelToken()

# --------------------------------------------------------------------------- adapters

_MODULES: dict[str, object] = {}


def _optional(name: str):
    """Import an optional project module once; None when missing or broken."""
    if name not in _MODULES:
        try:
            _MODULES[name] = importlib.import_module(name)
        except Exception as exc:  # a half-written dependency must not take the server down
            log.warning("optional module %s unavailable: %s", name, exc)
            _MODULES[name] = None
    return _MODULES[name]


def checker():
    return _optional("typechecker.api")


def linter():
    return _optional("typechecker.lint")


def formatter():
    return _optional("lang.formatter")


def registry():
    """The builtin registry (``vm.stdlib``), populated."""
    return _optional("vm.stdlib")


def show_type(t) -> str | None:
    if t is None:
        return None
    api = checker()
    try:
        return api.show(t) if api is not None and hasattr(api, "show") else str(t)
    except Exception:
        return None


def _run_check(program: ast.Program, src: Source, imported=None):
    """Check diagnostics and facts for ``program``, or None without a checker.
    ``imported``: what the document's imports bring in, as the workspace sees it."""
    api = checker()
    if api is None:
        return None
    try:
        return api.check_program(program, src, path=None, strict=False,
                                 module_graph=imported)
    except Exception:
        log.exception("checker failed")
        return None


def _run_lint(program: ast.Program, src: Source) -> list[Diagnostic]:
    mod = linter()
    if mod is None:
        return []
    try:
        return mod.lint_program(program, src)
    except Exception:
        log.exception("linter failed")
        return []


# --------------------------------------------------------------------------- per-chunk facts


@dataclass(slots=True)
class CheckInfo:
    env: object
    diags: list[Diagnostic]
    result: object | None  # typechecker.api.CheckResult (node-keyed tables) or None

    def shift(self, delta: int) -> None:
        ch.shift_diagnostics(self.diags, delta)


@dataclass(slots=True)
class LintInfo:
    diags: list[Diagnostic]
    fresh: bool

    def shift(self, delta: int) -> None:
        ch.shift_diagnostics(self.diags, delta)


@dataclass(slots=True)
class ResInfo:
    res: Resolution
    enums: frozenset[str] = frozenset()  # other chunks' enums the resolution assumed

    def shift(self, delta: int) -> None:
        res = self.res
        for s in res.scopes:
            s.start += delta
            s.end += delta
        for b in res.bindings:
            b.start += delta
            b.visible_from += delta
        for b in res.placeholders.values():
            b.start += delta
            b.visible_from += delta


def chunk_resolution(chunk: Chunk, enums: frozenset[str] = frozenset()) -> Resolution:
    """The resolver's bindings for the chunk's items alone. ``enums`` are enum names
    declared (or imported) by other chunks: ``E.V`` and the match pattern
    ``E.V(x)`` mean a variant (binding ``x``) only when ``E`` is known to be an enum."""
    info = chunk.cache.get("res")
    if info is None or info.enums != enums:
        lo = chunk.base
        ensure_recursion_limit()
        resolver = Resolver(ast.Program(lo, lo + len(chunk.text), chunk.items))
        for name in enums:
            resolver.res.enum_decls[name] = _ENUM_ELSEWHERE
        try:
            res = resolver.run()
        except RecursionError:  # a pathologically deep expression: what was resolved
            res = resolver.res
        for name in enums:
            if res.enum_decls.get(name) is _ENUM_ELSEWHERE:
                del res.enum_decls[name]
        info = ResInfo(res, enums)
        chunk.cache["res"] = info
        for key in ("free", "tokens"):  # derived from the resolution
            chunk.cache.pop(key, None)
    return info.res


_ENUM_ELSEWHERE = ast.EnumDecl(start=NEG, end=NEG, name="", name_start=NEG, variants=[])


# --------------------------------------------------------------------------- the analysis


@dataclass(slots=True)
class TopSymbol:
    """A top-level binding of the document: the chunk that declares it and its binding."""

    k: int
    binding: Binding


class DocumentAnalysis:
    """One document version; every query method takes and returns current offsets."""

    def __init__(self, uri: str, path: str | None, version: int | None,
                 doc: ChunkedText, previous: DocumentAnalysis | None = None) -> None:
        self.uri = uri
        self.path = path
        self.version = version
        self.doc = doc
        self.text = doc.text
        self.source = Source(doc.text, path or uri)
        self._env: int | None = None
        self._decl_index: dict[str, list[int]] | None = None
        self._enums: frozenset[str] | None = None
        self._line_starts: list[int] | None = None
        self._syntax: int | None = None  # chunks with syntax errors
        self._checked_env: int | None = None  # every chunk checked under this env
        self._diag_chunks: list[int] | None = None  # chunks holding check/lint diagnostics
        self._lint_fresh = False
        self.imported = None  # typechecker ImportInfo set by the workspace (None: unknown)
        self._import_key: object = None
        if previous is not None and not doc.full_parse:
            self._carry(previous)
            self._carry_lint(previous)

    def set_imports(self, info, key: object, prev_key: object) -> None:
        """What the imports bind (the checker's ``ImportInfo``); ``key`` fingerprints
        it, so a change in an imported module re-checks this document."""
        self.imported, self._import_key = info, key
        if key != prev_key:
            self._env = self._checked_env = None

    def _carry(self, prev: DocumentAnalysis) -> None:
        """Derive document-wide tables from the previous version in O(edited chunks)
        when the edit kept the number of chunks (the usual edit inside one item)."""
        doc = self.doc
        new_lo, new_hi = doc.reparsed
        old_lo, old_hi = doc.replaced
        if new_hi - new_lo == 0 and old_hi - old_lo == 0:
            self._env, self._decl_index = prev._env, prev._decl_index
            self._enums = prev._enums
            self._syntax, self._checked_env = prev._syntax, prev._checked_env
            self._diag_chunks, self._lint_fresh = prev._diag_chunks, prev._lint_fresh
            return
        old = prev.doc.chunks[old_lo:old_hi]
        new = doc.chunks[new_lo:new_hi]
        if prev._syntax is not None:
            self._syntax = prev._syntax - sum(c.has_syntax_errors for c in old) + \
                sum(c.has_syntax_errors for c in new)
        if len(old) != len(new):
            return
        same_sig = all(signature_key(a) == signature_key(b) for a, b in zip(old, new,
                                                                              strict=True))
        if same_sig and prev._env is not None:
            self._env = prev._env
            self._checked_env = prev._checked_env
        if same_sig:  # same declarations and imports, so the same enums
            self._enums = prev._enums
        if prev._decl_index is not None and all(
                provides(a) == provides(b) for a, b in zip(old, new, strict=True)):
            self._decl_index = prev._decl_index
        if prev._diag_chunks is not None:
            keep = [k for k in prev._diag_chunks if not old_lo <= k < old_hi]
            self._diag_chunks = sorted(set(keep) | set(range(new_lo, new_hi)))
    # ------------------------------------------------------------ building

    @classmethod
    def create(cls, uri: str, path: str | None, version: int | None, text: str,
               previous: DocumentAnalysis | None = None) -> DocumentAnalysis:
        if previous is None:
            doc = ch.build(text)
        else:
            doc = ch.update(previous.doc, text)
        return cls(uri, path, version, doc, previous)

    @property
    def chunks(self) -> list[Chunk]:
        return self.doc.chunks

    def delta(self, k: int) -> int:
        return self.doc.delta(k)

    def index_at(self, offset: int) -> int:
        return self.doc.index_at(offset)

    def to_node(self, k: int, offset: int) -> int:
        """A current offset as a node coordinate of chunk ``k``."""
        return offset - self.doc.delta(k)

    def abs(self, k: int, node_offset: int) -> int:
        return node_offset + self.doc.delta(k)

    def span(self, k: int, node: ast.Node) -> tuple[int, int]:
        d = self.doc.delta(k)
        return node.start + d, node.end + d

    def name_span(self, k: int, start: int, name: str) -> tuple[int, int]:
        d = self.doc.delta(k)
        return start + d, start + d + len(name)

    def adopt_line_starts(self, starts: list[int]) -> None:
        """Use a line table computed elsewhere for this exact text (never mutated)."""
        if starts and starts[-1] <= len(self.text):
            self._line_starts = starts
            self.source._line_starts = starts

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = self.source.line_starts
        return self._line_starts

    # ------------------------------------------------------------ symbols

    def env_key(self) -> int:
        """A hash of every chunk's signature key (compared per chunk, so kept small)."""
        if self._env is None:
            keys = tuple(signature_key(c) for c in self.chunks)
            self._env = hash((len(keys), keys, self._import_key))
        return self._env

    def decl_index(self) -> dict[str, list[int]]:
        """Root-scope name -> indices of the chunks providing it."""
        if self._decl_index is None:
            idx: dict[str, list[int]] = {}
            for k, c in enumerate(self.chunks):
                for name in provides(c):
                    idx.setdefault(name, []).append(k)
            self._decl_index = idx
        return self._decl_index

    def resolution(self, k: int) -> Resolution:
        chunk = self.chunks[k]
        enums = self.enum_names()
        if enums:
            enums = enums & references(chunk)
        return chunk_resolution(chunk, enums)

    def enum_names(self) -> frozenset[str]:
        """Top-level enums of the document, plus capitalised names imported by name
        (possibly enums of another module; the resolver only needs to know a name
        may be one to read ``E.V(x)`` in a pattern as a variant)."""
        if self._enums is None:
            names: set[str] = set()
            for c in self.chunks:
                for it in c.items:
                    cls = type(it)
                    if cls is ast.EnumDecl:
                        names.add(it.name)
                    elif cls is ast.Import and it.names:
                        names.update(n.name for n in it.names if n.name[:1].isupper())
            self._enums = frozenset(names)
        return self._enums

    def lookup_top(self, name: str, offset: int | None = None) -> TopSymbol | None:
        """The top-level binding ``name`` denotes at ``offset`` (the last one declared
        before it, else the first)."""
        cands = self.top_bindings(name)
        if not cands:
            return None
        if offset is None:
            return cands[0]
        best = None
        for s in cands:
            if self.abs(s.k, s.binding.start) <= offset:
                best = s
        return best or cands[0]

    def top_bindings(self, name: str) -> list[TopSymbol]:
        """Module-level bindings of ``name``; only the chunks providing it are resolved."""
        cands: list[TopSymbol] = []
        for k in self.decl_index().get(name, ()):
            if not self.chunks[k].items:
                continue
            root = self.resolution(k).root
            if root is None:
                continue
            cands.extend(TopSymbol(k, b) for b in root.bindings.get(name, ()))
        if not cands:
            for k, c in enumerate(self.chunks):  # imports are not in the checker's root
                for it in c.items:
                    if type(it) is ast.Import:
                        root = self.resolution(k).root
                        if root is not None:
                            cands.extend(TopSymbol(k, b) for b in root.bindings.get(name, ()))
        return cands

    def top_names(self) -> dict[str, tuple[int, str]]:
        """Top-level names -> (providing chunk, kind), without resolving anything."""
        out: dict[str, tuple[int, str]] = {}
        for name, ks in self.decl_index().items():
            for k in ks:
                kind = provides(self.chunks[k]).get(name, "")
                if kind not in ("hoisted", "method", "import"):
                    out[name] = (k, kind)
                    break
        for k, c in enumerate(self.chunks):
            for it in c.items:
                if type(it) is ast.Import:
                    for b in self.resolution(k).root.bindings.values():
                        for x in b:
                            out.setdefault(x.name, (k, "import"))
        return out

    def top_decl(self, k: int, name: str) -> ast.Node | None:
        """The declaration of top-level ``name`` among chunk ``k``'s items."""
        for it in self.chunks[k].items:
            if getattr(it, "name", None) == name and type(it) is not ast.ImplBlock:
                return it
            if type(it) is ast.Let and name in pattern_names(it.pattern):
                return it
        return None

    # ------------------------------------------------------------ checking

    @property
    def has_syntax_errors(self) -> bool:
        if self._syntax is None:
            self._syntax = sum(1 for c in self.chunks if c.has_syntax_errors)
        return self._syntax > 0

    def ensure_checked(self, token: CancelToken = NEVER) -> None:
        """Check every chunk whose facts are missing or were made in another environment."""
        if checker() is None:
            return
        env = self.env_key()
        if self._checked_env == env:
            lo, hi = self.doc.reparsed
            candidates = range(lo, hi)
        else:
            candidates = range(len(self.chunks))
        stale = [k for k in candidates if self.chunks[k].items and (
            self.chunks[k].cache.get("check") is None or self.chunks[k].cache["check"].env != env)]
        if stale:
            foreign_env = self._checked_env != env and any(
                c.cache.get("check") is not None and c.cache["check"].env != env
                for c in self.chunks if c.items)
            if foreign_env or len(stale) > max(8, len(self.chunks) // 4):
                self.check_whole(token)
            else:
                for k in stale:
                    token.check()
                    self.check_chunk(k)
        self._checked_env = env

    def check_whole(self, token: CancelToken = NEVER) -> None:
        token.check()
        self.doc.normalize()
        items = self.doc.items()
        result = _run_check(ast.Program(0, len(self.text), items), self.source,
                            self.imported)
        token.check()
        env = self.env_key()
        per_chunk: list[list[Diagnostic]] = [[] for _ in self.chunks]
        if result is not None:
            for d in result.diagnostics:
                if d.start < 0:
                    continue
                per_chunk[self.doc.index_at(d.start)].append(d)
        for k, c in enumerate(self.chunks):
            c.cache["check"] = CheckInfo(env, per_chunk[k], result)
        self._diag_chunks = None

    def check_chunk(self, k: int) -> CheckInfo:
        chunk = self.chunks[k]
        chunk.normalize(self.doc.starts[k])
        items = self._stubs_for(k) + list(chunk.items)
        lo, hi = self.doc.starts[k], self.doc.end_of(k)
        result = _run_check(ast.Program(lo, hi, items), self.source, self.imported)
        diags = []
        if result is not None:
            diags = [d for d in result.diagnostics if lo <= d.start <= hi and d.start >= 0]
        info = CheckInfo(self.env_key(), diags, result)
        chunk.cache["check"] = info
        if diags and self._diag_chunks is not None and k not in self._diag_chunks:
            self._diag_chunks = sorted([*self._diag_chunks, k])
        return info

    def _stubs_for(self, k: int) -> list[ast.Node]:
        """Stubs of the declarations chunk ``k`` can see by name, closed over the types
        their signatures mention. A name that only ``let``s provide becomes one
        placeholder ``let`` (what the checker's root holds for it), not every provider."""
        idx = self.decl_index()
        # imports bind names the checker must know wherever they are used
        wanted: set[int] = {j for j in idx.get(IMPORTS, ()) if j != k}
        lets: dict[str, bool] = {}
        pending = set(references(self.chunks[k]))
        seen_names: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen_names:
                continue
            seen_names.add(name)
            for j in idx.get(name, ()):
                if j == k or j in wanted:
                    continue
                kind = provides(self.chunks[j]).get(name)
                if kind in ("let", "var", "hoisted"):
                    lets[name] = lets.get(name, False) or kind == "var"
                    continue
                wanted.add(j)
                pending |= signature_refs(self.chunks[j])
                for n, kind2 in provides(self.chunks[j]).items():
                    if kind2 in ("type", "impl"):
                        pending.add(n)
        out: list[ast.Node] = []
        for j in sorted(wanted):
            out.extend(chunk_stubs(self.chunks[j]))
        for name, mutable in sorted(lets.items()):
            out.append(ast.Let(NEG, NEG, ast.NamePattern(NEG, NEG, name), None,
                               ast.Name(NEG, NEG, "__lsp_stub"), mutable))
        return out

    def check_info(self, k: int) -> CheckInfo | None:
        """Facts for chunk ``k`` (checking it on demand)."""
        c = self.chunks[k]
        info = c.cache.get("check")
        if info is None or info.env != self.env_key():
            if checker() is None or not c.items:
                return None
            info = self.check_chunk(k)
        return info

    def facts(self, k: int):
        info = self.check_info(k)
        return None if info is None else info.result

    def type_of(self, k: int, node: ast.Node) -> str | None:
        """The printed static type of an expression node of chunk ``k``."""
        result = self.facts(k)
        if result is None:
            return None
        t = result.expr_types.get(node)
        return show_type(t)

    def binding_type(self, k: int, node: ast.Node) -> str | None:
        result = self.facts(k)
        if result is None:
            return None
        t = result.binding_types.get(node)
        if t is None:
            t = result.expr_types.get(node)
        return show_type(t)

    def fn_signature(self, name: str, k: int | None = None):
        """The checker's FnSig for a user function (None when unknown)."""
        ks = [k] if k is not None else list(self.decl_index().get(name, ()))[:1]
        for j in ks:
            result = self.facts(j)
            if result is not None:
                try:
                    sig = result.root.lookup_fn(name)
                except Exception:
                    sig = None
                if sig is not None:
                    return sig
        return None

    # ------------------------------------------------------------ lint

    def _carry_lint(self, previous: DocumentAnalysis) -> None:
        """Give re-parsed chunks the previous version's lint diagnostics that the edit
        did not touch, so warnings do not flicker until the whole-file lint reruns."""
        first, end = self.doc.reparsed
        if first >= end:
            return
        old = previous.doc
        new_lo = self.doc.starts[first]
        new_hi = self.doc.end_of(end - 1)
        growth = len(self.text) - len(previous.text)
        old_lo, old_hi = new_lo, new_hi - growth
        p = ch.common_prefix(previous.text[old_lo:old_hi], self.text[new_lo:new_hi]) + old_lo
        s = ch.common_suffix(previous.text[old_lo:old_hi], self.text[new_lo:new_hi],
                             min(old_hi - p, new_hi - p))
        carried: list[Diagnostic] = []
        for k in range(old.index_at(old_lo), len(old.chunks)):
            if old.starts[k] >= old_hi:
                break
            info = old.chunks[k].cache.get("lint")
            if info is None:
                continue
            d_old = old.delta(k)
            for d in info.diags:
                a, b = d.start + d_old, d.end + d_old
                if b <= p:
                    shift = 0
                elif a >= old_hi - s:
                    shift = growth
                else:
                    continue
                carried.append(_moved(d, a + shift - d.start))
        for k in range(first, end):
            lo, hi = self.doc.starts[k], self.doc.end_of(k)
            mine = [d for d in carried if lo <= d.start < hi or (k == end - 1 and d.start == hi)]
            self.chunks[k].cache["lint"] = LintInfo(mine, False)

    def lint_is_fresh(self) -> bool:
        if not self._lint_fresh:
            self._lint_fresh = all(
                (info := c.cache.get("lint")) is not None and info.fresh for c in self.chunks)
        return self._lint_fresh

    def ensure_linted(self, token: CancelToken = NEVER) -> None:
        if self.lint_is_fresh():
            return
        token.check()
        self.doc.normalize()
        diags = _run_lint(ast.Program(0, len(self.text), self.doc.items()), self.source)
        token.check()
        per_chunk: list[list[Diagnostic]] = [[] for _ in self.chunks]
        for d in diags:
            per_chunk[self.doc.index_at(max(0, d.start))].append(d)
        for k, c in enumerate(self.chunks):
            c.cache["lint"] = LintInfo(per_chunk[k], True)
        self._lint_fresh = True
        self._diag_chunks = None

    # ------------------------------------------------------------ diagnostics

    def diagnostics(self, token: CancelToken = NEVER, lint: bool = True) -> list[Diagnostic]:
        """Published diagnostics with current offsets (types.md §1, LSP row)."""
        out: list[Diagnostic] = []
        if self.has_syntax_errors:
            for k, c in enumerate(self.chunks):
                d = self.delta(k)
                out.extend(_moved(x, d) for x in c.syntax)
            return out
        self.ensure_checked(token)
        if lint and not self._lint_fresh and self.doc.full_parse and not any(
                c.cache.get("lint") is not None for c in self.chunks):
            self.ensure_linted(token)
        if self._diag_chunks is None:
            self._diag_chunks = [
                k for k, c in enumerate(self.chunks)
                if (c.cache.get("check") is not None and c.cache["check"].diags) or
                (c.cache.get("lint") is not None and c.cache["lint"].diags)]
        for k in self._diag_chunks:
            c = self.chunks[k]
            d = self.delta(k)
            info = c.cache.get("check")
            if info is not None:
                out.extend(_moved(x, d) for x in info.diags)
            linfo = c.cache.get("lint")
            if lint and linfo is not None:
                out.extend(_moved(x, d) for x in linfo.diags)
        if self.imported is not None and self.imported.unresolved:
            api = checker()
            if api is not None and hasattr(api, "preflight_diagnostics"):
                out.extend(api.preflight_diagnostics(self.imported.unresolved))
        return out

    def all_diagnostics_of(self, pred: Callable[[Diagnostic], bool]) -> list[Diagnostic]:
        return [d for d in self.diagnostics() if pred(d)]


def _moved(d: Diagnostic, delta: int) -> Diagnostic:
    """A copy of ``d`` shifted by ``delta`` (cached diagnostics are never handed out)."""
    fd = delta
    fix = d.fix
    if fix is not None:
        from lang.diagnostics import Edit, Fix

        fix = Fix(fix.title, [Edit(e.start + fd, e.end + fd, e.text) for e in fix.edits])
    related = d.related
    if related:
        from lang.diagnostics import Related

        related = [Related(r.message, r.start + delta if r.path is None else r.start,
                           r.end + delta if r.path is None else r.end, r.path) for r in related]
    return Diagnostic(d.severity, d.code, d.message, d.start + delta, d.end + delta,
                      d.located, d.help, related, fix, d.source, d.data)


@dataclass(slots=True)
class Location:
    """A span in a document of the workspace (current offsets)."""

    uri: str
    start: int
    end: int
    analysis: DocumentAnalysis | None = field(default=None, repr=False)
