"""Schema-as-type (types.md §12): the type a schema argument describes, and the
intersection/subtraction ``schema_is(x, S)`` / ``is_type(x, S)`` narrow with.

A schema argument becomes a type when it is a dict literal, a variable bound
(by ``let``/``var`` in a visible scope) to a dict literal, a type alias name,
or ``schema_of(Alias)``; anything else describes no type and narrows nothing.

Dict mapping: ``type`` as a string (JSON-Schema spellings normalised:
``object`` → dict, ``array`` → list, ``integer`` → int, ``number`` → float,
``boolean`` → bool, ``null`` → nil) or a list of strings (a union);
``properties`` (+ ``required``; the others optional) → a shape; ``items`` →
``list<T>``; ``union``/``oneOf``/``anyOf`` → a union; ``dict`` with an
``additional_properties`` schema → ``dict<string, V>``; ``nullable: true``
adds ``nil``. A property whose schema describes no type is ``any``.

Intersection (the truthy branch): equal types, or a literal and its base →
the literal; a union → its members with a non-empty intersection; ``dict`` ∩
a shape or ``dict<K, V>`` → the latter; ``list`` ∩ ``list<T>`` → ``list<T>``;
shape ∩ shape → the schema's shape; list/dict/iterator pairs recurse; aliases
are expanded; anything else is empty, which narrows nothing (``unknown`` and
``any`` are never narrowed). Subtraction (the falsy branch): the union members
whose intersection is empty; a non-union is left alone.
"""

from __future__ import annotations

from lang import ast
from typechecker.scope import MISSING, AliasInfo, Scope
from typechecker.types import (
    ANY,
    DICT,
    LIST,
    NEVER,
    NIL,
    STRING,
    DictT,
    Field,
    IterT,
    ListT,
    Lit,
    Named,
    Shape,
    Type,
    Union,
    named,
)

_SPELLINGS = {"object": "dict", "array": "list", "integer": "int", "number": "float",
              "boolean": "bool", "null": "nil"}
_EMPTY = None  # an empty intersection


def schema_type(e: ast.Expr, s: Scope, depth: int = 0) -> Type | None:
    """The type schema argument ``e`` describes (§12), or ``None``."""
    if depth > 20:
        return None
    cls = type(e)
    if cls is ast.DictLit:
        return dict_schema(e, s, depth)
    if cls is ast.Name:
        if s.lookup(e.name) is not MISSING:
            lit = s.find_mark("schemas", e.name)
            return dict_schema(lit, s, depth) if type(lit) is ast.DictLit else None
        info = s.lookup_decl(e.name)
        if type(info) is AliasInfo and not info.tparams:
            return named(e.name)
        return None
    if cls is ast.Call and e.callee.name == "schema_of" and len(e.args) == 1 and \
            type(e.args[0]) is ast.Name:
        info = s.lookup_decl(e.args[0].name)
        if type(info) is AliasInfo and not info.tparams:
            return named(e.args[0].name)
    return None


def _entries(d: ast.DictLit) -> dict[str, ast.Expr] | None:
    out: dict[str, ast.Expr] = {}
    for entry in d.entries:
        if type(entry) is not ast.DictEntry or type(entry.key) is not ast.StringLit:
            return None
        out[entry.key.value] = entry.value
    return out


def _type_name(e: ast.Expr) -> Type | None:
    if type(e) is not ast.StringLit:
        return None
    name = _SPELLINGS.get(e.value, e.value)
    if not name or not name.replace("_", "").isalnum():
        return None
    return named(name)


def dict_schema(d: ast.DictLit, s: Scope, depth: int = 0) -> Type | None:
    keys = _entries(d)
    if keys is None:
        return None
    t: Type | None = None
    tv = keys.get("type")
    if tv is not None:
        if type(tv) is ast.ListLit:
            members = [_type_name(x) for x in tv.elements]
            if not members or any(m is None for m in members):
                return None
            t = members[0] if len(members) == 1 else Union(tuple(members))  # type: ignore
        else:
            t = _type_name(tv)
            if t is None:
                return None
    props = keys.get("properties")
    if props is not None and t in (None, DICT):
        t = _shape(props, keys.get("required"), s, depth)
        if t is None:
            return None
    elif "items" in keys and t in (None, LIST):
        item = schema_type(keys["items"], s, depth + 1)
        t = ListT(ANY if item is None else item)
    elif t is DICT and "additional_properties" in keys:
        v = keys["additional_properties"]
        if type(v) is ast.DictLit:
            vt = schema_type(v, s, depth + 1)
            t = DictT(STRING, ANY if vt is None else vt)
    if t is None:
        for key in ("union", "oneOf", "anyOf"):
            alts = keys.get(key)
            if type(alts) is ast.ListLit and alts.elements:
                members = [schema_type(a, s, depth + 1) for a in alts.elements]
                if any(m is None for m in members):
                    return None
                t = members[0] if len(members) == 1 else Union(tuple(members))  # type: ignore
                break
    if t is None:
        return None
    nullable = keys.get("nullable")
    if type(nullable) is ast.BoolLit and nullable.value and t is not NIL:
        if type(t) is Union:
            if NIL not in t.members:  # type: ignore[union-attr]
                t = Union(t.members + (NIL,))  # type: ignore[union-attr]
        else:
            t = Union((t, NIL))
    return t


