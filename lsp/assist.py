"""Hover, completion and signature help, as plain data (the server converts to LSP).

Builtins, their methods by receiver type, properties and global values are
documented and completed from the one registry (``vm.stdlib``); user
declarations from their source text (signature) and doc comments, with the
checker's inferred types where it has them.

Completion and signature help look at the text around the cursor as well as
the tree: while typing, the item under the cursor often does not parse
(``p.`` or ``f(1, ``), but the enclosing function's scope and the receiver's
binding usually do. Nothing is completed inside comments, string literals
(their ``${...}`` excepted) or number literals; inside ``import { ... } from
"m"`` the names ``m`` exports are offered, inside an import string the paths.
Signature help finds the open call on the text with comments and string
contents blanked, so ``f("a,(b", |`` counts one comma.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from lang import ast
from lang.lexer import lex
from lang.source import Source
from lang.tokens import IMSTRING, ISTRING, KEYWORDS, MSTRING, RAWSTRING, STRING
from lsp.analysis import DocumentAnalysis, registry
from lsp.navigation import (
    Symbol,
    declared_type,
    let_of,
    member_symbol,
    path_at,
    receiver_type,
    symbol_of,
    target_at,
    top_symbol,
)
from lsp.workspace import Analyzer

IDENT_TAIL = re.compile(r"[^\W\d]\w*$")
NUMBER_TAIL = re.compile(r"[\w.]+$")
RECEIVERS = {
    "string": "string", "list": "list", "dict": "dict", "set": "set", "range": "range",
    "iter": "iter", "Iter": "iter", "generator": "generator", "Generator": "generator",
    "Pair": "pair", "pair": "pair",
}

SNIPPETS: list[tuple[str, str, str]] = [
    ("fn", "fn ${1:name}(${2:params}) {\n\t$0\n}", "function declaration"),
    ("match", "match ${1:value} {\n\t${2:pattern} -> { $0 }\n}", "match expression"),
    ("pipeline", "pipeline ${1:default}(${2:task}) {\n\t$0\n}", "pipeline declaration"),
    ("for", "for ${1:item} in ${2:items} {\n\t$0\n}", "for loop"),
    ("if", "if ${1:condition} {\n\t$0\n}", "if statement"),
    ("struct", "struct ${1:Name} {\n\t${2:field}: ${3:string}\n}", "struct declaration"),
    ("try", "try {\n\t$1\n} catch (${2:e}) {\n\t$0\n}", "try/catch"),
]


@dataclass(slots=True)
class Item:
    label: str
    kind: str  # function method field variable keyword snippet struct enum module property ...
    detail: str = ""
    doc: str = ""
    insert: str | None = None
    snippet: bool = False
    sort: str = ""


@dataclass(slots=True)
class SigInfo:
    label: str
    params: list[str]
    doc: str
    active: int


@dataclass(slots=True)
class HoverInfo:
    code: str
    doc: str = ""
    start: int = 0
    end: int = 0
    extra: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"```harn\n{self.code}\n```"]
        parts.extend(self.extra)
        if self.doc:
            parts.append(self.doc)
        return "\n\n".join(parts)

    def plaintext(self) -> str:
        parts = [self.code, *(x.replace("`", "") for x in self.extra)]
        if self.doc:
            parts.append(self.doc)
        return "\n\n".join(parts)


# --------------------------------------------------------------------------- text helpers


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def decl_header(doc: DocumentAnalysis, k: int, node: ast.Node) -> str:
    """A declaration's source up to its body (whitespace collapsed)."""
    chunk = doc.chunks[k]
    lo = node.start - chunk.base
    body = getattr(node, "body", None)
    if isinstance(body, ast.Block) and body.start >= 0:
        hi = body.start - chunk.base
    else:
        hi = node.end - chunk.base
    text = chunk.text[max(0, lo):max(0, hi)]
    if len(text) > 400:
        text = text[:400] + " …"
    text = re.sub(r"^(@\w+(\([^)]*\))?\s*)+", "", text.strip())
    return _collapse(text)


