"""Sessions as the editors pytest-lsp knows run them: every advertised feature answers
without an error and within the client's declared capabilities (no
``LspSpecificationWarning``), the capabilities the server advertises match what it
implements, and the session ends cleanly."""

from __future__ import annotations

import asyncio
import os
import subprocess
import warnings
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.checks import LspSpecificationWarning

from tests.lsp.conftest import (
    ENV,
    SERVER,
    TIMEOUT,
    _config,
    doc_id,
    open_doc,
    pos,
    position_of,
    rng,
    uri_of,
)

PROFILES = ["visual-studio-code", "neovim@v0.6.1", "neovim@v0.7.0", "neovim@v0.8.0",
            "neovim@v0.9.1", "neovim@v0.10.0", "neovim@v0.11.0", "emacs@v29.1"]

SRC = '''/// A point.
struct Point { x: int, y: int }

impl Point {
  /// Length squared.
  fn norm(self) -> int { return self.x * self.x + self.y * self.y }
}

enum Color { Red, Green(level: int) }

/// Adds one.
fn add_one(n: int) -> int {
  let result = n + 1
  return result
}

fn main() {
  let p = Point { x: 1, y: 2 }
  let total = add_one(p.x) + p.norm()
  let unused = 3
  let c = Color.Green(total)
  match c {
    Color.Red -> { println("red") }
    Color.Green(level) -> { println("green ${level}") }
  }
}
main()
'''


@pytest_lsp.fixture(config=_config(), params=PROFILES)
async def editor(lsp_client: LanguageClient, tmp_path: Path, request):
    caps = pytest_lsp.client_capabilities(request.param)
    lsp_client.init_result = await lsp_client.initialize_session(  # type: ignore
        types.InitializeParams(
            capabilities=caps, root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")]))
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _pulls(client: LanguageClient) -> bool:
    caps = client.capabilities
    return caps is not None and caps.text_document is not None and \
        caps.text_document.diagnostic is not None


async def test_every_feature_answers_within_the_client_capabilities(editor: LanguageClient,
                                                                   tmp_path):
    client = editor
    uri = uri_of(tmp_path, "main.harn")
    d = doc_id(uri)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pulls = _pulls(client)
        diags = await open_doc(client, uri, SRC, wait=not pulls)
        if pulls:
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=d))
            diags = list(report.items)
            assert uri not in client.diagnostics  # pulled, never pushed as well
        assert [x.code for x in diags if x.code == "unused-variable"] == ["unused-variable"]

        at = position_of(SRC, "add_one(p", delta=3)
        hover = await client.text_document_hover_async(types.HoverParams(d, at))
        assert "fn add_one(n: int) -> int" in hover.contents.value
        assert await client.text_document_definition_async(types.DefinitionParams(d, at))
        refs = await client.text_document_references_async(types.ReferenceParams(
            text_document=d, position=at, context=types.ReferenceContext(True)))
        assert len(refs) == 2
        assert await client.text_document_document_highlight_async(
            types.DocumentHighlightParams(d, at))
        completion = await client.text_document_completion_async(types.CompletionParams(
            text_document=d, position=position_of(SRC, "let c")))
        labels = {i.label for i in completion.items}
        assert {"total", "add_one", "Point", "println", "let"} <= labels
        members = await client.text_document_completion_async(types.CompletionParams(
            text_document=d, position=position_of(SRC, "p.norm", delta=2)))
        assert {"x", "y", "norm"} <= {i.label for i in members.items}
        sig = await client.text_document_signature_help_async(types.SignatureHelpParams(
            text_document=d, position=position_of(SRC, "add_one(p", delta=8)))
        assert sig.signatures[0].label == "add_one(n: int) -> int"
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=d))
        assert {"Point", "add_one", "main"} <= {s.name for s in symbols}
        assert await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="add"))
        assert await client.text_document_folding_range_async(
            types.FoldingRangeParams(text_document=d))
        assert await client.text_document_selection_range_async(types.SelectionRangeParams(
            text_document=d, positions=[at]))
        tokens = await client.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(text_document=d))
        assert tokens.data and len(tokens.data) % 5 == 0
        await client.text_document_semantic_tokens_range_async(types.SemanticTokensRangeParams(
            text_document=d, range=rng(10, 0, 14, 0)))
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=d, range=rng(0, 0, 30, 0)))
        assert any(h.label == ": int" for h in hints)
        unused = position_of(SRC, "unused")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=d, range=types.Range(start=unused, end=unused),
            context=types.CodeActionContext(diagnostics=[])))
        assert any(a.title == "Remove unused variable `unused`" for a in actions)
        rename_at = position_of(SRC, "result", 1)
        prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
            d, rename_at))
        assert prep is not None
        edit = await client.text_document_rename_async(types.RenameParams(
            d, rename_at, "value"))
        assert len(edit.changes[uri]) == 2
        await client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=d, options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    spec = [w for w in caught if issubclass(w.category, LspSpecificationWarning)]
    assert not spec, [str(w.message) for w in spec]


