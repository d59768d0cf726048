"""``lang check PATH...``: typecheck and lint ``.harn`` files (types.md §1, §16).

Directories are searched recursively for ``*.harn``. Each file is parsed,
checked (strict when all its imports resolve) and linted; syntax errors are
diagnostics like any other. Output: per file, in path order, its diagnostics
(checker, then lint, then unresolved imports) as ``path:line:col:
severity[code]: message`` with the source excerpt on stderr, and ``PATH: ok`` on
stdout for a clean file; ``--format json`` and ``--format sarif`` (SARIF 2.1.0,
for code-scanning tools) write one document to stdout instead. A missing,
unreadable or non-UTF-8 path is reported (one ``lang: cannot read ...`` line on
stderr, in path order; in SARIF also as an error notification of the
invocation) and the other files are still checked.

Large inputs are checked in parallel (one worker process per core, forked
after the imports so workers start warm); a progress bar is drawn on stderr
only when it is a terminal and the corpus is large. Exit status: 0 clean, 1 an
error (with ``--strict``: any diagnostic), 2 usage or I/O error. An internal
failure on one file is reported for that file, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from lang.diagnostics import Diagnostic, Severity, render_short
from lang.source import Source

PARALLEL_MIN_FILES = 48
PARALLEL_MIN_BYTES = 256 * 1024
PROGRESS_MIN_FILES = 200
TOOL_URI = "https://github.com/harn-lang/lang"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to check")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="output format (default: text)")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1) on warnings as well as errors")
    p.add_argument("--no-lint", action="store_true", help="skip the linter rules")
    p.add_argument("--strict-types", action="store_true",
                   help="warn on unvalidated JSON/host results (types.md §12)")
    p.add_argument("--jobs", "-j", type=int, default=0,
                   help="worker processes (default: one per core when the input is large)")
    p.add_argument("--no-excerpt", action="store_true", help="one line per diagnostic")


# ---------------------------------------------------------------- one file


def _check_one(path: str, lint: bool, strict_types: bool = False) -> dict:
    """Everything the parent needs about one file, as plain (picklable) data."""
    from lang.files import FileError, read_source
    from typechecker.api import report_for

    try:
        src = read_source(path)
    except FileError as exc:
        return {"path": path, "io_error": str(exc)}
    try:
        report = report_for(src, path, lint=lint, strict_types=strict_types)
        diags = report.diagnostics
    except RecursionError:
        diags = [Diagnostic(Severity.ERROR, "E0399", "file too deeply nested to check", 0, 0)]
    except Exception as exc:  # pragma: no cover - reported, never a traceback
        diags = [Diagnostic(Severity.ERROR, "E0399",
                            f"internal checker error: {type(exc).__name__}: {exc}", 0, 0)]
    return _pack(src, diags)


def _pack(src: Source, diags: list[Diagnostic]) -> dict:
    items = []
    for d in diags:
        j = d.to_json(src)
        j["text"] = render_short(src, d)
        j["line_text"] = render_short(src, d, excerpt=False)
        items.append(j)
    return {"path": src.path, "items": items}


def _check_chunk(args: tuple[list[str], bool, bool]) -> list[dict]:
    paths, lint, strict_types = args
    return [_check_one(p, lint, strict_types) for p in paths]


# ---------------------------------------------------------------- driver


def _jobs(args: argparse.Namespace, files: list[str]) -> int:
    if args.jobs and args.jobs > 0:
        return min(args.jobs, max(1, len(files)))
    cores = os.cpu_count() or 1
    if cores < 2 or len(files) < 2:
        return 1
    if len(files) >= PARALLEL_MIN_FILES:
        return min(cores, len(files))
    total = 0
    for f in files:
        try:
            total += os.path.getsize(f)
        except OSError:
            pass
    return min(cores, len(files)) if total >= PARALLEL_MIN_BYTES else 1


def _run_all(files: list[str], lint: bool, jobs: int, progress,
             strict_types: bool = False) -> list[dict]:
    if jobs <= 1:
        out = []
        for i, f in enumerate(files):
            out.append(_check_one(f, lint, strict_types))
            progress(i + 1)
        return out
    import gc
    import multiprocessing as mp

    import lang.files  # noqa: F401  (imported before forking: workers start warm)
    import typechecker.api  # noqa: F401
    import typechecker.lint  # noqa: F401

    # The builtin registry loads lazily, in each worker that meets a call it cannot
    # resolve otherwise: in parallel, that costs no more wall time than loading it here.

    gc.freeze()  # keep the inherited heap out of the workers' collections (fewer COW copies)
    n_chunks = max(jobs * 4, 1)
    size = max(1, (len(files) + n_chunks - 1) // n_chunks)
    chunks = [(files[i:i + size], lint, strict_types) for i in range(0, len(files), size)]
    try:
        ctx = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = mp.get_context()
    out: list[dict] = []
    with ctx.Pool(jobs) as pool:
        for part in pool.imap(_check_chunk, chunks):
            out.extend(part)
            progress(len(out))
    return out


class _Progress:
    def __init__(self, total: int) -> None:
        self.total = total
        self.on = total >= PROGRESS_MIN_FILES and sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int) -> None:
        if not self.on:
            return
        pct = done * 100 // self.total
        if pct == self.last:
            return
        self.last = pct
        width = 30
        fill = pct * width // 100
        sys.stderr.write(f"\r[{'#' * fill}{'-' * (width - fill)}] {done}/{self.total}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 50 + "\r")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    import gc

    from lang.files import find_harn_files

    # A short-lived batch process: trees and facts are dropped per file by reference
    # counting; the cycle collector would only rescan the growing heap for nothing.
    gc.disable()

    if args.jobs is not None and args.jobs < 0:
        print("lang check: --jobs must be 0 (automatic) or a positive number", file=sys.stderr)
        return 2
    # Missing paths stay in the list: they are reported in order, as unreadable files are.
    files = find_harn_files(args.paths)
    if not files:
        print("lang: no .harn files found", file=sys.stderr)
        return 2
    progress = _Progress(len(files))
    try:
        results = _run_all(files, not args.no_lint, _jobs(args, files), progress,
                           args.strict_types)
    finally:
        progress.close()
    io_errors = [r for r in results if "io_error" in r]
    checked = [r for r in results if "io_error" not in r]
    errors = sum(1 for r in checked for d in r["items"] if d["severity"] == "error")
    warnings = sum(1 for r in checked for d in r["items"] if d["severity"] != "error")
    if args.format == "json":
        for r in io_errors:
            print(r["io_error"], file=sys.stderr)
        print(json.dumps([_public(d) for r in checked for d in r["items"]], indent=2))
    elif args.format == "sarif":
        for r in io_errors:
            print(r["io_error"], file=sys.stderr)
        print(json.dumps(to_sarif(checked, io_errors), indent=2))
    else:
        _print_text(results, args.no_excerpt)
    if io_errors:
        return 2
    if errors or (args.strict and warnings):
        return 1
    return 0


def _public(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("text", "line_text")}


def _print_text(results: list[dict], no_excerpt: bool) -> None:
    out, err = sys.stdout, sys.stderr
    interleave = out.isatty() and err.isatty()  # keep file order on a terminal
    for r in results:
        if "io_error" in r:
            err.write(r["io_error"] + "\n")
            continue
        items = r["items"]
        if not items:
            out.write(f"{r['path']}: ok\n")
            if interleave:
                out.flush()
            continue
        for d in items:
            err.write((d["line_text"] if no_excerpt else d["text"]) + "\n")
        if interleave:
            err.flush()
    out.flush()
    err.flush()


# ---------------------------------------------------------------- SARIF 2.1.0


def to_sarif(results: list[dict], io_errors: list[dict] | None = None) -> dict:
    """One SARIF 2.1.0 log: a run whose results are the diagnostics, and whose
    invocation lists the files that could not be read (as error notifications)."""
    from lang.cli import VERSION

    rules: dict[str, dict] = {}
    sarif_results = []
    for r in results:
        for d in r["items"]:
            code = d["code"]
            if code not in rules:
                rules[code] = {"id": code, "name": code,
                               "shortDescription": {"text": _rule_text(code)}}
            level = {"error": "error", "warning": "warning"}.get(d["severity"], "note")
            res = {
                "ruleId": code,
                "level": level,
                "message": {"text": d["message"]},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": _artifact(d["path"]),
                        "region": _region(d),
                    }
                }],
            }
            if d.get("help"):
                res["message"]["text"] += f" (help: {d['help']})"
            sarif_results.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lang check", "version": VERSION,
                                "informationUri": TOOL_URI,
                                "rules": [rules[k] for k in sorted(rules)]}},
            "invocations": [{
                "executionSuccessful": not io_errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": r["io_error"]},
                     "locations": [{"physicalLocation": {"artifactLocation":
                                                         _artifact(r["path"])}}]}
                    for r in io_errors or ()
                ],
            }],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    }


def _region(d: dict) -> dict:
    """A SARIF region: 1-based lines and columns, end column exclusive, never empty."""
    line = max(1, d["line"])
    col = max(1, d["column"])
    end_line = max(line, d["end_line"])
    end_col = max(1, d["end_column"])
    if end_line == line:
        end_col = max(end_col, col + 1)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _artifact(path: str) -> dict:
    """An artifactLocation: a relative path as a URI reference against the source root,
    an absolute one as a ``file:`` URI (percent-encoded either way)."""
    from pathlib import PurePath
    from urllib.parse import quote

    if os.path.isabs(path):
        try:
            return {"uri": PurePath(os.path.normpath(path)).as_uri()}
        except ValueError:
            pass
    rel = path.replace(os.sep, "/")
    while rel.startswith("./"):
        rel = rel[2:]
    return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}


def _rule_text(code: str) -> str:
    if code.startswith("E0") and code[1:].isdigit() and int(code[1:]) < 100:
        return "type checker error"
    if code.startswith("W") and code[1:].isdigit():
        return "type checker warning"
    if code.startswith("E0"):
        return "syntax or module error"
    return f"lint rule {code}"
