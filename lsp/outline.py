"""Structure views of a document: symbols, folding, selection ranges, semantic
tokens and inlay hints (plain data; offsets are current code-point offsets).

Semantic tokens are computed per chunk, relative to the chunk's start, and
cached on the chunk (they depend only on its text and its own resolution, plus
the kinds of the top-level names it uses), so after an edit only the edited
chunk is re-tokenised; a range request visits only the chunks it overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast
from lang.lexer import lex
from lang.source import Source
from lang.tokens import (
    DURATION,
    FLOAT,
    IDENT,
    IMSTRING,
    INT,
    ISTRING,
    KEYWORDS,
    MSTRING,
    RAWSTRING,
    STRING,
)
from lsp.analysis import DocumentAnalysis, registry
from lsp.assist import decl_header
from lsp.navigation import path_at, target_at
from lsp.workspace import Analyzer

# --------------------------------------------------------------------------- symbols


@dataclass(slots=True)
class Sym:
    name: str
    kind: str  # function method struct enum enumMember field interface variable constant
    #            module typeParameter class
    detail: str
    start: int
    end: int
    sel_start: int
    sel_end: int
    children: list[Sym] = field(default_factory=list)
    uri: str = ""
    container: str = ""


def _sel(a: DocumentAnalysis, k: int, start: int, name: str) -> tuple[int, int]:
    return a.name_span(k, start, name)


def document_symbols(a: DocumentAnalysis) -> list[Sym]:
    out: list[Sym] = []
    for k, c in enumerate(a.chunks):
        for it in c.items:
            s = _item_symbol(a, k, it)
            if s is not None:
                out.extend(s)
    return out


def _item_symbol(a: DocumentAnalysis, k: int, it: ast.Node) -> list[Sym] | None:
    cls = type(it)
    s, e = a.span(k, it)
    if cls is ast.FnDecl or cls is ast.Pipeline:
        kind = "function"
        sym = Sym(it.name, kind, decl_header(a, k, it), s, e, *_sel(a, k, it.name_start, it.name))
        for st in it.body.stmts:
            sub = _item_symbol(a, k, st) if type(st) in (ast.FnDecl, ast.StructDecl,
                                                         ast.EnumDecl) else None
            if sub:
                sym.children.extend(sub)
        return [sym]
    if cls is ast.StructDecl:
        sym = Sym(it.name, "struct", "struct", s, e, *_sel(a, k, it.name_start, it.name))
        for f in it.fields:
            fs, fe = a.span(k, f)
            sym.children.append(Sym(f.name, "field", "", fs, fe, *_sel(a, k, f.start, f.name)))
        return [sym]
    if cls is ast.EnumDecl:
        sym = Sym(it.name, "enum", "enum", s, e, *_sel(a, k, it.name_start, it.name))
        for v in it.variants:
            vs, ve = a.span(k, v)
            sym.children.append(Sym(v.name, "enumMember", "", vs, ve, *_sel(a, k, v.start,
                                                                               v.name)))
        return [sym]
    if cls is ast.ImplBlock:
        sym = Sym(f"impl {it.name}", "class", "", s, e, *_sel(a, k, it.name_start, it.name))
        for m in it.methods:
            ms, me = a.span(k, m)
            sym.children.append(Sym(m.name, "method", decl_header(a, k, m), ms, me,
                                    *_sel(a, k, m.name_start, m.name)))
        return [sym]
    if cls is ast.InterfaceDecl:
        sym = Sym(it.name, "interface", "interface", s, e, *_sel(a, k, it.name_start, it.name))
        for m in it.methods:
            ms, me = a.span(k, m)
            sym.children.append(Sym(m.name, "method", "", ms, me,
                                    *_sel(a, k, m.name_start, m.name)))
        return [sym]
    if cls is ast.TypeAlias:
        return [Sym(it.name, "typeParameter", decl_header(a, k, it), s, e,
                    *_sel(a, k, it.name_start, it.name))]
    if cls is ast.Let:
        out = []
        res = a.resolution(k)
        for n in ast.walk(it.pattern):
            b = res.decls.get(n)
            if b is None and type(n) in (ast.DictPattern, ast.ListPattern):
                b = res.rest_decls.get(n)
            if b is not None:
                out.append(Sym(b.name, "variable" if it.mutable else "constant",
                               "var" if it.mutable else "let", s, e,
                               *a.name_span(k, b.start, b.name)))
        return out
    if cls is ast.Import:
        return [Sym(it.path, "module", "import", s, e, s, e)]
    return None


def workspace_symbols(ws: Analyzer, query: str, limit: int = 500) -> list[Sym]:
    q = query.lower()
    out: list[Sym] = []
    for a in ws.all_documents():
        for sym in document_symbols(a):
            for s in [sym, *sym.children]:
                if s.kind == "module":
                    continue
                if _subsequence(s.name.lower(), q):
                    s.uri = a.uri
                    if s is not sym:
                        s.container = sym.name
                    out.append(s)
                    if len(out) >= limit:
                        return _by_relevance(out, q)
    return _by_relevance(out, q)


def _by_relevance(syms: list[Sym], q: str) -> list[Sym]:
    """Exact names first, then prefixes, then other matches (stable otherwise)."""
    def rank(s: Sym) -> int:
        name = s.name.lower()
        return 0 if name == q else 1 if name.startswith(q) else 2
    return sorted(syms, key=rank)


def _subsequence(name: str, q: str) -> bool:
    i = 0
    for c in name:
        if i < len(q) and c == q[i]:
            i += 1
    return i == len(q)


# --------------------------------------------------------------------------- folding


FOLDABLE = (ast.Block, ast.StructDecl, ast.EnumDecl, ast.ImplBlock, ast.InterfaceDecl,
            ast.Match, ast.ListLit, ast.DictLit, ast.StructLit, ast.Call, ast.MethodCall)


def folding_ranges(a: DocumentAnalysis) -> list[tuple[int, int, str]]:
    """(first line, last line, kind) — lines 0-based; kind '', 'comment' or 'imports'."""
    src = a.source
    out: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()

    def add(start: int, end: int, kind: str = "", keep_last: bool = True) -> None:
        l0 = src.line_col(start)[0] - 1
        l1 = src.line_col(max(start, end - 1))[0] - 1
        if keep_last and kind == "":
            l1 -= 1
        if l1 > l0 and (l0, l1) not in seen:
            seen.add((l0, l1))
            out.append((l0, l1, kind))

    imports: list[tuple[int, int]] = []
    for k, c in enumerate(a.chunks):
        d = a.delta(k)
        for it in c.items:
            if type(it) is ast.Import:
                imports.append((it.start + d, it.end + d))
                continue
            for n in ast.walk(it):
                if isinstance(n, FOLDABLE):
                    add(n.start + d, n.end + d)
        run: list[ast.Comment] = []
        for cm in c.comments + [None]:  # type: ignore[list-item]
            if cm is not None and cm.kind in ("block", "doc_block"):
                add(cm.start + d, cm.end + d, "comment", False)
            if cm is not None and cm.kind in ("line", "doc_line") and run and \
                    a.text.count("\n", run[-1].end + d, cm.start + d) == 1:
                run.append(cm)
                continue
            if len(run) > 1:
                add(run[0].start + d, run[-1].end + d, "comment", False)
            run = [cm] if cm is not None and cm.kind in ("line", "doc_line") else []
    if len(imports) > 1:
        add(imports[0][0], imports[-1][1], "imports", False)
    out.sort()
    return out


# --------------------------------------------------------------------------- selection


def selection_ranges(a: DocumentAnalysis, offset: int) -> list[tuple[int, int]]:
    """Spans around ``offset``, innermost first, ending with the whole document."""
    spans: list[tuple[int, int]] = []
    if a.chunks:
        t = target_at(a, offset)
        if t is not None:
            spans.append(a.name_span(t.k, t.start, t.name))
        k = a.index_at(offset)
        for n in reversed(path_at(a.chunks[k].items, a.to_node(k, offset))):
            spans.append(a.span(k, n))
    spans.append((0, len(a.text)))
    out: list[tuple[int, int]] = []
    for s in spans:
        if out and (s[0] > out[-1][0] or s[1] < out[-1][1]):
            continue  # not enclosing the previous one
        if not out or s != out[-1]:
            out.append(s)
    return out


# --------------------------------------------------------------------------- semantic tokens

TOKEN_TYPES = [
    "namespace", "type", "struct", "enum", "interface", "typeParameter", "parameter",
    "variable", "property", "enumMember", "function", "method", "keyword", "string", "number",
    "comment", "operator", "decorator",
]
TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary", "documentation"]
_T = {n: i for i, n in enumerate(TOKEN_TYPES)}
DECL, READONLY, DEFAULT_LIB, DOC = 1, 2, 4, 8
BUILTIN_TYPES = frozenset({
    "int", "float", "string", "bool", "nil", "any", "unknown", "never", "list", "dict", "set",
    "iter", "Iter", "Generator", "generator", "Stream", "stream", "Result", "Pair", "Schema",
    "closure", "bytes", "range", "duration",
})
BINDING_TOKEN = {
    "param": ("parameter", 0), "let": ("variable", READONLY), "var": ("variable", 0),
    "for": ("variable", 0), "match": ("variable", READONLY), "catch": ("variable", READONLY),
    "fn": ("function", 0), "struct": ("struct", 0), "enum": ("enum", 0),
    "type": ("type", 0), "pipeline": ("function", 0), "import": ("function", 0),
    "parallel": ("parameter", 0), "placeholder": ("variable", READONLY),
}


class _Tokens(list):
    """Cached per chunk: (relative start, length, type, modifiers), sorted."""

    def shift(self, delta: int) -> None:  # relative offsets: nothing to do
        pass


def _classify(a: DocumentAnalysis, k: int) -> dict[int, tuple[int, int]]:
    """Relative offset of an identifier -> (token type, modifiers)."""
    c = a.chunks[k]
    base = c.base
    res = a.resolution(k)
    top = a.top_names()
    reg = registry()
    top_kinds: dict[str, str] = {}

    def top_kind(name: str) -> str:
        kind = top_kinds.get(name)
        if kind is None:
            k2, pk = top[name]
            decl = a.top_decl(k2, name)
            kind = {ast.StructDecl: "struct", ast.EnumDecl: "enum", ast.InterfaceDecl:
                    "interface", ast.TypeAlias: "type", ast.FnDecl: "function",
                    ast.Pipeline: "function"}.get(type(decl), "variable")
            if pk == "var" or pk == "import":
                kind = "variable" if pk == "var" else "function"
            top_kinds[name] = kind
        return kind
    out: dict[int, tuple[int, int]] = {}

    def put(start: int, kind: str, mods: int = 0) -> None:
        if start >= base:
            out[start - base] = (_T[kind], mods)

    def binding_kind(b, mods: int = 0) -> None:
        if b.kind == "import":
            return _imported_kind(b.name), mods
        kind, m = BINDING_TOKEN.get(b.kind, ("variable", 0))
        return kind, m | mods

    for it in c.items:
        stack: list[tuple[ast.Node, ast.Node | None]] = [(it, None)]
        while stack:
            n, parent = stack.pop()
            cls = type(n)
            if cls is ast.Name:
                b = res.uses.get(n) or res.decls.get(n)
                if b is not None:
                    kind, m = binding_kind(b, DECL if res.decls.get(n) is b else 0)
                    if type(parent) is ast.Call and parent.callee is n and kind == "variable":
                        kind = "function"
                    put(n.start, kind, m)
                elif n.name in top:
                    kind = top_kind(n.name)
                    put(n.start, kind, READONLY if kind == "variable" and
                        top[n.name][1] == "let" else 0)
                elif reg is not None and (n.name in reg.BUILTINS or n.name in reg.GLOBALS):
                    put(n.start, "function" if n.name in reg.BUILTINS else "variable",
                        DEFAULT_LIB)
                elif type(parent) is ast.Call and parent.callee is n:
                    put(n.start, "function")
            elif cls is ast.Member or cls is ast.MethodCall:
                if n in res.enum_refs or (type(n.obj) is ast.Name and n.obj.name in top and
                                          top_kind(n.obj.name) == "enum"):
                    put(n.obj.start, "enum")
                    put(n.name_start, "enumMember")
                else:
                    put(n.name_start, "method" if cls is ast.MethodCall else "property")
            elif cls is ast.FnDecl or cls is ast.Pipeline:
                put(n.name_start, "method" if type(parent) is ast.ImplBlock else "function",
                    DECL)
            elif cls is ast.StructDecl:
                put(n.name_start, "struct", DECL)
            elif cls is ast.EnumDecl:
                put(n.name_start, "enum", DECL)
            elif cls is ast.InterfaceDecl:
                put(n.name_start, "interface", DECL)
            elif cls is ast.TypeAlias:
                put(n.name_start, "type", DECL)
            elif cls is ast.ImplBlock:
                put(n.name_start, "struct")
            elif cls is ast.InterfaceMethod:
                put(n.name_start, "method", DECL)
            elif cls is ast.Param:
                put(n.name_start, "parameter", DECL)
            elif cls is ast.StructField:
                put(n.start, "property", DECL)
            elif cls is ast.Variant:
                put(n.start, "enumMember", DECL)
            elif cls is ast.NamePattern:
                b = res.decls.get(n)
                if b is not None:
                    kind, m = binding_kind(b, DECL)
                    put(n.start, kind, m)
            elif cls is ast.TypeName:
                if n.name in BUILTIN_TYPES:
                    put(n.start, "type", DEFAULT_LIB)
                elif n.name in top:
                    kind = top_kind(n.name)
                    put(n.start, kind if kind in ("struct", "enum", "interface") else "type")
                else:
                    put(n.start, "typeParameter")
            elif cls is ast.TypeParam:
                put(n.start, "typeParameter", DECL)
            elif cls is ast.StructLit:
                put(n.start, "struct")
                for e in n.entries:
                    if type(e) is ast.DictEntry and e.key_kind == "name":
                        put(e.key.start, "property")
            elif cls is ast.DictEntry and e_is_name_key(n):
                put(n.key.start, "property")
            elif cls is ast.Attribute:
                put(n.start + 1, "decorator")
            elif cls is ast.ImportName:
                put(n.start, _imported_kind(n.name))
            for child in ast.children(n):
                stack.append((child, n))
    return out


def _imported_kind(name: str) -> str:
    """Without reading the other module: capitalised names are types by convention."""
    return "type" if name[:1].isupper() else "function"


def e_is_name_key(n: ast.DictEntry) -> bool:
    return n.key_kind == "name" and type(n.key) is ast.StringLit


def chunk_tokens(a: DocumentAnalysis, k: int) -> list[tuple[int, int, int, int]]:
    c = a.chunks[k]
    a.resolution(k)  # first: a new resolution drops the cached entry
    cached = c.cache.get("tokens")
    if cached is not None:
        return cached
    lexed = lex(Source(c.text))
    idents = _classify(a, k)
    out: list[tuple[int, int, int, int]] = []
    arr = lexed.arrays
    for kind, start, end in zip(arr.kinds, arr.starts, arr.ends, strict=False):
        if kind == IDENT:
            hit = idents.get(start)
            if hit is not None:
                out.append((start, end - start, hit[0], hit[1]))
        elif kind in KEYWORDS:
            out.append((start, end - start, _T["keyword"], 0))
        elif kind in (STRING, RAWSTRING, MSTRING, ISTRING, IMSTRING):
            out.append((start, end - start, _T["string"], 0))
        elif kind in (INT, FLOAT, DURATION):
            out.append((start, end - start, _T["number"], 0))
        elif kind == "@":
            out.append((start, 1, _T["decorator"], 0))
    for cm in lexed.comments:
        mods = DOC if cm.kind.startswith("doc") else 0
        out.append((cm.start, cm.end - cm.start, _T["comment"], mods))
    interp = _interpolations(c, idents)
    if interp:
        out = _split_strings(out, interp)
    out.sort()
    result = _Tokens(out)
    c.cache["tokens"] = result
    return result


def _interpolations(c, idents: dict[int, tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Identifier tokens inside ``${...}`` (the lexer reports the string as one token)."""
    if "${" not in c.text:
        return []
    out = []
    base = c.base
    for it in c.items:
        for n in ast.walk(it):
            if type(n) is ast.InterpString:
                for part in n.parts:
                    if isinstance(part, ast.Node):
                        for sub in ast.walk(part):
                            rel = sub.start - base
                            name = getattr(sub, "name", None)
                            if type(sub) is ast.Name and rel in idents:
                                t, m = idents[rel]
                                out.append((rel, len(name), t, m))
    return out


