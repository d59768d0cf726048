"""What is under the cursor, what it names, and where else that name is used.

:func:`target_at` finds the identifier at an offset (descending the chunk's
item to the innermost node, then asking each node on the way back up whether
one of its names covers the offset). :func:`symbol_of` says what the
identifier denotes:

* ``Local`` — a binding of the resolver inside a function, block, arm...;
* ``Top`` — a top-level declaration of some document (imports are followed to
  the module that declares the name, so every importer shares one symbol);
* ``Member`` — a struct field, an impl method or an enum variant, found from
  the receiver's static type (``self`` inside ``impl S`` is ``S``); where the
  checker has none (calls into other modules, struct fields), from the
  declarations (:func:`declared_type`: a ``let``'s initialiser, a function's or
  method's return type, a field's type); else by name when only one
  declaration in the document fits;
* ``Module`` — the file an import path names; ``Builtin`` — a registry entry.

:func:`occurrences` lists every span naming a symbol, across the workspace for
top-level and member symbols (the declaring document and the documents that
import it). References, highlights and rename are views of that list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast
from lang.resolve import Binding
from lsp.analysis import DocumentAnalysis, registry
from lsp.workspace import Analyzer

DECL_NAMED = (ast.FnDecl, ast.StructDecl, ast.EnumDecl, ast.InterfaceDecl, ast.TypeAlias,
              ast.Pipeline, ast.InterfaceMethod, ast.Param)


@dataclass(slots=True)
class Target:
    k: int
    kind: str  # name decl member method field_decl variant_decl type struct_key import_name
    #            import_path tparam
    name: str
    start: int  # node coordinates of chunk k
    node: ast.Node
    path: list[ast.Node]

    @property
    def end(self) -> int:
        return self.start + len(self.name)


@dataclass(slots=True, eq=False)
class Symbol:
    kind: str  # local top field method variant module builtin
    name: str
    doc: DocumentAnalysis | None = None
    k: int = -1
    binding: Binding | None = None
    owner: str = ""  # struct or enum name for members
    decl: ast.Node | None = None  # declaring node (chunk k of doc)
    extra: dict = field(default_factory=dict)

    def same(self, other: Symbol) -> bool:
        if self.kind != other.kind or self.name != other.name:
            return False
        if self.kind == "local":
            return self.binding is other.binding
        if self.kind in ("top", "module"):
            return self.doc is not None and other.doc is not None and \
                self.doc.uri == other.doc.uri
        return self.owner == other.owner


@dataclass(slots=True)
class Occurrence:
    doc: DocumentAnalysis
    start: int  # current offsets
    end: int
    write: bool = False
    is_decl: bool = False


# --------------------------------------------------------------------------- locating


def path_at(items: list[ast.Node], off: int) -> list[ast.Node]:
    """Nodes containing ``off`` from the outermost item inward."""
    out: list[ast.Node] = []
    level: list[ast.Node] = list(items)
    while True:
        hit = None
        for n in level:
            if n.start <= off < n.end:
                hit = n
                break
        if hit is None:
            for n in level:
                if n.start <= off <= n.end:
                    hit = n
        if hit is None:
            return out
        out.append(hit)
        level = ast.children(hit)


def _within(off: int, start: int, name: str) -> bool:
    return start >= 0 and start <= off <= start + len(name)


def _ident(node: ast.Node, off: int, parent: ast.Node | None) -> tuple[str, str, int] | None:
    cls = type(node)
    if cls is ast.Name:
        if node.start <= off <= node.end:
            return "name", node.name, node.start
        return None
    if cls is ast.Member or cls is ast.MethodCall:
        if _within(off, node.name_start, node.name):
            return ("member" if cls is ast.Member else "method"), node.name, node.name_start
        return None
    if cls is ast.ImplBlock:
        if _within(off, node.name_start, node.name):
            return "type", node.name, node.name_start
        return None
    if cls in DECL_NAMED:
        if _within(off, node.name_start, node.name):
            return "decl", node.name, node.name_start
        return None
    if cls is ast.StructField:
        if _within(off, node.start, node.name):
            return "field_decl", node.name, node.start
        return None
    if cls is ast.Variant:
        if _within(off, node.start, node.name):
            return "variant_decl", node.name, node.start
        return None
    if cls is ast.NamePattern:
        if _within(off, node.start, node.name):
            return "decl", node.name, node.start
        return None
    if cls is ast.DictPatternField:
        if _within(off, node.binds_start, node.binds):
            return "decl", node.binds, node.binds_start
        return None
    if cls is ast.ListPatternElem:
        if _within(off, node.start, node.name):
            return "decl", node.name, node.start
        return None
    if cls is ast.DictPattern or cls is ast.ListPattern:
        if node.rest and _within(off, node.rest_start, node.rest):
            return "decl", node.rest, node.rest_start
        return None
    if cls is ast.TypeName:
        if _within(off, node.start, node.name):
            return "type", node.name, node.start
        return None
    if cls is ast.StructLit:
        if _within(off, node.start, node.name):
            return "type", node.name, node.start
        return None
    if cls is ast.DictEntry and type(parent) is ast.StructLit and node.key_kind == "name":
        key = node.key
        if type(key) is ast.StringLit and _within(off, key.start, key.value):
            return "struct_key", key.value, key.start
        return None
    if cls is ast.ImportName:
        if _within(off, node.start, node.name):
            return "import_name", node.name, node.start
        return None
    if cls is ast.Import:
        if node.path_start <= off <= node.path_start + len(node.path) + 2:
            return "import_path", node.path, node.path_start
        return None
    if cls is ast.Try:
        if node.catch_name and _within(off, node.catch_name_start, node.catch_name):
            return "decl", node.catch_name, node.catch_name_start
        return None
    if cls is ast.Parallel:
        if node.param and _within(off, node.param_start, node.param):
            return "decl", node.param, node.param_start
        return None
    if cls is ast.SelectCase:
        if node.name and _within(off, node.name_start, node.name):
            return "decl", node.name, node.name_start
        return None
    if cls is ast.TypeParam:
        if _within(off, node.start, node.name):
            return "tparam", node.name, node.start
    return None


def target_at(a: DocumentAnalysis, offset: int) -> Target | None:
    if not a.chunks:
        return None
    offset = max(0, min(offset, len(a.text)))
    k = a.index_at(offset)
    for probe in (offset, offset - 1):
        if probe < 0:
            continue
        kk = a.index_at(probe)
        if kk != k and probe != offset:
            k = kk
        off = a.to_node(k, probe)
        path = path_at(a.chunks[k].items, off)
        for i in range(len(path) - 1, -1, -1):
            parent = path[i - 1] if i > 0 else None
            hit = _ident(path[i], off, parent)
            if hit is not None:
                kind, name, start = hit
                return Target(k, kind, name, start, path[i], path[: i + 1])
    return None


# --------------------------------------------------------------------------- symbols


def _binding_for(a: DocumentAnalysis, t: Target) -> Binding | None:
    res = a.resolution(t.k)
    node = t.node
    b = res.uses.get(node) or res.decls.get(node)
    if b is None and type(node) in (ast.DictPattern, ast.ListPattern):
        b = res.rest_decls.get(node)
    if b is None and t.kind == "decl":
        # a declaration whose binding the resolver keyed by another node
        for cand in res.bindings:
            if cand.start == t.start and cand.name == t.name:
                return cand
    return b


def _is_top(b: Binding) -> bool:
    return b.scope.kind == "module"


def top_symbol(ws: Analyzer | None, a: DocumentAnalysis, name: str, offset: int | None = None,
               depth: int = 0) -> Symbol | None:
    """The top-level symbol ``name`` denotes in ``a`` (imports followed)."""
    s = a.lookup_top(name, offset)
    if s is not None:
        b = s.binding
        if b.kind == "import":
            followed = _follow_import(ws, a, s.k, b, depth)
            if followed is not None:
                return followed
        return Symbol("top", name, a, s.k, b, decl=b.node)
    if ws is None or depth > 8:
        return None
    for _k, c in enumerate(a.chunks):
        for it in c.items:
            if type(it) is ast.Import and it.names is None:
                target = ws.import_target(a, it.path)
                if target is None:
                    continue
                hit = ws.exports(target).get(name)
                if hit is not None:
                    doc, kk, decl = hit
                    return _decl_symbol(doc, kk, decl, name)
    return None


def _decl_symbol(doc: DocumentAnalysis, k: int, decl: ast.Node, name: str) -> Symbol:
    res = doc.resolution(k)
    b = res.decls.get(decl)
    return Symbol("top", name, doc, k, b, decl=decl)


def _follow_import(ws: Analyzer | None, a: DocumentAnalysis, k: int, b: Binding,
                   depth: int) -> Symbol | None:
    if ws is None:
        return None
    imp = None
    for it in a.chunks[k].items:
        if type(it) is ast.Import and (b.node is it or (it.names and b.node in it.names)):
            imp = it
    if imp is None:
        return None
    target = ws.import_target(a, imp.path)
    if target is None:
        return None
    hit = ws.declaration_in(target, b.name)
    if hit is None:
        return None
    doc, kk, decl = hit
    if type(decl) is ast.Import:
        return None
    return _decl_symbol(doc, kk, decl, b.name)


def receiver_type(a: DocumentAnalysis, k: int, obj: ast.Node, path: list[ast.Node],
                  ws: Analyzer | None = None) -> str | None:
    """The struct/enum name an expression's static type names, if any."""
    if type(obj) is ast.Name and obj.name == "self":
        for n in reversed(path):
            if type(n) is ast.ImplBlock:
                return n.name
    t = a.type_of(k, obj)
    if t is None and type(obj) is ast.Name:
        res = a.resolution(k)
        b = res.uses.get(obj)
        if b is not None:
            t = a.binding_type(k, b.node)
    if not t:
        return declared_type(ws, a, k, obj)
    base = t.split("<", 1)[0].strip()
    return base if base.isidentifier() else None


