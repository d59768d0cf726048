"""Resolver: binds every identifier use to its declaration (language.md §5).

One pass over a :class:`lang.ast.Program` builds a tree of :class:`Scope`
objects (one per block, loop body, match arm, handler and function) and a
:class:`Binding` per declared name. Results live in side tables keyed by
node (:class:`Resolution`); the tree is never modified.

Visibility (§5.2-§5.4). Inside one function frame a binding is visible only
after its declaring statement (``let x = x + 1`` reads the outer ``x``; ``fn``
is not hoisted). A use inside a nested function sees the enclosing frames as
they were when that function was *created*: crossing a function boundary
moves the cut-off position to the function's start, so a ``let`` declared
after a closure is not in its snapshot, while ``fn`` bindings of enclosing
scopes are visible whatever their position (late binding). In pipeline mode
the top-level ``let``/``var`` run before any function is created, so every
top-level binding is visible from inside functions and pipelines.

Python mapping (for the VM compiler). Every binding gets a program-wide
unique Python name (``h_<name>`` then ``h_<name>$<n>``); helpers use names
containing ``$`` outside that scheme, so a script can never name a helper or
a dunder. A function that uses a binding of an outer frame *captures* it
(every function between the use and the owner captures it too). The capture
is a live Python cell when the value cannot change after the closure is
created (``fn`` bindings, which are late-bound anyway, and single-assignment
bindings), and a *snapshot* otherwise (a ``var`` reassigned in its frame, any
binding declared inside a loop, parameters of a function whose self tail
calls rebind them) or when the function assigns the binding itself (each call
restarts from the snapshot, §5.3).

Also computed: self tail calls (``return f(...)``/``return x |> f`` naming the
enclosing ``fn``, outside ``try`` and generators), which functions may be
called with extra arguments (``tolerant``), pipe placeholders (§8.8), match
pattern shapes (§9.7), enum and struct references, redeclaration errors and
the compile errors of §15.3 (``break outside of loop`` ...).
"""

from __future__ import annotations

from lang import ast
from lang.bindings import (
    Binding,
    FuncInfo,
    PatternInfo,
    Resolution,
    Scope,
    pick_visible,
)
from lang.diagnostics import error
from lang.source import Source

__all__ = ["Binding", "FuncInfo", "PatternInfo", "Resolution", "Resolver", "Scope",
           "pattern_names", "placeholder_uses", "resolve", "tail_callee"]


FUNCTION_KINDS = ("main", "fn", "closure", "method", "pipeline")


# --------------------------------------------------------------------------- pipe placeholder


def placeholder_uses(expr: ast.Node) -> list[ast.Name]:
    """The ``_`` names §8.8 replaces in a pipe's right side (not inside
    closures, dict literals or strings)."""
    out: list[ast.Name] = []
    stack: list[ast.Node] = [expr]
    while stack:
        e = stack.pop()
        t = type(e)
        if t is ast.Name:
            if e.name == "_":
                out.append(e)
        elif t is ast.Call:
            stack.extend(a.expr if type(a) is ast.Spread else a for a in e.args)
        elif t is ast.MethodCall:
            stack.append(e.obj)
            stack.extend(a.expr if type(a) is ast.Spread else a for a in e.args)
        elif t is ast.Unary:
            stack.append(e.operand)
        elif t is ast.Binary:
            stack.append(e.left)
            stack.append(e.right)
        elif t is ast.ListLit:
            stack.extend(a.expr if type(a) is ast.Spread else a for a in e.elements)
        elif t is ast.Member:
            stack.append(e.obj)
        elif t is ast.Index:
            stack.append(e.obj)
            stack.append(e.index)
    return out


# --------------------------------------------------------------------------- resolver