async def test_snippets_only_for_clients_that_support_them(editor: LanguageClient, tmp_path):
    client = editor
    uri = uri_of(tmp_path, "s.harn")
    await open_doc(client, uri, SRC, wait=not _pulls(client))
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=pos(27, 0)))
    snippets = [i for i in res.items if i.insert_text_format == types.InsertTextFormat.Snippet]
    caps = client.capabilities.text_document.completion.completion_item
    if caps is not None and caps.snippet_support:
        assert {"fn", "match", "pipeline"} <= {i.label for i in snippets}
        assert all(i.kind == types.CompletionItemKind.Snippet for i in snippets)
    else:
        assert snippets == []
        assert not [i for i in res.items if i.kind == types.CompletionItemKind.Snippet]


async def test_plain_client_gets_flat_symbols_and_no_snippets(client: LanguageClient,
                                                              workspace):
    uri = uri_of(workspace, "flat.harn")
    await open_doc(client, uri, SRC)
    syms = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=doc_id(uri)))
    assert all(isinstance(s, types.SymbolInformation) for s in syms)
    by_name = {(s.name, s.container_name): s for s in syms}
    assert ("x", "Point") in by_name and ("norm", "impl Point") in by_name
    assert by_name[("Point", None)].location.range.start == pos(1, 0)
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=pos(27, 0)))
    assert not [i for i in res.items if i.insert_text_format == types.InsertTextFormat.Snippet]
    assert "fn" in {i.label for i in res.items if i.kind == types.CompletionItemKind.Keyword}


async def test_hierarchical_symbols_ranges(vscode_client: LanguageClient, workspace):
    uri = uri_of(workspace, "tree.harn")
    await open_doc(vscode_client, uri, SRC)
    syms = await vscode_client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=doc_id(uri)))
    by_name = {s.name: s for s in syms}
    fn = by_name["add_one"]
    assert fn.range == rng(11, 0, 14, 1)  # the whole declaration (doc comment not included)
    assert fn.selection_range == rng(11, 3, 11, 10)  # exactly the name
    impl = by_name["impl Point"]
    norm = impl.children[0]
    assert norm.selection_range == rng(5, 5, 5, 9)
    assert impl.range.start.line <= norm.range.start.line <= norm.range.end.line <= \
        impl.range.end.line
    for s in syms:  # selectionRange inside range, as LSP requires
        for child in [s, *(s.children or [])]:
            r, sel = child.range, child.selection_range
            assert (r.start.line, r.start.character) <= (sel.start.line, sel.start.character)
            assert (sel.end.line, sel.end.character) <= (r.end.line, r.end.character)


@pytest_lsp.fixture(config=_config())
async def bare(lsp_client: LanguageClient):
    """A client the test initializes itself."""
    yield


