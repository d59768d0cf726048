"""Completion, signature help, code actions and formatting."""

from __future__ import annotations

import importlib.util

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import change, doc_id, open_doc, pos, position_of, rng, uri_of

SRC = '''struct Point { x: int, y: int }

impl Point {
  fn norm(self) -> int { return self.x * self.x }
}

enum Color { Red, Green }

/// Adds two numbers.
fn add(a: int, b: int) -> int { return a + b }

fn main() {
  let p = Point { x: 1, y: 2 }
  let counter = 0
  let s = "abc"
  println(p)
}
main()
'''


async def _complete(client, uri, position) -> dict[str, types.CompletionItem]:
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=position))
    items = res.items if isinstance(res, types.CompletionList) else res
    return {i.label: i for i in items}


async def test_completion_scope_keywords_builtins_snippets(vscode_client: LanguageClient,
                                                          workspace):
    client = vscode_client
    uri = uri_of(workspace, "c.harn")
    await open_doc(client, uri, SRC)
    at = position_of(SRC, "println(p)")  # start of the line's first word
    items = await _complete(client, uri, at)
    for name in ("counter", "p", "s", "add", "main", "Point", "Color", "println", "while",
                 "fn", "match", "pipeline"):
        assert name in items, name
    assert items["counter"].kind == types.CompletionItemKind.Variable
    assert items["add"].kind == types.CompletionItemKind.Function
    assert "Adds two numbers." in items["add"].documentation.value
    assert items["while"].kind == types.CompletionItemKind.Keyword
    import vm.stdlib as stdlib

    assert items["println"].documentation.value == stdlib.BUILTINS["println"].doc
    snippet = [i for i in items.values() if i.kind == types.CompletionItemKind.Snippet]
    assert {"fn", "match", "pipeline"} <= {i.label for i in snippet}
    assert all(i.insert_text_format == types.InsertTextFormat.Snippet for i in snippet)


async def test_completion_filters_by_prefix(client: LanguageClient, workspace):
    uri = uri_of(workspace, "f.harn")
    text = SRC.replace("println(p)", "coun")
    await open_doc(client, uri, text)
    items = await _complete(client, uri, position_of(text, "coun\n", delta=4))
    assert "counter" in items and "while" not in items


async def test_member_completion_by_receiver_type(client: LanguageClient, workspace):
    uri = uri_of(workspace, "m.harn")
    await open_doc(client, uri, SRC)
    line = position_of(SRC, "println(p)").line
    await change(client, uri, 2, [(rng(line, 2, line, 12), "p.")], wait=False)
    items = await _complete(client, uri, pos(line, 4))
    assert {"x", "y", "norm"} <= set(items)
    assert items["x"].kind == types.CompletionItemKind.Field
    assert items["norm"].kind == types.CompletionItemKind.Method
    await change(client, uri, 3, [(rng(line, 2, line, 4), "s.")], wait=False)
    items = await _complete(client, uri, pos(line, 4))
    import vm.stdlib as stdlib

    assert set(stdlib.METHOD_INFO["string"]) <= set(items)
    assert items["split"].documentation.value == stdlib.METHOD_INFO["string"]["split"].doc
    await change(client, uri, 4, [(rng(line, 2, line, 4), "Color.")], wait=False)
    items = await _complete(client, uri, pos(line, 8))
    assert set(items) == {"Red", "Green"}


async def test_import_path_completion(client: LanguageClient, workspace):
    (workspace / "util.harn").write_text("pub fn f() { return 1 }\n")
    (workspace / "sub").mkdir()
    uri = uri_of(workspace, "main.harn")
    text = 'import "'
    await open_doc(client, uri, text)
    items = await _complete(client, uri, pos(0, 8))
    assert "util" in items and "sub/" in items and "std/json" in items
    assert "main" not in items


async def test_signature_help_user_builtin_and_method(client: LanguageClient, workspace):
    uri = uri_of(workspace, "s.harn")
    text = SRC.replace("println(p)", "add(1, ")
    await open_doc(client, uri, text, wait=False)
    at = position_of(text, "add(1, ", delta=7)
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc_id(uri), position=at))
    sig = help_.signatures[0]
    assert sig.label == "add(a: int, b: int) -> int"
    assert help_.active_parameter == 1
    assert [p.label for p in sig.parameters] == ["a: int", "b: int"]
    assert "Adds two numbers." in sig.documentation.value

    text2 = text.replace("add(1, ", 'split(s, ')
    await change(client, uri, 2, text2, wait=False)
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc_id(uri), position=position_of(text2, "split(s, ", delta=9)))
    assert help_.signatures[0].label.startswith("split(")
    assert help_.active_parameter == 1

    text3 = text.replace("add(1, ", 's.split(')
    await change(client, uri, 3, text3, wait=False)
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc_id(uri), position=position_of(text3, "s.split(", delta=8)))
    assert help_.signatures[0].label.startswith("split(sep")


async def _actions(client, uri, r) -> list[types.CodeAction]:
    res = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc_id(uri), range=r, context=types.CodeActionContext(diagnostics=[])))
    return list(res or [])


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")

    def off(p):
        return sum(len(x) + 1 for x in lines[:p.line]) + p.character

    for e in sorted(edits, key=lambda e: off(e.range.start), reverse=True):
        text = text[:off(e.range.start)] + e.new_text + text[off(e.range.end):]
    return text


