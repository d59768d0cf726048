"""Checker scopes that share their parents (types.md §13.2, ARCHITECTURE decision 2).

Entering a scope is O(1): a :class:`Scope` holds a reference to its parent and
only its *own* tables, each created lazily on the first write. Nothing is ever
copied from a parent and nothing is written through a parent link; lookups
walk the chain and the first hit wins. Narrowing facts (a variable's refined
type plus its pre-narrowing type), nil-widening and ``var`` marks and
ruled-out kinds live in the small child scope where they arise; "off" marks
are explicit ``False`` entries that shadow an ancestor's ``True``.

``lex`` is the *lexical* parent when it differs from the type parent: a named
``fn`` body sees the root for types (§13.1 quirk) but its enclosing block's
names are still visible at run time, which the undefined-name warning needs.

:data:`Scope.copies` counts table copies. The checker never copies, and a
test asserts the counter stays at zero while creating thousands of children
under a parent with thousands of bindings.
"""

from __future__ import annotations

from lang import ast
from typechecker.types import Type

_MISSING = object()


class ParamSig:
    __slots__ = ("name", "type", "has_default", "rest")

    def __init__(self, name: str, type: Type | None, has_default: bool = False,  # noqa: A002
                 rest: bool = False) -> None:
        self.name = name
        self.type = type
        self.has_default = has_default
        self.rest = rest


class FnSig:
    """A user function known by name (§13.1 pass 3)."""

    __slots__ = ("name", "params", "ret", "tparams", "variances", "where", "required",
                 "has_rest", "node", "kind", "is_gen", "deprecated", "declared_ret",
                 "inferred_ret")

    def __init__(self, name: str, params: list[ParamSig], ret: Type | None,
                 tparams: tuple[str, ...] = (), variances: tuple[str, ...] = (),
                 where: list[tuple[str, str]] | None = None, required: int = 0,
                 has_rest: bool = False, node: ast.Node | None = None, kind: str = "fn",
                 is_gen: bool = False,
                 deprecated: tuple[str | None, str | None] | None = None,
                 declared_ret: bool = False) -> None:
        self.name = name
        self.params = params
        self.ret = ret
        self.tparams = tparams
        self.variances = variances
        self.where = where if where is not None else []
        self.required = required
        self.has_rest = has_rest
        self.node = node
        self.kind = kind  # fn, pipeline, method
        self.is_gen = is_gen
        self.deprecated = deprecated
        self.declared_ret = declared_ret
        self.inferred_ret: Type | None = None  # from the body (our own warnings only)


class StructInfo:
    __slots__ = ("name", "tparams", "variances", "fields", "node")

    def __init__(self, name: str, tparams: tuple[str, ...], variances: tuple[str, ...],
                 fields: list[tuple[str, Type | None, bool]], node: ast.Node | None = None):
        self.name = name
        self.tparams = tparams
        self.variances = variances
        self.fields = fields  # (name, type, optional)
        self.node = node

    def field(self, name: str) -> tuple[str, Type | None, bool] | None:
        for f in self.fields:
            if f[0] == name:
                return f
        return None


class EnumInfo:
    __slots__ = ("name", "tparams", "variances", "variants", "node")

    def __init__(self, name: str, tparams: tuple[str, ...], variances: tuple[str, ...],
                 variants: dict[str, list[tuple[str, Type | None]]],
                 node: ast.Node | None = None) -> None:
        self.name = name
        self.tparams = tparams
        self.variances = variances
        self.variants = variants
        self.node = node


class AliasInfo:
    __slots__ = ("name", "tparams", "variances", "body", "node")

    def __init__(self, name: str, tparams: tuple[str, ...], variances: tuple[str, ...],
                 body: Type, node: ast.Node | None = None) -> None:
        self.name = name
        self.tparams = tparams
        self.variances = variances
        self.body = body
        self.node = node


