"""Editor-style sessions on a realistic two-file workspace.

Each test opens ``util.harn`` and ``main.harn`` (structs with impl methods, an
enum matched exhaustively, closures, a selective import, and the Tier 2 forms
``gen fn``/``emit``, ``select`` and ``deadline``) and checks that the answers are
right, not merely present: the hover text, the target span of a definition, the
edits of a rename, the decoded semantic tokens, and so on.
"""

from __future__ import annotations

from lsprotocol import types
from pytest_lsp import LanguageClient

import vm.stdlib as stdlib
from tests.lsp.conftest import change, doc_id, open_doc, pos, position_of, rng, uri_of

UTIL = '''/// Turns a title into a URL slug.
pub fn slugify(title: string) -> string {
  return title.lower().replace(" ", "-")
}

pub fn pad(s: string, n: int) -> string {
  return s + " " * n
}
'''

MAIN = '''import { slugify } from "util"

/// A 2-D point.
struct Point {
  x: int
  y: int
}

impl Point {
  /// Moves the point right.
  fn shift(self, dx: int) -> Point {
    return Point { x: self.x + dx, y: self.y }
  }
}

enum Shape {
  Circle(radius: float)
  Rect(w: float, h: float)
  Empty
}

fn area(shape: Shape) -> float {
  return match shape {
    Shape.Circle(r) -> { 3.14 * r * r }
    Shape.Rect(w, h) -> { w * h }
    Shape.Empty -> { 0.0 }
  }
}

gen fn counter(limit: int) -> Stream<int> {
  var i = 0
  while i < limit {
    emit i
    i = i + 1
  }
}

fn main() {
  let origin = Point { x: 0, y: 0 }
  let moved = origin.shift(3)
  let scale = { v -> v * 2 }
  let names = ["Ada Lovelace", "Alan Turing"]
  for n in names {
    println("${slugify(n)} ${scale(moved.x)}")
  }
  println(area(Shape.Rect(2.0, 3.0)))
  let ch = channel("jobs")
  send(ch, 1)
  select {
    job from ch { println(job) }
    timeout 1s { println("idle") }
  }
  deadline 2s {
    for k in counter(2) { println(k) }
  }
}
main()
'''


async def _session(client: LanguageClient, workspace) -> tuple[str, str]:
    (workspace / "util.harn").write_text(UTIL)
    (workspace / "main.harn").write_text(MAIN)
    util, main = uri_of(workspace, "util.harn"), uri_of(workspace, "main.harn")
    assert await open_doc(client, util, UTIL) == []
    diags = await open_doc(client, main, MAIN)
    assert diags == [], [d.message for d in diags]
    return util, main


async def _hover(client, uri, text, needle, nth=0, delta=0) -> str:
    h = await client.text_document_hover_async(types.HoverParams(
        doc_id(uri), position_of(text, needle, nth, delta)))
    assert h is not None, f"no hover for {needle!r}"
    return h.contents.value if hasattr(h.contents, "value") else str(h.contents)


async def _definition(client, uri, text, needle, nth=0, delta=0) -> types.Location:
    res = await client.text_document_definition_async(types.DefinitionParams(
        doc_id(uri), position_of(text, needle, nth, delta)))
    assert res, f"no definition for {needle!r}"
    loc = res[0] if isinstance(res, list | tuple) else res
    if isinstance(loc, types.LocationLink):
        return types.Location(loc.target_uri, loc.target_selection_range)
    return loc


def _span_text(text: str, r: types.Range) -> str:
    lines = text.split("\n")
    assert r.start.line == r.end.line, r
    return lines[r.start.line][r.start.character:r.end.character]


async def _complete(client, uri, position) -> dict[str, types.CompletionItem]:
    res = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc_id(uri), position=position))
    items = res.items if isinstance(res, types.CompletionList) else (res or [])
    return {i.label: i for i in items}


# -- hover -----------------------------------------------------------------------------------