def registry_receiver(type_text: str | None) -> str | None:
    if not type_text:
        return None
    base = type_text.split("<", 1)[0].strip()
    return RECEIVERS.get(base)


# --------------------------------------------------------------------------- hover


def hover(ws: Analyzer | None, a: DocumentAnalysis, offset: int) -> HoverInfo | None:
    t = target_at(a, offset)
    if t is None:
        return _expr_hover(a, offset)
    sym = symbol_of(ws, a, t)
    start, end = a.name_span(t.k, t.start, t.name)
    info = None
    if t.kind == "import_path":
        end = start + len(t.name) + 2  # the string, quotes included
        if t.name.startswith("std/") and sym is None:
            from lang.modules import STD_EXPORTS

            names = STD_EXPORTS.get(t.name[4:])
            if names is not None:
                return HoverInfo(f'import "{t.name}"', extra=[
                    "standard library module: " + ", ".join(f"`{n}`" for n in names)],
                    start=start, end=end)
    if t.name == "self" and t.kind == "name":
        impl = next((n for n in reversed(t.path) if type(n) is ast.ImplBlock), None)
        if impl is not None:
            return HoverInfo(f"self: {impl.name}", start=start, end=end)
    if sym is not None:
        info = describe(ws, a, sym, t.k, t.node)
    if info is None:
        if t.kind == "name":
            ty = a.type_of(t.k, t.node)
            if ty:
                info = HoverInfo(f"{t.name}: {ty}")
        if info is None:
            return None
    info.start, info.end = start, end
    return info


def _expr_hover(a: DocumentAnalysis, offset: int) -> HoverInfo | None:
    if not a.chunks:
        return None
    k = a.index_at(offset)
    off = a.to_node(k, offset)
    path = path_at(a.chunks[k].items, off)
    for node in reversed(path):
        if isinstance(node, ast.Block) or type(node) in (ast.ExprStmt, ast.Let, ast.FnDecl):
            break
        ty = a.type_of(k, node)
        if ty:
            s, e = a.span(k, node)
            return HoverInfo(ty, start=s, end=e)
    return None


