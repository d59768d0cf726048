"""Statements, blocks, functions and the return check (types.md §6.2, §6.3, §7.2,
§7.3, §9.4, §13).

``block(b, scope)`` walks a block's statements in ``scope`` (the caller makes
the scope) and returns ``(exits, value_type)``: whether it definitely exits
(§7.3) and the type of its last statement. After a definitely exiting
statement the next one gets W001 and the rest of the block is not checked.

Functions get a *parameter scope* (child of the root: parameters, type
parameters, constraints) and a *body scope* (child of that). Returns are
checked after the body walk, in a fresh child of the parameter scope, following
only the body's own statements and ``if``/``else`` branches with their
refinements (not guards): body variables are untyped there (§9.4 quirk). When
that scope rejects a value the body walk typed as fitting (or could not type),
only the quirk rejects it and the error becomes W120 (§18.2).
"""

from __future__ import annotations

from lang import ast
from lang.diagnostics import Severity
from typechecker import messages as M
from typechecker import narrow
from typechecker.assign import Assign
from typechecker.exprs import is_unvalidated_source, register
from typechecker.narrow import apply, narrow_into, refine
from typechecker.scope import MISSING, FnContext, FnSig, Scope
from typechecker.types import (
    INT,
    NEVER,
    NIL,
    RANGE,
    STRING,
    WILD,
    Applied,
    IterT,
    ListT,
    Named,
    Never,
    Shape,
    Type,
    Union,
    from_ast,
    named,
    show,
    union_of,
)


