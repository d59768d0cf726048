"""Static types of the checker (types.md §2, §4) and their printed form.

A type is an immutable value; "untyped" (gradual typing's unknown-to-us) is
Python ``None``, never a type object, so ``if t is None`` is the fast test the
whole checker uses. Forms:

* :class:`Named` - ``int``, ``any``, ``unknown``, ``list`` (bare), a struct,
  enum, alias, interface or type-parameter name. Interned by :func:`named`, so
  the common primitives compare by identity.
* :class:`Lit` - a string or int literal type (``"pass"``, ``3``).
* :class:`Union` - ordered members, never flattened or sorted (messages print
  them as written).
* :class:`Shape` - ordered fields ``name[?]: T``.
* :class:`ListT`, :class:`DictT`, :class:`IterT` (``iter``, ``Generator``,
  ``Stream``), :class:`Applied` (``Result<T, E>``, ``Pair<K, V>``, user
  generics), :class:`FnT`.
* :data:`NEVER` (bottom) and :data:`WILD` (the inference wildcard ``_``).

Equality is structural; :func:`show` prints exactly as §4 requires and caches
nothing (types are small).
"""

from __future__ import annotations

from lang import ast


class Type:
    """Base of all type forms: immutable, compared and hashed structurally.

    Plain classes rather than frozen dataclasses: the checker creates these by the
    thousand and imports them on every start-up, where dataclass generation costs.
    """

    __slots__ = ()

    def _key(self) -> tuple:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return self is other or (type(other) is type(self) and
                                 self._key() == other._key())  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({args})"


class Named(Type):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Lit(Type):
    __slots__ = ("value",)

    def __init__(self, value: str | int) -> None:
        self.value = value

    def _key(self) -> tuple:
        return (type(self.value), self.value)  # "1" and 1 differ


class Union(Type):
    __slots__ = ("members",)

    def __init__(self, members: tuple[Type, ...]) -> None:
        self.members = members


class Field(Type):
    __slots__ = ("name", "type", "optional")

    def __init__(self, name: str, type: Type, optional: bool = False) -> None:  # noqa: A002
        self.name = name
        self.type = type
        self.optional = optional


class Shape(Type):
    __slots__ = ("fields",)

    def __init__(self, fields: tuple[Field, ...]) -> None:
        self.fields = fields

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


class ListT(Type):
    __slots__ = ("elem",)

    def __init__(self, elem: Type) -> None:
        self.elem = elem


class DictT(Type):
    __slots__ = ("key", "value")

    def __init__(self, key: Type, value: Type) -> None:
        self.key = key
        self.value = value


class IterT(Type):
    """``iter<T>``, ``Generator<T>`` or ``Stream<T>`` (``kind`` is the printed head)."""

    __slots__ = ("kind", "elem")

    def __init__(self, kind: str, elem: Type) -> None:
        self.kind = kind
        self.elem = elem


class Applied(Type):
    __slots__ = ("name", "args")

    def __init__(self, name: str, args: tuple[Type, ...]) -> None:
        self.name = name
        self.args = args


class FnT(Type):
    __slots__ = ("params", "ret")

    def __init__(self, params: tuple[Type, ...], ret: Type) -> None:
        self.params = params
        self.ret = ret


class Never(Type):
    __slots__ = ()


class Wild(Type):
    __slots__ = ()


NEVER = Never()
WILD = Wild()

_NAMED: dict[str, Named] = {}


def named(name: str) -> Named:
    t = _NAMED.get(name)
    if t is None:
        t = _NAMED[name] = Named(name)
    return t


INT = named("int")
FLOAT = named("float")
STRING = named("string")
BOOL = named("bool")
NIL = named("nil")
ANY = named("any")
UNKNOWN = named("unknown")
LIST = named("list")
DICT = named("dict")
CLOSURE = named("closure")
RANGE = named("range")
ITER = named("iter")
SET = named("set")

_SIMPLE_TYPES: dict[str, Type] = _NAMED  # plain names already interned

PRIMITIVE_NAMES = frozenset({"int", "float", "string", "bool", "nil"})
# Bare container names and the parameterised forms they are compatible with (§5).
BARE_CONTAINERS = {
    "list": ListT, "dict": DictT, "iter": IterT, "generator": IterT, "Generator": IterT,
    "stream": IterT, "Stream": IterT,
}
ITER_KINDS = {"iter": "iter", "Iter": "iter", "Generator": "Generator", "generator": "Generator",
              "Stream": "Stream", "stream": "Stream"}
BARE_ITER_KIND = {"iter": "iter", "generator": "Generator", "Generator": "Generator",
                  "stream": "Stream", "Stream": "Stream"}


# ---------------------------------------------------------------- printing


def show(t: Type | None) -> str:
    """The printed form of §4 (``None``, untyped, prints as ``_``)."""
    cls = type(t)
    if cls is Named:
        return t.name  # type: ignore[union-attr]
    if t is None or cls is Wild:
        return "_"
    if cls is Lit:
        v = t.value  # type: ignore[union-attr]
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return str(v)
    if cls is Union:
        return " | ".join(show(m) for m in t.members)  # type: ignore[union-attr]
    if cls is Shape:
        inner = ", ".join(
            f"{f.name}{'?' if f.optional else ''}: {show(f.type)}"
            for f in t.fields  # type: ignore[union-attr]
        )
        return "{" + inner + "}"
    if cls is ListT:
        return f"list<{show(t.elem)}>"  # type: ignore[union-attr]
    if cls is DictT:
        return f"dict<{show(t.key)}, {show(t.value)}>"  # type: ignore[union-attr]
    if cls is IterT:
        return f"{t.kind}<{show(t.elem)}>"  # type: ignore[union-attr]
    if cls is Applied:
        return f"{t.name}<{', '.join(show(a) for a in t.args)}>"  # type: ignore[union-attr]
    if cls is FnT:
        return f"fn({', '.join(show(p) for p in t.params)}) -> {show(t.ret)}"  # type: ignore
    if cls is Never:
        return "never"
    return "?"


