"""Compiler: a resolved Harn program -> one Python ``ast.Module`` -> code object.

Shape of the output. The whole program becomes ``def $main(): ...`` (so
top-level bindings are fast locals); each Harn function, closure, method and
pipeline becomes a nested ``def``. Script bindings use the resolver's Python
names (``h_x``...), helpers and temporaries names containing ``$``, which no
script can spell; ``exec`` runs the module in a namespace whose
``__builtins__`` is empty (see :mod:`vm.namespace`).

Functions. A function whose every call the resolver can see (a ``fn`` or
``let f = { ... }`` never used as a value) takes exactly its parameters and
its call sites pass them all (``None`` for a missing one, ``$UNSET`` when the
default expression must run in the callee), so CPython's fastest call path
applies. Any other function may be called with fewer or more arguments: its
parameters default to ``None``/``$UNSET`` and ``*$r`` swallows extras.
Captured bindings the resolver marks
``snapshot`` become keyword-only parameters defaulting to the outer value
(evaluated once, when the ``def`` runs: a snapshot). A ``fn`` with self tail
calls runs its body inside ``while True`` and a tail call rebinds the
parameters and continues (from inside loops: sets ``$tf`` and breaks out of
them first). Tail calls within a group of mutually tail-recursive ``fn``s go
through a trampoline (:func:`vm.callgraph.tail_call_groups`). A generator
function returns ``HGenerator`` over a nested generator ``def``.

Expressions compile to expressions; ``if``/``match``/``try`` used as values,
and postfix ``?``, compile to statements assigning a temporary. When a
sub-expression needs statements, the operands evaluated before it are first
spilled to temporaries so evaluation order stays left to right (§8.14).

Positions: every generated node gets the span of the script node it came
from (:func:`vm.pyast.locate`), so tracebacks and ``co_positions()`` point at
script lines and columns.
"""

from __future__ import annotations

import ast as py
from dataclasses import dataclass, field
from typing import Any

from lang import ast
from lang.resolve import Binding, FuncInfo, Resolution
from lang.source import Source
from vm import pyast as P
from vm.builtins import builtin_table
from vm.callgraph import recursive_functions, tail_call_groups
from vm.compiler_exprs import ExprCompiler
from vm.compiler_flow import FlowCompiler
from vm.compiler_types import TypeFacts

RETURN = "$return"  # block target: return the block value


@dataclass(slots=True)
class CompileOptions:
    deadline_checks: bool = False
    module: bool = False  # an imported module: top-level let/var are shared state
    host: dict[str, Any] | None = None
    denied: frozenset[str] = frozenset()
    facts: Any = None  # typechecker.api.CheckResult of the program (proven facts), if any


@dataclass(slots=True)
class FnState:
    info: FuncInfo
    is_main: bool = False
    loop_depth: int = 0
    try_depth: int = 0
    tail_params: list[tuple[str, ast.Param]] | None = None
    used_tail: bool = False
    loop_tail: bool = False  # a tail call sits in the loop being compiled (see tail_call)
    tail_flag: bool = False  # the function uses ``$tf``
    is_generator: bool = False
    defers: str | None = None
    # immutable struct bindings -> {field: the local holding its value} (see s_Let)
    field_aliases: dict[Binding, dict[str, str]] = field(default_factory=dict)
    field_reads: dict[Binding, set[str]] | None = None  # ``b.f`` read in this function


@dataclass(slots=True)
class Unit:
    """What the compiler produces for one program."""

    module: py.Module
    consts: dict[str, Any]
    structs: dict[str, tuple[str, tuple[str, ...]]]  # global name -> (struct name, fields)
    fn_params: dict[str, tuple[str, ...]]  # def name -> displayed parameter names
    fn_kinds: dict[str, str]  # python name -> binding kind (for unbound-name errors)
    src: Source
    resolution: Resolution
    pipeline_mode: bool = False
    uses_argv: bool = False
    has_imports: bool = False
    path: str = ""
    _calls: dict[int, ast.Call] | None = None

    def call_at(self, offset: int) -> ast.Call | None:
        """The call expression starting at ``offset`` (error messages only)."""
        if self._calls is None:
            self._calls = {n.start: n for n in self.resolution.nodes(ast.Call)}
        return self._calls.get(offset)


