"""Expression inference and checks (types.md §6.1, operator rules of §16.1).

``expr(e, scope)`` returns the static type of ``e`` (``None``: untyped) after
walking its sub-expressions in source order, so inner diagnostics come before
the enclosing statement's (§1 "first error"). Dispatch is one dict lookup on
the node class. Inference follows the §6.1 table exactly, lenient quirks
included: struct fields are untyped, an untyped dict-literal value gives the
field type ``nil`` (``_`` in precise mode), a function referenced by name
without a return type has return type ``nil`` (``_`` in precise mode).

Operator diagnostics (E016-E018, W004/W005) fire only when both operands are
*named* types. §18.2: when a side is ``any``, ``unknown``, a type parameter, an
alias of an acceptable type or an opaque name the program could still run, so
those are reported as W120 with the reference's wording.
"""

from __future__ import annotations

from lang import ast
from lang.diagnostics import Edit, Fix
from typechecker import messages as M
from typechecker.narrow import apply, refine
from typechecker.scope import MISSING, AliasInfo, EnumInfo, FnContext, Scope, StructInfo
from typechecker.types import (
    ANY,
    BOOL,
    CLOSURE,
    DICT,
    FLOAT,
    INT,
    LIST,
    NEVER,
    NIL,
    RANGE,
    STRING,
    WILD,
    Applied,
    DictT,
    Field,
    FnT,
    ListT,
    Lit,
    Named,
    Never,
    Shape,
    Type,
    Union,
    named,
    show,
)

ARITH_OPS = frozenset({"-", "/", "%", "**"})
COMPARE_OPS = frozenset({"<", ">", "<=", ">="})
BOOL_OPS = frozenset({"==", "!=", "&&", "||", "in", "not in", "<", ">", "<=", ">="})
NUMERIC = frozenset({"int", "float"})
ORDERABLE = frozenset({"int", "float", "string"})
# Names that can never hold a value the operator accepts (a real run-time error).
CONCRETE = frozenset({"int", "float", "string", "bool", "nil", "list", "dict", "set", "bytes",
                      "closure", "range", "duration", "iter", "generator", "stream", "pair"})
GLOBALS = frozenset({"pi", "e", "argv", "stream"})