def describe(ws: Analyzer | None, a: DocumentAnalysis, sym: Symbol, k: int | None = None,
             use: ast.Node | None = None) -> HoverInfo | None:
    kind = sym.kind
    if kind == "builtin":
        return _builtin_hover(sym)
    if kind == "module":
        path = sym.doc.path if sym.doc is not None else sym.name
        return HoverInfo(f'import "{sym.name}"', extra=[f"`{path}`"])
    doc = sym.doc
    if doc is None or sym.k < 0:
        if kind == "variant" and sym.owner == "Result":
            return HoverInfo(f"Result.{sym.name}", "Built-in `Result` variant.")
        return None
    node = sym.decl
    cls = type(node)
    if kind == "field":
        ty = _type_text(doc, sym.k, getattr(node, "type", None))
        opt = "?" if getattr(node, "optional", False) else ""
        return HoverInfo(f"{sym.owner}.{sym.name}{opt}: {ty or 'any'}", getattr(node, "doc", "")
                         or "")
    if kind == "variant":
        return HoverInfo(f"{sym.owner}.{decl_header(doc, sym.k, node)}",
                         getattr(node, "doc", "") or "")
    if kind == "method":
        header = decl_header(doc, sym.k, node)
        return HoverInfo(f"impl {sym.owner}\n{header}", getattr(node, "doc", "") or "")
    if cls in (ast.FnDecl, ast.Pipeline, ast.StructDecl, ast.EnumDecl, ast.InterfaceDecl,
               ast.TypeAlias):
        header = decl_header(doc, sym.k, node)
        if cls is ast.StructDecl:
            fields = ", ".join(doc.chunks[sym.k].text[f.start - doc.chunks[sym.k].base:
                                                      f.end - doc.chunks[sym.k].base]
                               for f in node.fields)
            header = f"struct {node.name} {{ {_collapse(fields)} }}"
        elif cls is ast.EnumDecl:
            header = f"enum {node.name} {{ " + ", ".join(
                decl_header(doc, sym.k, v) for v in node.variants) + " }"
        extra = []
        if cls is ast.FnDecl and node.return_type is None:
            sig = doc.fn_signature(node.name, sym.k)
            inferred = getattr(sig, "inferred_ret", None) if sig is not None else None
            if inferred is not None:
                from lsp.analysis import show_type

                extra.append(f"returns `{show_type(inferred)}`")
        if ws is not None and doc is not a:
            extra.append(f"from `{os.path.basename(doc.path or doc.uri)}`")
        return HoverInfo(header, node.doc or "", extra=extra)
    b = sym.binding
    if b is None:
        return None
    ty = None
    if use is not None and k is not None and type(use) is ast.Name:
        ty = a.type_of(k, use)
    if ty is None:
        ty = doc.binding_type(sym.k, b.node)
    if ty is None and b.kind == "match":
        ty = _payload_type(ws, doc, sym.k, b)
    if ty is None and b.kind in ("let", "var") and not b.reassigned:
        # the checker leaves method results untyped; the declarations may know
        let = let_of(doc, sym.k, b.node)
        if let is not None and type(let.pattern) is ast.NamePattern:
            ty = declared_type(ws, doc, sym.k, let.value)
    keyword = {"let": "let", "var": "var", "param": "param", "for": "for", "match": "match",
               "catch": "catch", "import": "import", "fn": "fn"}.get(b.kind, b.kind)
    if b.kind == "import":
        return HoverInfo(f"import {b.name}")
    text = f"{keyword} {b.name}" + (f": {ty}" if ty else "")
    docstr = getattr(b.node, "doc", None) or ""
    if not docstr and b.kind in ("let", "var"):
        docstr = _let_doc(doc, sym.k, b)
    return HoverInfo(text, docstr)


def _payload_type(ws: Analyzer | None, doc: DocumentAnalysis, k: int, b) -> str | None:
    """The declared type of the variant payload a match pattern ``E.V(x)`` binds."""
    for info in doc.resolution(k).patterns.values():
        if info.kind != "enum":
            continue
        for i, bound in info.binds.items():
            if bound is b:
                sym = member_symbol(ws, doc, info.enum, info.variant, "variant")
                params = getattr(sym.decl, "params", None) if sym is not None else None
                if params and isinstance(i, int) and i < len(params):
                    return _type_text(sym.doc, sym.k, params[i].type)
                return None
    return None


def _let_doc(doc: DocumentAnalysis, k: int, b) -> str:
    for it in doc.chunks[k].items:
        for n in ast.walk(it):
            if type(n) is ast.Let and n.start <= b.start < n.end:
                return n.doc or ""
    return ""


def _type_text(doc: DocumentAnalysis, k: int, type_node: ast.Node | None) -> str | None:
    if type_node is None:
        return None
    c = doc.chunks[k]
    return _collapse(c.text[type_node.start - c.base:type_node.end - c.base])


def _builtin_hover(sym: Symbol) -> HoverInfo | None:
    reg = registry()
    if reg is None:
        return None
    if sym.owner:
        info = reg.METHOD_INFO.get(sym.owner, {}).get(sym.name)
        if info is None:
            return None
        return HoverInfo(f"{sym.owner}.{info.signature.render(sym.name)}", info.doc,
                         extra=["builtin method"])
    b = reg.BUILTINS.get(sym.name)
    if b is not None:
        tier = "" if b.tier == "T1" else f" ({b.tier})"
        return HoverInfo(f"fn {b.signature.render(sym.name)}", b.doc,
                         extra=[f"builtin{tier}"])
    g = reg.GLOBALS.get(sym.name)
    if g is not None:
        return HoverInfo(f"let {g.name}: {g.type_text}", g.doc, extra=["builtin value"])
    return None