class Compiler(ExprCompiler, FlowCompiler):
    def __init__(self, res: Resolution, src: Source, options: CompileOptions | None = None):
        self.res = res
        self.src = src
        self.opts = options or CompileOptions()
        self.funcs, self.builtin_consts = builtin_table(self.opts.host, self.opts.denied)
        self.out: list[py.stmt] = []
        self.fn: FnState = FnState(res.main)  # type: ignore[arg-type]
        self.consts: dict[str, Any] = {}
        self.const_ids: dict[tuple, str] = {}
        self.structs: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.struct_globals: dict[ast.Node | str, str] = {}
        self.fn_params: dict[str, tuple[str, ...]] = {}
        self.n_temp = 0
        self.pos_cache: dict[int, tuple[int, int]] = {}
        self.stmt_cache: dict[ast.Node, bool] = {}
        self.types: TypeFacts = None  # type: ignore[assignment]  # after prepare_structs
        self.uses_argv = False
        self.interfaces = frozenset(n.name for n in res.nodes(ast.InterfaceDecl))
        self.has_deadline: bool | None = None
        self._tail_groups: tuple[frozenset[FuncInfo], frozenset[ast.Return]] | None = None
        self._recursive: frozenset[FuncInfo] | None = None

    # ------------------------------------------------------------ utilities

    def temp(self, prefix: str = "t") -> str:
        self.n_temp += 1
        return f"${prefix}{self.n_temp}"

    def line_col(self, offset: int) -> tuple[int, int]:
        lc = self.pos_cache.get(offset)
        if lc is None:
            line, col = self.src.line_col(offset)
            lc = (line, col - 1)
            self.pos_cache[offset] = lc
        return lc

    def span(self, node: ast.Node) -> tuple[int, int, int, int]:
        line, col = self.line_col(node.start)
        end_line, end_col = self.line_col(max(node.end, node.start))
        return line, col, end_line, end_col

    def locate(self, tree: Any, node: ast.Node) -> Any:
        P.locate(tree, self.span(node))
        return tree

    def emit(self, stmt: py.stmt) -> None:
        self.out.append(stmt)

    def const(self, value: Any, key: tuple | None = None, prefix: str = "k") -> py.Name:
        """A namespace constant (values Python's ``Constant`` cannot hold)."""
        if key is not None:
            name = self.const_ids.get(key)
            if name is not None:
                return P.name(name)
        name = self.temp(prefix)
        self.consts[name] = value
        if key is not None:
            self.const_ids[key] = name
        return P.name(name)

    def sub(self, fn) -> list[py.stmt]:
        """Run ``fn`` collecting the statements it emits into a fresh list."""
        saved = self.out
        self.out = []
        try:
            fn()
            return self.out
        finally:
            self.out = saved

    # ------------------------------------------------------------ program

    def compile_program(self) -> Unit:
        prog = self.res.program
        main = self.res.main
        assert main is not None
        self.fn = FnState(main, is_main=True)
        self.mark_streams()
        self.prepare_structs()
        host = self.opts.host or {}
        trusted = {n for n in ("len", "to_string", "type_of", "range") if n not in host}
        checked = self.opts.facts
        if checked is not None and host:
            from typechecker.facts import FIXED_BUILTINS

            if host.keys() & FIXED_BUILTINS.keys():  # the checker assumed the builtins
                checked = None
        self.types = TypeFacts(self.res, self.struct_globals, trusted, checked)
        body: list[py.stmt]
        if self.res.pipeline_mode and not self.opts.module:
            body = self.sub(self.pipeline_main)
        elif self.opts.module:
            body = self.sub(self.module_main)
        else:
            def script() -> None:
                if main.has_defer:  # §16.2: script mode is the implicit pipeline
                    self.fn.defers = self.temp("defers")
                result = self.temp("result")
                for it in prog.items:
                    if type(it) is ast.Import:
                        self.stmt(it)
                rest = [it for it in prog.items if type(it) is not ast.Import]
                self.block_stmts(rest, result)
                self.emit(P.ret(P.tuple_([P.name("$END"), P.name(result)])))
            body = self.sub(script)
        if self.fn.defers is not None:
            body = [P.assign(self.fn.defers, P.list_([])),
                    py.Try(body=body, handlers=[], orelse=[],
                           finalbody=[P.expr_stmt(P.call("$run_defers",
                                                         P.name(self.fn.defers)))])]
        fdef = py.FunctionDef(name="$main", args=_no_args(), body=body or [py.Pass()],
                              decorator_list=[], returns=None, type_comment=None)
        P.locate(fdef, (1, 0, 1, 0))
        module = py.Module(body=[fdef], type_ignores=[])
        kinds = {b.py_name: b.kind for b in self.res.bindings}
        has_imports = any(type(i) is ast.Import for i in prog.items)
        return Unit(module, self.consts, self.structs, self.fn_params, kinds, self.src, self.res,
                    self.res.pipeline_mode, self.uses_argv, has_imports, self.src.path)

    def mark_streams(self) -> None:
        """A ``gen fn`` (§16.5) compiles as a generator function, with or without ``emit``."""
        for node in self.res.nodes(ast.FnDecl):
            info = self.res.funcs.get(node) if node.is_gen else None
            if info is not None and not info.is_generator:
                info.is_generator = True
                self.res.tail_calls.difference_update(info.tail_calls)
                info.tail_calls.clear()

    def tail_groups(self) -> tuple[frozenset[FuncInfo], frozenset[ast.Return]]:
        """The fns calling each other in tail position in a cycle, and those tail calls
        (computed once, after ``mark_streams``); see :func:`vm.callgraph.tail_call_groups`."""
        if self._tail_groups is None:
            self._tail_groups = tail_call_groups(self.res)
        return self._tail_groups

    def recursive_funcs(self) -> frozenset[FuncInfo]:
        """Functions that may recur (:func:`vm.callgraph.recursive_functions`), computed once."""
        if self._recursive is None:
            self._recursive = recursive_functions(self.res)
        return self._recursive

    def prepare_structs(self) -> None:
        for node in self.res.nodes(ast.StructDecl):
            g = self.temp("S")
            self.structs[g] = (node.name, tuple(f.name for f in node.fields))
            self.struct_globals[node] = g
        for lit, decl in self.res.struct_refs.items():
            if decl is None and lit.name not in self.struct_globals:
                g = self.temp("S")
                self.structs[g] = (lit.name, ())
                self.struct_globals[lit.name] = g
        for impl, decl in self.res.impl_structs.items():
            if decl is None and impl.name not in self.struct_globals:
                g = self.temp("S")
                self.structs[g] = (impl.name, ())
                self.struct_globals[impl.name] = g

    def struct_global(self, decl: ast.StructDecl | None, name: str) -> str:
        if decl is not None:
            return self.struct_globals[decl]
        return self.struct_globals[name]

    def pipeline_main(self) -> None:
        items = self.res.program.items
        for it in items:
            if type(it) is ast.Import:
                self.stmt(it)
        for it in items:
            if type(it) is ast.Let:
                self.stmt(it)
        decls = (ast.FnDecl, ast.StructDecl, ast.EnumDecl, ast.ImplBlock, ast.InterfaceDecl,
                 ast.TypeAlias, ast.Pipeline)
        for it in items:
            if isinstance(it, decls):
                self.stmt(it)
        pipes = [it for it in items if type(it) is ast.Pipeline]
        entry = next((p for p in pipes if p.name == "default"), pipes[0])
        by_name = {p.name: p for p in pipes}
        chain = [entry]
        seen = {entry.name}
        while chain[-1].extends and chain[-1].extends in by_name and \
                chain[-1].extends not in seen:
            parent = by_name[chain[-1].extends]
            seen.add(parent.name)
            chain.append(parent)
        for p in reversed(chain[1:]):
            b = self.res.decls.get(p)
            if b is not None:
                self.emit(self.locate(P.expr_stmt(P.call(b.py_name)), p))
        b = self.res.decls.get(entry)
        value = P.call(b.py_name) if b is not None else P.const(None)
        self.emit(self.locate(P.ret(P.tuple_([P.name("$END"), value])), entry))

    def module_main(self) -> None:
        """An imported module: imports, top-level let/var, then declarations."""
        items = self.res.program.items
        for it in items:
            if type(it) is ast.Import:
                self.stmt(it)
        for it in items:
            if type(it) is ast.Let:
                self.stmt(it)
        decls = (ast.FnDecl, ast.StructDecl, ast.EnumDecl, ast.ImplBlock)
        for it in items:
            if isinstance(it, decls):
                self.stmt(it)
        keys: list[py.expr] = []
        values: list[py.expr] = []
        for it in items:
            t = type(it)
            if t is ast.FnDecl or t is ast.StructDecl:
                b = self.res.decls.get(it)
                if b is not None:
                    keys.append(P.const(it.name))
                    values.append(P.name(b.py_name))
            elif t is ast.EnumDecl:
                from vm.loading import EnumType

                keys.append(P.const(it.name))
                values.append(self.const(EnumType(it.name), key=("enumtype", it.name)))
        self.emit(P.ret(P.tuple_([P.name("$END"), py.Dict(keys=keys, values=values)])))

    # ------------------------------------------------------------ blocks

    def block_stmts(self, stmts: list, target: str | None) -> None:
        """Compile a statement list; ``target`` receives the block value
        (a temp name, :data:`RETURN`, or ``None`` to discard)."""
        hoisted = [s for s in stmts if type(s) is ast.ImplBlock and self.can_hoist(s)]
        for s in hoisted:
            self.stmt(s)
        if hoisted:
            stmts = [s for s in stmts if s not in hoisted]
        last = len(stmts) - 1
        for i, s in enumerate(stmts):
            if i == last and target is not None:
                self.last_stmt(s, target)
            else:
                self.stmt(s)
        if not stmts and target is not None:
            self.set_target(target, P.const(None), None)

    def set_target(self, target: str, value: py.expr, node: ast.Node | None) -> None:
        st = P.ret(value) if target == RETURN else P.assign(target, value)
        if node is not None:
            self.locate(st, node)
        self.emit(st)

    def last_stmt(self, s: ast.Node, target: str) -> None:
        if type(s) is ast.ExprStmt:
            e = s.expr
            t = type(e)
            if t is ast.If:
                self.if_stmt(e, target)
                return
            if t is ast.Match:
                self.match_stmt(e, target)
                return
            if t is ast.Try:
                self.try_stmt(e, target)
                return
            value = self.expr(e)
            if target == RETURN and self.fn.is_main:
                value = P.tuple_([P.name("$END"), value])
            self.set_target(target, value, s)
            return
        self.stmt(s)
        if target != RETURN:
            self.set_target(target, P.const(None), s)

    def can_hoist(self, impl: ast.ImplBlock) -> bool:
        """Impl blocks run at the start of their scope (§17.10) unless a method
        takes a snapshot, which must be taken where the block stands."""
        for m in impl.methods:
            info = self.res.funcs.get(m)
            if info is None:
                continue
            stack = [info]
            while stack:
                f = stack.pop()
                if any(mode == "snapshot" and b.func is not f for b, mode in f.captures.items()
                       if _outside(b, info)):
                    return False
                stack.extend(f.children)
        return True

    # ------------------------------------------------------------ statements

    def stmt(self, s: ast.Node) -> None:
        method = getattr(self, "s_" + type(s).__name__)
        start = len(self.out)
        method(s)
        if len(self.out) > start:
            P.locate(self.out[start:], self.span(s))

    def s_ExprStmt(self, s: ast.ExprStmt) -> None:
        e = s.expr
        t = type(e)
        if t is ast.If:
            self.if_stmt(e, None)
        elif t is ast.Match:
            self.match_stmt(e, None)
        elif t is ast.Try:
            self.try_stmt(e, None)
        else:
            value = self.expr(e)
            if not isinstance(value, (py.Constant, py.Name)):
                self.emit(P.expr_stmt(value))

    def s_Let(self, s: ast.Let) -> None:
        value = self.expr(s.value)
        name = self.res.redeclare_errors.get(s)
        if name is not None:
            self.emit(P.expr_stmt(value))
            self.emit(P.raise_(P.call("$redeclared", P.const(name))))
            return
        self.bind_pattern(s.pattern, value)
        if type(s.pattern) is ast.NamePattern and not s.mutable:
            self.alias_fields(self.res.decls.get(s.pattern))

    def alias_fields(self, b: Binding | None) -> None:
        """``let p = P {...}``: read the fields this function reads from ``p`` into
        locals once, so ``p.x`` is a local. Sound because a ``let`` is never
        rebound and a struct it holds is never updated in place (an update
        through another binding sees the extra reference and copies, §6.4)."""
        from vm.compiler_types import struct_fields

        if b is None or b.mutable:
            return
        sf = struct_fields(self.types.binding(b))
        if sf is None:
            return
        reads = self.field_reads().get(b)
        if not reads:
            return
        fields = P.attr(P.name(b.py_name), "fields")
        aliases: dict[str, str] = {}
        for name in sorted(reads):
            local = f"{b.py_name}${name}"
            key = P.const(name)
            value = P.subscript(fields, key) if name in sf[1] else \
                P.call(P.attr(fields, "get"), key)
            self.emit(P.assign(local, value))
            aliases[name] = local
        self.fn.field_aliases[b] = aliases

    def field_reads(self) -> dict[Binding, set[str]]:
        """``binding -> field names`` of the ``x.f`` reads in the current Python
        function (not in the functions nested in it)."""
        fn = self.fn
        if fn.field_reads is None:
            reads: dict[Binding, set[str]] = {}
            root = fn.info.node
            funcs = self.res.funcs
            stack = list(ast.children(root))
            while stack:
                n = stack.pop()
                if n in funcs:
                    continue
                if type(n) is ast.Member and not n.optional and type(n.obj) is ast.Name:
                    b = self.res.uses.get(n.obj)
                    if b is not None:
                        reads.setdefault(b, set()).add(n.name)
                stack.extend(ast.children(n))
            fn.field_reads = reads
        return fn.field_reads

    def s_Assign(self, s: ast.Assign) -> None:
        self.assign_stmt(s)

    def s_For(self, s: ast.For) -> None:
        it = self.expr(s.iterable)
        pat = s.pattern
        if type(pat) is ast.NamePattern:
            b = self.res.decls.get(pat)
            target = b.py_name if b is not None else self.temp("discard")
            pre: list[py.stmt] = []
        else:
            target = self.temp("item")
            pre = self.sub(lambda: self.bind_pattern(pat, P.name(target)))
        outer_tail, self.fn.loop_tail = self.fn.loop_tail, False
        self.fn.loop_depth += 1
        body = pre + self.sub(lambda: self.block_stmts(s.body.stmts, None))
        self.fn.loop_depth -= 1
        body = self.deadline_check() + body
        source = self.types.iter_source(s.iterable, it)
        self.emit(py.For(target=P.store(target), iter=source, body=body or [py.Pass()],
                         orelse=[], type_comment=None))
        self.tail_loop_exit(outer_tail)

    def s_While(self, s: ast.While) -> None:
        pre = []
        cond = None

        def c() -> None:
            nonlocal cond
            cond = self.cond(s.cond)
        pre = self.sub(c)
        assert cond is not None
        outer_tail, self.fn.loop_tail = self.fn.loop_tail, False
        self.fn.loop_depth += 1
        body = self.sub(lambda: self.block_stmts(s.body.stmts, None))
        self.fn.loop_depth -= 1
        body = self.deadline_check() + body
        if pre:
            stop = self.locate(P.if_(P.not_(cond), [py.Break()]), s.cond)
            self.emit(py.While(test=P.const(True), body=pre + [stop] + body, orelse=[]))
        else:
            self.emit(py.While(test=cond, body=body or [py.Pass()], orelse=[]))
        self.tail_loop_exit(outer_tail)

    def tail_loop_exit(self, outer_tail: bool) -> None:
        """After a loop holding a tail call: ``$tf`` set means "the parameters are
        rebound": leave the enclosing loops too, then restart the function's loop."""
        fn = self.fn
        if fn.loop_tail:
            if fn.loop_depth > 0:
                self.emit(P.if_(P.name("$tf"), [py.Break()]))
            else:
                self.emit(P.if_(P.name("$tf"), [P.assign("$tf", P.const(False)),
                                                 py.Continue()]))
                fn.loop_tail = False
        fn.loop_tail = fn.loop_tail or outer_tail

    def s_Return(self, s: ast.Return) -> None:
        fn = self.fn
        if s in self.res.tail_calls and fn.tail_params is not None and fn.try_depth == 0:
            self.tail_call(s)
            return
        value = self.expr(s.value) if s.value is not None else P.const(None)
        if s in self.tail_groups()[1] and fn.try_depth == 0 and type(value) is py.Call \
                and type(value.func) is py.Name and not value.keywords:
            # a tail call within a group of mutually tail-recursive fns: a trampoline
            # (``$tc``: the caller is one) runs the callee in place of this frame
            mode = py.IfExp(test=P.name("$tc"), body=P.name("$Tail"), orelse=P.name("$tramp"))
            value = py.Call(func=mode, args=[value.func] + value.args, keywords=[])
        if fn.is_main:
            value = P.tuple_([P.name("$RET"), value])
        elif fn.is_generator:
            self.emit(P.ret(None))
            return
        self.emit(P.ret(value))

    def s_Throw(self, s: ast.Throw) -> None:
        self.emit(P.raise_(P.call("$throw", self.expr(s.value))))

    def s_Break(self, s: ast.Break) -> None:
        self.emit(py.Break())

    def s_Continue(self, s: ast.Continue) -> None:
        self.emit(py.Continue())

    def s_Guard(self, s: ast.Guard) -> None:
        cond = self.cond(s.cond)
        body = self.sub(lambda: self.block_stmts(s.else_body.stmts, None))
        self.emit(P.if_(P.not_(cond), body))

    def s_Require(self, s: ast.Require) -> None:
        cond = self.cond(s.cond)
        args = []
        if s.message is not None:
            msg_stmts: list[py.stmt] = []

            def m() -> None:
                args.append(self.expr(s.message))
            msg_stmts = self.sub(m)
            self.emit(P.if_(P.not_(cond), msg_stmts + [
                P.raise_(P.call("$require_failed", *args))]))
            return
        self.emit(P.if_(P.not_(cond), [P.raise_(P.call("$require_failed"))]))

    def s_Yield(self, s: ast.Yield) -> None:
        value = self.expr(s.value) if s.value is not None else P.const(None)
        self.emit(P.expr_stmt(py.Yield(value=value)))

    def s_FnDecl(self, s: ast.FnDecl) -> None:
        b = self.res.decls.get(s)
        name = b.py_name if b is not None else self.temp("fn")
        self.function_def(s, s.params, s.body, name, "fn")

    def s_StructDecl(self, s: ast.StructDecl) -> None:
        b = self.res.decls.get(s)
        if b is not None:
            self.emit(P.assign(b.py_name, P.name(self.struct_globals[s])))

    def s_EnumDecl(self, s: ast.EnumDecl) -> None:
        pass

    def s_InterfaceDecl(self, s: ast.InterfaceDecl) -> None:
        pass

    def s_TypeAlias(self, s: ast.TypeAlias) -> None:
        pass

    def s_Override(self, s: ast.Override) -> None:
        pass

    def s_ImplBlock(self, s: ast.ImplBlock) -> None:
        g = self.struct_global(self.res.impl_structs.get(s), s.name)
        keys, values = [], []
        for m in s.methods:
            fname = self.temp("m_" + m.name)
            self.function_def(m, m.params, m.body, fname, "method")
            keys.append(P.const(m.name))
            values.append(P.name(fname))
        self.emit(P.expr_stmt(P.call("$register_methods", P.name(g),
                                     py.Dict(keys=keys, values=values))))

    def s_Pipeline(self, s: ast.Pipeline) -> None:
        b = self.res.decls.get(s)
        name = b.py_name if b is not None else self.temp("pipeline")
        self.function_def(s, s.params, s.body, name, "pipeline")

    def s_Import(self, s: ast.Import) -> None:
        names = [n.name for n in s.names] if s.names is not None else None
        bindings = self.res.import_bindings.get(s, [])
        tmp = self.temp("mod")
        self.emit(P.assign(tmp, P.call("$import", P.const(s.path),
                                       P.const(tuple(names) if names is not None else None),
                                       P.const(self.src.path), P.const(s.pub))))
        for b in bindings:
            self.emit(P.assign(b.py_name, P.subscript(P.name(tmp), P.const(b.name))))

    def s_Mutex(self, s: ast.Mutex) -> None:
        self.block_stmts(s.body.stmts, None)

    def s_Defer(self, s: ast.Defer) -> None:
        fn = self.fn
        if fn.defers is None:
            self.emit(P.raise_(P.call("$unsupported", P.const("defer outside a function"))))
            return
        name = self.temp("defer")
        body = self.sub(lambda: self.block_stmts(s.body.stmts, None))
        # Like a closure (§17.2), the body sees the values its variables have when the
        # ``defer`` runs (so a defer in a loop sees that iteration's bindings).
        lo, hi = s.body.start, s.body.end
        seen = sorted({b.py_name for use, b in self.res.uses.items()
                       if lo <= use.start < hi and b.func is fn.info and not lo <= b.start < hi
                       and b.start < s.start and b.kind not in _NOT_SNAPSHOT})
        args = _no_args()
        args.kwonlyargs = [P.arg(n) for n in seen]
        args.kw_defaults = [P.name(n) for n in seen]
        fdef = py.FunctionDef(name=name, args=args, body=body or [py.Pass()],
                              decorator_list=[], returns=None, type_comment=None)
        self.emit(fdef)
        self.emit(P.expr_stmt(P.call(P.attr(P.name(fn.defers), "append"), P.name(name))))

    def s_Emit(self, s: ast.Emit) -> None:
        node = self.fn.info.node
        if type(node) is ast.FnDecl and node.is_gen:
            self.emit(P.expr_stmt(py.Yield(value=self.expr(s.value))))
            return
        self.emit(P.raise_(P.call("$runtime_error",
                                  P.const("`emit` can only be used inside a `gen fn`"))))

    def s_Select(self, s: ast.Select) -> None:
        """§16.3: ``$select_ready`` picks a case (see vm.stdlib.channels); an if-chain runs it."""
        recv = [c for c in s.cases if c.kind == "recv"]
        timeout = next((c for c in s.cases if c.kind == "timeout"), None)
        default = next((c for c in s.cases if c.kind == "default"), None)
        with_expr = [c for c in s.cases if c.expr is not None]  # evaluated in source order
        values = dict(zip(with_expr, self.exprs([c.expr for c in with_expr]), strict=True))
        chans = [values[c] for c in recv]
        tvalue = values.get(timeout) if timeout is not None else None
        idx, val = self.temp("sel"), self.temp("selv")
        self.emit(self.locate(py.Assign(
            targets=[py.Tuple(elts=[P.store(idx), P.store(val)], ctx=P.STORE)],
            value=P.call("$select_ready", P.list_(chans),
                         tvalue if tvalue is not None else P.const(None),
                         P.const(default is not None))), s))

        def body(case: ast.SelectCase, bind: bool) -> list[py.stmt]:
            def c() -> None:
                b = self.res.decls.get(case) if bind else None
                if b is not None:
                    self.emit(P.assign(b.py_name, P.name(val)))
                self.block_stmts(case.body.stmts, None)
            return self.sub(c) or [py.Pass()]

        chain: list[py.stmt] = []
        if default is not None:  # no case ready, or every channel closed
            chain = body(default, False)
        elif timeout is not None:
            chain = [P.if_(P.compare(P.name(idx), py.Eq(), P.const(-1)),
                           body(timeout, False))]
        for i in reversed(range(len(recv))):
            chain = [P.if_(P.compare(P.name(idx), py.Eq(), P.const(i)),
                           body(recv[i], True), chain)]
        for st in chain:
            self.emit(st)

    def deadline_check(self) -> list[py.stmt]:
        if not self.opts.deadline_checks:
            if self.has_deadline is None:  # ``deadline`` blocks need the checks too
                self.has_deadline = bool(self.res.nodes(ast.Deadline))
            if not self.has_deadline:
                return []
        return [P.if_(P.compare(P.call("$mono"), py.Gt(), P.name("$DL")),
                      [P.expr_stmt(P.call("$limit"))])]

    # ------------------------------------------------------------ functions

    def function_def(self, node: ast.Node, params: list[ast.Param], body: ast.Block,
                     py_name: str, kind: str) -> None:
        """Emit ``def py_name(...)`` for a fn, closure, method or pipeline."""
        info = self.res.funcs[node]
        saved_out, saved_fn = self.out, self.fn
        self.out = []
        fn = FnState(info, is_generator=info.is_generator)
        self.fn = fn
        if info.has_defer:
            fn.defers = self.temp("defers")
        rest_collects = kind == "fn"
        args: list[py.arg] = []
        defaults: list[py.expr] = []
        vararg: py.arg | None = None
        shown: list[str] = []
        names: list[tuple[str, ast.Param]] = []
        for i, p in enumerate(params):
            b = info.params[i] if i < len(info.params) else None
            pname = b.py_name if b is not None else f"$_{i}"
            shown.append(p.name)
            if p.rest and rest_collects:
                vararg = P.arg(pname)
                names.append((pname, p))
                continue
            args.append(P.arg(pname))
            if info.tolerant:
                defaults.append(P.name("$UNSET") if p.default is not None else P.const(None))
            names.append((pname, p))
        if vararg is None and info.tolerant:
            vararg = P.arg("$r")
        kwonly = [b for b, mode in info.captures.items() if mode == "snapshot"]
        kwonly.sort(key=lambda b: b.py_name)
        shared = sorted(b.py_name for b, mode in info.captures.items()
                        if mode == "shared" and b in info.assigns)
        self.fn_params[py_name] = tuple(shown)
        tco = kind == "fn" and bool(info.tail_calls)
        if tco:
            fn.tail_params = names

        prologue = self.sub(lambda: self.prologue(names, rest_collects))
        target = None if kind in ("fn", "method") else RETURN
        if info.is_generator:
            target = None
        main_body = self.sub(lambda: self.block_stmts(body.stmts, target))
        if fn.used_tail:
            main_body = [py.While(test=P.const(True),
                                  body=self.deadline_check() + prologue + main_body +
                                  [P.ret(P.const(None))], orelse=[])]
            if fn.tail_flag:
                main_body.insert(0, P.assign("$tf", P.const(False)))
            prologue = []
        else:
            prologue = self.deadline_check() + prologue
        if fn.defers is not None:
            main_body = [P.assign(fn.defers, P.list_([])),
                         py.Try(body=main_body, handlers=[], orelse=[],
                                finalbody=[P.expr_stmt(P.call("$run_defers",
                                                              P.name(fn.defers)))])]
            if info.is_generator:  # an abandoned generator never runs its defers
                main_body[1].finalbody = [P.if_(P.not_(P.call("$gen_closing")),
                                                main_body[1].finalbody)]
        if info.is_generator:
            inner = self.temp("gen")
            assigned = sorted(b.py_name for b in info.assigns if info.captures.get(b) ==
                              "snapshot")
            gbody: list[py.stmt] = []
            if assigned:
                gbody.append(py.Nonlocal(names=assigned))
            gbody.extend(main_body or [py.Pass()])
            if type(node) is ast.FnDecl and node.is_gen:  # a Python generator even without emit
                gbody.append(py.If(test=P.const(False),
                                   body=[P.expr_stmt(py.Yield(value=None))], orelse=[]))
            gdef = py.FunctionDef(name=inner, args=_no_args(), body=gbody, decorator_list=[],
                                  returns=None, type_comment=None)
            wrap = "$HStream" if type(node) is ast.FnDecl and node.is_gen else "$HGenerator"
            fbody = prologue + [gdef, P.ret(P.call(wrap, P.call(inner)))]
        else:
            fbody = prologue + main_body
        if shared:
            fbody.insert(0, py.Nonlocal(names=shared))
        kwargs = [P.arg(b.py_name) for b in kwonly]
        kwdefaults: list[py.expr | None] = [P.name(b.py_name) for b in kwonly]
        if info in self.tail_groups()[0]:  # called by a trampoline with ``$tc=True``
            kwargs.append(P.arg("$tc"))
            kwdefaults.append(P.const(False))
        arguments = py.arguments(
            posonlyargs=[], args=args, vararg=vararg, kwonlyargs=kwargs,
            kw_defaults=kwdefaults, kwarg=None, defaults=defaults)
        fdef = py.FunctionDef(name=py_name, args=arguments, body=fbody or [py.Pass()],
                              decorator_list=[], returns=None, type_comment=None)
        self.locate(fdef, node)
        self.out, self.fn = saved_out, saved_fn
        self.emit(fdef)

    def prologue(self, names: list[tuple[str, ast.Param]], rest_collects: bool) -> None:
        for pname, p in names:
            if p.rest and rest_collects:
                self.emit(self.locate(P.assign(pname, P.call("$list", P.name(pname))), p))
            elif p.default is not None:
                default = self.expr(p.default)
                self.emit(self.locate(P.if_(P.is_(P.name(pname), P.name("$UNSET")),
                                            [P.assign(pname, default)]), p))
        for pname, p in names:
            if p.type is not None:
                elems = p.rest and rest_collects  # ``...xs: T``: each element is a T
                check = self.annotation_check("$el" if elems else pname, p)
                if check is not None and elems:
                    check = py.For(target=P.store("$el"), iter=P.name(pname), body=[check],
                                   orelse=[], type_comment=None)
                if check is not None:
                    self.emit(self.locate(check, p))

    def annotation_check(self, pname: str, p: ast.Param) -> py.stmt | None:
        from vm.runtime.annotations import build_checker

        checker = build_checker(p.type, p.name, self.interfaces)
        if checker is None:
            return None
        fn = self.const(checker, prefix="chk")
        return P.expr_stmt(P.call(fn, P.name(pname)))

    def tail_call(self, s: ast.Return) -> None:
        """``return f(args)`` to ``f`` itself: rebind the parameters and loop."""
        fn = self.fn
        assert fn.tail_params is not None and s.value is not None
        value = s.value
        if type(value) is ast.Call:
            arg_nodes = value.args
        else:
            arg_nodes = [value.left]  # ``return x |> f``
        params = fn.tail_params
        if any(type(a) is ast.Spread for a in arg_nodes):
            args = self.call_args(arg_nodes)
            spec = tuple((p.default is not None, p.rest) for _, p in params)
            targets = [P.store(n) for n, _ in params]
            self.emit(py.Assign(targets=[py.Tuple(elts=targets, ctx=P.STORE)],
                                value=P.call("$bind_args", P.list_(args), P.const(spec))))
        else:
            values = self.exprs(arg_nodes)
            new: list[py.expr] = []
            extra = values[len([1 for _, p in params if not p.rest]):]
            i = 0
            for _, p in params:
                if p.rest:
                    new.append(P.list_(extra))
                    extra = []
                elif i < len(values):
                    new.append(values[i])
                    i += 1
                else:
                    new.append(P.name("$UNSET") if p.default is not None else P.const(None))
            for e in extra:
                if not isinstance(e, (py.Constant, py.Name)):
                    self.emit(P.expr_stmt(e))
            if len(params) == 1:
                self.emit(P.assign(params[0][0], new[0]))
            elif params:
                self.emit(py.Assign(targets=[py.Tuple(elts=[P.store(n) for n, _ in params],
                                                      ctx=P.STORE)],
                                    value=P.tuple_(new)))
        fn.used_tail = True
        if fn.loop_depth > 0:  # inside loops: leave them first (see tail_loop_exit)
            fn.loop_tail = fn.tail_flag = True
            self.emit(P.assign("$tf", P.const(True)))
            self.emit(py.Break())
            return
        self.emit(py.Continue())


_NOT_SNAPSHOT = frozenset(("fn", "struct", "enum", "type", "pipeline", "import"))


def _no_args() -> py.arguments:
    return py.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                        kwarg=None, defaults=[])


def _outside(b: Binding, info: FuncInfo) -> bool:
    return not _inside(b.func, info)


def _inside(f: FuncInfo | None, root: FuncInfo) -> bool:
    while f is not None:
        if f is root:
            return True
        f = f.parent
    return False


def compile_unit(res: Resolution, src: Source, options: CompileOptions | None = None) -> Unit:
    return Compiler(res, src, options).compile_program()


def debug_source(text: str, path: str = "<debug>") -> str:
    """The Python source equivalent of a script's compiled module (for debugging)."""
    from lang.parser import parse
    from vm.loading import resolve_program

    src = Source(text, path)
    res = resolve_program(parse(src).program, src)
    return py.unparse(compile_unit(res, src).module)
