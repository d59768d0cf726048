"""``lang run FILE [--timeout SECONDS] [-- args...]`` (language.md §15).

Exit status: the script's (§15.2: an int return value clamped to 0-255, 1 for
an ``Err`` result or an uncaught error), 2 when the file cannot be read.
Stdout is flushed before any error text goes to stderr (§17.7).
"""

from __future__ import annotations

import argparse
import sys

from lang.files import read_or_exit


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the .harn script to run")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop the script after this much wall-clock time")
    p.add_argument("--max-depth", type=int, default=None, metavar="N",
                   help="maximum call depth (default 512)")


# Hook for the static checker (language.md §1: checker errors stop the run,
# warnings go to stderr). Off until the lead wires it: flip to True.
USE_CHECKER = False


def _checker_errors(src, program) -> list[str]:
    """Rendered checker errors that must stop the run (warnings are printed here)."""
    if not USE_CHECKER:
        return []
    try:
        from typechecker import api as checker_api  # type: ignore[import-not-found]
    except ImportError:
        return []
    check = getattr(checker_api, "check_for_run", None)
    if check is None:
        return []
    from lang.diagnostics import render_run

    errors, warnings = check(src, src.path, program)
    for w in warnings:
        print(render_run(src, w), file=sys.stderr)
    return [render_run(src, e) for e in errors]


def run(args: argparse.Namespace) -> int:
    src = read_or_exit(args.file)
    if src is None:
        return 2
    from vm.api import ScriptError, compile_script
    from vm.builtins import CAPABILITIES

    out = sys.stdout
    err = sys.stderr
    try:
        script = compile_script(src, capabilities=CAPABILITIES,
                                deadline_checks=args.timeout is not None)
    except ScriptError as exc:
        print(exc.rendered, file=err)
        return 1
    for text in _checker_errors(src, script.resolution.program):
        print(text, file=err)
        return 1
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
