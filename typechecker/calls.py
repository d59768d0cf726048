"""Calls, generics, constructors and method calls (types.md §6.1, §9).

Order of checks for ``f(args)`` (§9.1): strict resolvability (E013),
deprecation (W011), ``unreachable`` (§7.5, then stop), ``-> never`` user
functions (ruled-out check), then for a *user function known by name*:
explicit type-argument count (E005/E006), arity (W003), generic binding
(E004, all before argument errors), argument types (E003), where-clauses
(E009/E010); else a builtin's explicit type arguments (E007/E008); finally
the argument expressions' own diagnostics. The arguments are walked first
(their types are needed) with their diagnostics held back and appended
after the call's, which gives exactly that order.

A name bound as a value (parameter, ``let``, closure) nearer than any
function of that name is a closure call and is not checked (§9.1 "closures
held in variables"); the reference would check it against the global
function, a false error §18.2 turns into nothing.
"""

from __future__ import annotations

from lang import ast
from lang.diagnostics import Severity
from typechecker import builtins
from typechecker import messages as M
from typechecker.assign import Assign, satisfies
from typechecker.exprs import _closest, register
from typechecker.narrow import TYPE_OF_KINDS
from typechecker.scope import (
    MISSING,
    AliasInfo,
    EnumInfo,
    FnSig,
    InterfaceInfo,
    Scope,
    StructInfo,
)
from typechecker.types import (
    BOOL,
    DICT,
    FLOAT,
    INT,
    LIST,
    NIL,
    STRING,
    WILD,
    Applied,
    DictT,
    FnT,
    IterT,
    ListT,
    Named,
    Never,
    Shape,
    Type,
    Union,
    Wild,
    from_ast,
    named,
    show,
    substitute,
)

SPECIAL_CALLABLES = frozenset({"Ok", "Err", "Some", "None"})


