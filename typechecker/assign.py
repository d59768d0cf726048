"""Assignability ``E <- A`` (types.md §5) and interface satisfaction (§10).

``assignable(E, A)`` answers whether a value of type A fits a slot of type E,
covariantly; contravariance swaps the sides and invariance asks both
directions (which is what disables ``int -> float`` inside ``list<...>``).
The algorithm is the spec's, in its order: wildcards, type parameters in
force, alias expansion (generic aliases distribute over union arguments),
interfaces (before the ``any``/``never`` rows), then the first matching row
of the table. Declared variances of user generics come from the scope's
declarations; ``Result`` is covariant in both parameters; an unknown
constructor is invariant.

The context (:class:`Assign`) carries the scope (for aliases, interfaces,
declarations and type parameters in force) and the callee's type parameters
during a call check. It is pure: no diagnostics.
"""

from __future__ import annotations

from itertools import product

from typechecker.scope import AliasInfo, InterfaceInfo, Scope
from typechecker.types import (
    BARE_ITER_KIND,
    NEVER,
    WILD,
    Applied,
    DictT,
    FnT,
    IterT,
    ListT,
    Lit,
    Named,
    Never,
    Shape,
    Type,
    Union,
    Wild,
    show,
    substitute,
)

MAX_DEPTH = 40


