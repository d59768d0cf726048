"""Item-level facts cached on a chunk: what it provides, refers to, its signature key,
and its *stubs* (bodiless clones at offset -1 that stand for it when another chunk is
checked alone).

Everything here depends only on a chunk's own items, so it is cached on the chunk
(:attr:`lsp.chunks.Chunk.cache`) and reused for as long as the chunk's text is.

Signature key: what other items can observe of an item through the checker's root
scope (types.md §13.1): a function's or pipeline's header up to its body, the
names (and ``var``-ness) of the ``let``s directly in its body and the headers of
nested functions and declarations (hoisted into the root); an impl block's
method headers; everything of a type declaration, import or top-level statement.
"""

from __future__ import annotations

from lang import ast
from lang.resolve import pattern_names
from lsp import chunks as ch
from lsp.chunks import Chunk

TYPE_DECLS = (ast.StructDecl, ast.EnumDecl, ast.InterfaceDecl, ast.TypeAlias)


IMPORTS = "\x00import"  # pseudo-name under which a chunk with imports "provides" them


def provides(chunk: Chunk) -> dict[str, str]:
    """Names the chunk puts in the checker's root scope (name -> kind); a chunk with
    ``import`` items also provides :data:`IMPORTS` (kind ``import``)."""
    out = chunk.cache.get("provides")
    if out is None:
        out = {}
        for it in chunk.items:
            _provides(it, out, top=True)
        chunk.cache["provides"] = out
    return out


def _provides(item: ast.Node, out: dict[str, str], top: bool) -> None:
    """Kinds: fn pipeline type impl method, ``let``/``var`` (top level), ``hoisted`` (a
    ``let`` directly in a function body, which the checker also hoists to the root)."""
    cls = type(item)
    if cls is ast.FnDecl:
        out.setdefault(item.name, "fn")
        for st in item.body.stmts:
            _provides(st, out, False)
    elif cls is ast.Pipeline:
        out.setdefault(item.name, "pipeline")
        for st in item.body.stmts:
            _provides(st, out, False)
    elif cls in TYPE_DECLS:
        out.setdefault(item.name, "type")
    elif cls is ast.ImplBlock:
        out.setdefault(item.name, "impl")
        for m in item.methods:
            out.setdefault(m.name, "method")
    elif cls is ast.Import and top:
        out.setdefault(IMPORTS, "import")
    elif cls is ast.Let:
        kind = ("var" if item.mutable else "let") if top else "hoisted"
        for name in pattern_names(item.pattern):
            if out.get(name) in (None, "hoisted"):
                out[name] = kind


def references(chunk: Chunk) -> frozenset[str]:
    """Every identifier the chunk's items mention (names, callees, types, struct names)."""
    out = chunk.cache.get("refs")
    if out is None:
        names: set[str] = set()
        for it in chunk.items:
            for n in ast.walk(it):
                cls = type(n)
                if cls is ast.Name or cls is ast.TypeName or cls is ast.StructLit:
                    names.add(n.name)
                elif cls is ast.ImplBlock:
                    names.add(n.name)
                elif cls is ast.WhereBound:
                    names.add(n.interface)
                elif cls is ast.Pipeline and n.extends:
                    names.add(n.extends)
        out = frozenset(names)
        chunk.cache["refs"] = out
    return out


def signature_key(chunk: Chunk) -> object:
    key = chunk.cache.get("sig")
    if key is None:
        parts: list[str] = []
        for it in chunk.items:
            parts.append(_item_key(chunk, it))
        key = "\x00".join(parts)
        chunk.cache["sig"] = key
    return key


def _slice(chunk: Chunk, start: int, end: int) -> str:
    return chunk.text[start - chunk.base:end - chunk.base]


