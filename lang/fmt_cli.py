"""``lang fmt PATH... [--check] [--diff] [--width N]``: format Harn files.

Each path is a ``.harn`` file or a directory (searched recursively); ``-``
formats standard input to standard output. Files are rewritten in place only
when their text changes. Before writing, the output is parsed again and
compared with the input's syntax tree and comments (:mod:`lang.fmt_verify`),
so a formatter bug can never silently change a program.

Exit status: 0 when everything is (or now is) formatted; 1 when a file has
syntax errors (reported as ``path:line:col: error[...]``, file untouched) or,
with ``--check``, would change; 2 when a file cannot be read or written;
3 on an internal formatter error (file untouched).
"""

from __future__ import annotations

import argparse
import difflib
import sys

from lang.diagnostics import render_short
from lang.files import FileError, find_harn_files, read_source
from lang.fmt_verify import ast_diff, comment_diff
from lang.formatter import DEFAULT_WIDTH, FormatError, format_source
from lang.parser import parse_text


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or directories to format in place, or - for stdin")
    p.add_argument("--check", action="store_true",
                   help="write nothing; list files that would change and exit 1 if any")
    p.add_argument("--diff", action="store_true",
                   help="write nothing; print a unified diff of the changes")
    p.add_argument("--width", type=int, default=DEFAULT_WIDTH, metavar="N",
                   help=f"maximum line width (default {DEFAULT_WIDTH})")


def _format_checked(text: str, path: str, width: int) -> str:
    """Format and verify that meaning and comments survived (else FormatError)."""
    out = format_source(text, width, path)
    if out == text:
        return out
    before = parse_text(text, path)
    after = parse_text(out, path)
    problem = None
    if not after.ok:
        problem = f"output does not parse ({after.diagnostics[0].message})"
    else:
        problem = ast_diff(before.program, after.program) or comment_diff(
            before, text, after, out)
    if problem:
        raise FormatError(f"{path}: internal formatter error: {problem}; file left unchanged",
                          internal=True)
    return out


def _report(exc: FormatError) -> int:
    if exc.diagnostics and exc.source is not None:
        for d in exc.diagnostics:
            print(render_short(exc.source, d), file=sys.stderr)
        print(f"{exc.source.path}: not formatted (syntax errors)", file=sys.stderr)
        return 1
    print(f"lang fmt: {exc}", file=sys.stderr)
    return 3 if exc.internal else 1


def _diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        fromfile=f"{path} (original)",
                                        tofile=f"{path} (formatted)"))


def _stdin(args: argparse.Namespace) -> int:
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"lang: cannot read '-': not valid UTF-8 (byte {exc.start})", file=sys.stderr)
        return 2
    try:
        out = _format_checked(text, "<stdin>", args.width)
    except FormatError as exc:
        return _report(exc)
    if args.diff:
        sys.stdout.write(_diff("<stdin>", text, out))
    elif not args.check:
        sys.stdout.write(out)
    if args.check and out != text:
        print("would reformat <stdin>")
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    if args.width < 1:
        print("lang fmt: --width must be a positive number", file=sys.stderr)
        return 2
    status = 0
    paths = [p for p in args.paths if p != "-"]
    if len(paths) != len(args.paths):
        status = _stdin(args)
    for path in find_harn_files(paths):
        try:
            src = read_source(path)
        except FileError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, 2)
            continue
        try:
            out = _format_checked(src.text, path, args.width)
        except FormatError as exc:
            status = max(status, _report(exc))
            continue
        if out == src.text:
            continue
        if args.diff:
            sys.stdout.write(_diff(path, src.text, out))
        if args.check:
            print(f"would reformat {path}")
            status = max(status, 1)
        elif not args.diff:
            try:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(out)
            except OSError as exc:
                print(f"lang: cannot write '{path}': {exc.strerror or exc}", file=sys.stderr)
                status = max(status, 2)
                continue
            print(f"reformatted {path}", file=sys.stderr)
    return status
