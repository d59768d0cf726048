"""Adapter between the checker and the builtin registry (``vm.stdlib.registry``).

The registry is the one source of truth for builtins (ARCHITECTURE decision
5): names (T1 and T2), parsed signatures, docs. This module is the only place
the checker touches it, so wiring changes stay a one-file change. It derives:

* :func:`is_builtin` / :func:`all_names` - for strict-mode call resolution
  (types.md §14: T2 names count even before they are implemented);
* :func:`static_return` - the *coarse* static return type of §6.1/§18.6:
  the free function's return type with type arguments dropped, untyped when
  optional (``T?``), a union, ``num`` or ``any``, plus the listed exceptions;
* :func:`arity` - ``(min, max)`` for our own builtin-arity warning (§18.6);
* :func:`signature_text` / :func:`doc` - for hover and completion.

Loading: importing ``vm.stdlib`` fills the registry (decorators next to each
implementation), once, lazily, on the first question. ``LANGUAGE_CALLABLES``
are not builtins but names the language itself makes callable (the Tier 2
task specials of language.md §10.4), so a call to them is never E013.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from typechecker.types import (
    NEVER,
    NIL,
    STRING,
    Type,
    Union,
    named,
)

# §6.1: untyped although stdlib.md names a type.
UNTYPED_RETURN = frozenset(
    """len floor ceil round sqrt split contains starts_with ends_with set set_add set_remove
    set_union set_intersect set_difference set_symmetric_difference rng_seed throw_error
    base64_decode url_decode read_file_result channel send select atomic atomic_get
    atomic_set atomic_add""".split()
)
# §6.1: typed differently from stdlib.md (None = untyped `string | nil`, kept untyped
# because a union return type is untyped by the general rule... except these are
# explicitly `string | nil`).
SPECIAL_RETURN: dict[str, str] = {
    "to_int": "int", "to_float": "float", "range": "list", "random_shuffle": "list",
    "atomic_cas": "bool", "exit": "nil", "project_root": "string",
    "env": "string | nil", "read_line": "string | nil", "read_stdin": "string | nil",
    "prompt_user": "string | nil", "uuid_parse": "string | nil", "regex_match": "string | nil",
}
GENERIC_BUILTINS = {"schema_parse": 1, "schema_check": 1, "schema_expect": 1}
GLOBAL_VALUES = ("pi", "e", "argv", "stream")
LANGUAGE_CALLABLES = ("await", "cancel", "cancel_graceful", "is_cancelled")


@dataclass(slots=True)
class BuiltinView:
    name: str
    sig_text: str
    doc: str = ""
    tier: str = "T1"


_TABLE: dict[str, BuiltinView] | None = None
_NAMES: list[str] | None = None
_RETURNS: dict[str, Type | None] = {}
_ARITY: dict[str, tuple[int, int | None] | None] = {}


def _load_registry() -> dict[str, BuiltinView]:
    out: dict[str, BuiltinView] = {}
    try:
        importlib.import_module("vm.stdlib")
        registry = importlib.import_module("vm.stdlib.registry")
        for name, b in getattr(registry, "BUILTINS", {}).items():
            out[name] = BuiltinView(name, getattr(b, "sig_text", "") or "",
                                    getattr(b, "doc", "") or "", getattr(b, "tier", "T1"))
    except Exception:
        return {}
    return out


def table() -> dict[str, BuiltinView]:
    global _TABLE, _NAMES
    if _TABLE is None:
        t = {n: BuiltinView(n, "", "task special (language.md §10.4)", "T2")
             for n in LANGUAGE_CALLABLES}
        t.update(_load_registry())
        _TABLE = t
        _NAMES = sorted(t)
    return _TABLE


def is_builtin(name: str) -> bool:
    return name in table()


def all_names() -> list[str]:
    table()
    return _NAMES  # type: ignore[return-value]


def signature_text(name: str) -> str | None:
    b = table().get(name)
    return None if b is None else b.sig_text


def doc(name: str) -> str:
    b = table().get(name)
    return "" if b is None else b.doc


def _return_text(sig: str) -> str | None:
    depth = 0
    i = 0
    n = len(sig)
    while i < n:
        c = sig[i]
        if c == '"':
            j = sig.find('"', i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == "-" and sig.startswith("->", i):
            if depth == 0:
                return sig[i + 2:].strip()
            i += 2
            continue
        if c in "([{<":
            depth += 1
        elif c in ")]}>":
            depth -= 1
        i += 1
    return None


def static_return(name: str) -> Type | None:
    """The §6.1 static return type of builtin ``name`` (``None``: untyped)."""
    if name in _RETURNS:
        return _RETURNS[name]
    t = _compute_return(name)
    _RETURNS[name] = t
    return t


def _compute_return(name: str) -> Type | None:
    if name in UNTYPED_RETURN:
        return None
    special = SPECIAL_RETURN.get(name)
    if special is not None:
        if special == "string | nil":
            return Union((STRING, NIL))
        return named(special)
    b = table().get(name)
    if b is None or not b.sig_text:
        return None
    text = _return_text(b.sig_text)
    if not text:
        return None
    text = text.strip()
    if text.endswith("?") or "|" in text or text in ("num", "any") or text.startswith("fn"):
        return None
    head = text.split("<", 1)[0].strip()
    if not head.replace("_", "").isalnum():
        return None
    if head == "never":
        return NEVER
    return named(head)


def arity(name: str) -> tuple[int, int | None] | None:
    """``(required, maximum)`` from the signature (``None`` maximum: rest parameter)."""
    if name in _ARITY:
        return _ARITY[name]
    r = _compute_arity(name)
    _ARITY[name] = r
    return r


def _compute_arity(name: str) -> tuple[int, int | None] | None:
    b = table().get(name)
    if b is None or not b.sig_text.startswith("("):
        return None
    try:
        from vm.stdlib.registry import parse_signature  # type: ignore[import-not-found]

        sig = parse_signature(b.sig_text)
        return sig.min_args, sig.max_args
    except Exception:
        return None


_METHODS: dict[str, frozenset[str] | None] = {}


def method_names(receiver: str) -> frozenset[str] | None:
    """Method names of a built-in receiver type (``"string"``, ``"list"``...), or None."""
    if receiver in _METHODS:
        return _METHODS[receiver]
    names: frozenset[str] | None = None
    try:
        table()
        registry = importlib.import_module("vm.stdlib.registry")
        info = getattr(registry, "METHOD_INFO", {}).get(receiver)
        if info:
            names = frozenset(info)
    except Exception:
        names = None
    _METHODS[receiver] = names
    return names


_ALL_METHODS: frozenset[str] | None = None


def is_any_method(name: str) -> bool:
    """Whether some built-in receiver type has a method ``name``."""
    global _ALL_METHODS
    if _ALL_METHODS is None:
        out: set[str] = set()
        try:
            table()
            registry = importlib.import_module("vm.stdlib.registry")
            for names in getattr(registry, "METHOD_INFO", {}).values():
                out.update(names)
        except Exception:
            pass
        _ALL_METHODS = frozenset(out)
    return name in _ALL_METHODS


def type_arg_count(name: str) -> int:
    return GENERIC_BUILTINS.get(name, 0)
