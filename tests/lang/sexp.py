"""A compact s-expression view of syntax trees, so parser tests read like the grammar."""

from __future__ import annotations

from lang import ast

# Fields that are positions or tooling data, not structure.
_SKIP = {"start", "end", "name_start", "op_start", "alias_start", "rest_start",
         "catch_name_start", "param_start", "path_start", "doc", "comments"}


def sexp(node: object) -> str:
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, (ast.IntLit, ast.FloatLit, ast.BoolLit)):
        return repr(node.value).lower() if isinstance(node, ast.BoolLit) else repr(node.value)
    if isinstance(node, ast.StringLit):
        return repr(node.value) if node.kind == "plain" else f"{node.kind}:{node.value!r}"
    if isinstance(node, ast.NilLit):
        return "nil"
    if isinstance(node, ast.Binary):
        return f"({node.op} {sexp(node.left)} {sexp(node.right)})"
    if isinstance(node, ast.Unary):
        return f"({node.op}u {sexp(node.operand)})"
    if isinstance(node, ast.NamePattern):
        return node.name
    if isinstance(node, ast.TypeName):
        if node.args:
            return f"{node.name}<{', '.join(sexp(a) for a in node.args)}>"
        return node.name
    if isinstance(node, ast.Node):
        parts = [type(node).__name__]
        for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
            if name in _SKIP:
                continue
            value = getattr(node, name)
            if value is None or value == [] or value is False or value == "":
                continue
            if value is True:
                parts.append(name)
            elif isinstance(value, list):
                parts.append(f"{name}=[{' '.join(sexp(v) for v in value)}]")
            elif isinstance(value, ast.Node):
                parts.append(f"{name}={sexp(value)}")
            elif isinstance(value, tuple):
                parts.append(f"({' '.join(sexp(v) for v in value)})")
            else:
                parts.append(f"{name}={value!r}" if not isinstance(value, str) else
                             f"{name}={value}")
        return "(" + " ".join(parts) + ")"
    if isinstance(node, tuple):
        return "(" + " ".join(sexp(v) for v in node) + ")"
    return repr(node)