class StmtChecker:
    # ------------------------------------------------------------ blocks

    def block(self, b: ast.Block, s: Scope) -> tuple[bool, Type | None]:
        if self.record:
            self.block_scopes.append((b.start, b.end, s))
        exits = False
        last: Type | None = None
        table = _STMT
        for st in b.stmts:
            if exits:
                self.warn(M.W_UNREACHABLE, M.UNREACHABLE, st)
                break
            exits, last = table[type(st)](self, st, s)
        return exits, last

    def stmt(self, st: ast.Stmt, s: Scope) -> tuple[bool, Type | None]:
        return _STMT[type(st)](self, st, s)

    # ------------------------------------------------------------ simple statements

    def s_expr(self, st: ast.ExprStmt, s: Scope) -> tuple[bool, Type | None]:
        e = st.expr
        if type(e) is ast.Call and e.callee.name == "schema_expect" and e.args and \
                type(e.args[0]) is ast.Name and self.opts.strict_types:
            s.mark("unvalidated", e.args[0].name, "")
        if type(e) is ast.If:
            exits, t = self.if_stmt(e, s)
            if t is not None and self.record:
                self.types[e] = t
            return exits, t
        return False, self.expr(e, s)

    def s_let(self, st: ast.Let, s: Scope) -> tuple[bool, None]:
        pat = st.pattern
        self.quirk_seen = False
        vt = self.expr(st.value, s)
        quirk = self.quirk_seen
        if type(pat) is ast.NamePattern:
            name = pat.name
            if st.type is not None:
                decl = from_ast(st.type)
                if vt is not None and not Assign(s).ok(decl, vt):
                    self.let_mismatch(st, name, decl, vt, s)
                elif vt is None:
                    sh = self.shadow_type(st.value, s)
                    if sh is not None and not Assign(s).ok(decl, sh[0]):
                        self.warn(sh[1], M.declared_as(name, show(decl), show(sh[0])) +
                                  f" ({sh[2]})", st)
                t: Type | None = decl
            else:
                t = vt
            if name != "_":
                s.declare(name, t, st.mutable, pat)
                if quirk and st.type is None and not self.precise:
                    # remember the type without the quirk, for §18.2 decisions
                    s.mark("precise", name, (self.precise_type(st.value, s),))
                    self.has_precise = True
                elif (self.has_precise or narrow.precise_used) and \
                        s.find_mark("precise", name):
                    s.mark("precise", name, ())
                if type(st.value) is ast.DictLit:  # a schema binding (§12)
                    s.mark("schemas", name, st.value)
                elif s.find_mark("schemas", name) is not None:
                    s.mark("schemas", name, None)
                if self.opts.strict_types:
                    self.track_validation(name, st, t, s)
                if st.mutable and st.type is None and vt is NIL:
                    s.mark("widen", name, True)
                if self.record:
                    self.binding_types[pat] = t
        else:
            self.destructure(pat, s, st.mutable)
        return False, None

    def track_validation(self, name: str, st: ast.Let, t: Type | None, s: Scope) -> None:
        v = st.value
        if type(v) is ast.Call:
            callee = v.callee.name
            if callee == "schema_expect" and v.args and type(v.args[0]) is ast.Name:
                s.mark("unvalidated", v.args[0].name, "")
            concrete = st.type is not None and not (type(t) is Named and t.name in ("dict", "any"))
            if is_unvalidated_source(callee) and not concrete:
                s.mark("unvalidated", name, callee)
                return
        if s.find_mark("unvalidated", name):
            s.mark("unvalidated", name, "")

    def let_mismatch(self, st: ast.Let, name: str, decl: Type, vt: Type, s: Scope) -> None:
        detail = ""
        if type(decl) is Shape and type(vt) is Shape:
            parts = []
            for f in decl.fields:  # type: ignore[union-attr]
                if f.optional:
                    continue
                g = vt.field(f.name)  # type: ignore[union-attr]
                if g is None:
                    parts.append(f"missing field '{f.name}' ({show(f.type)})")
                elif show(g.type) != show(f.type):
                    parts.append(f"field '{f.name}' has type {show(g.type)}, "
                                 f"expected {show(f.type)}")
            detail = "; ".join(parts)
        pt = self.precise_type(st.value, s)
        quirk = pt is None or Assign(s).relaxed().ok(decl, pt)
        self.error_or_quirk(quirk, M.E_LET, M.declared_as(name, show(decl), show(vt), detail), st)

    def destructure(self, pat: ast.Pattern, s: Scope, mutable: bool) -> None:
        cls = type(pat)
        if cls is ast.DictPattern:
            for f in pat.fields:
                if f.default is not None:
                    self.expr(f.default, s)
                if f.binds != "_":
                    s.declare(f.binds, None, mutable, f)
            if pat.rest and pat.rest != "_":
                s.declare(pat.rest, None, mutable, pat)
        elif cls is ast.ListPattern:
            for el in pat.elements:
                if el.default is not None:
                    self.expr(el.default, s)
                if el.name != "_":
                    s.declare(el.name, None, mutable, el)
            if pat.rest and pat.rest != "_":
                s.declare(pat.rest, None, mutable, pat)
        elif cls is ast.PairPattern:
            for p in (pat.first, pat.second):
                if p.name != "_":
                    s.declare(p.name, None, mutable, p)
        elif cls is ast.NamePattern and pat.name != "_":
            s.declare(pat.name, None, mutable, pat)

    def s_assign(self, st: ast.Assign, s: Scope) -> tuple[bool, None]:
        vt = self.expr(st.value, s)
        target = st.target
        if type(target) is not ast.Name:
            self.walk_target(target, s)
            return False, None
        name = target.name
        cur = s.lookup(name)
        if cur is MISSING:
            if self.extras and s.lookup_fn(name) is None:
                self.check_defined(target, s)
            return False, None
        if self.record and cur is not None:
            self.types[target] = cur  # type: ignore[assignment]
        if not s.is_mutable(name):
            self.warn(M.W_IMMUTABLE, M.immutable(name), target)
        if st.op != "=":
            vt = self.binary_type(st, st.op[0], cur, vt, s, report=True)  # type: ignore[arg-type]
        pre = s.pre
        in_pre = pre is not None and name in pre
        declared = pre[name] if in_pre else cur  # type: ignore[index]
        if declared is not None and vt is not None:
            ctx = Assign(s)
            if not ctx.ok(declared, vt):  # type: ignore[arg-type]
                if s.find_mark("widen", name) is True:
                    if type(vt) is Union and NIL in vt.members:  # type: ignore[union-attr]
                        widened: Type = vt
                    elif type(vt) is Union:
                        widened = Union(vt.members + (NIL,))  # type: ignore[union-attr]
                    else:
                        widened = Union((vt, NIL))
                    s.set_var(name, widened)
                    s.mark("widen", name, False)
                    return False, None
                self.reassign_mismatch(st, name, declared, vt, s, ctx)  # type: ignore[arg-type]
        if in_pre:
            s.set_var(name, pre.pop(name))  # type: ignore[union-attr]
        if (self.has_precise or narrow.precise_used) and s.find_mark("precise", name):
            s.mark("precise", name, ())
        if s.find_mark("ruled", name):
            s.mark("ruled", name, frozenset())
        return False, None

    def reassign_mismatch(self, st: ast.Assign, name: str, declared: Type, vt: Type, s: Scope,
                          ctx: Assign) -> None:
        quirk = False
        outer = s.find_mark("pre", name)
        if outer is not None and ctx.ok(outer, vt):  # narrowed in an enclosing scope
            quirk = True
        elif st.op == "=":
            pt = self.precise_type(st.value, s)
            quirk = pt is None or ctx.relaxed().ok(declared, pt)
        self.error_or_quirk(quirk, M.E_REASSIGN, M.cant_assign(show(vt), name, show(declared)),
                            st)

    def walk_target(self, target: ast.Expr, s: Scope) -> None:
        root = target
        while type(root) in (ast.Member, ast.Index):
            if type(root) is ast.Index:
                self.expr(root.index, s)
            root = root.obj
        if type(root) is ast.Name:
            t = s.lookup(root.name)
            if t is not MISSING:
                if not s.is_mutable(root.name):
                    self.warn(M.W_IMMUTABLE, M.immutable(root.name), root)
                if t is not None and self.record:
                    self.types[root] = t  # type: ignore[assignment]
            elif self.extras:
                self.check_defined(root, s)
        else:
            self.expr(root, s)

    def s_for(self, st: ast.For, s: Scope) -> tuple[bool, None]:
        it = self.expr(st.iterable, s)
        inner = Scope(s)
        pat = st.pattern
        if type(pat) is ast.NamePattern:
            et = _elem_type(it)
            if pat.name != "_":
                inner.declare(pat.name, et, False, pat)
                if self.record:
                    self.binding_types[pat] = et
        elif type(pat) is ast.PairPattern:
            k = v = None
            if type(it) is IterT:
                el = it.elem  # type: ignore[union-attr]
                if type(el) is Applied and el.name == "Pair" and len(el.args) == 2:  # type: ignore
                    k, v = el.args  # type: ignore[union-attr]
            for p, t in ((pat.first, k), (pat.second, v)):
                if p.name != "_":
                    inner.declare(p.name, t, False, p)
                    if self.record:
                        self.binding_types[p] = t
        else:
            self.destructure(pat, inner, False)
        self.loop_depth += 1
        try:
            self.block(st.body, inner)
        finally:
            self.loop_depth -= 1
        return False, None

    def s_while(self, st: ast.While, s: Scope) -> tuple[bool, None]:
        self.expr(st.cond, s)
        truthy, _ = refine(st.cond, s)
        self.loop_depth += 1
        try:
            self.block(st.body, apply(truthy, s))
        finally:
            self.loop_depth -= 1
        return False, None

    def s_return(self, st: ast.Return, s: Scope) -> tuple[bool, None]:
        t = None
        if st.value is not None:
            t = self.expr(st.value, s)
        if self.record or self.quiet < 2:
            self.ret_walk[st] = t
            fn = self.fn
            sig = None if fn is None else fn.sig
            if t is not None and sig is not None and sig.declared_ret and sig.ret is not None \
                    and not self.precise and not Assign(s).ok(sig.ret, t):
                self.ret_precise[st] = self.precise_type(st.value, s)  # type: ignore[arg-type]
            if fn is not None:
                fn.returns.append(t if st.value is not None else NIL)
            if fn is not None and s is fn.body and s.vars is None and s.pre is None \
                    and s.ext is None:
                self.ret_clean.add(st)
        return True, None

    def s_throw(self, st: ast.Throw, s: Scope) -> tuple[bool, None]:
        t = self.expr(st.value, s)
        self.throw_types[st] = t
        self.check_ruled_out("throw", st, s)
        return True, None

    def s_break(self, st: ast.Node, s: Scope) -> tuple[bool, None]:
        return True, None

    def s_guard(self, st: ast.Guard, s: Scope) -> tuple[bool, None]:
        self.expr(st.cond, s)
        truthy, falsy = refine(st.cond, s)
        self.block(st.else_body, apply(falsy, s))
        if truthy:
            narrow_into(truthy, s)
        return False, None

    def s_require(self, st: ast.Require, s: Scope) -> tuple[bool, None]:
        self.expr(st.cond, s)
        if st.message is not None:
            self.expr(st.message, s)
        return False, None

    def s_yield(self, st: ast.Yield, s: Scope) -> tuple[bool, None]:
        if self.fn is not None and self.fn.is_gen:
            self.error(M.E_YIELD_IN_GEN, M.YIELD_IN_GEN, st)
        if st.value is not None:
            self.expr(st.value, s)
        return False, None

    def s_emit(self, st: ast.Emit, s: Scope) -> tuple[bool, None]:
        t = self.expr(st.value, s)
        fn = self.fn
        if fn is None or not fn.is_gen:
            self.error(M.E_EMIT_OUTSIDE, M.EMIT_OUTSIDE, st)
        elif fn.stream_elem is not None and t is not None and \
                not Assign(s).ok(fn.stream_elem, t):
            pt = self.precise_type(st.value, s)
            quirk = pt is None or Assign(s).relaxed().ok(fn.stream_elem, pt)
            self.error_or_quirk(quirk, M.E_EMIT_TYPE, M.emit_type(show(fn.stream_elem), show(t)),
                                st)
        return False, None

    def s_body_block(self, st, s: Scope) -> tuple[bool, None]:
        self.block(st.body, Scope(s))
        return False, None

    def s_select(self, st: ast.Select, s: Scope) -> tuple[bool, None]:
        for case in st.cases:
            if case.expr is not None:
                self.expr(case.expr, s)
            inner = Scope(s)
            if case.name:
                inner.declare(case.name, None)
            self.block(case.body, inner)
        return False, None

    def s_override(self, st: ast.Override, s: Scope) -> tuple[bool, None]:
        inner = Scope(s)
        for p in st.params:
            inner.declare(p, None)
        self.block(st.body, inner)
        return False, None

    def s_nothing(self, st, s: Scope) -> tuple[bool, None]:
        return False, None

    # ------------------------------------------------------------ nested declarations

    def s_fn(self, st: ast.FnDecl, s: Scope) -> tuple[bool, None]:
        sig = self.fn_sig(st)
        s.add_fn(sig)
        s.declare(st.name, None, False, st)
        self.check_attributes(st)
        self.check_fn_variance(st)
        self.walk_fn(st, self.root, s, top=False, sig=sig)
        return False, None

    def s_decl(self, st, s: Scope) -> tuple[bool, None]:
        if s is not self.root:
            self.register_decl(st, s)
        self.check_attributes(st)
        self.check_decl_variance(st)
        return False, None

    def s_impl(self, st: ast.ImplBlock, s: Scope) -> tuple[bool, None]:
        self.register_decl(st, s)
        for m in st.methods:
            self.walk_fn(m, self.root, s, top=False, method_of=st.name)
        return False, None

    def s_pipeline(self, st: ast.Pipeline, s: Scope) -> tuple[bool, None]:
        self.walk_pipeline(st)
        return False, None

    # ------------------------------------------------------------ if

    def if_stmt(self, e: ast.If, s: Scope) -> tuple[bool, Type | None]:
        self.expr(e.cond, s)
        truthy, falsy = refine(e.cond, s)
        then_scope = apply(truthy, s)
        c = e.cond
        if type(c) is ast.Call and c.callee.name in ("schema_is", "is_type") and c.args and \
                type(c.args[0]) is ast.Name:
            then_scope.mark("unvalidated", c.args[0].name, "")
        a_exit, a_t = self.block(e.then, then_scope)
        els = e.else_
        if els is None:
            b_exit, b_t, has_else = False, None, False
        elif type(els) is ast.If:
            b_exit, b_t = self.if_stmt(els, apply(falsy, s))
            if b_t is not None and self.record:
                self.types[els] = b_t
            has_else = True
        else:
            b_exit, b_t = self.block(els, apply(falsy, s))
            has_else = True
        if has_else and b_exit and not a_exit:
            if truthy:
                narrow_into(truthy, s)
        elif a_exit and not (has_else and b_exit):
            if falsy:
                narrow_into(falsy, s)
        then_t: Type | None = NEVER if a_exit else a_t
        else_t: Type | None = NEVER if b_exit else b_t
        if then_t is None:
            value = None
        elif not has_else or else_t is None:
            value = then_t
        elif type(then_t) is Never:
            value = else_t
        elif type(else_t) is Never or then_t == else_t:
            value = then_t
        else:
            value = Union((then_t, else_t))
        return has_else and a_exit and b_exit, value

    def e_if(self, e: ast.If, s: Scope) -> Type | None:
        return self.if_stmt(e, Scope(s))[1]

    # ------------------------------------------------------------ try

    def e_try(self, e: ast.Try, s: Scope) -> Type | None:
        _, bt = self.block(e.body, Scope(s))
        if e.has_catch and e.catch_body is not None:
            inner = Scope(s)
            if e.catch_name:
                ct = None if e.catch_type is None else from_ast(e.catch_type)
                inner.declare(e.catch_name, ct)
            self.block(e.catch_body, inner)
        if e.finally_body is not None:
            self.block(e.finally_body, Scope(s))
        if e.has_catch or e.finally_body is not None:
            return None
        thrown: list[Type] = []
        for node in _error_sources(e.body.stmts):
            t = self.throw_types.get(node)
            if type(node) is ast.TryPostfix:
                if type(t) is Applied and t.name == "Result" and len(t.args) == 2:  # type: ignore
                    t = t.args[1]  # type: ignore[union-attr]
                else:
                    t = None
            if t is not None and type(t) is not type(WILD) and t not in thrown:
                thrown.append(t)
        ok = WILD if bt is None else bt
        if type(ok) is Applied and ok.name == "Result" and len(ok.args) == 2:  # type: ignore
            if not thrown:
                return ok
            err = ok.args[1]  # type: ignore[union-attr]
            return Applied("Result", (ok.args[0], union_of([err, *thrown])))  # type: ignore
        err_t = union_of(thrown) if thrown else WILD
        return Applied("Result", (ok, err_t))

    # ------------------------------------------------------------ functions

    def declare_param(self, p: ast.Param, scope: Scope, default_scope: Scope,
                      is_self: bool = False) -> Type | None:
        if p.default is not None:
            self.expr(p.default, scope)
        t = None if (p.type is None or is_self) else from_ast(p.type)
        scope.declare(p.name, t, False, p)
        if self.record:
            self.binding_types[p] = t
        return t

    def walk_fn(self, node: ast.FnDecl, root: Scope, lex: Scope, top: bool,
                method_of: str | None = None, sig: FnSig | None = None) -> None:
        if sig is None:
            sig = self.fn_sig(node, kind="method" if method_of else "fn")
        pscope = Scope(root, None if top else lex)
        if node.type_params:
            bounds: dict[str, list[str]] = {}
            for w in node.where:
                bounds.setdefault(w.param, []).append(w.interface)
            for tp in node.type_params:
                pscope.add_tparam(tp.name, bounds.get(tp.name, []))
        params = node.params
        if params:
            pvars: dict = {}
            pmut: dict = {}
            record = self.record
            btypes = self.binding_types
            for i, (p, ps) in enumerate(zip(params, sig.params, strict=False)):
                if p.default is not None:
                    pscope.vars, pscope.mutable = pvars, pmut
                    self.expr(p.default, pscope)
                t = ps.type
                if method_of is not None and i == 0 and p.name == "self":
                    t = None
                pvars[p.name] = t
                pmut[p.name] = False
                if record:
                    btypes[p] = t
            pscope.vars, pscope.mutable = pvars, pmut
        stream_elem = None
        if node.is_gen:
            rt = sig.ret
            if type(rt) is IterT and rt.kind == "Stream":  # type: ignore[union-attr]
                stream_elem = rt.elem  # type: ignore[union-attr]
            elif node.return_type is not None and not (
                    type(rt) is Named and rt.name in ("Stream", "stream")):  # type: ignore
                self.report(Severity.ERROR, M.E_GEN_RETURN, M.gen_return(show(rt)), 0, 0,
                            data={"span": None})
        old_fn, old_loop = self.fn, self.loop_depth
        self.fn = FnContext("method" if method_of else "fn", node.is_gen, stream_elem,
                            node.name, sig)
        self.loop_depth = 0
        body = Scope(pscope)
        ctx = self.fn
        ctx.body = body
        try:
            exits, _ = self.block(node.body, body)
        finally:
            self.fn, self.loop_depth = old_fn, old_loop
        if sig.ret is None and self.extras:
            rets = ctx.returns if exits else ctx.returns + [NIL]
            if rets and all(r is not None for r in rets):
                sig.inferred_ret = union_of(rets)
        if node.return_type is not None and sig.ret is not None:
            self.check_returns(node.body, pscope, sig.ret)

    def walk_pipeline(self, node: ast.Pipeline) -> None:
        pscope = Scope(self.root)
        for p in node.params:
            pscope.declare(p.name, None, False, p)
        old_fn, old_loop = self.fn, self.loop_depth
        self.fn = FnContext("pipeline", name=node.name)
        self.loop_depth = 0
        try:
            self.block(node.body, Scope(pscope))
        finally:
            self.fn, self.loop_depth = old_fn, old_loop
        if node.return_type is not None:
            self.check_returns(node.body, pscope, from_ast(node.return_type))

    # ------------------------------------------------------------ §9.4 return check

    def check_returns(self, body: ast.Block, pscope: Scope, ret: Type) -> None:
        stmts = body.stmts
        if len(stmts) == 1 and stmts[0] in self.ret_clean:
            t = self.ret_walk[stmts[0]]  # a lone return in an untouched body scope
            if t is None or t is ret or Assign(pscope).ok(ret, t):
                return
        old = (self.quiet, self.record)
        self.quiet, self.record = 2, False
        found: list[tuple[ast.Return, Type, Scope]] = []
        try:
            self.return_walk(body.stmts, Scope(pscope), found, top=True)
        finally:
            self.quiet, self.record = old
        for st, t, sc in found:
            ctx = Assign(sc)
            if ctx.ok(ret, t):
                continue
            walked = self.ret_walk.get(st, None)
            quirk = walked is None or Assign(sc).relaxed().ok(ret, walked)
            if not quirk and st in self.ret_precise:
                # e.g. `{x: a}` typed `{x: nil}` only by the dict-literal quirk: the value's
                # quirk-free type, computed where the body walk saw it, decides
                precise = self.ret_precise[st]
                quirk = precise is None or Assign(sc).relaxed().ok(ret, precise)
            self.error_or_quirk(quirk, M.E_RETURN, M.return_mismatch(show(ret), show(t)), st)

    def return_walk(self, stmts: list[ast.Stmt], s: Scope, found: list,
                    top: bool = False) -> None:
        for st in stmts:
            cls = type(st)
            if cls is ast.Return:
                if st.value is not None:
                    if top and st in self.ret_clean and s.own_is_empty():
                        t = self.ret_walk[st]  # the body walk saw exactly this scope
                    else:
                        t = self.expr(st.value, s)
                    if t is not None:
                        found.append((st, t, s))
                return
            if cls is ast.ExprStmt and type(st.expr) is ast.If:
                if self.return_if(st.expr, s, found):
                    return
            elif cls in (ast.Throw, ast.Break, ast.Continue):
                return

    def return_if(self, e: ast.If, s: Scope, found: list) -> bool:
        truthy, falsy = refine(e.cond, s)
        self.return_walk(e.then.stmts, apply(truthy, s), found)
        a_exit = _block_exits(e.then.stmts)
        els = e.else_
        b_exit = False
        if type(els) is ast.If:
            b_exit = self.return_if(els, apply(falsy, s), found)
        elif els is not None:
            self.return_walk(els.stmts, apply(falsy, s), found)
            b_exit = _block_exits(els.stmts)
        if els is not None and b_exit and not a_exit:
            if truthy:
                narrow_into(truthy, s)
        elif a_exit and not (els is not None and b_exit):
            if falsy:
                narrow_into(falsy, s)
        return els is not None and a_exit and b_exit


