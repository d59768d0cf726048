"""Glue between the compiler and the module loader (language.md §14).

The loader (:mod:`vm.modules`) decides *what* an import binds; this module
compiles and runs imported modules for it. A module compiles in module mode
(its top-level ``let``/``var`` are shared state its functions read and
write, §14.5) and its ``$main`` returns its top-level declarations by name.
Code objects are cached by (module key, content digest, deadline checks), so
a module is compiled once per process and executed once per run.

Imported enums need no run-time value: ``E.V`` compiles to a constant
``EnumValue("E", "V")`` in the importer too, so the resolver only has to know
which imported names are enums (:func:`imported_enum_names`).
"""

from __future__ import annotations

from typing import Any

from lang import ast
from lang.modules import DEFAULT_CACHE, Module, resolve_import
from lang.resolve import Resolution, resolve
from vm.compiler import CompileOptions, Unit, compile_unit
from vm.failures import register_code
from vm.runtime.errors import plain_error

_CODE_CACHE: dict[tuple[str, str, bool, tuple], tuple[Any, Unit]] = {}


class EnumType:
    """What a module exports for an enum declaration (the name only)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<enum {self.name}>"


def wildcard_callback(importer_path: str | None):
    from vm.modules import wildcard_names

    def names(imp: ast.Import) -> list[str]:
        try:
            return wildcard_names(imp, importer_path)
        except Exception:  # an unreadable module fails at run time instead
            return []
    return names


def imported_enum_names(program: ast.Program, importer_path: str | None) -> set[str]:
    """Names that this program's imports bind to enums of other modules."""
    out: set[str] = set()
    for item in program.items:
        if type(item) is ast.Import:
            try:
                _enums_of(item.path, importer_path, item.names, out, set())
            except Exception:  # resolution errors surface when the import runs
                continue
    return out


def _enums_of(spec: str, importer: str | None, names: list | None, out: set[str],
              seen: set[str]) -> None:
    r = resolve_import(spec, importer)
    if r.key is None or r.path is None or r.key in seen:
        return
    seen.add(r.key)
    m = DEFAULT_CACHE.load(r)
    wanted = None if names is None else {n.name for n in names}
    for name, decl in m.types.items():
        if type(decl) is ast.EnumDecl and (wanted is None or name in wanted):
            if wanted is not None or decl.pub:
                out.add(name)
    for imp in m.imports:
        if imp.pub:
            sub_names = imp.names
            if wanted is not None and sub_names is not None:
                sub_names = [n for n in sub_names if n.name in wanted]
            _enums_of(imp.path, r.path, sub_names, out, seen)


def resolve_program(program: ast.Program, src: Any, module: bool = False) -> Resolution:
    has_imports = any(type(i) is ast.Import for i in program.items)
    if not has_imports:
        return resolve(program, src, shared_toplevel=module)
    return resolve(program, src, import_names=wildcard_callback(src.path),
                   shared_toplevel=module,
                   imported_enums=imported_enum_names(program, src.path))


def module_code(module: Module, deadline_checks: bool, host: dict | None,
                denied: frozenset[str] = frozenset()) -> tuple[Any, Unit]:
    key = (module.key, module.digest, deadline_checks, tuple(sorted(host or ())),
           tuple(sorted(denied)))
    hit = _CODE_CACHE.get(key)
    if hit is not None:
        return hit
    res = resolve_program(module.program, module.source, module=True)
    if res.errors:
        raise plain_error(f"Import parse error in {module.path}: "
                          f"{res.errors[0].spec_text(module.source)}")
    unit = compile_unit(res, module.source, CompileOptions(deadline_checks=deadline_checks,
                                                            module=True, host=host,
                                                            denied=denied))
    from vm.api import _register_params, compile_module

    try:
        code = compile_module(unit.module, module.source.path)
    except (SyntaxError, RecursionError, MemoryError) as exc:
        raise plain_error(f"Import parse error in {module.path}: {exc}") from None
    register_code(code, unit)

    _register_params(code, unit)
    _CODE_CACHE[key] = (code, unit)
    return code, unit


def make_loader(entry_src: Any, argv: list[str], deadline: float | None, checks: bool,
                host: dict | None, denied: frozenset[str] = frozenset()):
    """A module loader for one run of the entry file ``entry_src``."""
    from vm.modules import ModuleLoader
    from vm.namespace import run_namespace

    def execute(module: Module, loader: Any) -> dict[str, Any]:
        code, unit = module_code(module, checks, host, denied)
        ns = run_namespace(unit, argv, deadline)
        ns["$import"] = loader
        exec(code, ns)
        _, exports = ns["$main"]()
        return exports

    loader = ModuleLoader(execute)
    entry = DEFAULT_CACHE.parse_text("<entry>:" + entry_src.path, entry_src.path, entry_src.text)
    loader.begin_entry(entry_src.path, entry)
    return loader
