"""The checker: passes over one program (types.md §13.1), diagnostics, facts.

Passes, as the reference runs them:

1. register imported type-like declarations (§14);
2. register every ``type``/``struct``/``enum``/``interface`` and impl method
   table of the top level and of top-level pipeline bodies in the root;
3. placeholders: every ``fn`` (recursing through fn/pipeline bodies) with its
   signature in the root, pipelines as parameterless callables, impl methods
   under their own names, and each single-name ``let``/``var`` directly in
   those bodies or at top level as an untyped root variable;
4. ``@deprecated`` functions, and a pre-walk reporting statement-position
   calls to them;
5. the walk: ``fn``/pipeline bodies in a child of the root (parameter scope,
   then body scope), other top-level statements in a temporary child of the
   root whose ``var``/widening marks are promoted afterwards (variable types
   only for names the root does not hold).

Expressions are inferred and checked in one walk (:mod:`typechecker.exprs`,
:mod:`typechecker.calls`), statements in :mod:`typechecker.stmts`, narrowing
in :mod:`typechecker.narrow`, matches in :mod:`typechecker.matches`. Every
inferred type is recorded in ``types`` (node -> type) unless ``record`` is
off (re-inference for the return check). ``quiet`` silences diagnostics:
level 1 keeps only our own ``W1xx`` warnings (inside ``${...}``, which the
reference never checks), level 2 silences everything (pure re-inference).

§18.2: where a reference error would reject a program that runs correctly
(a *strict quirk*), the checker re-derives the type without the quirk
(``precise`` mode); if that fits, the error is reported as warning ``W120``
with the same wording.
"""

from __future__ import annotations

from lang import ast
from lang.diagnostics import Diagnostic, Fix, Severity
from lang.source import Source
from typechecker import messages as M
from typechecker.calls import CallChecker
from typechecker.exprs import ExprChecker
from typechecker.matches import MatchChecker
from typechecker.scope import (
    AliasInfo,
    EnumInfo,
    FnContext,
    FnSig,
    IfaceMethod,
    InterfaceInfo,
    ParamSig,
    Scope,
    StructInfo,
)
from typechecker.stmts import StmtChecker
from typechecker.types import (
    _SIMPLE_TYPES,
    WILD,
    Applied,
    IterT,
    Named,
    Type,
    from_ast,
    named,
)
from typechecker.variance import VarianceChecker

_NO_WHERE: list = []

KNOWN_ATTRIBUTES = frozenset({"deprecated", "test"})


class Options:
    __slots__ = ("strict", "imported_names", "imported_decls", "wildcard_unresolved",
                 "extras", "file_path", "strict_types")

    def __init__(self, strict: bool = False, imported_names: set[str] | None = None,
                 imported_decls: list[ast.Node] | None = None,
                 wildcard_unresolved: bool = False, extras: bool = True,
                 file_path: str | None = None, strict_types: bool = False) -> None:
        self.strict = strict
        self.strict_types = strict_types
        self.imported_names = imported_names or set()
        self.imported_decls = imported_decls or []
        self.wildcard_unresolved = wildcard_unresolved
        self.extras = extras
        self.file_path = file_path


