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

# Builtins that reach the file system, the environment or other processes
# (stdlib.md §17, §18.1): an embedding host gets none unless it grants them
# (§24.13); ``lang run`` grants all.
CAPABILITIES = frozenset(
    "read_file read_file_result read_file_bytes read_lines write_file write_file_bytes "
    "append_file copy_file move_file delete_file file_exists mkdir list_dir stat walk_dir "
    "temp_dir glob env env_or cwd source_dir project_root execution_root asset_root home_dir "
    "username hostname pid exit exec shell exec_at shell_at".split()
)

# Builtins no host restriction can disable (stdlib.md §0.7).
ALWAYS_ALLOWED = frozenset(
    "println print log type_of to_string to_int to_float len assert assert_eq assert_ne "
    "json_parse json_stringify".split()
)


def all_builtin_names() -> frozenset[str]:
    """Every builtin function name of the registry (what ``--allow`` restricts)."""
    return frozenset(_load_registry()[0])


def _rejected(name: str) -> Callable[..., Any]:
    from vm.runtime.errors import categorized

    def rejected(*_args: Any) -> Any:
        raise categorized("tool_rejected", f"Tool '{name}' is not permitted.")

    return rejected


def _fallback() -> dict[str, Callable[..., Any]]:
    def ok_(v: Any = None, *_r: Any) -> EnumValue:
        return ok(v)

    def err_(v: Any = None, *_r: Any) -> EnumValue:
        return err(v)

    from vm.runtime.tasks import TASK_BUILTINS

    table: dict[str, Callable[..., Any]] = dict(OUTPUT_BUILTINS)
    table.update(TASK_BUILTINS)
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


def builtin_table(host: Mapping[str, Any] | None = None, denied: frozenset[str] = frozenset()
                  ) -> tuple[dict[str, Callable[..., Any]], dict[str, Any]]:
    """``(functions, constants)`` visible to a script compiled with ``host``;
    ``denied`` builtins fail with ``Error [tool_rejected]`` when called."""
    funcs, consts = _load_registry()
    if denied:
        funcs = dict(funcs)
        for name in denied:
            if name in funcs:
                funcs[name] = _rejected(name)
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
