"""Flow-sensitive narrowing (types.md §7): refinements a condition implies.

:func:`refine` maps a condition to two refinement sets, for the truthy and the
falsy outcome. A set is ``None`` (nothing known) or a dict ``name -> (type,
ruled)`` where ``type`` is the variable's refined type (``KEEP`` leaves it
unchanged) and ``ruled`` the kinds a falsy ``type_of(v) == "K"`` on an
``unknown`` variable rules out (or ``None``). Refinements are pure; the
walker applies them by creating a child scope (:func:`apply`) or, after an
early-exiting ``if``, by narrowing the current scope in place. Each narrowing
records the pre-narrowing type in the scope where it happens, which is what
reassignment checks against (§7.5).

Only variables with a known type are narrowed; ``any`` never is; an alias-typed
variable is not narrowed by the nil, truthiness or ``type_of`` rules (quirk).
``schema_is``/``is_type`` narrow by schema-as-type (:mod:`typechecker.schema`).
"""

from __future__ import annotations

from lang import ast
from typechecker.scope import MISSING, AliasInfo, Scope
from typechecker.types import (
    NEVER,
    NIL,
    Lit,
    Named,
    Shape,
    Type,
    Union,
    named,
    without_nil,
)

KEEP = object()


class PreciseOnly:
    """A refinement the reference does not make (an alias-typed variable, §7.1
    quirk) but the program's values obey: recorded as a ``precise`` mark, which
    only the §18.2 decision (error or W120) consults."""

    __slots__ = ("type",)

    def __init__(self, t: Type) -> None:
        self.type = t


# Set once any PreciseOnly refinement has been applied (lets ``let`` skip clearing
# stale marks in the common case where there are none).
precise_used = False
TYPE_OF_KINDS = ("int", "string", "float", "bool", "nil", "list", "dict", "closure", "bytes")
_KINDS = frozenset(TYPE_OF_KINDS)

Refs = dict[str, tuple[object, frozenset[str] | None]]


def refine(cond: ast.Expr, scope: Scope) -> tuple[Refs | None, Refs | None]:
    cls = type(cond)
    if cls is ast.Name:
        return _truthiness(cond.name, scope)
    if cls is ast.Unary and cond.op == "!":
        t, f = refine(cond.operand, scope)
        return f, t
    if cls is ast.Binary:
        op = cond.op
        if op == "&&":
            at, _ = refine(cond.left, scope)
            bt, _ = refine(cond.right, scope)
            return _merge(at, bt), None
        if op == "||":
            _, af = refine(cond.left, scope)
            _, bf = refine(cond.right, scope)
            return None, _merge(af, bf)
        if op == "==" or op == "!=":
            t, f = _equality(cond.left, cond.right, scope)
            return (t, f) if op == "==" else (f, t)
    if cls is ast.MethodCall and cond.name == "has" and type(cond.obj) is ast.Name \
            and len(cond.args) == 1 and type(cond.args[0]) is ast.StringLit:
        return _has(cond.obj.name, cond.args[0].value, scope), None
    if cls is ast.Call and cond.callee.name in ("schema_is", "is_type") and \
            len(cond.args) == 2 and type(cond.args[0]) is ast.Name:
        return _schema(cond.args[0].name, cond.args[1], scope)
    return None, None


def _schema(name: str, arg: ast.Expr, scope: Scope) -> tuple[Refs | None, Refs | None]:
    """§12: ``schema_is(x, S)`` narrows x to ``x ∩ S``, else to ``x - S``."""
    from typechecker.schema import refinements, schema_type

    t = var_type(name, scope)
    if t is None:
        return None, None
    sch = schema_type(arg, scope)
    if sch is None:
        return None, None
    truthy, falsy = refinements(t, sch, scope)
    return (None if truthy is None else {name: (truthy, None)},
            None if falsy is None else {name: (falsy, None)})


def _merge(a: Refs | None, b: Refs | None) -> Refs | None:
    if not a:
        return b
    if not b:
        return a
    out = dict(a)
    out.update(b)
    return out