async def test_documentation_formats_follow_the_client(bare: LanguageClient, tmp_path):
    """A client that accepts only plain text gets plain text (no Markdown fences)."""
    plain = [types.MarkupKind.PlainText]
    caps = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=plain),
        completion=types.CompletionClientCapabilities(
            completion_item=types.ClientCompletionItemOptions(documentation_format=plain)),
        signature_help=types.SignatureHelpClientCapabilities(
            signature_information=types.ClientSignatureInformationOptions(
                documentation_format=plain))))
    await bare.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=tmp_path.as_uri()))
    try:
        uri = uri_of(tmp_path, "p.harn")
        await open_doc(bare, uri, SRC)
        hover = await bare.text_document_hover_async(types.HoverParams(
            doc_id(uri), position_of(SRC, "add_one(p")))
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert hover.contents.value.startswith("fn add_one(n: int) -> int")
        assert "```" not in hover.contents.value and "Adds one." in hover.contents.value
        res = await bare.text_document_completion_async(types.CompletionParams(
            text_document=doc_id(uri), position=position_of(SRC, "let c")))
        item = next(i for i in res.items if i.label == "add_one")
        assert item.documentation.kind == types.MarkupKind.PlainText
    finally:
        await bare.shutdown_session()


async def test_requests_after_shutdown_are_errors(bare: LanguageClient, tmp_path):
    from pygls.exceptions import JsonRpcException

    await bare.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    await bare.shutdown_async(None)
    with pytest.raises(JsonRpcException):
        await asyncio.wait_for(bare.text_document_hover_async(types.HoverParams(
            doc_id(uri_of(tmp_path, "x.harn")), pos(0, 0))), TIMEOUT)
    bare.exit(None)


def _raw(*messages: dict) -> bytes:
    import json

    out = b""
    for m in messages:
        body = json.dumps(m).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return out


@pytest.mark.parametrize("shutdown,code", [(True, 0), (False, 1)])
def test_exit_status_follows_the_shutdown_request(shutdown: bool, code: int):
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}}}
    msgs = [init, {"jsonrpc": "2.0", "method": "initialized", "params": {}}]
    if shutdown:
        msgs.append({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    msgs.append({"jsonrpc": "2.0", "method": "exit"})
    env = dict(os.environ)
    env.update(ENV)
    proc = subprocess.run(SERVER, input=_raw(*msgs), capture_output=True, timeout=60, env=env)
    assert proc.returncode == code
    assert b'"id": 1' in proc.stdout and proc.stdout.startswith(b"Content-Length:")


def test_server_info_and_capabilities_match_the_handlers():
    """Every provider advertised has a handler, and the notable options are set."""
    from lsp.server import server

    features = set(server.protocol.fm.features)
    for method in (types.TEXT_DOCUMENT_HOVER, types.TEXT_DOCUMENT_DEFINITION,
                   types.TEXT_DOCUMENT_REFERENCES, types.TEXT_DOCUMENT_RENAME,
                   types.TEXT_DOCUMENT_PREPARE_RENAME, types.TEXT_DOCUMENT_COMPLETION,
                   types.TEXT_DOCUMENT_SIGNATURE_HELP, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
                   types.WORKSPACE_SYMBOL, types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
                   types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, types.TEXT_DOCUMENT_FOLDING_RANGE,
                   types.TEXT_DOCUMENT_SELECTION_RANGE, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT,
                   types.TEXT_DOCUMENT_INLAY_HINT, types.TEXT_DOCUMENT_CODE_ACTION,
                   types.TEXT_DOCUMENT_DIAGNOSTIC, types.TEXT_DOCUMENT_FORMATTING,
                   types.TEXT_DOCUMENT_RANGE_FORMATTING,
                   types.WORKSPACE_DID_CHANGE_WATCHED_FILES):
        assert method in features, method
    assert server.name == "harn-lsp"


async def test_initialize_result_advertises_incremental_sync_and_prepare_rename(
        editor: LanguageClient):
    caps = editor.init_result.capabilities  # type: ignore[attr-defined]
    sync = caps.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    rename = caps.rename_provider
    client_prepare = editor.capabilities.text_document.rename is not None and \
        editor.capabilities.text_document.rename.prepare_support
    if client_prepare:
        assert isinstance(rename, types.RenameOptions) and rename.prepare_provider
    else:
        assert rename is True
    assert list(caps.completion_provider.trigger_characters) == [".", '"', "/"]
    assert caps.semantic_tokens_provider.full and caps.semantic_tokens_provider.range
    assert caps.diagnostic_provider is not None
    assert caps.position_encoding in (types.PositionEncodingKind.Utf16,
                                      types.PositionEncodingKind.Utf8,
                                      types.PositionEncodingKind.Utf32)
