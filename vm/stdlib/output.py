"""Output, diagnostics and assertions (stdlib.md §2).

Printing builtins print only their first argument (display form); no
argument prints an empty string. All writes go through ``HOST.out`` /
``HOST.err`` (host.py) so the execution context decides where they land.
Assertion failures are ``throw "M"`` errors (a ``catch`` binds the string).
"""

from __future__ import annotations

import re
from typing import Any

from vm.runtime.compare import eq
from vm.runtime.context import current
from vm.runtime.errors import runtime_error
from vm.stdlib.common import MISSING, display, s, s_or, test, throw
from vm.stdlib.host import HOST
from vm.stdlib.registry import builtin


@builtin("println", "(v?: any) -> nil", "Print the display form of v and a newline to stdout.")
def println(v: Any = MISSING, *_: Any) -> None:
    if v is MISSING:
        HOST.out("\n")
    else:
        HOST.out((v if type(v) is str else display(v)) + "\n")


@builtin("print", "(v?: any) -> nil", "Print the display form of v to stdout, no newline.")
def print_(v: Any = MISSING, *_: Any) -> None:
    if v is not MISSING:
        HOST.out(v if type(v) is str else display(v))


@builtin("log", "(v?: any) -> nil", "Print \"[harn] \" + display(v) and a newline to stdout.")
def log(v: Any = MISSING, *_: Any) -> None:
    HOST.out("[harn] " + ("" if v is MISSING else display(v)) + "\n")


def _ewrite(text: str) -> None:
    """Write to stderr, or to the buffer of ``capture_stderr_start`` (stdio.py)."""
    buf = current().extra.get("harn.stderr_capture")
    if buf is not None:
        buf.append(text)
    else:
        HOST.err(text)


@builtin("eprint", "(v?: any) -> nil", "Print the display form of v to stderr, no newline.")
def eprint(v: Any = MISSING, *_: Any) -> None:
    if v is not MISSING:
        _ewrite(display(v))


@builtin("eprintln", "(v?: any) -> nil", "Print the display form of v and a newline to stderr.")
def eprintln(v: Any = MISSING, *_: Any) -> None:
    _ewrite(("" if v is MISSING else display(v)) + "\n")


@builtin("assert", "(cond: any, msg?: ~str) -> nil",
         "Throw msg (or \"Assertion failed\") when cond is falsy.")
def assert_(cond: Any = None, msg: Any = None, *_: Any) -> None:
    if not test(cond):
        raise throw(s_or(msg, "Assertion failed"))


@builtin("assert_eq", "(actual: any, expected: any, msg?: ~str) -> nil",
         "Throw unless actual == expected.")
def assert_eq(actual: Any = MISSING, expected: Any = MISSING, msg: Any = None, *_: Any) -> None:
    if expected is MISSING:
        raise throw("assert_eq requires at least 2 arguments")
    if not eq(actual, expected):
        if msg is not None:
            raise throw(s(msg))
        raise throw(f"Assertion failed: expected {display(expected)}, got {display(actual)}")


@builtin("assert_ne", "(a: any, b: any, msg?: ~str) -> nil", "Throw when a == b.")
def assert_ne(a: Any = MISSING, b: Any = MISSING, msg: Any = None, *_: Any) -> None:
    if b is MISSING:
        raise throw("assert_ne requires at least 2 arguments")
    if eq(a, b):
        if msg is not None:
            raise throw(s(msg))
        raise throw(f"Assertion failed: values should not be equal: {display(a)}")


@builtin("unreachable", "(v?: any) -> never", "Always fail: unreachable code was reached.")
def unreachable(v: Any = MISSING, *_: Any) -> Any:
    if v is MISSING:
        raise runtime_error("unreachable code was reached")
    raise runtime_error("unreachable code was reached: " + display(v))


# --------------------------------------------------------------------------- Tier 2

_CATEGORIES = frozenset(
    "timeout auth rate_limit overloaded server_error transient_network schema_validation "
    "tool_error tool_rejected egress_blocked cancelled not_found circuit_open "
    "budget_exceeded generic".split()
)


@builtin("throw_error", "(msg: ~str, category?: ~str) -> never",
         "Throw the dict {category, message}.", "T2")
def throw_error(msg: Any = None, category: Any = None, *_: Any) -> Any:
    cat = s_or(category, "generic")
    if cat not in _CATEGORIES:
        cat = "generic"
    raise throw({"category": cat, "message": s(msg)})