class CallChecker:
    # ------------------------------------------------------------ f(args)

    def e_call(self, e: ast.Call, s: Scope) -> Type | None:
        diags = self.diags
        mark = len(diags)
        expr = self.expr
        arg_types = [self.spread_arg(a, s) if type(a) is ast.Spread else expr(a, s)
                     for a in e.args]
        if len(diags) == mark:
            return self.call_checks(e, e.callee.name, arg_types, s)
        held = diags[mark:]
        del diags[mark:]
        try:
            return self.call_checks(e, e.callee.name, arg_types, s)
        finally:
            self.diags.extend(held)

    def spread_arg(self, a: ast.Spread, s: Scope) -> None:
        self.expr(a.expr, s)
        return None

    def resolve_callee(self, name: str, s: Scope) -> tuple[FnSig | None, bool]:
        """The user function ``name`` denotes, and whether a value binding shadows it."""
        sc: Scope | None = s
        while sc is not None:
            ext = sc.ext
            if ext is not None:
                fns = ext.get("fns")
                if fns is not None:
                    sig = fns.get(name)
                    if sig is not None:
                        return sig, False
            v = sc.vars
            if v is not None and name in v:
                if sc.parent is None:
                    break
                return None, True
            sc = sc.parent
        return self.root.lookup_fn(name), False

    def call_checks(self, e: ast.Call, name: str, arg_types: list, s: Scope) -> Type | None:
        sig, shadowed = self.resolve_callee(name, s)
        if self.opts.strict:
            self.check_resolvable(e, name, sig, shadowed, s)
        if sig is not None and name in self.deprecated:
            self.deprecation_warning(e)
        if name == "unreachable" and sig is None and not shadowed:
            self.check_unreachable(e, s)
            return Never()
        if name in ("Ok", "Err") and sig is None and not shadowed:
            v = WILD
            if e.args and arg_types[0] is not None:
                v = arg_types[0]
            return Applied("Result", (v, WILD) if name == "Ok" else (WILD, v))
        if sig is not None and not shadowed:
            if sig.kind == "method" and (name in self.free_fns or builtins.is_builtin(name)):
                return self.method_named_like_builtin(e, sig, name, arg_types, s)
            self.call_targets[e] = sig
            if type(sig.ret) is Never:
                self.check_ruled_out(f"{name}()", e, s)
            return self.check_user_call(e, sig, arg_types, s)
        decl = s.lookup_decl(name)
        if type(decl) is StructInfo and not shadowed:
            if decl.tparams:
                return Applied(name, tuple(WILD for _ in decl.tparams))
            return named(name)
        if shadowed:
            return None
        if builtins.is_builtin(name):
            return self.builtin_call(e, name, arg_types, s)
        if self.extras and not self.opts.strict:
            self.check_callable_defined(e, name, s)
        return None

    def check_resolvable(self, e: ast.Call, name: str, sig: FnSig | None, shadowed: bool,
                         s: Scope) -> None:
        if sig is not None or shadowed or name in SPECIAL_CALLABLES:
            return
        if name.startswith("__") or name.startswith("hostlib_"):
            return
        if builtins.is_builtin(name) or s.lookup(name) is not MISSING:
            return
        if type(s.lookup_decl(name)) in (StructInfo, EnumInfo) or \
                s.lookup_tparam(name) is not None:
            return
        if name in self.opts.imported_names:
            return
        suggestion = suggest_call(name, sorted(self.visible_fn_names(s)) +
                                  sorted(self.opts.imported_names))
        msg = M.undefined_call(name, suggestion)
        help_ = f"did you mean `{suggestion}`?" if suggestion else None
        if _lexically_callable(name, s):
            # visible at run time through the enclosing block (§13.1 quirk): §18.2
            self.error_or_quirk(True, M.E_UNDEFINED_CALL, msg, e.callee, help=help_)
            return
        self.error(M.E_UNDEFINED_CALL, msg, e.callee, help=help_)

    def check_callable_defined(self, e: ast.Call, name: str, s: Scope) -> None:
        if s.is_defined(name) or name in SPECIAL_CALLABLES or name.startswith("__") \
                or name.startswith("hostlib_") or self.opts.wildcard_unresolved \
                or name in self.opts.imported_names or s.lookup_decl(name) is not None:
            return
        sug = suggest_call(name, sorted(self.visible_fn_names(s)))
        self.warn(M.W_UNDEFINED_CALL, M.undefined_call_warning(name, sug),
                  e.callee)

    def visible_fn_names(self, s: Scope) -> set[str]:
        out: set[str] = set()
        sc: Scope | None = s
        while sc is not None:
            if sc.fns:
                out.update(sc.fns)
            sc = sc.parent
        return out

    # ------------------------------------------------------------ unreachable / never

    def check_unreachable(self, e: ast.Call, s: Scope) -> None:
        if e.args and type(e.args[0]) is ast.Name:
            t = s.lookup(e.args[0].name)
            if t is not MISSING and t is not None and type(t) is not Never and not (
                    type(t) is Named and t.name in ("unknown", "any")):  # type: ignore
                self.error(M.E_UNREACHABLE_ARG, M.unreachable_arg(show(t)), e)  # type: ignore
        self.check_ruled_out("unreachable()", e, s)

    def check_ruled_out(self, site: str, node: ast.Node, s: Scope) -> None:
        seen: set[str] = set()
        sc: Scope | None = s
        while sc is not None:
            if sc.ruled:
                for name, kinds in sc.ruled.items():
                    if name in seen:
                        continue
                    seen.add(name)
                    t = s.lookup(name)
                    if not kinds or not (type(t) is Named and t.name == "unknown"):  # type: ignore
                        continue
                    missing = [k for k in TYPE_OF_KINDS if k not in kinds]
                    if missing:
                        self.warn(M.W_UNKNOWN_NARROW, M.unknown_narrowing(site, name, missing),
                                  node)
            sc = sc.parent

    # ------------------------------------------------------------ user functions

    def check_user_call(self, e: ast.Call, sig: FnSig, arg_types: list, s: Scope) -> Type | None:
        name = sig.name
        tps = sig.tparams
        bindings: dict[str, Type] = {}
        if e.type_args:
            if not tps:
                self.error_or_quirk(False, M.E_NOT_GENERIC, M.not_generic(name), e)
            elif len(e.type_args) != len(tps):
                self.error_or_quirk(False, M.E_TARG_COUNT,
                                    M.targ_count(name, len(tps), len(e.type_args)), e)
            else:
                for p, ta in zip(tps, e.type_args, strict=False):
                    bindings[p] = from_ast(ta)
        args = e.args
        params = sig.params
        n = len(args)
        total = len(params)
        if (n < sig.required or n > total) and not sig.has_rest and \
                not any(type(a) is ast.Spread for a in args) and not builtins.is_builtin(name):
            want = str(total) if sig.required == total else f"{sig.required}-{total}"
            self.warn(M.W_ARITY, M.arity(name, want, n), e)
        checked: list[tuple[int, ast.Expr, Type, Type]] = []
        conflicts: list[tuple[ast.Node, str, Type, Type]] = []
        seed = dict(bindings)
        for i, (p, a) in enumerate(zip(params, args, strict=False)):
            if type(a) is ast.Spread or p.rest:
                break
            at = arg_types[i]
            if p.type is None:
                continue
            if at is None:
                if not tps:
                    self.shadow_argument(i, p.name, p.type, a, s)
                continue
            checked.append((i, a, p.type, at))
            if tps:
                self.bind_generic(p.type, at, tps, bindings, a, 0, conflicts)
        if conflicts:
            self.report_conflicts(conflicts, checked, tps, seed, s)
        if checked:
            ctx = None
            for i, a, pt, at in checked:
                want = substitute(pt, bindings) if tps and bindings else pt
                if want is at:
                    continue
                if ctx is None:
                    ctx = Assign(s, tps)
                if not ctx.ok(want, at):
                    quirk = self.arg_quirk(want, a, s, ctx)
                    self.error_or_quirk(quirk, M.E_ARG,
                                        M.argument(i + 1, params[i].name, show(want), show(at)),
                                        a)
        if sig.where:
            self.check_where(e, sig, bindings, s)
        ret = sig.ret
        if ret is None:
            return None
        if tps:
            if self.precise:
                full = {p: bindings.get(p, WILD) for p in tps}
                return substitute(ret, full)
            if len(bindings) < len(tps):
                self.quirk_seen = True
            return substitute(ret, bindings) if bindings else ret
        return ret

    def method_named_like_builtin(self, e: ast.Call, sig: FnSig, name: str, arg_types: list,
                                  s: Scope) -> Type | None:
        """``split(s, ",")`` while some impl declares a method ``split``: the reference
        checks the call against the method (impl methods are registered as functions,
        §13.1, replacing a same-named top-level ``fn`` declared before them), but at
        run time it calls the builtin or that function (methods are not free
        functions, language.md §11.2). Its diagnostics are strict quirks (§18.2: W120)."""
        if self.precise:
            real = self.free_fns.get(name)
            if real is not None:
                return self.check_user_call(e, real, arg_types, s)
            return self.builtin_call(e, name, arg_types, s)
        old = self.all_quirks
        self.all_quirks = True
        try:
            t = self.check_user_call(e, sig, arg_types, s)
        finally:
            self.all_quirks = old
        self.quirk_seen = True
        return t

    def shadow_argument(self, i: int, pname: str, want: Type, a: ast.Expr, s: Scope) -> None:
        sh = self.shadow_type(a, s)
        if sh is not None and not Assign(s).ok(want, sh[0]):
            self.warn(sh[1], M.argument(i + 1, pname, show(want), show(sh[0])) + f" ({sh[2]})",
                      a)

    def arg_quirk(self, want: Type, a: ast.Expr, s: Scope, ctx: Assign) -> bool:
        """§18.2: does the argument fit once the lenient-but-strict quirks are removed?"""
        at = self.precise_type(a, s)
        return at is None or ctx.relaxed().ok(want, at)

    def precise_type(self, e: ast.Expr, s: Scope) -> Type | None:
        old = (self.quiet, self.record, self.precise)
        self.quiet, self.record, self.precise = 2, False, True
        try:
            return self.expr(e, s)
        finally:
            self.quiet, self.record, self.precise = old

    def bind_generic(self, pt: Type, at: Type, tps: tuple[str, ...], bindings: dict,
                     node: ast.Node | None, depth: int,
                     conflicts: list | None = None) -> None:
        """§9.3: walk a parameter type against its argument's type, binding parameters.

        A conflict at an argument ``node`` is appended to ``conflicts`` as
        ``(node, param, first, second)`` (reported by the caller as E004)."""
        if depth > 30:
            return
        cp, ca = type(pt), type(at)
        if cp is Named and pt.name in tps:  # type: ignore[union-attr]
            pname = pt.name  # type: ignore[union-attr]
            prev = bindings.get(pname)
            if prev is None or type(prev) is Wild:
                bindings[pname] = at
            elif ca is not Wild and not _compatible(prev, at):
                if node is not None and conflicts is not None:
                    conflicts.append((node, pname, prev, at))
            return
        if cp is ListT and ca is ListT:
            self.bind_generic(pt.elem, at.elem, tps, bindings, node, depth + 1,  # type: ignore
                              conflicts)
        elif cp is DictT and ca is DictT:
            self.bind_generic(pt.key, at.key, tps, bindings, node, depth + 1,  # type: ignore
                              conflicts)
            self.bind_generic(pt.value, at.value, tps, bindings, node, depth + 1,  # type: ignore
                              conflicts)
        elif cp is Applied and ca is Applied:
            if pt.name == at.name and len(pt.args) == len(at.args):  # type: ignore[union-attr]
                for x, y in zip(pt.args, at.args, strict=False):  # type: ignore[union-attr]
                    self.bind_generic(x, y, tps, bindings, node, depth + 1, conflicts)
        elif cp is Shape and ca is Shape:
            for f in pt.fields:  # type: ignore[union-attr]
                g = at.field(f.name)  # type: ignore[union-attr]
                if g is not None:
                    self.bind_generic(f.type, g.type, tps, bindings, node, depth + 1,
                                      conflicts)
        elif cp is FnT and ca is FnT:
            for x, y in zip(pt.params, at.params, strict=False):  # type: ignore[union-attr]
                self.bind_generic(x, y, tps, bindings, node, depth + 1, conflicts)
            self.bind_generic(pt.ret, at.ret, tps, bindings, node, depth + 1,  # type: ignore
                              conflicts)

    def report_conflicts(self, conflicts: list, checked: list, tps: tuple[str, ...],
                         seed: dict, s: Scope) -> None:
        """E004 for each binding conflict, or W120 (§18.2) for one that only the
        lenient-but-strict inference quirks create (``{x: a}`` typed ``{x: nil}``,
        a function name typed ``fn(...) -> nil``): re-binding the arguments'
        quirk-free types shows whether the conflict is real."""
        precise: dict[str, Type] = dict(seed)
        found: list = []
        for _i, a, pt, _at in checked:
            pa = self.precise_type(a, s)
            if pa is not None:
                self.bind_generic(pt, pa, tps, precise, a, 0, found)
        real = {id(c[0]) for c in found}
        for node, pname, prev, at in conflicts:
            self.error_or_quirk(id(node) not in real, M.E_TPARAM_CONFLICT,
                                M.inferred_both(pname, show(prev), show(at)), node)

    def check_where(self, e: ast.Call, sig: FnSig, bindings: dict, s: Scope) -> None:
        for param, iface_name in sig.where:
            bound = bindings.get(param)
            if bound is None or type(bound) is Wild:
                continue
            if type(bound) not in (Named, Applied):
                self.error_or_quirk(self.values_satisfy(bound, iface_name, s),
                                    M.E_WHERE_UNNAMED,
                                    M.where_unnamed(show(bound), iface_name, param), e)
                continue
            info = s.lookup_decl(iface_name)
            if type(info) is not InterfaceInfo:
                reason = f"interface '{iface_name}' not found"
            else:
                reason = satisfies(s, bound.name, info)  # type: ignore[union-attr, arg-type]
            if reason:
                msg = M.where_unsatisfied(bound.name, iface_name, reason,  # type: ignore
                                          param)
                # a type parameter of the enclosing function (`total(u)` with `u: U`) has
                # no impl block, but its values do: a strict quirk (§18.2)
                in_force = type(bound) is Named and \
                    s.lookup_tparam(bound.name) is not None  # type: ignore[union-attr]
                self.error_or_quirk(in_force or self.values_satisfy(bound, iface_name, s),
                                    M.E_WHERE, msg, e)

    def values_satisfy(self, t: Type, iface_name: str, s: Scope, depth: int = 0) -> bool:
        """§18.2: every value of ``t`` satisfies the interface although the reference
        wants one named type with its own impl block: the interface itself, an alias
        of satisfying types, or a union of them (`[Circle {...}, Rect {...}]`)."""
        if depth > 20:
            return False
        if type(t) is Union:
            return all(self.values_satisfy(m, iface_name, s, depth + 1)
                       for m in t.members)  # type: ignore[union-attr]
        if type(t) not in (Named, Applied):
            return False
        name = t.name  # type: ignore[union-attr]
        if name == iface_name:
            return True
        info = s.lookup_decl(name)
        if type(info) is AliasInfo and type(t) is Named:
            return self.values_satisfy(info.body, iface_name, s, depth + 1)  # type: ignore
        iface = s.lookup_decl(iface_name)
        return type(iface) is InterfaceInfo and satisfies(s, name, iface) is None

    # ------------------------------------------------------------ builtins

    def is_builtin_name(self, name: str) -> bool:
        return builtins.is_builtin(name)

    def builtin_call(self, e: ast.Call, name: str, arg_types: list, s: Scope) -> Type | None:
        n_tps = builtins.type_arg_count(name)
        targ: Type | None = None
        if e.type_args:
            if not n_tps:
                self.error(M.E_BUILTIN_NOT_GENERIC, M.builtin_not_generic(name), e)
            elif len(e.type_args) != n_tps:
                self.error(M.E_BUILTIN_TARG_COUNT,
                           M.builtin_targ_count(name, n_tps, len(e.type_args)), e)
            else:
                targ = from_ast(e.type_args[0])
        if self.extras and not any(type(a) is ast.Spread for a in e.args):
            ar = builtins.arity(name)
            if ar is not None:
                lo, hi = ar
                n = len(e.args)
                if n < lo or (hi is not None and n > hi):
                    want = str(lo) if hi == lo else f"{lo}-{hi}" if hi is not None \
                        else f"at least {lo}"
                    self.warn(M.W_BUILTIN_ARITY, M.builtin_arity(name, want, n), e)
        if name == "schema_of" and e.args and type(e.args[0]) is ast.Name:
            info = s.lookup_decl(e.args[0].name)
            if type(info) is AliasInfo:
                return Applied("Schema", (info.body,))
        if name in ("schema_parse", "schema_check"):
            t = targ if targ is not None else self.schema_target(e, s)
            return Applied("Result", (t if t is not None else WILD, STRING))
        if name == "schema_expect":
            return targ if targ is not None else self.schema_target(e, s)
        if name == "pair" and len(arg_types) == 2 and not any(
                type(a) is ast.Spread for a in e.args):
            # typed `pair` (stdlib.md), which no annotation can name (`Pair<K, V>` is
            # the type syntax): a strict quirk for §18.2 decisions
            if self.precise:
                return Applied("Pair", tuple(WILD if t is None else t for t in arg_types))
            self.quirk_seen = True
        if name in builtins.SPECIAL_RETURN:
            # a static type that differs from the value's (`range()` is typed `list`,
            # `regex_match()` `string | nil`): a strict quirk for §18.2 decisions
            if self.precise:
                return None
            self.quirk_seen = True
        return builtins.static_return(name)

    def schema_target(self, e: ast.Call, s: Scope) -> Type | None:
        if len(e.args) < 2:
            return None
        st = self.types.get(e.args[1]) if self.record else None
        if type(st) is Applied and st.name == "Schema" and st.args:  # type: ignore[union-attr]
            return st.args[0]  # type: ignore[union-attr]
        return None

    # ------------------------------------------------------------ struct literals

    def e_struct_lit(self, e: ast.StructLit, s: Scope) -> Type | None:
        info = s.lookup_decl(e.name)
        entries = []
        for entry in e.entries:
            if type(entry) is ast.Spread:
                self.expr(entry.expr, s)
                continue
            if entry.key_kind == "computed":
                self.expr(entry.key, s)
            entries.append((entry, self.expr(entry.value, s)))
        if type(info) is not StructInfo:
            structs = sorted(n for n, d in self.all_decls(s).items() if type(d) is StructInfo)
            suggestion = _suggest(e.name, structs)
            msg, help_ = M.unknown_struct(e.name, suggestion)
            self.report_at(M.E_UNKNOWN_STRUCT, msg, e.start, e.start + len(e.name), help_)
            return None
        keys = set()
        for entry, _ in entries:
            key = entry.key
            if type(key) is ast.StringLit:
                keys.add(key.value)
                if info.field(key.value) is None:
                    self.warn(M.W_UNKNOWN_FIELD, M.unknown_field(key.value, e.name), entry)
        for fname, _ftype, optional in info.fields:
            if not optional and fname not in keys and not any(
                    type(x) is ast.Spread for x in e.entries):
                self.warn(M.W_MISSING_FIELD, M.missing_field(fname, e.name), e)
        bindings: dict[str, Type] = {}
        if info.tparams:
            for entry, vt in entries:
                f = info.field(entry.key.value) if type(entry.key) is ast.StringLit else None
                if f is not None and f[1] is not None and vt is not None:
                    self.bind_generic(f[1], vt, info.tparams, bindings, None, 0)
        ctx = None
        for entry, vt in entries:
            if vt is None or type(entry.key) is not ast.StringLit:
                continue
            f = info.field(entry.key.value)
            if f is None or f[1] is None:
                continue
            want = substitute(f[1], bindings) if bindings else f[1]
            if ctx is None:
                ctx = Assign(s, info.tparams)
            if not ctx.ok(want, vt):
                quirk = self.arg_quirk(want, entry.value, s, ctx)
                self.error_or_quirk(quirk, M.E_STRUCT_FIELD,
                                    M.struct_field(f[0], e.name, show(want), show(vt)),
                                    entry.value)
        if info.tparams:
            return Applied(e.name, tuple(bindings.get(p, WILD) for p in info.tparams))
        return named(e.name)

    def report_at(self, code: str, msg: str, start: int, end: int, help: str | None) -> None:
        self.report(Severity.ERROR, code, msg, start, end, help=help)

    def all_decls(self, s: Scope) -> dict:
        out: dict = {}
        sc: Scope | None = s
        while sc is not None:
            if sc.decls:
                for k, v in sc.decls.items():
                    out.setdefault(k, v)
            sc = sc.parent
        return out

    # ------------------------------------------------------------ method calls

    def e_method_call(self, e: ast.MethodCall, s: Scope) -> Type | None:
        obj = e.obj
        if type(obj) is ast.Name:
            et = self.enum_value_type(obj.name, e.name, e.args, s)
            if et is not None:
                return et
            if obj.name == "Result" and e.name in ("Ok", "Err") and \
                    s.lookup("Result") is MISSING:
                at = None
                for a in e.args:
                    t = self.expr(a, s) if type(a) is not ast.Spread else self.spread_arg(a, s)
                    at = at if at is not None else t
                v = WILD if at is None else at
                return Applied("Result", (v, WILD) if e.name == "Ok" else (WILD, v))
        rt = self.expr(obj, s)
        for a in e.args:
            if type(a) is ast.Spread:
                self.spread_arg(a, s)
            else:
                self.expr(a, s)
        if rt is not None:
            self.check_method_exists(e, rt, s)
        t = method_result(rt, e.name, s)
        if t is not None and (t is STRING or t is LIST) and e.name in _RECEIVER_BLIND:
            # the table ignores the receiver (`xs.reverse()` is `string`, even on an
            # untyped receiver): a strict quirk for §18.2 decisions
            if rt is None or (rt is not t and not (t is LIST and type(rt) is ListT)):
                if self.precise:
                    return None
                self.quirk_seen = True
        return t

    def check_method_exists(self, e: ast.MethodCall, rt: Type, s: Scope) -> None:
        name = e.name
        if type(rt) is Named:
            tp = s.lookup_tparam(rt.name)
            if tp:
                # one warning, and only when no constraint on the parameter provides it
                ifaces = [(n, s.lookup_decl(n)) for n in tp]
                known = [(n, i) for n, i in ifaces if type(i) is InterfaceInfo]
                if known and all(name not in i.methods for _, i in known):  # type: ignore
                    self.warn(M.W_IFACE_METHOD, M.iface_method(name, known[0][0], rt.name), e)
                return
            if not self.extras or e.optional:
                return
            decl = s.lookup_decl(rt.name)
            if type(decl) is StructInfo:
                impl = s.lookup_impl(rt.name)
                if (impl is None or name not in impl) and decl.field(name) is None:
                    self.warn(M.W_STRUCT_NO_METHOD, M.struct_no_method(rt.name, name), e)
                return
        if not self.extras or e.optional:
            return
        receiver = _RECEIVERS.get(type(rt)) or (
            rt.name if type(rt) is Named and rt.name in ("string", "list", "set") else None)
        if type(rt) is IterT and rt.kind != "iter":  # type: ignore[union-attr]
            receiver = None
        if receiver is not None and not builtins.is_any_method(name):
            # a method no built-in type has (static receiver types are coarse: `range()`
            # is typed `list`, so a name known for another receiver is not reported)
            if builtins.method_names(receiver) is not None:
                self.warn(M.W_METHOD_UNKNOWN, M.type_no_method(receiver, name), e)


