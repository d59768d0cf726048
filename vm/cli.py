"""``lang run FILE [--timeout SECONDS] [-- args...]`` (language.md §15).

The static checker runs first (types.md §1): its errors are all printed and
stop the run; its warnings go to stderr. Exit status: the script's (§15.2:
an int return value clamped to 0-255, 1 for an ``Err`` result or an uncaught
error), 2 when the file cannot be read.
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