class Assign:
    __slots__ = ("scope", "extra", "depth", "precise")

    def __init__(self, scope: Scope, extra: frozenset[str] | tuple[str, ...] = (),
                 precise: bool = False) -> None:
        self.scope = scope
        self.extra = extra
        self.depth = 0
        self.precise = precise

    def relaxed(self) -> Assign:
        """The same context without the reference's strict quirks, for §18.2 decisions:
        a union fits an interface slot when every member satisfies it."""
        return Assign(self.scope, self.extra, True)

    # ------------------------------------------------------------ helpers

    def is_tparam(self, t: Type) -> bool:
        if type(t) is not Named:
            return False
        name = t.name  # type: ignore[union-attr]
        return name in self.extra or self.scope.lookup_tparam(name) is not None

    def expand(self, t: Type) -> Type:
        """Expand aliases at the top of ``t`` (recursively through alias chains)."""
        for _ in range(MAX_DEPTH):
            cls = type(t)
            if cls is Named:
                info = self.scope.lookup_decl(t.name)  # type: ignore[union-attr]
                if type(info) is not AliasInfo:
                    return t
                if info.tparams:  # type: ignore[union-attr]
                    t = substitute(info.body, {p: WILD for p in info.tparams})  # type: ignore
                else:
                    t = info.body  # type: ignore[union-attr]
            elif cls is Applied:
                info = self.scope.lookup_decl(t.name)  # type: ignore[union-attr]
                if type(info) is not AliasInfo:
                    return t
                t = apply_alias(info, t.args)  # type: ignore[arg-type, union-attr]
            else:
                return t
        return t

    def interface_of(self, t: Type) -> InterfaceInfo | None:
        cls = type(t)
        if cls is Named or cls is Applied:
            info = self.scope.lookup_decl(t.name)  # type: ignore[union-attr]
            if type(info) is InterfaceInfo:
                return info  # type: ignore[return-value]
        return None

    def variances(self, name: str, arity: int) -> tuple[str, ...]:
        if name == "Result":
            return ("out",) * arity
        info = self.scope.lookup_decl(name)
        if info is None:
            return ("",) * arity
        v = info.variances
        return v if len(v) == arity else ("",) * arity

    # ------------------------------------------------------------ entry points

    def ok(self, e: Type, a: Type) -> bool:
        if e is a:
            return True
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                return True
            return self._ok(e, a)
        finally:
            self.depth -= 1

    def invariant(self, e: Type, a: Type) -> bool:
        return self.ok(e, a) and self.ok(a, e)

    def polar(self, e: Type, a: Type, variance: str) -> bool:
        if variance == "out":
            return self.ok(e, a)
        if variance == "in":
            return self.ok(a, e)
        return self.invariant(e, a)

    # ------------------------------------------------------------ the algorithm

    def _ok(self, e: Type, a: Type) -> bool:
        ce, ca = type(e), type(a)
        if ce is Wild or ca is Wild:
            return True
        if (ce is Named and self.is_tparam(e)) or (ca is Named and self.is_tparam(a)):
            return True
        e2 = self.expand(e) if (ce is Named or ce is Applied) else e
        a2 = self.expand(a) if (ca is Named or ca is Applied) else a
        if e2 is not e or a2 is not a:
            if e2 == a2:
                return True
            e, a = e2, a2
            ce, ca = type(e), type(a)
            if ce is Wild or ca is Wild:
                return True
        iface = self.interface_of(e)
        if iface is not None:
            if ca is Named or ca is Applied:
                return satisfies(self.scope, a.name, iface) is None  # type: ignore[union-attr]
            if self.precise and ca is Union:
                return all(self.ok(e, m) for m in a.members)  # type: ignore[union-attr]
            return False
        if ca is Never:
            return True
        if ce is Never:
            return False
        if ce is Named:
            en = e.name  # type: ignore[union-attr]
            if en == "any":
                return True
            if ca is Named and a.name == "any":  # type: ignore[union-attr]
                return True
            if en == "unknown":
                return True
            if ca is Named:
                an = a.name  # type: ignore[union-attr]
                if an == "unknown":
                    return False
                return en == an or (en == "float" and an == "int")
        else:
            if ca is Named:
                an = a.name  # type: ignore[union-attr]
                if an == "any":
                    return True
                if an == "unknown":
                    return False
        if (ce is Named and ca is Applied) or (ce is Applied and ca is Named):
            return e.name == a.name  # type: ignore[union-attr]
        if ce is Applied and ca is Applied:
            if e.name != a.name or len(e.args) != len(a.args):  # type: ignore[union-attr]
                return False
            vs = self.variances(e.name, len(e.args))  # type: ignore[union-attr]
            return all(self.polar(x, y, v)
                       for x, y, v in zip(e.args, a.args, vs, strict=False))  # type: ignore[union-attr]
        if ce is Union and ca is Union:
            return all(any(self.ok(m, am) for m in e.members)  # type: ignore[union-attr]
                       for am in a.members)  # type: ignore[union-attr]
        if ce is Union:
            return any(self.ok(m, a) for m in e.members)  # type: ignore[union-attr]
        if ca is Union:
            return all(self.ok(e, m) for m in a.members)  # type: ignore[union-attr]
        if ce is Shape and ca is Named and a.name == "dict":  # type: ignore[union-attr]
            return True
        if ca is Shape and ce is Named and e.name == "dict":  # type: ignore[union-attr]
            return True
        if ce is Shape and ca is Shape:
            for f in e.fields:  # type: ignore[union-attr]
                if f.optional:
                    continue
                g = a.field(f.name)  # type: ignore[union-attr]
                if g is None or not self.ok(f.type, g.type):
                    return False
            return True
        if ce is DictT and ca is Shape:
            k = e.key  # type: ignore[union-attr]
            if not (type(k) is Named and k.name == "string"):  # type: ignore[union-attr]
                return False
            return all(self.ok(e.value, f.type) for f in a.fields)  # type: ignore[union-attr]
        if ce is Shape and ca is DictT:
            return True
        if ce is ListT and ca is ListT:
            return self.invariant(e.elem, a.elem)  # type: ignore[union-attr]
        if ce is IterT and ca is IterT:
            return e.kind == a.kind and self.ok(e.elem, a.elem)  # type: ignore[union-attr]
        if ce is DictT and ca is DictT:
            return self.invariant(e.key, a.key) and \
                self.invariant(e.value, a.value)  # type: ignore[union-attr]
        if ce is Named and _bare_matches(e.name, a):  # type: ignore[union-attr]
            return True
        if ca is Named and _bare_matches(a.name, e):  # type: ignore[union-attr]
            return True
        if ce is FnT and ca is FnT:
            if len(e.params) != len(a.params):  # type: ignore[union-attr]
                return False
            return all(self.ok(ap, ep) for ep, ap in zip(e.params, a.params, strict=False)) and \
                self.ok(e.ret, a.ret)  # type: ignore[union-attr]
        if (ce is FnT and ca is Named and a.name == "closure") or (  # type: ignore[union-attr]
                ca is FnT and ce is Named and e.name == "closure"):  # type: ignore[union-attr]
            return True
        if ce is Lit and ca is Lit:
            return e.value == a.value and \
                type(e.value) is type(a.value)  # type: ignore[union-attr]
        if ce is Named and ca is Lit:
            en = e.name  # type: ignore[union-attr]
            if isinstance(a.value, str):  # type: ignore[union-attr]
                return en == "string"
            return en == "int" or en == "float"
        if ce is Lit and ca is Named:
            an = a.name  # type: ignore[union-attr]
            return an == ("string" if isinstance(e.value, str) else "int")  # type: ignore
        return False


