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

from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class Node:
    start: int
    end: int


# ---------------------------------------------------------------- types


@dataclass(slots=True, eq=False)
class TypeName(Node):
    """``int``, ``list<T>``, ``Result<T, E>``, ``nil``, ``true``, ``never``, ``Point``."""

    name: str
    args: list[TypeExpr] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class ListType(Node):
    """``[T]``, the same as ``list<T>``."""

    elem: TypeExpr


@dataclass(slots=True, eq=False)
class ShapeField(Node):
    name: str
    optional: bool
    type: TypeExpr


@dataclass(slots=True, eq=False)
class ShapeType(Node):
    fields: list[ShapeField]


@dataclass(slots=True, eq=False)
class FnType(Node):
    params: list[TypeExpr]
    ret: TypeExpr


@dataclass(slots=True, eq=False)
class LiteralType(Node):
    """A string or int literal type: ``"pass"``, ``3``, ``-1``."""

    value: str | int


@dataclass(slots=True, eq=False)
class UnionType(Node):
    members: list[TypeExpr]


TypeExpr = TypeName | ListType | ShapeType | FnType | LiteralType | UnionType


@dataclass(slots=True, eq=False)
class TypeParam(Node):
    name: str
    variance: str = ""  # "", "in" or "out"


@dataclass(slots=True, eq=False)
class WhereBound(Node):
    param: str
    interface: str


# ---------------------------------------------------------------- expressions


@dataclass(slots=True, eq=False)
class IntLit(Node):
    value: int


@dataclass(slots=True, eq=False)
class FloatLit(Node):
    value: float


@dataclass(slots=True, eq=False)
class DurationLit(Node):
    ms: int
    text: str


@dataclass(slots=True, eq=False)
class StringLit(Node):
    """A string without interpolation. ``kind`` is ``plain``, ``raw`` or ``multi``."""

    value: str
    kind: str = "plain"


@dataclass(slots=True, eq=False)
class InterpString(Node):
    """``"a ${x} b"``: ``parts`` alternate literal text (``str``) and expressions."""

    parts: list[str | Expr]
    kind: str = "plain"


@dataclass(slots=True, eq=False)
class BoolLit(Node):
    value: bool


@dataclass(slots=True, eq=False)
class NilLit(Node):
    pass


@dataclass(slots=True, eq=False)
class Name(Node):
    name: str
    parenthesized: bool = False


@dataclass(slots=True, eq=False)
class Spread(Node):
    """``...expr`` in a list literal, dict literal or argument list."""

    expr: Expr


@dataclass(slots=True, eq=False)
class ListLit(Node):
    elements: list[Expr | Spread]


@dataclass(slots=True, eq=False)
class DictEntry(Node):
    """``key: value``. ``key_kind`` is ``name`` (bare, ``key`` a StringLit),
    ``string`` (quoted, a StringLit) or ``computed`` (``[expr]``)."""

    key: Expr
    value: Expr
    key_kind: str = "name"


@dataclass(slots=True, eq=False)
class DictLit(Node):
    entries: list[DictEntry | Spread]


@dataclass(slots=True, eq=False)
class Param(Node):
    name: str
    name_start: int
    type: TypeExpr | None = None
    default: Expr | None = None
    rest: bool = False


@dataclass(slots=True, eq=False)
class Block(Node):
    stmts: list[Stmt]


@dataclass(slots=True, eq=False)
class Closure(Node):
    """``{ a, b -> body }``; the body's block value is returned."""

    params: list[Param]
    body: Block


@dataclass(slots=True, eq=False)
class FnExpr(Node):
    """``fn(a, b) { body }``; the body's block value is returned."""

    params: list[Param]
    body: Block


@dataclass(slots=True, eq=False)
class Unary(Node):
    op: str  # "!" or "-"
    operand: Expr