def _item_key(chunk: Chunk, it: ast.Node) -> str:
    cls = type(it)
    if cls is ast.FnDecl or cls is ast.Pipeline:
        hoisted: dict[str, str] = {}
        for st in it.body.stmts:
            _provides(st, hoisted, False)
        nested = [
            _slice(chunk, st.start, st.body.start)
            for st in it.body.stmts if type(st) is ast.FnDecl
        ] + [
            _slice(chunk, st.start, st.end)
            for st in it.body.stmts if type(st) in TYPE_DECLS or type(st) is ast.ImplBlock
        ]
        muts = sorted(
            f"{n}:{st.mutable}" for st in it.body.stmts if type(st) is ast.Let
            for n in pattern_names(st.pattern)
        )
        return "|".join([_slice(chunk, it.start, it.body.start), *sorted(hoisted), *muts,
                         *nested])
    if cls is ast.ImplBlock:
        return "impl " + "|".join(
            [it.name] + [_slice(chunk, m.start, m.body.start) for m in it.methods])
    if cls is ast.Import:
        return _slice(chunk, it.start, it.end)
    # type declarations and top-level statements: everything counts
    return _slice(chunk, it.start, it.end)


# --------------------------------------------------------------------------- stubs

NEG = -1


def clone_stub(node: ast.Node) -> ast.Node:
    """A deep copy of ``node`` with every offset set to -1."""
    cls = type(node)
    kw = {}
    for f in cls.__dataclass_fields__:  # type: ignore[attr-defined]
        v = getattr(node, f)
        if f in ch.OFFSET_FIELDS:
            v = NEG
        elif isinstance(v, ast.Node):
            v = clone_stub(v)
        elif isinstance(v, list):
            v = [_clone_value(x) for x in v]
        kw[f] = v
    return cls(**kw)


def _clone_value(x):
    if isinstance(x, ast.Node):
        return clone_stub(x)
    if isinstance(x, tuple):
        return tuple(_clone_value(y) for y in x)
    return x


def _empty_block() -> ast.Block:
    return ast.Block(NEG, NEG, [])


def _stub_body(stmts: list[ast.Stmt]) -> ast.Block:
    out: list[ast.Stmt] = []
    for st in stmts:
        s = _stub_item(st)
        if s is not None:
            out.append(s)
    return ast.Block(NEG, NEG, out)


def _stub_item(it: ast.Node) -> ast.Node | None:
    cls = type(it)
    if cls is ast.FnDecl:
        stub = clone_stub(ast.FnDecl(it.start, it.end, it.name, it.name_start, it.params,
                                     _empty_block(), it.type_params, it.return_type, it.where,
                                     it.pub, it.is_gen, it.attributes))
        stub.body = _stub_body(it.body.stmts)
        return stub
    if cls is ast.Pipeline:
        stub = clone_stub(ast.Pipeline(it.start, it.end, it.name, it.name_start, it.params,
                                       _empty_block(), it.return_type, it.extends, it.pub,
                                       it.attributes))
        stub.body = _stub_body(it.body.stmts)
        return stub
    if cls is ast.ImplBlock:
        methods = [_stub_item(m) for m in it.methods]
        return ast.ImplBlock(NEG, NEG, it.name, NEG, methods)  # type: ignore[arg-type]
    if cls in TYPE_DECLS or cls is ast.Import:
        return clone_stub(it)
    if cls is ast.Let and type(it.pattern) is ast.NamePattern:
        value = ast.Name(NEG, NEG, "__lsp_stub")
        return ast.Let(NEG, NEG, ast.NamePattern(NEG, NEG, it.pattern.name), None, value,
                       it.mutable)
    return None


def chunk_stubs(chunk: Chunk) -> list[ast.Node]:
    out = chunk.cache.get("stubs")
    if out is None:
        out = [s for s in (_stub_item(it) for it in chunk.items) if s is not None]
        chunk.cache["stubs"] = out
    return out


def signature_refs(chunk: Chunk) -> frozenset[str]:
    """Type names mentioned by the chunk's declarations' signatures."""
    out = chunk.cache.get("sigrefs")
    if out is None:
        names: set[str] = set()
        for stub in chunk_stubs(chunk):
            for n in ast.walk(stub):
                if type(n) is ast.TypeName:
                    names.add(n.name)
                elif type(n) is ast.WhereBound:
                    names.add(n.interface)
        out = frozenset(names)
        chunk.cache["sigrefs"] = out
    return out
