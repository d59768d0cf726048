"""Statement-shaped constructs: ``if``/``match``/``try`` (with a value target),
destructuring and assignment; a mixin of :class:`vm.compiler.Compiler`.

A *target* is where a construct's value goes: a temporary's name,
``$return`` (return it from the function) or ``None`` (discard).

``match`` (§9.7) compiles to an ``if``/``elif`` chain on a temporary holding
the subject; an arm with a guard binds its names with ``:=`` inside the test
so a failing guard falls through to the next arm. ``try``/``catch``/
``finally`` (§12.2) maps to Python's ``try``: ``return``/``break``/
``continue`` are not exceptions, so no handler intercepts them, and a
``finally`` runs exactly once on every exit. Handlers catch ``Exception``
only: run limits raise a ``BaseException`` no script can catch.

Assignment (§8.11, §17.3) rebinds the root variable; the collection is
updated in place when ``sys.getrefcount`` shows no other reference (the
count is taken as the first argument, before anything else holds the value).
"""

from __future__ import annotations

import ast as py
from typing import Any

from lang import ast
from vm import pyast as P
from vm.runtime.support import LOCAL_RC


class FlowCompiler:
    res: Any
    fn: Any

    # ------------------------------------------------------------ if

    def if_stmt(self, e: ast.If, target: str | None) -> None:
        cond = self.cond(e.cond)  # type: ignore[attr-defined]
        then = self.sub(lambda: self.block_stmts(e.then.stmts, target))  # type: ignore
        orelse: list[py.stmt] = []
        if type(e.else_) is ast.If:
            orelse = self.sub(lambda: self.if_stmt(e.else_, target))  # type: ignore
            P.locate(orelse, self.span(e.else_))  # type: ignore[attr-defined]
        elif e.else_ is not None:
            orelse = self.sub(lambda: self.block_stmts(e.else_.stmts, target))  # type: ignore
        elif target is not None and target != "$return":
            orelse = [P.assign(target, P.const(None))]
        self.emit(P.if_(cond, then, orelse))  # type: ignore[attr-defined]

    # ------------------------------------------------------------ match

    def match_stmt(self, m: ast.Match, target: str | None) -> None:
        subj = self.expr(m.subject)  # type: ignore[attr-defined]
        s = self.temp("subj")  # type: ignore[attr-defined]
        self.emit(P.assign(s, subj))  # type: ignore[attr-defined]
        arms = []
        for arm in m.arms:
            arms.append(self.compile_arm(arm, s, target))
        chain: list[py.stmt] = [P.raise_(P.call("$no_match"))]
        P.locate(chain, self.span(m))  # type: ignore[attr-defined]
        for arm, (test, binds, guard, body) in reversed(list(zip(m.arms, arms, strict=True))):
            if guard is None:
                stmts: list[py.stmt] = [P.if_(test, binds + body, chain)] if test is not None \
                    else binds + body
            elif isinstance(guard, list):  # guard needs statements: flag form
                flag = self.temp("m")  # type: ignore[attr-defined]
                pre, gcond = guard
                inner = binds + pre + [P.if_(gcond, [P.assign(flag, P.const(True))] + body)]
                stmts = [P.assign(flag, P.const(False)),
                         P.if_(test, inner) if test is not None else inner[0]]
                if test is None:
                    stmts = [P.assign(flag, P.const(False))] + inner
                stmts.append(P.if_(P.not_(P.name(flag)), chain))
            else:
                full = P.and_(*(x for x in (test, guard) if x is not None))
                stmts = [P.if_(full, body, chain)]
            P.locate(stmts, self.span(arm))  # type: ignore[attr-defined]
            chain = stmts
        for st in chain:
            self.emit(st)  # type: ignore[attr-defined]

    def compile_arm(self, arm: ast.MatchArm, s: str, target: str | None):
        """``(test, bind statements, guard, body)`` for one arm."""
        subj = P.name(s)
        tests: list[py.expr] = []
        binds: list[tuple[str, py.expr]] = []
        if len(arm.patterns) == 1:
            test = self.pattern_test(arm.patterns[0], subj, binds)
        else:
            alts = []
            for p in arm.patterns:
                t = self.pattern_test(p, subj, binds)
                if t is None:
                    alts = []
                    break
                alts.append(t)
            test = P.or_(*alts) if alts else None
        if test is not None:
            tests.append(test)
        guard: Any = None
        if arm.guard is not None:
            if self.needs_stmts(arm.guard):  # type: ignore[attr-defined]
                gc: list = []
                pre = self.sub(lambda: gc.append(self.cond(arm.guard)))  # type: ignore
                guard = (pre, gc[0])
                bind_stmts = [P.assign(n, v) for n, v in binds]
            else:
                walruses = [P.or_(P.walrus(n, v), P.const(True)) for n, v in binds]
                guard = P.and_(*walruses, self.cond(arm.guard))  # type: ignore[attr-defined]
                bind_stmts = []
        else:
            bind_stmts = [P.assign(n, v) for n, v in binds]
        body = self.sub(lambda: self.block_stmts(arm.body.stmts, target))  # type: ignore
        if not body:
            body = [py.Pass()]
        test_expr = P.and_(*tests) if tests else None
        return test_expr, bind_stmts, guard, body

    def pattern_test(self, p: ast.Node, subj: py.expr, binds: list) -> py.expr | None:
        info = self.res.patterns.get(p)
        kind = info.kind if info is not None else "expr"
        if kind == "wild":
            return None
        if kind == "bind":
            if info.binding is not None:
                binds.append((info.binding.py_name, subj))
            return None
        if kind == "enum":
            for i, b in info.binds.items():
                binds.append((b.py_name, P.call("$enum_field", subj, P.const(i))))
            return P.call("$is_variant", subj, P.const(info.enum), P.const(info.variant))
        if kind == "list":
            tests = [P.call("$list_at_least", subj, P.const(info.length))]
            for i, b in info.binds.items():
                binds.append((b.py_name, P.subscript(subj, P.const(i))))
            for i, node in info.tests.items():
                tests.append(self.eq_test(P.subscript(subj, P.const(i)), node))
            return P.and_(*tests)
        if kind == "dict":
            tests = [P.is_(P.call("$T", subj), P.name("$dict"))]
            for key, node in info.tests.items():
                tests.append(self.eq_test(self.dict_get(subj, key), node))
            for key, b in info.binds.items():
                if b is not None:
                    binds.append((b.py_name, self.dict_get(subj, key)))
            return P.and_(*tests)
        return self.eq_test(subj, p)

    def dict_get(self, subj: py.expr, key: Any) -> py.expr:
        if isinstance(key, str):
            return P.call(P.attr(subj, "get"), P.const(key))
        k = self.expr(key)  # type: ignore[attr-defined]
        return P.call(P.attr(subj, "get"), P.call("$key", k))

    def eq_test(self, left: py.expr, node: ast.Node) -> py.expr:
        right = self.expr(node)  # type: ignore[attr-defined]
        if isinstance(right, py.Constant):
            v = right.value
            if v is None or type(v) is bool:
                return P.is_(left, right)
            if type(v) is str:
                return P.compare(left, py.Eq(), right)
        return P.call("$eq", left, right)

    # ------------------------------------------------------------ try

    def try_stmt(self, t: ast.Try, target: str | None) -> None:
        fn = self.fn
        fn.try_depth += 1
        try:
            if not t.has_catch and t.finally_body is None:
                self.try_expression(t, target)
            else:
                self.try_catch(t, target)
        finally:
            fn.try_depth -= 1

    def try_expression(self, t: ast.Try, target: str | None) -> None:
        r = self.temp("r")  # type: ignore[attr-defined]
        body = self.sub(lambda: self.block_stmts(t.body.stmts, r))  # type: ignore[attr-defined]
        exc = self.temp("e")  # type: ignore[attr-defined]
        err = P.call("$wrap_err", P.call("$error_value", P.name(exc)))
        okv = P.call("$wrap_ok", P.name(r))
        if target is None:
            handler = [py.Pass()]
            orelse: list[py.stmt] = []
        elif target == "$return":
            handler = [P.ret(err)]
            orelse = [P.ret(okv)]
        else:
            handler = [P.assign(target, err)]
            orelse = [P.assign(target, okv)]
        self.emit(py.Try(body=body or [py.Pass()], handlers=[  # type: ignore[attr-defined]
            py.ExceptHandler(type=P.name("$Exception"), name=exc, body=handler)],
            orelse=orelse, finalbody=[]))

    def try_catch(self, t: ast.Try, target: str | None) -> None:
        body = self.sub(lambda: self.block_stmts(t.body.stmts, target))  # type: ignore
        handlers = []
        if t.has_catch:
            exc = self.temp("e")  # type: ignore[attr-defined]
            v = self.temp("v")  # type: ignore[attr-defined]
            hbody: list[py.stmt] = [P.assign(v, P.call("$error_value", P.name(exc)))]
            ct = t.catch_type
            if type(ct) is ast.TypeName and not ct.args:
                hbody.append(P.if_(P.not_(P.call("$catch_is", P.name(v), P.const(ct.name))),
                                   [P.raise_()]))
            b = self.res.decls.get(t)
            if b is not None:
                hbody.append(P.assign(b.py_name, P.name(v)))
            catch_body = t.catch_body
            assert catch_body is not None
            hbody += self.sub(lambda: self.block_stmts(catch_body.stmts, target))  # type: ignore
            P.locate(hbody, self.span(catch_body))  # type: ignore[attr-defined]
            handlers.append(py.ExceptHandler(type=P.name("$Exception"), name=exc, body=hbody))
        final: list[py.stmt] = []
        if t.finally_body is not None:
            fb = t.finally_body
            final = self.sub(lambda: self.block_stmts(fb.stmts, None))  # type: ignore
            P.locate(final, self.span(fb))  # type: ignore[attr-defined]
            if not final:
                final = [py.Pass()]
            elif self.fn.is_generator:  # type: ignore[attr-defined]
                final = [P.if_(P.not_(P.call("$gen_closing")), final)]
        self.emit(py.Try(body=body or [py.Pass()], handlers=handlers, orelse=[],  # type: ignore
                         finalbody=final))

    def retry_stmt(self, e: ast.Retry, target: str | None) -> None:
        count = self.expr(e.count)  # type: ignore[attr-defined]
        n, i = self.temp("n"), self.temp("i")  # type: ignore[attr-defined]
        self.emit(P.assign(n, count))  # type: ignore[attr-defined]
        self.emit(P.assign(i, P.const(0)))  # type: ignore[attr-defined]
        body = self.no_tail_calls(lambda: self.block_stmts(e.body.stmts, None))
        exc = self.temp("e")  # type: ignore[attr-defined]
        attempt = py.Try(body=body + [py.Break()], handlers=[py.ExceptHandler(
            type=P.name("$Exception"), name=exc,
            body=[P.if_(P.compare(P.name(i), py.GtE(), P.name(n)), [P.raise_()])])],
            orelse=[], finalbody=[])
        loop = py.While(test=P.compare(P.name(i), py.Lt(), P.name(n)), body=[
            py.AugAssign(target=P.store(i), op=py.Add(), value=P.const(1)), attempt],
            orelse=[])
        self.emit(loop)  # type: ignore[attr-defined]
        if target == "$return":
            self.emit(P.ret(P.const(None)))  # type: ignore[attr-defined]
        elif target is not None:
            self.emit(P.assign(target, P.const(None)))  # type: ignore[attr-defined]

    def deadline_stmt(self, e: ast.Deadline, target: str | None) -> None:
        """§16.2: the body runs inline between ``$deadline_enter``/``$deadline_exit``."""
        token = self.temp("dl")  # type: ignore[attr-defined]
        self.emit(P.assign(token, P.call("$deadline_enter",  # type: ignore[attr-defined]
                                         self.expr(e.duration))))  # type: ignore[attr-defined]
        if target is not None and target != "$return":
            self.emit(P.assign(target, P.const(None)))  # type: ignore[attr-defined]
        body = self.no_tail_calls(lambda: self.block_stmts(e.body.stmts, target))
        self.emit(py.Try(body=body or [py.Pass()], handlers=[], orelse=[],  # type: ignore
                         finalbody=[P.expr_stmt(P.call("$deadline_exit", P.name(token)))]))

    def no_tail_calls(self, compile_body) -> list[py.stmt]:
        """Compile a body that must finish in this frame (retry, deadline): a
        ``return f(...)`` in it is an ordinary call, as under ``try`` (§10.5)."""
        fn = self.fn  # type: ignore[attr-defined]
        fn.try_depth += 1
        try:
            return self.sub(compile_body)  # type: ignore[attr-defined]
        finally:
            fn.try_depth -= 1

    # ------------------------------------------------------------ destructuring

    def bind_pattern(self, pat: ast.Node, value: py.expr) -> None:
        t = type(pat)
        decls = self.res.decls
        if t is ast.NamePattern:
            b = decls.get(pat)
            if b is not None:
                self.emit(P.assign(b.py_name, value))  # type: ignore[attr-defined]
            elif not isinstance(value, (py.Name, py.Constant)):
                self.emit(P.expr_stmt(value))  # type: ignore[attr-defined]
            return
        tmp = self.temp("d")  # type: ignore[attr-defined]
        src = P.name(tmp)
        if t is ast.DictPattern:
            self.emit(P.assign(tmp, P.call("$expect_dict", value)))  # type: ignore
            for f in pat.fields:
                b = decls.get(f)
                if b is None:
                    continue
                self.emit(P.assign(b.py_name, P.call(P.attr(src, "get"),  # type: ignore
                                                     P.const(f.key))))
                self.default(b.py_name, f.default)
            rb = self.res.rest_decls.get(pat)
            if rb is not None:
                keys = tuple(f.key for f in pat.fields)
                self.emit(P.assign(rb.py_name, P.call("$dict_rest", src,  # type: ignore
                                                      P.const(keys))))
        elif t is ast.ListPattern:
            self.emit(P.assign(tmp, P.call("$expect_list", value)))  # type: ignore
            for i, el in enumerate(pat.elements):
                b = decls.get(el)
                if b is None:
                    continue
                self.emit(P.assign(b.py_name, P.call("$nth", src, P.const(i))))  # type: ignore
                self.default(b.py_name, el.default)
            rb = self.res.rest_decls.get(pat)
            if rb is not None:
                self.emit(P.assign(rb.py_name, py.Subscript(  # type: ignore[attr-defined]
                    value=src, slice=py.Slice(lower=P.const(len(pat.elements)), upper=None,
                                              step=None), ctx=P.LOAD)))
        elif t is ast.PairPattern:
            self.emit(P.assign(tmp, value))  # type: ignore[attr-defined]
            for part, field in ((pat.first, "first"), (pat.second, "second")):
                b = decls.get(part)
                if b is not None:
                    self.emit(P.assign(b.py_name, P.call("$getprop", src,  # type: ignore
                                                         P.const(field))))

    def default(self, py_name: str, node: ast.Node | None) -> None:
        if node is None:
            return
        stmts = self.sub(lambda: self.emit(P.assign(py_name, self.expr(node))))  # type: ignore
        P.locate(stmts, self.span(node))  # type: ignore[attr-defined]
        self.emit(P.if_(P.is_(P.name(py_name), P.const(None)), stmts))  # type: ignore

    # ------------------------------------------------------------ assignment

    def assign_stmt(self, s: ast.Assign) -> None:
        target = s.target
        steps: list[ast.Node] = []
        root = target
        while type(root) is not ast.Name:
            steps.append(root)
            root = root.obj
        steps.reverse()
        b = self.res.assign_targets.get(s)
        op = s.op
        if b is None or not b.mutable:
            value = self.expr(s.value)  # type: ignore[attr-defined]
            if not isinstance(value, (py.Name, py.Constant)):
                self.emit(P.expr_stmt(value))  # type: ignore[attr-defined]
            if b is None:
                err = P.call("$undefined_variable", P.const(root.name), P.const(()),
                             P.const(False))
            else:
                err = P.call("$immutable", P.const(root.name))
            self.emit(P.raise_(err))  # type: ignore[attr-defined]
            return
        x = b.py_name
        if not steps:
            if self.list_builder(s, b):
                return
            if op == "=":
                value = self.expr(s.value)  # type: ignore[attr-defined]
            else:
                value = self.expr(ast.Binary(s.start, s.end, op[0], target, s.value))  # type: ignore
            self.emit(P.assign(x, value))  # type: ignore[attr-defined]
            return
        if op == "=":
            value = self.expr(s.value)  # type: ignore[attr-defined]
            if not isinstance(value, (py.Name, py.Constant)) and any(
                    type(st) is ast.Index and not _plain(st.index) for st in steps):
                v = self.temp("v")  # type: ignore[attr-defined]
                self.emit(P.assign(v, value))  # type: ignore[attr-defined]
                value = P.name(v)
            keys = self.step_keys(steps)
        else:
            keys = self.step_keys(steps)
            current = self.read_path(P.name(x), steps, keys)
            rhs = self.expr(s.value)  # type: ignore[attr-defined]
            value = self.combine(op[0], current, rhs, s)
        if not isinstance(value, (py.Name, py.Constant)) and any(
                not isinstance(k, (py.Name, py.Constant)) for k in keys if k is not None):
            v = self.temp("v")  # type: ignore[attr-defined]
            self.emit(P.assign(v, value))  # type: ignore[attr-defined]
            value = P.name(v)
        shared = P.compare(P.call("$rc", P.name(x)), py.Gt(), P.const(LOCAL_RC))
        if len(steps) == 1 and self.fast_store(x, b, steps[0], keys[0], value):
            return
        if len(steps) == 1:
            st = steps[0]
            if type(st) is ast.Member:
                call = P.call("$setprop", shared, P.name(x), P.const(st.name), value)
            else:
                call = P.call("$setidx", shared, P.name(x), keys[0], value)
        else:
            path = []
            for st, k in zip(steps, keys, strict=True):
                if type(st) is ast.Member:
                    path.append(P.tuple_([P.const(False), P.const(st.name)]))
                else:
                    path.append(P.tuple_([P.const(True), k]))
            call = P.call("$setpath", shared, P.name(x), P.tuple_(path), value)
        self.emit(P.assign(x, call))  # type: ignore[attr-defined]

    def list_builder(self, s: ast.Assign, b: Any) -> bool:
        """``x += e``, ``x = x + e``, ``x = x.push(e)`` on a list nobody else holds
        (the refcount test of the subscript path, §6.4) extend or append in place:
        builder loops stay amortised O(1) per step. Otherwise (shared list, other
        types) the ordinary operation runs. ``e`` is evaluated first, which is the
        same order unless ``e`` could rebind ``x`` (statements, or a top-level
        binding closures share): those keep the ordinary code."""
        x = b.py_name
        v = s.value
        op = s.op
        push = False
        if op == "=" and type(v) is ast.Binary and v.op == "+" and type(v.left) is ast.Name \
                and self.res.uses.get(v.left) is b:
            rhs = v.right
        elif op == "=" and type(v) is ast.MethodCall and v.name == "push" and not v.optional \
                and type(v.obj) is ast.Name and self.res.uses.get(v.obj) is b \
                and len(v.args) == 1 and type(v.args[0]) is not ast.Spread \
                and v not in self.res.enum_refs:
            rhs, push = v.args[0], True
        elif op == "+=":
            rhs = v
        else:
            return False
        if not push and type(rhs) is not ast.ListLit and \
                self.types.of(rhs) != "list":  # type: ignore[attr-defined]
            return False  # ``n = n + 1``: not a list builder
        if b.func.kind == "main" and (self.opts.module or self.res.pipeline_mode) \
                or self.needs_stmts(rhs):  # type: ignore[attr-defined]
            return False
        one = not push and type(rhs) is ast.ListLit and len(rhs.elements) == 1 and \
            type(rhs.elements[0]) is not ast.Spread
        value = self.expr(rhs.elements[0] if one else rhs)  # type: ignore[attr-defined]
        t = self.temp("v")  # type: ignore[attr-defined]
        self.emit(P.assign(t, value))  # type: ignore[attr-defined]
        is_list = P.is_(P.call("$T", P.name(x)), P.name("$list"))
        unshared = P.compare(P.call("$rc", P.name(x)), py.LtE(), P.const(LOCAL_RC))
        if push or one:
            test = P.and_(is_list, unshared)
            inplace = P.call(P.attr(P.name(x), "append"), P.name(t))
        else:
            test = P.and_(is_list, P.is_(P.call("$T", P.name(t)), P.name("$list")), unshared)
            inplace = P.call(P.attr(P.name(x), "extend"), P.name(t))
        if push:
            from vm.stdlib.dispatch import method_site

            site = self.const(method_site("push")[0], key=("site", "push"),  # type: ignore
                              prefix="ms")
            fn = P.or_(P.call(P.attr(site, "get"), P.call("$T", P.name(x))),
                       P.call("$find_method", P.name(x), P.const("push")))
            slow: py.expr = py.Call(func=fn, args=[P.name(x), P.name(t)], keywords=[])
        else:
            slow = P.call("$add", P.name(x), P.list_([P.name(t)]) if one else P.name(t))
        self.emit(P.if_(test, [P.expr_stmt(inplace)],  # type: ignore[attr-defined]
                        [P.assign(x, slow)]))
        return True

    def fast_store(self, x: str, b: Any, step: ast.Node, key: py.expr | None,
                   value: py.expr) -> bool:
        """In-place store when the facts know the root is a dict or struct:
        ``if rc(x) <= N: x[k] = v else: x = copy-and-set``."""
        from vm.compiler_types import base, struct_fields

        fact = self.types.types.get(b)  # type: ignore[attr-defined]
        if base(fact) == "dict":
            fact = "dict"
        if fact != "dict" and struct_fields(fact) is None:
            return False
        if not isinstance(value, (py.Name, py.Constant)):
            v = self.temp("v")  # type: ignore[attr-defined]
            self.emit(P.assign(v, value))  # type: ignore[attr-defined]
            value = P.name(v)
        if type(step) is ast.Member:
            k: py.expr = P.const(step.name)
            slow = P.call("$setprop", P.const(True), P.name(x), k, value)
        else:
            if fact != "dict":
                return False
            assert key is not None
            k = key
            if self.types.of(step.index) != "string":  # type: ignore[attr-defined]
                k = P.call("$key", key)
            slow = P.call("$setidx", P.const(True), P.name(x), key, value)
        container = P.name(x) if fact == "dict" else P.attr(P.name(x), "fields")
        target = py.Subscript(value=container, slice=k, ctx=P.STORE)
        self.emit(P.if_(P.compare(P.call("$rc", P.name(x)), py.LtE(),  # type: ignore
                                  P.const(LOCAL_RC)),
                        [P.assign(target, value)], [P.assign(x, slow)]))
        return True

    def step_keys(self, steps: list[ast.Node]) -> list[py.expr | None]:
        keys: list[py.expr | None] = []
        for st in steps:
            if type(st) is ast.Index:
                k = self.expr(st.index)  # type: ignore[attr-defined]
                if not isinstance(k, (py.Name, py.Constant)):
                    t = self.temp("k")  # type: ignore[attr-defined]
                    self.emit(P.assign(t, k))  # type: ignore[attr-defined]
                    k = P.name(t)
                keys.append(k)
            else:
                keys.append(None)
        return keys

    def read_path(self, root: py.expr, steps: list[ast.Node], keys: list) -> py.expr:
        cur = root
        for st, k in zip(steps, keys, strict=True):
            if type(st) is ast.Member:
                cur = P.call("$getprop", cur, P.const(st.name))
            else:
                cur = P.call("$getidx", cur, k)
        return cur

    def combine(self, op: str, a: py.expr, b: py.expr, s: ast.Assign) -> py.expr:
        helper = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div", "%": "$mod"}[op]
        return P.call(helper, a, b)


def _plain(e: ast.Node) -> bool:
    """Evaluating ``e`` has no effect (a literal or a name)."""
    return type(e) in (ast.IntLit, ast.StringLit, ast.FloatLit, ast.BoolLit, ast.NilLit, ast.Name)