# ---------------------------------------------------------------- from syntax


def from_ast(node: ast.TypeExpr) -> Type:
    """The type an annotation denotes (aliases are kept as names)."""
    cls = type(node)
    if cls is ast.TypeName:
        name = node.name  # type: ignore[union-attr]
        args = node.args  # type: ignore[union-attr]
        if not args:
            t = _SIMPLE_TYPES.get(name)
            if t is not None:
                return t
            if name == "true" or name == "false":
                return BOOL
            if name == "never":
                return NEVER
            return named(name)
        if name == "list" and len(args) == 1:
            return ListT(from_ast(args[0]))
        if name == "dict" and len(args) == 2:
            return DictT(from_ast(args[0]), from_ast(args[1]))
        kind = ITER_KINDS.get(name)
        if kind is not None and len(args) == 1:
            return IterT(kind, from_ast(args[0]))
        return Applied(name, tuple(from_ast(a) for a in args))
    if cls is ast.ListType:
        return ListT(from_ast(node.elem))  # type: ignore[union-attr]
    if cls is ast.UnionType:
        return Union(tuple(from_ast(m) for m in node.members))  # type: ignore[union-attr]
    if cls is ast.ShapeType:
        return Shape(tuple(Field(f.name, from_ast(f.type), f.optional)
                           for f in node.fields))  # type: ignore[union-attr]
    if cls is ast.LiteralType:
        return Lit(node.value)  # type: ignore[union-attr]
    if cls is ast.FnType:
        return FnT(tuple(from_ast(p) for p in node.params),  # type: ignore[union-attr]
                   from_ast(node.ret))  # type: ignore[union-attr]
    return ANY


def parse_type_text(text: str) -> Type | None:
    """Parse a type written in source syntax (``list<int> | nil``); ``None`` if it fails."""
    from lang.parser import parse
    from lang.source import Source

    result = parse(Source(f"let _t: {text} = nil"))
    items = result.program.items
    if result.diagnostics or len(items) != 1 or not isinstance(items[0], ast.Let):
        return None
    node = items[0].type
    return None if node is None else from_ast(node)


# ---------------------------------------------------------------- operations


def substitute(t: Type, mapping: dict[str, Type | None]) -> Type:
    """Replace bare type-parameter names; an unbound (``None``) one stays its name."""
    cls = type(t)
    if cls is Named:
        r = mapping.get(t.name)  # type: ignore[union-attr]
        return t if r is None else r
    if cls is Union:
        return Union(tuple(substitute(m, mapping) for m in t.members))  # type: ignore
    if cls is ListT:
        return ListT(substitute(t.elem, mapping))  # type: ignore[union-attr]
    if cls is DictT:
        return DictT(substitute(t.key, mapping), substitute(t.value, mapping))  # type: ignore
    if cls is IterT:
        return IterT(t.kind, substitute(t.elem, mapping))  # type: ignore[union-attr]
    if cls is Applied:
        return Applied(t.name, tuple(substitute(a, mapping) for a in t.args))  # type: ignore
    if cls is Shape:
        return Shape(tuple(Field(f.name, substitute(f.type, mapping), f.optional)
                           for f in t.fields))  # type: ignore[union-attr]
    if cls is FnT:
        return FnT(tuple(substitute(p, mapping) for p in t.params),  # type: ignore
                   substitute(t.ret, mapping))  # type: ignore[union-attr]
    return t


def mentions(t: Type, names: frozenset[str] | set[str]) -> bool:
    """Whether a bare name from ``names`` occurs anywhere in ``t``."""
    cls = type(t)
    if cls is Named:
        return t.name in names  # type: ignore[union-attr]
    if cls is Union:
        return any(mentions(m, names) for m in t.members)  # type: ignore[union-attr]
    if cls is ListT or cls is IterT:
        return mentions(t.elem, names)  # type: ignore[union-attr]
    if cls is DictT:
        return mentions(t.key, names) or mentions(t.value, names)  # type: ignore
    if cls is Applied:
        return any(mentions(a, names) for a in t.args)  # type: ignore[union-attr]
    if cls is Shape:
        return any(mentions(f.type, names) for f in t.fields)  # type: ignore[union-attr]
    if cls is FnT:
        return any(mentions(p, names) for p in t.params) or mentions(t.ret, names)  # type: ignore
    return False


def union_of(items: list[Type]) -> Type:
    """Distinct items in first-seen order; one item stands for itself."""
    out: list[Type] = []
    for t in items:
        if t not in out:
            out.append(t)
    return out[0] if len(out) == 1 else Union(tuple(out))


def without_nil(t: Union) -> Type:
    """Union members other than ``nil`` (none left: ``never``; one: itself)."""
    rest = [m for m in t.members if m is not NIL]
    if not rest:
        return NEVER
    return rest[0] if len(rest) == 1 else Union(tuple(rest))


def has_nil(t: Type | None) -> bool:
    return type(t) is Union and NIL in t.members  # type: ignore[union-attr]


def is_named(t: Type | None) -> bool:
    return type(t) is Named


def literal_kind(t: Type) -> str | None:
    if type(t) is Lit:
        return "string" if isinstance(t.value, str) else "int"  # type: ignore[union-attr]
    return None
