"""``lang parse FILE [--json]``: the syntax tree as JSON, or syntax errors.

Exit status: 0 when the file parses, 1 on syntax errors, 2 when it cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from lang import ast
from lang.diagnostics import render_json, render_short
from lang.files import read_or_exit
from lang.parser import parse
from lang.source import Source


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the .harn file to parse")
    p.add_argument("--json", action="store_true",
                   help="print the AST (or the diagnostics) as JSON")


def node_to_json(node: object, src: Source) -> object:
    """A JSON-ready view of a node: its type, span (with line/col) and fields."""
    if isinstance(node, ast.Node):
        line, col = src.line_col(node.start)
        end_line, end_col = src.line_col(node.end)
        out: dict = {
            "type": type(node).__name__,
            "span": {"start": node.start, "end": node.end, "line": line, "column": col,
                     "end_line": end_line, "end_column": end_col},
        }
        for name in node.__dataclass_fields__:  # type: ignore[attr-defined]
            if name in ("start", "end") or (isinstance(node, ast.Program) and name == "comments"):
                continue
            out[name] = node_to_json(getattr(node, name), src)
        return out
    if isinstance(node, (list, tuple)):
        return [node_to_json(x, src) for x in node]
    if isinstance(node, float) and (node != node or node in (float("inf"), float("-inf"))):
        return repr(node)
    return node


def run(args: argparse.Namespace) -> int:
    src = read_or_exit(args.file)
    if src is None:
        return 2
    result = parse(src)
    if args.json:
        if result.diagnostics:
            print(render_json([(src, d) for d in result.diagnostics]))
        else:
            print(json.dumps(node_to_json(result.program, src), indent=1))
    else:
        for d in result.diagnostics:
            print(render_short(src, d), file=sys.stderr)
        if not result.diagnostics:
            print(f"{src.path}: ok ({len(result.program.items)} top-level items)")
    return 1 if result.diagnostics else 0
