"""Static call-graph facts the compiler needs for calls and returns.

- :func:`tail_call_groups`: the functions and ``return`` statements of mutual
  tail recursion (language.md §10.5), compiled through a trampoline;
- :func:`recursive_functions`: functions on a cycle of the static call graph,
  whose builtin calls borrow extra Python frames (see
  :func:`vm.runtime.support.deep_call`).

Both are linear in the size of the tree; cycles come from one strongly
connected components pass (:func:`_components`).
"""

from __future__ import annotations

from typing import Any

from lang import ast
from lang.resolve import FuncInfo, Resolution, tail_callee

_TAIL_BLOCKERS = (ast.Try, ast.TryStar, ast.Retry, ast.Deadline, ast.Defer, ast.Spawn,
                  ast.Parallel, ast.Select)


def tail_call_groups(res: Resolution) -> tuple[frozenset[FuncInfo], frozenset[ast.Return]]:
    """Mutual tail recursion (§10.5: ``return g(args)`` reuses the frame).

    Edges: ``return g(...)`` / ``return x |> g`` in fn ``f`` naming another fn
    ``g``, outside ``try``/``retry``/``deadline``/``defer`` bodies (generators and
    functions with ``defer`` have none). An edge inside a strongly connected
    component is a tail call that may recur without bound; it compiles to
    ``($Tail if $tc else $tramp)(g, args)``: the outermost call runs a
    trampoline (:func:`vm.runtime.support.trampoline`) that calls group members
    with ``$tc=True``, and those return a :class:`~vm.runtime.support.TailCall`
    instead of calling. Other tail calls stay plain calls (their chains are at
    most as long as the program has fns), self tail calls stay loops.
    """
    edges: dict[FuncInfo, list[tuple[FuncInfo, ast.Return]]] = {}
    for info in res.funcs.values():
        if info.kind != "fn" or info.is_generator or info.has_defer or info.binding is None:
            continue
        out: list[tuple[FuncInfo, ast.Return]] = []
        stack: list[ast.Node] = list(ast.children(info.node))
        while stack:
            n = stack.pop()
            if n in res.funcs or isinstance(n, _TAIL_BLOCKERS):
                continue
            if type(n) is ast.Return and n.value is not None:
                callee = tail_callee(n.value)
                b = res.uses.get(callee) if callee is not None else None
                if b is not None and b.kind == "fn" and b is not info.binding:
                    g = res.funcs.get(b.node)
                    if g is not None and g.kind == "fn" and not g.is_generator \
                            and not g.has_defer:
                        out.append((g, n))
            stack.extend(ast.children(n))
        if out:
            edges[info] = out
    if not edges:
        return frozenset(), frozenset()
    comp = _components({f: [g for g, _ in es] for f, es in edges.items()})
    members: set[FuncInfo] = set()
    returns: set[ast.Return] = set()
    for f, es in edges.items():
        for g, r in es:
            if comp.get(f) is not None and comp.get(f) == comp.get(g):
                members.update((f, g))
                returns.add(r)
    return frozenset(members), frozenset(returns)


def recursive_functions(res: Resolution) -> frozenset[FuncInfo]:
    """Functions on a cycle of the static call graph: calls naming a ``fn`` or a
    ``let f = {...}`` closure, plus an edge from each function to the functions
    nested in it (it may hand them to a builtin that calls them back)."""
    graph: dict[FuncInfo, list[FuncInfo]] = {}
    for info in res.funcs.values():
        out: list[FuncInfo] = []
        stack: list[ast.Node] = list(ast.children(info.node))
        while stack:
            n = stack.pop()
            nested = res.funcs.get(n)
            if nested is not None:
                out.append(nested)
                continue
            t = type(n)
            callee = n.callee if t is ast.Call else n.right if t is ast.Pipe else None
            if type(callee) is ast.Name:
                b = res.uses.get(callee)
                if b is not None:
                    g = res.funcs.get(b.node) if b.kind == "fn" else res.let_closures.get(b)
                    if g is not None:
                        out.append(g)
            stack.extend(ast.children(n))
        graph[info] = out
    comp = _components(graph)
    sizes: dict[int, int] = {}
    for c in comp.values():
        sizes[c] = sizes.get(c, 0) + 1
    return frozenset(f for f, gs in graph.items() if sizes[comp[f]] > 1 or f in gs)


def _components(graph: dict[Any, list[Any]]) -> dict[Any, int]:
    """Strongly connected components (Kosaraju, iterative): node -> component id."""
    order: list[Any] = []
    seen: set[Any] = set()
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(graph.get(root, ())))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                order.append(node)
            elif nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, iter(graph.get(nxt, ()))))
    reverse: dict[Any, list[Any]] = {}
    for f, gs in graph.items():
        for g in gs:
            reverse.setdefault(g, []).append(f)
    comp: dict[Any, int] = {}
    for root in reversed(order):
        if root in comp:
            continue
        comp[root] = len(comp)
        cid = comp[root]
        todo = [root]
        while todo:
            node = todo.pop()
            for prev in reverse.get(node, ()):
                if prev not in comp:
                    comp[prev] = cid
                    todo.append(prev)
    return comp
