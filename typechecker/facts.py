"""Proven facts for the compiler's fast paths (see :mod:`typechecker.api`).

Static types are gradual: an annotation on ``let`` is never checked at run
time, so ``let n: int = f()`` proves nothing about ``n``. This pass computes
what *does* hold for every run, from constructs whose run-time kind is
certain:

* literals; ``!``, comparisons, ``&&``, ``||``, ``in`` (always ``bool``);
  interpolated strings;
* ``+ - * / %`` on proven operands (``int`` with ``int`` gives ``int``: our
  integers do not wrap; a ``float`` side gives ``float``; ``number`` is "int
  or float"), ``string + string``, ``string * int``; unary ``-``;
* immutable bindings (``let``, single name) of a proven value, through the
  lexical scope chain (closures capture snapshots, so a ``let`` never changes);
* parameters whose annotation the VM enforces on entry (types.md §15):
  ``int``/``float`` prove ``number`` (the check accepts either), ``string``
  and ``bool`` prove themselves;
* a few builtins whose result kind is fixed (``to_string``, ``type_of``,
  ``json_stringify`` give ``string``; ``len`` gives ``int``) when the name is
  not shadowed.

Every other binding form (``var``, destructuring, ``for``, match arms,
``catch``, nested ``fn`` names...) shadows with "unknown". ``struct(node)``
names the struct an expression holds when it is a struct literal of a declared
struct or an immutable binding of one.
"""

from __future__ import annotations

from lang import ast
from typechecker.scope import StructInfo

NUMERIC = ("int", "float", "number")
FIXED_BUILTINS = {"to_string": "string", "type_of": "string", "json_stringify": "string",
                  "len": "int"}