def _type_name(node: ast.Node | None) -> str | None:
    return node.name if type(node) is ast.TypeName else None


def let_of(a: DocumentAnalysis, k: int, pattern: ast.Node) -> ast.Let | None:
    for it in a.chunks[k].items:
        if not it.start <= pattern.start < it.end:
            continue
        for n in ast.walk(it):
            if type(n) is ast.Let and n.pattern is pattern:
                return n
    return None


def declared_type(ws: Analyzer | None, a: DocumentAnalysis, k: int, e: ast.Node,
                  depth: int = 0) -> str | None:
    """The struct or enum an expression holds by its declarations, where the checker
    has no type for it (struct fields and calls into other modules are untyped in
    the LSP's non-strict check): a struct literal or constructor call, a call to a
    function or method whose return type names one, a ``let`` of either."""
    if depth > 6:
        return None
    cls = type(e)
    if cls is ast.StructLit:
        return e.name
    if cls is ast.Name:
        b = a.resolution(k).uses.get(e)
        kk = k
        if b is None:
            top = a.lookup_top(e.name, a.abs(k, e.start))
            if top is None:
                return None
            kk, b = top.k, top.binding
        if b.kind not in ("let", "var") or b.reassigned:
            return None
        let = let_of(a, kk, b.node)
        if let is None or type(let.pattern) is not ast.NamePattern:
            return None
        if let.type is not None:
            return _type_name(let.type)
        t = a.type_of(kk, let.value)
        base = t.split("<", 1)[0].strip() if t else ""
        if base[:1].isupper() and base.isidentifier():
            return base
        return declared_type(ws, a, kk, let.value, depth + 1)
    if cls is ast.Call:
        sym = top_symbol(ws, a, e.callee.name, a.abs(k, e.start))
        if sym is None:
            return None
        if type(sym.decl) is ast.StructDecl:
            return sym.name
        if type(sym.decl) is ast.FnDecl:
            return _type_name(sym.decl.return_type)
        return None
    if cls is ast.MethodCall or cls is ast.Member:
        owner = _enum_owner(ws, a, k, e.obj)
        if owner is not None:
            return owner
        owner = receiver_type(a, k, e.obj, [], ws)
        if owner is None:
            return None
        kind, typed = ("method", "return_type") if cls is ast.MethodCall else ("field", "type")
        sym = member_symbol(ws, a, owner, e.name, kind)
        return _type_name(getattr(sym.decl, typed, None)) if sym is not None else None
    return None