class Resolver:
    def __init__(self, program: ast.Program, src: Source | None = None,
                 import_names=None, shared_toplevel: bool = False,
                 imported_enums: set[str] | None = None) -> None:
        self.src = src
        self.imported_enums = imported_enums or set()
        self.res = Resolution(program, program.is_pipeline_mode)
        self.import_names = import_names
        self.shared_toplevel = shared_toplevel
        self.name_counts: dict[str, int] = {}
        self.loop_depth = 0
        self.try_depth = 0
        self.func: FuncInfo = None  # type: ignore[assignment]
        self.scope: Scope = None  # type: ignore[assignment]
        self.temp_count = 0

    # ------------------------------------------------------------ entry

    def run(self) -> Resolution:
        prog = self.res.program
        by_type = self.res.by_type
        for node in ast.walk(prog):
            t = type(node)
            bucket = by_type.get(t)
            if bucket is None:
                by_type[t] = [node]
            else:
                bucket.append(node)
        for node in self.res.nodes(ast.EnumDecl):
            self.res.enum_decls.setdefault(node.name, node)
        for node in self.res.nodes(ast.StructDecl):
            self.res.struct_decls.setdefault(node.name, node)
        main = FuncInfo(prog, "main", None, "<main>")
        self.res.main = main
        self.res.funcs[prog] = main
        root = Scope("module", None, main, prog.start, max(prog.end, prog.start) + 1)
        root.is_func_root = True
        main.scope = root
        self.res.root = root
        self.res.scopes.append(root)
        self.func, self.scope = main, root
        if self.res.pipeline_mode:
            # Execution order (§1): imports, top-level let/var, declarations.
            items = prog.items
            self.predeclare(items)
            rank = {ast.Import: 0, ast.Let: 1}
            order = sorted(range(len(items)), key=lambda i: (rank.get(type(items[i]), 2), i))
            for i in order:
                self.stmt(items[i])
        else:
            items = [i for i in prog.items if type(i) is ast.Import]
            for imp in items:
                self.stmt(imp)
            self.stmts([i for i in prog.items if type(i) is not ast.Import])
        self.finish()
        return self.res

    # ------------------------------------------------------------ scopes and bindings

    def push(self, kind: str, node: ast.Node, func_root: bool = False) -> Scope:
        s = Scope(kind, self.scope, self.func, node.start, node.end)
        s.is_func_root = func_root
        self.scope.children.append(s)
        self.res.scopes.append(s)
        self.scope = s
        return s

    def pop(self) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    def py_name(self, name: str) -> str:
        n = self.name_counts.get(name, 0)
        self.name_counts[name] = n + 1
        return "h_" + name if n == 0 else f"h_{name}${n}"

    def declare(self, name: str, kind: str, node: ast.Node, start: int, visible_from: int,
                mutable: bool = False) -> Binding | None:
        if name == "_" and kind not in ("placeholder",):
            return None
        in_loop = False
        s: Scope | None = self.scope
        while s is not None and s.func is self.func:
            if s.kind == "loop":
                in_loop = True
                break
            if s.is_func_root:
                break
            s = s.parent
        b = Binding(name, kind, node, start, self.scope, self.func, mutable, self.py_name(name),
                    visible_from, in_loop)
        self.scope.bindings.setdefault(name, []).append(b)
        self.res.bindings.append(b)
        return b

    def lookup(self, name: str, pos: int) -> Binding | None:
        scope: Scope | None = self.scope
        cutoff = pos
        crossed = False
        while scope is not None:
            cands = scope.bindings.get(name)
            if cands:
                b = pick_visible(cands, cutoff, crossed, self.res._all_visible(scope, crossed))
                if b is not None:
                    return b
            if scope.is_func_root:
                crossed = True
                cutoff = scope.func.node.start
            scope = scope.parent
        return None

    def use(self, node: ast.Node, name: str, callee: bool = False) -> Binding | None:
        b = self.lookup(name, node.start)
        if b is None:
            return None
        self.res.uses[node] = b
        b.uses.append(node)
        if not callee:
            b.escapes = True
        self.capture(b)
        return b

    def capture(self, b: Binding) -> None:
        f = self.func
        if b.func is f:
            return
        b.captured = True
        while f is not None and f is not b.func:
            f.captures.setdefault(b, "")
            f = f.parent

    def error(self, message: str, node: ast.Node) -> None:
        line = self.src.line_col(node.start)[0] if self.src is not None else 0
        self.res.errors.append(error("E0201", f"Compile error at line {line}: {message}",
                                     node.start, node.end))

    # ------------------------------------------------------------ statements

    def block(self, block: ast.Block, kind: str = "block") -> None:
        self.push(kind, block)
        self.stmts(block.stmts)
        self.pop()

    def stmts(self, stmts: list) -> None:
        self.predeclare(stmts)
        for st in stmts:
            self.stmt(st)

    def predeclare(self, stmts: list) -> None:
        """Declare the late-bound names of a statement list up front (§5.3): a
        function may call a function declared after it."""
        kinds = {ast.FnDecl: "fn", ast.StructDecl: "struct", ast.Pipeline: "pipeline"}
        for st in stmts:
            kind = kinds.get(type(st))
            if kind is not None:
                b = self.declare(st.name, kind, st, st.name_start, st.start)
                if b is not None:
                    self.res.decls[st] = b

    def stmt(self, st: ast.Node) -> None:
        method = getattr(self, "s_" + type(st).__name__, None)
        if method is not None:
            method(st)
        else:
            self.expr(st)

    def s_ExprStmt(self, st: ast.ExprStmt) -> None:
        self.expr(st.expr)

    def s_Let(self, st: ast.Let) -> None:
        self.expr(st.value)
        kind = "var" if st.mutable else "let"
        if not st.mutable:
            for name in pattern_names(st.pattern):
                # Only the binding currently in force counts: a `var` over a
                # `let` replaces it, so a later `let` is allowed (§5.1).
                prior = [b for b in self.scope.bindings.get(name, ())
                         if b.visible_from <= st.start]
                if prior and max(prior, key=lambda b: b.visible_from).kind in ("let", "fn"):
                    self.res.redeclare_errors.setdefault(st, name)
        self.bind_pattern(st.pattern, kind, st.mutable, st.end)
        if not st.mutable and type(st.pattern) is ast.NamePattern and \
                type(st.value) in (ast.Closure, ast.FnExpr):
            b = self.res.decls.get(st.pattern)
            if b is not None:
                info = self.res.funcs[st.value]
                info.binding = b
                self.res.let_closures[b] = info

    def bind_pattern(self, p: ast.Node, kind: str, mutable: bool, visible_from: int) -> None:
        t = type(p)
        decls = self.res.decls
        if t is ast.NamePattern:
            b = self.declare(p.name, kind, p, p.start, visible_from, mutable)
            if b is not None:
                decls[p] = b
        elif t is ast.DictPattern:
            # Each default is resolved just before its own name is declared, so
            # it sees the names bound by earlier fields (they are bound in order).
            for f in p.fields:
                if f.default is not None:
                    self.expr(f.default)
                b = self.declare(f.binds, kind, f, f.binds_start, min(visible_from, f.end),
                                 mutable)
                if b is not None:
                    decls[f] = b
            if p.rest is not None:
                b = self.declare(p.rest, kind, p, p.rest_start, visible_from, mutable)
                if b is not None:
                    self.res.rest_decls[p] = b
        elif t is ast.ListPattern:
            for e in p.elements:
                if e.default is not None:
                    self.expr(e.default)
                b = self.declare(e.name, kind, e, e.start, min(visible_from, e.end), mutable)
                if b is not None:
                    decls[e] = b
            if p.rest is not None:
                b = self.declare(p.rest, kind, p, p.rest_start, visible_from, mutable)
                if b is not None:
                    self.res.rest_decls[p] = b
        elif t is ast.PairPattern:
            self.bind_pattern(p.first, kind, mutable, visible_from)
            self.bind_pattern(p.second, kind, mutable, visible_from)

    def s_Assign(self, st: ast.Assign) -> None:
        self.expr(st.value)
        target = st.target
        root = target
        while type(root) is not ast.Name:
            if type(root) is ast.Index:
                self.expr(root.index)
            root = root.obj
        b = self.lookup(root.name, root.start) if root.name != "_" else None
        self.res.assign_targets[st] = b
        if b is not None:
            self.res.uses[root] = b
            b.uses.append(root)
            if b.func is self.func:
                b.reassigned = True
            else:
                self.capture(b)
                self.func.assigns.add(b)
                if self.shared_toplevel and b.func.kind == "main":
                    b.reassigned = True

    def s_For(self, st: ast.For) -> None:
        self.expr(st.iterable)
        self.push("loop", st.body)
        self.scope.start = st.pattern.start
        self.bind_pattern(st.pattern, "for", True, st.pattern.start)
        self.loop_depth += 1
        self.stmts(st.body.stmts)
        self.loop_depth -= 1
        self.pop()

    def s_While(self, st: ast.While) -> None:
        self.push("loop", st)
        self.expr(st.cond)
        self.loop_depth += 1
        self.block(st.body)
        self.loop_depth -= 1
        self.pop()

    def s_Return(self, st: ast.Return) -> None:
        self.func.returns.append(st)
        if st.value is not None:
            self.expr(st.value)
            f = self.func
            if f.kind == "fn" and self.try_depth == 0 and f.binding is not None:
                callee = tail_callee(st.value)
                if callee is not None and self.res.uses.get(callee) is f.binding:
                    f.tail_calls.append(st)

    def s_Throw(self, st: ast.Throw) -> None:
        self.expr(st.value)

    def s_Break(self, st: ast.Break) -> None:
        if self.loop_depth == 0:
            self.error("break outside of loop", st)

    def s_Continue(self, st: ast.Continue) -> None:
        if self.loop_depth == 0:
            self.error("continue outside of loop", st)

    def s_Guard(self, st: ast.Guard) -> None:
        self.expr(st.cond)
        self.block(st.else_body)

    def s_Require(self, st: ast.Require) -> None:
        self.expr(st.cond)
        if st.message is not None:
            self.expr(st.message)

    def s_Yield(self, st: ast.Yield) -> None:
        if self.func.kind == "main":
            self.error("yield outside of a function", st)
        self.func.is_generator = True
        if st.value is not None:
            self.expr(st.value)

    def s_Emit(self, st: ast.Emit) -> None:
        self.expr(st.value)

    def s_Mutex(self, st: ast.Mutex) -> None:
        self.block(st.body)

    def s_Defer(self, st: ast.Defer) -> None:
        self.func.has_defer = True
        self.try_depth += 1
        self.block(st.body)
        self.try_depth -= 1

    def s_Select(self, st: ast.Select) -> None:
        for case in st.cases:
            if case.expr is not None:
                self.expr(case.expr)
            self.push("block", case.body)
            if case.name is not None:
                b = self.declare(case.name, "let", case, case.name_start, case.start)
                if b is not None:
                    self.res.decls[case] = b
            self.stmts(case.body.stmts)
            self.pop()

    def s_Override(self, st: ast.Override) -> None:
        pass  # accepted and ignored at run time (§16.6)

    def s_Import(self, st: ast.Import) -> None:
        names: list[tuple[str, ast.Node]] = []
        if st.names is not None:
            names = [(n.name, n) for n in st.names]
        elif self.import_names is not None:
            names = [(n, st) for n in self.import_names(st) or ()]
        out: list[Binding] = []
        visible = st.start if self.res.pipeline_mode or self.func.kind != "main" else 0
        for name, node in names:
            b = self.declare(name, "import", node, node.start, visible)
            if b is not None:
                out.append(b)
                if node is not st:
                    self.res.decls[node] = b
        self.res.import_bindings[st] = out

    def s_FnDecl(self, st: ast.FnDecl) -> None:
        b = self.res.decls.get(st) or self.declare(st.name, "fn", st, st.name_start, st.start)
        if b is not None:
            self.res.decls[st] = b
        self.function(st, "fn", st.params, st.body, b)

    def s_StructDecl(self, st: ast.StructDecl) -> None:
        b = self.res.decls.get(st) or self.declare(st.name, "struct", st, st.name_start,
                                                   st.start)
        if b is not None:
            self.res.decls[st] = b

    def s_EnumDecl(self, st: ast.EnumDecl) -> None:
        b = self.declare(st.name, "enum", st, st.name_start, st.start)
        if b is not None:
            self.res.decls[st] = b

    def s_InterfaceDecl(self, st: ast.InterfaceDecl) -> None:
        b = self.declare(st.name, "type", st, st.name_start, st.start)
        if b is not None:
            self.res.decls[st] = b

    def s_TypeAlias(self, st: ast.TypeAlias) -> None:
        b = self.declare(st.name, "type", st, st.name_start, st.start)
        if b is not None:
            self.res.decls[st] = b

    def s_ImplBlock(self, st: ast.ImplBlock) -> None:
        decl = None
        b = self.lookup(st.name, st.start)
        if b is not None and b.kind == "struct":
            decl = b.node
            self.res.uses[st] = b
            b.uses.append(st)
        else:
            decl = self.res.struct_decls.get(st.name)
        self.res.impl_structs[st] = decl  # type: ignore[assignment]
        for m in st.methods:
            self.function(m, "method", m.params, m.body, None)

    def s_Pipeline(self, st: ast.Pipeline) -> None:
        b = self.res.decls.get(st) or self.declare(st.name, "pipeline", st, st.name_start,
                                                   st.start)
        if b is not None:
            self.res.decls[st] = b
        self.function(st, "pipeline", st.params, st.body, None)

    # ------------------------------------------------------------ functions

    def function(self, node: ast.Node, kind: str, params: list[ast.Param], body: ast.Block,
                 binding: Binding | None) -> FuncInfo:
        info = FuncInfo(node, kind, self.func, getattr(node, "name", ""), binding)
        self.func.children.append(info)
        self.res.funcs[node] = info
        saved = (self.func, self.scope, self.loop_depth, self.try_depth)
        self.func = info
        self.scope = saved[1]
        scope = self.push("function", node, func_root=True)
        info.scope = scope
        self.loop_depth = 0
        self.try_depth = 0
        for p in params:
            if p.default is not None:
                self.expr(p.default)
            b = self.declare(p.name, "param", p, p.name_start, p.end)
            if b is not None:
                self.res.decls[p] = b
            info.params.append(b)
        self.push("block", body)
        self.stmts(body.stmts)
        self.pop()
        self.pop()
        self.func, self.scope, self.loop_depth, self.try_depth = saved
        if info.is_generator or info.has_defer:
            info.tail_calls.clear()
        for r in info.tail_calls:
            self.res.tail_calls.add(r)
        return info

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Node | None) -> None:
        if e is None:
            return
        method = getattr(self, "e_" + type(e).__name__, None)
        if method is not None:
            method(e)
        else:
            for child in ast.children(e):
                if isinstance(child, ast.TypeName | ast.ListType | ast.ShapeType | ast.FnType |
                              ast.LiteralType | ast.UnionType):
                    continue
                self.expr(child)

    def e_Name(self, e: ast.Name) -> None:
        if e.name != "_":
            self.use(e, e.name)

    def e_Spread(self, e: ast.Spread) -> None:
        self.expr(e.expr)

    def e_Call(self, e: ast.Call) -> None:
        if e.callee.name != "_":
            b = self.use(e.callee, e.callee.name, callee=True)
            if b is not None and any(type(a) is ast.Spread for a in e.args):
                b.escapes = True
        for a in e.args:
            self.expr(a)

    def enum_name(self, obj: ast.Node) -> str | None:
        """``E`` when ``obj`` names a declared enum (or Result) not shadowed by a value."""
        if type(obj) is not ast.Name or obj.parenthesized:
            return None
        name = obj.name
        b = self.lookup(name, obj.start)
        if name in self.imported_enums and b is not None and b.kind == "import":
            self.res.uses[obj] = b
            b.uses.append(obj)
            return name
        if name not in self.res.enum_decls and name != "Result":
            return None
        if b is not None and b.kind != "enum":
            return None
        if b is not None:
            self.res.uses[obj] = b
            b.uses.append(obj)
        return name

    def e_Member(self, e: ast.Member) -> None:
        if not e.optional:
            en = self.enum_name(e.obj)
            if en is not None:
                self.res.enum_refs[e] = en
                return
        self.expr(e.obj)

    def e_MethodCall(self, e: ast.MethodCall) -> None:
        if not e.optional:
            en = self.enum_name(e.obj)
            if en is not None:
                self.res.enum_refs[e] = en
                for a in e.args:
                    self.expr(a)
                return
        self.expr(e.obj)
        for a in e.args:
            self.expr(a)

    def e_StructLit(self, e: ast.StructLit) -> None:
        b = self.lookup(e.name, e.start)
        decl = None
        if b is not None and b.kind == "struct":
            decl = b.node
            self.res.uses[e] = b
            b.uses.append(e)
        elif b is not None and b.kind == "import":
            self.res.uses[e] = b
            b.uses.append(e)
            b.escapes = True
            self.capture(b)
        else:
            decl = self.res.struct_decls.get(e.name)
        self.res.struct_refs[e] = decl  # type: ignore[assignment]
        for entry in e.entries:
            self.expr(entry)

    def e_DictEntry(self, e: ast.DictEntry) -> None:
        if e.key_kind == "computed":
            self.expr(e.key)
        self.expr(e.value)

    def e_InterpString(self, e: ast.InterpString) -> None:
        for part in e.parts:
            if not isinstance(part, str):
                self.expr(part)

    def e_Closure(self, e: ast.Closure) -> None:
        self.function(e, "closure", e.params, e.body, None)

    def e_FnExpr(self, e: ast.FnExpr) -> None:
        self.function(e, "closure", e.params, e.body, None)

    def e_If(self, e: ast.If) -> None:
        self.expr(e.cond)
        self.block(e.then)
        if type(e.else_) is ast.If:
            self.e_If(e.else_)
        elif e.else_ is not None:
            self.block(e.else_)

    def e_Try(self, e: ast.Try) -> None:
        self.try_depth += 1
        self.block(e.body)
        if e.catch_body is not None:
            self.push("handler", e.catch_body)
            if e.catch_name is not None:
                b = self.declare(e.catch_name, "catch", e, e.catch_name_start, e.catch_body.start)
                if b is not None:
                    self.res.decls[e] = b
            self.stmts(e.catch_body.stmts)
            self.pop()
        if e.finally_body is not None:
            self.block(e.finally_body)
        self.try_depth -= 1

    def e_TryPostfix(self, e: ast.TryPostfix) -> None:
        self.func.has_question = True
        self.expr(e.operand)

    def e_TryStar(self, e: ast.TryStar) -> None:
        if self.func.kind == "main":
            self.error("try* requires an enclosing function (fn, tool, or pipeline) so the "
                       "rethrow has a target", e)
        self.expr(e.operand)

    def e_Pipe(self, e: ast.Pipe) -> None:
        self.expr(e.left)
        right = e.right
        if type(right) is ast.Name and right.name != "_":
            self.use(right, right.name, callee=True)
            return
        uses = placeholder_uses(right)
        if uses:
            self.temp_count += 1
            b = Binding("_", "placeholder", e, e.start, self.scope, self.func, False,
                        f"$pipe{self.temp_count}", e.start)
            self.res.placeholders[e] = b
            for u in uses:
                self.res.uses[u] = b
                b.uses.append(u)
        self.expr(e.right)

    def e_Match(self, e: ast.Match) -> None:
        self.expr(e.subject)
        for arm in e.arms:
            self.push("arm", arm)
            for p in arm.patterns:
                self.match_pattern(p, len(arm.patterns) > 1, arm)
            if arm.guard is not None:
                self.expr(arm.guard)
            self.block(arm.body)
            self.pop()

    def match_pattern(self, p: ast.Node, alternative: bool, arm: ast.MatchArm) -> None:
        t = type(p)
        if t is ast.Name and p.name == "_":
            self.res.patterns[p] = PatternInfo("wild")
            return
        if alternative:
            self.res.patterns[p] = PatternInfo("expr")
            self.expr(p)
            return
        vis = arm.start
        if t is ast.Name and not p.parenthesized:
            b = self.declare(p.name, "match", p, p.start, vis)
            self.res.decls[p] = b  # type: ignore[assignment]
            self.res.patterns[p] = PatternInfo("bind", b)
            return
        if t is ast.Member and not p.optional:
            en = self.enum_name(p.obj)
            if en is not None:
                self.res.enum_refs[p] = en
                self.res.patterns[p] = PatternInfo("enum", enum=en, variant=p.name)
                return
        if t is ast.MethodCall and not p.optional:
            en = self.enum_name(p.obj)
            if en is not None:
                self.res.enum_refs[p] = en
                info = PatternInfo("enum", enum=en, variant=p.name)
                for i, a in enumerate(p.args):
                    if type(a) is ast.Name and a.name != "_":
                        b = self.declare(a.name, "match", a, a.start, vis)
                        self.res.decls[a] = b  # type: ignore[assignment]
                        info.binds[i] = b
                self.res.patterns[p] = info
                return
        if t is ast.ListLit:
            info = PatternInfo("list", length=len(p.elements))
            for i, el in enumerate(p.elements):
                if type(el) is ast.Name:
                    if el.name != "_":
                        b = self.declare(el.name, "match", el, el.start, vis)
                        self.res.decls[el] = b  # type: ignore[assignment]
                        info.binds[i] = b
                elif type(el) is not ast.Spread:
                    self.expr(el)
                    info.tests[i] = el
            self.res.patterns[p] = info
            return
        if t is ast.DictLit:
            info = PatternInfo("dict")
            for entry in p.entries:
                if type(entry) is not ast.DictEntry:
                    continue
                if entry.key_kind == "computed":
                    self.expr(entry.key)
                key: object = entry.key.value if type(entry.key) is ast.StringLit else entry.key
                v = entry.value
                if type(v) is ast.Name:
                    if v.name != "_":
                        b = self.declare(v.name, "match", v, v.start, vis)
                        self.res.decls[v] = b  # type: ignore[assignment]
                        info.binds[key] = b
                    else:
                        info.binds[key] = None
                else:
                    self.expr(v)
                    info.tests[key] = v
            self.res.patterns[p] = info
            return
        self.res.patterns[p] = PatternInfo("expr")
        self.expr(p)

    def e_Parallel(self, e: ast.Parallel) -> None:
        self.expr(e.operand)
        self.expr(e.max_concurrent)
        info = FuncInfo(e, "closure", self.func, "<parallel>")
        self.func.children.append(info)
        self.res.funcs[e] = info
        saved = (self.func, self.scope, self.loop_depth, self.try_depth)
        self.func = info
        scope = self.push("function", e, func_root=True)
        info.scope = scope
        self.loop_depth = self.try_depth = 0
        if e.param is not None:
            b = self.declare(e.param, "param", e, e.param_start, e.start)
            if b is not None:
                self.res.decls[e] = b
            info.params.append(b)
        self.block(e.body)
        self.pop()
        self.func, self.scope, self.loop_depth, self.try_depth = saved

    def e_Spawn(self, e: ast.Spawn) -> None:
        self.function(e, "closure", [], e.body, None)

    def e_Retry(self, e: ast.Retry) -> None:
        self.expr(e.count)
        self.block(e.body)

    def e_Deadline(self, e: ast.Deadline) -> None:
        self.expr(e.duration)
        self.block(e.body)

    # ------------------------------------------------------------ capture modes

    def finish(self) -> None:
        """Decide capture modes (outer functions first) and call tolerance."""
        order: list[FuncInfo] = []
        stack = [self.res.main]
        while stack:
            f = stack.pop()
            order.append(f)
            stack.extend(reversed(f.children))
        for f in order:
            if f.kind == "main":
                continue
            for b in f.captures:
                f.captures[b] = self.capture_mode(f, b)
            f.tolerant = self.is_tolerant(f)

    def unstable_in_owner(self, b: Binding) -> bool:
        if b.kind == "fn":
            return False
        if b.in_loop or b.reassigned:
            return True
        if b.kind == "param" and b.func.tail_calls:
            return True
        return False

    def capture_mode(self, f: FuncInfo, b: Binding) -> str:
        if self.shared_toplevel and b.func.kind == "main" and b.kind in ("let", "var"):
            return "shared"
        if b.kind == "fn" and b not in f.assigns:
            return "cell"
        if b in f.assigns:
            return "snapshot"
        parent = f.parent
        assert parent is not None
        if parent is b.func:
            unstable = self.unstable_in_owner(b)
        else:
            pmode = parent.captures.get(b, "cell")
            unstable = pmode == "snapshot" and b in parent.assigns
        return "snapshot" if unstable else "cell"

    def is_tolerant(self, f: FuncInfo) -> bool:
        """May the function be called with more arguments than parameters?"""
        if self.shared_toplevel and f.parent is not None and f.parent.kind == "main":
            return True  # a module's top-level functions are exported
        if f.kind == "fn" and f.binding is not None:
            return f.binding.escapes or any(p.rest for p in f.node.params)  # type: ignore
        if f.kind == "closure" and f.binding is not None:  # let f = { ... }
            return f.binding.escapes
        return True