def _split_strings(tokens, inner):
    """Cut string tokens around the identifier tokens found inside them."""
    inner.sort()
    out = []
    for tok in tokens:
        start, length, typ, mods = tok
        if typ != _T["string"]:
            out.append(tok)
            continue
        end = start + length
        pos = start
        for s, ln, t, m in inner:
            if start <= s and s + ln <= end and s >= pos:
                if s > pos:
                    out.append((pos, s - pos, typ, mods))
                out.append((s, ln, t, m))
                pos = s + ln
        if pos < end:
            out.append((pos, end - pos, typ, mods))
    return out


def semantic_tokens(a: DocumentAnalysis, lo: int = 0, hi: int | None = None
                    ) -> list[tuple[int, int, int, int]]:
    """Absolute (start, length, type, modifiers) of the tokens overlapping [lo, hi)."""
    hi = len(a.text) if hi is None else hi
    out: list[tuple[int, int, int, int]] = []
    if not a.chunks:
        return out
    k0 = a.index_at(lo)
    for k in range(k0, len(a.chunks)):
        start = a.doc.starts[k]
        if start >= hi and k > k0:
            break
        for rel, ln, t, m in chunk_tokens(a, k):
            s = start + rel
            if s + ln > lo and s < hi:
                out.append((s, ln, t, m))
    return out


