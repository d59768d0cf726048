"""``schema_of(Alias)``: the schema dict of a type alias, built at compile time.

stdlib.md §13.3 makes ``schema_of`` a compile-time operation on a type alias
(at run time only a dict passes through). The mapping is the inverse of the
checker's schema-to-type mapping (types.md §12): ``int`` -> ``{type: "int"}``,
``list<T>`` / ``[T]`` -> ``{type: "list", items: S}``, ``dict<K, V>`` ->
``{type: "dict", additional_properties: S}``, a shape -> ``{type: "dict",
properties, required}`` (required = the non-optional fields, in name order),
``T | nil`` -> ``T``'s schema with ``nullable: true``, literal unions ->
``enum``, other unions -> ``union``. Names of other aliases expand (a cycle
becomes ``any``); struct names become ``dict``; anything else (functions,
type parameters, ``unknown``) becomes ``any``.
"""

from __future__ import annotations

from typing import Any

from lang import ast

_SCALARS = {"int": "int", "float": "float", "string": "string", "bool": "bool", "nil": "nil",
            "any": "any", "dict": "dict", "list": "list", "set": "set"}


def alias_schema(alias: ast.TypeAlias, aliases: dict[str, ast.TypeAlias],
                 structs: frozenset[str] = frozenset()) -> dict[str, Any]:
    return _schema(alias.type, aliases, structs, {alias.name})


def _schema(t: Any, aliases: dict[str, ast.TypeAlias], structs: frozenset[str],
            seen: set[str]) -> dict[str, Any]:
    k = type(t)
    if k is ast.ListType:
        return {"type": "list", "items": _schema(t.elem, aliases, structs, seen)}
    if k is ast.ShapeType:
        props = {f.name: _schema(f.type, aliases, structs, seen) for f in t.fields}
        required = sorted(f.name for f in t.fields if not f.optional)
        return {"type": "dict", "properties": dict(sorted(props.items())), "required": required}
    if k is ast.LiteralType:
        return {"type": "string" if isinstance(t.value, str) else "int", "const": t.value}
    if k is ast.UnionType:
        return _union(t.members, aliases, structs, seen)
    if k is not ast.TypeName:
        return {"type": "any"}
    name = t.name
    if name in ("list", "set") and t.args:
        return {"type": name, "items": _schema(t.args[0], aliases, structs, seen)}
    if name == "dict" and len(t.args) == 2:
        return {"type": "dict",
                "additional_properties": _schema(t.args[1], aliases, structs, seen)}
    if name in _SCALARS:
        return {"type": _SCALARS[name]}
    target = aliases.get(name)
    if target is not None and name not in seen:
        return _schema(target.type, aliases, structs, seen | {name})
    if name in structs:
        return {"type": "dict"}
    return {"type": "any"}


def _union(members: list[Any], aliases: dict[str, ast.TypeAlias], structs: frozenset[str],
           seen: set[str]) -> dict[str, Any]:
    nullable = any(type(m) is ast.TypeName and m.name == "nil" for m in members)
    rest = [m for m in members if not (type(m) is ast.TypeName and m.name == "nil")]
    if rest and all(type(m) is ast.LiteralType for m in rest):
        kinds = {type(m.value) for m in rest}
        out: dict[str, Any] = {"enum": [m.value for m in rest]}
        if len(kinds) == 1:
            out = {"type": "string" if kinds == {str} else "int", **out}
    elif len(rest) == 1:
        out = _schema(rest[0], aliases, structs, seen)
    elif rest:
        out = {"union": [_schema(m, aliases, structs, seen) for m in rest]}
    else:
        return {"type": "nil"}
    if nullable:
        out = {**out, "nullable": True}
    return out
