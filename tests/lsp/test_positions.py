"""Awkward cursor positions: identifier edges, keywords, comments, strings,
interpolations, astral characters before the cursor (in each position encoding),
the end of the file and positions past it."""

from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import _config, doc_id, open_doc, pos, position_of, rng, uri_of

SRC = '''fn helper(count: int) -> int {
  // count is doubled here
  let twice = count * 2
  let label = "count: ${twice} and ${count + 1}"
  println(label)
  return twice
}
helper(21)
'''


async def _hover(client, uri, p):
    return await client.text_document_hover_async(types.HoverParams(doc_id(uri), p))


async def _definition(client, uri, p):
    res = await client.text_document_definition_async(types.DefinitionParams(doc_id(uri), p))
    return [(r.range.start.line, r.range.start.character) for r in res or []]


async def _labels(client, uri, p) -> set[str]:
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=p))
    items = res.items if isinstance(res, types.CompletionList) else res or []
    return {i.label for i in items}


async def test_identifier_edges(client: LanguageClient, workspace):
    uri = uri_of(workspace, "edges.harn")
    await open_doc(client, uri, SRC)
    decl = (2, 6)
    for delta in (0, 2, 5):  # first character, middle, just after the last one
        p = position_of(SRC, "twice\n", delta=delta)
        assert await _definition(client, uri, p) == [decl], delta
        h = await _hover(client, uri, p)
        assert h is not None and "let twice: int" in h.contents.value
        assert h.range == rng(5, 9, 5, 14)
    # one past the identifier's end (the newline) names nothing else
    assert await _definition(client, uri, position_of(SRC, "(21)", delta=4)) == []


async def test_keywords_comments_and_strings_name_nothing(client: LanguageClient, workspace):
    uri = uri_of(workspace, "kw.harn")
    await open_doc(client, uri, SRC)
    for needle in ("fn helper", "let twice", "return twice"):
        p = position_of(SRC, needle, delta=1)
        assert await _hover(client, uri, p) is None, needle
        assert await _definition(client, uri, p) == [], needle
    in_comment = position_of(SRC, "count is", delta=2)
    assert await _hover(client, uri, in_comment) is None
    assert await _definition(client, uri, in_comment) == []
    assert await _labels(client, uri, in_comment) == set()
    in_string = position_of(SRC, "count: ${", delta=3)
    assert await _definition(client, uri, in_string) == []
    assert await _labels(client, uri, in_string) == set()
    prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        doc_id(uri), in_string))
    assert prep is None


async def test_interpolations_are_code(client: LanguageClient, workspace):
    uri = uri_of(workspace, "interp.harn")
    await open_doc(client, uri, SRC)
    inner = position_of(SRC, "twice} and")
    assert await _definition(client, uri, inner) == [(2, 6)]
    h = await _hover(client, uri, inner)
    assert "let twice: int" in h.contents.value
    param = position_of(SRC, "count + 1")
    assert await _definition(client, uri, param) == [(0, 10)]
    assert "count" in await _labels(client, uri, position_of(SRC, "count + 1", delta=3))
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(uri), position=pos(0, 10),
        context=types.ReferenceContext(include_declaration=False)))
    assert [(r.range.start.line, r.range.start.character) for r in refs] == [(2, 14), (3, 37)]
    edit = await client.text_document_rename_async(types.RenameParams(
        doc_id(uri), param, "n"))
    assert sorted((e.range.start.line, e.range.start.character) for e in edit.changes[uri]) \
        == [(0, 10), (2, 14), (3, 37)]


async def test_numbers_and_end_of_file(client: LanguageClient, workspace):
    uri = uri_of(workspace, "eof.harn")
    await open_doc(client, uri, SRC)
    assert await _labels(client, uri, position_of(SRC, "21", delta=2)) == set()
    end = pos(SRC.count("\n"), 0)  # the empty last line
    assert await _hover(client, uri, end) is None
    assert "helper" in await _labels(client, uri, end)
    for p in (pos(999, 0), pos(3, 999), pos(0, 10_000)):  # clamped, never an error
        await _hover(client, uri, p)
        await _definition(client, uri, p)
        await _labels(client, uri, p)
        await client.text_document_signature_help_async(types.SignatureHelpParams(
            text_document=doc_id(uri), position=p))
    sel = await client.text_document_selection_range_async(types.SelectionRangeParams(
        text_document=doc_id(uri), positions=[pos(999, 0)]))
    assert sel[0].range.end == pos(SRC.count("\n"), 0)


ASTRAL = 'let s = "😀𝄞"; let wörd = s\nprintln("😀 ${wörd}")\n'


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


async def _check_astral(client: LanguageClient, uri: str, encoding: str):
    line0, line1 = ASTRAL.split("\n")[:2]
    decl = _units(line0[:line0.index("wörd")], encoding)
    use = _units(line1[:line1.index("wörd")], encoding)
    name_len = _units("wörd", encoding)
    h = await _hover(client, uri, pos(1, use + name_len))  # just after the name
    assert h is not None and "wörd" in h.contents.value
    assert h.range == rng(1, use, 1, use + name_len)
    assert await _definition(client, uri, pos(1, use)) == [(0, decl)]
    hl = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        doc_id(uri), pos(0, decl)))
    assert sorted((x.range.start.line, x.range.start.character, x.range.end.character)
                  for x in hl) == [(0, decl, decl + name_len), (1, use, use + name_len)]


async def test_astral_characters_utf16(client: LanguageClient, workspace):
    uri = uri_of(workspace, "u16.harn")
    await open_doc(client, uri, ASTRAL)
    await _check_astral(client, uri, "utf-16")


async def test_astral_characters_utf8(pull_client: LanguageClient, workspace):
    uri = uri_of(workspace, "u8.harn")
    await open_doc(pull_client, uri, ASTRAL, wait=False)
    await _check_astral(pull_client, uri, "utf-8")


@pytest_lsp.fixture(config=_config())
async def utf32_client(lsp_client: LanguageClient, tmp_path: Path):
    caps = pytest_lsp.client_capabilities("emacs@v29.1")  # prefers UTF-32
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=tmp_path.as_uri()))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf32
    yield
    await lsp_client.shutdown_session()


async def test_astral_characters_utf32(utf32_client: LanguageClient, tmp_path):
    uri = uri_of(tmp_path, "u32.harn")
    await open_doc(utf32_client, uri, ASTRAL)
    await _check_astral(utf32_client, uri, "utf-32")


async def test_position_inside_a_surrogate_pair_is_clamped(client: LanguageClient, workspace):
    uri = uri_of(workspace, "pair.harn")
    text = 'let e = "😀"\nlet f = e\n'
    await open_doc(client, uri, text)
    # character 10 falls between the two UTF-16 units of the emoji
    await _hover(client, uri, pos(0, 10))
    await _definition(client, uri, pos(0, 10))
    edits = types.TextDocumentContentChangePartial(range=rng(0, 10, 0, 10), text="x")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[edits]))
    h = await _hover(client, uri, pos(1, 8))
    assert h is not None and "let e" in h.contents.value
