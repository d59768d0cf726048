"""Diagnostics: push on open/change/save, pull without duplicates, LSP wording (types.md §1)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import change, doc_id, open_doc, pos, rng, uri_of

TYPE_ERROR = 'fn f() {\n  let limit: int = "ten"\n  return limit\n}\nf()\n'


async def test_type_error_pushed_on_open(client: LanguageClient, workspace):
    uri = uri_of(workspace, "a.harn")
    diags = await open_doc(client, uri, TYPE_ERROR)
    errors = [d for d in diags if d.severity == types.DiagnosticSeverity.Error]
    assert len(errors) == 1
    d = errors[0]
    assert d.message == "'limit' declared as int, but assigned string"
    assert d.source == "harn-typecheck"
    assert d.code == "E001"
    assert d.range.start.line == 1


async def test_lint_diagnostics_are_prefixed_with_rule(client: LanguageClient, workspace):
    uri = uri_of(workspace, "lint.harn")
    diags = await open_doc(client, uri, "fn main() {\n  let unused = 1\n}\nmain()\n")
    lint = [d for d in diags if d.source == "harn-lint"]
    assert any(d.message == "[unused-variable] variable `unused` is declared but never used"
               for d in lint)
    d = next(d for d in lint if d.code == "unused-variable")
    assert d.range == rng(1, 6, 1, 7)  # types.md §1: (line-1, col-1)..(line-1, col)
    assert list(d.tags) == [types.DiagnosticTag.Unnecessary]


async def test_syntax_errors_replace_checker_diagnostics(client: LanguageClient, workspace):
    uri = uri_of(workspace, "syn.harn")
    text = 'let x: int = "s"\nfn f( {\n'
    diags = await open_doc(client, uri, text)
    assert diags, "a syntax error is reported"
    assert all(d.source == "harn" for d in diags)
    assert all(d.severity == types.DiagnosticSeverity.Error for d in diags)


async def test_change_updates_and_clears(client: LanguageClient, workspace):
    uri = uri_of(workspace, "b.harn")
    await open_doc(client, uri, TYPE_ERROR)
    fixed = await change(client, uri, 2, [(rng(1, 19, 1, 24), "10")])
    assert not [d for d in fixed if d.severity == types.DiagnosticSeverity.Error]
    broken = await change(client, uri, 3, [(rng(1, 19, 1, 21), '"ten"')])
    assert [d.message for d in broken if d.code == "E001"] == [
        "'limit' declared as int, but assigned string"]


async def test_full_sync_change_and_save(client: LanguageClient, workspace):
    uri = uri_of(workspace, "c.harn")
    await open_doc(client, uri, "let a = 1\nprintln(a)\n")
    diags = await change(client, uri, 2, 'let a: string = 1\nprintln(a)\n')
    assert [d.code for d in diags] == ["E001"]
    waiter = client.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc_id(uri)))
    import asyncio

    params = await asyncio.wait_for(waiter, 20)
    assert params.uri == uri and [d.code for d in params.diagnostics] == ["E001"]


async def test_close_clears_diagnostics(client: LanguageClient, workspace):
    uri = uri_of(workspace, "d.harn")
    await open_doc(client, uri, TYPE_ERROR)
    import asyncio

    waiter = client.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc_id(uri)))
    params = await asyncio.wait_for(waiter, 20)
    assert params.uri == uri and list(params.diagnostics) == []


async def test_pull_client_gets_no_push_and_pull_works(pull_client: LanguageClient, workspace):
    uri = uri_of(workspace, "p.harn")
    await open_doc(pull_client, uri, TYPE_ERROR, wait=False)
    report = await pull_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc_id(uri)))
    messages = [d.message for d in report.items if d.code == "E001"]
    assert messages == ["'limit' declared as int, but assigned string"]
    # a round trip later, nothing was pushed for a pulling client
    await pull_client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(0, 3)))
    assert uri not in pull_client.diagnostics


async def test_rapid_edits_publish_latest_version_last(client: LanguageClient, workspace):
    uri = uri_of(workspace, "r.harn")
    await open_doc(client, uri, "let a = 1\n")
    for v in range(2, 12):
        await change(client, uri, v, f"let a: string = {v}\n", wait=False)
    final = await change(client, uri, 12, "let a = 1\nlet b: int = true\n")
    errors = [d for d in final if d.severity == types.DiagnosticSeverity.Error]
    assert [(d.code, d.range.start.line) for d in errors] == [("E001", 1)]
    # nothing older arrives afterwards: after a round trip the last push is unchanged
    await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(0, 4)))
    last = [d for d in client.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]
    assert [(d.code, d.range.start.line) for d in last] == [("E001", 1)]