# --------------------------------------------------------------------------- completion


_BUILTIN_ITEMS: list[Item] | None = None


def builtin_items() -> list[Item]:
    global _BUILTIN_ITEMS
    if _BUILTIN_ITEMS is None:
        items: list[Item] = []
        reg = registry()
        if reg is not None:
            for name in reg.public_builtin_names():
                b = reg.BUILTINS[name]
                try:
                    detail = b.signature.render(name)
                except Exception:
                    detail = name + b.sig_text
                items.append(Item(name, "function", detail, b.doc, sort="3"))
            for g in reg.GLOBALS.values():
                items.append(Item(g.name, "constant", g.type_text, g.doc, sort="3"))
        items.extend(Item(kw, "keyword", sort="4") for kw in sorted(KEYWORDS))
        items.extend(Item(label, "snippet", detail, insert=body, snippet=True, sort="5")
                     for label, body, detail in SNIPPETS)
        _BUILTIN_ITEMS = items
    return _BUILTIN_ITEMS


def _matches(label: str, prefix: str) -> bool:
    if not prefix:
        return True
    low = label.lower()
    p = prefix.lower()
    if not low or low[0] != p[0]:
        return False
    i = 0
    for ch_ in low:
        if i < len(p) and ch_ == p[i]:
            i += 1
    return i == len(p)


def complete(ws: Analyzer | None, a: DocumentAnalysis, offset: int,
             trigger: str | None = None) -> list[Item]:
    """Items at ``offset``; ``trigger`` is the character that triggered the request."""
    text = a.text
    offset = max(0, min(offset, len(text)))
    line_start = max(text.rfind("\n", 0, offset) + 1, offset - 1000)
    before = text[line_start:offset]
    m = re.search(r'import\s+(\{[^}]*\}\s*from\s+)?"([^"]*)$', before)
    if m:
        return _import_paths(a, m.group(2))
    if trigger in ('"', "/"):
        return []  # these trigger import paths only
    m = re.search(r"import\s*\{[^}\n]*$", before)
    if m and ws is not None:
        after = text[offset:text.find("\n", offset) if "\n" in text[offset:] else len(text)]
        spec = re.match(r'[^}]*\}\s*from\s*"([^"]*)"', after)
        return _importable(ws, a, spec.group(1)) if spec else []
    if in_comment_or_string(a, offset):
        return []
    word = NUMBER_TAIL.search(before)
    if word is not None and word.group(0)[0].isdigit():
        return []  # typing a number (``12``, ``1.5``, ``3s``)
    prefix_m = IDENT_TAIL.search(before)
    prefix = prefix_m.group(0) if prefix_m else ""
    head = before[: len(before) - len(prefix)]
    if head.endswith(".") or head.endswith("?."):
        recv_end = offset - len(prefix) - (2 if head.endswith("?.") else 1)
        return [i for i in _member_items(ws, a, recv_end) if _matches(i.label, prefix)]
    return _scope_items(ws, a, offset, prefix)


STRING_KINDS = frozenset({STRING, RAWSTRING, MSTRING, ISTRING, IMSTRING})


def in_comment_or_string(a: DocumentAnalysis, offset: int) -> bool:
    """Whether ``offset`` lies inside a comment or a string literal (outside any
    ``${...}`` interpolation), where names are not completed."""
    if not a.chunks:
        return False
    k = a.index_at(offset)
    chunk = a.chunks[k]
    d = a.delta(k)
    for cm in chunk.comments:
        s, e = cm.start + d, cm.end + d
        if s < offset < e or (offset == e and cm.kind in ("line", "doc_line")):
            return True
    rel = offset - a.doc.starts[k]
    lexed = lex(Source(chunk.text))
    if lexed.diagnostics:  # an unterminated string while typing: count quotes on the line
        line = a.text[a.text.rfind("\n", 0, offset) + 1:offset]
        quotes = len(re.findall(r'(?<!\\)"', line))
        return quotes % 2 == 1 and "${" not in line[line.rfind('"'):]
    arr = lexed.arrays
    for kind, start, end, val in zip(arr.kinds, arr.starts, arr.ends, arr.vals, strict=False):
        if start >= rel:
            break
        if kind in STRING_KINDS and rel < end:
            if isinstance(val, list):
                for part in val:
                    at = getattr(part, "offset", None)
                    if at is not None and at <= rel <= at + len(part.text):
                        return False
            return True
    return False


