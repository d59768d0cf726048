"""Completion, signature help, code actions and formatting in less ordinary spots:
trigger characters, enum values, strings inside calls, ``context.only``, CRLF files,
unusual URIs."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import change, doc_id, open_doc, pos, position_of, uri_of

SRC = '''enum Color { Red, Green(level: int) }
fn outer(a: int, b: string, c: bool) -> int { return a }
fn inner(x: int, y: int) -> int { return x }
fn main() {
  let c = Color.Red
  let r = Ok(1)
  println(outer(inner(1, 2), "a,(b", true))
  println(c)
  println(r)
}
main()
'''


async def _labels(client, uri, p, trigger: str | None = None) -> list[str]:
    ctx = None
    if trigger is not None:
        ctx = types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter,
                                      trigger_character=trigger)
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=p, context=ctx))
    return [i.label for i in res.items]


async def _sig(client, uri, p):
    res = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc_id(uri), position=p))
    return None if res is None else (res.signatures[0].label, res.active_parameter)


async def test_trigger_characters(client: LanguageClient, workspace):
    uri = uri_of(workspace, "t.harn")
    await open_doc(client, uri, SRC)
    # "/" and '"' only ever complete import paths
    text = SRC + "let q = 4 /"
    await change(client, uri, 2, text)
    assert await _labels(client, uri, pos(11, 11), "/") == []
    text += '\nimport "'
    await change(client, uri, 3, text)
    paths = await _labels(client, uri, pos(12, 8), '"')
    assert paths and all(x.startswith("std/") or not x.startswith("std") for x in paths)
    assert any(x.startswith("std/") for x in paths) and "println" not in paths


async def test_enum_values_complete_their_properties(client: LanguageClient, workspace):
    uri = uri_of(workspace, "e.harn")
    text = SRC.replace("  println(c)\n", "  c.\n").replace("  println(r)\n", "  r.\n")
    await open_doc(client, uri, text)
    assert sorted(await _labels(client, uri, position_of(text, "c.\n", delta=2), ".")) == [
        "fields", "variant"]
    assert sorted(await _labels(client, uri, position_of(text, "r.\n", delta=2), ".")) == [
        "fields", "variant"]
    assert await _labels(client, uri, position_of(text, "Color.Red", delta=6)) == [
        "Red", "Green"]


async def test_signature_help_skips_strings_and_nested_calls(client: LanguageClient, workspace):
    uri = uri_of(workspace, "s.harn")
    await open_doc(client, uri, SRC)
    outer = "outer(a: int, b: string, c: bool) -> int"
    assert await _sig(client, uri, position_of(SRC, "2)")) == (
        "inner(x: int, y: int) -> int", 1)
    assert await _sig(client, uri, position_of(SRC, "2)", delta=2)) == (outer, 0)
    assert await _sig(client, uri, position_of(SRC, '"a,(b"', delta=3)) == (outer, 1)
    assert await _sig(client, uri, position_of(SRC, "true)")) == (outer, 2)
    assert await _sig(client, uri, position_of(SRC, "true)", delta=5)) == (
        "println(v?: any) -> nil", 0)


async def test_code_actions_respect_only(client: LanguageClient, workspace):
    uri = uri_of(workspace, "o.harn")
    text = "fn main() {\n  let unused = 1\n}\nmain()\n"
    diags = await open_doc(client, uri, text)
    d = next(x for x in diags if x.code == "unused-variable")

    async def actions(only):
        return await client.text_document_code_action_async(types.CodeActionParams(
            text_document=doc_id(uri), range=d.range,
            context=types.CodeActionContext(diagnostics=[d], only=only)))

    assert list(await actions([types.CodeActionKind.Refactor])) == []
    assert list(await actions([types.CodeActionKind.Source])) == []
    fixes = await actions([types.CodeActionKind.QuickFix])
    assert fixes and all(a.kind == types.CodeActionKind.QuickFix for a in fixes)
    assert all(list(a.diagnostics) == [d] for a in fixes)  # the published diagnostic itself


def _offset(text: str, p: types.Position) -> int:
    return sum(len(x) + 1 for x in text.split("\n")[:p.line]) + p.character


async def test_formatting_keeps_crlf_line_ends(client: LanguageClient, workspace):
    uri = uri_of(workspace, "crlf.harn")
    text = "fn  f( a ){\r\n  return a\r\n}\r\nprintln(f(1))\r\n"
    await open_doc(client, uri, text)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc_id(uri), options=types.FormattingOptions(tab_size=2,
                                                                    insert_spaces=True)))
    assert edits
    out = text
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                    reverse=True):
        out = out[:_offset(out, e.range.start)] + e.new_text + out[_offset(out, e.range.end):]
    assert out == "fn f(a) {\r\n  return a\r\n}\r\nprintln(f(1))\r\n"
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, 9)))
    assert h is not None and "param a" in h.contents.value


async def test_documents_without_a_file(client: LanguageClient, workspace):
    for uri in ("untitled:Untitled-1", "inmemory://model/7"):
        diags = await open_doc(client, uri, 'let x: int = "no"\nprintln(x)\n')
        assert [d.code for d in diags] == ["E001"]
        h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, 8)))
        assert "let x: int" in h.contents.value
        assert await client.text_document_completion_async(types.CompletionParams(
            text_document=doc_id(uri), position=pos(1, 0)))


async def test_import_names_complete_from_the_module(client: LanguageClient, workspace):
    (workspace / "lib.harn").write_text(
        "pub struct Rec { id: int }\n/// Makes one.\npub fn make(id: int) -> Rec {"
        " return Rec { id: id } }\nfn hidden() { return 0 }\n")
    uri = uri_of(workspace, "imp.harn")
    text = 'import { ma } from "lib"\nimport { cl } from "std/math"\nprintln(make(1))\n'
    await open_doc(client, uri, text)
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=pos(0, 11)))
    by_label = {i.label: i for i in res.items}
    assert set(by_label) == {"Rec", "make"}  # `hidden` is not exported
    assert by_label["make"].kind == types.CompletionItemKind.Function
    assert by_label["Rec"].kind == types.CompletionItemKind.Struct
    assert "clamp" in await _labels(client, uri, pos(1, 11))
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, 22)))
    assert h is not None and "`clamp`" in h.contents.value
    assert h.range.start == pos(1, 19) and h.range.end == pos(1, 29)


async def test_did_you_mean_for_fields_and_methods(client: LanguageClient, workspace):
    uri = uri_of(workspace, "dym.harn")
    text = ('struct Point { x: int, y: int }\nimpl Point {\n  fn norm(self) -> int'
            ' { return self.x }\n}\nfn main() {\n  let p = Point { x: 1, y: 2 }\n'
            '  println(p.xx)\n  println(p.nrom())\n  println("abc".uppr())\n}\nmain()\n')
    diags = await open_doc(client, uri, text)
    fixes = {}
    for d in diags:
        acts = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=doc_id(uri), range=d.range,
            context=types.CodeActionContext(diagnostics=[d])))
        for a in acts:
            e = a.edit.changes[uri][0]
            fixes[d.code] = (a.title, e.range.start.line, e.range.start.character, e.new_text)
    assert fixes == {"W104": ("Change to `x`", 6, 12, "x"),
                     "W105": ("Change to `norm`", 7, 12, "norm"),
                     "W106": ("Change to `upper`", 8, 16, "upper")}
