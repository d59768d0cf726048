"""Loading modules at run time (language.md §14, §17.11).

One :class:`ModuleLoader` per run. Generated code executes each ``import``
statement as ``loader.run_import(importer_path, import_node)`` and binds the
returned ``name -> value`` mapping; everything else about modules lives here:

* resolution and parsing go through ``lang.modules`` (shared with the
  checker; parsed modules are cached across runs by path and content hash);
* a module is **executed once per run** by the compiler's ``execute``
  callback, which runs the module's imports, then its top-level ``let``/``var``,
  then creates its functions, structs, enums and impl methods (never its
  pipelines or other statements), and returns its top-level declarations by
  script name. The module's functions keep its private helpers and state;
* a module still loading when it is imported again (a cycle) binds nothing;
* wildcard imports bind the module's exports (``pub fn``s, or every
  function when it has no ``pub fn``; ``pub`` structs and enums, §17.11;
  ``pub import`` re-exports); selective imports bind exactly the listed
  names, private functions included;
* collisions and missing names fail with the exact texts of §14.3.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lang import ast
from lang.modules import (
    DEFAULT_CACHE,
    Module,
    ModuleCache,
    ModuleReadError,
    register_std_dir,
    resolve_import,
)
from vm.runtime.errors import HarnError, plain_error, runtime_error

STD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "std")
register_std_dir(STD_DIR)

ExecuteModule = Callable[[Module, "ModuleLoader"], dict[str, Any]]

_LOCAL = object()  # a name the importer itself declares as a function


class Bindings(dict):  # type: ignore[type-arg]
    """What an import binds. A name the compiler expected but the run did not
    bind (an import skipped inside a cycle) reads as nil instead of failing."""

    def __missing__(self, key: str) -> Any:
        return None


@dataclass(slots=True, eq=False)
class ModuleInstance:
    """A module of this run: its declarations' values and what it re-exports."""

    key: str
    path: str | None
    module: Module | None
    loaded: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    reexports: dict[str, Any] = field(default_factory=dict)
    bound: dict[str, Any] = field(default_factory=dict)  # names bound in it so far

    def exports(self) -> dict[str, Any]:
        """What a wildcard import of this module binds."""
        out: dict[str, Any] = {}
        m = self.module
        if m is not None:
            for item in m.program.items:
                t = type(item)
                if t is ast.FnDecl:
                    if (item.pub or not m.has_pub_fn) and item.name in self.values:
                        out[item.name] = self.values[item.name]
                elif (t is ast.StructDecl or t is ast.EnumDecl) and item.pub:
                    if item.name in self.values:
                        out[item.name] = self.values[item.name]
        for name, v in self.reexports.items():
            out.setdefault(name, v)
        return out

    def lookup(self, name: str) -> tuple[bool, Any]:
        """A selective import of ``name``: any top-level declaration or a re-export."""
        if name in self.values:
            return True, self.values[name]
        if name in self.reexports:
            return True, self.reexports[name]
        return False, None


def _local_functions(module: Module | None) -> dict[str, Any]:
    if module is None:
        return {}
    return {name: _LOCAL for name in module.functions}


