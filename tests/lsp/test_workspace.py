"""The workspace: files never opened, files created, changed and deleted on disk (with
and without ``didChangeWatchedFiles``), open buffers shadowing their files, and the
cross-file features over them."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import _config, change, doc_id, open_doc, position_of, uri_of

LIB = '''/// A record.
pub struct Rec { id: int, name: string }

pub enum Kind { A, B(n: int) }

/// Makes a record.
pub fn make(id: int) -> Rec { return Rec { id: id, name: "r${id}" } }
'''
APP = '''import { make, Rec, Kind } from "lib"

fn main() {
  let r = make(1)
  println(r.name)
  let k = Kind.B(2)
  match k {
    Kind.A -> { println("a") }
    Kind.B(n) -> { println(n) }
  }
}
main()
'''
OTHER = '''import { make } from "lib"

println(make(2).name)
'''


@pytest_lsp.fixture(config=_config())
async def ws_client(lsp_client: LanguageClient, tmp_path: Path):
    (tmp_path / "lib.harn").write_text(LIB)
    (tmp_path / "app.harn").write_text(APP)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.harn").write_text(OTHER.replace('"lib"', '"../lib"'))
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")]))
    yield
    await lsp_client.shutdown_session()


def _where(locs) -> list[tuple[str, int, int]]:
    return sorted((loc.uri.rsplit("/", 1)[1], loc.range.start.line, loc.range.start.character)
                  for loc in locs)


async def _refs(client, uri, p, include=True):
    return _where(await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(uri), position=p,
        context=types.ReferenceContext(include_declaration=include))))


async def test_references_and_rename_reach_unopened_files(ws_client: LanguageClient, tmp_path):
    lib = uri_of(tmp_path, "lib.harn")
    await open_doc(ws_client, lib, LIB)
    at = position_of(LIB, "make(id")
    assert await _refs(ws_client, lib, at) == [
        ("app.harn", 0, 9), ("app.harn", 3, 10), ("lib.harn", 6, 7), ("other.harn", 0, 9),
        ("other.harn", 2, 8)]
    assert await _refs(ws_client, lib, at, include=False) == [
        ("app.harn", 0, 9), ("app.harn", 3, 10), ("other.harn", 0, 9), ("other.harn", 2, 8)]
    edit = await ws_client.text_document_rename_async(types.RenameParams(
        doc_id(lib), at, "build"))
    assert {u.rsplit("/", 1)[1]: len(e) for u, e in edit.changes.items()} == {
        "lib.harn": 1, "app.harn": 2, "other.harn": 2}
    assert (tmp_path / "sub" / "other.harn").as_uri() in edit.changes


async def test_fields_and_variants_across_modules(ws_client: LanguageClient, tmp_path):
    app = uri_of(tmp_path, "app.harn")
    await open_doc(ws_client, app, APP)
    d = doc_id(app)
    # `r` holds what the imported `make` returns (its declared return type)
    loc = await ws_client.text_document_definition_async(types.DefinitionParams(
        d, position_of(APP, "name)")))
    assert _where(loc) == [("lib.harn", 1, 26)]
    refs = await _refs(ws_client, app, position_of(APP, "name)"))
    assert refs == [("app.harn", 4, 12), ("lib.harn", 1, 26), ("lib.harn", 6, 51),
                    ("other.harn", 2, 16)]
    comp = await ws_client.text_document_completion_async(types.CompletionParams(
        text_document=d, position=position_of(APP, "name)")))
    assert {"id", "name"} <= {i.label for i in comp.items}
    # the match pattern binds `n` even though `Kind` comes from another module
    h = await ws_client.text_document_hover_async(types.HoverParams(
        d, position_of(APP, "n) ->")))
    assert h is not None and "match n: int" in h.contents.value  # the payload's type
    loc = await ws_client.text_document_definition_async(types.DefinitionParams(
        d, position_of(APP, "n) }")))
    assert _where(loc) == [("app.harn", 8, 11)]
    loc = await ws_client.text_document_definition_async(types.DefinitionParams(
        d, position_of(APP, "A ->")))
    assert _where(loc) == [("lib.harn", 3, 16)]
    edit = await ws_client.text_document_rename_async(types.RenameParams(
        d, position_of(APP, "B(2"), "Both"))
    assert {u.rsplit("/", 1)[1]: sorted(e.range.start.line for e in es)
            for u, es in edit.changes.items()} == {"app.harn": [5, 8], "lib.harn": [3]}


async def test_disk_changes_without_watcher_events(ws_client: LanguageClient, tmp_path):
    lib = uri_of(tmp_path, "lib.harn")
    await open_doc(ws_client, lib, LIB)
    at = position_of(LIB, "make(id")
    # a new importer appears, another file stops importing, one is deleted
    (tmp_path / "new.harn").write_text('import { make } from "lib"\nprintln(make(3))\n')
    (tmp_path / "app.harn").write_text("println(1)\n")
    (tmp_path / "sub" / "other.harn").unlink()
    assert await _refs(ws_client, lib, at) == [
        ("lib.harn", 6, 7), ("new.harn", 0, 9), ("new.harn", 1, 8)]
    syms = await ws_client.workspace_symbol_async(types.WorkspaceSymbolParams(query="main"))
    assert syms == [] or all(s.location.uri != uri_of(tmp_path, "app.harn") for s in syms)


async def test_watched_file_events(ws_client: LanguageClient, tmp_path):
    (tmp_path / "extra.harn").write_text("pub fn extra_task() { return 1 }\n")
    ws_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(tmp_path, "extra.harn"), type=types.FileChangeType.Created),
        types.FileEvent(uri=uri_of(tmp_path, "notes.txt"), type=types.FileChangeType.Created)]))
    syms = await ws_client.workspace_symbol_async(types.WorkspaceSymbolParams(
        query="extra_task"))
    assert [(s.name, s.location.uri.rsplit("/", 1)[1]) for s in syms] == [
        ("extra_task", "extra.harn")]
    (tmp_path / "extra.harn").unlink()
    ws_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(tmp_path, "extra.harn"), type=types.FileChangeType.Deleted)]))
    assert await ws_client.workspace_symbol_async(types.WorkspaceSymbolParams(
        query="extra_task")) == []


async def test_open_buffer_shadows_its_file(ws_client: LanguageClient, tmp_path):
    lib = uri_of(tmp_path, "lib.harn")
    app = uri_of(tmp_path, "app.harn")
    await open_doc(ws_client, lib, LIB)
    await open_doc(ws_client, app, APP)
    # unsaved: a third call of `make` in the app buffer
    await change(ws_client, app, 2, APP.replace("println(r.name)", "println(make(9).name)"))
    refs = await _refs(ws_client, lib, position_of(LIB, "make(id"))
    assert ("app.harn", 4, 10) in refs
    syms = await ws_client.workspace_symbol_async(types.WorkspaceSymbolParams(query="Rec"))
    assert syms[0].name == "Rec"  # exact matches first
    fields = [s for s in await ws_client.workspace_symbol_async(
        types.WorkspaceSymbolParams(query="name")) if s.name == "name"]
    assert fields and fields[0].container_name == "Rec"


async def test_paths_that_need_percent_encoding(bare_ws: LanguageClient):
    root: Path = bare_ws.root  # type: ignore[attr-defined]
    lib = (root / "lib.harn").as_uri()
    app = (root / "app.harn").as_uri()
    assert "%20" in app
    diags = await open_doc(bare_ws, app, APP)  # published under the client's URI
    assert diags == [] or all(d.source for d in diags)
    loc = await bare_ws.text_document_definition_async(types.DefinitionParams(
        doc_id(app), position_of(APP, "make(1")))
    assert [x.uri for x in loc] == [lib]
    await open_doc(bare_ws, lib, LIB)
    refs = await bare_ws.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(lib), position=position_of(LIB, "make(id"),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted({r.uri for r in refs}) == sorted({app, lib})  # each file once
    assert len(refs) == 3


@pytest_lsp.fixture(config=_config())
async def bare_ws(lsp_client: LanguageClient, tmp_path: Path):
    root = tmp_path / "my project @home"
    root.mkdir()
    (root / "lib.harn").write_text(LIB)
    (root / "app.harn").write_text(APP)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