class IfaceMethod:
    __slots__ = ("name", "params", "ret")

    def __init__(self, name: str, params: list[ParamSig], ret: Type | None) -> None:
        self.name = name
        self.params = params  # without self
        self.ret = ret


class InterfaceInfo:
    __slots__ = ("name", "tparams", "variances", "assoc", "methods", "node")

    def __init__(self, name: str, tparams: tuple[str, ...], variances: tuple[str, ...],
                 assoc: list[tuple[str, Type | None]], methods: dict[str, IfaceMethod],
                 node: ast.Node | None = None) -> None:
        self.name = name
        self.tparams = tparams
        self.variances = variances
        self.assoc = assoc
        self.methods = methods
        self.node = node


class FnContext:
    """What the walker needs to know about the enclosing function or closure."""

    __slots__ = ("kind", "is_gen", "stream_elem", "name", "sig", "returns", "body")

    def __init__(self, kind: str, is_gen: bool = False, stream_elem: Type | None = None,
                 name: str = "", sig: FnSig | None = None) -> None:
        self.kind = kind  # fn, pipeline, closure, method
        self.is_gen = is_gen
        self.stream_elem = stream_elem
        self.name = name
        self.sig = sig
        self.returns: list = []
        self.body: Scope | None = None


Decl = StructInfo | EnumInfo | AliasInfo | InterfaceInfo


