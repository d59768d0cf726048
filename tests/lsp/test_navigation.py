"""Hover, definition, references, highlights, rename (single file and across imports)."""

from __future__ import annotations

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.lsp.conftest import doc_id, open_doc, pos, position_of, uri_of

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
  let c = Color.Green(3)
  println(total, c)
}
main()
'''


async def _definition(client, uri, text, needle, nth=0, delta=0):
    res = await client.text_document_definition_async(types.DefinitionParams(
        doc_id(uri), position_of(text, needle, nth, delta)))
    assert res, f"no definition for {needle!r}"
    loc = res[0] if isinstance(res, list | tuple) else res
    return loc


async def _hover_text(client, uri, text, needle, nth=0, delta=0) -> str:
    h = await client.text_document_hover_async(types.HoverParams(
        doc_id(uri), position_of(text, needle, nth, delta)))
    assert h is not None, f"no hover for {needle!r}"
    return h.contents.value


async def test_hover_shows_types_signatures_and_docs(client: LanguageClient, workspace):
    uri = uri_of(workspace, "h.harn")
    await open_doc(client, uri, SRC)
    text = await _hover_text(client, uri, SRC, "add_one(p")
    assert "fn add_one(n: int) -> int" in text and "Adds one." in text
    assert "let p: Point" in await _hover_text(client, uri, SRC, "p.x")
    assert "Point.x: int" in await _hover_text(client, uri, SRC, "x)")
    text = await _hover_text(client, uri, SRC, "norm()")
    assert "fn norm(self) -> int" in text and "Length squared." in text
    assert "struct Point" in await _hover_text(client, uri, SRC, "Point {", 1)
    assert "Color.Green(level: int)" in await _hover_text(client, uri, SRC, "Green(3")
    assert "let result: int" in await _hover_text(client, uri, SRC, "result\n")


async def test_hover_builtin_documented_from_registry(client: LanguageClient, workspace):
    import vm.stdlib as stdlib

    uri = uri_of(workspace, "b.harn")
    await open_doc(client, uri, SRC)
    text = await _hover_text(client, uri, SRC, "println")
    assert stdlib.BUILTINS["println"].doc in text
    assert "println(" in text


async def test_hover_on_nothing_and_out_of_range(client: LanguageClient, workspace):
    uri = uri_of(workspace, "n.harn")
    await open_doc(client, uri, SRC)
    assert await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(2, 0))) \
        is None
    await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(999, 999)))
    missing = uri_of(workspace, "missing.harn")
    assert await client.text_document_hover_async(types.HoverParams(doc_id(missing),
                                                                     pos(0, 0))) is None


async def test_definition_of_locals_params_fns_structs_fields_variants(client: LanguageClient,
                                                                      workspace):
    uri = uri_of(workspace, "d.harn")
    await open_doc(client, uri, SRC)
    cases = [
        ("result\n", 0, 0, "result = n", 0),      # local
        ("n + 1", 0, 0, "n: int", 0),              # parameter
        ("add_one(p", 0, 0, "add_one(n", 0),        # function
        ("Point {", 1, 0, "Point {", 0),            # struct
        ("x)", 0, 0, "x: int", 0),                   # field through the receiver's type
        ("norm()", 0, 0, "norm(self", 0),           # impl method
        ("Green(3", 0, 0, "Green(level", 0),        # enum variant
        ("self.x", 0, 5, "x: int", 0),               # field through self
    ]
    for needle, nth, delta, target, tnth in cases:
        loc = await _definition(client, uri, SRC, needle, nth, delta)
        assert loc.uri == uri
        assert loc.range.start == position_of(SRC, target, tnth), needle


async def test_references_and_highlights(client: LanguageClient, workspace):
    uri = uri_of(workspace, "r.harn")
    await open_doc(client, uri, SRC)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(uri), position=position_of(SRC, "add_one(n"),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == [
        (11, 3), (18, 14)]
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(uri), position=position_of(SRC, "x: int"),
        context=types.ReferenceContext(include_declaration=False)))
    lines = sorted(r.range.start.line for r in refs)
    assert lines == [5, 5, 17, 18]  # self.x twice, the literal key, p.x
    hl = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        doc_id(uri), position_of(SRC, "result", 1)))
    kinds = sorted((h.range.start.line, h.kind) for h in hl)
    assert kinds == [(12, types.DocumentHighlightKind.Write),
                     (13, types.DocumentHighlightKind.Read)]


async def test_rename_local_and_prepare(client: LanguageClient, workspace):
    uri = uri_of(workspace, "rn.harn")
    await open_doc(client, uri, SRC)
    prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        doc_id(uri), position_of(SRC, "result", 1, 2)))
    assert prep.placeholder == "result"
    assert prep.range.start == position_of(SRC, "result", 1)
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        doc_id(uri), position_of(SRC, "println"))) is None  # builtins cannot be renamed
    edit = await client.text_document_rename_async(types.RenameParams(
        doc_id(uri), position_of(SRC, "result", 1), "value"))
    edits = edit.changes[uri]
    assert len(edits) == 2 and all(e.new_text == "value" for e in edits)


async def test_rename_field_updates_literals_and_accesses(client: LanguageClient, workspace):
    uri = uri_of(workspace, "rf.harn")
    await open_doc(client, uri, SRC)
    edit = await client.text_document_rename_async(types.RenameParams(
        doc_id(uri), position_of(SRC, "x: int"), "px"))
    assert len(edit.changes[uri]) == 5


async def test_rename_rejects_invalid_names(client: LanguageClient, workspace):
    import pytest

    uri = uri_of(workspace, "bad.harn")
    await open_doc(client, uri, SRC)
    with pytest.raises(JsonRpcException):
        await client.text_document_rename_async(types.RenameParams(
            doc_id(uri), position_of(SRC, "result", 1), "fn"))


LIB = '''/// Makes a slug.
pub fn slug(s: string) -> string { return s.lower() }
pub fn pad(s) { return s }
'''
APP = '''import { slug } from "lib"

