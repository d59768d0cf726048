"""Small constructors for Python ``ast`` nodes, and the one helper that gives
generated nodes the script's positions.

Positions: ``lineno`` is the script line and ``col_offset`` the 0-based
*character* column in that line (not a UTF-8 byte offset: only our own error
mapping reads columns, through ``co_positions()``). :func:`locate` fills every
node of a generated subtree that has no position yet and stops at nodes that
already have one, so compiling bottom-up gives each node the span of the
innermost script node it came from.
"""

from __future__ import annotations

import ast as py
from typing import Any

LOAD = py.Load()
STORE = py.Store()
DEL = py.Del()


def name(id: str) -> py.Name:
    return py.Name(id=id, ctx=LOAD)


def store(id: str) -> py.Name:
    return py.Name(id=id, ctx=STORE)


def const(v: Any) -> py.Constant:
    return py.Constant(value=v)


def call(func: py.expr | str, *args: py.expr) -> py.Call:
    if isinstance(func, str):
        func = name(func)
    return py.Call(func=func, args=list(args), keywords=[])


def attr(obj: py.expr, field: str) -> py.Attribute:
    return py.Attribute(value=obj, attr=field, ctx=LOAD)


def assign(target: str | py.expr, value: py.expr) -> py.Assign:
    t = store(target) if isinstance(target, str) else target
    return py.Assign(targets=[t], value=value)


def expr_stmt(e: py.expr) -> py.Expr:
    return py.Expr(value=e)


def if_(test: py.expr, body: list[py.stmt], orelse: list[py.stmt] | None = None) -> py.If:
    return py.If(test=test, body=body or [py.Pass()], orelse=orelse or [])


def ifexp(test: py.expr, body: py.expr, orelse: py.expr) -> py.IfExp:
    return py.IfExp(test=test, body=body, orelse=orelse)


def not_(e: py.expr) -> py.UnaryOp:
    return py.UnaryOp(op=py.Not(), operand=e)


def is_(a: py.expr, b: py.expr) -> py.Compare:
    return py.Compare(left=a, ops=[py.Is()], comparators=[b])


def is_not(a: py.expr, b: py.expr) -> py.Compare:
    return py.Compare(left=a, ops=[py.IsNot()], comparators=[b])


def compare(a: py.expr, op: py.cmpop, b: py.expr) -> py.Compare:
    return py.Compare(left=a, ops=[op], comparators=[b])


def and_(*values: py.expr) -> py.expr:
    vals = [v for v in values if v is not None]
    if len(vals) == 1:
        return vals[0]
    return py.BoolOp(op=py.And(), values=vals)


def or_(*values: py.expr) -> py.expr:
    if len(values) == 1:
        return values[0]
    return py.BoolOp(op=py.Or(), values=list(values))


def binop(a: py.expr, op: py.operator, b: py.expr) -> py.BinOp:
    return py.BinOp(left=a, op=op, right=b)


def tuple_(elts: list[py.expr]) -> py.Tuple:
    return py.Tuple(elts=elts, ctx=LOAD)


def list_(elts: list[py.expr]) -> py.List:
    return py.List(elts=elts, ctx=LOAD)


def literal(v: Any) -> py.expr:
    """An expression building a fresh copy of the plain data ``v`` (dicts, lists, scalars)."""
    if type(v) is dict:
        return py.Dict(keys=[const(k) for k in v], values=[literal(x) for x in v.values()])
    if type(v) is list:
        return list_([literal(x) for x in v])
    return const(v)


def subscript(obj: py.expr, index: py.expr) -> py.Subscript:
    return py.Subscript(value=obj, slice=index, ctx=LOAD)


def raise_(exc: py.expr | None = None) -> py.Raise:
    return py.Raise(exc=exc, cause=None)


def walrus(target: str, value: py.expr) -> py.NamedExpr:
    return py.NamedExpr(target=store(target), value=value)


def ret(value: py.expr | None) -> py.Return:
    return py.Return(value=value)


def arg(id: str) -> py.arg:
    return py.arg(arg=id, annotation=None)


def is_pure(e: py.expr) -> bool:
    """Evaluating ``e`` twice is free and unobservable (a constant)."""
    return isinstance(e, py.Constant)


def locate(tree: py.AST | list, pos: tuple[int, int, int, int]) -> None:
    """Give ``pos`` to every node of ``tree`` without a position (stopping at
    nodes that already have one)."""
    line, col, end_line, end_col = pos
    stack: list = list(tree) if isinstance(tree, list) else [tree]
    while stack:
        n = stack.pop()
        d = n.__dict__
        if "lineno" in d:
            continue
        if "lineno" in n._attributes:
            d["lineno"] = line
            d["col_offset"] = col
            d["end_lineno"] = end_line
            d["end_col_offset"] = end_col
        for f in n._fields:
            v = d.get(f)
            if isinstance(v, py.AST):
                stack.append(v)
            elif isinstance(v, list):
                stack.extend(x for x in v if isinstance(x, py.AST))


def unpositioned(tree: py.AST) -> list[py.AST]:
    """Nodes that should carry a position but do not (for tests)."""
    return [n for n in py.walk(tree)
            if "lineno" in n._attributes and "lineno" not in n.__dict__]
