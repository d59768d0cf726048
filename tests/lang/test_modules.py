"""Import resolution, the module cache, static exports and the run-time loader (language.md §14)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from lang.modules import (
    STD_EXPORTS,
    ModuleCache,
    build_graph,
    imported_decl,
    resolve_import,
    runtime_export_decls,
    runtime_export_names,
)
from vm.modules import ModuleLoader
from vm.runtime.errors import HarnError


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


# --------------------------------------------------------------------------- resolution


def test_resolution_rules(tmp_path: Path) -> None:
    write(tmp_path, {"main.harn": "", "lib/a.harn": "", "lib/b.txt": "", "lib/c": ""})
    main = str(tmp_path / "main.harn")
    r = resolve_import("lib/a", main)
    assert r.key == os.path.realpath(tmp_path / "lib/a.harn")
    assert resolve_import("./lib/a.harn", main).key == r.key
    assert resolve_import("lib/b.txt", main).key is not None
    assert resolve_import("lib/c", main).path.endswith("lib/c")  # exists as written
    miss = resolve_import("lib/zz", main)
    assert miss.key is None and miss.error.startswith("Import error: cannot read '")
    assert miss.error.endswith("lib/zz.harn': No such file or directory (os error 2)")
    assert resolve_import("std/json", main).is_std
    assert resolve_import("std/nope", main).error == "Unknown stdlib module: std/nope"
    # relative to the importing file's directory, not the working directory
    assert resolve_import("a", str(tmp_path / "lib/a.harn")).key == r.key


def test_packages_search(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", ".harn/packages/pkg.harn": "fn p() {}",
                     "src/deep/main.harn": ""})
    r = resolve_import("pkg", str(tmp_path / "src/deep/main.harn"))
    assert r.key == os.path.realpath(tmp_path / ".harn/packages/pkg.harn")


def test_cache_reuses_until_content_changes(tmp_path: Path) -> None:
    write(tmp_path, {"m.harn": "fn a() {}"})
    cache = ModuleCache()
    r = resolve_import("m", str(tmp_path / "x.harn"))
    first = cache.load(r)
    assert cache.load(r) is first
    (tmp_path / "m.harn").write_text("fn b() {}")
    second = cache.load(r)
    assert second is not first and list(second.functions) == ["b"]


# --------------------------------------------------------------------------- static exports

LIB = {
    "lib/util.harn": "pub fn shout(s) { return s }\nfn helper() {}\npub struct P { x }\n"
                     "struct Hidden { y }\ntype Alias = int\ninterface I { fn m(self) }\n",
    "lib/all.harn": "fn a() {}\nfn b() {}\nstruct S { x }\n",
    "lib/facade.harn": 'pub import "util"\npub import { a } from "all"\nimport "all"\n',
    "lib/outer.harn": 'pub import "facade"\n',
    "lib/cyc_a.harn": 'import "cyc_b"\nfn fa() {}\n',
    "lib/cyc_b.harn": 'import "cyc_a"\nfn fb() {}\n',
}


def test_static_exports(tmp_path: Path) -> None:
    write(tmp_path, {**LIB, "main.harn": 'import "lib/outer"\nimport { b } from "lib/all"\n'
                                         'import "lib/cyc_a"\nimport "lib/missing"\n'
                                         'import "std/json"\n'})
    g = build_graph(str(tmp_path / "main.harn"), cache=ModuleCache())
    key = os.path.realpath
    util = g.exports(key(tmp_path / "lib/util.harn"))
    assert sorted(util) == ["Alias", "I", "P", "shout"]
    assert sorted(g.exports(key(tmp_path / "lib/all.harn"))) == ["a", "b"]
    assert sorted(g.exports(key(tmp_path / "lib/outer.harn"))) == ["Alias", "I", "P", "a", "shout"]
    assert sorted(g.exports("std/json")) == sorted(STD_EXPORTS["json"])
    imported = g.imported_names(g.entry_key)
    assert {"shout", "a", "b", "fa", "pretty"} <= set(imported)
    assert imported["a"].module_key == key(tmp_path / "lib/all.harn")
    assert [u.spec for u in g.unresolved] == ["lib/missing"]
    assert not g.all_resolved
    assert len(g.cycles) == 1 and {os.path.basename(p) for p in g.cycles[0]} == {
        "cyc_a.harn", "cyc_b.harn"}


def test_runtime_export_names(tmp_path: Path) -> None:
    write(tmp_path, LIB)
    main = str(tmp_path / "main.harn")
    assert runtime_export_names("lib/util", main) == ["shout", "P"]
    assert runtime_export_names("lib/outer", main) == ["shout", "P", "a"]
    assert runtime_export_names("lib/cyc_a", main) == ["fa"]
    assert runtime_export_names("lib/nope", main) is None
    decls = runtime_export_decls("lib/outer", main)
    assert type(decls["P"]).__name__ == "StructDecl" and type(decls["a"]).__name__ == "FnDecl"
    assert type(imported_decl("lib/util", main, "helper")).__name__ == "FnDecl"
    assert runtime_export_decls("std/json", main) is not None


# --------------------------------------------------------------------------- run-time loader


class FakeCompiler:
    """Stands in for the compiler: runs a module's imports, then 'creates' its functions."""

    def __init__(self) -> None:
        self.executed: list[str] = []

    def __call__(self, module: Any, loader: ModuleLoader) -> dict[str, Any]:
        self.executed.append(os.path.basename(module.path))
        for imp in module.imports:
            loader.run_import(module.path, imp)
        values: dict[str, Any] = {}
        for name in module.functions:
            values[name] = f"{os.path.basename(module.path)}:{name}"
        for name in module.types:
            values[name] = f"type {name}"
        return values


