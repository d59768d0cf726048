"""Where the compiler finds builtins: one lookup for every builtin name.

:func:`builtin_table` merges, lowest priority first: the VM's own output
builtins (:mod:`vm.runtime.output`), the stdlib registry
(``vm.stdlib.registry.BUILTINS``, entries with a ``.fn`` callable, when that
package is installed) and the host functions of one compilation. Values that
are not functions (``pi``, ``e``) are kept apart as constants.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from vm.runtime import support
from vm.runtime.output import OUTPUT_BUILTINS
from vm.runtime.values import EnumValue, err, ok

CONSTANTS: dict[str, Any] = {"pi": math.pi, "e": math.e}


def _fallback() -> dict[str, Callable[..., Any]]:
    def ok_(v: Any = None, *_r: Any) -> EnumValue:
        return ok(v)

    def err_(v: Any = None, *_r: Any) -> EnumValue:
        return err(v)

    table: dict[str, Callable[..., Any]] = dict(OUTPUT_BUILTINS)
    table["Ok"] = ok_
    table["Err"] = err_
    return table


_REGISTRY: dict[str, Callable[..., Any]] | None = None
_CONSTS: dict[str, Any] | None = None


def _load_registry() -> tuple[dict[str, Callable[..., Any]], dict[str, Any]]:
    global _REGISTRY, _CONSTS
    if _REGISTRY is None or _CONSTS is None:
        table = _fallback()
        consts = dict(CONSTANTS)
        try:
            from vm.stdlib import registry  # type: ignore[import-not-found]
        except ImportError:
            registry = None
        if registry is not None:
            for name, entry in getattr(registry, "BUILTINS", {}).items():
                fn = getattr(entry, "fn", entry)
                if callable(fn):
                    table[name] = fn
                else:
                    consts[name] = fn
            for name, value in getattr(registry, "CONSTANTS", {}).items():
                consts[name] = value
            methods = getattr(registry, "METHODS", None)
            if methods is not None:
                support.install_methods(methods)
        _REGISTRY, _CONSTS = table, consts
        support.set_builtin_names(list(table) + list(consts))
    return _REGISTRY, _CONSTS


def builtin_table(host: Mapping[str, Any] | None = None) -> tuple[dict[str, Callable[..., Any]],
                                                                   dict[str, Any]]:
    """``(functions, constants)`` visible to a script compiled with ``host``."""
    funcs, consts = _load_registry()
    if host:
        funcs = dict(funcs)
        consts = dict(consts)
        for name, value in host.items():
            if callable(value):
                funcs[name] = value
                consts.pop(name, None)
            else:
                consts[name] = value
                funcs.pop(name, None)
    return funcs, consts


def reset() -> None:
    """Forget the cached registry (tests that install a stdlib late)."""
    global _REGISTRY, _CONSTS
    _REGISTRY = _CONSTS = None
