"""Local type facts for the compiler: which expressions are surely ints, strings...

A small flow-insensitive inference over one resolved program, used only to
pick native Python operators (guides/compiling-to-python.md: a guarded
``+`` costs 1.5x the native one, a helper call 2.2x). Facts are types of
values, as names: ``int float num string bool nil list dict range`` (``num``
= int or float), ``struct:<global>:<f1=t1,f2=>`` (an instance of one declared
struct with at least those fields assigned, with their facts when known),
``list:<t>`` (a list whose elements all have the scalar fact ``t``; ``list:?``
is the empty list) and ``dict:<k1=t1,k2=>`` (a dict surely holding those keys);
``None`` means unknown. :meth:`TypeFacts.of` answers the base kind (``list``,
``dict``, ``struct:...``), :meth:`TypeFacts.full` the whole fact.

Algorithm: every *slot* (a binding, or the return value of a named ``fn``)
collects its *sources*: initialiser, assigned values (``x op= e`` as
``x op e``), ints for a ``for`` over a range, the checked kind of an
annotated parameter, the arguments of every call of a ``fn`` that never
escapes (all its calls are visible, so its parameters are exactly what they
pass), a function's returned values. Starting from "no value yet" for every
slot, each round recomputes every slot as the join of its sources until
nothing changes (types only grow, so this terminates); a slot still without
a value is unknown. Joins: equal types stay, int and float give num, two
lists keep the join of their element facts, two dicts or two instances of one
struct keep the keys both surely have; anything else is unknown.

Stdlib knowledge (sound by reading the implementations, kept in two small
tables): the result facts of a few methods on a receiver of known kind
(``range.to_list()`` is a ``list:int``, ``s.split(sep)`` a ``list:string``...),
and the list methods that call a callback with each element
(``xs.filter({ x -> ... })``: a closure literal there gets the element fact
for its first parameter). When the static checker ran (``lang run``), its
*proven* facts (``CheckResult.proven_kind``/``struct_of``, never the gradual
static types) answer where the local inference has nothing.

Facts must be *sound*: an unknown is always safe, a wrong fact miscompiles.
Names that could hold anything (destructured, caught, matched, imported,
parameters of escaping functions) stay unknown; host functions may shadow
builtins, so builtin facts are used only for names the host left alone. A
binding whose contents are assigned in place (``x[i] = v``, ``x.f = v``)
keeps only its kind and (dicts, structs) its keys: assignment never removes
one.
"""

from __future__ import annotations

import re
from typing import Any

from lang import ast
from lang.resolve import FuncInfo, Resolution

_BOTTOM = "<bottom>"
_NUMS = ("int", "float", "num")
_SCALARS = ("int", "float", "num", "string", "bool")
_BOOL_OPS = frozenset({"==", "!=", "<", ">", "<=", ">=", "in", "not in", "&&", "||"})
_ANNOTATED = {"int": "num", "float": "num", "string": "string", "bool": "bool", "list": "list"}
_BUILTIN_RESULTS = {"len": "int", "to_string": "string", "type_of": "string", "range": "range"}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CLOSURES = (ast.Closure, ast.FnExpr)
_CHECKED = {"int": "int", "float": "float", "number": "num", "string": "string", "bool": "bool"}

# Result facts of methods on a receiver of a known kind ("same": the receiver's
# own fact). Only methods whose implementation returns that kind for every
# argument (vm/stdlib: lists.py, strings.py, iterators.py, dicts.py).
METHOD_RESULTS: dict[str, dict[str, str]] = {
    "range": {"to_list": "list:int", "len": "int", "count": "int", "empty": "bool",
              "contains": "bool"},
    "string": {"len": "int", "count": "int", "empty": "bool", "contains": "bool",
               "starts_with": "bool", "ends_with": "bool", "split": "list:string",
               "trim": "string", "trim_start": "string", "trim_end": "string",
               "lower": "string", "to_lower": "string", "lowercase": "string",
               "upper": "string", "to_upper": "string", "uppercase": "string",
               "index_of": "int"},
    "list": {"count": "int", "empty": "bool", "reverse": "same", "sort": "same",
             "join": "string"},
    "dict": {"keys": "list:string"},
}
# List methods returning a list when given a callable ("same": a list with the
# receiver's elements), here a closure literal.
CALLBACK_RESULTS = {"filter": "same", "sort_by": "same", "map": "list", "flat_map": "list"}
# List methods calling their first argument with each element as its only argument.
ELEMENT_CALLBACKS = frozenset({"map", "filter", "flat_map", "find", "find_index", "any", "all",
                               "every", "none", "sort_by"})


