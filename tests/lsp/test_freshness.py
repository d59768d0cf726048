"""Diagnostics as a client with the server's default timings sees them: the first
publish (or pull) after an edit is complete, lint included; nothing is reported
twice; a newer version is never overwritten by an older one."""

from __future__ import annotations

import asyncio
import os

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import SERVER, TIMEOUT, change, doc_id, open_doc, publishes, rng, uri_of


def _default_config() -> ClientServerConfig:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANG_LSP_")}
    return ClientServerConfig(server_command=SERVER, server_env=env)


@pytest_lsp.fixture(config=_default_config())
async def plain(lsp_client: LanguageClient, tmp_path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=_default_config())
async def puller(lsp_client: LanguageClient, tmp_path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("neovim@v0.11.0"),
        root_uri=tmp_path.as_uri()))
    yield
    await lsp_client.shutdown_session()


TEXT = "fn main() {\n  let a = 1\n  println(a)\n}\nmain()\n"


async def test_first_publish_after_an_edit_has_the_new_lint(plain: LanguageClient, tmp_path):
    uri = uri_of(tmp_path, "lint.harn")
    assert await open_doc(plain, uri, TEXT) == []
    diags = await change(plain, uri, 2, [(rng(2, 0, 2, 0), "  let extra = 2\n")])
    assert [(d.code, d.range) for d in diags] == [("unused-variable", rng(2, 6, 2, 7))]
    diags = await change(plain, uri, 3, [(rng(3, 2, 3, 12), "println(extra)")])
    assert [(d.code, d.range) for d in diags] == [("unused-variable", rng(1, 6, 1, 7))]
    assert diags[0].message == "[unused-variable] variable `a` is declared but never used"


async def test_pull_after_an_edit_is_current(puller: LanguageClient, tmp_path):
    uri = uri_of(tmp_path, "pull.harn")
    await open_doc(puller, uri, TEXT, wait=False)
    d = doc_id(uri)
    report = await puller.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=d))
    assert report.kind == "full" and list(report.items) == []
    await change(puller, uri, 2, [(rng(2, 10, 2, 11), "b")], wait=False)
    report = await puller.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=d))
    got = sorted((x.code, x.range.start.line) for x in report.items)
    assert got == [("W101", 2), ("unused-variable", 1)]
    assert len({(x.code, x.message, x.range.start.line) for x in report.items}) == \
        len(report.items)  # no duplicates
    await puller.text_document_hover_async(types.HoverParams(d, rng(0, 3, 0, 3).start))
    assert uri not in puller.diagnostics  # a pulling client is never pushed to


async def test_stale_results_never_follow_newer_ones(plain: LanguageClient, tmp_path):
    uri = uri_of(tmp_path, "race.harn")
    await open_doc(plain, uri, TEXT)
    broken = TEXT.replace("println(a)", "println(zz)")
    rec = publishes(plain)
    since = len(rec.log)
    for v in range(2, 31):
        await change(plain, uri, v, broken if v % 2 == 0 else TEXT, wait=False)
    params = await rec.wait(uri, 30, since)
    assert sorted(d.code for d in params.diagnostics) == ["W101", "unused-variable"]
    await plain.text_document_hover_async(types.HoverParams(doc_id(uri), rng(0, 3, 0, 3).start))
    seen = [p.version for p in rec.log[since:]]
    assert seen == sorted(seen) and seen[-1] == 30
    assert sorted(d.code for d in plain.diagnostics[uri]) == ["W101", "unused-variable"]


async def test_save_republishes(plain: LanguageClient, tmp_path):
    uri = uri_of(tmp_path, "save.harn")
    await open_doc(plain, uri, "let x: int = \"s\"\nprintln(x)\n")
    waiter = plain.protocol.wait_for_notification_async(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    plain.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc_id(uri)))
    params = await asyncio.wait_for(waiter, TIMEOUT)
    assert [d.code for d in params.diagnostics] == ["E001"]