def _type_decl(ws: Analyzer | None, a: DocumentAnalysis, name: str) -> Symbol | None:
    sym = top_symbol(ws, a, name)
    if sym is not None and type(sym.decl) in (ast.StructDecl, ast.EnumDecl, ast.InterfaceDecl,
                                             ast.TypeAlias):
        return sym
    return None


def member_symbol(ws: Analyzer | None, a: DocumentAnalysis, owner: str, name: str,
                  want: str) -> Symbol | None:
    """Field, method or variant ``name`` of type ``owner``."""
    decl = _type_decl(ws, a, owner)
    if decl is not None and decl.doc is not None:
        node = decl.decl
        if type(node) is ast.StructDecl and want in ("field", "any"):
            for f in node.fields:
                if f.name == name:
                    return Symbol("field", name, decl.doc, decl.k, owner=owner, decl=f)
        if type(node) is ast.EnumDecl and want in ("variant", "any"):
            for v in node.variants:
                if v.name == name:
                    return Symbol("variant", name, decl.doc, decl.k, owner=owner, decl=v)
        docs = [decl.doc] + ([a] if a is not decl.doc else [])
    else:
        docs = [a]
    if want in ("method", "any", "field"):
        for doc in docs:
            for k, c in enumerate(doc.chunks):
                for it in c.items:
                    if type(it) is ast.ImplBlock and it.name == owner:
                        for m in it.methods:
                            if m.name == name:
                                return Symbol("method", name, doc, k, owner=owner, decl=m)
    return None


