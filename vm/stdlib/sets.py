"""Sets: the ``set(...)`` constructor, ``set_*`` free functions and set methods (stdlib.md §8).

Two equalities meet here (A8): the free functions and the constructor work by
**structural key** (``set_contains(set(1), 1.0)`` is false), the methods by
``==`` (``set(1).contains(1.0)`` is true). An :class:`HSet` stores
``structural key -> value`` in insertion order, so the structural operations
are dict operations; the ``==`` ones go through ``HSet.contains_eq``.
"""

from __future__ import annotations

from typing import Any

from vm.runtime.ops import make_iter
from vm.runtime.values import HIter, HSet, structural_key
from vm.stdlib.common import is_callable, test, throw
from vm.stdlib.registry import builtin, method, register_receiver_type

register_receiver_type("set", HSet)


def _build(items: Any) -> HSet:
    d: dict[Any, Any] = {}
    for v in items:
        k = structural_key(v)
        if k not in d:
            d[k] = v
    return HSet(d)


@builtin("set", "(...items: any) -> set",
         "A set of the arguments; list and set arguments contribute their elements.")
def set_(*items: Any) -> HSet:
    d: dict[Any, Any] = {}
    for item in items:
        t = type(item)
        src = item if (t is list or t is HSet) else (item,)
        for v in src:
            k = structural_key(v)
            if k not in d:
                d[k] = v
    return HSet(d)


def _need_set(name: str, v: Any) -> HSet:
    if type(v) is not HSet:
        raise throw(f"{name}: first argument must be a set")
    return v


def _need_sets(name: str, a: Any, b: Any) -> tuple[HSet, HSet]:
    if type(a) is not HSet or type(b) is not HSet:
        raise throw(f"{name}: arguments must be sets")
    return a, b


@builtin("set_add", "(s: set, x: any) -> set", "s with x appended unless present.")
def set_add(s: Any = None, x: Any = None, *_: Any) -> HSet:
    return _need_set("set_add", s).add(x)


@builtin("set_remove", "(s: set, x: any) -> set", "s without x.")
def set_remove(s: Any = None, x: Any = None, *_: Any) -> HSet:
    return _need_set("set_remove", s).without_key(x)


@builtin("set_contains", "(s: any, x: any) -> bool", "Membership by structural key.")
def set_contains(s: Any = None, x: Any = None, *_: Any) -> bool:
    return type(s) is HSet and s.contains_key(x)


@builtin("set_union", "(a: set, b: set) -> set", "a's elements, then b's new ones.")
def set_union(a: Any = None, b: Any = None, *_: Any) -> HSet:
    sa, sb = _need_sets("set_union", a, b)
    d = sa._d.copy()
    for k, v in sb._d.items():
        if k not in d:
            d[k] = v
    return HSet(d)


@builtin("set_intersect", "(a: set, b: set) -> set", "Elements of a also in b.")
def set_intersect(a: Any = None, b: Any = None, *_: Any) -> HSet:
    sa, sb = _need_sets("set_intersect", a, b)
    db = sb._d
    return HSet({k: v for k, v in sa._d.items() if k in db})


@builtin("set_difference", "(a: set, b: set) -> set", "Elements of a not in b.")
def set_difference(a: Any = None, b: Any = None, *_: Any) -> HSet:
    sa, sb = _need_sets("set_difference", a, b)
    db = sb._d
    return HSet({k: v for k, v in sa._d.items() if k not in db})


@builtin("set_symmetric_difference", "(a: set, b: set) -> set", "a - b followed by b - a.")
def set_symmetric_difference(a: Any = None, b: Any = None, *_: Any) -> HSet:
    sa, sb = _need_sets("set_symmetric_difference", a, b)
    da, db = sa._d, sb._d
    d = {k: v for k, v in da.items() if k not in db}
    d.update({k: v for k, v in db.items() if k not in da})
    return HSet(d)


@builtin("set_is_subset", "(a: set, b: set) -> bool", "Every element of a is in b.")
def set_is_subset(a: Any = None, b: Any = None, *_: Any) -> bool:
    if type(a) is not HSet or type(b) is not HSet:
        return False
    db = b._d
    return all(k in db for k in a._d)


@builtin("set_is_superset", "(a: set, b: set) -> bool", "Every element of b is in a.")
def set_is_superset(a: Any = None, b: Any = None, *_: Any) -> bool:
    return set_is_subset(b, a)


@builtin("set_is_disjoint", "(a: set, b: set) -> bool", "No element in common.")
def set_is_disjoint(a: Any = None, b: Any = None, *_: Any) -> bool:
    if type(a) is not HSet or type(b) is not HSet:
        return True
    db = b._d
    return not any(k in db for k in a._d)


# --------------------------------------------------------------------------- methods (== based)


def _eq_build(items: Any) -> HSet:
    """A set of ``items`` de-duplicated with ``==`` (first occurrence kept)."""
    out = HSet({})
    d = out._d
    for v in items:
        if not out.contains_eq(v):
            d[structural_key(v)] = v
    return out


