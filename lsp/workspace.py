"""The documents the server knows: open buffers and the ``*.harn`` files of the workspace.

:class:`Analyzer` lives on the analysis worker thread only (no locks): it keeps
the latest :class:`DocumentAnalysis` of every open document, built
incrementally from the previous one, and an index of the workspace's files on
disk (parsed on first need, re-read when the watcher reports a change), so
cross-file definition, references, rename and workspace symbols see every
file. An open document always shadows its file on disk.

Freshness does not depend on the client watching files (many clients cannot
register a watcher, and a test client may not answer the registration
request): a file read from disk remembers its size and modification time and
is read again when they change; workspace-wide queries re-scan the folders
first, so created and deleted files are seen. ``didChangeWatchedFiles``, when
the client sends it, only makes this happen earlier.

Imports resolve as ``lang run`` resolves them (:func:`lang.modules.resolve_import`);
a module's exported names follow language.md §14.3 (``pub`` items, or every
top-level function when nothing is ``pub``, plus ``pub import`` re-exports).
The checker of each open document is told what its imports bind
(:meth:`Analyzer.import_info`: names, imported type declarations with their impl
blocks, unresolved paths); a fingerprint of that joins the document's environment
key, and a change to an open module re-checks its open importers (the server asks
:meth:`Analyzer.open_importers`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlparse

from lang import ast
from lsp.analysis import NEVER, CancelToken, DocumentAnalysis

log = logging.getLogger("lsp.workspace")

SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
MAX_INDEXED_FILE = 4_000_000


def uri_to_path(uri: str) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return path


def path_to_uri(path: str) -> str:
    return "file://" + quote(os.path.abspath(path))


@dataclass(slots=True)
class Snapshot:
    """The text of an open document at one version, taken on the protocol thread."""

    uri: str
    version: int | None
    text: str
    line_starts: list[int] | None = None  # the protocol thread's line table, if it has one


class Analyzer:
    def __init__(self) -> None:
        self.open: dict[str, DocumentAnalysis] = {}
        self.files: dict[str, DocumentAnalysis | None] = {}  # uri -> analysis (None: not read)
        self.stamps: dict[str, tuple[int, int]] = {}  # uri -> (mtime_ns, size) when read
        self.folders: list[str] = []

    # ------------------------------------------------------------ documents

    def analyze(self, snap: Snapshot, token: CancelToken = NEVER) -> DocumentAnalysis:
        """The analysis of ``snap``, built from the latest one of the same document."""
        prev = self.open.get(snap.uri)
        if prev is not None and prev.version == snap.version and prev.text == snap.text:
            if prev.imported is not None:  # an imported module may have changed since
                info, key = self.import_info(prev)
                prev.set_imports(info, key, prev._import_key)
            return prev
        token.check()
        if prev is None:
            disk = self.files.get(snap.uri)
            if disk is not None and disk.text == snap.text:
                prev = disk
        analysis = DocumentAnalysis.create(snap.uri, uri_to_path(snap.uri), snap.version,
                                           snap.text, prev)
        if snap.line_starts is not None:
            analysis.adopt_line_starts(snap.line_starts)
        info, key = self.import_info(analysis)
        analysis.set_imports(info, key, prev._import_key if prev is not None else None)
        cur = self.open.get(snap.uri)
        if cur is None or cur.version is None or snap.version is None or \
                snap.version >= cur.version:
            self.open[snap.uri] = analysis
        return analysis

    def close(self, uri: str) -> None:
        self.open.pop(uri, None)
        if uri in self.files:
            self.stamps.pop(uri, None)  # re-read from disk when next needed

    def get(self, uri: str) -> DocumentAnalysis | None:
        """The open document, else the file on disk as it is now (None when unreadable)."""
        a = self.open.get(uri)
        if a is not None:
            return a
        path = uri_to_path(uri)
        if path is not None and self.open:
            for o in self.open.values():  # open under another spelling of the URI
                if o.path == path:
                    return o
        a = self.files.get(uri)
        if a is None or self._stamp(uri) != self.stamps.get(uri):
            a = self._read(uri)
        return a

    @staticmethod
    def _stamp(uri: str) -> tuple[int, int] | None:
        path = uri_to_path(uri)
        if path is None:
            return None
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        return st.st_mtime_ns, st.st_size

    def _read(self, uri: str) -> DocumentAnalysis | None:
        path = uri_to_path(uri)
        stamp = self._stamp(uri)
        if path is None or stamp is None or stamp[1] > MAX_INDEXED_FILE:
            self._forget(uri)
            return None
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError, ValueError):
            self._forget(uri)
            return None
        old = self.files.get(uri)
        a = old if old is not None and old.text == text else \
            DocumentAnalysis.create(uri, path, None, text)
        self.files[uri] = a
        self.stamps[uri] = stamp
        return a

    def _forget(self, uri: str) -> None:
        self.files.pop(uri, None)
        self.stamps.pop(uri, None)

    # ------------------------------------------------------------ workspace files

    def set_folders(self, folders: list[str]) -> None:
        self.folders = [f for f in folders if f]

    def scan(self) -> list[str]:
        """URIs of every ``*.harn`` file under the workspace folders (not read yet);
        files no longer there are forgotten."""
        found: list[str] = []
        for folder in self.folders:
            for root, dirs, files in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for f in sorted(files):
                    if f.endswith(".harn"):
                        uri = path_to_uri(os.path.join(root, f))
                        found.append(uri)
                        self.files.setdefault(uri, None)
        if self.folders:
            present = set(found)
            for uri in [u for u in self.files if u not in present and self._under_folders(u)]:
                self._forget(uri)
        return found

    def _under_folders(self, uri: str) -> bool:
        path = uri_to_path(uri)
        return path is not None and any(
            os.path.abspath(path).startswith(os.path.join(os.path.abspath(f), ""))
            for f in self.folders)

    def index_file(self, uri: str) -> None:
        if uri not in self.open:
            self.get(uri)

    def file_changed(self, uri: str) -> None:
        self.files.setdefault(uri, None)
        self.stamps.pop(uri, None)
        if uri not in self.open:
            self._read(uri)

    def file_deleted(self, uri: str) -> None:
        self._forget(uri)

    def all_documents(self) -> list[DocumentAnalysis]:
        """Every document of the workspace (open ones shadow their files), as the
        files are now: the folders are scanned again, changed files re-read."""
        self.scan()
        out: list[DocumentAnalysis] = list(self.open.values())
        open_paths = {a.path for a in out if a.path is not None}
        for uri in list(self.files):
            if uri in self.open or uri_to_path(uri) in open_paths:
                continue  # the client's URI for an open file may be spelled differently
            a = self.get(uri)
            if a is not None:
                out.append(a)
        return out

    # ------------------------------------------------------------ imports

    def import_target(self, analysis: DocumentAnalysis, spec: str) -> DocumentAnalysis | None:
        if spec.startswith("std/"):
            return None
        from lang.modules import resolve_import

        if analysis.path is None:
            return None
        try:
            r = resolve_import(spec, analysis.path)
        except Exception:
            return None
        if r.path is None:
            return None
        return self.get(path_to_uri(r.path))

    def import_info(self, analysis: DocumentAnalysis):
        """The checker's view of ``analysis``'s imports, read from the workspace (open
        buffers shadow files), and a fingerprint of it. Lenient as the server's checks
        are: every name an import lists is bound, a wildcard import may bind anything;
        what this adds are the imported type declarations (struct literals, fields)."""
        try:
            from typechecker.modules_adapter import TYPE_DECLS, ImportInfo
        except Exception:
            return None, None
        imports = [(k, it) for k, c in enumerate(analysis.chunks) for it in c.items
                   if type(it) is ast.Import]
        if not imports:
            return None, None
        info = ImportInfo(all_resolved=False)
        key: list[object] = []
        for k0, imp in imports:
            if imp.names is None:
                info.wildcard_unresolved = True
            else:
                info.names.update(n.name for n in imp.names)
            target = self.import_target(analysis, imp.path)
            if target is None:
                if analysis.path is not None and not imp.path.startswith("std/"):
                    # current offsets: reported as they are (lang check's preflight)
                    info.unresolved.append((imp.path, analysis.abs(k0, imp.path_start),
                                            analysis.abs(k0, imp.end)))
                key.append(imp.path)
                continue
            try:
                exported = self.exports(target)
            except RecursionError:
                continue
            wanted = exported.keys() if imp.names is None else [n.name for n in imp.names]
            for name in wanted:
                hit = exported.get(name) if imp.names is None else \
                    self.declaration_in(target, name)
                if hit is None:
                    continue
                doc, k, decl = hit
                info.names.add(name)
                if type(decl) in TYPE_DECLS:
                    decls = [(k, decl)]
                    if type(decl) is ast.StructDecl:  # its methods come along (§17.11)
                        decls += [(j, it) for j, c in enumerate(doc.chunks) for it in c.items
                                  if type(it) is ast.ImplBlock and it.name == name]
                    for j, d in decls:
                        info.decls.append(d)
                        c = doc.chunks[j]
                        key.append(c.text[d.start - c.base:d.end - c.base])
                else:
                    key.append(name)
        return info, hash(tuple(key))

    def open_importers(self, target: DocumentAnalysis) -> list[str]:
        """Open documents (other than ``target``) whose imports resolve to ``target``."""
        out = []
        for a in list(self.open.values()):
            if a.uri == target.uri or a.imported is None:
                continue
            for c in a.chunks:
                if any(type(it) is ast.Import and (t := self.import_target(a, it.path))
                       is not None and t.uri == target.uri for it in c.items):
                    out.append(a.uri)
                    break
        return out

    def exports(self, analysis: DocumentAnalysis, seen: set[str] | None = None
                ) -> dict[str, tuple[DocumentAnalysis, int, ast.Node]]:
        """Names a wildcard import of ``analysis`` binds -> (module, chunk, declaration)."""
        seen = seen if seen is not None else set()
        if analysis.uri in seen:
            return {}
        seen.add(analysis.uri)
        out: dict[str, tuple[DocumentAnalysis, int, ast.Node]] = {}
        fns: dict[str, tuple[DocumentAnalysis, int, ast.Node]] = {}
        any_pub = False
        for k, c in enumerate(analysis.chunks):
            for it in c.items:
                cls = type(it)
                if cls is ast.FnDecl or cls is ast.Pipeline:
                    fns[it.name] = (analysis, k, it)
                    if it.pub:
                        any_pub = True
                        out[it.name] = (analysis, k, it)
                elif cls in (ast.StructDecl, ast.EnumDecl) and it.pub:
                    out[it.name] = (analysis, k, it)
                elif cls in (ast.TypeAlias, ast.InterfaceDecl):
                    out[it.name] = (analysis, k, it)
                elif cls is ast.Import and it.pub:
                    target = self.import_target(analysis, it.path)
                    if target is None:
                        continue
                    sub = self.exports(target, seen)
                    if it.names is None:
                        out.update(sub)
                    else:
                        for n in it.names:
                            if n.name in sub:
                                out[n.name] = sub[n.name]
        if not any_pub:
            for name, v in fns.items():
                out.setdefault(name, v)
        return out

    def declaration_in(self, analysis: DocumentAnalysis, name: str
                       ) -> tuple[DocumentAnalysis, int, ast.Node] | None:
        """What ``import { name } from`` this module binds (a top-level item or a re-export)."""
        for k, c in enumerate(analysis.chunks):
            for it in c.items:
                if getattr(it, "name", None) == name and not isinstance(it, ast.ImplBlock) \
                        and type(it) is not ast.Import:
                    return analysis, k, it
        return self.exports(analysis).get(name)

    def importers_of(self, target: DocumentAnalysis) -> list[tuple[DocumentAnalysis, ast.Import]]:
        """Every (document, import statement) of the workspace that imports ``target``."""
        out = []
        for a in self.all_documents():
            for c in a.chunks:
                for it in c.items:
                    if type(it) is ast.Import:
                        t = self.import_target(a, it.path)
                        if t is not None and t.uri == target.uri:
                            out.append((a, it))
        return out