class ExprChecker:
    # attributes provided by Checker
    types: dict
    record: bool
    precise: bool
    extras: bool

    def expr(self, e: ast.Expr, s: Scope) -> Type | None:
        cls = type(e)
        if cls is ast.Name and not self.precise:  # the commonest node: lookup inlined
            name = e.name
            sc: Scope | None = s
            while sc is not None:
                v = sc.vars
                if v is not None:
                    t = v.get(name, MISSING)
                    if t is not MISSING:
                        if t is None:
                            break
                        if self.record:
                            self.types[e] = t  # type: ignore[assignment]
                        return t  # type: ignore[return-value]
                sc = sc.parent
            t = self.e_name(e, s)
        elif cls is ast.IntLit and -9223372036854775808 <= e.value <= 9223372036854775807:
            t = INT
        else:
            t = _EXPR[cls](self, e, s)
        if t is not None and self.record:
            self.types[e] = t
        return t

    # ------------------------------------------------------------ literals

    def e_int(self, e: ast.IntLit, s: Scope) -> Type:
        if self.extras and not (M.INT64_MIN <= e.value <= M.INT64_MAX):
            self.warn(M.W_INT_RANGE, M.int_out_of_range(self.src.text[e.start:e.end]), e)
        return INT

    def e_float(self, e, s) -> Type:
        if self.extras:
            text = self.src.text[e.start:e.end]
            if text.isdigit():  # an integer literal too large for 64 bits (lexed as float)
                self.warn(M.W_INT_RANGE, M.int_out_of_range(text), e)
        return FLOAT

    def e_string(self, e, s) -> Type:
        return STRING

    def e_bool(self, e, s) -> Type:
        return BOOL

    def e_nil(self, e, s) -> Type:
        return NIL

    def e_duration(self, e, s) -> None:
        return None

    def e_interp(self, e: ast.InterpString, s: Scope) -> Type:
        old = self.quiet
        if old < 1:
            self.quiet = 1
        try:
            for part in e.parts:
                if type(part) is not str:
                    self.expr(part, s)
        finally:
            self.quiet = old
        return STRING

    # ------------------------------------------------------------ names

    def e_name(self, e: ast.Name, s: Scope) -> Type | None:
        name = e.name
        if self.precise:
            pt = s.find_mark("precise", name)
            if pt:
                return pt[0]  # type: ignore[index]
        sc: Scope | None = s
        t = MISSING
        while sc is not None:
            v = sc.vars
            if v is not None:
                t = v.get(name, MISSING)
                if t is not MISSING:
                    break
            sc = sc.parent
        if t is MISSING:
            sig = s.lookup_fn(name)
            if sig is not None:
                return self.fn_type_of(sig)
            if self.extras:
                self.check_defined(e, s)
            return None
        if t is None:
            sig = s.lookup_fn(name)
            if sig is not None:
                return self.fn_type_of(sig)
        return t  # type: ignore[return-value]

    def check_defined(self, e: ast.Name, s: Scope) -> None:
        """W101 for a name nothing defines (our own warning, §17.3)."""
        name = e.name
        if name in GLOBALS or s.is_defined(name) or self.is_builtin_name(name):
            return
        if name in self.opts.imported_names or self.opts.wildcard_unresolved:
            return
        if s.lookup_decl(name) is not None or name.startswith("__"):
            return
        cands = [n for n in s.visible_names() if not n.startswith("__")]
        self.warn(M.W_UNDEFINED_NAME, M.undefined_name(name, _closest(name, cands)), e)

    # ------------------------------------------------------------ collections

    def e_list(self, e: ast.ListLit, s: Scope) -> Type:
        if not e.elements:
            return LIST
        items: list[Type] = []
        untyped = False
        for el in e.elements:
            if type(el) is ast.Spread:
                self.expr(el.expr, s)
                untyped = True
                continue
            t = self.expr(el, s)
            if t is None:
                untyped = True
            elif not untyped and t not in items:
                items.append(t)
        if untyped:
            return LIST
        return ListT(items[0] if len(items) == 1 else Union(tuple(items)))

    def e_dict(self, e: ast.DictLit, s: Scope) -> Type:
        if not e.entries:
            return DICT
        fields: list[Field] = []
        is_dict = False
        for entry in e.entries:
            if type(entry) is ast.Spread:
                self.expr(entry.expr, s)
                is_dict = True
                continue
            key = entry.key
            if entry.key_kind == "computed":
                self.expr(key, s)
                if type(key) is ast.Name:
                    kname = key.name
                elif type(key) is ast.StringLit:
                    kname = key.value
                else:
                    is_dict = True
                    kname = ""
            else:
                kname = key.value  # type: ignore[union-attr]
            vt = self.expr(entry.value, s)
            if not is_dict:
                if vt is None:
                    vt = WILD if self.precise else NIL
                    self.quirk_seen = True
                fields.append(Field(kname, vt))
        if is_dict:
            return DICT
        return Shape(tuple(fields))

    def e_range(self, e: ast.RangeExpr, s: Scope) -> Type:
        self.expr(e.lo, s)
        self.expr(e.hi, s)
        return RANGE

    def e_spread(self, e: ast.Spread, s: Scope) -> None:
        self.expr(e.expr, s)
        return None

    # ------------------------------------------------------------ operators

    def e_unary(self, e: ast.Unary, s: Scope) -> Type | None:
        t = self.expr(e.operand, s)
        return BOOL if e.op == "!" else t

    def e_binary(self, e: ast.Binary, s: Scope) -> Type | None:
        op = e.op
        if op == "&&" or op == "||":
            self.expr(e.left, s)
            truthy, falsy = refine(e.left, s)
            refs = truthy if op == "&&" else falsy
            self.expr(e.right, apply(refs, s) if refs else s)
            return BOOL
        lt = self.expr(e.left, s)
        rt = self.expr(e.right, s)
        return self.binary_type(e, op, lt, rt, s, report=True)

    def binary_type(self, e: ast.Node, op: str, lt: Type | None, rt: Type | None, s: Scope,
                    report: bool) -> Type | None:
        if op == "??":
            return _coalesce(lt, rt)
        if op in BOOL_OPS:
            if report and op in COMPARE_OPS and type(lt) is Named and type(rt) is Named:
                self.check_comparison(e, op, lt, rt)  # type: ignore[arg-type]
            return BOOL
        if type(lt) is not Named or type(rt) is not Named:
            return None
        ln, rn = lt.name, rt.name  # type: ignore[union-attr]
        if op == "+":
            if ln in NUMERIC and rn in NUMERIC:
                return INT if ln == rn == "int" else FLOAT
            if ln == rn and ln in ("string", "list", "dict"):
                return lt
            if report:
                fix = self.interpolation_fix(e) if "string" in (ln, rn) else None
                self.operator_error(M.E_ADD, M.cant_add(ln, rn), e, lt, rt, s, op, fix)
            return None
        if op in ARITH_OPS:
            if ln in NUMERIC and rn in NUMERIC:
                return INT if ln == rn == "int" else FLOAT
            if report:
                self.operator_error(M.E_ARITH, M.cant_use(op, ln, rn), e, lt, rt, s, op)
            return None
        if op == "*":
            if ln in NUMERIC and rn in NUMERIC:
                return INT if ln == rn == "int" else FLOAT
            if (ln == "string" and rn == "int") or (ln == "int" and rn == "string"):
                return STRING
            if report:
                self.operator_error(M.E_MUL, M.cant_multiply(ln, rn), e, lt, rt, s, op)
            return None
        return None

    def operator_error(self, code: str, msg: str, e: ast.Node, lt: Named, rt: Named, s: Scope,
                       op: str, fix: Fix | None = None) -> None:
        quirk = self.could_run(lt, rt, op, s)
        if not quirk:
            # `{a: x}.a` is `nil` only by the dict-literal quirk: decide on quirk-free types
            sides = (e.left, e.right) if type(e) is ast.Binary else \
                (e.target, e.value) if type(e) is ast.Assign else None  # type: ignore
            if sides is not None:
                pl, pr = self.precise_type(sides[0], s), self.precise_type(sides[1], s)
                quirk = type(pl) is not Named or type(pr) is not Named or \
                    self.could_run(pl, pr, op, s)  # type: ignore[arg-type]
        node = e
        self.error_or_quirk(quirk, code, msg, node, fix=fix)

    def could_run(self, lt: Named, rt: Named, op: str, s: Scope) -> bool:
        """§18.2: whether values of these named types might make the operator succeed."""
        a, b = self.concrete_names(lt, s), self.concrete_names(rt, s)
        if a is None or b is None:
            return True
        for x in a:
            for y in b:
                if _op_ok(op, x, y):
                    return True
        return False

    def concrete_names(self, t: Type, s: Scope) -> set[str] | None:
        """Run-time kinds a value of ``t`` may have, ``None`` if anything is possible."""
        for _ in range(20):
            if type(t) is Named:
                name = t.name  # type: ignore[union-attr]
                if name in CONCRETE:
                    return {name}
                info = s.lookup_decl(name)
                if type(info) is AliasInfo:
                    t = info.body  # type: ignore[union-attr]
                    continue
                if type(info) is StructInfo:
                    return {"struct"}
                if type(info) is EnumInfo:
                    return {"enum"}
                return None
            if type(t) is Union:
                out: set[str] = set()
                for m in t.members:  # type: ignore[union-attr]
                    r = self.concrete_names(m, s)
                    if r is None:
                        return None
                    out |= r
                return out
            if type(t) is Lit:
                return {"string" if isinstance(t.value, str) else "int"}  # type: ignore
            if type(t) in (ListT,):
                return {"list"}
            if type(t) in (DictT, Shape):
                return {"dict"}
            return None
        return None

    def check_comparison(self, e: ast.Node, op: str, lt: Named, rt: Named) -> None:
        ln, rn = lt.name, rt.name
        if ln in ORDERABLE and rn in ORDERABLE:
            if (ln == "string") != (rn == "string"):
                self.warn(M.W_COMPARE_STRING, M.comparison_string(ln, rn, op), e)
            return
        self.warn(M.W_COMPARE, M.comparison(op, ln, rn), e)

    def interpolation_fix(self, e: ast.Node) -> Fix | None:
        if type(e) is not ast.Binary:
            return None
        text = self.src.text
        parts = []
        for side in (e.left, e.right):
            if type(side) is ast.StringLit and side.kind == "plain":
                parts.append(text[side.start + 1:side.end - 1])
            else:
                parts.append("${" + text[side.start:side.end] + "}")
        return Fix("use string interpolation", [Edit(e.start, e.end, '"' + "".join(parts) + '"')])

    def e_ternary(self, e: ast.Ternary, s: Scope) -> Type | None:
        self.expr(e.cond, s)
        truthy, falsy = refine(e.cond, s)
        a = self.expr(e.then, apply(truthy, s) if truthy else s)
        b = self.expr(e.else_, apply(falsy, s) if falsy else s)
        if a is None:
            return b
        if b is None:
            return a
        if a == b:
            return a
        return Union((a, b))

    def e_pipe(self, e: ast.Pipe, s: Scope) -> None:
        self.expr(e.left, s)
        inner = Scope(s)
        inner.declare("_", None)
        self.expr(e.right, inner)
        return None

    # ------------------------------------------------------------ member access

    def e_member(self, e: ast.Member, s: Scope) -> Type | None:
        obj = e.obj
        if type(obj) is ast.Name:
            et = self.enum_value_type(obj.name, e.name, None, s)
            if et is not None:
                return et
        if self.opts.strict_types:
            self.check_unvalidated(obj, e, s, "property")
        t = self.expr(obj, s)
        if t is None:
            return None
        name = e.name
        cls = type(t)
        if cls is Named:
            info = s.lookup_decl(t.name)  # type: ignore[union-attr]
            if type(info) is EnumInfo and name == "variant":
                return STRING
            if self.extras and type(info) is StructInfo and info.field(name) is None \
                    and not e.optional:
                self.warn(M.W_STRUCT_NO_FIELD, M.struct_no_field(t.name, name), e)  # type: ignore
            return None
        if cls is Applied:
            if t.name == "Pair" and len(t.args) == 2:  # type: ignore[union-attr]
                if name == "first":
                    return t.args[0]  # type: ignore[union-attr]
                if name == "second":
                    return t.args[1]  # type: ignore[union-attr]
            info = s.lookup_decl(t.name)  # type: ignore[union-attr]
            if type(info) is EnumInfo and name == "variant":
                return STRING
            return None
        if cls is Shape:
            f = t.field(name)  # type: ignore[union-attr]
            return None if f is None else f.type
        return None

    def check_unvalidated(self, obj: ast.Expr, e: ast.Node, s: Scope, what: str) -> None:
        """W014 (strict types, §12): access on an unvalidated JSON/host result."""
        if type(obj) is ast.Call and is_unvalidated_source(obj.callee.name):
            f = obj.callee.name
            msg = (f"Direct property access on unvalidated `{f}()` result" if what == "property"
                   else f"Direct subscript access on unvalidated `{f}()` result")
            self.warn(M.W_UNVALIDATED, msg, e, help="assign to a variable and validate with "
                      "schema_expect() or a type annotation first")
        elif type(obj) is ast.Name:
            src = s.find_mark("unvalidated", obj.name)
            if src:
                name = obj.name
                msg = (f"Accessing property on unvalidated value '{name}' from `{src}`"
                       if what == "property" else
                       f"Subscript access on unvalidated value '{name}' from `{src}`")
                self.warn(M.W_UNVALIDATED, msg, e, help="validate with schema_expect(), "
                          "schema_is() in an if-condition, or add a shape type annotation")

    def enum_value_type(self, ename: str, vname: str, args: list | None,
                        s: Scope) -> Type | None:
        """``E.V`` / ``E.V(args)`` with ``E`` an enum (not shadowed by a variable)."""
        info = s.lookup_decl(ename)
        if type(info) is not EnumInfo:
            return None
        if s.lookup(ename) is not MISSING:
            return None
        arg_types = [None if type(a) is ast.Spread else self.expr(a, s) for a in args or ()]
        if not info.tparams:
            return named(ename)
        bindings: dict[str, Type] = {}
        payload = info.variants.get(vname) or []
        for (_pname, ptype), at in zip(payload, arg_types, strict=False):
            if ptype is not None and at is not None:
                self.bind_generic(ptype, at, info.tparams, bindings, None, 0)
        return Applied(ename, tuple(bindings.get(p, WILD) for p in info.tparams))

    def e_index(self, e: ast.Index, s: Scope) -> Type | None:
        if self.opts.strict_types:
            self.check_unvalidated(e.obj, e, s, "subscript")
        t = self.expr(e.obj, s)
        it = self.expr(e.index, s)
        cls = type(t)
        if cls is ListT:
            return t.elem  # type: ignore[union-attr]
        if cls is DictT:
            return t.value  # type: ignore[union-attr]
        if cls is Shape and type(e.index) is ast.StringLit:
            f = t.field(e.index.value)  # type: ignore[union-attr]
            return None if f is None else f.type
        if t is STRING:
            return STRING
        del it
        return None

    def e_slice(self, e: ast.Slice, s: Scope) -> Type | None:
        t = self.expr(e.obj, s)
        if e.lo is not None:
            self.expr(e.lo, s)
        if e.hi is not None:
            self.expr(e.hi, s)
        if type(t) is ListT or t is LIST or t is STRING:
            return t
        return None

    # ------------------------------------------------------------ try forms

    def e_try_postfix(self, e: ast.TryPostfix, s: Scope) -> Type | None:
        t = self.expr(e.operand, s)
        self.throw_types[e] = t
        if type(t) is Applied and t.name == "Result" and len(t.args) == 2:  # type: ignore
            return t.args[0]  # type: ignore[union-attr]
        return None

    def e_try_star(self, e: ast.TryStar, s: Scope) -> Type | None:
        if self.fn is None:
            self.error(M.E_TRY_STAR, M.TRY_STAR, e)
        return self.expr(e.operand, s)

    # ------------------------------------------------------------ functions as values

    def e_closure(self, e: ast.Closure | ast.FnExpr, s: Scope) -> Type:
        inner = Scope(s)
        all_typed = bool(e.params)
        ptypes: list[Type] = []
        for p in e.params:
            pt = self.declare_param(p, inner, s)
            if pt is None:
                all_typed = False
            else:
                ptypes.append(pt)
        old_fn, old_loop = self.fn, self.loop_depth
        self.fn = FnContext("closure")
        self.loop_depth = 0
        try:
            exits, last = self.block(e.body, Scope(inner))
        finally:
            self.fn, self.loop_depth = old_fn, old_loop
        if not all_typed:
            return CLOSURE
        stmts = e.body.stmts
        if stmts and type(stmts[-1]) is ast.Return:
            ret: Type = NEVER
        else:
            ret = WILD if last is None else last
        return FnT(tuple(ptypes), ret)

    # ------------------------------------------------------------ tier 2 expression forms

    def e_spawn(self, e: ast.Spawn, s: Scope) -> None:
        self.block(e.body, Scope(s))
        return None

    def e_parallel(self, e: ast.Parallel, s: Scope) -> None:
        self.expr(e.operand, s)
        if e.max_concurrent is not None:
            t = self.expr(e.max_concurrent, s)
            if t is not None and t is not INT:
                # §18.2: the reference rejects every type but `int`; the run accepts
                # ints, floats and nil (an alias of int, `any`, `1 | 2`, `int | nil`...)
                kinds = self.concrete_names(t, s)
                quirk = kinds is None or not kinds.isdisjoint(("int", "float", "nil"))
                self.error_or_quirk(quirk, M.E_MAX_CONCURRENT, M.max_concurrent(show(t)),
                                    e.max_concurrent)
        inner = Scope(s)
        if e.param:
            inner.declare(e.param, INT if e.mode == "" else None)
        self.block(e.body, inner)
        return None

    def e_retry(self, e: ast.Retry, s: Scope) -> None:
        self.expr(e.count, s)
        self.block(e.body, Scope(s))
        return None

    def e_deadline(self, e: ast.Deadline, s: Scope) -> None:
        self.expr(e.duration, s)
        self.block(e.body, Scope(s))
        return None


