"""The pygls server: protocol handlers, scheduling, conversion (``lang lsp``).

Handlers are thin: take a snapshot of the document on the protocol thread,
run the feature on the analysis worker, convert the result to LSP types.

Threads. The protocol loop never analyses. One worker thread owns the
:class:`lsp.workspace.Analyzer` (so the analysis needs no locks) and runs, in
submission order, diagnostics jobs, requests and workspace indexing.

Diagnostics. didOpen schedules a job at once, didChange after a short debounce
(``LANG_LSP_DEBOUNCE_MS``, default 15). A newer change cancels the pending
timer and flags the running job's token (analysis checks it between chunks,
raising :class:`Cancelled`); a finished job publishes only if its version is
still the document's version and newer than what was last published, so a
stale result never overwrites a newer one. A document up to
``INLINE_LINT_LIMIT`` characters is linted with every check, so each publish
is complete. A bigger one first gets checker diagnostics plus carried-over
lint; a whole-file lint follows after ``LANG_LSP_LINT_DELAY_MS`` (default
250) of quiet and publishes again (push) or asks pull clients to refresh.
Clients that pull (``textDocument/diagnostic``) get no pushes, so no
diagnostic is shown twice.

Robustness. pygls answers a request whose handler raised with an LSP error
and logs it; :meth:`HarnServer.report_server_error` only logs (no pop-ups).
Unknown URIs, deleted files, out-of-range positions and garbage text give
empty answers. After ``shutdown`` requests get an InvalidRequest error; the
exit status is 0 after a shutdown, else 1.

Client capabilities are honoured: snippets only for clients that support
them; documentation in Markdown unless the client lists formats without it
(then plain text, or a plain string); flat ``SymbolInformation`` for clients
without hierarchical document symbols. The server sends no request the client
must answer besides ``workspace/diagnostic/refresh`` (to pull clients that
declared it): no file-watcher registration (:mod:`lsp.workspace` checks files
itself).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from lsp import actions as act
from lsp import assist, outline
from lsp import navigation as nav
from lsp.analysis import Cancelled, CancelToken, DocumentAnalysis, formatter
from lsp.convert import Converter, apply_change, line_starts_of
from lsp.workspace import Analyzer, Snapshot, uri_to_path

log = logging.getLogger("lsp.server")

VERSION = "0.1.0"
COMPLETION_KINDS = {
    "function": types.CompletionItemKind.Function, "method": types.CompletionItemKind.Method,
    "field": types.CompletionItemKind.Field, "variable": types.CompletionItemKind.Variable,
    "keyword": types.CompletionItemKind.Keyword, "snippet": types.CompletionItemKind.Snippet,
    "struct": types.CompletionItemKind.Struct, "enum": types.CompletionItemKind.Enum,
    "enumMember": types.CompletionItemKind.EnumMember,
    "module": types.CompletionItemKind.Module, "property": types.CompletionItemKind.Property,
    "constant": types.CompletionItemKind.Constant, "file": types.CompletionItemKind.File,
    "folder": types.CompletionItemKind.Folder, "interface": types.CompletionItemKind.Interface,
}
SYMBOL_KINDS = {
    "function": types.SymbolKind.Function, "method": types.SymbolKind.Method,
    "struct": types.SymbolKind.Struct, "enum": types.SymbolKind.Enum,
    "enumMember": types.SymbolKind.EnumMember, "field": types.SymbolKind.Field,
    "interface": types.SymbolKind.Interface, "variable": types.SymbolKind.Variable,
    "constant": types.SymbolKind.Constant, "module": types.SymbolKind.Module,
    "typeParameter": types.SymbolKind.TypeParameter, "class": types.SymbolKind.Class,
}
# Characters up to which a document is linted whole with every check, so one publish
# (or pull) after an edit is complete; bigger documents publish checker diagnostics
# with the lint carried over first, then the whole-file lint after a pause in typing.
INLINE_LINT_LIMIT = 120_000
PULL_LINT_LIMIT = 400_000
IDENTIFIER = re.compile(r"[^\W\d]\w*")  # language.md §2.5 (Unicode letters and digits)


def _env_ms(name: str, default: int) -> float:
    try:
        return max(0, int(os.environ.get(name, default))) / 1000
    except ValueError:
        return default / 1000


@dataclass(slots=True)
class DocState:
    token: CancelToken = field(default_factory=CancelToken)
    timer: asyncio.TimerHandle | None = None
    lint_timer: asyncio.TimerHandle | None = None
    published: int = -1
    lint_seconds: float = 0.0  # how long the last whole-file lint took
    told_importers: str | None = None  # the text whose importers were last re-checked


class _Unreadable:
    """Stands for a message that could not be deserialised (``handle_message`` skips it)."""

    jsonrpc = "unreadable"


class HarnProtocol(LanguageServerProtocol):
    """pygls' protocol with a faster ``didChange`` (edits are applied with the line table
    the server keeps per document; pygls re-splits the whole text for every change) and
    an error *response* to a request whose parameters do not deserialise (pygls only
    logs it, leaving the client waiting)."""

    def handle_message(self, message):
        """After ``shutdown`` a request gets an InvalidRequest error (pygls would drop
        it, leaving the client waiting); notifications other than ``exit`` are dropped."""
        if self._shutdown and getattr(message, "method", None) not in (None, types.EXIT) \
                and getattr(message, "id", None) is not None:
            self._send_response(message.id, error=JsonRpcInvalidRequest(
                "the server is shutting down").to_response_error())
            return None
        return super().handle_message(message)

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
            return _Unreadable()

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        server: HarnServer = self._server  # type: ignore[assignment]
        uri = params.text_document.uri
        doc = self.workspace.text_documents.get(unquote(uri))  # pygls keys them unquoted
        if doc is None:
            log.warning("didChange for a document that is not open: %s", uri)
        else:
            text = doc.source
            starts = server.lines.get(uri)
            if starts is None:
                starts = line_starts_of(text)
            codec = self.workspace.position_codec
            for change in params.content_changes:
                text, starts = apply_change(text, starts, change, codec)
            doc._source = text
            doc.version = params.text_document.version
            server.lines[uri] = starts
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None


class HarnServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("harn-lsp", VERSION,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=HarnProtocol)
        self.lines: dict[str, list[int]] = {}  # per open document: line start offsets
        self.analyzer = Analyzer()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harn-analysis")
        self.states: dict[str, DocState] = {}
        self.debounce = _env_ms("LANG_LSP_DEBOUNCE_MS", 15)
        self.lint_delay = _env_ms("LANG_LSP_LINT_DELAY_MS", 250)

    def report_server_error(self, error: Exception, source) -> None:
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)

    # ------------------------------------------------------------ plumbing

    @property
    def codec(self):
        return self.workspace.position_codec

    @property
    def pulls(self) -> bool:
        caps = self.client_capabilities
        return caps is not None and caps.text_document is not None and \
            caps.text_document.diagnostic is not None

    def capability(self, *path: str):
        """``client_capabilities.<path>``, or None where any step is missing."""
        obj = self.client_capabilities
        for name in path:
            if obj is None:
                return None
            obj = getattr(obj, name, None)
        return obj

    def markup_kind(self, *path: str) -> types.MarkupKind | None:
        """The format to send documentation in, from the client's list of formats at
        ``text_document.<path>``: Markdown when listed, or when the client declared
        nothing about that feature at all (every editor renders it); PlainText when
        only that is listed; None (send a plain string) when the feature's
        capabilities are declared without a list of formats."""
        formats = self.capability("text_document", *path)
        if formats is None:
            feature = self.capability("text_document", path[0])
            return types.MarkupKind.Markdown if feature is None else None
        if types.MarkupKind.Markdown in formats:
            return types.MarkupKind.Markdown
        if types.MarkupKind.PlainText in formats:
            return types.MarkupKind.PlainText
        return None

    def snapshot(self, uri: str) -> Snapshot | None:
        try:
            doc = self.workspace.text_documents.get(unquote(uri))  # pygls keys them unquoted
        except RuntimeError:
            return None
        if doc is None:
            return None
        return Snapshot(uri, doc.version, doc.source, self.lines.get(uri))

    async def run(self, fn, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, fn, *args)

    def _analysis(self, uri: str, snap: Snapshot | None) -> DocumentAnalysis | None:
        if snap is not None:
            return self.analyzer.analyze(snap)
        return self.analyzer.get(uri)

    async def query(self, uri: str, fn, default=None):
        """Run ``fn(analysis, converter)`` on the worker for the current text of ``uri``."""
        snap = self.snapshot(uri)

        def job():
            a = self._analysis(uri, snap)
            if a is None:
                return default
            return fn(a, Converter(a, self.codec))

        return await self.run(job)

    def converter(self, a: DocumentAnalysis) -> Converter:
        return Converter(a, self.codec)

    # ------------------------------------------------------------ diagnostics

    def schedule(self, uri: str, delay: float) -> None:
        st = self.states.setdefault(uri, DocState())
        st.token.cancelled = True
        st.token = CancelToken()
        for t in (st.timer, st.lint_timer):
            if t is not None:
                t.cancel()
        st.lint_timer = None
        loop = asyncio.get_running_loop()
        st.timer = loop.call_later(delay, self._start_diagnostics, uri, st.token)

    def _start_diagnostics(self, uri: str, token: CancelToken) -> None:
        snap = self.snapshot(uri)
        if snap is None or token.cancelled:
            return
        fut = asyncio.get_running_loop().run_in_executor(
            self.worker, self._diagnostics_job, snap, token, False)
        fut.add_done_callback(lambda f: self._finish(uri, snap, token, f, False))

    def _diagnostics_job(self, snap: Snapshot, token: CancelToken, full_lint: bool):
        a = self.analyzer.analyze(snap, token)
        if full_lint or (len(snap.text) <= INLINE_LINT_LIMIT and not a.has_syntax_errors):
            started = time.perf_counter()
            a.ensure_linted(token)
            st = self.states.get(snap.uri)
            if st is not None:
                st.lint_seconds = time.perf_counter() - started
        diags = a.diagnostics(token)
        conv = self.converter(a)
        items = [conv.diagnostic(d) for d in diags]
        if a.doc.full_parse:  # warm the tables the next edit's fast path reads
            self.worker.submit(_safe, a.decl_index)
        importers = [] if full_lint else self.analyzer.open_importers(a)
        return items, a.lint_is_fresh() or a.has_syntax_errors, importers

    def _finish(self, uri: str, snap: Snapshot, token: CancelToken, fut, lint_pass: bool) -> None:
        if fut.cancelled():
            return
        exc = fut.exception()
        if isinstance(exc, Cancelled):
            return
        if exc is not None:
            log.error("diagnostics for %s failed", uri, exc_info=exc)
            return
        items, fresh, importers = fut.result()
        st = self.states.get(uri)
        if st is not None and importers and st.told_importers != snap.text:
            st.told_importers = snap.text  # once per text: import cycles do not ping-pong
            for other in importers:  # what they import changed: check them again
                if other in self.states and other != uri:
                    self.schedule(other, self.debounce)
        cur = self.snapshot(uri)
        if st is None or cur is None or cur.version != snap.version or token.cancelled:
            return
        if self.pulls:
            if lint_pass:
                self._refresh_pull()
        elif snap.version is None or snap.version >= st.published:
            st.published = snap.version if snap.version is not None else st.published
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, version=snap.version, diagnostics=items))
        if not fresh and not lint_pass:
            # a whole-file lint blocks the worker while it runs: on big files wait for a
            # longer pause in typing, so a keystroke rarely queues behind one
            delay = max(self.lint_delay, 3 * st.lint_seconds)
            loop = asyncio.get_running_loop()
            st.lint_timer = loop.call_later(delay, self._start_lint, uri, token)

    def _start_lint(self, uri: str, token: CancelToken) -> None:
        snap = self.snapshot(uri)
        if snap is None or token.cancelled:
            return
        fut = asyncio.get_running_loop().run_in_executor(
            self.worker, self._diagnostics_job, snap, token, True)
        fut.add_done_callback(lambda f: self._finish(uri, snap, token, f, True))

    def _refresh_pull(self) -> None:
        caps = self.client_capabilities
        ws = caps.workspace if caps is not None else None
        diag = ws.diagnostics if ws is not None else None
        if diag is not None and diag.refresh_support:
            try:
                self.workspace_diagnostic_refresh(None)
            except Exception:
                log.exception("diagnostic refresh failed")


server = HarnServer()


# --------------------------------------------------------------------------- lifecycle


@server.feature(types.INITIALIZE)
def initialize(ls: HarnServer, params: types.InitializeParams) -> None:
    folders = [uri_to_path(f.uri) for f in params.workspace_folders or []]
    if not folders and params.root_uri:
        folders = [uri_to_path(params.root_uri)]
    elif not folders and params.root_path:
        folders = [params.root_path]
    ls.worker.submit(ls.analyzer.set_folders, [f for f in folders if f])
    opts = params.initialization_options
    if isinstance(opts, dict):
        for key, attr in (("debounceMs", "debounce"), ("lintDelayMs", "lint_delay")):
            try:
                if key in opts:
                    setattr(ls, attr, min(max(0.0, float(opts[key])), 10_000.0) / 1000)
            except (TypeError, ValueError):
                log.warning("ignoring initializationOptions.%s = %r", key, opts[key])


@server.feature(types.INITIALIZED)
async def initialized(ls: HarnServer, params: types.InitializedParams) -> None:
    # No client/registerCapability for a file watcher: the workspace index checks
    # the files' modification times itself (lsp.workspace), and a client that
    # declares dynamic registration may still not answer the request (pytest-lsp's
    # test client fails the session on it). didChangeWatchedFiles is still handled.
    await _index_workspace(ls)


async def _index_workspace(ls: HarnServer) -> None:
    uris = await ls.run(ls.analyzer.scan)
    for uri in uris:  # one job per file so requests interleave with indexing
        ls.worker.submit(_safe, ls.analyzer.index_file, uri)


def _safe(fn, *args) -> None:
    try:
        fn(*args)
    except Exception:
        log.exception("background job failed")


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched(ls: HarnServer, params: types.DidChangeWatchedFilesParams) -> None:
    for ev in params.changes:
        if not ev.uri.endswith(".harn"):
            continue
        if ev.type == types.FileChangeType.Deleted:
            ls.worker.submit(_safe, ls.analyzer.file_deleted, ev.uri)
        else:
            ls.worker.submit(_safe, ls.analyzer.file_changed, ev.uri)


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
async def did_change_folders(ls: HarnServer, params: types.DidChangeWorkspaceFoldersParams):
    folders = [uri_to_path(f.uri) for f in ls.workspace.folders.values()]
    await ls.run(ls.analyzer.set_folders, [f for f in folders if f])
    await _index_workspace(ls)


# --------------------------------------------------------------------------- documents


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: HarnServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: HarnServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: HarnServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: HarnServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    st = ls.states.pop(uri, None)
    if st is not None:
        st.token.cancelled = True
        for t in (st.timer, st.lint_timer):
            if t is not None:
                t.cancel()
    ls.lines.pop(uri, None)
    ls.worker.submit(_safe, ls.analyzer.close, uri)
    if not ls.pulls:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri,
                                                                            diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
    identifier="harn", inter_file_dependencies=False, workspace_diagnostics=False))
async def pull_diagnostics(ls: HarnServer, params: types.DocumentDiagnosticParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        if len(a.text) <= PULL_LINT_LIMIT and not a.has_syntax_errors:
            a.ensure_linted()  # a pull answers with current lint, not the carried-over one
        return [conv.diagnostic(d) for d in a.diagnostics()]

    items = await ls.query(params.text_document.uri, fn, [])
    return types.RelatedFullDocumentDiagnosticReport(items=items)


# --------------------------------------------------------------------------- navigation


def _locations(ls: HarnServer, spans) -> list[types.Location]:
    out = []
    for doc, s, e in spans:
        out.append(types.Location(uri=doc.uri, range=ls.converter(doc).range(s, e)))
    return out


def _markup(text: str, kind: types.MarkupKind | None):
    """Documentation in the format the client accepts (None when there is none)."""
    if not text:
        return None
    if kind is None:
        return text
    return types.MarkupContent(kind=kind, value=text)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: HarnServer, params: types.HoverParams):
    fmt = ls.markup_kind("hover", "content_format") or types.MarkupKind.PlainText

    def fn(a: DocumentAnalysis, conv: Converter):
        info = assist.hover(ls.analyzer, a, conv.offset(params.position))
        if info is None:
            return None
        value = info.markdown() if fmt == types.MarkupKind.Markdown else info.plaintext()
        return types.Hover(contents=types.MarkupContent(kind=fmt, value=value),
                           range=conv.range(info.start, info.end))

    return await ls.query(params.text_document.uri, fn)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: HarnServer, params: types.DefinitionParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        t = nav.target_at(a, conv.offset(params.position))
        if t is None:
            return None
        sym = nav.symbol_of(ls.analyzer, a, t)
        if sym is None:
            return None
        span = nav.decl_span(sym)
        return _locations(ls, [span]) if span is not None else None

    return await ls.query(params.text_document.uri, fn)


def _occurrences(ls: HarnServer, a: DocumentAnalysis, conv: Converter, position):
    t = nav.target_at(a, conv.offset(position))
    if t is None:
        return None, None
    sym = nav.symbol_of(ls.analyzer, a, t)
    if sym is None:
        return t, None
    return t, (sym, nav.occurrences(ls.analyzer, sym))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def references(ls: HarnServer, params: types.ReferenceParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        _, found = _occurrences(ls, a, conv, params.position)
        if found is None:
            return []
        include = params.context.include_declaration if params.context else True
        spans = {(o.doc.uri, o.start): (o.doc, o.start, o.end) for o in found[1]
                 if include or not o.is_decl}
        return _locations(ls, [spans[key] for key in sorted(spans)])

    return await ls.query(params.text_document.uri, fn, [])


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
async def highlight(ls: HarnServer, params: types.DocumentHighlightParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        _, found = _occurrences(ls, a, conv, params.position)
        if found is None:
            return []
        return [types.DocumentHighlight(
            range=conv.range(o.start, o.end),
            kind=types.DocumentHighlightKind.Write if o.write else
            types.DocumentHighlightKind.Read)
            for o in sorted(found[1], key=lambda o: o.start) if o.doc.uri == a.uri]

    return await ls.query(params.text_document.uri, fn, [])


RENAMABLE = ("local", "top", "field", "method", "variant")


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: HarnServer, params: types.PrepareRenameParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        t = nav.target_at(a, conv.offset(params.position))
        if t is None:
            return None
        sym = nav.symbol_of(ls.analyzer, a, t)
        if sym is None or sym.kind not in RENAMABLE:
            return None
        s, e = a.name_span(t.k, t.start, t.name)
        return types.PrepareRenamePlaceholder(range=conv.range(s, e), placeholder=t.name)

    return await ls.query(params.text_document.uri, fn)


@server.feature(types.TEXT_DOCUMENT_RENAME)
async def rename(ls: HarnServer, params: types.RenameParams):
    new = params.new_name
    from lang.tokens import KEYWORDS

    if not IDENTIFIER.fullmatch(new) or new in KEYWORDS or new == "_":
        raise JsonRpcInvalidParams(f"`{new}` is not a valid Harn identifier")

    def fn(a: DocumentAnalysis, conv: Converter):
        t, found = _occurrences(ls, a, conv, params.position)
        if found is None or found[0].kind not in RENAMABLE:
            return None
        spans = {(o.doc.uri, o.start): o for o in found[1]
                 if o.doc.text[o.start:o.end] == found[0].name}
        changes: dict[str, list[types.TextEdit]] = {}
        for key in sorted(spans):  # one edit per span, in document order
            o = spans[key]
            changes.setdefault(o.doc.uri, []).append(
                types.TextEdit(range=ls.converter(o.doc).range(o.start, o.end), new_text=new))
        return types.WorkspaceEdit(changes=changes)

    return await ls.query(params.text_document.uri, fn)


# --------------------------------------------------------------------------- symbols


def _doc_symbol(conv: Converter, s: outline.Sym) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=s.name, kind=SYMBOL_KINDS.get(s.kind, types.SymbolKind.Variable),
        detail=s.detail or None, range=conv.range(s.start, s.end),
        selection_range=conv.range(s.sel_start, s.sel_end),
        children=[_doc_symbol(conv, c) for c in s.children] or None)


def _symbol_information(conv: Converter, uri: str, syms: list[outline.Sym],
                        container: str | None, out: list[types.SymbolInformation]) -> None:
    for s in syms:
        out.append(types.SymbolInformation(
            name=s.name, kind=SYMBOL_KINDS.get(s.kind, types.SymbolKind.Variable),
            location=types.Location(uri=uri, range=conv.range(s.start, s.end)),
            container_name=container))
        _symbol_information(conv, uri, s.children, s.name, out)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbols(ls: HarnServer, params: types.DocumentSymbolParams):
    hierarchical = bool(ls.capability("text_document", "document_symbol",
                                      "hierarchical_document_symbol_support"))

    def fn(a: DocumentAnalysis, conv: Converter):
        syms = outline.document_symbols(a)
        if not hierarchical:  # a flat list, each child naming its container
            out: list[types.SymbolInformation] = []
            _symbol_information(conv, a.uri, syms, None, out)
            return out
        return [_doc_symbol(conv, s) for s in syms]

    return await ls.query(params.text_document.uri, fn, [])


@server.feature(types.WORKSPACE_SYMBOL)
async def workspace_symbols(ls: HarnServer, params: types.WorkspaceSymbolParams):
    def job():
        out = []
        for s in outline.workspace_symbols(ls.analyzer, params.query):
            a = ls.analyzer.get(s.uri)
            if a is None:
                continue
            out.append(types.SymbolInformation(
                name=s.name, kind=SYMBOL_KINDS.get(s.kind, types.SymbolKind.Variable),
                location=types.Location(uri=s.uri,
                                        range=ls.converter(a).range(s.sel_start, s.sel_end)),
                container_name=s.container or None))
        return out

    return await ls.run(job)


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
async def folding(ls: HarnServer, params: types.FoldingRangeParams):
    kinds = {"comment": types.FoldingRangeKind.Comment,
             "imports": types.FoldingRangeKind.Imports}

    def fn(a: DocumentAnalysis, conv: Converter):
        return [types.FoldingRange(start_line=l0, end_line=l1, kind=kinds.get(kind))
                for l0, l1, kind in outline.folding_ranges(a)]

    return await ls.query(params.text_document.uri, fn, [])


@server.feature(types.TEXT_DOCUMENT_SELECTION_RANGE)
async def selection(ls: HarnServer, params: types.SelectionRangeParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        out = []
        for pos in params.positions:
            parent = None
            for s, e in reversed(outline.selection_ranges(a, conv.offset(pos))):
                parent = types.SelectionRange(range=conv.range(s, e), parent=parent)
            out.append(parent)
        return out

    return await ls.query(params.text_document.uri, fn, [])


LEGEND = types.SemanticTokensLegend(token_types=outline.TOKEN_TYPES,
                                    token_modifiers=outline.TOKEN_MODIFIERS)


def _encode_tokens(a: DocumentAnalysis, conv: Converter, tokens) -> list[int]:
    data: list[int] = []
    prev_line = prev_char = 0
    text = a.text
    for start, length, typ, mods in tokens:
        end = start + length
        while start < end:  # one token per line (no multiline token support assumed)
            nl = text.find("\n", start, end)
            piece_end = end if nl < 0 else nl
            if piece_end > start:
                p = conv.position(start)
                q = conv.position(piece_end)
                dl = p.line - prev_line
                dc = p.character - prev_char if dl == 0 else p.character
                data.extend((dl, dc, q.character - p.character, typ, mods))
                prev_line, prev_char = p.line, p.character
            start = piece_end + 1 if nl >= 0 else end
    return data


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
async def semantic_full(ls: HarnServer, params: types.SemanticTokensParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        return types.SemanticTokens(data=_encode_tokens(a, conv, outline.semantic_tokens(a)))

    return await ls.query(params.text_document.uri, fn, types.SemanticTokens(data=[]))


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, LEGEND)
async def semantic_range(ls: HarnServer, params: types.SemanticTokensRangeParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        lo, hi = conv.offset(params.range.start), conv.offset(params.range.end)
        return types.SemanticTokens(data=_encode_tokens(a, conv,
                                                        outline.semantic_tokens(a, lo, hi)))

    return await ls.query(params.text_document.uri, fn, types.SemanticTokens(data=[]))


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
async def inlay_hints(ls: HarnServer, params: types.InlayHintParams):
    def fn(a: DocumentAnalysis, conv: Converter):
        lo, hi = conv.offset(params.range.start), conv.offset(params.range.end)
        return [types.InlayHint(
            position=conv.position(h.offset), label=h.label,
            kind=types.InlayHintKind.Type if h.kind == "type" else
            types.InlayHintKind.Parameter,
            padding_left=h.pad_left or None, padding_right=h.pad_right or None)
            for h in outline.inlay_hints(ls.analyzer, a, lo, hi)]

    return await ls.query(params.text_document.uri, fn, [])


# --------------------------------------------------------------------------- editing help


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(
    trigger_characters=[".", '"', "/"], resolve_provider=False))
async def completion(ls: HarnServer, params: types.CompletionParams):
    fmt = ls.markup_kind("completion", "completion_item", "documentation_format")
    snippets = bool(ls.capability("text_document", "completion", "completion_item",
                                  "snippet_support"))
    ctx = params.context
    trigger = ctx.trigger_character if ctx is not None else None

    def fn(a: DocumentAnalysis, conv: Converter):
        items = []
        for it in assist.complete(ls.analyzer, a, conv.offset(params.position), trigger):
            if it.snippet and not snippets:
                continue
            items.append(types.CompletionItem(
                label=it.label, kind=COMPLETION_KINDS.get(it.kind),
                detail=it.detail or None, documentation=_markup(it.doc, fmt),
                insert_text=it.insert,
                insert_text_format=types.InsertTextFormat.Snippet if it.snippet else None,
                sort_text=(it.sort + it.label) if it.sort else None))
        return types.CompletionList(is_incomplete=False, items=items)

    return await ls.query(params.text_document.uri, fn,
                          types.CompletionList(is_incomplete=False, items=[]))


@server.feature(types.TEXT_DOCUMENT_SIGNATURE_HELP, types.SignatureHelpOptions(
    trigger_characters=["(", ","], retrigger_characters=[","]))
async def signature_help(ls: HarnServer, params: types.SignatureHelpParams):
    fmt = ls.markup_kind("signature_help", "signature_information", "documentation_format")

    def fn(a: DocumentAnalysis, conv: Converter):
        info = assist.signature_help(ls.analyzer, a, conv.offset(params.position))
        if info is None:
            return None
        sig = types.SignatureInformation(
            label=info.label, documentation=_markup(info.doc, fmt),
            parameters=[types.ParameterInformation(label=p) for p in info.params],
            active_parameter=info.active)
        return types.SignatureHelp(signatures=[sig], active_signature=0,
                                   active_parameter=info.active)

    return await ls.query(params.text_document.uri, fn)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix]))
async def code_action(ls: HarnServer, params: types.CodeActionParams):
    only = params.context.only if params.context is not None else None
    if only and not any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only):
        return []  # only kinds we never produce were asked for

    def fn(a: DocumentAnalysis, conv: Converter):
        lo, hi = conv.offset(params.range.start), conv.offset(params.range.end)
        for d in params.context.diagnostics or ():  # a cursor on the line of a diagnostic
            lo, hi = min(lo, conv.offset(d.range.start)), max(hi, conv.offset(d.range.end))
        out = []
        for action in act.code_actions(a, lo, hi):
            edits = [types.TextEdit(range=conv.range(s, e), new_text=t)
                     for s, e, t in action.edits]
            diags = [conv.diagnostic(action.diagnostic)] if action.diagnostic else None
            out.append(types.CodeAction(
                title=action.title, kind=types.CodeActionKind.QuickFix, diagnostics=diags,
                is_preferred=action.preferred or None,
                edit=types.WorkspaceEdit(changes={a.uri: edits})))
        return out

    return await ls.query(params.text_document.uri, fn, [])


def _eol(a: DocumentAnalysis, text: str) -> str:
    """Formatter output (``\n`` line ends) in the document's line ends: a document
    whose first line ends in ``\r\n`` keeps them."""
    nl = a.text.find("\n")
    if nl > 0 and a.text[nl - 1] == "\r":
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def _formatting_edits(a: DocumentAnalysis, conv: Converter, new: str) -> list[types.TextEdit]:
    """One minimal edit turning the text into ``new`` (keeps the cursor where it can)."""
    from lsp.chunks import common_prefix, common_suffix

    new = _eol(a, new)
    old = a.text
    if old == new:
        return []
    p = common_prefix(old, new)
    s = common_suffix(old, new, min(len(old), len(new)) - p)
    return [types.TextEdit(range=conv.range(p, len(old) - s), new_text=new[p:len(new) - s])]


def _register_formatting() -> None:
    fmt = formatter()
    if fmt is None or not hasattr(fmt, "format_source"):
        return

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: HarnServer, params: types.DocumentFormattingParams):
        def fn(a: DocumentAnalysis, conv: Converter):
            try:
                new = fmt.format_source(a.text)
            except fmt.FormatError:
                return None
            return _formatting_edits(a, conv, new)

        return await ls.query(params.text_document.uri, fn)

    if hasattr(fmt, "format_range"):
        @server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
        async def range_formatting(ls: HarnServer, params: types.DocumentRangeFormattingParams):
            def fn(a: DocumentAnalysis, conv: Converter):
                lo, hi = conv.offset(params.range.start), conv.offset(params.range.end)
                try:
                    edits = fmt.format_range(a.text, lo, hi)
                except fmt.FormatError:
                    return None
                return [types.TextEdit(range=conv.range(e.start, e.end),
                                       new_text=_eol(a, e.text))
                        for e in edits]

            return await ls.query(params.text_document.uri, fn)

        @server.feature(types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
                        types.DocumentOnTypeFormattingOptions(first_trigger_character="}"))
        async def on_type_formatting(ls: HarnServer,
                                     params: types.DocumentOnTypeFormattingParams):
            def fn(a: DocumentAnalysis, conv: Converter):
                at = conv.offset(params.position)
                if a.has_syntax_errors:
                    return None
                k = a.index_at(max(0, at - 1))
                lo, hi = a.doc.starts[k], a.doc.end_of(k)
                try:
                    edits = fmt.format_range(a.text, lo, hi)
                except fmt.FormatError:
                    return None
                return [types.TextEdit(range=conv.range(e.start, e.end),
                                       new_text=_eol(a, e.text))
                        for e in edits]

            return await ls.query(params.text_document.uri, fn)


_register_formatting()