async def test_hover_answers(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    assert "let origin: Point" in await _hover(client, main, MAIN, "origin.shift")
    text = await _hover(client, main, MAIN, "dx: int", 0)
    assert "dx: int" in text
    assert "Point.x: int" in await _hover(client, main, MAIN, "moved.x", 0, 6)
    text = await _hover(client, main, MAIN, "shift(3)")
    assert "fn shift(self, dx: int) -> Point" in text and "Moves the point right." in text
    text = await _hover(client, main, MAIN, "channel(\"jobs\")")
    assert "channel(" in text and stdlib.BUILTINS["channel"].doc in text
    text = await _hover(client, main, MAIN, "Rect(2.0", 0)
    assert "Shape.Rect(w: float, h: float)" in text
    assert "Shape.Circle(radius: float)" in await _hover(client, main, MAIN, "Circle(r)")
    text = await _hover(client, main, MAIN, "slugify(n)")
    assert "fn slugify(title: string) -> string" in text
    assert "Turns a title into a URL slug." in text
    assert "gen fn counter(limit: int) -> Stream<int>" in await _hover(
        client, main, MAIN, "counter(2)")
    assert "Point.y: int" in await _hover(client, main, MAIN, "  y: int", 0, 2)
    assert "Shape.Empty" in await _hover(client, main, MAIN, "  Empty", 0, 2)


async def test_hover_in_tier2_forms(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    assert "job" in await _hover(client, main, MAIN, "job)")
    assert "k: int" in await _hover(client, main, MAIN, "k)")
    assert "i: int" in await _hover(client, main, MAIN, "emit i", 0, 5)
    assert "let ch" in await _hover(client, main, MAIN, "ch {")


async def test_hover_parameter_use_and_closure(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    assert "dx: int" in await _hover(client, main, MAIN, "dx, y:")
    assert "shape: Shape" in await _hover(client, main, MAIN, "match shape", 0, 6)
    assert "scale" in await _hover(client, main, MAIN, "scale(moved")
    assert "n: string" in await _hover(client, main, MAIN, "slugify(n)", 0, 8)


# -- definition ------------------------------------------------------------------------------

async def test_definitions_land_on_the_declared_name(client: LanguageClient, workspace):
    util, main = await _session(client, workspace)
    cases = [
        ("origin.shift", 0, 0, "origin", 38),
        ("dx, y:", 0, 0, "dx", 10),
        ("moved.x", 0, 6, "x", 4),
        ("shift(3)", 0, 0, "shift", 10),
        ("Rect(2.0", 0, 0, "Rect", 17),
        ("Shape.Empty", 0, 6, "Empty", 18),
        ("Point { x: 0", 0, 0, "Point", 3),
        ("counter(2)", 0, 0, "counter", 29),
        ("scale(moved", 0, 0, "scale", 40),
        ("r * r", 0, 0, "r", 23),
    ]
    for needle, nth, delta, name, line in cases:
        loc = await _definition(client, main, MAIN, needle, nth, delta)
        assert loc.uri == main, needle
        assert loc.range.start.line == line, (needle, loc.range)
        assert _span_text(MAIN, loc.range) == name, (needle, loc.range)
    loc = await _definition(client, main, MAIN, "slugify(n)")
    assert loc.uri == util and loc.range.start.line == 1
    assert _span_text(UTIL, loc.range) == "slugify"
    loc = await _definition(client, main, MAIN, "slugify }")
    assert loc.uri == util and _span_text(UTIL, loc.range) == "slugify"
    res = await client.text_document_definition_async(types.DefinitionParams(
        doc_id(main), position_of(MAIN, "println(job)")))
    assert not res  # builtins have no source location


# -- references and rename -------------------------------------------------------------------

async def test_references_and_rename_across_files(client: LanguageClient, workspace):
    util, main = await _session(client, workspace)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(util), position=position_of(UTIL, "slugify"),
        context=types.ReferenceContext(include_declaration=True)))
    where = sorted((r.uri == main, r.range.start.line) for r in refs)
    assert where == [(False, 1), (True, 0), (True, 43)], where
    prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        doc_id(main), position_of(MAIN, "slugify(n)")))
    assert prep is not None
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc_id(main), position=position_of(MAIN, "slugify(n)"), new_name="to_slug"))
    changes = edit.changes or {}
    if not changes and edit.document_changes:
        changes = {dc.text_document.uri: dc.edits for dc in edit.document_changes}
    assert set(changes) == {util, main}
    assert len(changes[main]) == 2 and len(changes[util]) == 1
    assert all(e.new_text == "to_slug" for es in changes.values() for e in es)
    for e in changes[main]:
        assert _span_text(MAIN, e.range) == "slugify"


