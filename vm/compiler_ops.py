"""Operator compilation (language.md §8), a mixin of :class:`vm.compiler.Compiler`
(through :class:`vm.compiler_exprs.ExprCompiler`).

Operators use Python's own where its semantics are the language's and a
helper of :mod:`vm.runtime.ops` elsewhere (guides/compiling-to-python.md):

- when the type facts (:mod:`vm.compiler_types`) prove both operands ``int``
  (or both ``string`` for ``+`` and comparisons, lists for ``+``), the native
  operator; two dicts merge as ``{**a, **b}``;
- an arithmetic/comparison tree over names and int literals (``x % 3 == 0``)
  tests its unknown names once: ``fast if type(x) is int else slow``, the
  fast branch compiled as if they were proven ints;
- when operands are plain names or constants, an inline guard
  ``(a + b) if type(a) is int and type(b) is int else add(a, b)``;
- otherwise the helper.

Equality with a string, ``nil`` or boolean literal is Python's ``==``/``is``
(Harn and Python agree there), and so is ``a % k == 0`` for a proven int
(both remainders are zero exactly when ``k`` divides ``a``); ``&&``/``||``
produce bools through conditional expressions.
"""

from __future__ import annotations

import ast as py
from typing import Any

from lang import ast
from vm import pyast as P

_PY_OPS = {"+": py.Add(), "-": py.Sub(), "*": py.Mult()}
_HELPERS = {"+": "$add", "-": "$sub", "*": "$mul", "/": "$div", "%": "$mod", "**": "$pow"}
_CMP = {"<": py.Lt(), ">": py.Gt(), "<=": py.LtE(), ">=": py.GtE()}
_CMP_HELPERS = {"<": "$lt", ">": "$gt", "<=": "$le", ">=": "$ge"}
_TREE_ARITH = frozenset({"+", "-", "*", "/", "%"})
_TREE_CMP = frozenset({"==", "!=", "<", ">", "<=", ">="})


def _tree_ops(e: ast.Node, root: bool, res: Any, types: Any, unknown: list) -> int:
    """Operators in an int-able tree rooted at ``e`` (-1 if it is not one),
    collecting the names whose facts are unknown into ``unknown``."""
    t = type(e)
    if t is ast.IntLit:
        return 0
    if t is ast.Name:
        b = res.uses.get(e)
        if b is None or b.kind in ("enum", "type"):
            return -1
        fact = types.of(e)
        if fact is None:
            if b not in unknown:
                unknown.append(b)
            return 0
        return 0 if fact == "int" else -1
    if t is ast.Unary and e.op == "-":
        n = _tree_ops(e.operand, False, res, types, unknown)
        return -1 if n < 0 else n + 1
    if t is ast.Binary and (e.op in _TREE_ARITH or (root and e.op in _TREE_CMP)):
        a = _tree_ops(e.left, False, res, types, unknown)
        b2 = _tree_ops(e.right, False, res, types, unknown) if a >= 0 else -1
        return -1 if b2 < 0 else a + b2 + 1
    return -1


def _simple(e: py.expr) -> bool:
    return isinstance(e, (py.Name, py.Constant))


def _is_int_const(e: py.expr) -> bool:
    return isinstance(e, py.Constant) and type(e.value) is int


def _type_is(e: py.expr, cls: str) -> py.expr:
    return P.is_(P.call("$T", e), P.name(cls))