# --------------------------------------------------------------------------- inlay hints

LITERALS = (ast.IntLit, ast.FloatLit, ast.StringLit, ast.BoolLit, ast.NilLit, ast.DurationLit,
            ast.InterpString)


@dataclass(slots=True)
class Hint:
    offset: int
    label: str
    kind: str  # type | parameter
    pad_left: bool = False
    pad_right: bool = False


def inlay_hints(ws: Analyzer | None, a: DocumentAnalysis, lo: int, hi: int) -> list[Hint]:
    out: list[Hint] = []
    if not a.chunks:
        return out
    for k in range(a.index_at(lo), len(a.chunks)):
        if a.doc.starts[k] >= hi:
            break
        c = a.chunks[k]
        for it in c.items:
            for n in ast.walk(it):
                cls = type(n)
                if cls is ast.Let:
                    _let_hint(a, k, n, out)
                elif cls is ast.Call:
                    _param_hints(ws, a, k, n, out)
    return [h for h in out if lo <= h.offset <= hi]


def _let_hint(a: DocumentAnalysis, k: int, n: ast.Let, out: list[Hint]) -> None:
    if n.type is not None or type(n.pattern) is not ast.NamePattern:
        return
    if isinstance(n.value, LITERALS) or n.pattern.name == "_":
        return
    ty = a.binding_type(k, n.pattern)
    if not ty or ty in ("_",):
        return
    out.append(Hint(a.abs(k, n.pattern.end), f": {ty}", "type"))


def _param_hints(ws: Analyzer | None, a: DocumentAnalysis, k: int, call: ast.Call,
                 out: list[Hint]) -> None:
    from lsp.navigation import top_symbol

    if not call.args:
        return
    names: list[str] = []
    rest_at = None
    sym = top_symbol(ws, a, call.callee.name, a.abs(k, call.start))
    if sym is not None and type(sym.decl) is ast.FnDecl:
        names = [p.name for p in sym.decl.params]
        rest_at = next((i for i, p in enumerate(sym.decl.params) if p.rest), None)
    elif sym is None:
        reg = registry()
        b = reg.BUILTINS.get(call.callee.name) if reg is not None else None
        if b is not None:
            try:
                params = b.signature.params
            except Exception:
                return
            names = [p.name for p in params]
            rest_at = next((i for i, p in enumerate(params) if p.rest), None)
    if len(names) < 2:
        return
    for i, arg in enumerate(call.args):
        if type(arg) is ast.Spread:
            return
        if i >= len(names) or (rest_at is not None and i > rest_at):
            return
        name = names[i]
        if type(arg) is ast.Name and arg.name == name:
            continue
        out.append(Hint(a.abs(k, arg.start), f"{name}:", "parameter", pad_right=True))
