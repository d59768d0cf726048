"""Documents with syntax errors: the diagnostics are exactly the parser's, and the
features keep working on the valid items, including those after an error whose
brackets never close (the parser skips the rest of the file there)."""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

from lang.parser import parse
from lang.source import Source
from lsp.chunks import build
from tests.lsp.conftest import change, doc_id, open_doc, pos, position_of, rng, uri_of

BROKEN = '''struct Point { x: int, y: int }

fn good(a: int) -> int {
  let b = a + 1
  return b
}

fn broken( {
  let z =
}

/// After the error.
fn after(p: Point) -> int {
  let q = good(p.x)
  return q
}

fn main() {
  println(after(Point { x: 1, y: 2 }))
}
'''


def test_recovered_items_do_not_change_the_diagnostics():
    doc = build(BROKEN)
    names = [getattr(it, "name", None) for c in doc.chunks for it in c.items]
    assert names == ["Point", "good", "after", "main"]
    syntax = [d for c in doc.chunks for d in c.syntax]
    assert [(d.message, d.start) for d in syntax] == [
        (d.message, d.start) for d in parse(Source(BROKEN)).diagnostics]
    assert "".join(c.text for c in doc.chunks) == BROKEN


def test_recovery_inside_a_long_broken_tail():
    text = "fn a( {\n" + "".join(f"fn f{i}() {{ return {i} }}\nfn g{i}( {{\n" for i in range(30))
    doc = build(text)
    names = {getattr(it, "name", None) for c in doc.chunks for it in c.items}
    assert "f0" in names  # recovery is bounded, but the first items after an error come back
    assert "".join(c.text for c in doc.chunks) == text


async def test_features_after_an_unclosed_parameter_list(client: LanguageClient, workspace):
    uri = uri_of(workspace, "broken.harn")
    diags = await open_doc(client, uri, BROKEN)
    assert [(d.message, d.range, d.source) for d in diags] == [
        ("Expected parameter name, got {", rng(7, 11, 7, 12), "harn")]
    d = doc_id(uri)
    h = await client.text_document_hover_async(types.HoverParams(
        d, position_of(BROKEN, "good(p")))
    assert "fn good(a: int) -> int" in h.contents.value
    h = await client.text_document_hover_async(types.HoverParams(
        d, position_of(BROKEN, "after(Point")))
    assert "After the error." in h.contents.value
    loc = await client.text_document_definition_async(types.DefinitionParams(
        d, position_of(BROKEN, "x)", delta=0)))
    assert loc and loc[0].range.start == pos(0, 15)
    syms = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=d))
    assert {s.name for s in syms} >= {"Point", "good", "after", "main"}
    comp = await client.text_document_completion_async(types.CompletionParams(
        text_document=d, position=position_of(BROKEN, "p.x", delta=2)))
    assert {"x", "y"} <= {i.label for i in comp.items}
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=d, position=position_of(BROKEN, "good(a"),
        context=types.ReferenceContext(include_declaration=True)))
    assert [r.range.start.line for r in refs] == [2, 13]


async def test_fixing_the_error_restores_checker_diagnostics(client: LanguageClient,
                                                             workspace):
    uri = uri_of(workspace, "fix.harn")
    await open_doc(client, uri, BROKEN)
    line = BROKEN.split("\n").index("fn broken( {")
    fixed = await change(client, uri, 2, [(rng(line + 1, 9, line + 1, 9), " 1"),
                                          (rng(line, 10, line, 10), ")")])
    assert all(x.source in ("harn-typecheck", "harn-lint") for x in fixed)
    unused = [x.range for x in fixed if x.code == "unused-variable"]
    assert unused == [rng(line + 1, 6, line + 1, 7)]  # `z`, linted in the first publish
    broken = await change(client, uri, 3, [(rng(line, 10, line, 11), "")])
    assert [x.message for x in broken] == ["Expected parameter name, got {"]


async def test_typing_a_new_item_mid_file(client: LanguageClient, workspace):
    """The usual editing state: a half-typed call in the middle of a file."""
    text = "fn one() { return 1 }\n\nfn two() { return one() }\nprintln(two())\n"
    uri = uri_of(workspace, "typing.harn")
    await open_doc(client, uri, text)
    diags = await change(client, uri, 2, [(rng(1, 0, 1, 0), "let v = one(")])
    assert diags and all(x.source == "harn" for x in diags)
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(2, 19)))
    assert h is not None and "fn one()" in h.contents.value
    sig = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc_id(uri), position=pos(1, 12)))
    assert sig is not None and sig.signatures[0].label.startswith("one(")