async def test_rename_method_and_field(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc_id(main), position=position_of(MAIN, "shift(3)"), new_name="move"))
    assert edit is not None, "method rename"
    edits = (edit.changes or {})[main]
    assert sorted(e.range.start.line for e in edits) == [10, 39]
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc_id(main), position=position_of(MAIN, "  x: int", 0, 2),
        new_name="left"))
    assert edit is not None, "field rename"
    edits = (edit.changes or {})[main]
    assert {_span_text(MAIN, e.range) for e in edits} == {"x"}
    # declaration, literal key x2 (line 12 has 2: key + self.x), origin literal, moved.x
    assert len(edits) == 5, [(e.range.start.line, e.range.start.character) for e in edits]


async def test_prepare_rename_rejects_keywords_and_builtins(client: LanguageClient, workspace):
    from pygls.exceptions import JsonRpcException

    _, main = await _session(client, workspace)
    for needle in ("deadline", "select", "match shape", "println(area", "channel(", "fn main"):
        try:
            res = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
                doc_id(main), position_of(MAIN, needle)))
        except JsonRpcException:
            res = None
        assert res is None, needle


# -- completion ------------------------------------------------------------------------------

EDIT_LINE = 46  # the `let ch = ...` line; we insert text before it


async def _complete_after(client, main, version, snippet) -> dict[str, types.CompletionItem]:
    """Insert ``snippet`` as a new line before ``let ch`` and complete at its end."""
    line = f"  {snippet}\n"
    await change(client, main, version, [(rng(EDIT_LINE, 0, EDIT_LINE, 0), line)], wait=False)
    return await _complete(client, main, pos(EDIT_LINE, 2 + len(snippet)))