def var_type(name: str, scope: Scope) -> Type | None:
    t = scope.lookup(name)
    return None if t is MISSING else t  # type: ignore[return-value]


def _is_alias(t: Type, scope: Scope) -> bool:
    return type(t) is Named and type(scope.lookup_decl(t.name)) is AliasInfo  # type: ignore


def _narrowable(name: str, scope: Scope) -> Type | None:
    t = var_type(name, scope)
    if t is None or (type(t) is Named and t.name == "any") or _is_alias(t, scope):  # type: ignore
        return None
    return t


def _alias_body(name: str, scope: Scope) -> Type | None:
    """The expansion of an alias-typed variable's type (for PreciseOnly refinements)."""
    t = var_type(name, scope)
    if t is None or not _is_alias(t, scope):
        return None
    return _plain_alias(t, scope)


def _precise(refs: tuple[Refs | None, Refs | None]) -> tuple[Refs | None, Refs | None]:
    out = []
    for r in refs:
        if r:
            r = {k: (PreciseOnly(t), None) for k, (t, _ruled) in r.items()  # type: ignore
                 if t is not KEEP}
        out.append(r or None)
    return out[0], out[1]


def _truthiness(name: str, scope: Scope) -> tuple[Refs | None, Refs | None]:
    t = _narrowable(name, scope)
    if t is None:
        body = _alias_body(name, scope)
        if type(body) is Union and NIL in body.members:  # type: ignore[union-attr]
            return _precise(({name: (without_nil(body), None)},  # type: ignore[arg-type]
                             {name: (NIL, None)}))
        return None, None
    if type(t) is Union and NIL in t.members:  # type: ignore[union-attr]
        return {name: (without_nil(t), None)}, {name: (NIL, None)}  # type: ignore[arg-type]
    return None, None


def _equality(left: ast.Expr, right: ast.Expr, scope: Scope) -> tuple[Refs | None, Refs | None]:
    # nil rule
    for a, b in ((left, right), (right, left)):
        if type(a) is ast.Name and type(b) is ast.NilLit:
            t = _narrowable(a.name, scope)
            if t is None:
                body = _alias_body(a.name, scope)
                if type(body) is Union:
                    return _precise(({a.name: (NIL, None)},
                                     {a.name: (without_nil(body), None)}))  # type: ignore
                return None, None
            if type(t) is Union:
                return {a.name: (NIL, None)}, {a.name: (without_nil(t), None)}  # type: ignore
            if t is NIL:
                return {a.name: (NIL, None)}, {a.name: (NEVER, None)}
            return None, None
    # type_of rule
    for a, b in ((left, right), (right, left)):
        if type(a) is ast.Call and a.callee.name == "type_of" and len(a.args) == 1 \
                and type(a.args[0]) is ast.Name and type(b) is ast.StringLit \
                and b.value in _KINDS:
            return _type_of(a.args[0].name, b.value, scope)
    # discriminator rule
    for a, b in ((left, right), (right, left)):
        if type(a) is ast.Member and type(a.obj) is ast.Name and not a.optional:
            lit = literal_value(b)
            if lit is not None:
                return _discriminate(a.obj.name, a.name, lit, scope)
    return None, None


def literal_value(e: ast.Expr) -> str | int | None:
    cls = type(e)
    if cls is ast.StringLit:
        return e.value
    if cls is ast.IntLit:
        return e.value
    if cls is ast.Unary and e.op == "-" and type(e.operand) is ast.IntLit:
        return -e.operand.value
    return None


def _type_of(name: str, kind: str, scope: Scope) -> tuple[Refs | None, Refs | None]:
    t = _narrowable(name, scope)
    if t is None:
        body = _alias_body(name, scope)
        if body is None or _is_alias(body, scope):
            return None, None
        return _precise(_type_of_refs(name, kind, body))
    return _type_of_refs(name, kind, t)


