"""The chunked document model: incremental re-parse and re-check agree with a fresh
analysis, only the edited item is re-parsed and re-checked, and the analysis
layer never imports pygls."""

from __future__ import annotations

import random
import subprocess
import sys

from lsp.analysis import DocumentAnalysis
from lsp.chunks import build, common_prefix, common_suffix, update

BASE = '''/// Doc.
struct Point { x: int, y: int }

fn dist(p: Point) -> int {
  return p.x + p.y
}

enum Mode { Fast, Slow(level: int) }

fn run(m: Mode) -> string {
  match m {
    Mode.Fast -> { return "fast" }
    Mode.Slow(l) -> { return "slow ${l}" }
  }
}

fn label() -> string { return "x" }

let origin = Point { x: 0, y: 0 }
var count = 0

fn main() {
  let d = dist(origin)
  count = count + d
  let s: string = label()
  println(run(Mode.Fast) + s)
}
main()
'''

SNIPPETS = [
    "x", " ", "\n", "1", '"s"', "(", ")", "{", "}", "[", "]", ",", ".", "+", "let ", "fn ",
    "return ", "let q: int = \"no\"\n", "p.z", "dist(1)", "}\n", "match ", "->", "//c\n",
    "/*", "*/", "${", '"', "struct S { a }\n", "fn g() { }\n", "\u00e9", "\U0001f600",
]


def _key(a: DocumentAnalysis) -> list[tuple]:
    a.ensure_linted()
    return sorted((d.start, d.end, d.code, d.message) for d in a.diagnostics())


def _random_edit(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    j = min(len(text), i + rng.choice([0, 0, 1, 2, 5, 20]))
    return text[:i] + rng.choice(SNIPPETS + [""]) + text[j:]


def test_common_prefix_and_suffix():
    assert common_prefix("abcdef", "abcxef") == 3
    assert common_prefix("abc", "abc") == 3
    assert common_prefix("", "x") == 0
    assert common_suffix("abcdef", "abcxef", 3) == 2
    assert common_suffix("aaa", "aaaa", 3) == 3


def test_chunks_concatenate_to_the_text_and_hold_one_item_each():
    doc = build(BASE)
    assert "".join(c.text for c in doc.chunks) == BASE
    assert all(len(c.items) <= 1 for c in doc.chunks)
    assert sum(len(c.items) for c in doc.chunks) == 9
    assert doc.starts == [sum(len(c.text) for c in doc.chunks[:k])
                          for k in range(len(doc.chunks))]


def test_edit_inside_a_body_reparses_only_that_item():
    doc = build(BASE)
    new = BASE.replace("return p.x + p.y", "return p.x * p.y")
    up = update(doc, new)
    assert not up.full_parse
    assert up.reparsed[1] - up.reparsed[0] == 1
    assert sum(1 for a, b in zip(doc.chunks, up.chunks, strict=False) if a is b) == \
        len(doc.chunks) - 1  # every other chunk object is reused as is


def test_unchanged_signature_rechecks_one_chunk_only():
    a = DocumentAnalysis.create("u", None, 1, BASE)
    a.diagnostics()
    checked = {id(c.cache["check"]) for c in a.chunks if "check" in c.cache}
    b = DocumentAnalysis.create("u", None, 2, BASE.replace("count + d", "count + 1"), a)
    b.diagnostics()
    fresh = [c for c in b.chunks if "check" in c.cache and id(c.cache["check"]) not in checked]
    assert len(fresh) == 1
    assert "count + 1" in fresh[0].text


def test_changed_signature_rechecks_everything():
    a = DocumentAnalysis.create("u", None, 1, BASE)
    a.diagnostics()
    new = BASE.replace("fn label() -> string", "fn label() -> int")
    b = DocumentAnalysis.create("u", None, 2, new, a)
    codes = sorted(d.code for d in b.diagnostics() if d.is_error)
    assert codes == ["E001", "E011"]  # the caller in another item sees the new signature
    assert _key(b) == _key(DocumentAnalysis.create("u", None, 1, new))


def test_body_edit_finds_new_error_against_other_items():
    a = DocumentAnalysis.create("u", None, 1, BASE)
    a.diagnostics()
    new = BASE.replace("let d = dist(origin)", 'let d = dist("nope")')
    b = DocumentAnalysis.create("u", None, 2, new, a)
    assert [d.code for d in b.diagnostics() if d.is_error] == ["E003"]


def test_random_edit_sequences_match_fresh_analysis():
    for seed in range(12):
        rng = random.Random(seed)
        text = BASE
        prev = DocumentAnalysis.create("u", None, 0, text)
        prev.diagnostics()
        for step in range(25):
            text = _random_edit(rng, text)
            cur = DocumentAnalysis.create("u", None, step + 1, text, prev)
            if step % 5 == 4 or step == 24:
                assert _key(cur) == _key(DocumentAnalysis.create("u", None, 0, text)), \
                    (seed, step, text)
            else:
                cur.diagnostics()
            assert "".join(c.text for c in cur.chunks) == text
            prev = cur


def test_item_edits_keep_valid_programs_equal_to_fresh():
    """Edits that keep the program valid, inside and across items, in a long file."""
    body = "\n".join(f"fn f{i}(a: int) -> int {{\n  let v = a + {i}\n  return v\n}}"
                     for i in range(60))
    text = body + "\nfn main() { println(f1(1)) }\nmain()\n"
    prev = DocumentAnalysis.create("u", None, 0, text)
    prev.diagnostics()
    rng = random.Random(7)
    for step in range(40):
        i = rng.randrange(60)
        choice = rng.randrange(4)
        if choice == 0:
            text = text.replace(f"a + {i}\n", f"a * {i}\n", 1)
        elif choice == 1:
            text = text.replace(f"fn f{i}(a: int) -> int", f"fn f{i}(a: int) -> string", 1)
        elif choice == 2:
            text = text.replace(f"let v = a + {i}", f'let v: int = "{i}"', 1)
        else:
            text = text.replace("println(f1(1))", f"println(f{i}(\"x\"))", 1)
        cur = DocumentAnalysis.create("u", None, step + 1, text, prev)
        assert _key(cur) == _key(DocumentAnalysis.create("u", None, 0, text)), step
        prev = cur


def test_analysis_layer_does_not_import_pygls():
    code = ("import sys, lsp.analysis, lsp.chunks, lsp.navigation, lsp.assist, lsp.outline, "
            "lsp.actions, lsp.workspace; "
            "print(any(m == 'pygls' or m.startswith('pygls.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "False"


def test_cancelled_work_stops_and_leaves_nothing_half_done():
    import pytest

    from lsp.analysis import Cancelled, CancelToken

    a = DocumentAnalysis.create("u", None, 1, BASE)
    token = CancelToken(cancelled=True)
    with pytest.raises(Cancelled):
        a.diagnostics(token)
    assert _key(a) == _key(DocumentAnalysis.create("u", None, 1, BASE))


def test_missing_checker_degrades_to_parse_only(monkeypatch):
    from lsp import analysis

    monkeypatch.setitem(analysis._MODULES, "typechecker.api", None)
    monkeypatch.setitem(analysis._MODULES, "typechecker.lint", None)
    a = DocumentAnalysis.create("u", None, 1, 'let x: int = "s"\n')
    assert a.diagnostics() == []
    b = DocumentAnalysis.create("u", None, 1, "fn f( {\n")
    assert [d.is_error for d in b.diagnostics()] == [True]