async def test_member_completion_on_struct_string_list(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    items = await _complete_after(client, main, 2, "moved.")
    assert {"x", "y", "shift"} <= set(items), sorted(items)
    assert items["x"].kind == types.CompletionItemKind.Field
    assert items["shift"].kind == types.CompletionItemKind.Method
    await change(client, main, 3, MAIN, wait=False)
    items = await _complete_after(client, main, 4, '"ab".')
    assert {"upper", "lower", "split", "trim"} <= set(items), sorted(items)
    assert "x" not in items
    await change(client, main, 5, MAIN, wait=False)
    items = await _complete_after(client, main, 6, "names.")
    assert {"map", "filter", "push", "contains"} <= set(items), sorted(items)
    assert "len" not in items  # lists have no len() method (stdlib.md)
    assert "upper" not in items


async def test_completion_in_import_path_and_keywords(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    (workspace / "lib").mkdir()
    (workspace / "lib" / "strings.harn").write_text("pub fn twice(s) { return s + s }\n")
    await change(client, main, 2, [(rng(1, 0, 1, 0), 'import "\n')], wait=False)
    items = await _complete(client, main, pos(1, 8))
    assert "util" in items and ("lib" in items or "lib/" in items), sorted(items)
    assert "main" not in items  # not the importing file itself
    await change(client, main, 3, [(rng(1, 0, 1, 9), 'import "std/')], wait=False)
    items = await _complete(client, main, pos(1, 12))
    assert "text" in items or "std/text" in items, sorted(items)
    await change(client, main, 4, MAIN, wait=False)
    items = await _complete_after(client, main, 5, "whi")
    assert "while" in items and items["while"].kind in (
        types.CompletionItemKind.Keyword, types.CompletionItemKind.Snippet)
    await change(client, main, 6, MAIN, wait=False)
    items = await _complete_after(client, main, 7, "ori")
    assert "origin" in items and items["origin"].kind == types.CompletionItemKind.Variable
    await change(client, main, 8, MAIN, wait=False)
    items = await _complete_after(client, main, 9, "li")
    assert "limit" not in items  # another function's parameter


# -- signature help --------------------------------------------------------------------------

async def test_signature_help_active_parameter_moves(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    await change(client, main, 2, [(rng(EDIT_LINE, 0, EDIT_LINE, 0), '  pad("ab", \n')],
                 wait=False)
    # pad is not imported: signature help still must not error; use a local call instead
    await change(client, main, 3, [(rng(EDIT_LINE, 0, EDIT_LINE + 1, 0),
                                    '  origin.shift(\n')], wait=False)
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, 15)))
    assert sh is not None and "shift(" in sh.signatures[0].label
    assert "dx: int" in sh.signatures[0].label
    await change(client, main, 4, [(rng(EDIT_LINE, 0, EDIT_LINE + 1, 0),
                                    '  channel("q", \n')], wait=False)
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, 11)))
    assert sh is not None
    act = sh.active_parameter if sh.active_parameter is not None \
        else sh.signatures[0].active_parameter
    assert act == 0
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, 16)))
    act = sh.active_parameter if sh.active_parameter is not None \
        else sh.signatures[0].active_parameter
    assert act == 1
    await change(client, main, 5, [(rng(EDIT_LINE, 0, EDIT_LINE + 1, 0),
                                    '  println(area(Shape.Rect(1.0, \n')], wait=False)
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, 32)))
    assert sh is not None and "Rect" in sh.signatures[0].label, sh
    act = sh.active_parameter if sh.active_parameter is not None \
        else sh.signatures[0].active_parameter
    assert act == 1


# -- symbols and tokens ----------------------------------------------------------------------

async def test_document_symbols_hierarchy(vscode_client: LanguageClient, workspace):
    _, main = await _session(vscode_client, workspace)
    syms = await vscode_client.text_document_document_symbol_async(
        types.DocumentSymbolParams(doc_id(main)))
    by = {s.name: s for s in syms}
    assert {"Point", "Shape", "area", "counter", "main"} <= set(by), sorted(by)
    point = by["Point"]
    assert point.kind == types.SymbolKind.Struct
    kids = {c.name: c.kind for c in point.children or []}
    assert kids.get("x") == types.SymbolKind.Field and kids.get("y") == types.SymbolKind.Field
    methods = [c for s in syms for c in (s.children or []) if c.name == "shift"]
    assert methods and methods[0].kind == types.SymbolKind.Method
    shape = {c.name: c.kind for c in by["Shape"].children or []}
    assert shape == {"Circle": types.SymbolKind.EnumMember, "Rect": types.SymbolKind.EnumMember,
                     "Empty": types.SymbolKind.EnumMember}
    assert by["area"].kind == types.SymbolKind.Function
    for s in syms:  # selection range inside range
        assert s.range.start.line <= s.selection_range.start.line <= s.range.end.line


