"""Embedding API: compile a Harn script once, run it many times.

    >>> from vm.api import run
    >>> run('return 6 * 7')
    42

:func:`compile_script` parses, resolves and compiles (raising
:class:`ScriptError` for a syntax or compile error) and returns a
:class:`CompiledScript`; its :meth:`~CompiledScript.run` executes the code
object in a fresh namespace. :func:`run` does both.

Host functions are Python callables scripts call like builtins (they shadow
builtins of the same name); they receive and return Harn values.

Limits: ``timeout`` (seconds of wall-clock time) compiles checks at loop
back-edges and function entries — a separate code object, so scripts run
without a deadline pay nothing — and ``max_depth`` bounds the call depth
(default 512 frames, §10.5) through Python's recursion limit, set relative to
the caller's depth for the duration of the run (a Harn call is one Python
frame; builtins called from recursive functions borrow extra frames, see
:func:`vm.runtime.support.deep_call`). ``exit(n)`` ends a run cleanly:
``execute`` returns status ``n`` (clamped to 0..255) and value ``None``. Exceeding either stops the
script with a language error no ``catch`` can intercept. The recursion limit
and the int-to-string digit limit (ints are exact, §17.15) are interpreter-wide
settings: a run sets them and restores them when it ends.

The result of a run is the value of a top-level ``return`` (pipeline mode:
the entry pipeline's value), else the value of the last top-level
expression statement.
"""

from __future__ import annotations

import re
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Any, TextIO

from lang.diagnostics import Diagnostic, error, render_run
from lang.gcpause import gc_paused
from lang.parser import parse
from lang.resolve import Resolution
from lang.source import Source
from vm.builtins import ALWAYS_ALLOWED, CAPABILITIES
from vm.compiler import CompileOptions, Unit, compile_unit
from vm.failures import register_code, to_harn_error
from vm.namespace import CODE_PARAMS, END, RET, run_namespace
from vm.runtime.context import ExecContext, LimitExceeded, pop, push
from vm.runtime.display import display
from vm.runtime.errors import STACK_OVERFLOW, HarnError
from vm.runtime.support import DEEP_CAP
from vm.runtime.values import EnumValue
from vm.stdlib.env import HarnExit

DEFAULT_MAX_DEPTH = 512
_MARGIN = -2  # calibrated: 512 frames including $main