def _unique_member(a: DocumentAnalysis, name: str, want: str) -> Symbol | None:
    """The only field or method called ``name`` in the document (untyped receivers)."""
    found: list[Symbol] = []
    for k, c in enumerate(a.chunks):
        for it in c.items:
            if type(it) is ast.StructDecl and want == "field":
                for f in it.fields:
                    if f.name == name:
                        found.append(Symbol("field", name, a, k, owner=it.name, decl=f))
            elif type(it) is ast.ImplBlock:
                for m in it.methods:
                    if m.name == name and want == "method":
                        found.append(Symbol("method", name, a, k, owner=it.name, decl=m))
    return found[0] if len(found) == 1 else None


def _enum_owner(ws: Analyzer | None, a: DocumentAnalysis, k: int, obj: ast.Node) -> str | None:
    if type(obj) is not ast.Name:
        return None
    res = a.resolution(k)
    b = res.uses.get(obj)
    if b is not None and b.kind != "enum":
        return None
    if obj.name == "Result":
        return "Result"
    sym = _type_decl(ws, a, obj.name)
    if sym is not None and type(sym.decl) is ast.EnumDecl:
        return obj.name
    return None


def symbol_of(ws: Analyzer | None, a: DocumentAnalysis, t: Target) -> Symbol | None:
    kind = t.kind
    if kind in ("name", "decl"):
        b = _binding_for(a, t)
        if b is not None and not _is_top(b):
            return Symbol("local", t.name, a, t.k, b, decl=b.node)
        if b is not None and b.kind == "import":
            return _follow_import(ws, a, t.k, b, 0) or Symbol("top", t.name, a, t.k, b,
                                                             decl=b.node)
        if b is not None:
            return Symbol("top", t.name, a, t.k, b, decl=b.node)
        if kind == "decl" and type(t.node) is ast.InterfaceMethod:
            return None
        sym = top_symbol(ws, a, t.name, a.abs(t.k, t.start))
        if sym is not None:
            return sym
        return _builtin_symbol(t.name)
    if kind == "type":
        sym = top_symbol(ws, a, t.name, a.abs(t.k, t.start))
        return sym if sym is not None else _builtin_symbol(t.name)
    if kind == "import_name":
        imp = t.path[-2] if len(t.path) >= 2 else None
        if type(imp) is ast.Import and ws is not None:
            target = ws.import_target(a, imp.path)
            if target is not None:
                hit = ws.declaration_in(target, t.name)
                if hit is not None:
                    doc, kk, decl = hit
                    return _decl_symbol(doc, kk, decl, t.name)
        return None
    if kind == "import_path":
        target = ws.import_target(a, t.name) if ws is not None else None
        return Symbol("module", t.name, target) if target is not None else None
    if kind in ("member", "method"):
        node = t.node
        enum = _enum_owner(ws, a, t.k, node.obj)
        if enum is not None:
            sym = member_symbol(ws, a, enum, t.name, "variant")
            return sym or (Symbol("variant", t.name, owner=enum) if enum == "Result" else None)
        owner = receiver_type(a, t.k, node.obj, t.path, ws)
        want = "field" if kind == "member" else "method"
        if owner is not None:
            sym = member_symbol(ws, a, owner, t.name, want)
            if sym is not None:
                return sym
            if kind == "method":
                return _builtin_method(owner, t.name)
        return _unique_member(a, t.name, want)
    if kind == "struct_key":
        lit = t.path[-2] if len(t.path) >= 2 else None
        if type(lit) is ast.StructLit:
            return member_symbol(ws, a, lit.name, t.name, "field")
        return None
    if kind == "field_decl":
        owner = next((n.name for n in reversed(t.path) if type(n) is ast.StructDecl), "")
        return Symbol("field", t.name, a, t.k, owner=owner, decl=t.node)
    if kind == "variant_decl":
        owner = next((n.name for n in reversed(t.path) if type(n) is ast.EnumDecl), "")
        return Symbol("variant", t.name, a, t.k, owner=owner, decl=t.node)
    return None


