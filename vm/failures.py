"""Python exceptions raised in compiled code -> Harn errors with script positions.

Compiled code runs Python's own operators and calls where the semantics
agree, so some language errors surface as Python exceptions
(``ZeroDivisionError``, ``RecursionError``, a ``TypeError`` for calling a
non-function, ``NameError`` for a late-bound function that does not exist
yet). :func:`to_harn_error` maps each to the spec's message (§12.6).

Positions come from the traceback for free: every code object compiled from
a script is registered here with its :class:`Unit`, so the innermost frame of
a registered code object is the script frame that failed, and
``co_positions()`` at its last instruction gives the script line and
(character) column the compiler stored on that instruction.
"""

from __future__ import annotations

import re
import weakref
from types import CodeType, TracebackType
from typing import Any

from vm.runtime.display import display
from vm.runtime.errors import (
    DIVISION_BY_ZERO,
    STACK_OVERFLOW,
    HarnError,
    plain_error,
    runtime_error,
    type_error,
)

_UNITS: weakref.WeakKeyDictionary[CodeType, Any] = weakref.WeakKeyDictionary()
_NAME = re.compile(r"'([^']+)'")


def register_code(code: CodeType, unit: Any) -> None:
    """Map ``code`` and every code object nested in it to ``unit``."""
    stack = [code]
    while stack:
        c = stack.pop()
        _UNITS[c] = unit
        stack.extend(k for k in c.co_consts if isinstance(k, CodeType))


def unit_of(code: CodeType) -> Any:
    return _UNITS.get(code)


def script_frame(tb: TracebackType | None) -> tuple[TracebackType, Any] | None:
    """The innermost traceback entry that runs script code, with its unit."""
    found = None
    while tb is not None:
        unit = _UNITS.get(tb.tb_frame.f_code)
        if unit is not None:
            found = (tb, unit)
        tb = tb.tb_next
    return found


def span_of(tb: TracebackType, unit: Any) -> tuple[int, int]:
    """Source offsets (start, end) of the instruction a traceback entry stopped at."""
    code = tb.tb_frame.f_code
    src = unit.src
    try:
        line, end_line, col, end_col = list(code.co_positions())[tb.tb_lasti // 2]
    except (IndexError, ValueError):
        line = end_line = col = end_col = None
    if line is None:
        line = tb.tb_lineno
    if col is None:
        start = src.offset_of(line, 1)
        return start, start
    start = src.offset_of(line, col + 1)
    end = src.offset_of(end_line or line, (end_col or col) + 1)
    return start, max(end, start)


def _unmangle(py_name: str) -> str:
    name = py_name[2:] if py_name.startswith("h_") else py_name
    return name.split("$", 1)[0]


def _translate(exc: BaseException, found: tuple[TracebackType, Any] | None) -> HarnError:
    if isinstance(exc, ZeroDivisionError):
        return plain_error(DIVISION_BY_ZERO)
    if isinstance(exc, RecursionError):
        return plain_error(STACK_OVERFLOW)
    if isinstance(exc, NameError):
        m = _NAME.search(str(exc))
        py_name = m.group(1) if m else "?"
        kind = found[1].fn_kinds.get(py_name) if found is not None else None
        name = _unmangle(py_name)
        if kind == "fn":
            return plain_error(f"Undefined builtin: {name}")
        return plain_error(f"Undefined variable: {name}")
    if isinstance(exc, TypeError) and "object is not callable" in str(exc):
        return type_error(f"Cannot call {_callee_text(found)}")
    if isinstance(exc, MemoryError):
        return runtime_error("out of memory")
    if isinstance(exc, OverflowError):
        return runtime_error(str(exc))
    if isinstance(exc, TypeError):
        return type_error(str(exc))
    return runtime_error(f"internal error: {type(exc).__name__}: {exc}")


def _callee_text(found: tuple[TracebackType, Any] | None) -> str:
    """Display of the value a failed call tried to call, found through the frame."""
    if found is None:
        return "value"
    tb, unit = found
    try:
        start, _ = span_of(tb, unit)
        node = unit.call_at(start)
        if node is not None:
            b = unit.resolution.uses.get(node.callee)
            if b is not None:
                frame_locals = tb.tb_frame.f_locals
                if b.py_name in frame_locals:
                    return display(frame_locals[b.py_name])
    except Exception:  # pragma: no cover - best effort only
        pass
    return "value"


def function_name(code: CodeType) -> str:
    """The script-level name of a compiled function (``fact``, ``closure``, ``top level``)."""
    name = code.co_name
    if name == "$main":
        return "top level"
    if name.startswith("h_"):
        return _unmangle(name)
    if name.startswith("$m_"):
        return name[3:].rstrip("0123456789")
    return "closure"


def callers(tb: TracebackType | None, innermost: TracebackType) -> list[tuple[str, str, int]]:
    """``(caller name, path, line)`` of the script frames around the failing one,
    innermost first."""
    frames: list[tuple[str, str, int]] = []
    while tb is not None and tb is not innermost:
        unit = _UNITS.get(tb.tb_frame.f_code)
        if unit is not None:
            frames.append((function_name(tb.tb_frame.f_code), unit.src.path, tb.tb_lineno))
        tb = tb.tb_next
    frames.reverse()
    return frames


def to_harn_error(exc: BaseException) -> HarnError:
    """The Harn error for ``exc``, with ``pos``/``path`` of the failing script
    instruction filled in (once; later translations reuse it)."""
    cached = getattr(exc, "_harn_error", None)
    if cached is not None:
        return cached
    found = script_frame(exc.__traceback__)
    h = exc if isinstance(exc, HarnError) else _translate(exc, found)
    if h.pos is None and found is not None:
        tb, unit = found
        start, end = span_of(tb, unit)
        h.pos = start
        h.path = unit.src.path
        h.end = end  # type: ignore[attr-defined]
        h.unit = unit  # type: ignore[attr-defined]
        h.callers = callers(exc.__traceback__, tb)  # type: ignore[attr-defined]
    if h is not exc:
        try:
            exc._harn_error = h  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover
            pass
    return h


def error_value(exc: BaseException) -> Any:
    """What ``catch (e)`` binds for ``exc``."""
    if isinstance(exc, HarnError):
        return exc.value
    return to_harn_error(exc).value
