"""Public entry points of the checker and the type facts it leaves behind.

Checking
--------
``check_program(program, source, *, path=None, strict=None, module_graph=None)
-> CheckResult`` checks a parsed program. ``strict`` (E013 for unresolved
calls, types.md §14) defaults to "every import of the file resolves", which
needs a file ``path``; without one (REPL, language server) the check is
non-strict. ``module_graph`` may be a precomputed
:class:`typechecker.modules_adapter.ImportInfo` or a ``lang.modules.ModuleGraph``
of this file; otherwise imports are resolved relative to ``path``.

``check_source(text_or_source, path=None, *, lint=False)`` parses and checks;
``check_file(path)`` reads, parses, checks and lints one file the way
``lang check`` reports it (:class:`FileReport`: checker diagnostics, then lint,
then unresolved imports as ``preflight`` errors). ``check_for_run(source,
path, program=None) -> (errors, warnings)`` is what ``lang run`` calls
(types.md §1): any error aborts the run (print every diagnostic to stderr);
otherwise print the warnings to stderr with ``lang.diagnostics.render_run``
(``warning: <message>`` plus the excerpt) and run. Syntax errors come back
as errors too, so a caller may pass the raw source only.

Facts (``CheckResult``)
-----------------------
All side tables are keyed by AST node (nodes compare by identity):

* ``expr_types[node] -> Type``: the static type of each typed expression
  (untyped expressions are absent). ``show(t)`` prints a type as messages do.
* ``binding_types[node] -> Type | None``: each binding site (``NamePattern``
  of ``let``/``var``/``for``, ``Param``) and its type.
* ``call_targets[call] -> FnSig``: the user function a ``Call`` resolved to.
* ``scope_at(offset)`` / ``names_at(offset)``: the innermost block scope at a
  character offset and the variables visible there with their types
  (completion); ``type_at(offset)``: the innermost typed expression covering
  an offset and its type (hover).
* ``root``: the root scope (functions, structs, enums, aliases, interfaces).

Static types are *gradual*: ``let x: int = f()`` gives ``x`` type ``int``
although nothing checks it at run time. A compiler fast path must use the
*proven* facts instead: ``proven_kind(node)`` returns ``"int"``, ``"float"``,
``"number"``, ``"string"``, ``"bool"`` or ``None``, and holds whatever values
flow at run time (literals, arithmetic on proven operands, immutable bindings
of proven values, parameters whose annotation the VM enforces on entry).
``struct_of(node)`` names the struct an expression provably holds (a struct
literal, or an immutable binding of one) so field access can be direct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic, error
from lang.gcpause import gc_paused
from lang.parser import ParseResult, parse
from lang.source import Source
from typechecker.checker import Checker, Options
from typechecker.modules_adapter import ImportInfo, impls_of, import_info
from typechecker.scope import FnSig, Scope
from typechecker.types import Type, show

PREFLIGHT_HELP = "verify the import path and packaged module layout"


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    expr_types: dict[ast.Node, Type]
    binding_types: dict[ast.Node, Type | None]
    call_targets: dict[ast.Node, FnSig]
    root: Scope
    scopes: list[tuple[int, int, Scope]]
    strict: bool
    program: ast.Program
    unresolved_imports: list[tuple[str, int, int]] = field(default_factory=list)
    _proven: object = None
    imported_names: frozenset[str] = frozenset()  # bound by this file's imports

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def type_of(self, node: ast.Node) -> Type | None:
        return self.expr_types.get(node)

    def scope_at(self, offset: int) -> Scope:
        best: tuple[int, Scope] | None = None
        for start, end, scope in self.scopes:
            if start <= offset <= end and (best is None or end - start <= best[0]):
                best = (end - start, scope)
        return self.root if best is None else best[1]

    def names_at(self, offset: int) -> dict[str, Type | None]:
        return self.scope_at(offset).visible_names()

    def type_at(self, offset: int) -> tuple[ast.Node, Type] | None:
        best: tuple[ast.Node, Type] | None = None
        for node, t in self.expr_types.items():
            if node.start <= offset < node.end:
                if best is None or node.end - node.start < best[0].end - best[0].start:
                    best = (node, t)
        return best

    def proven_kind(self, node: ast.Node) -> str | None:
        from typechecker.facts import ProvenFacts

        if self._proven is None:
            self._proven = ProvenFacts(self.program, self)
        return self._proven.kind(node)  # type: ignore[attr-defined]

    def struct_of(self, node: ast.Node) -> str | None:
        from typechecker.facts import ProvenFacts

        if self._proven is None:
            self._proven = ProvenFacts(self.program, self)
        return self._proven.struct(node)  # type: ignore[attr-defined]

    show = staticmethod(show)


def _import_info(program: ast.Program, path: str | None, module_graph) -> ImportInfo:
    if module_graph is None:
        return import_info(program, path)
    if isinstance(module_graph, ImportInfo):
        return module_graph
    info = ImportInfo()  # a lang.modules.ModuleGraph of this file
    key = module_graph.entry_key
    for u in module_graph.unresolved:
        if u.importer == key:
            info.unresolved.append((u.spec, u.start, u.end))
    info.all_resolved = not info.unresolved
    seen: set[int] = set()
    for name, entry in module_graph.imported_names(key).items():
        info.names.add(name)
        if entry.decl is not None and type(entry.decl) in (ast.StructDecl, ast.EnumDecl,
                                                           ast.TypeAlias, ast.InterfaceDecl):
            info.decls.append(entry.decl)
            if type(entry.decl) is ast.StructDecl:
                info.decls.extend(impls_of(module_graph, entry.module_key, entry.decl.name, seen))
    return info


def check_program(program: ast.Program, source: Source, *, path: str | None = None,
                  strict: bool | None = None, module_graph=None,
                  extras: bool = True, strict_types: bool = False,
                  host_names: frozenset[str] = frozenset()) -> CheckResult:
    """Check a parsed program; never raises on bad input.

    ``host_names`` are functions an embedding host provides: callable like
    builtins, their calls unchecked (as imported functions are).
    """
    info = _import_info(program, path, module_graph)
    if strict is None:
        strict = path is not None and info.all_resolved
    names = info.names | host_names if host_names else info.names
    opts = Options(strict=strict, imported_names=names, imported_decls=info.decls,
                   wildcard_unresolved=info.wildcard_unresolved, extras=extras,
                   file_path=path, strict_types=strict_types)
    checker = Checker(program, source, opts)
    try:
        with gc_paused():  # the walk allocates many small objects and frees none of them
            checker.run()
    except RecursionError:  # pathological nesting: report, never crash
        from lang.diagnostics import warning

        checker.diags.append(warning("W199", "the checker stopped: the program is nested too "
                                     "deeply to check", 0, 0, source="harn-typecheck"))
    return CheckResult(checker.diags, checker.types, checker.binding_types,
                       checker.call_targets, checker.root, checker.block_scopes, strict,
                       program, info.unresolved, imported_names=frozenset(names))


def check_source(text: str | Source, path: str | None = None, *, strict: bool | None = None,
                 module_graph=None) -> tuple[ParseResult, CheckResult]:
    src = text if isinstance(text, Source) else Source(text, path or "<input>")
    parsed = parse(src)
    return parsed, check_program(parsed.program, src, path=path, strict=strict,
                                 module_graph=module_graph)


@dataclass(slots=True)
class FileReport:
    source: Source
    syntax: list[Diagnostic]
    checker: list[Diagnostic]
    lint: list[Diagnostic]
    preflight: list[Diagnostic]
    result: CheckResult | None = None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.syntax + self.checker + self.lint + self.preflight

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def preflight_diagnostics(unresolved: list[tuple[str, int, int]]) -> list[Diagnostic]:
    return [error("E0301", f"preflight: unresolved import '{spec}'", start, end,
                  help=PREFLIGHT_HELP, source="harn-preflight")
            for spec, start, end in unresolved]


def report_for(src: Source, path: str | None, *, lint: bool = True,
               strict: bool | None = None, strict_types: bool = False) -> FileReport:
    """Parse, check and lint one source the way ``lang check`` reports it."""
    parsed = parse(src)
    if not parsed.ok:
        return FileReport(src, parsed.diagnostics, [], [], [])
    result = check_program(parsed.program, src, path=path, strict=strict,
                           strict_types=strict_types)
    lint_diags: list[Diagnostic] = []
    if lint:
        from typechecker.lint import lint_program

        lint_diags = lint_program(parsed.program, src, wildcard_unresolved=any(
            True for _ in result.unresolved_imports), imported=result.imported_names)
    return FileReport(src, list(parsed.diagnostics), result.diagnostics, lint_diags,
                      preflight_diagnostics(result.unresolved_imports), result)


def check_file(path: str, *, lint: bool = True) -> FileReport:
    """Read and check one file (raises ``lang.files.FileError`` if it cannot be read)."""
    from lang.files import read_source

    return report_for(read_source(path), path, lint=lint)


def check_for_run(source: Source | str, path: str | None = None,
                  program: ast.Program | None = None,
                  host_names: frozenset[str] = frozenset(),
                  ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """``(errors, warnings)`` for ``lang run``: syntax errors or checker diagnostics."""
    src = source if isinstance(source, Source) else Source(source, path or "<input>")
    if program is None:
        parsed = parse(src)
        if not parsed.ok:
            return [d for d in parsed.diagnostics if d.is_error], []
        program = parsed.program
    result = check_program(program, src, path=path, host_names=host_names)
    return result.errors, result.warnings