async def test_semantic_tokens_decode(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    toks = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(doc_id(main)))
    data = toks.data
    assert len(data) % 5 == 0
    lines = MAIN.split("\n")
    line = col = 0
    seen: dict[tuple[int, str], str] = {}
    for i in range(0, len(data), 5):
        dl, dc, ln, ty, _mods = data[i:i + 5]
        line += dl
        col = col + dc if dl == 0 else dc
        seen[(line, lines[line][col:col + ln])] = legend.token_types[ty]
    expect = {
        (3, "Point"): {"struct", "type", "class"},
        (4, "x"): {"property"},
        (10, "shift"): {"method", "function"},
        (10, "dx"): {"parameter"},
        (16, "Circle"): {"enumMember"},
        (15, "Shape"): {"enum", "type"},
        (21, "area"): {"function"},
        (38, "origin"): {"variable"},
        (39, "shift"): {"method", "function"},
        (29, "counter"): {"function"},
        (0, "slugify"): {"function"},
        (43, "slugify"): {"function"},
        (43, "println"): {"function"},
        (32, "emit"): {"keyword"},
        (48, "select"): {"keyword"},
        (52, "deadline"): {"keyword"},
        (52, "2s"): {"number"},
        (23, "Circle"): {"enumMember"},
        (23, "r"): {"variable", "parameter"},
    }
    for key, ok in expect.items():
        assert key in seen, (key, sorted(k for k in seen if k[0] == key[0]))
        assert seen[key] in ok, (key, seen[key])


# -- diagnostics -----------------------------------------------------------------------------

async def test_type_error_appears_then_disappears(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    # `let origin: Point = ...` -> `let origin: int = ...`, then back
    line = position_of(MAIN, "let origin").line
    col = position_of(MAIN, "let origin").character + len("let origin")
    diags = await change(client, main, 2, [(rng(line, col, line, col), ": int")])
    bad = [d for d in diags if d.severity == types.DiagnosticSeverity.Error]
    assert bad and bad[0].range.start.line == line, [(d.message, d.range) for d in diags]
    assert "int" in bad[0].message and "Point" in bad[0].message, bad[0].message
    diags = await change(client, main, 3, [(rng(line, col, line, col + 5), "")])
    assert diags == [], [d.message for d in diags]


async def test_pull_diagnostics_follow_edits(pull_client: LanguageClient, workspace):
    client = pull_client
    (workspace / "util.harn").write_text(UTIL)
    main = uri_of(workspace, "main.harn")
    await open_doc(client, main, MAIN, wait=False)
    rep = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(doc_id(main)))
    assert list(rep.items) == [], [d.message for d in rep.items]
    await change(client, main, 2, MAIN.replace("area(Shape.Rect", "areaa(Shape.Rect"),
                 wait=False)
    rep = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(doc_id(main)))
    msgs = [d.message for d in rep.items]
    assert any("areaa" in m for m in msgs), msgs
    await change(client, main, 3, MAIN, wait=False)
    rep = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(doc_id(main)))
    assert list(rep.items) == []


# -- formatting and code actions -------------------------------------------------------------

async def test_formatting_is_idempotent_on_clean_code(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    messy = MAIN.replace("let origin = Point { x: 0, y: 0 }", "let origin=Point{x:0,y:0}")
    await change(client, main, 2, messy)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        doc_id(main), types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits
    text = messy
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                    reverse=True):
        lines = text.split("\n")
        start = sum(len(x) + 1 for x in lines[:e.range.start.line]) + e.range.start.character
        end = sum(len(x) + 1 for x in lines[:e.range.end.line]) + e.range.end.character
        text = text[:start] + e.new_text + text[end:]
    assert "let origin = Point { x: 0, y: 0 }" in text or "let origin = Point {x: 0, y: 0}" in text


async def _actions(client, uri, diags, line):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc_id(uri), range=rng(line, 0, line, 0),
        context=types.CodeActionContext(diagnostics=diags)))