class ScriptError(Exception):
    """An uncaught error (or a syntax/compile error) of a script run.

    ``message`` is the spec text printed after ``error: ``; ``value`` what a
    ``catch`` would have bound; ``path``/``line``/``column`` (1-based) locate
    the failing script instruction when known.
    """

    def __init__(self, message: str, path: str = "", line: int = 0, column: int = 0,
                 value: Any = None, kind: str = "runtime",
                 rendered: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.value = message if value is None else value
        self.kind = kind
        self.rendered = rendered or f"error: {message}"

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class RunResult:
    value: Any
    status: int
    returned: bool  # a top-level return (or pipeline mode) produced ``value``
    err_text: str | None = None  # what to print on stderr for an Err exit value


def exit_status(value: Any, returned: bool) -> tuple[int, str | None]:
    """§15.2: int -> clamped 0..255; ``Err(e)`` -> 1 with display(e); else 0."""
    if not returned:
        return 0, None
    if type(value) is int:
        return max(0, min(255, value)), None
    if type(value) is EnumValue and value.enum == "Result" and value.variant == "Err":
        text = display(value.fields[0]) if value.fields else ""
        return 1, text or "error"
    return 0, None


def _diag_error(src: Source, diag: Diagnostic, kind: str) -> ScriptError:
    line, col = src.line_col(diag.start)
    message = diag.spec_text(src)
    return ScriptError(message, src.path, line, col, kind=kind, rendered=render_run(src, diag))


_DEPTH = re.compile(r"recursion depth (\d+)")


def _stack_depth() -> int:
    """The interpreter's current recursion depth (frames plus C-level recursion).

    CPython 3.11 has no API for it, but ``setrecursionlimit`` rejects a limit
    below the current depth and names the depth in its message; frame
    counting is the fallback.
    """
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(1)
    except RecursionError as exc:
        m = _DEPTH.search(str(exc))
        if m:
            return int(m.group(1))
    else:  # pragma: no cover - depth 0 cannot happen
        sys.setrecursionlimit(old)
    f = sys._getframe(1)
    n = 0
    while f is not None:
        n += 1
        f = f.f_back  # type: ignore[assignment]
    return n


class CompiledScript:
    """A parsed, resolved script; code objects are compiled per limit variant."""

    def __init__(self, src: Source, res: Resolution, host: dict[str, Any] | None,
                 denied: frozenset[str] = frozenset(), facts: Any = None) -> None:
        self.source = src
        self.resolution = res
        self.host = dict(host) if host else None
        self.denied = denied
        self.facts = facts  # the checker's result (proven facts), when it ran
        self._variants: dict[bool, tuple[Any, Unit]] = {}
        self.warnings: list[Diagnostic] = []

    def variant(self, deadline_checks: bool) -> tuple[Any, Unit]:
        v = self._variants.get(deadline_checks)
        if v is None:
            opts = CompileOptions(deadline_checks=deadline_checks, host=self.host,
                                  denied=self.denied, facts=self.facts)
            try:
                with gc_paused():
                    unit = compile_unit(self.resolution, self.source, opts)
                    code = compile_module(unit.module, self.source.path)
            except (RecursionError, MemoryError):
                raise ScriptError("Compile error at line 1: program nested too deeply to compile",
                                  self.source.path, 1, 1, kind="compile") from None
            except SyntaxError as exc:  # CPython limits, e.g. 20 nested loops/try blocks
                line = exc.lineno or 1
                raise ScriptError(f"Compile error at line {line}: {exc.msg}", self.source.path,
                                  line, 1, kind="compile") from None
            register_code(code, unit)
            _register_params(code, unit)
            v = (code, unit)
            self._variants[deadline_checks] = v
        return v

    def execute(self, stdout: TextIO | None = None, stderr: TextIO | None = None,
                argv: Any = (), timeout: float | None = None,
                max_depth: int | None = None) -> RunResult:
        """Run once; raises :class:`ScriptError` for an uncaught error."""
        code, unit = self.variant(timeout is not None)
        deadline = time.monotonic() + timeout if timeout is not None else None
        ctx = ExecContext(stdout if stdout is not None else sys.stdout,
                          stderr if stderr is not None else sys.stderr,
                          [str(a) for a in argv], deadline, timeout, max_depth,
                          self.source.path)
        ns = run_namespace(unit, ctx.argv, deadline)
        if unit.has_imports:
            from vm.loading import make_loader

            ns["$import"] = make_loader(self.source, ctx.argv, deadline, timeout is not None,
                                        self.host, self.denied)
        exec(code, ns)
        main = ns["$main"]
        depth = max_depth if max_depth is not None else DEFAULT_MAX_DEPTH
        old_limit = sys.getrecursionlimit()
        old_digits = sys.get_int_max_str_digits()
        push(ctx)
        limit = _stack_depth() + depth + _MARGIN
        old_cap = DEEP_CAP[0]
        DEEP_CAP[0] = limit + 3 * depth + 200  # see vm.runtime.support.deep_call
        sys.setrecursionlimit(limit)
        sys.set_int_max_str_digits(0)  # ints are exact (§17.15) and print in full
        try:
            kind, value = main()
        except HarnExit as exc:  # ``exit(n)``: a clean end of the run with status n
            return RunResult(None, max(0, min(255, exc.code)), False, None)
        except LimitExceeded as exc:
            raise ScriptError(exc.message, self.source.path, kind="limit") from None
        except RecursionError as exc:
            h = to_harn_error(exc)
            raise self._script_error(h, STACK_OVERFLOW) from None
        except Exception as exc:
            h = to_harn_error(exc)
            raise self._script_error(h, h.message) from None
        finally:
            DEEP_CAP[0] = old_cap
            sys.setrecursionlimit(old_limit)
            sys.set_int_max_str_digits(old_digits)
            pop(ctx)
        returned = kind is RET or unit.pipeline_mode
        status, err_text = exit_status(value, returned)
        return RunResult(value, status, returned, err_text)

    def run(self, stdout: TextIO | None = None, stderr: TextIO | None = None,
            argv: Any = (), timeout: float | None = None,
            max_depth: int | None = None) -> Any:
        return self.execute(stdout, stderr, argv, timeout, max_depth).value

    def _script_error(self, h: HarnError, message: str) -> ScriptError:
        unit = getattr(h, "unit", None)
        if h.pos is None or unit is None:
            return ScriptError(message, self.source.path, value=h.value)
        src = unit.src
        line, col = src.line_col(h.pos)
        end = getattr(h, "end", h.pos)
        diag = error("E0300", message, h.pos, max(end, h.pos + 1))
        rendered = render_run(src, diag)
        notes = getattr(h, "callers", [])
        if notes:
            gutter = " " * (len(str(line)) + 1)
            shown = [f"{gutter} = note: called from {name} at {path}:{ln}"
                     for name, path, ln in notes[:8]]
            if len(notes) > 8:
                shown.append(f"{gutter} = note: ... {len(notes) - 8} more frames")
            rendered += "\n" + "\n".join(shown)
        return ScriptError(message, src.path, line, col, value=h.value, rendered=rendered)


def compile_module(module: Any, path: str) -> Any:
    """``compile()`` a generated module; its warnings mean nothing to a script author."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(module, path, "exec", dont_inherit=True)


def _register_params(code: Any, unit: Unit) -> None:
    stack = [code]
    while stack:
        c = stack.pop()
        params = unit.fn_params.get(c.co_name)
        if params is not None:
            CODE_PARAMS[c] = params
        stack.extend(k for k in c.co_consts if type(k) is type(code))


def check_errors(src: Source, check: bool = False,
                 collected: list[Diagnostic] | None = None,
                 host_names: frozenset[str] = frozenset(),
                 facts: list[Any] | None = None,
                 ) -> tuple[Resolution | None, ScriptError | None]:
    """Parse, check (when ``check``) and resolve; the first failure as a ScriptError.

    Syntax errors fail with the first one (§1); checker errors fail with all
    of them rendered (types.md §1); checker warnings are appended to
    ``collected``, and the checker's result (its proven facts feed the
    compiler's fast paths) to ``facts``. Compile errors of the resolver come
    last, as in §1's order.
    """
    with gc_paused():
        result = parse(src)
    if result.diagnostics:
        first = min((d for d in result.diagnostics if d.is_error), key=lambda d: d.start,
                    default=None)
        if first is not None:
            return None, _diag_error(src, first, "syntax")
    if check:
        from typechecker.api import check_program

        checked = check_program(result.program, src, path=src.path, host_names=host_names)
        errors, warns = checked.errors, checked.warnings
        if collected is not None:
            collected.extend(warns)
        if facts is not None and not errors:
            facts.append(checked)
        if errors:
            failure = _diag_error(src, errors[0], "check")
            failure.rendered = "\n".join(render_run(src, e) for e in errors)
            return None, failure
    from vm.loading import resolve_program

    with gc_paused():
        res = resolve_program(result.program, src)
    if res.errors:
        return res, _diag_error(src, res.errors[0], "compile")
    return res, None


def compile_script(source: str | Source, filename: str = "<script>",
                   host_functions: dict[str, Any] | None = None,
                   capabilities: Any = (), deadline_checks: bool = False,
                   check: bool = True, deny: Any = ()) -> CompiledScript:
    """Parse, check, resolve and prepare a script; raises ScriptError for bad input.

    ``capabilities`` names the file/environment/process builtins the script
    may use (``CAPABILITIES`` for all; none by default); ``deny`` disables
    further builtins by name (stdlib.md §0.7: the always-allowed ones stay
    callable). ``deadline_checks``
    picks the code variant compiled now (the other compiles on first use).
    ``check`` runs the static checker first, as ``lang run`` does: its errors
    stop the script before anything runs; its warnings are kept in
    ``CompiledScript.warnings``, and its proven facts let the compiler use
    native operations where they are sound (``check=False`` compiles with the
    compiler's own local inference only).
    """
    src = source if isinstance(source, Source) else Source(source, filename)
    found: list[Diagnostic] = []
    facts: list[Any] = []
    res, err = check_errors(src, check, found, frozenset(host_functions or ()), facts)
    if err is not None:
        raise err
    assert res is not None
    denied = (CAPABILITIES - frozenset(capabilities)) | (frozenset(deny) - ALWAYS_ALLOWED)
    script = CompiledScript(src, res, host_functions, denied, facts[0] if facts else None)
    script.warnings = found
    script.variant(deadline_checks)  # compile now: compile errors surface here
    return script


def run(source: str | Source, filename: str = "<script>",
        host_functions: dict[str, Any] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None, argv: Any = (), timeout: float | None = None,
        max_depth: int | None = None, capabilities: Any = (), check: bool = True) -> Any:
    """Compile and run a script; returns its result value (see module doc)."""
    script = compile_script(source, filename, host_functions, capabilities, timeout is not None,
                            check)
    return script.run(stdout, stderr, argv, timeout, max_depth)


__all__ = ["CompiledScript", "RunResult", "ScriptError", "compile_script", "run", "END"]