def _elem_type(it: Type | None) -> Type | None:
    cls = type(it)
    if cls is ListT or cls is IterT:
        return it.elem  # type: ignore[union-attr]
    if it is STRING:
        return STRING
    if it is RANGE:
        return INT
    return None


def _block_exits(stmts: list[ast.Stmt]) -> bool:
    for st in stmts:
        if _stmt_exits(st):
            return True
    return False


def _stmt_exits(st: ast.Stmt) -> bool:
    cls = type(st)
    if cls in (ast.Return, ast.Throw, ast.Break, ast.Continue):
        return True
    if cls is ast.ExprStmt and type(st.expr) is ast.If:
        return _if_exits(st.expr)
    return False


def _if_exits(e: ast.If) -> bool:
    els = e.else_
    if els is None or not _block_exits(e.then.stmts):
        return False
    if type(els) is ast.If:
        return _if_exits(els)
    return _block_exits(els.stmts)


_NESTED_BODIES = (ast.While, ast.Mutex, ast.Defer)
_NESTED_EXPR_BODIES = (ast.Retry, ast.Spawn, ast.Deadline)


def _error_sources(stmts: list[ast.Stmt]):
    """Statement-level ``throw`` and ``e?`` a bare ``try`` body can raise (§6.1)."""
    for st in stmts:
        cls = type(st)
        if cls is ast.Throw:
            yield st
        elif cls is ast.ExprStmt:
            e = st.expr
            ce = type(e)
            if ce is ast.TryPostfix:
                yield e
            elif ce is ast.If:
                yield from _if_sources(e)
            elif ce in _NESTED_EXPR_BODIES:
                yield from _error_sources(e.body.stmts)
        elif cls is ast.Let and type(st.value) is ast.TryPostfix:
            yield st.value
        elif cls in _NESTED_BODIES:
            yield from _error_sources(st.body.stmts)


