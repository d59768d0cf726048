"""The server stays up: garbage text, random edits and positions, unknown URIs,
files deleted underneath, malformed requests; positions honour the encoding."""

from __future__ import annotations

import asyncio
import random

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from lsp.analysis import DocumentAnalysis
from tests.lsp.conftest import TIMEOUT, change, doc_id, open_doc, pos, rng, uri_of

SEED_TEXT = '''struct P { x: int }
fn f(a: int) -> int {
  let b = a + 1
  return b
}
fn main() {
  let p = P { x: f(1) }
  println(p.x)
}
main()
'''
ALPHABET = ["x", " ", "\n", "(", ")", "{", "}", "[", "]", '"', "${", ".", ",", "let ", "fn ",
            "p.", "f(", "1", "é", "😀", "\t", "/*", "*/", "//", "->", "match ", "=", ":", "|>"]


async def _requests(client: LanguageClient, uri: str, r: random.Random, lines: int) -> None:
    p = pos(r.randrange(0, lines + 3), r.randrange(0, 90))
    d = doc_id(uri)
    span = types.Range(start=pos(0, 0), end=pos(lines + 2, 0))
    calls = [
        client.text_document_hover_async(types.HoverParams(d, p)),
        client.text_document_definition_async(types.DefinitionParams(d, p)),
        client.text_document_completion_async(types.CompletionParams(text_document=d,
                                                                     position=p)),
        client.text_document_signature_help_async(types.SignatureHelpParams(
            text_document=d, position=p)),
        client.text_document_references_async(types.ReferenceParams(
            text_document=d, position=p,
            context=types.ReferenceContext(include_declaration=True))),
        client.text_document_document_highlight_async(types.DocumentHighlightParams(d, p)),
        client.text_document_prepare_rename_async(types.PrepareRenameParams(d, p)),
        client.text_document_selection_range_async(types.SelectionRangeParams(
            text_document=d, positions=[p])),
        client.text_document_semantic_tokens_range_async(types.SemanticTokensRangeParams(
            text_document=d, range=types.Range(start=pos(0, 0), end=p))),
        client.text_document_inlay_hint_async(types.InlayHintParams(text_document=d,
                                                                    range=span)),
        client.text_document_code_action_async(types.CodeActionParams(
            text_document=d, range=types.Range(start=p, end=p),
            context=types.CodeActionContext(diagnostics=[]))),
        client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=d)),
        client.text_document_folding_range_async(types.FoldingRangeParams(text_document=d)),
    ]
    await asyncio.wait_for(asyncio.gather(*r.sample(calls, 4)), TIMEOUT)
    for c in calls:  # the coroutines not sampled are never awaited: close them
        c.close()


def _line_col(text: str, i: int) -> tuple[int, int]:
    line = text.count("\n", 0, i)
    col = i - (text.rfind("\n", 0, i) + 1)
    return line, len(text[i - col:i].encode("utf-16-le")) // 2


async def test_random_edits_and_requests_keep_server_consistent(client: LanguageClient,
                                                                workspace):
    r = random.Random(1234)
    uri = uri_of(workspace, "fuzz.harn")
    text = SEED_TEXT
    await open_doc(client, uri, text)
    version = 1
    for _ in range(60):
        i = r.randrange(len(text) + 1)
        j = min(len(text), i + r.choice([0, 0, 1, 3, 10]))
        new = r.choice(ALPHABET + [""])
        start, end = _line_col(text, i), _line_col(text, j)
        text = text[:i] + new + text[j:]
        version += 1
        await change(client, uri, version, [(rng(*start, *end), new)], wait=False)
        if r.random() < 0.5:
            await _requests(client, uri, r, text.count("\n") + 1)
    # the server's view of the text matches ours: its diagnostics equal a fresh analysis
    version += 1
    text += "\n"
    diags = await change(client, uri, version, [(rng(*_line_col(text[:-1], len(text) - 1),
                                                     *_line_col(text[:-1], len(text) - 1)),
                                                 "\n")])
    expected = sorted((d.code, d.message) for d in DocumentAnalysis.create(
        "u", None, 0, text).diagnostics() if d.source != "harn-lint")
    assert sorted((str(d.code), d.message) for d in diags if d.source != "harn-lint") == \
        expected
    hover = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(0, 0)))
    assert hover is None or hover.contents