def base(fact: str | None) -> str | None:
    """The kind of a fact: ``list:int`` -> ``list``, ``dict:a=`` -> ``dict``."""
    if fact is None:
        return None
    if fact.startswith("list:"):
        return "list"
    if fact.startswith("dict:"):
        return "dict"
    return fact


def list_elem(fact: str | None) -> str | None:
    """The element fact of a ``list:<t>`` fact (``?``: no element), else None."""
    if fact is not None and fact.startswith("list:"):
        return fact[5:]
    return None


def dict_keys(fact: str | None) -> dict[str, str] | None:
    """``{key: fact or ""}`` of the keys a ``dict:`` fact surely holds."""
    if fact is None or not fact.startswith("dict:"):
        return None
    return _parse_fields(fact[5:])


def _parse_fields(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if text:
        for item in text.split(","):
            k, _, t = item.partition("=")
            out[k] = t
    return out


def _fields_text(fields: dict[str, str]) -> str:
    return ",".join(f"{k}={fields[k]}" for k in sorted(fields))


def _dict_fact(fields: dict[str, str]) -> str:
    return "dict:" + _fields_text(fields)


def _join_elem(a: str, b: str) -> str | None:
    if a == "?":
        return b
    if b == "?" or a == b:
        return a
    if a in _NUMS and b in _NUMS:
        return "num"
    return None


def _common(fa: dict[str, str], fb: dict[str, str]) -> dict[str, str]:
    return {k: (fa[k] if fa[k] == fb[k] else "") for k in fa.keys() & fb.keys()}


def join(a: str | None, b: str | None) -> str | None:
    if a == _BOTTOM:
        return b
    if b == _BOTTOM:
        return a
    if a == b:
        return a
    if a in _NUMS and b in _NUMS:
        return "num"
    ka, kb = base(a), base(b)
    if ka == "list" and kb == "list":
        ea, eb = list_elem(a), list_elem(b)
        e = _join_elem(ea, eb) if ea is not None and eb is not None else None
        return "list" if e is None else "list:" + e
    if ka == "dict" and kb == "dict":
        da, db = dict_keys(a), dict_keys(b)
        return "dict" if da is None or db is None else _dict_fact(_common(da, db))
    if a and b and a.startswith("struct:") and b.startswith("struct:"):
        ga, fa = _struct_parts(a)
        gb, fb = _struct_parts(b)
        if ga == gb:
            return _struct_fact(ga, _common(fa, fb))
    return None


def _struct_parts(fact: str) -> tuple[str, dict[str, str]]:
    _, g, fields = fact.split(":", 2)
    return g, _parse_fields(fields)


def _struct_fact(g: str, fields: dict[str, str]) -> str:
    return f"struct:{g}:" + _fields_text(fields)


def arith(op: str, a: str | None, b: str | None) -> str | None:
    if a == _BOTTOM or b == _BOTTOM:
        return _BOTTOM
    if a in _NUMS and b in _NUMS:
        if a == "int" and b == "int":
            return "int"
        if a == "float" or b == "float":
            return "float"
        return "num"
    if op == "+":
        if a == b == "string":
            return a
        ka, kb = base(a), base(b)
        if ka == kb == "list":
            return join(a, b)
        if ka == kb == "dict":
            return merged(a, b)
    if op == "*" and ((a == "string" and b == "int") or (a == "int" and b == "string")):
        return "string"
    return None


def merged(a: str | None, b: str | None) -> str:
    """The fact of ``a + b`` on dicts: keys of both; the right side's win."""
    da, db = dict_keys(a), dict_keys(b)
    fields = {k: "" for k in da or ()}
    fields.update(db or {})
    return _dict_fact(fields) if fields or (da is not None and db is not None) else "dict"


def struct_fields(fact: str | None) -> tuple[str, dict[str, str]] | None:
    """``(struct global, {assigned field: its type fact or ""})`` of a struct fact."""
    if fact is None or not fact.startswith("struct:"):
        return None
    return _struct_parts(fact)


def _scalar(fact: str | None) -> str:
    return fact if fact in _SCALARS else ""


class TypeFacts:
    def __init__(self, res: Resolution, struct_globals: dict | None = None,
                 trusted_builtins: set[str] | None = None, checked: Any = None) -> None:
        self.res = res
        self.struct_globals = struct_globals or {}
        self.trusted = trusted_builtins if trusted_builtins is not None else set(
            _BUILTIN_RESULTS)
        self.checked = checked  # typechecker.api.CheckResult of this program, or None
        self.types: dict[Any, str | None] = {}
        self.sources: dict[Any, list[Any]] = {}
        self.mutated: set[Any] = set()  # roots of ``x.f = v`` / ``x[i] = v``
        self.reading: set[Any] | None = None  # slots read while computing one slot
        self.assume: dict[Any, str] = {}  # bindings a guarded fast path has tested
        self.collect()
        self.solve()

    # ------------------------------------------------------------ queries

    def of(self, node: ast.Node | None) -> str | None:
        """The kind of ``node``'s value (``list`` and ``dict`` without detail)."""
        return base(self.full(node))

    def full(self, node: ast.Node | None) -> str | None:
        t = self._of(node)
        if t == _BOTTOM:
            return None
        if t is None and self.checked is not None and node is not None:
            t = self.checked_fact(node)
        return t

    def binding(self, b: Any) -> str | None:
        """The fact of a binding as its readers see it."""
        return self._read(b)

    def checked_fact(self, node: ast.Node) -> str | None:
        """What the checker proved about ``node`` (kinds of scalars, structs)."""
        try:
            k = self.checked.proven_kind(node)
            if k is not None:
                return _CHECKED.get(k)
            name = self.checked.struct_of(node)
        except Exception:  # noqa: BLE001 - facts are an optimisation, never a failure
            return None
        if name is None:
            return None
        decls = [d for d in self.struct_globals
                 if type(d) is ast.StructDecl and d.name == name]
        if len(decls) != 1:
            return None
        return _struct_fact(self.struct_globals[decls[0]], {})

    def _read(self, b: Any) -> str | None:
        if self.assume:
            a = self.assume.get(b)
            if a is not None:
                return a
        if self.reading is not None:
            self.reading.add(b)
        fact = self.types.get(b)
        if b in self.mutated and fact:
            if fact.startswith("struct:"):
                g, fields = _struct_parts(fact)
                return _struct_fact(g, {k: "" for k in fields})
            if fact.startswith("list:"):
                return "list"
            if fact.startswith("dict:"):
                return _dict_fact({k: "" for k in _parse_fields(fact[5:])})
        return fact

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
            return self.list_lit(node)
        if t is ast.DictLit:
            return self.dict_lit(node)
        if t is ast.RangeExpr:
            return "range"
        if t is ast.Name:
            b = self.res.uses.get(node)
            if b is None:
                return None
            return self._read(b)
        if t is ast.Member and not node.optional:
            if self.res.enum_refs.get(node) is not None:
                return None
            obj = self._of(node.obj)
            if obj == _BOTTOM:
                return _BOTTOM
            sf = struct_fields(obj)
            if sf is not None:
                return sf[1].get(node.name) or None
            keys = dict_keys(obj)
            if keys is not None:
                return keys.get(node.name) or None
            return None
        if t is ast.MethodCall:
            return self.method_result(node)
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
                    given[e.key.value] = _scalar(ft)
            return _struct_fact(g, given)
        return None

    def list_lit(self, node: ast.ListLit) -> str | None:
        elem = "?"
        for el in node.elements:
            if type(el) is ast.Spread:
                return "list"
            ft = self._of(el)
            if ft == _BOTTOM:
                return _BOTTOM
            if ft not in _SCALARS:
                return "list"
            j = _join_elem(elem, ft)
            if j is None:
                return "list"
            elem = j
        return "list:" + elem

    def dict_lit(self, node: ast.DictLit) -> str | None:
        fields: dict[str, str] = {}
        for en in node.entries:
            if type(en) is ast.Spread or en.key_kind == "computed":
                return "dict"
            key = en.key.value
            ft = self._of(en.value)
            if ft == _BOTTOM:
                return _BOTTOM
            if type(key) is str and _KEY.match(key):
                fields[key] = _scalar(ft)
        return _dict_fact(fields)

    def method_result(self, node: ast.MethodCall) -> str | None:
        if node.optional or self.res.enum_refs.get(node) is not None:
            return None
        recv = self._of(node.obj)
        if recv == _BOTTOM:
            return _BOTTOM
        kind = base(recv)
        if kind == "list" and node.name in CALLBACK_RESULTS and len(node.args) == 1 \
                and type(node.args[0]) in _CLOSURES:
            r = CALLBACK_RESULTS[node.name]
            return recv if r == "same" else r
        table = METHOD_RESULTS.get(kind or "")
        if table is None:
            return None
        r = table.get(node.name)
        return recv if r == "same" else r

    def receiver_kind(self, node: ast.MethodCall) -> str | None:
        """The kind of a method call's receiver (``string``, ``list``...)."""
        return self.of(node.obj)

    def iter_source(self, node: ast.Node, compiled: Any) -> Any:
        """What a ``for`` loop iterates: a list as is, a range of proven ints as
        Python's ``range``, anything else through ``$iterate(v)``."""
        import ast as py

        from vm import pyast as P

        t = type(node)
        if t is ast.RangeExpr and self.of(node.lo) == "int" and self.of(node.hi) == "int":
            lo, hi = compiled.args[0], compiled.args[1]
            if not node.exclusive:
                hi = P.binop(hi, py.Add(), P.const(1))
            return P.call("$pyrange", lo, hi)
        if t is ast.Call and node.callee.name == "range" and "range" in self.trusted \
                and self.res.uses.get(node.callee) is None and 1 <= len(node.args) <= 2 \
                and all(self.of(a) == "int" for a in node.args) \
                and len(compiled.args) == len(node.args):
            return P.call("$pyrange", *compiled.args)
        if self.of(node) == "list":
            return compiled
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
                    self.add(b, _Items(node.iterable))
        for node in res.nodes(ast.Call):
            self.call_site(node.callee, node.args, fixed_params)
        for node in res.nodes(ast.Pipe):
            if type(node.right) is ast.Name:
                self.call_site(node.right, [node.left], fixed_params)
        for node in res.nodes(ast.MethodCall):
            self.callback_site(node, fixed_params)
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

    def callback_site(self, node: ast.MethodCall, fixed: set[Any]) -> None:
        """``xs.filter({ x -> ... })``: a list method calls the closure literal with
        each element, so its first parameter holds the elements (nothing else
        can call it: it is nowhere else)."""
        if node.name not in ELEMENT_CALLBACKS or len(node.args) != 1 or node.optional:
            return
        fn = node.args[0]
        if type(fn) not in _CLOSURES or not fn.params or fn.params[0].rest:
            return
        info = self.res.funcs.get(fn)
        if info is None or not info.params or info.params[0] is None:
            return
        pb = info.params[0]
        fixed.add(pb)
        self.add(pb, _Elements(node.obj))
        if fn.params[0].default is not None:
            self.add(pb, fn.params[0].default)

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
        ts = type(src)
        if ts is _Items:
            it = self._of(src.iterable)
            if it == _BOTTOM:
                return _BOTTOM
            if it == "range":
                return "int"
            e = list_elem(it)
            return None if e is None or e == "?" else e
        if ts is _Elements:
            it = self._of(src.receiver)
            if it == _BOTTOM:
                return _BOTTOM
            e = list_elem(it)
            return None if e is None or e == "?" else e
        return self._of(src)


class _Items:
    """Source of a ``for`` variable: ints over a range, the elements of a list."""

    __slots__ = ("iterable",)

    def __init__(self, iterable: ast.Node) -> None:
        self.iterable = iterable


class _Elements:
    """Source of a callback's parameter: the elements of the receiver list."""

    __slots__ = ("receiver",)

    def __init__(self, receiver: ast.Node) -> None:
        self.receiver = receiver


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
