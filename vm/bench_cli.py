"""``lang bench FILE [--iterations N] [--json] [-- args...]``: time a script's entry point.

The script is read, parsed, checked and compiled once, exactly as ``lang run``
does (syntax, checker and compile errors are printed the same way and exit
1); none of that is timed. Then the entry point runs once as a warm-up and N
more times, each run timed on its own with ``time.perf_counter`` (wall-clock:
what a user waits for). The script's stdout goes to a null sink during all
these runs, so the terminal's speed is not measured; its stderr is left alone.
An uncaught error or an ``Err`` exit value in any run is reported like
``lang run`` reports it and stops the benchmark with that run's status.

Output: min, median, mean and max in milliseconds, or with ``--json`` one JSON
object with exactly the keys ``min_ms``, ``median_ms``, ``mean_ms``,
``max_ms`` and ``iterations``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from lang.files import read_or_exit

DEFAULT_ITERATIONS = 10


class NullSink:
    """A text stream that drops everything (the script's stdout while timed)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Compile a script once (parse, check and compile are not timed), run its entry point "
        "once as a warm-up, then N timed runs; print min, median, mean and max in ms. The "
        "script's stdout goes to a null sink during all runs (stderr is kept).")
    p.add_argument("file", help="the .harn script to time")
    p.add_argument("--iterations", "-n", type=_positive, default=DEFAULT_ITERATIONS,
                   metavar="N", help=f"timed runs after the warm-up (default {DEFAULT_ITERATIONS})")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: min_ms, median_ms, mean_ms, max_ms, iterations")


def summary(times: list[float]) -> dict[str, float | int]:
    """The statistics of run times given in seconds, in milliseconds."""
    ms = [t * 1000.0 for t in times]
    return {"min_ms": min(ms), "median_ms": statistics.median(ms),
            "mean_ms": statistics.fmean(ms), "max_ms": max(ms), "iterations": len(ms)}


def render(path: str, stats: dict[str, float | int]) -> str:
    lines = [f"{path}: {stats['iterations']} runs after 1 warm-up "
             "(parse, check and compile not timed)"]
    for key in ("min", "median", "mean", "max"):
        lines.append(f"  {key:<7}{stats[key + '_ms']:12.3f} ms")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    src = read_or_exit(args.file)
    if src is None:
        return 2
    from vm.api import ScriptError, compile_script
    from vm.builtins import CAPABILITIES

    err = sys.stderr
    try:
        script = compile_script(src, capabilities=CAPABILITIES)
    except ScriptError as exc:
        print(exc.rendered, file=err)
        return 1
    if script.warnings:
        from lang.diagnostics import render_run

        for w in script.warnings:
            print(render_run(src, w), file=err)
    sink = NullSink()
    argv = getattr(args, "extra", []) or []
    times: list[float] = []
    clock = time.perf_counter
    for i in range(args.iterations + 1):
        start = clock()
        try:
            result = script.execute(sink, err, argv=argv)
        except ScriptError as exc:
            print(exc.rendered, file=err)
            return 1
        elapsed = clock() - start
        if result.err_text is not None or result.status != 0:
            if result.err_text is not None:
                print(result.err_text, file=err)
            return result.status
        if i > 0:
            times.append(elapsed)
    stats = summary(times)
    if args.json:
        print(json.dumps(stats))
    else:
        print(render(args.file, stats))
    return 0