class Checker(ExprChecker, CallChecker, StmtChecker, MatchChecker, VarianceChecker):
    def __init__(self, program: ast.Program, source: Source, options: Options | None = None):
        self.program = program
        self.src = source
        self.opts = options or Options()
        self.diags: list[Diagnostic] = []
        self.types: dict[ast.Node, Type] = {}
        self.binding_types: dict[ast.Node, Type | None] = {}
        self.block_scopes: list[tuple[int, int, Scope]] = []
        self.call_targets: dict[ast.Node, FnSig] = {}
        self.root = Scope()
        self.quiet = 0
        self.record = True
        self.precise = False
        self.quirk_seen = False  # set when inference applied a lenient-but-strict quirk
        self.all_quirks = False  # every error_or_quirk is a W120 (checking a quirky call)
        self.has_precise = False
        self.toplevel_types: dict[str, Type] = {}
        self.fn: FnContext | None = None
        self.deprecated: dict[str, tuple[str | None, str | None]] = {}
        self.ret_walk: dict[ast.Return, Type | None] = {}
        self.ret_clean: set[ast.Return] = set()
        self.ret_precise: dict[ast.Return, Type | None] = {}  # quirk-free types of misfits
        self.throw_types: dict[ast.Node, Type | None] = {}
        self.lex_only: set[str] = set()
        self.extras = self.opts.extras
        self.loop_depth = 0
        self.sigs: dict[ast.Node, FnSig] = {}
        self.free_fns: dict[str, FnSig] = {}  # functions hidden by a same-named impl method

    # ------------------------------------------------------------ diagnostics

    def report(self, severity: Severity, code: str, message: str, start: int, end: int,
               help: str | None = None, fix: Fix | None = None,
               data: dict | None = None) -> None:
        q = self.quiet
        if q:
            if q >= 2 or not code.startswith("W1"):
                return
        self.diags.append(Diagnostic(severity, code, message, start, end, help=help, fix=fix,
                                     source="harn-typecheck", data=data))

    def error(self, code: str, message: str, node: ast.Node, **kw) -> None:
        self.report(Severity.ERROR, code, message, node.start, node.end, **kw)

    def warn(self, code: str, message: str, node: ast.Node, **kw) -> None:
        self.report(Severity.WARNING, code, message, node.start, node.end, **kw)

    def error_or_quirk(self, quirk: bool, code: str, message: str, node: ast.Node, **kw) -> None:
        """An error, or its §18.2 downgrade to W120 when only a strict quirk rejects it."""
        if quirk or self.all_quirks:
            self.report(Severity.WARNING, M.W_QUIRK, message, node.start, node.end,
                        data={"reference_code": code}, **kw)
        else:
            self.report(Severity.ERROR, code, message, node.start, node.end, **kw)

    # ------------------------------------------------------------ driver

    def run(self) -> None:
        root = self.root
        items = self.program.items
        self.register_result(root)
        for node in self.opts.imported_decls:  # pass 1
            self.register_decl(node, root)
        for item in items:  # pass 2
            cls = type(item)
            if cls in _DECL_NODES:
                self.register_decl(item, root)
            elif cls is ast.Pipeline:
                for st in item.body.stmts:
                    if type(st) in _DECL_NODES:
                        self.register_decl(st, root)
        for item in items:  # pass 3
            self.placeholders(item, root, top=True)
        self.collect_deprecated(items)  # pass 4
        for item in items:  # pass 5
            self.walk_top(item)

    def walk_top(self, item: ast.Stmt) -> None:
        cls = type(item)
        root = self.root
        if cls is ast.FnDecl:
            if item.attributes:
                self.check_attributes(item)
            self.walk_fn(item, root, root, top=True, sig=self.sigs.get(item))
        elif cls is ast.Pipeline:
            self.check_attributes(item)
            self.walk_pipeline(item)
        elif cls is ast.ImplBlock:
            self.check_attributes(item)
            for m in item.methods:
                self.walk_fn(m, root, root, top=True, method_of=item.name)
        elif cls is ast.Import:
            return
        elif cls in (ast.StructDecl, ast.EnumDecl, ast.InterfaceDecl, ast.TypeAlias):
            self.check_attributes(item)
            self.check_decl_variance(item)
        else:
            temp = Scope(root)
            self.stmt(item, temp)
            if cls is ast.Let and type(item.pattern) is ast.NamePattern and \
                    (item.type is not None or not item.mutable) and temp.vars:
                t = temp.vars.get(item.pattern.name)
                if t is not None:
                    self.toplevel_types.setdefault(item.pattern.name, t)
            self.promote(temp)

    def promote(self, temp: Scope) -> None:
        root = self.root
        if temp.mutable:
            for name, m in temp.mutable.items():
                root.mark("mutable", name, m)
        if temp.widen:
            for name, w in temp.widen.items():
                root.mark("widen", name, w)
        if temp.vars:
            rv = root.vars
            for name, t in temp.vars.items():
                if rv is None or name not in rv:
                    root.set_var(name, t)
        if temp.fns:
            for sig in temp.fns.values():
                if root.fns is None or sig.name not in root.fns:
                    root.add_fn(sig)
        if temp.decls:
            for info in temp.decls.values():
                root.add_decl(info)
        if temp.binds:
            for name, node in temp.binds.items():
                root.mark("binds", name, node)

    # ------------------------------------------------------------ pass 2: declarations

    def register_result(self, scope: Scope) -> None:
        t, e = named("T"), named("E")
        scope.add_decl(EnumInfo("Result", ("T", "E"), ("out", "out"),
                                {"Ok": [("value", t)], "Err": [("error", e)]}))

    def register_decl(self, node: ast.Node, scope: Scope) -> None:
        cls = type(node)
        if cls is ast.StructDecl:
            tps, vs = _tparams(node.type_params)
            fields = [(f.name, None if f.type is None else from_ast(f.type), f.optional)
                      for f in node.fields]
            scope.add_decl(StructInfo(node.name, tps, vs, fields, node))
        elif cls is ast.EnumDecl:
            tps, vs = _tparams(node.type_params)
            variants = {v.name: [(p.name, None if p.type is None else from_ast(p.type))
                                 for p in v.params] for v in node.variants}
            scope.add_decl(EnumInfo(node.name, tps, vs, variants, node))
        elif cls is ast.TypeAlias:
            tps, vs = _tparams(node.type_params)
            scope.add_decl(AliasInfo(node.name, tps, vs, from_ast(node.type), node))
        elif cls is ast.InterfaceDecl:
            tps, vs = _tparams(node.type_params)
            methods = {}
            for m in node.methods:
                params = [self.param_sig(p) for p in m.params if p.name != "self"]
                methods[m.name] = IfaceMethod(
                    m.name, params, None if m.return_type is None else from_ast(m.return_type))
            assoc = [(a.name, None if a.default is None else from_ast(a.default))
                     for a in node.assoc_types]
            scope.add_decl(InterfaceInfo(node.name, tps, vs, assoc, methods, node))
        elif cls is ast.ImplBlock:
            scope.add_impl(node.name, {m.name: self.fn_sig(m, kind="method")
                                       for m in node.methods})

    # ------------------------------------------------------------ pass 3: placeholders

    def param_sig(self, p: ast.Param) -> ParamSig:
        return ParamSig(p.name, None if p.type is None else from_ast(p.type),
                        p.default is not None, p.rest)

    def fn_sig(self, node: ast.FnDecl, kind: str = "fn") -> FnSig:
        sig = self.sigs.get(node)
        if sig is None:
            sig = self.sigs[node] = self._fn_sig(node, kind)
        return sig

    def _fn_sig(self, node: ast.FnDecl, kind: str) -> FnSig:
        params = []
        required = 0
        optional = False
        has_rest = False
        simple = _SIMPLE_TYPES
        for p in node.params:
            pt = p.type
            if pt is None:
                t = None
            elif type(pt) is ast.TypeName and not pt.args:
                t = simple.get(pt.name) or from_ast(pt)
            else:
                t = from_ast(pt)
            has_default = p.default is not None
            if has_default or p.rest:
                optional = True
                has_rest = has_rest or p.rest
            elif not optional:
                required += 1
            params.append(ParamSig(p.name, t, has_default, p.rest))
        ret: Type | None
        rt = node.return_type
        if rt is not None:
            ret = simple.get(rt.name) if type(rt) is ast.TypeName and not rt.args else None
            if ret is None:
                ret = from_ast(rt)
        elif node.is_gen:
            ret = IterT("Stream", named("any"))
        elif _contains_yield(node.body):
            ret = IterT("Generator", named("any"))
        else:
            ret = None
        if node.type_params:
            tps, vs = _tparams(node.type_params)
            where = [(w.param, w.interface) for w in node.where]
        else:
            tps = vs = ()
            where = _NO_WHERE
        return FnSig(node.name, params, ret, tps, vs, where, required, has_rest, node, kind,
                     node.is_gen, None, rt is not None)

    def placeholders(self, item: ast.Stmt, root: Scope, top: bool) -> None:
        cls = type(item)
        if cls is ast.FnDecl:
            root.add_fn(self.fn_sig(item))
            for st in item.body.stmts:
                c = type(st)
                if c is ast.FnDecl or c is ast.Let:
                    self.placeholders(st, root, False)
                elif c in _BLOCK_STMTS:
                    self.nested_fns(st, root)
        elif cls is ast.Pipeline:
            root.add_fn(FnSig(item.name, [], None, node=item, kind="pipeline"))
            for st in item.body.stmts:
                self.placeholders(st, root, False)
                if type(st) in _BLOCK_STMTS:
                    self.nested_fns(st, root)
        elif cls is ast.ImplBlock:
            for m in item.methods:
                prev = root.lookup_fn(m.name)
                if prev is not None and prev.kind != "method":
                    self.free_fns[m.name] = prev  # what a free call runs (§18.2 decisions)
                root.add_fn(self.fn_sig(m, kind="method"))
        elif cls is ast.Let and type(item.pattern) is ast.NamePattern:
            name = item.pattern.name
            if top and item.type is not None:
                self.toplevel_types.setdefault(name, from_ast(item.type))
            if root.vars is None or name not in root.vars:
                root.set_var(name, None)
                root.own_table("placeholders")[name] = item
            if top:
                self.nested_fns(item, root)
        elif top and cls in _BLOCK_STMTS:
            self.nested_fns(item, root)

    def nested_fns(self, st: ast.Stmt, root: Scope) -> None:
        """Functions declared in nested blocks are known by name too (a call to one
        from outside its block fails at run time, not in the checker)."""
        for block in _blocks_of(st):
            for inner in block.stmts:
                c = type(inner)
                if c is ast.FnDecl:
                    self.nested_fns_decl(inner, root)
                elif c in _BLOCK_STMTS:
                    self.nested_fns(inner, root)

    def nested_fns_decl(self, fn: ast.FnDecl, root: Scope) -> None:
        if root.lookup_fn(fn.name) is None:
            root.add_fn(self.fn_sig(fn))
        for st in fn.body.stmts:
            if type(st) is ast.FnDecl:
                self.nested_fns_decl(st, root)
            elif type(st) in _BLOCK_STMTS:
                self.nested_fns(st, root)

    # ------------------------------------------------------------ pass 4: deprecation

    def collect_deprecated(self, items: list[ast.Stmt]) -> None:
        for item in items:
            if type(item) is ast.FnDecl:
                for attr in item.attributes:
                    if attr.name == "deprecated":
                        since = use = None
                        for label, value in attr.args:
                            text = value.value if type(value) is ast.StringLit else None
                            if label == "since":
                                since = text
                            elif label == "use":
                                use = text
                        self.deprecated[item.name] = (since, use)
                        sig = self.root.lookup_fn(item.name)
                        if sig is not None:
                            sig.deprecated = (since, use)
        if not self.deprecated:
            return
        for node in _statement_calls(items):
            self.deprecation_warning(node)

    def deprecation_warning(self, call: ast.Call) -> None:
        info = self.deprecated.get(call.callee.name)
        if info is None:
            return
        since, use = info
        self.warn(M.W_DEPRECATED, M.deprecated(call.callee.name, since), call.callee,
                  help=f"use `{use}` instead" if use else None)

    # ------------------------------------------------------------ attributes

    def check_attributes(self, node: ast.Node) -> None:
        attrs = getattr(node, "attributes", None)
        if not attrs:
            return
        for attr in attrs:
            if attr.name not in KNOWN_ATTRIBUTES:
                self.warn(M.W_UNKNOWN_ATTR, M.unknown_attribute(attr.name), attr)
            elif attr.name == "test" and type(node) is not ast.Pipeline:
                self.warn(M.W_MISPLACED_ATTR, M.TEST_ATTR, attr)

    # ------------------------------------------------------------ beyond the reference

    def shadow_type(self, e: ast.Expr, s: Scope) -> tuple[Type, str, str] | None:
        """A type the reference does not see for an untyped expression (§17.3), with
        the warning code and where it comes from; used for warnings only."""
        if not self.extras:
            return None
        cls = type(e)
        if cls is ast.Name:
            t = self.toplevel_types.get(e.name)
            if t is not None and s.var_scope(e.name) is self.root:
                return t, M.W_TOPLEVEL_TYPE, f"the type of top-level '{e.name}'"
        elif cls is ast.Call:
            sig = self.call_targets.get(e)
            if sig is not None and sig.ret is None and sig.inferred_ret is not None:
                return sig.inferred_ret, M.W_INFERRED_RETURN, \
                    f"the inferred return type of '{sig.name}'"
        elif cls is ast.Member and not e.optional:
            ot = self.types.get(e.obj)
            if type(ot) is Named:
                info = s.lookup_decl(ot.name)  # type: ignore[union-attr]
                if type(info) is StructInfo and not info.tparams:
                    f = info.field(e.name)
                    if f is not None and f[1] is not None:
                        return f[1], M.W_STRUCT_FIELD_TYPE, \
                            f"the declared type of field '{e.name}' of struct '{info.name}'"
        return None

    # ------------------------------------------------------------ facts helpers

    def fn_type_of(self, sig: FnSig) -> Type:
        from typechecker.types import NIL, FnT

        params = tuple(WILD if p.type is None else p.type for p in sig.params)
        ret = sig.ret
        if ret is None:
            ret = WILD if self.precise else NIL
            self.quirk_seen = True
        return FnT(params, ret)