class ProvenFacts:
    def __init__(self, program: ast.Program, result) -> None:
        self.kinds: dict[ast.Node, str] = {}
        self.structs: dict[ast.Node, str] = {}
        self.root_decls = result.root
        self.user_fns = set(result.root.fns or ())
        self.walk_block(program.items, [{}])

    def kind(self, node: ast.Node) -> str | None:
        return self.kinds.get(node)

    def struct(self, node: ast.Node) -> str | None:
        return self.structs.get(node)

    # ------------------------------------------------------------ scopes

    @staticmethod
    def lookup(name: str, scopes: list[dict]) -> tuple[str, str] | None:
        for s in reversed(scopes):
            if name in s:
                return s[name]
        return None

    # ------------------------------------------------------------ statements

    def walk_block(self, stmts: list[ast.Stmt], scopes: list[dict]) -> None:
        for st in stmts:
            self.stmt(st, scopes)

    def stmt(self, st: ast.Stmt, scopes: list[dict]) -> None:
        cls = type(st)
        cur = scopes[-1]
        if cls is ast.Let:
            k, sname = self.expr(st.value, scopes)
            self.bind_pattern(st.pattern, cur)
            if type(st.pattern) is ast.NamePattern and not st.mutable:
                cur[st.pattern.name] = (k, sname)
                if k is not None:
                    self.kinds[st.pattern] = k
            return
        if cls is ast.FnDecl:
            cur[st.name] = (None, None)
            self.function(st.params, st.body, scopes)
            return
        if cls is ast.ImplBlock:
            for m in st.methods:
                self.function(m.params, m.body, scopes)
            return
        if cls is ast.Pipeline:
            inner = scopes + [{p.name: (None, None) for p in st.params}]
            self.walk_block(st.body.stmts, inner)
            return
        if cls is ast.For:
            self.expr(st.iterable, scopes)
            inner = scopes + [{}]
            self.bind_pattern(st.pattern, inner[-1])
            self.walk_block(st.body.stmts, inner)
            return
        if cls is ast.Select:
            for c in st.cases:
                if c.expr is not None:
                    self.expr(c.expr, scopes)
                inner = scopes + [{c.name: (None, None)} if c.name else {}]
                self.walk_block(c.body.stmts, inner)
            return
        if cls is ast.Override:
            self.walk_block(st.body.stmts, scopes + [{p: (None, None) for p in st.params}])
            return
        for child in ast.children(st):
            if type(child) is ast.Block:
                self.walk_block(child.stmts, scopes + [{}])
            elif isinstance(child, ast.Node) and not isinstance(child, (ast.TypeName,)):
                self.expr(child, scopes)

    def bind_pattern(self, pat: ast.Node, scope: dict) -> None:
        cls = type(pat)
        if cls is ast.NamePattern:
            scope[pat.name] = (None, None)
        elif cls is ast.DictPattern:
            for f in pat.fields:
                scope[f.binds] = (None, None)
            if pat.rest:
                scope[pat.rest] = (None, None)
        elif cls is ast.ListPattern:
            for el in pat.elements:
                scope[el.name] = (None, None)
            if pat.rest:
                scope[pat.rest] = (None, None)
        elif cls is ast.PairPattern:
            scope[pat.first.name] = (None, None)
            scope[pat.second.name] = (None, None)

    def function(self, params: list[ast.Param], body: ast.Block, scopes: list[dict]) -> None:
        inner: dict = {}
        for p in params:
            k = None
            if p.type is not None and type(p.type) is ast.TypeName and not p.type.args \
                    and not p.rest:
                n = p.type.name
                k = "number" if n in ("int", "float") else n if n in ("string", "bool") else None
            if p.default is not None:
                self.expr(p.default, scopes + [inner])
            inner[p.name] = (k, None)
            if k is not None:
                self.kinds[p] = k
        self.walk_block(body.stmts, scopes + [inner, {}])

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Node, scopes: list[dict]) -> tuple[str | None, str | None]:
        r = self._expr(e, scopes)
        if r[0] is not None:
            self.kinds[e] = r[0]
        if r[1] is not None:
            self.structs[e] = r[1]
        return r

    def _expr(self, e: ast.Node, scopes: list[dict]) -> tuple[str | None, str | None]:
        cls = type(e)
        if cls is ast.IntLit:
            return "int", None
        if cls is ast.FloatLit:
            return "float", None
        if cls is ast.StringLit:
            return "string", None
        if cls is ast.BoolLit:
            return "bool", None
        if cls is ast.InterpString:
            for part in e.parts:
                if not isinstance(part, str):
                    self.expr(part, scopes)
            return "string", None
        if cls is ast.Name:
            b = self.lookup(e.name, scopes)
            return (None, None) if b is None else b
        if cls is ast.Unary:
            k, _ = self.expr(e.operand, scopes)
            if e.op == "!":
                return "bool", None
            return (k if k in NUMERIC else None), None
        if cls is ast.Binary:
            return self.binary(e, scopes), None
        if cls is ast.Ternary:
            self.expr(e.cond, scopes)
            a = self.expr(e.then, scopes)
            b = self.expr(e.else_, scopes)
            return a if a == b else (None, None)
        if cls is ast.StructLit:
            for c in ast.children(e):
                self.expr(c, scopes)
            info = self.root_decls.lookup_decl(e.name)
            shadowed = self.lookup(e.name, scopes) is not None
            return None, (e.name if type(info) is StructInfo and not shadowed else None)
        if cls is ast.Call:
            for a in e.args:
                self.expr(a, scopes)
            name = e.callee.name
            if name in FIXED_BUILTINS and name not in self.user_fns and \
                    self.lookup(name, scopes) is None:
                return FIXED_BUILTINS[name], None
            return None, None
        if cls is ast.Closure or cls is ast.FnExpr:
            self.function(e.params, e.body, scopes)
            return None, None
        if cls is ast.Pipe:
            self.expr(e.left, scopes)
            self.expr(e.right, scopes + [{"_": (None, None)}])
            return None, None
        if cls is ast.Match:
            self.expr(e.subject, scopes)
            for arm in e.arms:
                inner: dict = {}
                for p in arm.patterns:
                    for n in ast.walk(p):
                        if type(n) is ast.Name:
                            inner[n.name] = (None, None)
                if arm.guard is not None:
                    self.expr(arm.guard, scopes + [inner])
                self.walk_block(arm.body.stmts, scopes + [inner])
            return None, None
        if cls is ast.Try:
            self.walk_block(e.body.stmts, scopes + [{}])
            if e.catch_body is not None:
                self.walk_block(e.catch_body.stmts,
                                scopes + [{e.catch_name: (None, None)} if e.catch_name else {}])
            if e.finally_body is not None:
                self.walk_block(e.finally_body.stmts, scopes + [{}])
            return None, None
        if cls is ast.Parallel:
            self.expr(e.operand, scopes)
            if e.max_concurrent is not None:
                self.expr(e.max_concurrent, scopes)
            inner = {e.param: (None, None)} if e.param else {}
            self.walk_block(e.body.stmts, scopes + [inner])
            return None, None
        for child in ast.children(e):
            if type(child) is ast.Block:
                self.walk_block(child.stmts, scopes + [{}])
            else:
                self.expr(child, scopes)
        return None, None

    def binary(self, e: ast.Binary, scopes: list[dict]) -> str | None:
        a, _ = self.expr(e.left, scopes)
        b, _ = self.expr(e.right, scopes)
        op = e.op
        if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||", "in", "not in"):
            return "bool"
        if op in ("+", "-", "*", "/", "%"):
            if a in NUMERIC and b in NUMERIC:
                if a == b == "int":
                    return "int"
                if a == "float" or b == "float":
                    return "float"
                return "number"
            if op == "+" and a == b == "string":
                return "string"
            if op == "*" and {a, b} == {"string", "int"}:
                return "string"
        return None
