"""``lang run FILE [--timeout SECONDS] [--deny|--allow NAMES] [-- args...]`` (language.md §15).

A file with syntax errors prints them all, first one first, and exits 1.
The static checker runs next (types.md §1): when it finds an error nothing
runs, and every diagnostic is printed to stderr, errors first (so stderr
starts with ``error: ``, language.md §15.3) and then the warnings, each group
in emission order; otherwise its warnings go to stderr and the script runs.
Exit status: the script's (§15.2: an int return value clamped to 0-255, 1 for
an ``Err`` result or an uncaught error), 2 when the file cannot be read or the
command line is wrong. Stdout is flushed before any error text goes to stderr
(§17.7).
"""

from __future__ import annotations

import argparse
import math
import sys

from lang.files import read_or_exit
from lang.source import Source


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.usage = ("lang run [-h] [--timeout SECONDS] [--max-depth N] [--deny NAMES] "
               "[--allow NAMES] FILE [-- ARGS...]")
    p.epilog = "Words after `--` become the script's `argv` (a list of strings)."
    p.add_argument("file", metavar="FILE", help="the .harn script to run")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop the script after this much wall-clock time")
    p.add_argument("--max-depth", type=int, default=None, metavar="N",
                   help="maximum call depth (default 512)")
    p.add_argument("--deny", default=None, metavar="NAMES",
                   help="comma-separated builtins the script may not call")
    p.add_argument("--allow", default=None, metavar="NAMES",
                   help="comma-separated builtins the script may call; every other "
                        "builtin is disabled, except the always-allowed ones (println, len, ...)")


def _names(text: str | None) -> frozenset[str]:
    return frozenset(n.strip() for n in (text or "").split(",") if n.strip())


def denied_builtins(args: argparse.Namespace) -> frozenset[str]:
    """``--deny`` names plus, with ``--allow``, every builtin not allowed (stdlib.md §0.7)."""
    denied = _names(getattr(args, "deny", None))
    if getattr(args, "allow", None) is not None:
        from vm.builtins import all_builtin_names

        denied |= all_builtin_names() - _names(args.allow)
    return denied


def _bad_limits(args: argparse.Namespace) -> str | None:
    t = args.timeout
    if t is not None and (math.isnan(t) or t <= 0):
        return "--timeout must be a positive number of seconds"
    d = args.max_depth
    if d is not None and d < 1:
        return "--max-depth must be a positive number"
    return None


def _check_failure(src: Source, fallback: str) -> str:
    """Every checker diagnostic of a script the checker rejected: errors, then warnings."""
    from lang.diagnostics import render_run
    from typechecker.api import check_for_run

    try:
        errors, warnings = check_for_run(src, src.path)
    except Exception:  # pragma: no cover - the first run succeeded; never a traceback
        return fallback
    if not errors:
        return fallback
    return "\n".join(render_run(src, d) for d in errors + warnings)


_LEXER_CODES = ("E0101", "E0102", "E0103")


def _syntax_failure(src: Source, fallback: str) -> str:
    """Every syntax error of the file, first one first (docs/decisions.md "Recovery");
    a lexer error alone, since lexing stops at its first error (language.md §1)."""
    from lang.diagnostics import render_run
    from lang.parser import parse

    try:
        errors = sorted((d for d in parse(src).diagnostics if d.is_error),
                        key=lambda d: d.start)
    except Exception:  # pragma: no cover - the first parse succeeded; never a traceback
        return fallback
    if not errors:
        return fallback
    lexical = [d for d in errors if d.code in _LEXER_CODES]
    if lexical:
        errors = lexical[:1]
    return "\n".join(render_run(src, d) for d in errors)


def run(args: argparse.Namespace) -> int:
    problem = _bad_limits(args)
    if problem:
        print(f"lang run: {problem}", file=sys.stderr)
        return 2
    src = read_or_exit(args.file)
    if src is None:
        return 2
    from vm.api import ScriptError, compile_script
    from vm.builtins import CAPABILITIES

    out = sys.stdout
    err = sys.stderr
    try:
        script = compile_script(src, capabilities=CAPABILITIES,
                                deadline_checks=args.timeout is not None,
                                deny=denied_builtins(args))
    except ScriptError as exc:
        if exc.kind == "check":
            text = _check_failure(src, exc.rendered)
        elif exc.kind == "syntax":
            text = _syntax_failure(src, exc.rendered)
        else:
            text = exc.rendered
        print(text, file=err)
        return 1
    if script.warnings:
        from lang.diagnostics import render_run

        for w in script.warnings:
            print(render_run(src, w), file=err)
    try:
        result = script.execute(out, err, argv=getattr(args, "extra", []) or [],
                                timeout=args.timeout, max_depth=args.max_depth)
    except ScriptError as exc:
        try:
            out.flush()
        except (OSError, ValueError):
            pass
        print(exc.rendered, file=err)
        return 1
    try:
        out.flush()
    except (OSError, ValueError):
        pass
    if result.err_text is not None:
        print(result.err_text, file=err)
    return result.status