def tail_callee(value: ast.Node) -> ast.Name | None:
    """The callee name of ``f(args)`` or ``x |> f`` in return position."""
    if type(value) is ast.Call:
        return value.callee
    if type(value) is ast.Pipe and type(value.right) is ast.Name and not \
            placeholder_uses(value.right):
        return value.right
    return None


def pattern_names(p: ast.Node) -> list[str]:
    t = type(p)
    if t is ast.NamePattern:
        return [p.name] if p.name != "_" else []
    if t is ast.DictPattern:
        out = [f.binds for f in p.fields if f.binds != "_"]
        if p.rest and p.rest != "_":
            out.append(p.rest)
        return out
    if t is ast.ListPattern:
        out = [e.name for e in p.elements if e.name != "_"]
        if p.rest and p.rest != "_":
            out.append(p.rest)
        return out
    if t is ast.PairPattern:
        return pattern_names(p.first) + pattern_names(p.second)
    return []


def resolve(program: ast.Program, src: Source | None = None, import_names=None,
            shared_toplevel: bool = False, imported_enums: set[str] | None = None
            ) -> Resolution:
    """Resolve a parsed program. Never raises on bad input: compile errors
    (break outside a loop, ``try*`` at top level, ...) are in ``errors``."""
    from lang.source import ensure_recursion_limit

    ensure_recursion_limit()
    resolver = Resolver(program, src, import_names, shared_toplevel, imported_enums)
    try:
        res = resolver.run()
    except RecursionError:  # a pathologically deep expression chain
        res = resolver.res
        res.errors.append(error("E0202", "Compile error at line 1: program nested too deeply "
                                "to compile", program.start, program.start))
    res.errors.sort(key=lambda d: d.start)
    return res
