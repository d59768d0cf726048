"""The Harn syntax tree, shared read-only by the checker, the VM, the formatter
and the language server.

Every node carries ``start``/``end`` character offsets (``end`` exclusive).
Nodes compare by identity (``eq=False``) so later passes can key side tables
by node (types, resolutions) without writing into the tree. Names that an
editor must point at (declared names, member names, parameters) carry their
own ``name_start``; their end is ``name_start + len(name)``.

The tree is syntax, not meaning: ``E.V`` parses as :class:`Member`, a match
pattern is an ordinary expression, ``(a, b)`` in ``for`` is a
:class:`PairPattern`. Passes decide what those mean.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TypeVar, dataclass_transform

_N = TypeVar("_N")


_NODE_CLASSES: list[type] = []


@dataclass_transform(eq_default=False, field_specifiers=(field,))
def node(cls: type[_N]) -> type[_N]:
    """The dataclass decorator of every node class: slots, identity equality,
    and the one ``__repr__`` of :class:`Node`. A class without a docstring gets
    a short one, or dataclass would build one with ``inspect.signature``.
    ``__init__`` comes from :func:`_install_inits`, one ``exec`` for all classes.
    (Start-up: dataclass's per-class ``__repr__``, docstring and ``__init__``,
    each built by its own ``exec``, were two thirds of this module's import.)"""
    if cls.__doc__ is None:
        cls.__doc__ = f"The {cls.__name__} syntax node."
    made = dataclass(slots=True, eq=False, repr=False, init=False)(cls)
    _NODE_CLASSES.append(made)
    return made  # type: ignore[return-value]


def _install_inits() -> None:
    """The ``__init__`` dataclass would generate, for every node class at once."""
    ns: dict[str, object] = {"_F": object()}
    src: list[str] = []
    for i, cls in enumerate(_NODE_CLASSES):
        params: list[str] = []
        body: list[str] = []
        for f in fields(cls):
            n = f.name
            if f.default is not MISSING:
                ns[f"d{i}_{n}"] = f.default
                params.append(f"{n}=d{i}_{n}")
                body.append(f"    self.{n} = {n}")
            elif f.default_factory is not MISSING:
                ns[f"f{i}_{n}"] = f.default_factory
                params.append(f"{n}=_F")
                body.append(f"    self.{n} = f{i}_{n}() if {n} is _F else {n}")
            else:
                params.append(n)
                body.append(f"    self.{n} = {n}")
        src.append(f"def i{i}(self, {', '.join(params)}):\n" + "\n".join(body))
    exec("\n".join(src), ns)  # noqa: S102 - our own generated source
    for i, cls in enumerate(_NODE_CLASSES):
        init = ns[f"i{i}"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
        cls.__init__ = init  # type: ignore[misc]


@node
class Node:
    start: int
    end: int

    def __repr__(self) -> str:
        """The dataclass repr, shared by every node class: generating one
        ``__repr__`` per class made importing this module ~30% slower."""
        names = (f.name for f in fields(self))
        return f"{type(self).__qualname__}(" + ", ".join(
            f"{n}={getattr(self, n)!r}" for n in names) + ")"


# ---------------------------------------------------------------- types


@node
class TypeName(Node):
    """``int``, ``list<T>``, ``Result<T, E>``, ``nil``, ``true``, ``never``, ``Point``."""

    name: str
    args: list[TypeExpr] = field(default_factory=list)


@node
class ListType(Node):
    """``[T]``, the same as ``list<T>``."""

    elem: TypeExpr


@node
class ShapeField(Node):
    name: str
    optional: bool
    type: TypeExpr


@node
class ShapeType(Node):
    fields: list[ShapeField]


@node
class FnType(Node):
    params: list[TypeExpr]
    ret: TypeExpr


@node
class LiteralType(Node):
    """A string or int literal type: ``"pass"``, ``3``, ``-1``."""

    value: str | int


@node
class UnionType(Node):
    members: list[TypeExpr]


TypeExpr = TypeName | ListType | ShapeType | FnType | LiteralType | UnionType


@node
class TypeParam(Node):
    name: str
    variance: str = ""  # "", "in" or "out"


@node
class WhereBound(Node):
    param: str
    interface: str


# ---------------------------------------------------------------- expressions


@node
class IntLit(Node):
    value: int


@node
class FloatLit(Node):
    value: float


@node
class DurationLit(Node):
    ms: int
    text: str


@node
class StringLit(Node):
    """A string without interpolation. ``kind`` is ``plain``, ``raw`` or ``multi``."""

    value: str
    kind: str = "plain"


@node
class InterpString(Node):
    """``"a ${x} b"``: ``parts`` alternate literal text (``str``) and expressions."""

    parts: list[str | Expr]
    kind: str = "plain"


@node
class BoolLit(Node):
    value: bool


@node
class NilLit(Node):
    pass


@node
class Name(Node):
    name: str
    parenthesized: bool = False


@node
class Spread(Node):
    """``...expr`` in a list literal, dict literal or argument list."""

    expr: Expr


@node
class ListLit(Node):
    elements: list[Expr | Spread]


@node
class DictEntry(Node):
    """``key: value``. ``key_kind`` is ``name`` (bare, ``key`` a StringLit),
    ``string`` (quoted, a StringLit) or ``computed`` (``[expr]``)."""

    key: Expr
    value: Expr
    key_kind: str = "name"


@node
class DictLit(Node):
    entries: list[DictEntry | Spread]


@node
class Param(Node):
    name: str
    name_start: int
    type: TypeExpr | None = None
    default: Expr | None = None
    rest: bool = False


@node
class Block(Node):
    stmts: list[Stmt]


@node
class Closure(Node):
    """``{ a, b -> body }``; the body's block value is returned."""

    params: list[Param]
    body: Block


@node
class FnExpr(Node):
    """``fn(a, b) { body }``; the body's block value is returned."""

    params: list[Param]
    body: Block


@node
class Unary(Node):
    op: str  # "!" or "-"
    operand: Expr


@node
class Binary(Node):
    """Arithmetic, comparison, ``in``/``not in``, ``&&``, ``||``, ``??``."""

    op: str
    left: Expr
    right: Expr
    op_start: int = 0


@node
class Ternary(Node):
    cond: Expr
    then: Expr
    else_: Expr


@node
class RangeExpr(Node):
    lo: Expr
    hi: Expr
    exclusive: bool = False


@node
class Pipe(Node):
    left: Expr
    right: Expr


@node
class Member(Node):
    """``obj.name`` or ``obj?.name`` (property access, or ``E.V`` for an enum)."""

    obj: Expr
    name: str
    name_start: int
    optional: bool = False


@node
class MethodCall(Node):
    """``obj.name(args)`` or ``obj?.name(args)``."""

    obj: Expr
    name: str
    name_start: int
    args: list[Expr | Spread]
    optional: bool = False


@node
class Call(Node):
    """``name(args)`` or ``name<T, U>(args)``; the callee is always a name."""

    callee: Name
    args: list[Expr | Spread]
    type_args: list[TypeExpr] = field(default_factory=list)


@node
class Index(Node):
    obj: Expr
    index: Expr
    optional: bool = False


@node
class Slice(Node):
    obj: Expr
    lo: Expr | None
    hi: Expr | None


@node
class StructLit(Node):
    name: str
    entries: list[DictEntry | Spread]


@node
class TryPostfix(Node):
    """``expr?``: unwrap ``Ok`` or return the ``Err`` from the function."""

    operand: Expr


@node
class TryStar(Node):
    """``try* operand``."""

    operand: Expr


@node
class If(Node):
    cond: Expr
    then: Block
    else_: Block | If | None = None


@node
class MatchArm(Node):
    patterns: list[Expr]
    guard: Expr | None
    body: Block


@node
class Match(Node):
    subject: Expr
    arms: list[MatchArm]


@node
class Try(Node):
    """``try { } [catch ...] [finally { }]``. With neither handler it is the
    try-expression yielding a Result."""

    body: Block
    has_catch: bool = False
    catch_name: str | None = None
    catch_name_start: int = 0
    catch_type: TypeExpr | None = None
    catch_body: Block | None = None
    finally_body: Block | None = None


# Tier 2 expressions


@node
class Spawn(Node):
    body: Block


@node
class Parallel(Node):
    """``parallel [each|settle] expr [with {max_concurrent: e}] { [x ->] body } [as stream]``."""

    mode: str  # "", "each" or "settle"
    operand: Expr
    max_concurrent: Expr | None
    param: str | None
    param_start: int
    body: Block
    as_stream: bool = False


@node
class Retry(Node):
    count: Expr
    body: Block


@node
class Deadline(Node):
    duration: Expr
    body: Block


Expr = (
    IntLit
    | FloatLit
    | DurationLit
    | StringLit
    | InterpString
    | BoolLit
    | NilLit
    | Name
    | ListLit
    | DictLit
    | Closure
    | FnExpr
    | Unary
    | Binary
    | Ternary
    | RangeExpr
    | Pipe
    | Member
    | MethodCall
    | Call
    | Index
    | Slice
    | StructLit
    | TryPostfix
    | TryStar
    | If
    | Match
    | Try
    | Spawn
    | Parallel
    | Retry
    | Deadline
)


# ---------------------------------------------------------------- binding patterns


@node
class NamePattern(Node):
    name: str


@node
class DictPatternField(Node):
    """``key``, ``key: alias``, ``key = default``, ``key: alias = default``."""

    key: str
    alias: str | None
    alias_start: int
    default: Expr | None = None

    @property
    def binds(self) -> str:
        return self.alias if self.alias is not None else self.key

    @property
    def binds_start(self) -> int:
        return self.alias_start if self.alias is not None else self.start


@node
class DictPattern(Node):
    fields: list[DictPatternField]
    rest: str | None = None
    rest_start: int = 0


@node
class ListPatternElem(Node):
    name: str
    default: Expr | None = None


@node
class ListPattern(Node):
    elements: list[ListPatternElem]
    rest: str | None = None
    rest_start: int = 0


@node
class PairPattern(Node):
    """``(a, b)`` in ``for``: binds ``item.first`` and ``item.second``."""

    first: NamePattern
    second: NamePattern


Pattern = NamePattern | DictPattern | ListPattern | PairPattern


# ---------------------------------------------------------------- statements


@node
class Let(Node):
    """``let`` (``mutable=False``) or ``var`` (``mutable=True``)."""

    pattern: Pattern
    type: TypeExpr | None
    value: Expr
    mutable: bool = False
    doc: str | None = None


@node
class Assign(Node):
    """``target op value`` with ``op`` one of ``= += -= *= /= %=``."""

    target: Expr
    op: str
    value: Expr


@node
class ExprStmt(Node):
    expr: Expr


@node
class For(Node):
    pattern: Pattern
    iterable: Expr
    body: Block


@node
class While(Node):
    cond: Expr
    body: Block


@node
class Return(Node):
    value: Expr | None = None


@node
class Throw(Node):
    value: Expr


@node
class Break(Node):
    pass


@node
class Continue(Node):
    pass


@node
class Guard(Node):
    cond: Expr
    else_body: Block


@node
class Require(Node):
    cond: Expr
    message: Expr | None = None


@node
class Yield(Node):
    value: Expr | None = None


# Tier 2 statements


@node
class Mutex(Node):
    body: Block


@node
class Defer(Node):
    body: Block


@node
class Emit(Node):
    value: Expr


@node
class SelectCase(Node):
    """``name from expr { }``, ``timeout expr { }`` or ``default { }``."""

    kind: str  # "recv", "timeout" or "default"
    name: str | None
    name_start: int
    expr: Expr | None
    body: Block


@node
class Select(Node):
    cases: list[SelectCase]


@node
class Override(Node):
    name: str
    name_start: int
    params: list[str]
    body: Block


# ---------------------------------------------------------------- declarations


@node
class Attribute(Node):
    """``@name`` or ``@name(args)``; ``args`` are ``(label or None, value)``."""

    name: str
    args: list[tuple[str | None, Expr]] = field(default_factory=list)


@node
class FnDecl(Node):
    name: str
    name_start: int
    params: list[Param]
    body: Block
    type_params: list[TypeParam] = field(default_factory=list)
    return_type: TypeExpr | None = None
    where: list[WhereBound] = field(default_factory=list)
    pub: bool = False
    is_gen: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class StructField(Node):
    name: str
    optional: bool = False
    type: TypeExpr | None = None
    doc: str | None = None


@node
class StructDecl(Node):
    name: str
    name_start: int
    fields: list[StructField]
    type_params: list[TypeParam] = field(default_factory=list)
    pub: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class Variant(Node):
    name: str
    params: list[Param] = field(default_factory=list)
    has_parens: bool = False
    doc: str | None = None


@node
class EnumDecl(Node):
    name: str
    name_start: int
    variants: list[Variant]
    type_params: list[TypeParam] = field(default_factory=list)
    pub: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class ImplBlock(Node):
    name: str
    name_start: int
    methods: list[FnDecl]
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class AssocType(Node):
    name: str
    default: TypeExpr | None = None


@node
class InterfaceMethod(Node):
    name: str
    name_start: int
    params: list[Param]
    return_type: TypeExpr | None = None
    type_params: list[TypeParam] = field(default_factory=list)


@node
class InterfaceDecl(Node):
    name: str
    name_start: int
    assoc_types: list[AssocType]
    methods: list[InterfaceMethod]
    type_params: list[TypeParam] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class TypeAlias(Node):
    name: str
    name_start: int
    type: TypeExpr
    type_params: list[TypeParam] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class Pipeline(Node):
    name: str
    name_start: int
    params: list[Param]
    body: Block
    return_type: TypeExpr | None = None
    extends: str | None = None
    pub: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@node
class ImportName(Node):
    name: str


@node
class Import(Node):
    """``import "path"`` (``names`` None) or ``import { a, b } from "path"``."""

    path: str
    path_start: int
    names: list[ImportName] | None = None
    pub: bool = False


Stmt = (
    Let
    | Assign
    | ExprStmt
    | For
    | While
    | Return
    | Throw
    | Break
    | Continue
    | Guard
    | Require
    | Yield
    | Mutex
    | Defer
    | Emit
    | Select
    | Override
    | FnDecl
    | StructDecl
    | EnumDecl
    | ImplBlock
    | InterfaceDecl
    | TypeAlias
    | Pipeline
    | Import
)

Decl = FnDecl | StructDecl | EnumDecl | ImplBlock | InterfaceDecl | TypeAlias | Pipeline


@node
class Comment(Node):
    """A comment kept for tooling.

    ``kind`` is ``line``, ``block``, ``doc_line`` or ``doc_block``.
    """

    text: str
    kind: str


@node
class Program(Node):
    items: list[Stmt]
    comments: list[Comment] = field(default_factory=list)

    @property
    def is_pipeline_mode(self) -> bool:
        return any(isinstance(i, Pipeline) for i in self.items)


# ---------------------------------------------------------------- traversal


def children(node: Node) -> list[Node]:
    """The direct child nodes of ``node``, in source order."""
    out: list[Node] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if value is None:
            continue
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Node):
                    out.append(item)
                elif isinstance(item, tuple):
                    out.extend(x for x in item if isinstance(x, Node))
    return out


_install_inits()

_FIELD_CACHE: dict[type, tuple[str, ...]] = {}
_SCALAR_FIELDS = {
    "start",
    "end",
    "name_start",
    "op_start",
    "alias_start",
    "rest_start",
    "catch_name_start",
    "param_start",
    "path_start",
}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _FIELD_CACHE.get(cls)
    if names is None:
        names = tuple(
            f
            for f in cls.__dataclass_fields__
            if f not in _SCALAR_FIELDS  # type: ignore[attr-defined]
        )
        _FIELD_CACHE[cls] = names
    return names


def walk(node: Node):
    """Yield ``node`` and all its descendants, depth first, in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))