@dataclass(slots=True, eq=False)
class Binary(Node):
    """Arithmetic, comparison, ``in``/``not in``, ``&&``, ``||``, ``??``."""

    op: str
    left: Expr
    right: Expr
    op_start: int = 0


@dataclass(slots=True, eq=False)
class Ternary(Node):
    cond: Expr
    then: Expr
    else_: Expr


@dataclass(slots=True, eq=False)
class RangeExpr(Node):
    lo: Expr
    hi: Expr
    exclusive: bool = False


@dataclass(slots=True, eq=False)
class Pipe(Node):
    left: Expr
    right: Expr


@dataclass(slots=True, eq=False)
class Member(Node):
    """``obj.name`` or ``obj?.name`` (property access, or ``E.V`` for an enum)."""

    obj: Expr
    name: str
    name_start: int
    optional: bool = False


@dataclass(slots=True, eq=False)
class MethodCall(Node):
    """``obj.name(args)`` or ``obj?.name(args)``."""

    obj: Expr
    name: str
    name_start: int
    args: list[Expr | Spread]
    optional: bool = False


@dataclass(slots=True, eq=False)
class Call(Node):
    """``name(args)`` or ``name<T, U>(args)``; the callee is always a name."""

    callee: Name
    args: list[Expr | Spread]
    type_args: list[TypeExpr] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Index(Node):
    obj: Expr
    index: Expr
    optional: bool = False


@dataclass(slots=True, eq=False)
class Slice(Node):
    obj: Expr
    lo: Expr | None
    hi: Expr | None


@dataclass(slots=True, eq=False)
class StructLit(Node):
    name: str
    entries: list[DictEntry | Spread]


@dataclass(slots=True, eq=False)
class TryPostfix(Node):
    """``expr?``: unwrap ``Ok`` or return the ``Err`` from the function."""

    operand: Expr


@dataclass(slots=True, eq=False)
class TryStar(Node):
    """``try* operand``."""

    operand: Expr


@dataclass(slots=True, eq=False)
class If(Node):
    cond: Expr
    then: Block
    else_: Block | If | None = None


@dataclass(slots=True, eq=False)
class MatchArm(Node):
    patterns: list[Expr]
    guard: Expr | None
    body: Block


@dataclass(slots=True, eq=False)
class Match(Node):
    subject: Expr
    arms: list[MatchArm]


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class Spawn(Node):
    body: Block


@dataclass(slots=True, eq=False)
class Parallel(Node):
    """``parallel [each|settle] expr [with {max_concurrent: e}] { [x ->] body } [as stream]``."""

    mode: str  # "", "each" or "settle"
    operand: Expr
    max_concurrent: Expr | None
    param: str | None
    param_start: int
    body: Block
    as_stream: bool = False


@dataclass(slots=True, eq=False)
class Retry(Node):
    count: Expr
    body: Block


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class NamePattern(Node):
    name: str


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class DictPattern(Node):
    fields: list[DictPatternField]
    rest: str | None = None
    rest_start: int = 0


@dataclass(slots=True, eq=False)
class ListPatternElem(Node):
    name: str
    default: Expr | None = None


@dataclass(slots=True, eq=False)
class ListPattern(Node):
    elements: list[ListPatternElem]
    rest: str | None = None
    rest_start: int = 0


@dataclass(slots=True, eq=False)
class PairPattern(Node):
    """``(a, b)`` in ``for``: binds ``item.first`` and ``item.second``."""

    first: NamePattern
    second: NamePattern


Pattern = NamePattern | DictPattern | ListPattern | PairPattern


# ---------------------------------------------------------------- statements


@dataclass(slots=True, eq=False)
class Let(Node):
    """``let`` (``mutable=False``) or ``var`` (``mutable=True``)."""

    pattern: Pattern
    type: TypeExpr | None
    value: Expr
    mutable: bool = False
    doc: str | None = None


@dataclass(slots=True, eq=False)
class Assign(Node):
    """``target op value`` with ``op`` one of ``= += -= *= /= %=``."""

    target: Expr
    op: str
    value: Expr