async def test_quick_fix_did_you_mean(client: LanguageClient, workspace):
    uri = uri_of(workspace, "q.harn")
    text = 'fn main() {\n  printn("x")\n}\nmain()\n'
    await open_doc(client, uri, text)
    acts = await _actions(client, uri, rng(1, 2, 1, 8))
    fix = [a for a in acts if a.title == "Change to `print`"]
    assert len(fix) == 1 and fix[0].kind == types.CodeActionKind.QuickFix
    assert fix[0].diagnostics
    assert _apply(text, fix[0].edit.changes[uri]) == text.replace("printn", "print")


async def test_quick_fix_missing_match_arms(client: LanguageClient, workspace):
    uri = uri_of(workspace, "arms.harn")
    text = ('enum Shape { Circle(r), Square(s), Dot }\n\nfn area(sh) {\n  match sh {\n'
            '    Shape.Circle(r) -> { return r }\n  }\n}\n\nfn use_it(x: Shape) {\n'
            '  match x {\n    Shape.Dot -> { return 0 }\n  }\n}\nuse_it(Shape.Dot)\n')
    diags = await open_doc(client, uri, text)
    e19 = [d for d in diags if d.code == "E019"]
    assert e19, diags
    acts = await _actions(client, uri, e19[0].range)
    fix = [a for a in acts if a.title.startswith("Add missing match arm")]
    assert fix
    new = _apply(text, fix[0].edit.changes[uri])
    assert "    Shape.Circle(_) -> { }\n    Shape.Square(_) -> { }\n  }" in new
    after = await change(client, uri, 2, new)
    assert not [d for d in after if d.code == "E019"]


async def test_quick_fix_unused_binding(client: LanguageClient, workspace):
    uri = uri_of(workspace, "u.harn")
    text = ("fn main() {\n  let unused = compute()\n  println(1)\n}\n"
            "fn compute() { return 1 }\nmain()\n")
    diags = await open_doc(client, uri, text)
    d = next(d for d in diags if d.code == "unused-variable")
    acts = {a.title: a for a in await _actions(client, uri, d.range)}
    assert _apply(text, acts["Rename `unused` to `_unused`"].edit.changes[uri]) == \
        text.replace("let unused", "let _unused")
    removed = _apply(text, acts["Remove unused variable `unused`"].edit.changes[uri])
    assert removed == "fn main() {\n  println(1)\n}\nfn compute() { return 1 }\nmain()\n"


async def test_quick_fix_interpolation_from_checker_fix(client: LanguageClient, workspace):
    uri = uri_of(workspace, "i.harn")
    text = 'fn f(n: int) -> string {\n  return "n=" + n\n}\nprintln(f(1))\n'
    diags = await open_doc(client, uri, text)
    e16 = [d for d in diags if d.code == "E016"]
    assert e16
    acts = await _actions(client, uri, e16[0].range)
    fix = [a for a in acts if "interpolation" in a.title]
    assert fix and _apply(text, fix[0].edit.changes[uri]) == text.replace('"n=" + n', '"n=${n}"')


@pytest.mark.skipif(importlib.util.find_spec("lang.formatter") is None, reason="no formatter")
async def test_formatting_and_range_formatting(client: LanguageClient, workspace):
    from lang.formatter import format_source

    uri = uri_of(workspace, "fmt.harn")
    text = "fn  f( a ){return a}\nfn g(){ return 2 }\n"
    await open_doc(client, uri, text)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc_id(uri), options=types.FormattingOptions(tab_size=2,
                                                                    insert_spaces=True)))
    assert _apply(text, edits) == format_source(text)
    edits = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(text_document=doc_id(uri), range=rng(0, 0, 0, 5),
                                            options=types.FormattingOptions(
                                                tab_size=2, insert_spaces=True)))
    out = _apply(text, edits)
    assert out.startswith("fn f(a) {\n  return a\n}\n") and out.endswith("fn g(){ return 2 }\n")
    bad = uri_of(workspace, "bad.harn")
    await open_doc(client, bad, "fn f( {\n")
    assert not await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc_id(bad), options=types.FormattingOptions(tab_size=2,
                                                                    insert_spaces=True)))


@pytest.mark.skipif(importlib.util.find_spec("lang.formatter") is None, reason="no formatter")
async def test_on_type_formatting_after_closing_brace(client: LanguageClient, workspace):
    from lang.formatter import format_source

    uri = uri_of(workspace, "ot.harn")
    text = "fn g() { return 2 }\nfn  f( a ){return a}\n"
    await open_doc(client, uri, text)
    edits = await client.text_document_on_type_formatting_async(
        types.DocumentOnTypeFormattingParams(
            text_document=doc_id(uri), position=pos(1, 20), ch="}",
            options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    out = _apply(text, edits)
    assert out.startswith("fn g() { return 2 }\n")  # only the item just closed
    assert out.endswith("fn f(a) {\n  return a\n}\n")
    assert format_source(out) == format_source(text)