async def test_code_actions_did_you_mean_match_arms_unused(client: LanguageClient, workspace):
    _, main = await _session(client, workspace)
    typo = MAIN.replace("println(area(Shape", "println(aera(Shape")
    diags = await change(client, main, 2, typo)
    line = position_of(typo, "aera(").line
    here = [d for d in diags if d.range.start.line == line]
    assert here, [d.message for d in diags]
    acts = await _actions(client, main, here, line)
    titles = [a.title for a in acts]
    assert any("area" in t for t in titles), titles
    fix = next(a for a in acts if "area" in a.title)
    (edits,) = fix.edit.changes.values()
    assert edits[0].new_text == "area" and _span_text(typo, edits[0].range) == "aera"

    # payload patterns are catch-alls (types.md §8): exhaustiveness needs plain variants
    partial = MAIN.replace("main()\n", "") + (
        "enum Level { Low, Mid, High }\n"
        "fn label(l: Level) -> string {\n"
        "  return match l {\n"
        "    Level.Low -> { \"low\" }\n"
        "    Level.Mid -> { \"mid\" }\n"
        "  }\n"
        "}\n"
        "main()\n")
    diags = await change(client, main, 3, partial)
    here = [d for d in diags if "Empty" in d.message or "exhaust" in d.message.lower()]
    assert here, [d.message for d in diags]
    acts = await _actions(client, main, here, here[0].range.start.line)
    arm = [a for a in acts if "arm" in a.title.lower() or "Empty" in a.title]
    assert arm, [a.title for a in acts]
    (edits,) = arm[0].edit.changes.values()
    assert "Level.High ->" in edits[0].new_text
    assert partial.split("\n")[edits[0].range.start.line].strip() in ("}", "")

    unused = MAIN.replace("  let names =", "  let spare = 1\n  let names =")
    diags = await change(client, main, 4, unused)
    line = position_of(unused, "spare").line
    here = [d for d in diags if d.range.start.line == line]
    assert here, [d.message for d in diags]
    acts = await _actions(client, main, here, line)
    titles = [a.title for a in acts]
    assert any("_spare" in t or "remove" in t.lower() or "prefix" in t.lower() for t in titles), \
        titles


# -- positions after non-ASCII text ----------------------------------------------------------

async def test_utf16_columns_after_non_ascii(client: LanguageClient, workspace):
    src = ('fn main() {\n  let name = "😀 héllo"; let size: int = len(name)\n'
           '  println(size)\n}\nmain()\n')
    uri = uri_of(workspace, "u.harn")
    assert await open_doc(client, uri, src) == []
    # `size` after the emoji: code point col 31, utf-16 col 32
    line1 = src.split("\n")[1]
    cp = line1.index("size")
    u16 = cp + 1
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, u16)))
    assert h is not None and "size: int" in h.contents.value
    loc = await client.text_document_definition_async(types.DefinitionParams(
        doc_id(uri), pos(2, 10)))
    loc = loc[0] if isinstance(loc, list | tuple) else loc
    assert loc.range.start == pos(1, u16) and loc.range.end == pos(1, u16 + 4)
    # len( ... name) use: 'name' inside len() after the emoji
    cp = line1.index("name)")
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(1, cp + 1)))
    assert h is not None and "name: string" in h.contents.value
    # an error after the emoji is reported at the utf-16 column
    bad = src.replace("len(name)", "len(nme)")
    diags = await change(client, uri, 2, bad)
    d = [d for d in diags if "nme" in d.message]
    assert d and d[0].range.start == pos(1, bad.split("\n")[1].index("nme") + 1)


# -- a second workspace: types and a wildcard import across files ----------------------------

SHAPES = '''/// A labelled box.
pub struct Box {
  label: string
  size: int
}

impl Box {
  /// Twice the size.
  pub fn doubled(self) -> Box {
    return Box { label: self.label, size: self.size * 2 }
  }
}

pub enum Mood { Calm, Busy }

pub fn describe(b: Box) -> string {
  return "${b.label}: ${b.size}"
}
'''

APP = '''import "shapes"

fn main() {
  let b = Box { label: "tea", size: 3 }
  let big = b.doubled()
  let m = Mood.Calm
  println(describe(big))
  println(m)
}
main()
'''


async def _session2(client: LanguageClient, workspace) -> tuple[str, str]:
    (workspace / "shapes.harn").write_text(SHAPES)
    (workspace / "app.harn").write_text(APP)
    shapes, app = uri_of(workspace, "shapes.harn"), uri_of(workspace, "app.harn")
    assert await open_doc(client, shapes, SHAPES) == []
    diags = await open_doc(client, app, APP)
    assert diags == [], [d.message for d in diags]
    return shapes, app


