"""Records of name resolution (the output of :mod:`lang.resolve`).

:class:`Binding` is one declared name; :class:`Scope` a block, loop body,
match arm, handler or function body (children point at parents, never the
reverse copy); :class:`FuncInfo` a Python-level function frame (the program,
a fn, closure, method or pipeline) with what it captures and how;
:class:`PatternInfo` the meaning of one match pattern. :class:`Resolution`
holds the side tables keyed by AST node and answers editor queries
(definition, references, scope and visible names at an offset) without
walking the tree again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic

LATE_BOUND = ("fn", "struct", "pipeline")  # visible from nested functions whatever their order


# --------------------------------------------------------------------------- records


@dataclass(slots=True, eq=False)
class Binding:
    """One declared name. ``kind``: let var param fn struct enum type catch match
    for pattern pipeline import placeholder parallel."""

    name: str
    kind: str
    node: ast.Node
    start: int
    scope: Scope
    func: FuncInfo
    mutable: bool
    py_name: str
    visible_from: int
    in_loop: bool = False
    captured: bool = False
    reassigned: bool = False  # assigned in its own frame after declaration
    escapes: bool = False  # used other than as a direct callee
    uses: list[ast.Node] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + len(self.name)

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind}, {self.py_name})"


@dataclass(slots=True, eq=False)
class Scope:
    kind: str  # module function block loop arm handler
    parent: Scope | None
    func: FuncInfo
    start: int
    end: int
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    children: list[Scope] = field(default_factory=list)
    is_func_root: bool = False


@dataclass(slots=True, eq=False)
class FuncInfo:
    """A Python function frame: the program itself, a fn, closure, method or pipeline."""

    node: ast.Node
    kind: str
    parent: FuncInfo | None
    name: str = ""
    binding: Binding | None = None  # the fn's own binding (named fns)
    scope: Scope | None = None
    params: list[Binding | None] = field(default_factory=list)
    captures: dict[Binding, str] = field(default_factory=dict)  # binding -> cell|snapshot|shared
    assigns: set[Binding] = field(default_factory=set)  # outer bindings assigned here
    is_generator: bool = False
    has_defer: bool = False
    has_question: bool = False  # contains postfix ``?`` (an early ``return Err``)
    returns: list[ast.Return] = field(default_factory=list)
    tail_calls: list[ast.Return] = field(default_factory=list)
    tolerant: bool = True
    children: list[FuncInfo] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class PatternInfo:
    """How one match arm pattern matches (§9.7).

    ``kind``: ``wild``, ``bind`` (``binding``), ``enum`` (``enum``/``variant``,
    ``binds`` = payload position -> binding), ``list`` (``binds`` index ->
    binding, ``tests`` index -> expr), ``dict`` (``binds``/``tests`` keyed by
    string), ``expr`` (compare with ``==``).
    """

    kind: str
    binding: Binding | None = None
    enum: str = ""
    variant: str = ""
    binds: dict = field(default_factory=dict)
    tests: dict = field(default_factory=dict)
    length: int = 0


@dataclass(slots=True)
class Resolution:
    program: ast.Program
    pipeline_mode: bool
    uses: dict[ast.Node, Binding] = field(default_factory=dict)
    decls: dict[ast.Node, Binding] = field(default_factory=dict)
    rest_decls: dict[ast.Node, Binding] = field(default_factory=dict)
    funcs: dict[ast.Node, FuncInfo] = field(default_factory=dict)
    assign_targets: dict[ast.Assign, Binding | None] = field(default_factory=dict)
    placeholders: dict[ast.Pipe, Binding] = field(default_factory=dict)
    patterns: dict[ast.Node, PatternInfo] = field(default_factory=dict)
    enum_refs: dict[ast.Node, str] = field(default_factory=dict)
    struct_refs: dict[ast.StructLit, ast.StructDecl | None] = field(default_factory=dict)
    impl_structs: dict[ast.ImplBlock, ast.StructDecl | None] = field(default_factory=dict)
    redeclare_errors: dict[ast.Let, str] = field(default_factory=dict)
    import_bindings: dict[ast.Import, list[Binding]] = field(default_factory=dict)
    let_closures: dict[Binding, FuncInfo] = field(default_factory=dict)  # let f = { ... }
    tail_calls: set[ast.Return] = field(default_factory=set)
    enum_decls: dict[str, ast.EnumDecl] = field(default_factory=dict)
    struct_decls: dict[str, ast.StructDecl] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    root: Scope | None = None
    main: FuncInfo | None = None
    scopes: list[Scope] = field(default_factory=list)
    name_index: list[tuple[int, int, Binding]] | None = None
    by_type: dict[type, list[ast.Node]] = field(default_factory=dict)  # every node, by class

    def nodes(self, cls: type) -> list:
        """Every node of class ``cls`` in the program, in source order."""
        return self.by_type.get(cls, [])

    # ------------------------------------------------------------ queries (LSP)

    def definition_of(self, name_node: ast.Node) -> Binding | None:
        """The binding a name use (or assignment target) refers to, if any."""
        return self.uses.get(name_node)

    def references_of(self, binding: Binding) -> list[ast.Node]:
        """Every use of ``binding`` (name nodes), in source order."""
        return sorted(binding.uses, key=lambda n: n.start)

    def binding_at(self, offset: int) -> Binding | None:
        """The binding named at ``offset``: a use or the declared name itself."""
        index = self._index()
        lo, hi = 0, len(index)
        while lo < hi:
            mid = (lo + hi) // 2
            if index[mid][0] <= offset:
                lo = mid + 1
            else:
                hi = mid
        for start, end, b in reversed(index[max(0, lo - 4):lo]):
            if start <= offset < end:
                return b
        return None

    def _index(self) -> list[tuple[int, int, Binding]]:
        if self.name_index is None:
            items = [(b.start, b.end, b) for b in self.bindings if b.kind != "placeholder"]
            for node, b in self.uses.items():
                if type(node) is ast.Name:
                    items.append((node.start, node.end, b))
            items.sort(key=lambda t: (t[0], t[1]))
            self.name_index = items
        return self.name_index

    def scope_at(self, offset: int) -> Scope:
        """The innermost scope whose span contains ``offset``."""
        assert self.root is not None
        scope = self.root
        while True:
            for child in scope.children:
                if child.start <= offset < child.end:
                    scope = child
                    break
            else:
                return scope

    def visible_at(self, offset: int) -> list[Binding]:
        """Bindings visible at ``offset`` (innermost first, shadowed names omitted)."""
        seen: set[str] = set()
        out: list[Binding] = []
        scope: Scope | None = self.scope_at(offset)
        cutoff = offset
        crossed = False
        while scope is not None:
            for name, cands in scope.bindings.items():
                if name in seen:
                    continue
                b = pick_visible(cands, cutoff, crossed, self._all_visible(scope, crossed))
                if b is not None:
                    seen.add(name)
                    out.append(b)
            if scope.is_func_root:
                crossed = True
                cutoff = scope.func.node.start
            scope = scope.parent
        return out

    def _all_visible(self, scope: Scope, crossed: bool) -> bool:
        return crossed and self.pipeline_mode and scope.kind == "module"


def pick_visible(cands: list[Binding], cutoff: int, crossed: bool,
                 all_visible: bool) -> Binding | None:
    """The binding of one scope a use sees (latest declared before the cut-off)."""
    if all_visible:
        return cands[-1]
    best = None
    for b in cands:
        if b.visible_from <= cutoff:
            best = b
    if best is None and crossed:
        for b in reversed(cands):
            if b.kind in LATE_BOUND:
                return b
    return best