def _lexically_callable(name: str, s: Scope) -> bool:
    """A variable or function visible here at run time (following lexical parents)."""
    sc: Scope | None = s
    while sc is not None:
        if sc.vars is not None and name in sc.vars:
            return True
        fns = sc.fns
        if fns is not None and name in fns:
            return True
        sc = sc.lex if sc.lex is not None else sc.parent
    return False


def method_result(rt: Type | None, name: str, s: Scope) -> Type | None:
    """§6.1 method result types (the receiver is ignored except where noted)."""
    cls = type(rt)
    if cls is IterT and rt.kind == "iter" or rt is named("iter"):  # type: ignore[union-attr]
        elem = rt.elem if cls is IterT else named("any")  # type: ignore[union-attr]
        r = _iter_method(name, elem)
        if r is not _NO:
            return r  # type: ignore[return-value]
    if name == "iter":
        if cls is ListT:
            return IterT("iter", rt.elem)  # type: ignore[union-attr]
        if cls is IterT and rt.kind in ("Generator", "Stream"):  # type: ignore[union-attr]
            return IterT("iter", rt.elem)  # type: ignore[union-attr]
        if cls is DictT:
            return IterT("iter", Applied("Pair", (rt.key, rt.value)))  # type: ignore[union-attr]
        if cls is Named and rt.name in ("list", "dict", "set", "string"):  # type: ignore
            return named("iter")
        return None
    r = _SIMPLE.get(name)
    if r is not None:
        return r
    if name == "filter":
        if rt is DICT or cls is DictT or cls is Shape:
            return DICT
        return LIST
    if name in ("window", "each_cons", "sliding_window"):
        if cls is ListT:
            return ListT(ListT(rt.elem))  # type: ignore[union-attr]
        return LIST
    if name in ("merge", "map_values", "rekey", "map_keys"):
        if cls is DictT:
            return DictT(STRING, rt.value)  # type: ignore[union-attr]
        return DICT
    return None