def _importable(ws: Analyzer, a: DocumentAnalysis, spec: str) -> list[Item]:
    """Names ``import { ... } from "spec"`` can bind."""
    if spec.startswith("std/"):
        from lang.modules import STD_EXPORTS

        return [Item(n, "function", f"from {spec}") for n in STD_EXPORTS.get(spec[4:], ())]
    target = ws.import_target(a, spec)
    if target is None:
        return []
    items = []
    for name, (doc, k, decl) in sorted(ws.exports(target).items()):
        kind = {ast.StructDecl: "struct", ast.EnumDecl: "enum", ast.InterfaceDecl: "interface",
                ast.TypeAlias: "interface"}.get(type(decl), "function")
        items.append(Item(name, kind, decl_header(doc, k, decl), getattr(decl, "doc", None)
                          or ""))
    return items


def _import_paths(a: DocumentAnalysis, typed: str) -> list[Item]:
    from lang.modules import STD_EXPORTS

    items = [Item(f"std/{n}", "module", "standard library module") for n in sorted(STD_EXPORTS)]
    if a.path:
        base = os.path.dirname(a.path)
        sub = os.path.dirname(typed)
        folder = os.path.normpath(os.path.join(base, sub))
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        for n in names:
            full = os.path.join(folder, n)
            rel = os.path.join(sub, n) if sub else n
            if n.endswith(".harn") and os.path.abspath(full) != os.path.abspath(a.path):
                items.append(Item(rel[:-5], "file", rel))
            elif os.path.isdir(full) and not n.startswith("."):
                items.append(Item(rel + "/", "folder", rel))
    return [i for i in items if i.label.startswith(typed) or not typed]


def _receiver_owner(ws: Analyzer | None, a: DocumentAnalysis, recv_end: int) -> tuple[str, str]:
    """(kind, name) of what precedes a ``.``: ("enum", E), ("type", T) or ("", "")."""
    text = a.text
    m = IDENT_TAIL.search(text, max(0, recv_end - 200), recv_end)
    k = a.index_at(max(0, recv_end - 1))
    if m is not None and m.end() == recv_end:
        name = m.group(0)
        start = m.start()
        if name == "self":
            off = a.to_node(k, start)
            for n in path_at(a.chunks[k].items, off):
                if type(n) is ast.ImplBlock:
                    return "type", n.name
        sym = top_symbol(ws, a, name, start)
        if sym is not None and type(sym.decl) is ast.EnumDecl:
            return "enum", name
        if name == "Result":
            return "enum", name
        t = target_at(a, start)
        if t is not None and t.kind == "name":
            owner = receiver_type(a, t.k, t.node, t.path, ws)
            if owner:
                return "type", owner
            ty = a.type_of(t.k, t.node)
            if ty:
                return "type", ty
        b = _visible(a, k, a.to_node(k, start), name)
        if b is not None:
            ty = a.binding_type(k, b.node)
            if ty:
                return "type", ty
    # any expression ending right before the dot
    off = a.to_node(k, recv_end)
    for node in reversed(path_at(a.chunks[k].items, max(0, off - 1))):
        if node.end == off:
            ty = a.type_of(k, node)
            if ty:
                return "type", ty
    lit = text[max(0, recv_end - 1):recv_end]
    if lit == '"':
        return "type", "string"
    if lit == "]":
        return "type", "list"
    return "", ""