UNVALIDATED_SOURCES = frozenset({"json_parse", "json_extract", "yaml_parse", "toml_parse"})


def is_unvalidated_source(name: str) -> bool:
    return name in UNVALIDATED_SOURCES or name.startswith(("http_", "llm_", "host_"))


def _coalesce(lt: Type | None, rt: Type | None) -> Type | None:
    if lt is None:
        return rt
    if type(lt) is Union:
        rest = [m for m in lt.members if m is not NIL]  # type: ignore[union-attr]
        if not rest:
            return rt
        return rest[0] if len(rest) == 1 else Union(tuple(rest))
    if lt is NIL:
        return rt
    return lt


def _op_ok(op: str, a: str, b: str) -> bool:
    if op == "+":
        return (a in NUMERIC and b in NUMERIC) or (a == b and a in ("string", "list", "dict")) \
            or (a == b == "duration")
    if op == "*":
        return (a in NUMERIC and b in NUMERIC) or {a, b} == {"string", "int"}
    if op == "-":
        return (a in NUMERIC and b in NUMERIC) or a == b == "duration"
    return a in NUMERIC and b in NUMERIC


def _closest(name: str, candidates) -> str | None:
    """language.md §5.1's "close" spelling: distance limit by length, then ties."""
    limit = 1 if len(name) <= 2 else 2 if len(name) <= 5 else 3
    best: tuple[int, int, str] | None = None
    for c in candidates:
        if c == name:
            continue
        if abs(len(c) - len(name)) > limit:
            continue
        d = levenshtein(name, c, limit)
        if d <= limit:
            key = (d, abs(len(c) - len(name)), c)
            if best is None or key < best:
                best = key
    return None if best is None else best[2]