async def test_wildcard_import_navigation(client: LanguageClient, workspace):
    shapes, app = await _session2(client, workspace)
    for needle, delta, name, line in [("describe(big)", 0, "describe", 15),
                                      ("Box { label", 0, "Box", 1),
                                      ("doubled()", 0, "doubled", 8),
                                      ("size: 3", 0, "size", 3),
                                      ("Mood.Calm", 5, "Calm", 13)]:
        loc = await _definition(client, app, APP, needle, 0, delta)
        assert loc.uri == shapes, needle
        assert loc.range.start.line == line and _span_text(SHAPES, loc.range) == name, \
            (needle, loc.range)
    loc = await _definition(client, app, APP, '"shapes"', 0, 2)
    assert loc.uri == shapes
    text = await _hover(client, app, APP, "doubled()")
    assert "fn doubled(self) -> Box" in text and "Twice the size." in text
    assert "let big: Box" in await _hover(client, app, APP, "big)")
    assert "Box.size: int" in await _hover(client, app, APP, "size: 3")
    assert "struct Box" in await _hover(client, app, APP, "Box {")


async def test_member_completion_across_files_and_self(client: LanguageClient, workspace):
    shapes, app = await _session2(client, workspace)
    await change(client, app, 2, [(rng(7, 0, 7, 0), "  big.\n")], wait=False)
    items = await _complete(client, app, pos(7, 6))
    assert {"label", "size", "doubled"} <= set(items), sorted(items)
    await change(client, app, 3, [(rng(7, 0, 8, 0), "  Mood.\n")], wait=False)
    items = await _complete(client, app, pos(7, 7))
    assert {"Calm", "Busy"} <= set(items), sorted(items)
    assert items["Calm"].kind == types.CompletionItemKind.EnumMember
    line = position_of(SHAPES, "return Box").line
    await change(client, shapes, 2, [(rng(line, 0, line, 0), "    self.\n")], wait=False)
    items = await _complete(client, shapes, pos(line, 9))
    assert {"label", "size", "doubled"} <= set(items), sorted(items)
    await change(client, app, 4, [(rng(7, 0, 8, 0), "  b.label.\n")], wait=False)
    items = await _complete(client, app, pos(7, 10))
    assert {"upper", "split"} <= set(items) and "size" not in items, sorted(items)


async def test_references_of_field_and_method_across_files(client: LanguageClient, workspace):
    shapes, app = await _session2(client, workspace)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(shapes), position=position_of(SHAPES, "  size", 0, 2),
        context=types.ReferenceContext(include_declaration=True)))
    where = sorted((r.uri == app, r.range.start.line) for r in refs)
    # decl, Box literal key + self.size (line 9), b.size (line 16), app literal key
    assert where == [(False, 3), (False, 9), (False, 9), (False, 16), (True, 3)], where
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc_id(app), position=position_of(APP, "doubled()"),
        context=types.ReferenceContext(include_declaration=False)))
    assert [(r.uri, r.range.start.line) for r in refs] == [(app, 4)]
    hl = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        doc_id(app), position_of(APP, "b.doubled")))
    assert sorted(h.range.start.line for h in hl) == [3, 4]


async def test_editing_the_imported_file_updates_the_importer(client: LanguageClient,
                                                              workspace):
    shapes, app = await _session2(client, workspace)
    rec = client._publishes  # type: ignore[attr-defined]
    since = len(rec.log)
    renamed = SHAPES.replace("  size: int", "  volume: int")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=shapes, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=renamed)]))
    got = await rec.wait(app, None, since)
    msgs = [d.message for d in got.diagnostics]
    assert any("size" in m for m in msgs), msgs
    since = len(rec.log)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=shapes, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=SHAPES)]))
    got = await rec.wait(app, None, since)
    assert list(got.diagnostics) == []


async def test_missing_import_is_reported(client: LanguageClient, workspace):
    uri = uri_of(workspace, "lonely.harn")
    src = 'import { nope } from "missing"\nprintln(nope())\n'
    diags = await open_doc(client, uri, src)
    assert any(d.range.start.line == 0 and "missing" in d.message for d in diags), \
        [d.message for d in diags]