def _visible(a: DocumentAnalysis, k: int, off: int, name: str):
    res = a.resolution(k)
    if res.root is None:
        return None
    for b in res.visible_at(off):
        if b.name == name:
            return b
    return None


def _member_items(ws: Analyzer | None, a: DocumentAnalysis, recv_end: int) -> list[Item]:
    kind, owner = _receiver_owner(ws, a, recv_end)
    items: list[Item] = []
    if kind == "enum":
        sym = top_symbol(ws, a, owner)
        if sym is not None and type(sym.decl) is ast.EnumDecl:
            for v in sym.decl.variants:
                items.append(Item(v.name, "enumMember", decl_header(sym.doc, sym.k, v),
                                  v.doc or ""))
        elif owner == "Result":
            items = [Item("Ok", "enumMember", "Ok(value)"), Item("Err", "enumMember", "Err(error)")]
        return items
    if kind != "type":
        return _all_methods()
    base = owner.split("<", 1)[0].strip()
    recv = registry_receiver(owner)
    if recv is not None:
        return _registry_members(recv)
    sym = top_symbol(ws, a, base)
    if base == "Result" or (sym is not None and type(sym.decl) is ast.EnumDecl):
        return _enum_value_members()
    if sym is not None and type(sym.decl) is ast.StructDecl:
        for f in sym.decl.fields:
            ty = _type_text(sym.doc, sym.k, f.type) or "any"
            items.append(Item(f.name, "field", ty, f.doc or "", sort="0"))
    docs = [a] + ([sym.doc] if sym is not None and sym.doc is not a else [])
    for doc in docs:
        for k, c in enumerate(doc.chunks):
            for it in c.items:
                if type(it) is ast.ImplBlock and it.name == base:
                    for mth in it.methods:
                        items.append(Item(mth.name, "method", decl_header(doc, k, mth),
                                          mth.doc or "", sort="1"))
    if not items:
        if base in ("dict", "any", "unknown") or base.startswith("{"):
            return _registry_members("dict")
    return items


def _registry_members(recv: str) -> list[Item]:
    reg = registry()
    if reg is None:
        return []
    items = []
    for name, info in sorted(reg.METHOD_INFO.get(recv, {}).items()):
        try:
            detail = info.signature.render(name)
        except Exception:
            detail = name + info.sig_text
        items.append(Item(name, "method", detail, info.doc, sort="1"))
    for name, p in sorted(reg.PROPERTIES.get(recv, {}).items()):
        items.append(Item(name, "property", p.type_text, p.doc, sort="0"))
    return items


def _enum_value_members() -> list[Item]:
    """What an enum value (``Result`` included) offers after ``.``: its properties."""
    reg = registry()
    if reg is None:
        return []
    return [Item(name, "property", p.type_text, p.doc, sort="0")
            for name, p in sorted(reg.PROPERTIES.get("enum", {}).items())]


def _all_methods() -> list[Item]:
    reg = registry()
    if reg is None:
        return []
    seen: dict[str, Item] = {}
    for recv, methods in reg.METHOD_INFO.items():
        for name, info in methods.items():
            if name not in seen:
                seen[name] = Item(name, "method", f"{recv}.{name}{info.sig_text}", info.doc)
    return sorted(seen.values(), key=lambda i: i.label)


KIND_OF_BINDING = {
    "fn": "function", "struct": "struct", "enum": "enum", "type": "interface",
    "pipeline": "function", "import": "module", "param": "variable", "let": "variable",
    "var": "variable", "for": "variable", "match": "variable", "catch": "variable",
}


