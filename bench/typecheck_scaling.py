"""pyperf benchmark: parse + typecheck scaling, and whole-process ``lang check``.

Corpora of 500, 1,000, 2,000, 5,000 and 10,000 one-line typed functions, in two
variants: ``indep`` (``fn f_i(a: int, b: int) -> int { return a + b }``) and
``chain`` (each function calls the previous one, so every call is resolved
and its arguments checked). Each benchmark times lex + parse + check of the
whole corpus in one process (goal: 10,000 functions in <= 300 ms, and
t(10,000) / t(500) <= 22, i.e. linear). ``lang_check_10k_dir`` times the whole
``lang check`` process (start-up included) on a directory of 100 files of 100
functions each (goal <= 0.6 s).

``lang_check_10k_file`` does the same on one file of 10,000 functions.

Run: ``python -m bench typecheck`` (``--fast`` for a quick look, ``--json DIR``
to keep ``DIR/typecheck.json`` for ``pyperf compare_to``; ``python -m
bench.typecheck_scaling`` works too). The master process prints a table: N,
time (median), microseconds per function, ratio to N = 500, and the two
whole-process ``lang check`` medians.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile

import pyperf

from lang.parser import parse
from lang.source import Source
from typechecker import builtins
from typechecker.api import check_program

SIZES = (500, 1_000, 2_000, 5_000, 10_000)


def corpus(n: int, variant: str) -> str:
    if variant == "chain":
        lines = ["fn f_0(a: int, b: int) -> int { return a + b }"]
        lines += [f"fn f_{i}(a: int, b: int) -> int {{ return f_{i - 1}(a, b) + 1 }}"
                  for i in range(1, n)]
        return "\n".join(lines) + "\n"
    return "\n".join(f"fn f_{i}(a: int, b: int) -> int {{ return a + b }}"
                     for i in range(n)) + "\n"


def parse_and_check(text: str) -> None:
    src = Source(text, "bench.harn")
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = check_program(parse(src).program, src, strict=True)
    finally:
        if enabled:
            gc.enable()
    assert not result.diagnostics


def check_file(n: int = 10_000) -> str:
    path = os.path.join(tempfile.gettempdir(), f"harn_check_{n}.harn")
    if not os.path.isfile(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(corpus(n, "indep"))
    return path


def check_dir(files: int = 100, per_file: int = 100) -> str:
    root = os.path.join(tempfile.gettempdir(), f"harn_check_{files}x{per_file}")
    if not os.path.isdir(root):
        os.makedirs(root, exist_ok=True)
        for f in range(files):
            with open(os.path.join(root, f"mod_{f:03}.harn"), "w", encoding="utf-8") as fh:
                base = f * per_file
                fh.write("\n".join(
                    f"pub fn f_{base + i}(a: int, b: int) -> int {{ return a + b }}"
                    for i in range(per_file)) + "\n")
    return root


def table(results: dict[tuple[str, int], float]) -> str:
    lines = ["variant  N       time (ms)  us/function  ratio to N=500"]
    for variant in ("indep", "chain"):
        base = results.get((variant, SIZES[0]))
        for n in SIZES:
            t = results.get((variant, n))
            if t is None:
                continue
            ratio = t / base if base else float("nan")
            lines.append(f"{variant:<8} {n:<7} {t * 1e3:9.1f}  {t / n * 1e6:11.2f}  {ratio:8.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--json", metavar="DIR")
    known, rest = pre.parse_known_args(sys.argv[1:] if argv is None else argv)
    sys.argv = [sys.argv[0]] + rest
    program = ("-m", "bench.typecheck_scaling") if argv is None else ("-m", "bench", "typecheck")
    runner = pyperf.Runner(program_args=program)
    builtins.table()  # the registry loads once per process, outside the timings
    results: dict[tuple[str, int], float] = {}
    benches = []
    for variant in ("indep", "chain"):
        for n in SIZES:
            text = corpus(n, variant)
            bench = runner.bench_func(f"parse_check_{variant}_{n}", parse_and_check, text)
            if bench is not None and not runner.args.worker and bench.get_nvalue():
                results[(variant, n)] = bench.median()
                benches.append(bench)
    whole: dict[str, float] = {}
    for name, target in (("lang_check_10k_file", check_file()),
                         ("lang_check_10k_dir", check_dir())):
        bench = runner.bench_command(name, [sys.executable, "-m", "lang.cli", "check", target])
        if bench is not None and not runner.args.worker and bench.get_nvalue():
            whole[name] = bench.median()
            benches.append(bench)
    if results and not runner.args.worker:
        print()
        print(table(results))
        for name, t in whole.items():
            print(f"{name:24s} {t * 1e3:9.1f} ms (whole process, median)")
        if known.json:
            os.makedirs(known.json, exist_ok=True)
            target = os.path.join(known.json, "typecheck.json")
            pyperf.BenchmarkSuite(benches).dump(target, replace=True)
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