_DECL_NODES = frozenset({ast.StructDecl, ast.EnumDecl, ast.TypeAlias, ast.InterfaceDecl,
                         ast.ImplBlock})
_BLOCK_STMTS = frozenset({ast.ExprStmt, ast.For, ast.While, ast.Guard, ast.Mutex, ast.Defer,
                          ast.Select, ast.Let})
_BLOCK_EXPRS = (ast.If, ast.Match, ast.Try, ast.Spawn, ast.Retry, ast.Deadline, ast.Parallel)


def _blocks_of(st: ast.Node):
    """The blocks directly owned by a statement (through if/match/try expressions)."""
    cls = type(st)
    if cls is ast.ExprStmt or cls is ast.Let:
        e = st.expr if cls is ast.ExprStmt else st.value
        if type(e) in _BLOCK_EXPRS:
            yield from _expr_blocks(e)
    elif cls in (ast.For, ast.While, ast.Mutex, ast.Defer):
        yield st.body
    elif cls is ast.Guard:
        yield st.else_body
    elif cls is ast.Select:
        for c in st.cases:
            yield c.body


def _expr_blocks(e: ast.Node):
    cls = type(e)
    if cls is ast.If:
        yield e.then
        if type(e.else_) is ast.If:
            yield from _expr_blocks(e.else_)
        elif e.else_ is not None:
            yield e.else_
    elif cls is ast.Match:
        for arm in e.arms:
            yield arm.body
    elif cls is ast.Try:
        yield e.body
        if e.catch_body is not None:
            yield e.catch_body
        if e.finally_body is not None:
            yield e.finally_body
    else:
        yield e.body


def _tparams(tps: list[ast.TypeParam]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not tps:
        return (), ()
    return tuple(t.name for t in tps), tuple(t.variance for t in tps)


def _contains_yield(block: ast.Block) -> bool:
    """Whether ``yield`` occurs in the body outside nested functions and closures."""
    stack: list[ast.Node] = list(block.stmts)
    while stack:
        n = stack.pop()
        cls = type(n)
        if cls is ast.Yield:
            return True
        if cls in (ast.FnDecl, ast.Closure, ast.FnExpr, ast.Pipeline):
            continue
        stack.extend(ast.children(n))
    return False


def _statement_calls(items: list[ast.Stmt]):
    """Statement-position calls ``f(...)`` anywhere in the program, in source order."""
    stack: list[ast.Node] = list(reversed(items))
    while stack:
        n = stack.pop()
        if type(n) is ast.ExprStmt and type(n.expr) is ast.Call:
            yield n.expr
        stack.extend(reversed(ast.children(n)))


def base_name(t: Type | None) -> str | None:
    if type(t) is Named or type(t) is Applied:
        return t.name  # type: ignore[union-attr]
    return None