def _shape(props: ast.Expr, required: ast.Expr | None, s: Scope, depth: int) -> Type | None:
    if type(props) is not ast.DictLit:
        return None
    entries = _entries(props)
    if entries is None:
        return None
    req: set[str] = set()
    if type(required) is ast.ListLit:
        for r in required.elements:
            if type(r) is ast.StringLit:
                req.add(r.value)
    fields = []
    for name, sub in entries.items():
        ft = schema_type(sub, s, depth + 1)
        fields.append(Field(name, ANY if ft is None else ft, name not in req))
    return Shape(tuple(fields))


# ---------------------------------------------------------------- intersection


def _expand(t: Type, s: Scope) -> Type:
    for _ in range(20):
        if type(t) is not Named:
            return t
        info = s.lookup_decl(t.name)  # type: ignore[union-attr]
        if type(info) is not AliasInfo or info.tparams:
            return t
        t = info.body
    return t


def intersect(x: Type, sch: Type, s: Scope, depth: int = 0) -> Type | None:
    """``x ∩ sch`` per §12, ``None`` when empty."""
    if depth > 20:
        return _EMPTY
    if x == sch:
        return x
    cx, cs = type(x), type(sch)
    if cx is Union:
        kept = [m for m in x.members  # type: ignore[union-attr]
                if intersect(m, sch, s, depth + 1) is not None]
        return _of(kept)
    if cs is Union:
        parts: list[Type] = []
        for m in sch.members:  # type: ignore[union-attr]
            r = intersect(x, m, s, depth + 1)
            if r is not None and r not in parts:
                parts.append(r)
        return _of(parts)
    if cx is Named and x.name in ("any", "unknown"):  # type: ignore[union-attr]
        return _EMPTY
    if cx is Named and s.lookup_decl(x.name) is not None:  # type: ignore[union-attr]
        ex = _expand(x, s)
        return intersect(ex, sch, s, depth + 1) if ex is not x else _EMPTY
    if cs is Named and s.lookup_decl(sch.name) is not None:  # type: ignore[union-attr]
        es = _expand(sch, s)
        return intersect(x, es, s, depth + 1) if es is not sch else _EMPTY
    if cx is Lit and cs is Lit:
        return _EMPTY  # unequal literals
    if cx is Lit and cs is Named:
        return x if sch.name == _lit_base(x) else _EMPTY  # type: ignore[union-attr]
    if cs is Lit and cx is Named:
        return sch if x.name == _lit_base(sch) else _EMPTY  # type: ignore[union-attr]
    if x is DICT and cs in (Shape, DictT):
        return sch
    if sch is DICT and cx in (Shape, DictT):
        return x
    if x is LIST and cs is ListT:
        return sch
    if sch is LIST and cx is ListT:
        return x
    if cx is Shape and cs is Shape:
        return sch
    if cx is ListT and cs is ListT:
        e = intersect(x.elem, sch.elem, s, depth + 1)  # type: ignore[union-attr]
        return None if e is None else ListT(e)
    if cx is DictT and cs is DictT:
        k = intersect(x.key, sch.key, s, depth + 1)  # type: ignore[union-attr]
        v = intersect(x.value, sch.value, s, depth + 1)  # type: ignore[union-attr]
        return None if k is None or v is None else DictT(k, v)
    if cx is IterT and cs is IterT and x.kind == sch.kind:  # type: ignore[union-attr]
        e = intersect(x.elem, sch.elem, s, depth + 1)  # type: ignore[union-attr]
        return None if e is None else IterT(x.kind, e)  # type: ignore[union-attr]
    return _EMPTY


def _lit_base(t: Lit) -> str:
    return "string" if isinstance(t.value, str) else "int"


def _of(items: list[Type]) -> Type | None:
    if not items:
        return _EMPTY
    return items[0] if len(items) == 1 else Union(tuple(items))


def refinements(x: Type, sch: Type, s: Scope) -> tuple[Type | None, Type | None]:
    """(truthy, falsy) types for ``schema_is(x, S)``; ``None`` means no refinement."""
    if type(x) is Named and x.name in ("any", "unknown"):  # type: ignore[union-attr]
        return None, None
    truthy = intersect(x, sch, s)
    falsy: Type | None = None
    ex = _expand(x, s)
    if type(ex) is Union:
        rest = [m for m in ex.members  # type: ignore[union-attr]
                if intersect(m, sch, s) is None]
        falsy = NEVER if not rest else _of(rest)
    return truthy, falsy
