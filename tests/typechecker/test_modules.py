"""Static cross-module resolution (types.md §14): strict mode, imported names and
imported type declarations, unresolved imports."""

from __future__ import annotations

from pathlib import Path

from lang.source import Source
from typechecker.api import check_file, report_for

LIB = """
pub fn helper(x: int) -> int { return x }
fn private_fn() { return 1 }
pub struct Point { x: int }
type Id = int | string
interface Shape { fn area(self) -> float }
"""


def write(tmp: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = tmp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def codes(report) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in report.checker + report.preflight]


def test_selective_import_strict(tmp_path: Path) -> None:
    write(tmp_path, {"lib.harn": LIB, "main.harn": """
import { helper, Point, Id } from "lib"
helper(1)
helper("not checked: imported signatures are unused")
let p = Point {x: "s"}
let i: Id = true
private_fn()
"""})
    got = codes(check_file(str(tmp_path / "main.harn"), lint=False))
    assert ("E015", "Field 'x' in struct 'Point' expects int, got string") in got
    assert ("E001", "'i' declared as Id, but assigned bool") in got
    assert ("E013", "call target `private_fn` is not defined or imported") in got
    assert not any(c == "E013" and "helper" in m for c, m in got)
    assert not any(c == "E003" for c, _ in got)


def test_wildcard_import_exports(tmp_path: Path) -> None:
    write(tmp_path, {"lib.harn": LIB, "main.harn": """
import "lib"
helper(1)
let p: Point = Point {x: 1}
private_fn()
"""})
    got = codes(check_file(str(tmp_path / "main.harn"), lint=False))
    assert got == [("E013", "call target `private_fn` is not defined or imported")]


def test_module_without_pub_exports_every_function(tmp_path: Path) -> None:
    write(tmp_path, {"util.harn": "fn a() { return 1 }\nfn b() { return 2 }",
                     "main.harn": 'import "util"\na()\nb()\n'})
    assert codes(check_file(str(tmp_path / "main.harn"), lint=False)) == []


def test_reexports_follow_to_a_fixpoint(tmp_path: Path) -> None:
    write(tmp_path, {"lib.harn": LIB,
                     "mid.harn": 'pub import { helper } from "lib"\npub import "lib"\n',
                     "main.harn": 'import "mid"\nhelper(1)\nlet p = Point {x: 1}\n'})
    assert codes(check_file(str(tmp_path / "main.harn"), lint=False)) == []


def test_unresolved_import_is_non_strict_and_preflight(tmp_path: Path) -> None:
    write(tmp_path, {"main.harn": 'import "missing/thing"\nwhatever(1)\n'})
    report = check_file(str(tmp_path / "main.harn"), lint=False)
    assert [d.code for d in report.checker] == []
    assert [(d.message, d.help) for d in report.preflight] == [
        ("preflight: unresolved import 'missing/thing'",
         "verify the import path and packaged module layout")]
    assert report.has_errors


def test_std_modules_resolve(tmp_path: Path) -> None:
    write(tmp_path, {"main.harn": 'import "std/json"\nsafe_parse("1")\nnot_there(1)\n',
                     "bad.harn": 'import "std/nope"\nnot_there(1)\n'})
    got = codes(check_file(str(tmp_path / "main.harn"), lint=False))
    assert got == [("E013", "call target `not_there` is not defined or imported")]
    bad = check_file(str(tmp_path / "bad.harn"), lint=False)
    assert [d.code for d in bad.checker] == []
    assert [d.message for d in bad.preflight] == ["preflight: unresolved import 'std/nope'"]


def test_no_path_means_non_strict() -> None:
    report = report_for(Source("nope(1)\n"), None, lint=False)
    assert report.checker == [] or all(d.code != "E013" for d in report.checker)


def test_imported_struct_keeps_its_impl_methods(tmp_path: Path) -> None:
    """An imported struct's impl methods are known (language.md §17.11): no W105."""
    write(tmp_path, {"geom.harn": "pub struct Vec2 { x: float }\n"
                                  "impl Vec2 {\n"
                                  "  fn scale(self, k) { return Vec2 {x: self.x * k} }\n}\n",
                     "sel.harn": 'import { Vec2 } from "geom"\n'
                                 "pipeline main() {\n  let v = Vec2 {x: 1.0}\n"
                                 "  println(v.scale(2))\n  println(v.nope())\n}\n",
                     "wild.harn": 'import "geom"\n'
                                  "pipeline main() {\n  let v = Vec2 {x: 1.0}\n"
                                  "  println(v.scale(2))\n}\n"})
    sel = codes(check_file(str(tmp_path / "sel.harn"), lint=False))
    assert [m for c, m in sel if c == "W105"] == [
        "struct 'Vec2' has no method 'nope' (calling it gives nil)"]
    assert codes(check_file(str(tmp_path / "wild.harn"), lint=False)) == []