class ModuleLoader:
    """Loads, caches and binds modules for one run."""

    def __init__(self, execute: ExecuteModule, cache: ModuleCache | None = None) -> None:
        self.execute = execute
        self.cache = cache or DEFAULT_CACHE
        self.instances: dict[str, ModuleInstance] = {}
        self._by_path: dict[str, ModuleInstance] = {}

    # ------------------------------------------------------------------ entry

    def begin_entry(self, path: str | None, module: Module | None = None) -> ModuleInstance:
        """Register the file being run, so imports back into it are cycles and
        collisions with its own functions are detected."""
        key = os.path.realpath(path) if path else "<entry>"
        inst = ModuleInstance(key, path, module, bound=_local_functions(module))
        self.instances[key] = inst
        if path:
            self._by_path[os.path.abspath(path)] = inst
        return inst

    # ------------------------------------------------------------------ imports

    def run_import(self, importer_path: str | None, imp: ast.Import) -> dict[str, Any]:
        """Execute one ``import`` statement of the file ``importer_path``; returns the bindings."""
        importer = self._importer(importer_path)
        target = self.load(imp.path, importer_path)
        if target is None:  # a cycle: the inner import binds nothing
            return Bindings()
        if imp.names is None:
            bindings = Bindings(target.exports())
        else:
            bindings = Bindings()
            for n in imp.names:
                found, value = target.lookup(n.name)
                if not found:
                    if imp.pub:
                        raise plain_error(
                            f"Re-export error: '{n.name}' is not exported by '{imp.path}'")
                    raise plain_error(f"Import error: '{n.name}' is not defined in {imp.path}")
                bindings[n.name] = value
        self._bind(importer, imp, bindings)
        return bindings

    def __call__(self, spec: str, names: tuple[str, ...] | None, importer_path: str | None,
                 pub: bool | None = None) -> dict[str, Any]:
        """``$import(spec, names, importer_path[, pub])`` as generated code calls it.

        Without ``pub``, it is read from the importer's matching ``import``
        statement (the importer's parsed module is known to the loader).
        """
        if pub is None:
            pub = self._is_pub(spec, names, importer_path)
        node_names = None if names is None else [ast.ImportName(0, 0, n) for n in names]
        return self.run_import(importer_path, ast.Import(0, 0, spec, 0, node_names, pub))

    def _is_pub(self, spec: str, names: tuple[str, ...] | None, importer_path: str | None
                ) -> bool:
        inst = self._by_path.get(os.path.abspath(importer_path)) if importer_path else None
        if inst is None or inst.module is None:
            return False
        wanted = None if names is None else list(names)
        for imp in inst.module.imports:
            got = None if imp.names is None else [n.name for n in imp.names]
            if imp.path == spec and got == wanted:
                return imp.pub
        return False

    def _importer(self, importer_path: str | None) -> ModuleInstance:
        if importer_path:
            inst = self._by_path.get(os.path.abspath(importer_path))
            if inst is not None:
                return inst
        inst = self.instances.get("<entry>")
        if inst is None:
            inst = self.begin_entry(importer_path)
        return inst

    def _bind(self, importer: ModuleInstance, imp: ast.Import, bindings: dict[str, Any]) -> None:
        bound = importer.bound
        for name, value in bindings.items():
            prev = bound.get(name, None)
            if name in bound and prev is not value:
                if prev is _LOCAL and imp.pub:
                    raise plain_error(
                        f"Re-export collision: '{name}' is already defined when re-exporting "
                        f"{imp.path}")
                raise plain_error(
                    f"Import collision: '{name}' is already defined when importing {imp.path}. "
                    f"Use selective imports to disambiguate: import {{ {name} }} from "
                    f"\"{imp.path}\"")
            bound[name] = value
        if imp.pub:
            importer.reexports.update(bindings)

    def load(self, spec: str, importer_path: str | None) -> ModuleInstance | None:
        """The loaded instance of the module ``spec`` names, or None inside a cycle."""
        r = resolve_import(spec, importer_path)
        if r.key is None:
            if r.is_std:
                raise runtime_error(r.error or f"Unknown stdlib module: {spec}")
            raise plain_error(r.error or f"Import error: cannot read '{spec}'")
        inst = self.instances.get(r.key)
        if inst is not None:
            return inst if inst.loaded else None
        if r.path is None:
            raise runtime_error(f"{spec} is not supported yet")
        try:
            module = self.cache.load(r)
        except ModuleReadError as exc:
            raise plain_error(str(exc)) from None
        first = module.first_error()
        if first is not None:
            raise plain_error(f"Import parse error in {r.path}: {first}")
        inst = ModuleInstance(r.key, r.path, module, bound=_local_functions(module))
        self.instances[r.key] = inst
        self._by_path[os.path.abspath(r.path)] = inst
        try:
            inst.values = dict(self.execute(module, self))
        except HarnError:
            del self.instances[r.key]
            self._by_path.pop(os.path.abspath(r.path), None)
            raise
        inst.loaded = True
        return inst




def wildcard_names(imp: ast.Import, importer_path: str | None) -> list[str]:
    """Names a wildcard import binds (for the resolver's ``import_names`` callback)."""
    from lang.modules import runtime_export_names

    return runtime_export_names(imp.path, importer_path) or []


__all__ = [
    "STD_DIR", "Bindings", "ExecuteModule", "ModuleInstance", "ModuleLoader", "wildcard_names",
]