def _builtin_symbol(name: str) -> Symbol | None:
    reg = registry()
    if reg is None:
        return None
    if name in reg.BUILTINS or name in reg.GLOBALS:
        return Symbol("builtin", name)
    return None


def _builtin_method(owner: str, name: str) -> Symbol | None:
    reg = registry()
    if reg is None:
        return None
    if name in reg.METHOD_INFO.get(owner, {}):
        return Symbol("builtin", name, owner=owner)
    return None


# --------------------------------------------------------------------------- declaration spans


def decl_span(sym: Symbol) -> tuple[DocumentAnalysis, int, int] | None:
    """Where ``sym`` is declared (the declared name), in current offsets."""
    doc = sym.doc
    if doc is None or sym.k < 0:
        if sym.kind == "module" and doc is not None:
            return doc, 0, 0
        return None
    if sym.binding is not None:
        s, e = doc.name_span(sym.k, sym.binding.start, sym.binding.name)
        return doc, s, e
    node = sym.decl
    if node is None:
        return None
    start = getattr(node, "name_start", None)
    if not isinstance(start, int) or start < 0:
        start = node.start
    s, e = doc.name_span(sym.k, start, sym.name)
    return doc, s, e


# --------------------------------------------------------------------------- occurrences


def free_uses(a: DocumentAnalysis, k: int) -> dict[str, list[ast.Node]]:
    """Names chunk ``k`` uses without a binding of its own (top-level, import or builtin)."""
    chunk = a.chunks[k]
    res = a.resolution(k)  # first: a new resolution drops the cached entry
    cached = chunk.cache.get("free")
    if cached is not None:
        return cached
    out: dict[str, list[ast.Node]] = {}
    for it in chunk.items:
        for n in ast.walk(it):
            cls = type(n)
            if cls is ast.Name:
                if n.name != "_" and n not in res.uses and n not in res.decls and \
                        n not in res.patterns:
                    out.setdefault(n.name, []).append(n)
            elif cls is ast.TypeName:
                out.setdefault(n.name, []).append(n)
            elif cls is ast.StructLit or cls is ast.ImplBlock:
                if n not in res.uses:
                    out.setdefault(n.name, []).append(n)
    chunk.cache["free"] = _Free(out)
    return out


class _Free(dict):
    """``free_uses`` cache entry; dropped when the chunk is normalised (no ``shift``)."""


def ident_span(a: DocumentAnalysis, k: int, node: ast.Node, name: str) -> tuple[int, int]:
    start = getattr(node, "name_start", None)
    if type(node) is ast.Name or not isinstance(start, int):
        start = node.start
    return a.name_span(k, start, name)


def _top_occurrences(ws: Analyzer | None, sym: Symbol) -> list[Occurrence]:
    doc = sym.doc
    assert doc is not None
    out: list[Occurrence] = []
    name = sym.name
    decl = decl_span(sym)
    if decl is not None:
        out.append(Occurrence(decl[0], decl[1], decl[2], True, True))
    out.extend(_uses_of_top(doc, name, sym))
    if ws is not None:
        for imp_doc, kk, imp in _importers(ws, doc):
            if imp.names is not None:
                for n in imp.names:
                    if n.name == name:
                        s, e = imp_doc.name_span(kk, n.start, name)
                        out.append(Occurrence(imp_doc, s, e))
                        out.extend(_uses_of_top(imp_doc, name, None))
            elif not _declares(imp_doc, name):
                out.extend(_uses_of_top(imp_doc, name, None))
    seen: set[tuple[str, int]] = set()
    uniq = []
    for o in out:
        key = (o.doc.uri, o.start)
        if key not in seen:
            seen.add(key)
            uniq.append(o)
    return uniq