def _bare_matches(bare: str, other: Type) -> bool:
    """A bare container name against its parameterised form (both directions)."""
    c = type(other)
    if bare == "list":
        return c is ListT
    if bare == "dict":
        return c is DictT
    kind = BARE_ITER_KIND.get(bare)
    return kind is not None and c is IterT and other.kind == kind  # type: ignore[union-attr]


def apply_alias(info: AliasInfo, args: tuple[Type, ...]) -> Type:
    """Substitute a generic alias, distributing over union arguments."""
    params = info.tparams
    if len(args) != len(params):
        mapping: dict[str, Type | None] = {p: WILD for p in params}
        for p, a in zip(params, args, strict=False):
            mapping[p] = a
        return substitute(info.body, mapping)
    choices = [a.members if type(a) is Union else (a,) for a in args]  # type: ignore[union-attr]
    if all(len(c) == 1 for c in choices):
        return substitute(info.body, dict(zip(params, args, strict=False)))
    out = [substitute(info.body, dict(zip(params, combo, strict=False)))
           for combo in product(*choices)]
    return out[0] if len(out) == 1 else Union(tuple(out))


# ---------------------------------------------------------------- interfaces (§10)


def satisfies(scope: Scope, type_name: str, iface: InterfaceInfo) -> str | None:
    """``None`` when the named type satisfies the interface, else the reason text."""
    impl = scope.lookup_impl(type_name)
    methods = iface.methods
    if impl is None:
        if not methods:
            return None
        return "missing method(s): " + ", ".join(methods)
    bound: dict[str, Type] = {}
    assoc_names = {n for n, _ in iface.assoc}
    ctx = Assign(scope, tuple(iface.tparams))
    for mname, m in methods.items():
        got = impl.get(mname)
        if got is None:
            return f"missing method '{mname}'"
        impl_params = got.params[1:] if got.params and got.params[0].name == "self" \
            else got.params
        if len(impl_params) != len(m.params):
            return (f"method '{mname}' has {len(impl_params)} parameter(s), "
                    f"expected {len(m.params)}")
        for i, (ip, mp) in enumerate(zip(impl_params, m.params, strict=False), start=1):
            if ip.type is None or mp.type is None:
                continue
            reason = _bind_assoc(mp.type, ip.type, assoc_names, bound)
            if reason:
                return reason
            want = substitute(mp.type, dict(bound)) if bound else mp.type
            if not ctx.ok(want, ip.type):
                return (f"method '{mname}' parameter {i} has type '{show(ip.type)}', "
                        f"expected '{show(want)}'")
        if got.ret is not None and m.ret is not None:
            reason = _bind_assoc(m.ret, got.ret, assoc_names, bound)
            if reason:
                return reason
            want = substitute(m.ret, dict(bound)) if bound else m.ret
            if not ctx.ok(want, got.ret):
                return f"method '{mname}' returns '{show(got.ret)}', expected '{show(want)}'"
    for name, default in iface.assoc:
        if default is not None and name in bound and not ctx.ok(default, bound[name]):
            return (f"associated type '{name}' resolves to '{show(bound[name])}', "
                    f"expected '{show(default)}'")
    return None


def _bind_assoc(pattern: Type, actual: Type, names: set[str], bound: dict[str, Type]) -> str:
    if type(pattern) is Named and pattern.name in names:  # type: ignore[union-attr]
        name = pattern.name  # type: ignore[union-attr]
        prev = bound.get(name)
        if prev is None:
            bound[name] = actual
        elif prev != actual:
            return (f"type parameter '{name}' was inferred as both {show(prev)} "
                    f"and {show(actual)}")
    return ""


NEVER_T = NEVER