_NO = object()
_RECEIVERS: dict[type, str] = {ListT: "list", IterT: "iter"}
_RECEIVER_BLIND = frozenset("trim lowercase uppercase reverse replace substring pad_left "
                            "pad_right repeat join split chars map flat_map sort keys values "
                            "entries filter".split())

_SIMPLE: dict[str, Type] = {}
for _n in "contains starts_with ends_with empty has any all".split():
    _SIMPLE[_n] = BOOL
for _n in "count index_of to_int".split():
    _SIMPLE[_n] = INT
_SIMPLE["to_float"] = FLOAT
for _n in ("trim lowercase uppercase reverse replace substring pad_left pad_right repeat join "
           "to_string").split():
    _SIMPLE[_n] = STRING
for _n in "split chars map flat_map sort keys values entries".split():
    _SIMPLE[_n] = LIST


def _iter_method(name: str, t: Type) -> object:
    if name in ("filter", "take", "skip", "take_while", "skip_while", "chain"):
        return IterT("iter", t)
    if name in ("map", "flat_map"):
        return named("iter")
    if name == "zip":
        return IterT("iter", Applied("Pair", (t, named("any"))))
    if name == "enumerate":
        return IterT("iter", Applied("Pair", (INT, t)))
    if name in ("chunks", "windows"):
        return IterT("iter", ListT(t))
    if name == "to_list":
        return ListT(t)
    if name == "to_set":
        return Applied("set", (t,))
    if name == "to_dict":
        return DICT
    if name == "count":
        return INT
    if name == "sum":
        return Union((INT, FLOAT))
    if name in ("min", "max", "first", "last", "find"):
        return Union((t, NIL))
    if name in ("any", "all"):
        return BOOL
    if name == "for_each":
        return NIL
    if name == "reduce":
        return None
    return _NO