async def test_garbage_documents(client: LanguageClient, workspace):
    r = random.Random(99)
    for n in range(4):
        uri = uri_of(workspace, f"garbage{n}.harn")
        text = "".join(chr(r.choice([r.randrange(32, 127), r.randrange(0x80, 0x3000), 10]))
                       for _ in range(2000))
        await open_doc(client, uri, text)
        await _requests(client, uri, r, text.count("\n") + 1)
    deep = uri_of(workspace, "deep.harn")
    await open_doc(client, deep, "let x = " + "(" * 3000 + "1" + ")" * 3000 + "\n" +
                   "[" * 2000)
    await _requests(client, deep, r, 2)


async def test_unknown_uri_and_deleted_files(client: LanguageClient, workspace):
    ghost = uri_of(workspace, "ghost.harn")
    assert await client.text_document_hover_async(types.HoverParams(doc_id(ghost),
                                                                     pos(0, 0))) is None
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=doc_id(ghost)))
    assert list(report.items) == []
    lib = workspace / "lib.harn"
    lib.write_text("pub fn helper() { return 1 }\n")
    app = uri_of(workspace, "app.harn")
    text = 'import { helper } from "lib"\nprintln(helper())\n'
    await open_doc(client, app, text)
    loc = await client.text_document_definition_async(types.DefinitionParams(
        doc_id(app), pos(1, 9)))
    assert loc
    lib.unlink()  # deleted underneath, no watcher event
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[]))
    await client.text_document_definition_async(types.DefinitionParams(doc_id(app), pos(1, 9)))
    await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(app), position=pos(1, 9),
        context=types.ReferenceContext(include_declaration=True)))
    syms = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="helper"))
    assert syms is not None


async def test_malformed_request_is_an_error_and_server_keeps_serving(client: LanguageClient,
                                                                       workspace):
    uri = uri_of(workspace, "ok.harn")
    await open_doc(client, uri, SEED_TEXT)
    for n, (method, params) in enumerate([
            (types.TEXT_DOCUMENT_HOVER, {"textDocument": {"uri": 5}, "position": "nowhere"}),
            (types.TEXT_DOCUMENT_DEFINITION, {"textDocument": {"uri": uri},
                                              "position": {"line": -4, "character": "x"}}),
            ("harn/noSuchMethod", {})]):
        msg_id = f"raw-{n}"
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        client.protocol._request_futures[msg_id] = fut  # raw JSON, bypassing the client's types
        client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method,
                                    "params": params})
        with pytest.raises(JsonRpcException):
            await asyncio.wait_for(fut, TIMEOUT)
    hover = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, 3)))
    assert hover is not None and "fn f(a: int) -> int" in hover.contents.value


EMOJI = 'let s = "😀"; let u: int = "x"\nlet t = s\n'


async def test_utf16_positions_by_default(client: LanguageClient, workspace):
    uri = uri_of(workspace, "u16.harn")
    diags = await open_doc(client, uri, EMOJI)
    e001 = [d.range for d in diags if d.code == "E001"]
    assert e001 == [rng(0, 14, 0, 15)]  # 😀 counts 2 in UTF-16
    hl = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        doc_id(uri), pos(1, 9)))
    assert {(h.range.start.line, h.range.start.character) for h in hl} == {(0, 4), (1, 8)}


async def test_utf8_positions_when_negotiated(pull_client: LanguageClient, workspace):
    uri = uri_of(workspace, "u8.harn")
    await open_doc(pull_client, uri, EMOJI, wait=False)
    report = await pull_client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=doc_id(uri)))
    e001 = [d.range for d in report.items if d.code == "E001"]
    assert e001 == [rng(0, 16, 0, 17)]  # 😀 is 4 UTF-8 bytes


def test_cli_accepts_stdio_and_exits_on_eof():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "lang.cli", "lsp", "--stdio"], input=b"",
                          capture_output=True, timeout=60)
    assert proc.stdout == b""  # nothing but protocol messages ever goes to stdout
