"""Run-time checks of parameter annotations (types.md §15).

:func:`build_checker` turns one parameter's type expression into a Python
function ``check(value)`` that raises the spec's error, or ``None`` when the
annotation is not checked at run time (aliases, structs, enums, type
parameters, ``any``, applied generics other than ``list``/``dict``...). The
compiler builds checkers once per parameter, at compile time, and calls them
in the function prologue after defaults.

Unchecked parts propagate: ``list<T>`` with an unchecked ``T`` checks the
kind only; a shape with an unchecked field type is not checked at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lang import ast
from vm.runtime.display import display, type_of
from vm.runtime.errors import runtime_error, type_error
from vm.runtime.values import BuiltinRef, StructType, StructValue

Check = Callable[[Any], None]

_SCALARS = frozenset({"int", "float", "string", "bool", "list", "dict", "set", "nil", "closure",
                      "bytes"})


def _kind_ok(kind: str, v: Any) -> bool:
    t = type_of(v)
    if kind == "int" or kind == "float":
        return t == "int" or t == "float"
    if kind == "dict":
        return t == "dict" or type(v) is StructValue
    if kind == "closure":
        return t in ("closure", "builtin") or isinstance(v, (BuiltinRef, StructType))
    return t == kind


def type_text(t: ast.Node) -> str:
    """A type as types.md §4 prints it."""
    k = type(t)
    if k is ast.TypeName:
        if t.args:
            return t.name + "<" + ", ".join(type_text(a) for a in t.args) + ">"
        return t.name
    if k is ast.ListType:
        return "list<" + type_text(t.elem) + ">"
    if k is ast.LiteralType:
        if isinstance(t.value, str):
            return '"' + t.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return str(t.value)
    if k is ast.UnionType:
        return " | ".join(type_text(m) for m in t.members)
    if k is ast.ShapeType:
        return "{" + ", ".join(f.name + ("?" if f.optional else "") + ": " + type_text(f.type)
                               for f in t.fields) + "}"
    if k is ast.FnType:
        return "fn(" + ", ".join(type_text(p) for p in t.params) + ") -> " + type_text(t.ret)
    return "?"


def _scalar_name(t: ast.Node) -> str | None:
    if type(t) is ast.TypeName and not t.args and t.name in _SCALARS:
        return t.name
    return None


def _is_checked(t: ast.Node, interfaces: frozenset[str]) -> bool:
    k = type(t)
    if k is ast.TypeName:
        if t.name in _SCALARS and not t.args:
            return True
        if t.name in interfaces and not t.args:
            return True
        if t.name in ("list", "dict") and t.args:
            return True
        return False
    if k in (ast.ListType, ast.LiteralType, ast.FnType):
        return True
    if k is ast.UnionType:
        return all(_is_checked(m, interfaces) for m in t.members)
    if k is ast.ShapeType:
        return all(_is_checked(f.type, interfaces) for f in t.fields)
    return False


def _accepts(t: ast.Node, v: Any, interfaces: frozenset[str]) -> bool:
    """Does ``v`` fit ``t`` (no message)?"""
    k = type(t)
    if k is ast.TypeName:
        if t.name in interfaces and not t.args:
            return type(v) is StructValue
        if t.name in _SCALARS and not t.args:
            return _kind_ok(t.name, v)
        if t.name == "list" and t.args:
            return type(v) is list and (not _is_checked(t.args[0], interfaces) or all(
                _accepts(t.args[0], x, interfaces) for x in v))
        if t.name == "dict" and t.args:
            if not _kind_ok("dict", v):
                return False
            if len(t.args) == 2 and _is_checked(t.args[1], interfaces):
                items = v.fields if type(v) is StructValue else v
                return all(_accepts(t.args[1], x, interfaces) for x in items.values())
            return True
        return True
    if k is ast.ListType:
        return _accepts(ast.TypeName(t.start, t.end, "list", [t.elem]), v, interfaces)
    if k is ast.LiteralType:
        return type(v) is type(t.value) and v == t.value
    if k is ast.FnType:
        return _kind_ok("closure", v)
    if k is ast.UnionType:
        return any(_accepts(m, v, interfaces) for m in t.members)
    if k is ast.ShapeType:
        if not (type(v) is dict or type(v) is StructValue):
            return False
        items = v.fields if type(v) is StructValue else v
        for f in t.fields:
            if f.name not in items or items[f.name] is None:
                if not f.optional:
                    return False
                continue
            if not _accepts(f.type, items[f.name], interfaces):
                return False
        return True
    return True


def _got(v: Any) -> str:
    return f"{type_of(v)} ({display(v)})"


def _close_key(name: str, keys: list[str]) -> str | None:
    n = len(name)
    limit = 1 if n <= 2 else (2 if n <= 5 else 3)
    from vm.runtime.support import _distance

    for k in sorted(keys):
        if k and name and k[0] == name[0] and k != name and _distance(k, name) <= limit:
            return k
    return None


def _check_shape(t: ast.ShapeType, v: Any, pname: str, interfaces: frozenset[str]) -> None:
    if not (type(v) is dict or type(v) is StructValue):
        raise type_error(f"parameter '{pname}': expected dict or struct, got {type_of(v)}")
    items = v.fields if type(v) is StructValue else v
    for f in t.fields:
        present = f.name in items and items[f.name] is not None
        if not present:
            if f.optional:
                continue
            msg = f"parameter '{pname}': missing field '{f.name}' ({type_text(f.type)})"
            near = _close_key(f.name, [k for k in items if k not in {g.name for g in t.fields}])
            if near is not None:
                msg += f", did you mean '{near}'?"
            raise type_error(msg)
        fv = items[f.name]
        ft = f.type
        if type(ft) is ast.ShapeType:
            if not (type(fv) is dict or type(fv) is StructValue):
                raise type_error(f"parameter '{pname}': field '{f.name}' expected dict or "
                                 f"struct, got {type_of(fv)}")
            _check_shape(ft, fv, f"{pname}.{f.name}", interfaces)
        elif not _accepts(ft, fv, interfaces):
            raise type_error(f"parameter '{pname}': field '{f.name}' expected "
                             f"{_compact(ft)}, got {type_of(fv)}")


def _compact(t: ast.Node) -> str:
    if type(t) is ast.UnionType:
        return "|".join(_compact(m) for m in t.members)
    if type(t) is ast.LiteralType:
        return str(t.value)
    return type_text(t)


def build_checker(t: ast.Node | None, pname: str,
                  interfaces: frozenset[str] = frozenset()) -> Check | None:
    """A checker for parameter ``pname`` annotated ``t``, or ``None`` if unchecked."""
    if t is None or not _is_checked(t, interfaces):
        return None
    k = type(t)
    scalar = _scalar_name(t)
    if scalar is not None:
        def check_scalar(v: Any) -> None:
            if not _kind_ok(scalar, v):
                raise runtime_error(f"TypeError: parameter '{pname}' expected {scalar}, "
                                    f"got {_got(v)}")
        return check_scalar
    if k is ast.TypeName and t.name in interfaces and not t.args:
        iname = t.name

        def check_iface(v: Any) -> None:
            if type(v) is not StructValue:
                raise type_error(f"parameter '{pname}': expected value satisfying interface "
                                 f"'{iname}', got {type_of(v)}")
        return check_iface
    if k is ast.ListType or (k is ast.TypeName and t.name == "list"):
        elem = t.elem if k is ast.ListType else (t.args[0] if t.args else None)
        checked = elem is not None and _is_checked(elem, interfaces)

        def check_list(v: Any) -> None:
            if type(v) is not list:
                raise runtime_error(f"TypeError: parameter '{pname}' expected list, got {_got(v)}")
            if checked:
                for i, x in enumerate(v):
                    if not _accepts(elem, x, interfaces):
                        raise runtime_error(
                            f"TypeError: parameter '{pname}': at root[{i}]: expected type "
                            f"'{_compact(elem)}', got '{type_of(x)}'")
        return check_list
    if k is ast.TypeName and t.name == "dict":
        val = t.args[1] if len(t.args) == 2 else None
        checked_v = val is not None and _is_checked(val, interfaces)

        def check_dict(v: Any) -> None:
            if not _kind_ok("dict", v):
                raise runtime_error(f"TypeError: parameter '{pname}' expected dict, got {_got(v)}")
            if checked_v:
                items = v.fields if type(v) is StructValue else v
                for key in sorted(items):
                    if not _accepts(val, items[key], interfaces):
                        raise type_error(f"parameter '{pname}': field '{key}' expected "
                                         f"{_compact(val)}, got {type_of(items[key])}")
        return check_dict
    if k is ast.LiteralType:
        lit = t.value

        def check_lit(v: Any) -> None:
            if not (type(v) is type(lit) and v == lit):
                raise runtime_error(f"TypeError: parameter '{pname}': expected constant {lit}, "
                                    f"got {display(v)}")
        return check_lit
    if k is ast.FnType:
        def check_fn(v: Any) -> None:
            if not _kind_ok("closure", v):
                raise runtime_error(f"TypeError: parameter '{pname}' expected closure, "
                                    f"got {_got(v)}")
        return check_fn
    if k is ast.UnionType:
        members = t.members
        if all(type(m) is ast.LiteralType for m in members):
            shown = "[" + ", ".join(str(m.value) for m in members) + "]"

            def check_lits(v: Any) -> None:
                if not any(type(v) is type(m.value) and v == m.value for m in members):
                    raise runtime_error(f"TypeError: parameter '{pname}': value must be one of "
                                        f"{shown}")
            return check_lits
        text = _compact(t)

        def check_union(v: Any) -> None:
            if not _accepts(t, v, interfaces):
                raise runtime_error(f"TypeError: parameter '{pname}' expected {text}, "
                                    f"got {_got(v)}")
        return check_union
    if k is ast.ShapeType:
        def check_shape(v: Any) -> None:
            _check_shape(t, v, pname, interfaces)
        return check_shape
    return None
