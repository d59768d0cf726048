"""The server's own incremental text sync and position conversions."""

from __future__ import annotations

import random

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from lsp.analysis import DocumentAnalysis
from lsp.convert import Converter, apply_change, line_starts_of

ALPHABET = ["a", "\n", " ", "é", "😀", "\r\n", "xyz", "\t", ""]


def _units(s: str, enc: str) -> int:
    if enc == "utf-8":
        return len(s.encode())
    if enc == "utf-16":
        return len(s.encode("utf-16-le")) // 2
    return len(s)


def _pos(text: str, i: int, enc: str) -> types.Position:
    line = text.count("\n", 0, i)
    ls = text.rfind("\n", 0, i) + 1
    return types.Position(line, _units(text[ls:i], enc))


def test_apply_change_matches_string_edits_in_every_encoding():
    for enc in ("utf-8", "utf-16", "utf-32"):
        codec = PositionCodec(enc)
        rng = random.Random(enc)
        text = "fn f() {\n  é😀 x\n}\n"
        starts = line_starts_of(text)
        for _ in range(300):
            i = rng.randrange(len(text) + 1)
            j = min(len(text), i + rng.choice([0, 1, 3]))
            if text[i - 1:i + 1] == "\r\n" or text[j - 1:j + 1] == "\r\n":
                continue  # LSP has no position between CR and LF
            new = rng.choice(ALPHABET)
            change = types.TextDocumentContentChangePartial(
                range=types.Range(_pos(text, i, enc), _pos(text, j, enc)), text=new)
            text2, starts = apply_change(text, starts, change, codec)
            assert text2 == text[:i] + new + text[j:]
            assert starts == line_starts_of(text2)
            text = text2
        full = types.TextDocumentContentChangeWholeDocument(text="x\ny")
        assert apply_change(text, starts, full, codec) == ("x\ny", [0, 2])


def test_converter_round_trips_and_clamps():
    text = 'let s = "😀é" + x\nlet t = s\n'
    a = DocumentAnalysis.create("u", None, 1, text)
    for enc in ("utf-8", "utf-16", "utf-32"):
        conv = Converter(a, PositionCodec(enc))
        for i in range(len(text) + 1):
            p = conv.position(i)
            assert p == _pos(text, i, enc)
            assert conv.offset(p) == i
        assert conv.offset(types.Position(99, 0)) == len(text)
        assert conv.offset(types.Position(0, 999)) == text.index("\n")
        assert conv.position(10_000) == _pos(text, len(text), enc)