def loader_for(tmp_path: Path, files: dict[str, str]) -> tuple[ModuleLoader, FakeCompiler, str]:
    write(tmp_path, {**LIB, **files})
    fake = FakeCompiler()
    loader = ModuleLoader(fake, ModuleCache())
    main = str(tmp_path / "main.harn")
    loader.begin_entry(main, loader.cache.parse_text(os.path.realpath(main), main,
                                                     (tmp_path / "main.harn").read_text()))
    return loader, fake, main


def test_wildcard_selective_and_reexports(tmp_path: Path) -> None:
    loader, fake, main = loader_for(tmp_path, {"main.harn": "fn own() {}"})
    assert loader("lib/util", None, main) == {"shout": "util.harn:shout", "P": "type P"}
    assert loader("lib/util", ("helper",), main) == {"helper": "util.harn:helper"}
    got = loader("lib/outer", None, main)
    assert got == {"shout": "util.harn:shout", "P": "type P", "a": "all.harn:a"}
    assert fake.executed.count("util.harn") == 1  # loaded once per run
    assert loader("lib/all", ("S",), main) == {"S": "type S"}


def test_errors(tmp_path: Path) -> None:
    loader, _fake, main = loader_for(tmp_path, {
        "main.harn": "fn shout() {}",
        "lib/bad.harn": "fn (",
        "lib/badre.harn": 'pub import { nope } from "util"\n',
        "lib/dup.harn": 'pub import "all"\npub import "all2"\n',
        "lib/all2.harn": "fn a() {}\n",
    })

    def message(*args: Any) -> str:
        with pytest.raises(HarnError) as info:
            loader(*args)
        return info.value.message

    assert message("lib/util", None, main).startswith(
        "Import collision: 'shout' is already defined when importing lib/util. "
        "Use selective imports to disambiguate: import { shout } from \"lib/util\"")
    assert message("lib/all", ("zz",), main) == "Import error: 'zz' is not defined in lib/all"
    assert message("lib/missing", None, main).startswith("Import error: cannot read '")
    assert message("std/nope", None, main) == "Runtime error: Unknown stdlib module: std/nope"
    assert message("lib/bad", None, main).startswith("Import parse error")
    assert message("lib/badre", None, main) == (
        "Re-export error: 'nope' is not exported by 'util'")
    assert message("lib/dup", None, main).startswith("Import collision: 'a' is already defined")


def test_cycles_bind_nothing(tmp_path: Path) -> None:
    loader, fake, main = loader_for(tmp_path, {"main.harn": ""})
    assert loader("lib/cyc_a", None, main) == {"fa": "cyc_a.harn:fa"}
    assert fake.executed == ["cyc_a.harn", "cyc_b.harn"]
    inst_b = next(i for i in loader.instances.values() if i.path and i.path.endswith("cyc_b.harn"))
    assert "fa" not in inst_b.bound


def test_std_module_sources_ship_with_the_vm() -> None:
    r = resolve_import("std/collections", None)
    assert r.path is not None and r.path.endswith(os.path.join("std", "collections.harn"))
    g = build_graph(r.path, cache=ModuleCache())
    assert sorted(g.exports(g.entry_key)) == sorted(STD_EXPORTS["collections"])
