"""Document and workspace symbols, folding, selection ranges, semantic tokens, inlay hints."""

from __future__ import annotations

import os
import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import ENV, SERVER, doc_id, open_doc, pos, position_of, rng, uri_of

SRC = '''import { helper } from "lib"

// one
// two
struct Point {
  x: int,
  y: int
}

enum Color { Red, Green }

impl Point {
  fn norm(self) -> int { return self.x }
}

fn add(a: int, b: int) -> int {
  let total = a + b
  return total
}

fn main() {
  let p = Point { x: 1, y: 2 }
  let n = p.norm()
  let sum = add(n, 2)
  println("${sum}")
}
main()
'''


async def test_document_symbols_are_hierarchical(vscode_client: LanguageClient, workspace):
    client = vscode_client
    uri = uri_of(workspace, "s.harn")
    await open_doc(client, uri, SRC)
    syms = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=doc_id(uri)))
    by_name = {s.name: s for s in syms}
    assert by_name["Point"].kind == types.SymbolKind.Struct
    assert [c.name for c in by_name["Point"].children] == ["x", "y"]
    assert [c.name for c in by_name["Color"].children] == ["Red", "Green"]
    assert [c.name for c in by_name["impl Point"].children] == ["norm"]
    assert by_name["add"].kind == types.SymbolKind.Function
    assert by_name["add"].selection_range.start == position_of(SRC, "add(a")
    assert by_name["add"].detail == "fn add(a: int, b: int) -> int"


async def test_folding_ranges(client: LanguageClient, workspace):
    uri = uri_of(workspace, "f.harn")
    await open_doc(client, uri, SRC)
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(
        text_document=doc_id(uri)))
    spans = {(f.start_line, f.end_line, f.kind) for f in folds}
    assert (4, 6, None) in spans  # struct Point { ... }
    assert (15, 17, None) in spans  # fn add body
    assert (2, 3, types.FoldingRangeKind.Comment) in spans


async def test_selection_ranges_grow_outward(client: LanguageClient, workspace):
    uri = uri_of(workspace, "sel.harn")
    await open_doc(client, uri, SRC)
    res = await client.text_document_selection_range_async(types.SelectionRangeParams(
        text_document=doc_id(uri), positions=[position_of(SRC, "a + b")]))
    chain = []
    node = res[0]
    while node is not None:
        chain.append(node.range)
        node = node.parent
    assert chain[0] == rng(16, 14, 16, 15)  # `a`
    assert chain[1] == rng(16, 14, 16, 19)  # `a + b`
    assert chain[-1].start == pos(0, 0)
    for inner, outer in zip(chain, chain[1:], strict=False):
        assert (outer.start.line, outer.start.character) <= (inner.start.line,
                                                              inner.start.character)


def _decode(data: list[int], legend: types.SemanticTokensLegend, text: str):
    lines = text.split("\n")
    out = []
    line = char = 0
    for i in range(0, len(data), 5):
        dl, dc, ln, typ, mods = data[i:i + 5]
        line += dl
        char = dc if dl else char + dc
        mod_names = [m for b, m in enumerate(legend.token_modifiers) if mods & (1 << b)]
        out.append((lines[line][char:char + ln], legend.token_types[typ], mod_names))
    return out


async def test_semantic_tokens_full_and_range(client: LanguageClient, workspace):
    uri = uri_of(workspace, "t.harn")
    await open_doc(client, uri, SRC)
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    full = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(
        text_document=doc_id(uri)))
    toks = _decode(list(full.data), legend, SRC)
    kinds = {(t, k) for t, k, _ in toks}
    for expected in [("struct", "keyword"), ("Point", "struct"), ("x", "property"),
                     ("Red", "enumMember"), ("norm", "method"), ("add", "function"),
                     ("a", "parameter"), ("total", "variable"), ("println", "function"),
                     ("// one", "comment"), ("1", "number"), ("sum", "variable"),
                     ('"lib"', "string"), ("int", "type")]:
        assert expected in kinds, expected
    assert ("println", "function", ["defaultLibrary"]) in toks
    assert ("add", "function", ["declaration"]) in toks
    part = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(text_document=doc_id(uri), range=rng(15, 0, 18, 1)))
    texts = [t for t, _, _ in _decode(list(part.data), legend, SRC)]
    assert "add" in texts and "total" in texts and "Point" not in texts


async def test_inlay_hints_types_and_parameter_names(client: LanguageClient, workspace):
    uri = uri_of(workspace, "ih.harn")
    await open_doc(client, uri, SRC)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc_id(uri), range=rng(0, 0, 27, 0)))
    got = {(h.position.line, h.position.character, h.label) for h in hints}
    assert (16, 11, ": int") in got  # let total = a + b
    assert (21, 7, ": Point") in got  # let p = Point {...}
    assert (23, 16, "a:") in got and (23, 19, "b:") in got
    # literals and annotated bindings get no type hint
    assert not any(h.label.startswith(":") and h.position.line in (24,) for h in hints)


FILES = {
    "one.harn": "fn alpha_task() { return 1 }\nstruct AlphaRecord { id: int }\n",
    "sub/two.harn": "pub fn beta_task() { return 2 }\n",
}


def _config() -> ClientServerConfig:
    env = dict(os.environ)
    env.update(ENV)
    return ClientServerConfig(server_command=SERVER, server_env=env)


@pytest_lsp.fixture(config=_config())
async def indexed_client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("indexed")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
    lsp_client.root = root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_workspace_symbols_from_startup_index(indexed_client: LanguageClient):
    syms = await indexed_client.workspace_symbol_async(types.WorkspaceSymbolParams(query="task"))
    names = {(s.name, s.location.uri.rsplit("/", 1)[1]) for s in syms}
    assert ("alpha_task", "one.harn") in names and ("beta_task", "two.harn") in names
    syms = await indexed_client.workspace_symbol_async(types.WorkspaceSymbolParams(
        query="AlphaRec"))
    assert [(s.name, s.kind) for s in syms] == [("AlphaRecord", types.SymbolKind.Struct)]


async def test_watched_file_changes_update_the_index(indexed_client: LanguageClient):
    root = indexed_client.root  # type: ignore[attr-defined]
    (root / "one.harn").write_text("fn gamma_task() { return 1 }\n")
    (root / "sub" / "two.harn").unlink()
    indexed_client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(root / "one.harn").as_uri(), type=types.FileChangeType.Changed),
        types.FileEvent(uri=(root / "sub" / "two.harn").as_uri(),
                        type=types.FileChangeType.Deleted)]))
    syms = await indexed_client.workspace_symbol_async(types.WorkspaceSymbolParams(query="task"))
    assert sorted(s.name for s in syms) == ["gamma_task"]


def test_server_command_is_importable():
    assert SERVER[0] == sys.executable
