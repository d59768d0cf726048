"""The one namespace compiled code runs in (the sandbox boundary).

``__builtins__`` is empty, so generated code reaches nothing but the names
below; every name contains ``$``, which no Harn identifier can, and script
bindings are ``h_``-prefixed locals, so a script can neither name a helper
nor a Python builtin. Helpers only read attributes with fixed names; no
script-controlled name is ever passed to ``getattr``.

:func:`run_namespace` adds the per-run entries: struct types (fresh per run,
so impl methods registered by one run never leak into the next), ``argv``
and the deadline.
"""

from __future__ import annotations

import sys
import time
import types
import weakref
from collections.abc import Callable
from typing import Any

from vm.failures import error_value
from vm.runtime import deadlines, ops, support, tasks
from vm.runtime.display import display, register_value_type
from vm.runtime.errors import STACK_OVERFLOW, HarnError, runtime_error
from vm.runtime.streams import HStream
from vm.runtime.tasks import spawn
from vm.runtime.values import Duration, EnumValue, HGenerator, StructType, StructValue

# §6.1: a zero duration is falsy. Python truthiness is used for conditions.
if not hasattr(Duration, "__bool__"):
    Duration.__bool__ = lambda self: self.ms != 0  # type: ignore[attr-defined]

# Display names of compiled functions, keyed by code object (no per-closure cost;
# weak, so a host compiling many scripts does not keep their code alive).
CODE_PARAMS: weakref.WeakKeyDictionary[types.CodeType, tuple[str, ...]] = \
    weakref.WeakKeyDictionary()


def _display_function(v: Any) -> str:
    params = getattr(v, "harn_params", None)
    if params is None:
        params = CODE_PARAMS.get(getattr(v, "__code__", None), ())  # type: ignore[arg-type]
    return "<fn(" + ", ".join(params) + ")>"


register_value_type(types.FunctionType, "closure", _display_function)


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


END = _Sentinel("END")
RET = _Sentinel("RET")


def _key(k: Any) -> str:
    return k if type(k) is str else display(k)


def _in(x: Any, r: Any) -> bool:
    return ops.contains(r, x)


def _not_in(x: Any, r: Any) -> bool:
    return not ops.contains(r, x)


def _pipe_rev(x: Any, f: Any) -> Any:
    return support.pipe(f, x)


def _fail(exc: BaseException) -> Any:
    raise exc


def _bind_args(args: list, spec: tuple) -> tuple:
    """Parameter values for a tail call with spread arguments."""
    out: list[Any] = []
    i = 0
    for has_default, rest in spec:
        if rest:
            out.append(list(args[i:]))
            i = len(args)
        elif i < len(args):
            out.append(args[i])
            i += 1
        else:
            out.append(support.UNSET if has_default else None)
    return tuple(out)


def _select_ready(cases: list, timeout: Any, has_default: bool) -> tuple[int, Any]:
    from vm.stdlib.channels import select_ready

    return select_ready(cases, timeout, has_default)


def _run_defers(defers: list) -> None:
    while defers:
        defers.pop()()


def _gen_closing() -> bool:
    """True in a ``finally`` run because an abandoned generator is being closed:
    its Harn ``finally``/``defer`` blocks must not run then (the body never exits)."""
    return type(sys.exc_info()[1]) is GeneratorExit


def _no_import(path: str, names: Any, importer: str) -> Any:
    raise support.unsupported("import")


IMPORT_HOOK: list[Callable[..., Any]] = [_no_import]


def _import(path: str, names: Any, importer: str) -> Any:
    return IMPORT_HOOK[0](path, names, importer)


BASE: dict[str, Any] = {
    "__builtins__": {},
    "$T": type,
    "$int": int,
    "$float": float,
    "$str": str,
    "$dict": dict,
    "$list": list,
    "$len": len,
    "$filter": filter,
    "$pyrange": range,
    "$Exception": Exception,
    "$UNSET": support.UNSET,
    "$END": END,
    "$RET": RET,
    "$add": ops.add,
    "$sub": ops.sub,
    "$mul": ops.mul,
    "$div": ops.div,
    "$mod": ops.mod,
    "$pow": ops.pow,
    "$neg": ops.neg,
    "$eq": ops.eq,
    "$ne": ops.ne,
    "$lt": ops.lt,
    "$gt": ops.gt,
    "$le": ops.le,
    "$ge": ops.ge,
    "$in": _in,
    "$not_in": _not_in,
    "$getprop": ops.get_property,
    "$getprop_opt": ops.get_property_opt,
    "$getidx": ops.get_index,
    "$getidx_opt": ops.get_index_opt,
    "$slice": ops.get_slice,
    "$setidx": support.setidx,
    "$setprop": support.setprop,
    "$setpath": support.setpath,
    "$rc": sys.getrefcount,
    "$spread_list": ops.spread_list,
    "$spread_dict": ops.spread_dict,
    "$key": _key,
    "$display": display,
    "$make_range": ops.make_range,
    "$iterate": ops.iterate,
    "$method": support.method,
    "$method_opt": support.method_opt,
    "$find_method": support.find_method,
    "$pipe_rev": _pipe_rev,
    "$drop": support.drop,
    "$EnumValue": EnumValue,
    "$struct_new": support.struct_new,
    "$StructValue": StructValue,
    "$register_methods": support.register_methods,
    "$is_err": support.is_err,
    "$try_unwrap": support.try_unwrap,
    "$wrap_ok": support.wrap_ok,
    "$wrap_err": support.wrap_err,
    "$error_value": error_value,
    "$expect_dict": support.expect_dict,
    "$expect_list": support.expect_list,
    "$nth": support.nth,
    "$dict_rest": support.dict_rest,
    "$enum_field": support.enum_field,
    "$is_variant": support.is_variant,
    "$list_at_least": support.list_at_least,
    "$no_match": support.no_match,
    "$catch_is": support.catch_is,
    "$undefined_variable": support.undefined_variable,
    "$undefined_builtin": support.undefined_builtin,
    "$immutable": support.immutable,
    "$redeclared": support.redeclared,
    "$unsupported": support.unsupported,
    "$throw": support.throw,
    "$require_failed": support.require_failed,
    "$fail": _fail,
    "$HGenerator": HGenerator,
    "$bind_args": _bind_args,
    "$Tail": support.TailCall,
    "$deep": support.deep_call,
    "$tramp": support.trampoline,
    "$run_defers": _run_defers,
    "$gen_closing": _gen_closing,
    "$parallel": tasks.parallel,
    "$spawn": spawn,
    "$import": _import,
    "$mono": time.monotonic,
    "$limit": deadlines.limit_reached,
    "$deadline_enter": deadlines.enter,
    "$HStream": HStream,
    "$select_ready": _select_ready,
    "$runtime_error": runtime_error,
    "$deadline_exit": deadlines.leave,
}


def run_namespace(unit: Any, argv: list[str], deadline: float | None) -> dict[str, Any]:
    ns = dict(BASE)
    ns.update(unit.consts)
    for g, (name, fields) in unit.structs.items():
        ns[g] = StructType(name, fields)
    ns["$argv"] = list(argv)
    ns["$DL"] = deadline if deadline is not None else float("inf")
    return ns


__all__ = ["BASE", "CODE_PARAMS", "END", "RET", "HarnError", "STACK_OVERFLOW", "run_namespace"]
