"""Adapter between the checker and the module graph (``lang.modules``, types.md §14).

The checker needs, for one file: whether every import of the file resolves
(strict mode), the *imported names* (exports of wildcard-imported modules and
selectively imported names the target declares or exports), the *imported
type declarations* behind them (registered in pass 1), and the file's own
unresolved imports (``lang check`` reports them). Everything else about
modules (resolution rules, parsing once per content hash, export fixpoints)
belongs to ``lang.modules``; this is the only checker module that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast

TYPE_DECLS = (ast.StructDecl, ast.EnumDecl, ast.TypeAlias, ast.InterfaceDecl)


@dataclass(slots=True)
class ImportInfo:
    all_resolved: bool = True
    names: set[str] = field(default_factory=set)
    decls: list[ast.Node] = field(default_factory=list)
    unresolved: list[tuple[str, int, int]] = field(default_factory=list)  # (spec, start, end)
    wildcard_unresolved: bool = False


def import_info(program: ast.Program, path: str | None) -> ImportInfo:
    """What the imports of ``program`` (the file at ``path``) bring in."""
    imports = [i for i in program.items if type(i) is ast.Import]
    info = ImportInfo()
    if not imports:
        return info
    if path is None:
        info.all_resolved = False
        info.wildcard_unresolved = any(i.names is None for i in imports)
        for i in imports:
            if i.names:  # listed names are bound by the import itself
                info.names.update(n.name for n in i.names)
        return info
    from lang import modules

    cache = modules.DEFAULT_CACHE
    seen: set[int] = set()
    graphs: dict[str, object] = {}
    for imp in imports:
        r = modules.resolve_import(imp.path, path)
        target = None
        if r.key is not None:
            try:
                target = cache.load(r)
            except modules.ModuleReadError:
                target = None
        if target is None:
            info.unresolved.append((imp.path, imp.path_start, imp.end))
            if imp.names is None:
                info.wildcard_unresolved = True
            else:
                info.names.update(n.name for n in imp.names)
            continue
        g = graphs.get(target.key)
        if g is None:
            g = graphs[target.key] = modules.build_graph_from_module(target, cache)
        if imp.names is None:
            entries = list(g.exports(target.key).items())  # type: ignore[attr-defined]
        else:
            entries = [(n.name, g.declares(target.key, n.name))  # type: ignore[attr-defined]
                       for n in imp.names]
        for name, entry in entries:
            if entry is None:
                continue
            info.names.add(name)
            decl = entry.decl
            if decl is not None and type(decl) in TYPE_DECLS and id(decl) not in seen:
                seen.add(id(decl))
                info.decls.append(decl)
                if type(decl) is ast.StructDecl:
                    info.decls.extend(impls_of(g, entry.module_key, decl.name, seen))
    info.all_resolved = not info.unresolved
    return info


def impls_of(graph: object, key: str, name: str, seen: set[int]) -> list[ast.Node]:
    """Top-level impl blocks of struct ``name`` in its declaring module (language §17.11)."""
    m = graph.modules.get(key)  # type: ignore[attr-defined]
    if m is None:
        return []
    out: list[ast.Node] = []
    for item in m.program.items:
        if type(item) is ast.ImplBlock and item.name == name and id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out