def _type_of_refs(name: str, kind: str, t: Type) -> tuple[Refs | None, Refs | None]:
    k = named(kind)
    if type(t) is Union:
        members = t.members  # type: ignore[union-attr]
        truthy = {name: (k, None)} if k in members else None
        rest = [m for m in members if m is not k]
        falsy_t: Type = NEVER if not rest else rest[0] if len(rest) == 1 else Union(tuple(rest))
        return truthy, {name: (falsy_t, None)}
    if t is k:
        return {name: (k, None)}, {name: (NEVER, None)}
    if type(t) is Named and t.name == "unknown":  # type: ignore[union-attr]
        return {name: (k, None)}, {name: (KEEP, frozenset((kind,)))}
    return None, None


def tagged_union(t: Type | None, scope: Scope) -> tuple[list[Shape], str] | None:
    """Members and discriminant of a tagged shape union (after plain alias chains)."""
    t = _plain_alias(t, scope)
    if type(t) is not Union or len(t.members) < 2:  # type: ignore[union-attr]
        return None
    shapes: list[Shape] = []
    for m in t.members:  # type: ignore[union-attr]
        m = _plain_alias(m, scope)
        if type(m) is not Shape:
            return None
        shapes.append(m)  # type: ignore[arg-type]
    for f in shapes[0].fields:
        if f.optional or type(f.type) is not Lit:
            continue
        seen: list[object] = []
        ok = True
        for sh in shapes:
            g = sh.field(f.name)
            if g is None or g.optional or type(g.type) is not Lit or g.type in seen:
                ok = False
                break
            seen.append(g.type)
        if ok:
            return shapes, f.name
    return None


def _plain_alias(t: Type | None, scope: Scope) -> Type | None:
    for _ in range(20):
        if type(t) is not Named:
            return t
        info = scope.lookup_decl(t.name)  # type: ignore[union-attr]
        if type(info) is not AliasInfo or info.tparams:  # type: ignore[union-attr]
            return t
        t = info.body  # type: ignore[union-attr]
    return t


def tag_of(shape: Shape, disc: str) -> str | int | None:
    f = shape.field(disc)
    return f.type.value if f is not None and type(f.type) is Lit else None  # type: ignore


def _discriminate(name: str, field: str, lit: str | int,
                  scope: Scope) -> tuple[Refs | None, Refs | None]:
    t = var_type(name, scope)
    tu = tagged_union(t, scope)
    if tu is None or tu[1] != field:
        return None, None
    shapes, disc = tu
    match = [s for s in shapes if _same_lit(tag_of(s, disc), lit)]
    rest = [s for s in shapes if not _same_lit(tag_of(s, disc), lit)]
    truthy: Type = match[0] if len(match) == 1 else NEVER if not match else Union(tuple(match))
    falsy: Type = NEVER if not rest else rest[0] if len(rest) == 1 else Union(tuple(rest))
    return {name: (truthy, None)}, {name: (falsy, None)}


def _same_lit(a: object, b: object) -> bool:
    return a == b and type(a) is type(b)


def _has(name: str, key: str, scope: Scope) -> Refs | None:
    t = _narrowable(name, scope)
    if type(t) is not Shape:
        return None
    f = t.field(key)  # type: ignore[union-attr]
    if f is None or not f.optional:
        return None
    fields = tuple(type(f)(g.name, g.type, False) if g.name == key else g
                   for g in t.fields)  # type: ignore[union-attr]
    return {name: (Shape(fields), None)}


def apply(refs: Refs | None, scope: Scope) -> Scope:
    """A child scope of ``scope`` holding the refinements."""
    child = Scope(scope)
    if refs:
        narrow_into(refs, child, scope)
    return child


def narrow_into(refs: Refs, target: Scope, lookup_from: Scope | None = None) -> None:
    global precise_used
    src = lookup_from or target
    for name, (t, ruled) in refs.items():
        if type(t) is PreciseOnly:
            target.mark("precise", name, (t.type,))  # type: ignore[union-attr]
            precise_used = True
            continue
        if t is not KEEP:
            target.narrow(name, t, var_type(name, src))  # type: ignore[arg-type]
        if ruled:
            target.mark("ruled", name, src.ruled_out(name) | ruled)