def _scope_items(ws: Analyzer | None, a: DocumentAnalysis, offset: int, prefix: str
                 ) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    if a.chunks:
        k = a.index_at(offset)
        res = a.resolution(k)
        if res.root is not None:
            for b in res.visible_at(a.to_node(k, offset)):
                if b.name in seen or not _matches(b.name, prefix) or b.kind == "placeholder":
                    continue
                if b.scope.kind == "module":
                    continue  # listed with the other top-level names below
                seen.add(b.name)
                ty = a.binding_type(k, b.node) if b.kind in ("let", "var", "param", "for") \
                    else None
                items.append(Item(b.name, KIND_OF_BINDING.get(b.kind, "variable"), ty or "",
                                  sort="0"))
        for name, (tk, kind) in a.top_names().items():
            if name in seen or not _matches(name, prefix):
                continue
            seen.add(name)
            decl = a.top_decl(tk, name)
            detail = doc = ""
            if kind in ("fn", "type", "pipeline") and decl is not None:
                detail = decl_header(a, tk, decl)
                doc = getattr(decl, "doc", None) or ""
                kind = {ast.StructDecl: "struct", ast.EnumDecl: "enum"}.get(type(decl), kind)
            items.append(Item(name, KIND_OF_BINDING.get(kind, "variable"), detail, doc,
                              sort="1"))
        if ws is not None:
            for c in a.chunks:
                for it in c.items:
                    if type(it) is ast.Import and it.names is None:
                        target = ws.import_target(a, it.path)
                        if target is None:
                            continue
                        for name, (doc_, kk, decl) in ws.exports(target).items():
                            if name in seen or not _matches(name, prefix):
                                continue
                            seen.add(name)
                            items.append(Item(name, "function" if type(decl) is ast.FnDecl
                                              else "struct", decl_header(doc_, kk, decl),
                                              getattr(decl, "doc", None) or "", sort="2"))
    for it in builtin_items():
        if it.label not in seen and _matches(it.label, prefix):
            items.append(it)
    return items


# --------------------------------------------------------------------------- signature help


def _masked(text: str) -> str | None:
    """``text`` with comments and the insides of string literals blanked (their
    ``${...}`` interpolations kept), or None when it does not lex."""
    lexed = lex(Source(text))
    if lexed.diagnostics:
        return None
    chars = list(text)
    arr = lexed.arrays
    for kind, start, end, val in zip(arr.kinds, arr.starts, arr.ends, arr.vals, strict=False):
        if kind not in STRING_KINDS:
            continue
        keep = [(p.offset, p.offset + len(p.text)) for p in val
                if getattr(p, "offset", None) is not None] if isinstance(val, list) else []
        for i in range(start + 1, end - 1):
            if not any(lo <= i < hi for lo, hi in keep):
                chars[i] = " "
    for cm in lexed.comments:
        for i in range(cm.start, cm.end):
            chars[i] = " "
    return "".join(chars)


def _call_context(text: str, offset: int, floor: int, strings: bool = True
                  ) -> tuple[int, int] | None:
    """(offset of the unmatched ``(`` before ``offset``, index of the argument).
    ``strings``: track quotes (the text was not masked)."""
    depth = 0
    commas = 0
    in_str = False
    i = offset - 1
    while i >= floor:
        c = text[i]
        if strings and c == '"' and text[i - 1:i] != "\\":
            in_str = not in_str
        elif not in_str:
            if c in ")]}":
                depth += 1
            elif c in "([{":
                if depth > 0:
                    depth -= 1
                elif c == "(":
                    return i, commas
                elif c == "[":
                    commas = 0
                else:
                    return None
            elif c == "," and depth == 0:
                commas += 1
        i -= 1
    return None