# -- assorted requests an editor sends --------------------------------------------------------

async def test_builtin_method_hover_and_rename_guards(client: LanguageClient, workspace):
    from pygls.exceptions import JsonRpcException

    util, main = await _session(client, workspace)
    text = await _hover(client, util, UTIL, "lower()")
    assert stdlib.METHOD_INFO["string"]["lower"].doc in text
    for uri, src, needle in ((util, UTIL, "lower()"), (util, UTIL, "replace(")):
        try:
            res = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
                doc_id(uri), position_of(src, needle)))
        except JsonRpcException:
            res = None
        assert res is None, needle
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc_id(main), position=position_of(MAIN, "dx: int"), new_name="step"))
    edits = edit.changes[main]
    assert [(e.range.start.line, _span_text(MAIN, e.range)) for e in edits] == \
        [(10, "dx"), (11, "dx")]


async def test_workspace_symbols_and_keyword_completion(vscode_client: LanguageClient,
                                                        workspace):
    client = vscode_client
    util, main = await _session(client, workspace)
    syms = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="slug"))
    assert any(s.name == "slugify" and s.location.uri == util for s in syms), syms
    await change(client, main, 2, [(rng(EDIT_LINE, 0, EDIT_LINE, 0), "  de\n")], wait=False)
    items = await _complete(client, main, pos(EDIT_LINE, 4))
    assert "deadline" in items and "defer" in items, sorted(items)
    await change(client, main, 3, [(rng(EDIT_LINE, 0, EDIT_LINE + 1, 0), "  ma\n")], wait=False)
    items = await _complete(client, main, pos(EDIT_LINE, 4))
    snip = [i for i in items.values() if i.label == "match" and
            i.kind == types.CompletionItemKind.Snippet]
    assert snip and "$" in (snip[0].insert_text or snip[0].text_edit.new_text)


async def test_non_ascii_completion_and_formatting_errors(client: LanguageClient, workspace):
    uri = uri_of(workspace, "e.harn")
    src = 'let s = "😀"\nprintln(s)\n'
    await open_doc(client, uri, src)
    await change(client, uri, 2, [(rng(1, 0, 1, 0), 'let t = "😀é".\n')], wait=False)
    items = await _complete(client, uri, pos(1, 14))  # after the dot, in utf-16 units
    assert "upper" in items, sorted(items)
    broken = "fn main( {\n  let x = \n"
    diags = await change(client, uri, 3, broken)
    assert diags and all(d.severity == types.DiagnosticSeverity.Error for d in diags)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        doc_id(uri), types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert not edits  # never reformat code that does not parse
    client.text_document_did_close(types.DidCloseTextDocumentParams(doc_id(uri)))
    h = await client.text_document_hover_async(types.HoverParams(doc_id(uri), pos(0, 4)))
    assert h is None or h.contents is not None


async def test_signature_help_ignores_commas_in_strings_and_closes(client: LanguageClient,
                                                                   workspace):
    _, main = await _session(client, workspace)
    line = '  channel("a, (b", '
    await change(client, main, 2, [(rng(EDIT_LINE, 0, EDIT_LINE, 0), line + "\n")], wait=False)
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, len(line))))
    assert sh is not None and sh.signatures[0].label.startswith("channel(")
    act = sh.active_parameter if sh.active_parameter is not None \
        else sh.signatures[0].active_parameter
    assert act == 1
    done = '  channel("q", 2) '
    await change(client, main, 3, [(rng(EDIT_LINE, 0, EDIT_LINE + 1, 0), done + "\n")],
                 wait=False)
    sh = await client.text_document_signature_help_async(types.SignatureHelpParams(
        doc_id(main), pos(EDIT_LINE, len(done))))
    assert sh is None or not sh.signatures
    assert "self: Point" in await _hover(client, main, MAIN, "self.x")