@dataclass(slots=True, eq=False)
class ExprStmt(Node):
    expr: Expr


@dataclass(slots=True, eq=False)
class For(Node):
    pattern: Pattern
    iterable: Expr
    body: Block


@dataclass(slots=True, eq=False)
class While(Node):
    cond: Expr
    body: Block


@dataclass(slots=True, eq=False)
class Return(Node):
    value: Expr | None = None


@dataclass(slots=True, eq=False)
class Throw(Node):
    value: Expr


@dataclass(slots=True, eq=False)
class Break(Node):
    pass


@dataclass(slots=True, eq=False)
class Continue(Node):
    pass


@dataclass(slots=True, eq=False)
class Guard(Node):
    cond: Expr
    else_body: Block


@dataclass(slots=True, eq=False)
class Require(Node):
    cond: Expr
    message: Expr | None = None


@dataclass(slots=True, eq=False)
class Yield(Node):
    value: Expr | None = None


# Tier 2 statements


@dataclass(slots=True, eq=False)
class Mutex(Node):
    body: Block


@dataclass(slots=True, eq=False)
class Defer(Node):
    body: Block


@dataclass(slots=True, eq=False)
class Emit(Node):
    value: Expr


@dataclass(slots=True, eq=False)
class SelectCase(Node):
    """``name from expr { }``, ``timeout expr { }`` or ``default { }``."""

    kind: str  # "recv", "timeout" or "default"
    name: str | None
    name_start: int
    expr: Expr | None
    body: Block


@dataclass(slots=True, eq=False)
class Select(Node):
    cases: list[SelectCase]


@dataclass(slots=True, eq=False)
class Override(Node):
    name: str
    name_start: int
    params: list[str]
    body: Block


# ---------------------------------------------------------------- declarations


@dataclass(slots=True, eq=False)
class Attribute(Node):
    """``@name`` or ``@name(args)``; ``args`` are ``(label or None, value)``."""

    name: str
    args: list[tuple[str | None, Expr]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class StructField(Node):
    name: str
    optional: bool = False
    type: TypeExpr | None = None
    doc: str | None = None


@dataclass(slots=True, eq=False)
class StructDecl(Node):
    name: str
    name_start: int
    fields: list[StructField]
    type_params: list[TypeParam] = field(default_factory=list)
    pub: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@dataclass(slots=True, eq=False)
class Variant(Node):
    name: str
    params: list[Param] = field(default_factory=list)
    has_parens: bool = False
    doc: str | None = None


@dataclass(slots=True, eq=False)
class EnumDecl(Node):
    name: str
    name_start: int
    variants: list[Variant]
    type_params: list[TypeParam] = field(default_factory=list)
    pub: bool = False
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@dataclass(slots=True, eq=False)
class ImplBlock(Node):
    name: str
    name_start: int
    methods: list[FnDecl]
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@dataclass(slots=True, eq=False)
class AssocType(Node):
    name: str
    default: TypeExpr | None = None


@dataclass(slots=True, eq=False)
class InterfaceMethod(Node):
    name: str
    name_start: int
    params: list[Param]
    return_type: TypeExpr | None = None
    type_params: list[TypeParam] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class InterfaceDecl(Node):
    name: str
    name_start: int
    assoc_types: list[AssocType]
    methods: list[InterfaceMethod]
    type_params: list[TypeParam] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@dataclass(slots=True, eq=False)
class TypeAlias(Node):
    name: str
    name_start: int
    type: TypeExpr
    type_params: list[TypeParam] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    doc: str | None = None


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class ImportName(Node):
    name: str


@dataclass(slots=True, eq=False)
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


@dataclass(slots=True, eq=False)
class Comment(Node):
    """A comment kept for tooling.

    ``kind`` is ``line``, ``block``, ``doc_line`` or ``doc_block``.
    """

    text: str
    kind: str


@dataclass(slots=True, eq=False)
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