def levenshtein(a: str, b: str, limit: int = 1 << 30) -> int:
    """Edit distance, computed only in the band ``|i - j| <= limit``: any result above
    ``limit`` is reported as ``limit + 1`` (callers only compare against the limit)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if la > lb:
        a, b, la, lb = b, a, lb, la
    big = limit + 1
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        ca = a[i - 1]
        lo = max(1, i - limit)
        hi = min(lb, i + limit)
        cur = [big] * (lb + 1)
        cur[0] = i if i <= limit else big
        best = cur[0]
        for j in range(lo, hi + 1):
            v = prev[j - 1] + (ca != b[j - 1])
            x = prev[j] + 1
            if x < v:
                v = x
            x = cur[j - 1] + 1
            if x < v:
                v = x
            cur[j] = v
            if v < best:
                best = v
        if best > limit:
            return big
        prev = cur
    return min(prev[lb], big)


_EXPR: dict = {
    ast.IntLit: ExprChecker.e_int,
    ast.FloatLit: ExprChecker.e_float,
    ast.StringLit: ExprChecker.e_string,
    ast.InterpString: ExprChecker.e_interp,
    ast.BoolLit: ExprChecker.e_bool,
    ast.NilLit: ExprChecker.e_nil,
    ast.DurationLit: ExprChecker.e_duration,
    ast.Name: ExprChecker.e_name,
    ast.ListLit: ExprChecker.e_list,
    ast.DictLit: ExprChecker.e_dict,
    ast.RangeExpr: ExprChecker.e_range,
    ast.Spread: ExprChecker.e_spread,
    ast.Unary: ExprChecker.e_unary,
    ast.Binary: ExprChecker.e_binary,
    ast.Ternary: ExprChecker.e_ternary,
    ast.Pipe: ExprChecker.e_pipe,
    ast.Member: ExprChecker.e_member,
    ast.Index: ExprChecker.e_index,
    ast.Slice: ExprChecker.e_slice,
    ast.TryPostfix: ExprChecker.e_try_postfix,
    ast.TryStar: ExprChecker.e_try_star,
    ast.Closure: ExprChecker.e_closure,
    ast.FnExpr: ExprChecker.e_closure,
    ast.Spawn: ExprChecker.e_spawn,
    ast.Parallel: ExprChecker.e_parallel,
    ast.Retry: ExprChecker.e_retry,
    ast.Deadline: ExprChecker.e_deadline,
}


def register(cls: type, fn) -> None:
    """Let the other mixins add their expression kinds (calls, if, match, try)."""
    _EXPR[cls] = fn


__all__ = ["ExprChecker", "register", "levenshtein", "ANY", "Never"]