class Scope:
    """One level of the scope chain; every table is ``None`` until written."""

    __slots__ = ("parent", "lex", "vars", "mutable", "pre", "ext")

    copies = 0  # table copies performed by any scope; stays 0 (asserted by a test)

    def __init__(self, parent: Scope | None = None, lex: Scope | None = None) -> None:
        self.parent = parent
        self.lex = lex
        self.vars: dict[str, Type | None] | None = None
        self.mutable: dict[str, bool] | None = None
        self.pre: dict[str, Type | None] | None = None
        # rarer tables, created on first write: fns, decls, impls, tparams, widen,
        # ruled, placeholders, binds
        self.ext: dict[str, dict] | None = None

    def table(self, name: str) -> dict | None:
        ext = self.ext
        return None if ext is None else ext.get(name)

    def own_table(self, name: str) -> dict:
        ext = self.ext
        if ext is None:
            ext = self.ext = {}
        d = ext.get(name)
        if d is None:
            d = ext[name] = {}
        return d

    @property
    def fns(self) -> dict | None:
        return self.table("fns")

    @property
    def decls(self) -> dict | None:
        return self.table("decls")

    @property
    def tparams(self) -> dict | None:
        return self.table("tparams")

    @property
    def widen(self) -> dict | None:
        return self.table("widen")

    @property
    def ruled(self) -> dict | None:
        return self.table("ruled")

    @property
    def binds(self) -> dict | None:
        return self.table("binds")

    @property
    def placeholders(self) -> dict | None:
        return self.table("placeholders")

    def child(self) -> Scope:
        return Scope(self)

    # ------------------------------------------------------------ variables

    def declare(self, name: str, t: Type | None, mutable: bool = False,
                node: ast.Node | None = None) -> None:
        v = self.vars
        if v is None:
            v = self.vars = {}
        v[name] = t
        m = self.mutable
        if m is None:
            m = self.mutable = {}
        m[name] = mutable
        if self.pre is not None:
            self.pre.pop(name, None)
        ext = self.ext
        if ext is not None:
            w = ext.get("widen")
            if w is not None and name in w:
                w[name] = False
        if node is not None:
            self.own_table("binds")[name] = node

    def set_var(self, name: str, t: Type | None) -> None:
        v = self.vars
        if v is None:
            v = self.vars = {}
        v[name] = t

    def lookup(self, name: str) -> object:
        """The variable's type, ``None`` for an untyped one, ``_MISSING`` if unknown."""
        s: Scope | None = self
        while s is not None:
            v = s.vars
            if v is not None:
                t = v.get(name, _MISSING)
                if t is not _MISSING:
                    return t
            s = s.parent
        return _MISSING

    def var_scope(self, name: str) -> Scope | None:
        s: Scope | None = self
        while s is not None:
            if s.vars is not None and name in s.vars:
                return s
            s = s.parent
        return None

    def is_mutable(self, name: str) -> bool:
        s: Scope | None = self
        while s is not None:
            m = s.mutable
            if m is not None:
                r = m.get(name)
                if r is not None:
                    return r
            s = s.parent
        return False

    def narrow(self, name: str, t: Type | None, original: Type | None) -> None:
        """Record a refinement in this scope, keeping the pre-narrowing type."""
        pre = self.pre
        if pre is None:
            pre = self.pre = {}
        if name not in pre:
            pre[name] = original
        self.set_var(name, t)

    def mark(self, table: str, name: str, value: object) -> None:
        if table == "mutable" or table == "pre":
            d = getattr(self, table)
            if d is None:
                d = {}
                setattr(self, table, d)
        else:
            d = self.own_table(table)
        d[name] = value

    def find_mark(self, table: str, name: str) -> object:
        direct = table == "mutable" or table == "pre"
        s: Scope | None = self
        while s is not None:
            d = getattr(s, table) if direct else (None if s.ext is None else s.ext.get(table))
            if d is not None:
                r = d.get(name, _MISSING)
                if r is not _MISSING:
                    return r
            s = s.parent
        return None

    def ruled_out(self, name: str) -> frozenset[str]:
        r = self.find_mark("ruled", name)
        return r if r is not None else frozenset()  # type: ignore[return-value]

    # ------------------------------------------------------------ declarations

    def _lookup_ext(self, table: str, name: str):
        s: Scope | None = self
        while s is not None:
            ext = s.ext
            if ext is not None:
                d = ext.get(table)
                if d is not None:
                    r = d.get(name)
                    if r is not None:
                        return r
            s = s.parent
        return None

    def add_fn(self, sig: FnSig) -> None:
        self.own_table("fns")[sig.name] = sig

    def lookup_fn(self, name: str) -> FnSig | None:
        return self._lookup_ext("fns", name)

    def add_decl(self, info: Decl) -> None:
        self.own_table("decls")[info.name] = info

    def lookup_decl(self, name: str) -> Decl | None:
        return self._lookup_ext("decls", name)

    def add_impl(self, type_name: str, methods: dict[str, FnSig]) -> None:
        self.own_table("impls").setdefault(type_name, {}).update(methods)

    def lookup_impl(self, type_name: str) -> dict[str, FnSig] | None:
        return self._lookup_ext("impls", type_name)

    def add_tparam(self, name: str, constraints: list[str]) -> None:
        self.own_table("tparams")[name] = constraints

    def lookup_tparam(self, name: str) -> list[str] | None:
        return self._lookup_ext("tparams", name)

    # ------------------------------------------------------------ tooling

    def is_defined(self, name: str) -> bool:
        """Whether ``name`` is visible lexically (variables, functions, declarations)."""
        s: Scope | None = self
        while s is not None:
            if s.vars is not None and name in s.vars:
                return True
            ext = s.ext
            if ext is not None and (name in ext.get("fns", ()) or name in ext.get("decls", ())):
                return True
            s = s.lex if s.lex is not None else s.parent
        return False

    def visible_names(self) -> dict[str, Type | None]:
        """Every variable visible here with its type, nearest binding first (completion)."""
        out: dict[str, Type | None] = {}
        s: Scope | None = self
        while s is not None:
            if s.vars is not None:
                for k, v in s.vars.items():
                    out.setdefault(k, v)
            s = s.lex if s.lex is not None else s.parent
        return out

    def own_is_empty(self) -> bool:
        return self.vars is None and self.pre is None and self.ext is None


MISSING = _MISSING