def _compatible(a: Type, b: Type) -> bool:
    """Structural equality where ``_`` matches anything (generic binding conflicts)."""
    if a == b:
        return True
    ca, cb = type(a), type(b)
    if ca is Wild or cb is Wild:
        return True
    if ca is not cb:
        return False
    if ca is ListT:
        return _compatible(a.elem, b.elem)  # type: ignore[union-attr]
    if ca is DictT:
        return _compatible(a.key, b.key) and _compatible(a.value, b.value)  # type: ignore
    if ca is Applied:
        return a.name == b.name and len(a.args) == len(b.args) and all(  # type: ignore
            _compatible(x, y) for x, y in zip(a.args, b.args, strict=False))  # type: ignore[union-attr]
    if ca is IterT:
        return a.kind == b.kind and _compatible(a.elem, b.elem)  # type: ignore[union-attr]
    if ca is Shape:
        fa, fb = a.fields, b.fields  # type: ignore[union-attr]
        return len(fa) == len(fb) and all(
            x.name == y.name and x.optional == y.optional and _compatible(x.type, y.type)
            for x, y in zip(fa, fb, strict=False))
    if ca is FnT:
        return len(a.params) == len(b.params) and _compatible(a.ret, b.ret) and all(  # type: ignore
            _compatible(x, y) for x, y in zip(a.params, b.params, strict=False))  # type: ignore
    if ca is Union:
        ma, mb = a.members, b.members  # type: ignore[union-attr]
        return len(ma) == len(mb) and all(
            _compatible(x, y) for x, y in zip(ma, mb, strict=False))
    return False


