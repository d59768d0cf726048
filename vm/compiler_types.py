"""Local type facts for the compiler: which expressions are surely ints, strings...

A small flow-insensitive inference over one resolved program, used only to
pick native Python operators (guides/compiling-to-python.md: a guarded
``+`` costs 1.5x the native one, a helper call 2.2x). Facts are types of
values, as names: ``int float num string bool nil list dict range`` (``num``
= int or float) and ``struct:<global>:<f1,f2>`` (an instance of one declared
struct with at least those fields assigned); ``None`` means unknown.

Algorithm: every *slot* (a binding, or the return value of a named ``fn``)
collects its *sources*: initialiser, assigned values (``x op= e`` as
``x op e``), ints for a ``for`` over a range, the checked kind of an
annotated parameter, the arguments of every call of a ``fn`` that never
escapes (all its calls are visible, so its parameters are exactly what they
pass), a function's returned values. Starting from "no value yet" for every
slot, each round recomputes every slot as the join of its sources until
nothing changes (types only grow, so this terminates); a slot still without
a value is unknown. Joins: equal types stay, int and float give num,
anything else is unknown.

Facts must be *sound*: an unknown is always safe, a wrong fact miscompiles.
Names that could hold anything (destructured, caught, matched, imported,
parameters of escaping functions) stay unknown; host functions may shadow
builtins, so builtin facts are used only for names the host left alone.
"""

from __future__ import annotations

from typing import Any

from lang import ast
from lang.resolve import FuncInfo, Resolution

_BOTTOM = "<bottom>"
_NUMS = ("int", "float", "num")
_BOOL_OPS = frozenset({"==", "!=", "<", ">", "<=", ">=", "in", "not in", "&&", "||"})
_ANNOTATED = {"int": "num", "float": "num", "string": "string", "bool": "bool", "list": "list"}
_BUILTIN_RESULTS = {"len": "int", "to_string": "string", "type_of": "string", "range": "range"}


def join(a: str | None, b: str | None) -> str | None:
    if a == _BOTTOM:
        return b
    if b == _BOTTOM:
        return a
    if a == b:
        return a
    if a in _NUMS and b in _NUMS:
        return "num"
    if a and b and a.startswith("struct:") and b.startswith("struct:"):
        ga, fa = _struct_parts(a)
        gb, fb = _struct_parts(b)
        if ga == gb:
            common = {k: (fa[k] if fa[k] == fb[k] else "") for k in fa.keys() & fb.keys()}
            return _struct_fact(ga, common)
    return None


def _struct_parts(fact: str) -> tuple[str, dict[str, str]]:
    _, g, fields = fact.split(":", 2)
    out: dict[str, str] = {}
    if fields:
        for item in fields.split(","):
            k, _, t = item.partition("=")
            out[k] = t
    return g, out


def _struct_fact(g: str, fields: dict[str, str]) -> str:
    return f"struct:{g}:" + ",".join(f"{k}={fields[k]}" for k in sorted(fields))


def arith(op: str, a: str | None, b: str | None) -> str | None:
    if a == _BOTTOM or b == _BOTTOM:
        return _BOTTOM
    if a in _NUMS and b in _NUMS:
        if a == "int" and b == "int":
            return "int"
        if a == "float" or b == "float":
            return "float"
        return "num"
    if op == "+" and a == b and a in ("string", "list", "dict"):
        return a
    if op == "*" and ((a == "string" and b == "int") or (a == "int" and b == "string")):
        return "string"
    return None


def struct_fields(fact: str | None) -> tuple[str, dict[str, str]] | None:
    """``(struct global, {assigned field: its type fact or ""})`` of a struct fact."""
    if fact is None or not fact.startswith("struct:"):
        return None
    return _struct_parts(fact)