@method("set", ("count", "len"), "() -> int", "Number of elements.")
def set_count(s: HSet, *_: Any) -> int:
    return len(s._d)


@method("set", "empty", "() -> bool", "True for the empty set.")
def set_empty(s: HSet, *_: Any) -> bool:
    return not s._d


@method("set", "contains", "(x: any) -> bool", "Membership by ==.")
def set_m_contains(s: HSet, x: Any = None, *_: Any) -> bool:
    return s.contains_eq(x)


@method("set", "add", "(x: any) -> set", "The set with x appended unless present (==).")
def set_m_add(s: HSet, x: Any = None, *_: Any) -> HSet:
    if s.contains_eq(x):
        return s
    d = s._d.copy()
    d[structural_key(x)] = x
    return HSet(d)


@method("set", ("remove", "delete"), "(x: any) -> set", "The set without elements == x.")
def set_m_remove(s: HSet, x: Any = None, *_: Any) -> HSet:
    if not s.contains_eq(x):
        return s
    from vm.runtime.compare import eq

    return HSet({k: v for k, v in s._d.items() if not eq(v, x)})


@method("set", "union", "(other: set) -> set", "Receiver's elements, then other's new ones.")
def set_m_union(s: HSet, other: Any = None, *_: Any) -> HSet:
    if type(other) is not HSet:
        return s
    out = HSet(s._d.copy())
    d = out._d
    for v in other._d.values():
        if not out.contains_eq(v):
            d[structural_key(v)] = v
    return out


@method("set", ("intersect", "intersection"), "(other: set) -> set",
        "Elements also in other (==).")
def set_m_intersect(s: HSet, other: Any = None, *_: Any) -> HSet:
    if type(other) is not HSet:
        return HSet({})
    return HSet({k: v for k, v in s._d.items() if other.contains_eq(v)})


@method("set", "difference", "(other: set) -> set", "Elements not in other (==).")
def set_m_difference(s: HSet, other: Any = None, *_: Any) -> HSet:
    if type(other) is not HSet:
        return s
    return HSet({k: v for k, v in s._d.items() if not other.contains_eq(v)})


@method("set", "symmetric_difference", "(other: set) -> set",
        "Elements in exactly one of the two sets.")
def set_m_symmetric_difference(s: HSet, other: Any = None, *_: Any) -> HSet:
    if type(other) is not HSet:
        return s
    d = {k: v for k, v in s._d.items() if not other.contains_eq(v)}
    d.update({k: v for k, v in other._d.items() if not s.contains_eq(v)})
    return HSet(d)


@method("set", "is_subset", "(other: set) -> bool", "Every element is in other.")
def set_m_is_subset(s: HSet, other: Any = None, *_: Any) -> bool:
    if type(other) is not HSet:
        return False
    return all(other.contains_eq(v) for v in s._d.values())


@method("set", "is_superset", "(other: set) -> bool", "Every element of other is in the set.")
def set_m_is_superset(s: HSet, other: Any = None, *_: Any) -> bool:
    if type(other) is not HSet:
        return False
    return all(s.contains_eq(v) for v in other._d.values())


@method("set", "is_disjoint", "(other: set) -> bool", "No element in common.")
def set_m_is_disjoint(s: HSet, other: Any = None, *_: Any) -> bool:
    if type(other) is not HSet:
        return True
    return not any(other.contains_eq(v) for v in s._d.values())


@method("set", "to_list", "() -> list", "The elements in insertion order.")
def set_to_list(s: HSet, *_: Any) -> list[Any]:
    return list(s._d.values())


@method("set", "map", "(f: fn(any) -> any) -> set", "The results of f, de-duplicated (==).")
def set_map(s: HSet, f: Any = None, *_: Any) -> HSet | None:
    if not is_callable(f):
        return None
    return _eq_build([f(v) for v in s._d.values()])


@method("set", "filter", "(p: fn(any) -> any) -> set", "The elements where p is truthy.")
def set_filter(s: HSet, p: Any = None, *_: Any) -> HSet | None:
    if not is_callable(p):
        return None
    return HSet({k: v for k, v in s._d.items() if test(p(v))})


@method("set", "any", "(p: fn(any) -> any) -> bool", "True if some element matches.")
def set_any(s: HSet, p: Any = None, *_: Any) -> bool:
    if not is_callable(p):
        return False
    return any(test(p(v)) for v in s._d.values())


@method("set", ("all", "every"), "(p: fn(any) -> any) -> bool", "True if every element matches.")
def set_all(s: HSet, p: Any = None, *_: Any) -> bool:
    if not is_callable(p):
        return True
    return all(test(p(v)) for v in s._d.values())


@method("set", "iter", "() -> iter", "A lazy iterator over the elements.")
def set_iter(s: HSet, *_: Any) -> HIter:
    return make_iter(s)


__all__ = ["_build"]