_BUILTIN_SUGGESTIONS: dict[str, tuple[str | None, int]] = {}


def suggest_call(name: str, more: list[str]) -> str | None:
    """§14 did-you-mean over builtin names (alphabetical, cached per name), then ``more``."""
    hit = _BUILTIN_SUGGESTIONS.get(name)
    if hit is None:
        best = _suggest(name, builtins.all_names())
        hit = _BUILTIN_SUGGESTIONS[name] = (best, _distance(name, best))
    best, d = hit
    other = _suggest(name, more)
    if other is not None and _distance(name, other) < d:
        return other
    return best


def _distance(name: str, cand: str | None) -> int:
    from typechecker.exprs import levenshtein

    return 3 if cand is None else levenshtein(name, cand, 2)


def _suggest(name: str, candidates: list[str]) -> str | None:
    """§14 did-you-mean: first at minimal distance, ≤ 2, length within 2, not identical."""
    from typechecker.exprs import levenshtein

    best: str | None = None
    best_d = 3
    seen: set[str] = set()
    for c in candidates:
        if c in seen or c == name:
            continue
        seen.add(c)
        if abs(len(c) - len(name)) > 2:
            continue
        d = levenshtein(name, c, 2)
        if d < best_d:
            best, best_d = c, d
    return best if best_d <= 2 else None


register(ast.Call, CallChecker.e_call)
register(ast.MethodCall, CallChecker.e_method_call)
register(ast.StructLit, CallChecker.e_struct_lit)

__all__ = ["CallChecker", "method_result", "EnumInfo", "_closest"]
