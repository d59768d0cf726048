"""Declaration-site variance (types.md §11, error E024; Tier 2).

Checked only when a declaration marks at least one type parameter ``in`` or
``out``. Positions start covariant for returns, alias bodies and enum
payloads, contravariant for function and interface-method parameters, and
invariant for struct fields. ``list``/``dict`` make a position invariant, a
function type's parameters flip it, applied types compose with their
constructor's declared variances (unknown constructor: invariant). Top-level
``fn`` declarations are not checked (quirk); nested ones are.
"""

from __future__ import annotations

from lang import ast
from typechecker import messages as M
from typechecker.scope import Scope
from typechecker.types import (
    Applied,
    DictT,
    FnT,
    IterT,
    ListT,
    Named,
    Shape,
    Type,
    Union,
    from_ast,
)

CO, CONTRA, INV = "covariant", "contravariant", "invariant"


def _flip(pos: str) -> str:
    return CONTRA if pos == CO else CO if pos == CONTRA else INV


def _compose(pos: str, declared: str) -> str:
    if pos == INV or declared == "":
        return INV
    return pos if declared == "out" else _flip(pos)


class VarianceChecker:
    def check_fn_variance(self, node: ast.FnDecl) -> None:
        marks = {tp.name: tp.variance for tp in node.type_params if tp.variance}
        if not marks:
            return
        kind = f"function '{node.name}'"
        for p in node.params:
            if p.type is not None:
                self._walk(from_ast(p.type), CONTRA, marks, kind, node, self.root)
        if node.return_type is not None:
            self._walk(from_ast(node.return_type), CO, marks, kind, node, self.root)

    def check_decl_variance(self, node: ast.Node) -> None:
        tps = getattr(node, "type_params", None) or []
        marks = {tp.name: tp.variance for tp in tps if tp.variance}
        if not marks:
            return
        cls = type(node)
        scope = self.root
        if cls is ast.TypeAlias:
            self._walk(from_ast(node.type), CO, marks, f"type alias '{node.name}'", node, scope)
        elif cls is ast.EnumDecl:
            for v in node.variants:
                for p in v.params:
                    if p.type is not None:
                        self._walk(from_ast(p.type), CO, marks, f"enum '{node.name}'", node,
                                   scope)
        elif cls is ast.StructDecl:
            for f in node.fields:
                if f.type is not None:
                    self._walk(from_ast(f.type), INV, marks, f"struct '{node.name}'", node,
                               scope)
        elif cls is ast.InterfaceDecl:
            kind = f"interface '{node.name}'"
            for m in node.methods:
                for p in m.params:
                    if p.type is not None and p.name != "self":
                        self._walk(from_ast(p.type), CONTRA, marks, kind, node, scope)
                if m.return_type is not None:
                    self._walk(from_ast(m.return_type), CO, marks, kind, node, scope)

    def _walk(self, t: Type, pos: str, marks: dict[str, str], kind: str, node: ast.Node,
              scope: Scope) -> None:
        cls = type(t)
        if cls is Named:
            declared = marks.get(t.name)  # type: ignore[union-attr]
            if declared == "out" and pos != CO:
                self.error(M.E_VARIANCE, M.variance(t.name, "out", pos, kind), node)  # type: ignore
            elif declared == "in" and pos != CONTRA:
                self.error(M.E_VARIANCE, M.variance(t.name, "in", pos, kind), node)  # type: ignore
        elif cls is Union:
            for m in t.members:  # type: ignore[union-attr]
                self._walk(m, pos, marks, kind, node, scope)
        elif cls is Shape:
            for f in t.fields:  # type: ignore[union-attr]
                self._walk(f.type, pos, marks, kind, node, scope)
        elif cls is ListT:
            self._walk(t.elem, INV, marks, kind, node, scope)  # type: ignore[union-attr]
        elif cls is DictT:
            self._walk(t.key, INV, marks, kind, node, scope)  # type: ignore[union-attr]
            self._walk(t.value, INV, marks, kind, node, scope)  # type: ignore[union-attr]
        elif cls is IterT:
            self._walk(t.elem, pos, marks, kind, node, scope)  # type: ignore[union-attr]
        elif cls is FnT:
            for p in t.params:  # type: ignore[union-attr]
                self._walk(p, _flip(pos), marks, kind, node, scope)
            self._walk(t.ret, pos, marks, kind, node, scope)  # type: ignore[union-attr]
        elif cls is Applied:
            if t.name == "Result":  # type: ignore[union-attr]
                vs: tuple[str, ...] = ("out",) * len(t.args)  # type: ignore[union-attr]
            else:
                info = scope.lookup_decl(t.name)  # type: ignore[union-attr]
                vs = info.variances if info is not None and len(info.variances) == len(
                    t.args) else ("",) * len(t.args)  # type: ignore[union-attr]
            for a, v in zip(t.args, vs, strict=False):  # type: ignore[union-attr]
                self._walk(a, _compose(pos, v), marks, kind, node, scope)