def _declares(a: DocumentAnalysis, name: str) -> bool:
    s = a.lookup_top(name)
    return s is not None and s.binding.kind != "import"


def _importers(ws: Analyzer, doc: DocumentAnalysis):
    for imp_doc, imp in ws.importers_of(doc):
        for k, c in enumerate(imp_doc.chunks):
            if imp in c.items:
                yield imp_doc, k, imp


def _uses_of_top(a: DocumentAnalysis, name: str, sym: Symbol | None) -> list[Occurrence]:
    """Uses of top-level ``name`` in ``a``: bound uses of module-level bindings plus the
    free uses that fall back to the top level."""
    out: list[Occurrence] = []
    for s in a.top_bindings(name):
        b = s.binding
        for u in b.uses:
            st, en = ident_span(a, s.k, u, name)
            out.append(Occurrence(a, st, en, _is_write(u, a, s.k)))
        if sym is None or sym.doc is not a:
            continue
        if b is not sym.binding and b.kind != "import":
            st, en = a.name_span(s.k, b.start, name)
            out.append(Occurrence(a, st, en, True, True))
    for k in range(len(a.chunks)):
        for n in free_uses(a, k).get(name, ()):
            st, en = ident_span(a, k, n, name)
            out.append(Occurrence(a, st, en))
    return out


def _is_write(node: ast.Node, a: DocumentAnalysis, k: int) -> bool:
    res = a.resolution(k)
    for st, _b in res.assign_targets.items():
        t = st.target
        while type(t) in (ast.Member, ast.Index):
            t = t.obj
        if t is node:
            return True
    return False


def _member_occurrences(ws: Analyzer | None, sym: Symbol) -> list[Occurrence]:
    out: list[Occurrence] = []
    decl = decl_span(sym)
    if decl is not None:
        out.append(Occurrence(decl[0], decl[1], decl[2], True, True))
    docs: list[DocumentAnalysis] = []
    if sym.doc is not None:
        docs.append(sym.doc)
        if ws is not None:
            docs.extend(d for d, _ in ws.importers_of(sym.doc) if d is not sym.doc)
    seen: set[str] = set()
    for a in docs:
        if a.uri in seen:
            continue
        seen.add(a.uri)
        for k, c in enumerate(a.chunks):
            for it in c.items:
                _scan_members(ws, a, k, it, sym, out)
    return out


def _scan_members(ws: Analyzer | None, a: DocumentAnalysis, k: int, item: ast.Node,
                  sym: Symbol, out: list[Occurrence]) -> None:
    stack: list[tuple[ast.Node, list[ast.Node]]] = [(item, [])]
    name = sym.name
    while stack:
        n, path = stack.pop()
        cls = type(n)
        sub = path + [n]
        if cls is ast.Member or cls is ast.MethodCall:
            if n.name == name:
                if sym.kind == "variant":
                    hit = _enum_owner(ws, a, k, n.obj) == sym.owner
                elif (sym.kind == "field") == (cls is ast.Member):
                    hit = receiver_type(a, k, n.obj, sub, ws) == sym.owner
                else:
                    hit = False
                if hit:
                    s, e = a.name_span(k, n.name_start, name)
                    out.append(Occurrence(a, s, e))
        elif cls is ast.StructLit and sym.kind == "field" and n.name == sym.owner:
            for entry in n.entries:
                if type(entry) is ast.DictEntry and entry.key_kind == "name" and \
                        type(entry.key) is ast.StringLit and entry.key.value == name:
                    s, e = a.name_span(k, entry.key.start, name)
                    out.append(Occurrence(a, s, e, True))
        for c in ast.children(n):
            stack.append((c, sub))


def occurrences(ws: Analyzer | None, sym: Symbol) -> list[Occurrence]:
    """Every span naming ``sym`` (the declaration first when known)."""
    if sym.kind == "local":
        a = sym.doc
        assert a is not None and sym.binding is not None
        b = sym.binding
        out = [Occurrence(a, *a.name_span(sym.k, b.start, b.name), True, True)]
        for u in b.uses:
            s, e = ident_span(a, sym.k, u, b.name)
            out.append(Occurrence(a, s, e, _is_write(u, a, sym.k)))
        return out
    if sym.kind == "top" and sym.doc is not None:
        return _top_occurrences(ws, sym)
    if sym.kind in ("field", "method", "variant") and sym.doc is not None:
        return _member_occurrences(ws, sym)
    return []