def _if_sources(e: ast.If):
    yield from _error_sources(e.then.stmts)
    if type(e.else_) is ast.If:
        yield from _if_sources(e.else_)
    elif e.else_ is not None:
        yield from _error_sources(e.else_.stmts)


_STMT: dict = {
    ast.ExprStmt: StmtChecker.s_expr,
    ast.Let: StmtChecker.s_let,
    ast.Assign: StmtChecker.s_assign,
    ast.For: StmtChecker.s_for,
    ast.While: StmtChecker.s_while,
    ast.Return: StmtChecker.s_return,
    ast.Throw: StmtChecker.s_throw,
    ast.Break: StmtChecker.s_break,
    ast.Continue: StmtChecker.s_break,
    ast.Guard: StmtChecker.s_guard,
    ast.Require: StmtChecker.s_require,
    ast.Yield: StmtChecker.s_yield,
    ast.Emit: StmtChecker.s_emit,
    ast.Mutex: StmtChecker.s_body_block,
    ast.Defer: StmtChecker.s_body_block,
    ast.Select: StmtChecker.s_select,
    ast.Override: StmtChecker.s_override,
    ast.FnDecl: StmtChecker.s_fn,
    ast.StructDecl: StmtChecker.s_decl,
    ast.EnumDecl: StmtChecker.s_decl,
    ast.InterfaceDecl: StmtChecker.s_decl,
    ast.TypeAlias: StmtChecker.s_decl,
    ast.ImplBlock: StmtChecker.s_impl,
    ast.Pipeline: StmtChecker.s_pipeline,
    ast.Import: StmtChecker.s_nothing,
}

register(ast.If, StmtChecker.e_if)
register(ast.Try, StmtChecker.e_try)

__all__ = ["StmtChecker", "named"]