fn main() {
  println(slug("A B"))
  println(slug("C"))
}
main()
'''
WILD = '''import "lib"

println(slug("x"), pad(1))
'''


async def test_cross_file_definition_references_and_rename(client: LanguageClient, workspace):
    (workspace / "lib.harn").write_text(LIB)
    (workspace / "wild.harn").write_text(WILD)  # never opened: known from the file watcher
    lib_uri = uri_of(workspace, "lib.harn")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri_of(workspace, n), type=types.FileChangeType.Created)
        for n in ("lib.harn", "wild.harn")]))
    app_uri = uri_of(workspace, "app.harn")
    await open_doc(client, app_uri, APP)

    loc = await _definition(client, app_uri, APP, "slug(\"A")
    assert loc.uri == lib_uri and loc.range.start == position_of(LIB, "slug(s")
    loc = await _definition(client, app_uri, APP, "slug }")
    assert loc.uri == lib_uri
    loc = await _definition(client, app_uri, APP, '"lib"', 0, 2)
    assert loc.uri == lib_uri

    text = await _hover_text(client, app_uri, APP, "slug(\"C")
    assert "Makes a slug." in text

    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(app_uri), position=position_of(APP, "slug(\"A"),
        context=types.ReferenceContext(include_declaration=True)))
    by_file = sorted((r.uri.rsplit("/", 1)[1], r.range.start.line) for r in refs)
    assert by_file == [("app.harn", 0), ("app.harn", 3), ("app.harn", 4), ("lib.harn", 1),
                       ("wild.harn", 2)]

    edit = await client.text_document_rename_async(types.RenameParams(
        doc_id(app_uri), position_of(APP, "slug(\"A"), "make_slug"))
    files = {u.rsplit("/", 1)[1]: len(e) for u, e in edit.changes.items()}
    assert files == {"app.harn": 3, "lib.harn": 1, "wild.harn": 1}


async def test_definition_follows_wildcard_import(client: LanguageClient, workspace):
    (workspace / "lib.harn").write_text(LIB)
    uri = uri_of(workspace, "w.harn")
    await open_doc(client, uri, WILD)
    loc = await _definition(client, uri, WILD, "pad(1")
    assert loc.uri == uri_of(workspace, "lib.harn")
    assert loc.range.start == position_of(LIB, "pad(s")