class TypeFacts:
    def __init__(self, res: Resolution, struct_globals: dict | None = None,
                 trusted_builtins: set[str] | None = None) -> None:
        self.res = res
        self.struct_globals = struct_globals or {}
        self.trusted = trusted_builtins if trusted_builtins is not None else set(
            _BUILTIN_RESULTS)
        self.types: dict[Any, str | None] = {}
        self.sources: dict[Any, list[Any]] = {}
        self.mutated: set[Any] = set()  # roots of ``x.f = v`` / ``x[i] = v``
        self.reading: set[Any] | None = None  # slots read while computing one slot
        self.collect()
        self.solve()

    # ------------------------------------------------------------ queries

    def of(self, node: ast.Node | None) -> str | None:
        t = self._of(node)
        return None if t == _BOTTOM else t

    def _of(self, node: Any) -> str | None:
        t = type(node)
        if t is ast.IntLit:
            return "int"
        if t is ast.FloatLit:
            return "float"
        if t is ast.StringLit or t is ast.InterpString:
            return "string"
        if t is ast.BoolLit:
            return "bool"
        if t is ast.NilLit:
            return "nil"
        if t is ast.ListLit:
            return "list"
        if t is ast.DictLit:
            return "dict"
        if t is ast.RangeExpr:
            return "range"
        if t is ast.Name:
            b = self.res.uses.get(node)
            if b is None:
                return None
            if self.reading is not None:
                self.reading.add(b)
            fact = self.types.get(b)
            if b in self.mutated and fact and fact.startswith("struct:"):
                g, fields = _struct_parts(fact)
                return _struct_fact(g, {k: "" for k in fields})
            return fact
        if t is ast.Member and not node.optional:
            obj = self._of(node.obj)
            if obj == _BOTTOM:
                return _BOTTOM
            sf = struct_fields(obj)
            if sf is not None:
                ft = sf[1].get(node.name)
                return ft or None
            return None
        if t is ast.Binary:
            if node.op in _BOOL_OPS:
                return "bool"
            if node.op in ("+", "-", "*", "/", "%"):
                return arith(node.op, self._of(node.left), self._of(node.right))
            return None
        if t is ast.Unary:
            if node.op == "!":
                return "bool"
            inner = self._of(node.operand)
            return inner if inner in _NUMS or inner == _BOTTOM else None
        if t is ast.Ternary:
            return join(self._of(node.then), self._of(node.else_))
        if t is ast.Call:
            b = self.res.uses.get(node.callee)
            if b is None:
                name = node.callee.name
                return _BUILTIN_RESULTS.get(name) if name in self.trusted else None
            if b.kind == "fn":
                info = self.res.funcs.get(b.node)
                if info is not None:
                    if self.reading is not None:
                        self.reading.add(info)
                    return self.types.get(info)
            return None
        if t is ast.StructLit:
            sb = self.res.uses.get(node)
            if sb is not None and sb.kind != "struct":  # an imported struct
                return None
            decl = self.res.struct_refs.get(node)
            if decl is None:
                return None
            g = self.struct_globals.get(decl)
            if g is None:
                return None
            declared = {f.name for f in decl.fields}
            given: dict[str, str] = {}
            for e in node.entries:
                if type(e) is ast.Spread:
                    return _struct_fact(g, {})
                if e.key_kind != "computed" and e.key.value in declared:
                    ft = self._of(e.value)
                    if ft == _BOTTOM:
                        return _BOTTOM
                    given[e.key.value] = ft if ft in ("int", "float", "num", "string",
                                                      "bool") else ""
            return _struct_fact(g, given)
        return None

    def iter_source(self, node: ast.Node, compiled: Any) -> Any:
        from vm import pyast as P

        return P.call("$iterate", compiled)

    # ------------------------------------------------------------ inference

    def add(self, slot: Any, source: Any) -> None:
        self.sources.setdefault(slot, []).append(source)

    def collect(self) -> None:
        res = self.res
        fixed_params: set[Any] = set()
        for node in res.nodes(ast.Let):
            if type(node.pattern) is ast.NamePattern:
                b = res.decls.get(node.pattern)
                if b is not None:
                    self.add(b, node.value)
        for node in res.nodes(ast.Assign):
            b = res.assign_targets.get(node)
            if b is None:
                continue
            if type(node.target) is not ast.Name:
                self.mutated.add(b)
            elif b.mutable:
                if node.op == "=":
                    self.add(b, node.value)
                else:
                    self.add(b, ast.Binary(node.start, node.end, node.op[0], node.target,
                                           node.value))
        for node in res.nodes(ast.For):
            if type(node.pattern) is ast.NamePattern:
                b = res.decls.get(node.pattern)
                if b is not None:
                    self.add(b, _RangeItems(node.iterable))
        for node in res.nodes(ast.Call):
            self.call_site(node.callee, node.args, fixed_params)
        for node in res.nodes(ast.Pipe):
            if type(node.right) is ast.Name:
                self.call_site(node.right, [node.left], fixed_params)
        for info in res.funcs.values():
            self.params(info, fixed_params)
            if info.kind == "fn":
                self.returns(info)
        for b in res.bindings:
            if b not in self.sources:
                self.sources[b] = [None]

    def call_site(self, callee: ast.Name, args: list, fixed: set[Any]) -> None:
        """Arguments of a direct call of a non-escaping fn feed its parameters."""
        b = self.res.uses.get(callee)
        if b is None:
            return
        info = self.res.funcs.get(b.node) if b.kind == "fn" else self.res.let_closures.get(b)
        if info is None or info.tolerant:  # called from places we cannot see
            return
        params = info.node.params
        rest_collects = b.kind == "fn"
        for i, p in enumerate(params):
            pb = info.params[i] if i < len(info.params) else None
            if pb is None:
                continue
            fixed.add(pb)
            if p.rest and rest_collects:
                self.add(pb, "list")
            elif i < len(args):
                a = args[i]
                self.add(pb, None if type(a) is ast.Spread else a)
            else:
                self.add(pb, p.default if p.default is not None else "nil")

    def params(self, info: FuncInfo, fixed: set[Any]) -> None:
        node = info.node
        params = getattr(node, "params", None) or []
        for i, p in enumerate(params):
            if not isinstance(p, ast.Param):
                continue
            pb = info.params[i] if i < len(info.params) else None
            if pb is None or pb in fixed:
                if pb is not None and p.default is not None:
                    self.add(pb, p.default)
                continue
            ann = p.type
            fact = None
            if type(ann) is ast.TypeName and not ann.args and not p.rest:
                fact = _ANNOTATED.get(ann.name)
            self.add(pb, fact)

    def returns(self, info: FuncInfo) -> None:
        node = info.node
        if info.is_generator or not isinstance(node, ast.FnDecl):
            self.add(info, None)
            return
        body = node.body
        for r in info.returns:
            self.add(info, r.value if r.value is not None else "nil")
        if info.has_question:
            self.add(info, None)
        if not _always_exits(body):
            self.add(info, "nil")

    def solve(self) -> None:
        """Worklist fixpoint: a slot is recomputed when a slot it read changed."""
        types = self.types
        sources = self.sources
        for slot in sources:
            types[slot] = _BOTTOM
        readers: dict[Any, set[Any]] = {}
        work = list(sources)
        queued = set(work)
        steps = 0
        limit = 50 * len(sources) + 1000
        while work:
            slot = work.pop()
            queued.discard(slot)
            steps += 1
            if steps > limit:  # did not converge: forget everything (safe)
                for k in types:
                    types[k] = None
                return
            self.reading = set()
            t: str | None = _BOTTOM
            for src in sources[slot]:
                t = join(t, self.source_type(src))
                if t is None:
                    break
            for dep in self.reading:
                readers.setdefault(dep, set()).add(slot)
            self.reading = None
            if t != types[slot]:
                types[slot] = t
                for r in readers.get(slot, ()):
                    if r not in queued:
                        queued.add(r)
                        work.append(r)
        for slot, t in types.items():
            if t == _BOTTOM:
                types[slot] = None

    def source_type(self, src: Any) -> str | None:
        if src is None or isinstance(src, str):
            return src
        if type(src) is _RangeItems:
            it = self._of(src.iterable)
            return "int" if it == "range" else (_BOTTOM if it == _BOTTOM else None)
        return self._of(src)


class _RangeItems:
    """Source of a ``for`` variable: ints when the iterable is a range."""

    __slots__ = ("iterable",)

    def __init__(self, iterable: ast.Node) -> None:
        self.iterable = iterable


def _always_exits(block: ast.Block) -> bool:
    """Does every path through ``block`` end in ``return`` or ``throw``?"""
    if not block.stmts:
        return False
    last = block.stmts[-1]
    t = type(last)
    if t is ast.Return or t is ast.Throw:
        return True
    if t is ast.ExprStmt and type(last.expr) is ast.If:
        e = last.expr
        while True:
            if e.else_ is None or not _always_exits(e.then):
                return False
            if type(e.else_) is ast.If:
                e = e.else_
                continue
            return _always_exits(e.else_)
    return False
