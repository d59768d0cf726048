"""Scopes share their parents (types.md §13.2, ARCHITECTURE decision 2): entering a
scope is O(1) and never copies a parent's bindings. Proven by counting, not timing."""

from __future__ import annotations

import tracemalloc

from tests.typechecker.helpers import check
from typechecker.scope import MISSING, Scope
from typechecker.types import INT, NIL, STRING, Union


def big_parent(n: int = 10_000) -> Scope:
    root = Scope()
    for i in range(n):
        root.declare(f"v{i}", INT)
    return root


def test_children_hold_only_their_own_tables() -> None:
    parent = big_parent()
    Scope.copies = 0
    siblings = [Scope(parent) for _ in range(10_000)]
    chain = parent
    for _ in range(10_000):
        chain = Scope(chain)
    assert Scope.copies == 0
    for s in siblings[:100] + [chain]:
        assert s.vars is None and s.mutable is None and s.pre is None and s.ext is None
    # lookups still see the parent through the chain
    assert siblings[-1].lookup("v9999") is INT
    assert chain.lookup("v0") is INT
    assert chain.lookup("absent") is MISSING


def test_entering_scopes_allocates_independently_of_parent_size() -> None:
    def cost(n_bindings: int) -> int:
        parent = big_parent(n_bindings)
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        kids = [Scope(parent) for _ in range(2_000)]
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        assert len(kids) == 2_000
        return sum(s.size_diff for s in after.compare_to(before, "filename"))

    small, large = cost(10), cost(10_000)
    # a copying implementation would allocate ~1000x more for the large parent
    assert large < small * 1.5 + 10_000


def test_narrowing_lives_in_the_child() -> None:
    parent = big_parent(100)
    parent.declare("x", Union((STRING, NIL)))
    child = Scope(parent)
    child.narrow("x", STRING, parent.lookup("x"))
    assert child.lookup("x") is STRING
    assert parent.lookup("x") == Union((STRING, NIL))
    assert list(child.vars) == ["x"] and child.pre == {"x": Union((STRING, NIL))}


def test_off_marks_shadow_ancestors() -> None:
    parent = Scope()
    parent.declare("x", INT, mutable=True)
    child = Scope(parent)
    child.declare("x", INT, mutable=False)
    assert parent.is_mutable("x") and not child.is_mutable("x")


def test_checker_never_copies_scopes() -> None:
    Scope.copies = 0
    body = "\n".join(f"  let v{i} = {i}" for i in range(2_000))
    blocks = "\n".join(f"  if v{i} > 0 {{ let w = v{i} }}" for i in range(2_000))
    result = check(f"fn f() {{\n{body}\n{blocks}\n}}")
    assert Scope.copies == 0
    assert not [d for d in result.diagnostics if d.is_error]
