"""Import resolution, parsed-module cache, static export tables (language.md §14, types.md §14).

Shared by the checker (static view) and the VM (which runs modules). Three parts:

* **Resolution** (:func:`resolve_import`): ``std/NAME`` names an embedded
  stdlib module (``STD_EXPORTS``; its Harn source, if any, lives in a
  directory registered with :func:`register_std_dir`, so ``lang`` does not
  import ``vm``); any other path is relative to the importing file's
  directory, with ``.harn`` appended when the path has no extension and
  nothing exists as written; then (Tier 2) ``.harn/packages/`` directories
  upward from the importer, stopping at the directory holding ``.git``.
* **Cache** (:class:`ModuleCache`): one parse per (canonical path, content
  hash). A lookup re-reads the file and hashes it, so an edited module is
  re-parsed and an unchanged one is not; entries are never shared mutably
  (ASTs are read-only by convention).
* **Exports** (:func:`static_exports`, :class:`ModuleGraph`): ``pub``
  fn/pipeline/tool/struct/enum names, every type alias and interface, every
  top-level fn when the module has no ``pub fn``, plus ``pub import``
  re-exports, followed to a fixpoint across modules (cycles terminate: a
  module being computed contributes what is known so far). The graph is
  built breadth first and records unresolved imports and cycles with the
  paths involved.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic
from lang.parser import ParseResult, parse
from lang.source import Source

STD_PREFIX = "std/"

# Exported functions of every std/ module of stdlib.md §19 (T1 and T2).
STD_EXPORTS: dict[str, tuple[str, ...]] = {
    "collections": ("filter_nil", "pick_keys", "store_stale", "store_refresh"),
    "json": ("pretty", "safe_parse", "merge", "pick", "omit"),
    "text": (
        "int_to_string", "float_to_string", "parse_int_or", "parse_float_or", "extract_paths",
        "parse_cells", "filter_test_cells", "truncate_head_tail", "detect_compile_error",
        "has_got_want", "format_test_errors",
    ),
    "math": (
        "clamp", "lerp", "map_range", "deg_to_rad", "rad_to_deg", "sum", "avg", "mean",
        "median", "percentile", "variance", "stddev", "argsort", "top_k", "minmax_scale",
        "zscore", "weighted_mean", "weighted_choice", "softmax", "normal_pdf", "normal_cdf",
        "normal_quantile", "dot", "vector_norm", "vector_normalize", "cosine_similarity",
        "euclidean_distance", "manhattan_distance", "chebyshev_distance", "covariance",
        "correlation", "moving_avg", "ema", "kmeans",
    ),
    "path": (
        "ext", "stem", "normalize", "is_absolute", "workspace_info", "workspace_normalize",
        "list_files", "list_dirs",
    ),
    "schema": (
        "schema_any", "schema_string", "schema_int", "schema_float", "schema_bool",
        "schema_nil", "schema_literal", "schema_enum", "schema_list", "schema_array",
        "schema_dict", "schema_field", "schema_object", "schema_union", "schema_all_of",
        "schema_nullable", "schema_default", "schema_pick_keys", "schema_omit_keys",
        "schema_partial_deep", "schema_json", "schema_openapi", "from_json_schema",
        "from_openapi_schema", "get_typed_result", "get_typed_value", "is_type",
    ),
    "async": ("wait_for", "retry_until", "retry_with_backoff", "circuit_call"),
}  # fmt: skip

_STD_DIRS: list[str] = []


def register_std_dir(path: str) -> None:
    """Add a directory holding ``NAME.harn`` sources of std modules (the VM ships one)."""
    if path not in _STD_DIRS:
        _STD_DIRS.append(path)


def std_source_path(name: str) -> str | None:
    for d in _STD_DIRS:
        p = os.path.join(d, name + ".harn")
        if os.path.isfile(p):
            return p
    return None


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class Resolved:
    """Where an import string points. ``key`` is None when it does not resolve."""

    spec: str
    key: str | None
    path: str | None  # the file to read (None for a std module without source)
    is_std: bool = False
    error: str | None = None  # the spec's message when unresolved


def _canonical(path: str) -> str:
    return os.path.realpath(path)


def _packages_search(spec: str, start_dir: str) -> str | None:
    d = start_dir
    while True:
        for cand in (os.path.join(d, ".harn", "packages", spec),
                     os.path.join(d, ".harn", "packages", spec + ".harn")):
            if os.path.isfile(cand):
                return cand
        if os.path.exists(os.path.join(d, ".git")):
            return None
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def resolve_import(spec: str, importer_path: str | None) -> Resolved:
    """Resolve an import string as seen from the file ``importer_path`` (§14.2)."""
    if spec.startswith(STD_PREFIX):
        name = spec[len(STD_PREFIX):]
        if name not in STD_EXPORTS:
            return Resolved(spec, None, None, True, f"Unknown stdlib module: {spec}")
        return Resolved(spec, spec, std_source_path(name), True)
    base = os.path.dirname(os.path.abspath(importer_path)) if importer_path else os.getcwd()
    cand = os.path.normpath(os.path.join(base, spec))
    if os.path.isfile(cand):
        return Resolved(spec, _canonical(cand), cand)
    shown = cand
    if not os.path.splitext(spec)[1]:
        with_ext = cand + ".harn"
        if os.path.isfile(with_ext):
            return Resolved(spec, _canonical(with_ext), with_ext)
        shown = with_ext
    found = _packages_search(spec, base)
    if found is not None:
        return Resolved(spec, _canonical(found), found)
    reason = "is a directory" if os.path.isdir(shown) else "No such file or directory (os error 2)"
    return Resolved(spec, None, None, False, f"Import error: cannot read '{shown}': {reason}")


# --------------------------------------------------------------------------- parsed modules


@dataclass(slots=True, eq=False)
class Module:
    """One parsed module: its source, tree, diagnostics and declaration tables."""

    key: str  # canonical path, or "std/NAME"
    path: str  # the file read ("std/NAME" for a std module without source)
    source: Source
    result: ParseResult
    digest: str
    is_std: bool = False
    functions: dict[str, ast.FnDecl] = field(default_factory=dict)
    types: dict[str, ast.Node] = field(default_factory=dict)  # struct/enum/alias/interface
    imports: list[ast.Import] = field(default_factory=list)
    has_pub_fn: bool = False

    @property
    def program(self) -> ast.Program:
        return self.result.program

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    @property
    def ok(self) -> bool:
        return self.result.ok

    def first_error(self) -> str | None:
        for d in self.result.diagnostics:
            if d.is_error:
                return d.spec_text(self.source)
        return None


def _index(module: Module) -> None:
    for item in module.program.items:
        t = type(item)
        if t is ast.FnDecl:
            module.functions[item.name] = item
            module.has_pub_fn = module.has_pub_fn or item.pub
        elif t in (ast.StructDecl, ast.EnumDecl, ast.TypeAlias, ast.InterfaceDecl):
            module.types[item.name] = item
        elif t is ast.Import:
            module.imports.append(item)


def _digest(text: str) -> str:
    import hashlib  # here, not at the top: start-up of scripts without imports

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ModuleReadError(Exception):
    """A module file exists in the resolution but cannot be read (message is the spec's)."""


class ModuleCache:
    """Parsed modules keyed by canonical path, reused while the content hash is unchanged."""

    def __init__(self) -> None:
        self._entries: dict[str, Module] = {}

    def load(self, resolved: Resolved) -> Module:
        """Parse (or reuse) the module ``resolved`` points at; raises ModuleReadError."""
        assert resolved.key is not None
        if resolved.path is None:  # a std module implemented natively: an empty program
            return self._get(resolved.key, resolved.key, "", True)
        try:
            with open(resolved.path, "rb") as fh:
                data = fh.read()
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ModuleReadError(
                f"Import error: cannot read '{resolved.path}': stream did not contain valid "
                f"UTF-8 (byte {exc.start})"
            ) from None
        except OSError as exc:
            raise ModuleReadError(
                f"Import error: cannot read '{resolved.path}': {exc.strerror or exc}"
            ) from None
        return self._get(resolved.key, resolved.path, text, resolved.is_std)

    def _get(self, key: str, path: str, text: str, is_std: bool) -> Module:
        digest = _digest(text)
        cached = self._entries.get(key)
        if cached is not None and cached.digest == digest:
            return cached
        source = Source(text, path)
        module = Module(key, path, source, parse(source), digest, is_std)
        _index(module)
        self._entries[key] = module
        return module

    def parse_text(self, key: str, path: str, text: str) -> Module:
        """A module from in-memory text (an editor buffer, the entry file)."""
        return self._get(key, path, text, False)

    def clear(self) -> None:
        self._entries.clear()


DEFAULT_CACHE = ModuleCache()


# --------------------------------------------------------------------------- static exports


@dataclass(slots=True)
class ExportEntry:
    """An exported name: the module that declares it and its declaration (None: native std)."""

    name: str
    module_key: str
    decl: ast.Node | None


@dataclass(slots=True)
class Unresolved:
    importer: str
    spec: str
    message: str
    start: int
    end: int


@dataclass(slots=True)
class ModuleGraph:
    """Every module reachable from an entry file, with exports and problems found."""

    entry_key: str
    modules: dict[str, Module] = field(default_factory=dict)
    edges: dict[str, list[tuple[ast.Import, str | None]]] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    cycles: list[list[str]] = field(default_factory=list)
    _exports: dict[str, dict[str, ExportEntry]] = field(default_factory=dict)

    @property
    def all_resolved(self) -> bool:
        return not self.unresolved

    def exports(self, key: str) -> dict[str, ExportEntry]:
        """The wildcard-visible names of module ``key`` (types.md §14)."""
        if key not in self._exports:
            self._compute_exports()
        return self._exports.get(key, {})

    def declares(self, key: str, name: str) -> ExportEntry | None:
        """What a selective import of ``name`` from ``key`` binds (top level or export)."""
        m = self.modules.get(key)
        if m is None:
            return None
        decl = m.functions.get(name) or m.types.get(name)
        if decl is not None:
            return ExportEntry(name, key, decl)
        return self.exports(key).get(name)

    def imported_names(self, key: str) -> dict[str, ExportEntry]:
        """Names the imports of module ``key`` bring into scope."""
        out: dict[str, ExportEntry] = {}
        for imp, target in self.edges.get(key, []):
            if target is None:
                continue
            if imp.names is None:
                out.update(self.exports(target))
            else:
                for n in imp.names:
                    entry = self.declares(target, n.name)
                    if entry is not None:
                        out[n.name] = entry
        return out

    def _compute_exports(self) -> None:
        own: dict[str, dict[str, ExportEntry]] = {}
        for key, m in self.modules.items():
            own[key] = _own_exports(m)
        result = {k: dict(v) for k, v in own.items()}
        changed = True
        while changed:
            changed = False
            for key, imports in self.edges.items():
                table = result[key]
                for imp, target in imports:
                    if not imp.pub or target is None or target not in result:
                        continue
                    if imp.names is None:
                        src = result[target]
                    else:
                        src = {}
                        for n in imp.names:
                            m = self.modules[target]
                            decl = m.functions.get(n.name) or m.types.get(n.name)
                            if decl is not None:
                                src[n.name] = ExportEntry(n.name, target, decl)
                            elif n.name in result[target]:
                                src[n.name] = result[target][n.name]
                    for name, entry in src.items():
                        if name not in table:
                            table[name] = entry
                            changed = True
        self._exports = result


def _own_exports(m: Module) -> dict[str, ExportEntry]:
    out: dict[str, ExportEntry] = {}
    if m.is_std and not m.functions:
        name = m.key[len(STD_PREFIX):]
        for fn in STD_EXPORTS.get(name, ()):
            out[fn] = ExportEntry(fn, m.key, None)
        return out
    for item in m.program.items:
        t = type(item)
        if t is ast.FnDecl:
            if item.pub or not m.has_pub_fn:
                out[item.name] = ExportEntry(item.name, m.key, item)
        elif t in (ast.StructDecl, ast.EnumDecl, ast.Pipeline):
            if item.pub:
                out[item.name] = ExportEntry(item.name, m.key, item)
        elif t in (ast.TypeAlias, ast.InterfaceDecl):
            out[item.name] = ExportEntry(item.name, m.key, item)
    return out


def static_exports(module: Module, cache: ModuleCache | None = None) -> dict[str, ExportEntry]:
    """The export table of one module, re-exports followed through its own imports."""
    graph = build_graph_from_module(module, cache)
    return graph.exports(module.key)


def build_graph(entry_path: str, text: str | None = None,
                cache: ModuleCache | None = None) -> ModuleGraph:
    """The module graph of the file at ``entry_path`` (``text`` overrides its content)."""
    cache = cache or DEFAULT_CACHE
    key = _canonical(entry_path)
    if text is None:
        try:
            with open(entry_path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            text = ""
    return build_graph_from_module(cache.parse_text(key, entry_path, text), cache)


def build_graph_from_module(entry: Module, cache: ModuleCache | None = None) -> ModuleGraph:
    """Breadth-first over imports from ``entry``: each module parsed once; cycles recorded."""
    cache = cache or DEFAULT_CACHE
    graph = ModuleGraph(entry.key)
    graph.modules[entry.key] = entry
    queue: deque[str] = deque([entry.key])
    while queue:
        key = queue.popleft()
        m = graph.modules[key]
        importer = None if m.is_std else m.path
        edges: list[tuple[ast.Import, str | None]] = []
        for imp in m.imports:
            r = resolve_import(imp.path, importer)
            if r.key is None:
                graph.unresolved.append(
                    Unresolved(key, imp.path, r.error or "", imp.path_start, imp.end))
                edges.append((imp, None))
                continue
            if r.key not in graph.modules:
                try:
                    graph.modules[r.key] = cache.load(r)
                except ModuleReadError as exc:
                    graph.unresolved.append(
                        Unresolved(key, imp.path, str(exc), imp.path_start, imp.end))
                    edges.append((imp, None))
                    continue
                queue.append(r.key)
            edges.append((imp, r.key))
        graph.edges[key] = edges
    graph.cycles = _find_cycles(graph)
    return graph


def _find_cycles(graph: ModuleGraph) -> list[list[str]]:
    """Each import cycle once, as the list of module keys along it."""
    cycles: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(k: str) -> None:
        state[k] = 1
        stack.append(k)
        for _imp, target in graph.edges.get(k, []):
            if target is None:
                continue
            if state.get(target) == 1:
                cyc = stack[stack.index(target):]
                fs = frozenset(cyc)
                if fs not in seen_sets:
                    seen_sets.add(fs)
                    cycles.append(cyc + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[k] = 2

    for k in list(graph.modules):
        if k not in state:
            visit(k)
    return cycles


# --------------------------------------------------------------------------- run-time export names


def runtime_export_names(spec: str, importer_path: str | None,
                         cache: ModuleCache | None = None) -> list[str] | None:
    """The names a wildcard ``import "spec"`` binds at run time, known before running.

    Matches the VM's loader: the module's ``pub fn``s (every fn when it has
    no ``pub fn``), its ``pub`` structs and enums, and its ``pub import``
    re-exports, followed recursively (a cycle contributes nothing). ``None``
    when the import does not resolve (the run fails at that import).
    """
    decls = runtime_export_decls(spec, importer_path, cache)
    return None if decls is None else list(decls)


def runtime_export_decls(spec: str, importer_path: str | None,
                         cache: ModuleCache | None = None) -> dict[str, ast.Node | None] | None:
    """Like :func:`runtime_export_names`, with each name's declaration
    (``FnDecl``/``StructDecl``/``EnumDecl``; ``None`` for a native std function),
    so a compiler knows which imported names are structs or enums."""
    return _export_decls(spec, importer_path, cache or DEFAULT_CACHE, set())


def imported_decl(spec: str, importer_path: str | None, name: str,
                  cache: ModuleCache | None = None) -> ast.Node | None:
    """The declaration a selective ``import { name } from "spec"`` binds, if known."""
    cache = cache or DEFAULT_CACHE
    r = resolve_import(spec, importer_path)
    if r.key is None or r.path is None:
        return None
    try:
        m = cache.load(r)
    except ModuleReadError:
        return None
    decl = m.functions.get(name) or m.types.get(name)
    if decl is not None:
        return decl
    return (_export_decls(spec, importer_path, cache, set()) or {}).get(name)


def _export_decls(spec: str, importer_path: str | None, cache: ModuleCache,
                  visiting: set[str]) -> dict[str, ast.Node | None] | None:
    r = resolve_import(spec, importer_path)
    if r.key is None:
        return None
    if r.path is None:
        return dict.fromkeys(STD_EXPORTS.get(r.key[len(STD_PREFIX):], ()))
    if r.key in visiting:
        return {}
    try:
        m = cache.load(r)
    except ModuleReadError:
        return None
    out: dict[str, ast.Node | None] = {}
    for item in m.program.items:
        t = type(item)
        if t is ast.FnDecl:
            if item.pub or not m.has_pub_fn:
                out.setdefault(item.name, item)
        elif (t is ast.StructDecl or t is ast.EnumDecl) and item.pub:
            out.setdefault(item.name, item)
    visiting.add(r.key)
    try:
        for imp in m.imports:
            if not imp.pub:
                continue
            if imp.names is not None:
                for n in imp.names:
                    out.setdefault(n.name, imported_decl(imp.path, r.path, n.name, cache))
            else:
                for name, decl in (_export_decls(imp.path, r.path, cache, visiting) or {}).items():
                    out.setdefault(name, decl)
    finally:
        visiting.discard(r.key)
    return out