class OperatorCompiler:
    """The operator half of expression compilation (see the module docstring)."""

    # ------------------------------------------------------------ operators

    def e_Unary(self, e: ast.Unary) -> py.expr:
        if e.op == "!":
            return P.not_(self.cond(e.operand))
        operand = e.operand
        if type(operand) in (ast.IntLit, ast.FloatLit):
            return P.const(-operand.value)
        v = self.expr(operand)
        if self.types.of(operand) in ("int", "float", "num"):
            return py.UnaryOp(op=py.USub(), operand=v)
        if _simple(v):
            return P.ifexp(_type_is(v, "$int"), py.UnaryOp(op=py.USub(), operand=v),
                           P.call("$neg", v))
        return P.call("$neg", v)

    def e_Ternary(self, e: ast.Ternary) -> py.expr:
        if self.needs_stmts(e.then) or self.needs_stmts(e.else_):
            def into(t: str) -> None:
                c = self.cond(e.cond)
                then = self.sub(lambda: self.emit(P.assign(t, self.expr(e.then))))  # type: ignore
                other = self.sub(lambda: self.emit(P.assign(t, self.expr(e.else_))))  # type: ignore
                self.emit(P.if_(c, then, other))  # type: ignore[attr-defined]
            return self.via_stmts(into)
        return P.ifexp(self.cond(e.cond), self.expr(e.then), self.expr(e.else_))

    def e_Binary(self, e: ast.Binary) -> py.expr:
        op = e.op
        if op in ("&&", "||"):
            return self.logical(e)
        if op == "??":
            return self.coalesce(e)
        if not self.types.assume and not self.no_hoist:
            guarded = self.hoisted_guard(e)
            if guarded is not None:
                return guarded
        if op in ("==", "!="):
            divisible = self.divisibility(e)
            if divisible is not None:
                return divisible
        left, right = self.exprs([e.left, e.right])
        if op in ("+", "-", "*"):
            return self.arith(op, left, right, e)
        if op in ("/", "%"):
            return self.divmod(op, left, right, e)
        if op == "**":
            return P.call("$pow", left, right)
        if op in ("==", "!="):
            return self.equality(op, left, right, e)
        if op in _CMP:
            return self.ordering(op, left, right, e)
        if op == "in":
            return P.call("$in", left, right)
        if op == "not in":
            return P.call("$not_in", left, right)
        raise AssertionError(op)

    def divisibility(self, e: ast.Binary) -> py.expr | None:
        """``a % k == 0`` (and ``!=``) on a proven int ``a`` and a non-zero int
        literal ``k``: Harn's remainder takes the dividend's sign and Python's
        the divisor's, but both are zero exactly when ``k`` divides ``a``."""
        m, zero = e.left, e.right
        if type(m) is not ast.Binary:
            m, zero = zero, m
        if type(m) is not ast.Binary or m.op != "%" or type(zero) is not ast.IntLit \
                or zero.value != 0 or type(m.right) is not ast.IntLit or m.right.value == 0 \
                or self.types.of(m.left) != "int":
            return None
        a = self.expr(m.left)
        rem = P.binop(a, py.Mod(), P.const(m.right.value))
        P.locate(rem, self.span(m))  # type: ignore[attr-defined]
        return P.compare(rem, py.Eq() if e.op == "==" else py.NotEq(), P.const(0))

    def hoisted_guard(self, e: ast.Binary) -> py.expr | None:
        """One type test for a whole arithmetic/comparison tree over names and
        int literals: ``fast if type(a) is int and type(b) is int else slow``,
        where ``fast`` is compiled assuming the tested names hold ints (native
        operators throughout) and ``slow`` is the ordinary guarded form. Only
        names are tested and the tree has no calls, so either branch does
        exactly what the other would."""
        unknown: list[Any] = []
        if _tree_ops(e, True, self.res, self.types, unknown) < 2 or not unknown:
            return None
        types = self.types
        types.assume = {b: "int" for b in unknown}
        try:
            fast = self.expr(e)
        finally:
            types.assume = {}
        self.no_hoist = True
        try:
            slow = self.expr(e)
        finally:
            self.no_hoist = False
        guard = P.and_(*(_type_is(P.name(b.py_name), "$int") for b in unknown))
        return P.ifexp(guard, fast, slow)

    def logical(self, e: ast.Binary) -> py.expr:
        if self.needs_stmts(e.right):
            def into(t: str) -> None:
                a = self.cond(e.left)
                rest = self.sub(lambda: self.emit(P.assign(t, self.as_bool(e.right))))  # type: ignore
                if e.op == "&&":
                    self.emit(P.if_(a, rest, [P.assign(t, P.const(False))]))  # type: ignore
                else:
                    self.emit(P.if_(a, [P.assign(t, P.const(True))], rest))  # type: ignore
            return self.via_stmts(into)
        a = self.cond(e.left)
        b = self.as_bool(e.right)
        if e.op == "&&":
            return P.ifexp(a, b, P.const(False))
        return P.ifexp(a, P.const(True), b)

    def coalesce(self, e: ast.Binary) -> py.expr:
        if self.needs_stmts(e.right):
            def into(t: str) -> None:
                self.emit(P.assign(t, self.expr(e.left)))  # type: ignore[attr-defined]
                rest = self.sub(lambda: self.emit(P.assign(t, self.expr(e.right))))  # type: ignore
                self.emit(P.if_(P.is_(P.name(t), P.const(None)), rest))  # type: ignore
            return self.via_stmts(into)
        a = self.expr(e.left)
        b = self.expr(e.right)
        if isinstance(a, py.Name):
            return P.ifexp(P.is_not(a, P.const(None)), P.name(a.id), b)
        t = self.temp()  # type: ignore[attr-defined]
        return P.ifexp(P.is_not(P.walrus(t, a), P.const(None)), P.name(t), b)

    def arith(self, op: str, a: py.expr, b: py.expr, e: ast.Binary) -> py.expr:
        ta = self.types.of(e.left)
        tb = self.types.of(e.right)
        native = P.binop(a, _PY_OPS[op], b)
        if (ta == "int" and tb == "int") or (op == "+" and ta == tb and ta in ("string", "list")):
            return native
        if op == "+" and ta == tb == "dict":  # merge, the right side wins (§8.1)
            if isinstance(b, py.Dict):
                return py.Dict(keys=[None] + b.keys, values=[a] + b.values)
            return py.Dict(keys=[None, None], values=[a, b])
        if (ta in ("int", "float", "num") and tb in ("int", "float", "num")
                and (ta == "float" or tb == "float")):
            return native if op != "*" else P.call("$mul", a, b)
        return self.int_guard(a, b, ta, tb, lambda x, y: P.binop(x, _PY_OPS[op], y),
                              _HELPERS[op])

    def int_guard(self, a: py.expr, b: py.expr, ta: Any, tb: Any, native, helper: str
                  ) -> py.expr:
        """``native(a, b)`` when both are ints at run time, else ``helper(a, b)``.
        Operands that are not names or constants are captured with ``:=``."""
        a_int = ta == "int" or _is_int_const(a)
        b_int = tb == "int" or _is_int_const(b)
        if a_int and b_int:
            return native(a, b)
        if _simple(a) and _simple(b):
            checks = []
            if not a_int:
                checks.append(_type_is(a, "$int"))
            if not b_int:
                checks.append(_type_is(b, "$int"))
            return P.ifexp(P.and_(*checks), native(a, b), P.call(helper, a, b))
        # Evaluate each operand once, left to right; the chained ``is`` tests
        # both types only after both operands ran.
        sides = []
        for x in (a, b):
            if _simple(x):
                sides.append((x, x))
            else:
                t = self.temp()  # type: ignore[attr-defined]
                sides.append((P.walrus(t, x), P.name(t)))
        (wa, ra), (wb, rb) = sides
        test = py.Compare(left=P.call("$T", wa), ops=[py.Is(), py.Is()],
                          comparators=[P.call("$T", wb), P.name("$int")])
        return P.ifexp(test, native(ra, rb), P.call(helper, ra, rb))

    def divmod(self, op: str, a: py.expr, b: py.expr, e: ast.Binary) -> py.expr:
        """Python's ``//``/``%`` agree with Harn's for a non-negative int and a
        positive int constant; anything else goes through the helper."""
        helper = P.call(_HELPERS[op], a, b)
        ta = self.types.of(e.left)
        b_pos = _is_int_const(b) and b.value > 0
        if not b_pos:
            return helper
        pyop = py.FloorDiv() if op == "/" else py.Mod()
        if not _simple(a):
            if ta != "int":
                return helper
            # (t % k) if (t := a) >= 0 else mod(t, k): ``a`` runs once.
            t = self.temp()  # type: ignore[attr-defined]
            return P.ifexp(P.compare(P.walrus(t, a), py.GtE(), P.const(0)),
                           P.binop(P.name(t), pyop, b), P.call(_HELPERS[op], P.name(t), b))
        checks = []
        if ta != "int":
            checks.append(_type_is(a, "$int"))
        checks.append(P.compare(a, py.GtE(), P.const(0)))
        return P.ifexp(P.and_(*checks), P.binop(a, pyop, b), helper)

    def equality(self, op: str, a: py.expr, b: py.expr, e: ast.Binary) -> py.expr:
        eq = op == "=="
        if isinstance(a, py.Constant) and isinstance(b, py.Constant):
            return P.call("$eq" if eq else "$ne", a, b)
        for x, y in ((a, b), (b, a)):
            if isinstance(y, py.Constant):
                v = y.value
                if v is None or type(v) is bool:
                    return P.is_(x, y) if eq else P.is_not(x, y)
                if type(v) is str:
                    return P.compare(x, py.Eq() if eq else py.NotEq(), y)
        ta = self.types.of(e.left)
        tb = self.types.of(e.right)
        native = P.compare(a, py.Eq() if eq else py.NotEq(), b)
        if ta == tb and ta in ("int", "string"):
            return native
        helper = P.call("$eq" if eq else "$ne", a, b)
        if _is_int_const(a) or _is_int_const(b):
            x_is_a = _is_int_const(b)
            x = a if x_is_a else b
            if (ta if x_is_a else tb) == "int":
                return native
            if _simple(x):
                return P.ifexp(_type_is(x, "$int"), native, helper)
            # Capture the other operand once: (t == 3) if type(t := e) is int else eq(t, 3)
            t = self.temp()  # type: ignore[attr-defined]
            k = b if x_is_a else a
            pair = (P.name(t), k) if x_is_a else (k, P.name(t))
            op = py.Eq() if eq else py.NotEq()
            return P.ifexp(_type_is(P.walrus(t, x), "$int"), P.compare(pair[0], op, pair[1]),
                           P.call("$eq" if eq else "$ne", *pair))
        return helper

    def ordering(self, op: str, a: py.expr, b: py.expr, e: ast.Binary) -> py.expr:
        ta = self.types.of(e.left)
        tb = self.types.of(e.right)
        native = P.compare(a, _CMP[op], b)
        if (ta == "int" and tb == "int") or (ta == "string" and tb == "string"):
            return native
        return self.int_guard(a, b, ta, tb, lambda x, y: P.compare(x, _CMP[op], y),
                              _CMP_HELPERS[op])