_STATUS_CATEGORIES = (
    (("401", "403"), "auth"),
    (("404", "410"), "not_found"),
    (("408", "504", "522", "524"), "timeout"),
    (("429",), "rate_limit"),
    (("503", "529"), "overloaded"),
    (("500", "502"), "server_error"),
)
_STATUS_RE = re.compile(r"(?<!\d)(\d{3})(?!\d)")


@builtin("error_category", "(err: any) -> string", "The category of an error value.", "T2")
def error_category(err: Any = None, *_: Any) -> str:
    if type(err) is dict:
        c = err.get("category")
        return c if type(c) is str else "generic"
    if type(err) is str:
        codes = set(_STATUS_RE.findall(err))
        for group, cat in _STATUS_CATEGORIES:
            if codes.intersection(group):
                return cat
        if "Deadline exceeded" in err:
            return "timeout"
    return "generic"


@builtin("is_timeout", "(err: any) -> bool", "True when error_category(err) is timeout.", "T2")
def is_timeout(err: Any = None, *_: Any) -> bool:
    return error_category(err) == "timeout"


@builtin("is_rate_limited", "(err: any) -> bool",
         "True when error_category(err) is rate_limit.", "T2")
def is_rate_limited(err: Any = None, *_: Any) -> bool:
    return error_category(err) == "rate_limit"


_COLORS = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35,
           "cyan": 36, "white": 37, "gray": 90, "grey": 90}
_COLORS.update({"bright_" + k: v + 60 for k, v in list(_COLORS.items()) if v < 38})
_color_mode = ["auto"]


def _color_on() -> bool:
    mode = _color_mode[0]
    if mode != "auto":
        return mode == "always"
    if HOST.getenv("FORCE_COLOR"):
        return True
    if HOST.getenv("NO_COLOR") is not None:
        return False
    from vm.stdlib.stdio import is_tty

    return is_tty("stdout")


def _wrap(code: int, text: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if _color_on() else text


@builtin("color", "(text: ~str, name: ~str) -> string", "Wrap text in an ANSI colour.", "T2")
def color(text: Any = None, name: Any = None, *_: Any) -> str:
    code = _COLORS.get(s(name))
    return s(text) if code is None else _wrap(code, s(text))


@builtin("bold", "(text: ~str) -> string", "Wrap text in ANSI bold.", "T2")
def bold(text: Any = None, *_: Any) -> str:
    return _wrap(1, s(text))


@builtin("dim", "(text: ~str) -> string", "Wrap text in ANSI dim.", "T2")
def dim(text: Any = None, *_: Any) -> str:
    return _wrap(2, s(text))


@builtin("set_color_mode", "(mode: ~str) -> nil", "Set colour output: auto, always or never.",
         "T2")
def set_color_mode(mode: Any = None, *_: Any) -> None:
    m = s(mode)
    if m not in ("auto", "always", "never"):
        raise throw(
            f"set_color_mode: invalid mode '{m}'. Expected 'auto', 'always', or 'never'."
        )
    _color_mode[0] = m


_SPINNER = "|/-\\"


@builtin("progress", "(phase: ~str, msg: ~str, p?: int | dict, total?: int) -> nil",
         "Print one progress line to stdout.", "T2")
def progress(phase: Any = None, msg: Any = None, p: Any = None, total: Any = None, *_: Any
             ) -> None:
    ph, m = s(phase), s(msg)
    if type(p) is dict:
        mode = p.get("mode")
        if mode == "spinner":
            step = p.get("step") if type(p.get("step")) is int else 0
            HOST.out(f"[{ph}] {_SPINNER[step % 4]} {m}\n")
            return
        if mode == "bar":
            cur = p.get("current") if type(p.get("current")) is int else 0
            tot = p.get("total") if type(p.get("total")) is int else 0
            width = p.get("width") if type(p.get("width")) is int else 10
            width = max(3, min(40, width))
            filled = 0 if tot <= 0 else min(width, max(0, int(cur / tot * width + 0.5)))
            HOST.out(f"[{ph}] [{'#' * filled}{'-' * (width - filled)}] {m} ({cur}/{tot})\n")
            return
    if type(p) is int and type(total) is int:
        HOST.out(f"[{ph}] {m} ({p}/{total})\n")
    elif type(p) is int:
        HOST.out(f"[{ph}] {m} ({p}%)\n")
    else:
        HOST.out(f"[{ph}] {m}\n")