def signature_help(ws: Analyzer | None, a: DocumentAnalysis, offset: int) -> SigInfo | None:
    text = a.text
    offset = max(0, min(offset, len(text)))
    if not a.chunks:
        return None
    k = a.index_at(max(0, offset - 1))
    floor = max(0, a.doc.starts[k] - 2000)
    lo = a.doc.starts[a.index_at(floor)]
    masked = _masked(text[lo:a.doc.end_of(k)])
    if masked is not None:
        ctx = _call_context(masked, offset - lo, floor - lo, strings=False)
        if ctx is not None:
            ctx = (ctx[0] + lo, ctx[1])
    else:
        ctx = _call_context(text, offset, floor)
    if ctx is None:
        return None
    paren, active = ctx
    m = IDENT_TAIL.search(text, max(0, paren - 200), paren)
    if m is None or m.end() != paren:
        return None
    name = m.group(0)
    before = text[:m.start()]
    if before.endswith(".") or before.endswith("?."):
        recv_end = m.start() - (2 if before.endswith("?.") else 1)
        variant = _variant_sig(ws, a, text, recv_end, name, active)
        if variant is not None:
            return variant
        kind, owner = _receiver_owner(ws, a, recv_end)
        if kind == "type":
            recv = registry_receiver(owner)
            if recv is not None:
                return _registry_sig(owner=recv, name=name, active=active)
            sym = member_symbol(ws, a, owner.split("<", 1)[0], name, "method")
            if sym is not None:
                params = [p for p in sym.decl.params if p.name != "self"]
                return _user_sig(sym, params, active)
        return None
    sym = top_symbol(ws, a, name, m.start())
    if sym is not None and type(sym.decl) in (ast.FnDecl, ast.Pipeline):
        return _user_sig(sym, sym.decl.params, active)
    b = _visible(a, k, a.to_node(k, m.start()), name)
    if b is not None and type(b.node) is ast.FnDecl:
        s = Symbol("local", name, a, k, b, decl=b.node)
        return _user_sig(s, b.node.params, active)
    if sym is not None and type(sym.decl) is ast.StructDecl:
        return None
    return _registry_sig(None, name, active)


def _variant_sig(ws: Analyzer | None, a: DocumentAnalysis, text: str, recv_end: int,
                 name: str, active: int) -> SigInfo | None:
    """``E.V(`` with ``E`` an enum: the variant's payload as the signature."""
    m = IDENT_TAIL.search(text, max(0, recv_end - 200), recv_end)
    if m is None or m.end() != recv_end or not m.group(0)[:1].isupper():
        return None
    sym = member_symbol(ws, a, m.group(0), name, "variant")
    if sym is None or type(sym.decl) is not ast.Variant or not sym.decl.has_parens:
        return None
    sig = _user_sig(sym, sym.decl.params, active)
    sig.label = f"{m.group(0)}.{sig.label}"
    return sig


def _user_sig(sym: Symbol, params: list[ast.Param], active: int) -> SigInfo:
    doc = sym.doc
    assert doc is not None
    c = doc.chunks[sym.k]
    labels = [_collapse(c.text[p.start - c.base:p.end - c.base]) for p in params]
    node = sym.decl
    ret = ""
    if getattr(node, "return_type", None) is not None:
        ret = " -> " + _type_text(doc, sym.k, node.return_type)
    label = f"{sym.name}({', '.join(labels)}){ret}"
    if labels and params[-1].rest:
        active = min(active, len(labels) - 1)
    return SigInfo(label, labels, getattr(node, "doc", None) or "", active)


def _registry_sig(owner: str | None, name: str, active: int) -> SigInfo | None:
    reg = registry()
    if reg is None:
        return None
    if owner is None:
        b = reg.BUILTINS.get(name)
        if b is None:
            return None
        sig, doc = b.signature, b.doc
    else:
        info = reg.METHOD_INFO.get(owner, {}).get(name)
        if info is None:
            return None
        sig, doc = info.signature, info.doc
    labels = []
    for p in sig.params:
        text = ("..." if p.rest else "") + p.name + ("?" if p.optional and not p.rest and
                                                    p.default_text is None else "")
        text += ": " + p.type_text
        if p.default_text is not None:
            text += " = " + p.default_text
        labels.append(text)
    if labels and sig.params[-1].rest:
        active = min(active, len(labels) - 1)
    return SigInfo(f"{name}({', '.join(labels)}) -> {sig.returns}", labels, doc, active)
