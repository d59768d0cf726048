"""The VM suite: every ``bench/fixtures/NAME.harn`` against its plain-Python twin.

Each fixture is a deterministic Harn program without I/O (10^4-10^5 loop steps)
and ``NAME.py`` beside it defines ``main(out)`` doing the same work the way a
Python programmer would, writing what the Harn program prints to ``out``.

Timing (``python -m bench vm``): the Harn side is compiled once, the way
``lang run`` compiles it (parse, static check, type facts, code object), outside
the timing; each timed call runs the entry point once
(:meth:`vm.api.CompiledScript.execute`). Both sides print into the same null
sink. pyperf runs both sides of a pair in the same invocation (separate worker
processes, calibrated loops) and the master prints, per fixture, the two
medians and their ratio, then the geometric mean of the ratios.

Checking (``python -m bench vm --check``, and ``tests/bench``): every fixture
compiles without diagnostics, runs, and prints exactly what its twin prints.
No timing.

CPU mode (``python -m bench vm --cpu [N]``): no pyperf; the two sides of each
pair run alternately N times (default 15) in this process and the table shows
the minimum CPU time (``time.process_time``) of each: on a machine shared with
other work this is steadier than pyperf's wall-clock medians.

Options: ``--case NAME`` (repeatable), ``--fast`` (pyperf's quick mode, for a
first look), ``--json DIR`` (write ``DIR/vm.json``, a pyperf suite, so two
commits compare with ``pyperf compare_to old/vm.json new/vm.json``), plus any
pyperf option.
"""

from __future__ import annotations

import importlib.util
import io
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
CASES = ("arithmetic_loop", "comparison_loop", "dict_property_read", "function_call_loop",
         "list_iteration", "list_map_filter", "local_variable_lookup", "method_call_dispatch",
         "recursive_countdown", "string_interpolation_loop", "struct_field_read",
         "dict_subscript_assign", "dict_merge_loop", "filter_nil_loop", "regex_scan_loop")


class NullSink:
    """A text stream that drops everything (what timed runs print into)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def compile_fixture(name: str) -> Any:
    """The fixture compiled as ``lang run`` compiles it (checked, with type facts)."""
    from vm.api import compile_script
    from vm.builtins import CAPABILITIES

    path = FIXTURES / f"{name}.harn"
    script = compile_script(path.read_text(encoding="utf-8"), str(path),
                            capabilities=CAPABILITIES)
    if script.warnings:
        raise SystemExit(f"{name}.harn: the checker warns: {script.warnings[0].message}")
    return script


def harn_runner(name: str, out: Any = None) -> Callable[[], Any]:
    script = compile_fixture(name)
    sink = NullSink() if out is None else out

    def run() -> Any:
        return script.execute(stdout=sink)

    return run


def twin_main(name: str) -> Callable[[Any], Any]:
    path = FIXTURES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_twin_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def twin_runner(name: str) -> Callable[[], Any]:
    main = twin_main(name)
    sink = NullSink()
    return lambda: main(sink)


def check(name: str) -> str:
    """Run fixture and twin once; return the shared output or raise AssertionError."""
    got = io.StringIO()
    harn_runner(name, got)()
    want = io.StringIO()
    twin_main(name)(want)
    if got.getvalue() != want.getvalue():
        raise AssertionError(f"{name}: harn printed {got.getvalue()!r}, "
                             f"the twin {want.getvalue()!r}")
    return got.getvalue()


def check_all(cases: tuple[str, ...] | list[str] = CASES) -> int:
    failed = 0
    for name in cases:
        try:
            out = check(name)
        except (AssertionError, SystemExit, Exception) as exc:  # noqa: BLE001 - report all
            failed += 1
            print(f"FAIL {name}: {exc}")
        else:
            print(f"ok   {name:26s} {out.strip().replace(chr(10), ' ')}")
    return 1 if failed else 0


def cpu_min(cases: list[str] | tuple[str, ...], runs: int) -> dict[str, tuple[float, float]]:
    """Minimum CPU seconds of each side, the two sides run alternately."""
    clock = time.process_time
    results: dict[str, tuple[float, float]] = {}
    for name in cases:
        harn, twin = harn_runner(name), twin_runner(name)
        harn()
        twin()
        best_h = best_p = float("inf")
        for _ in range(runs):
            t = clock()
            harn()
            best_h = min(best_h, clock() - t)
            t = clock()
            twin()
            best_p = min(best_p, clock() - t)
        results[name] = (best_h, best_p)
    return results


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(results: dict[str, tuple[float, float]]) -> str:
    lines = [f"{'fixture':26s} {'harn (ms)':>10s} {'python (ms)':>12s} {'ratio':>7s}"]
    for name, (h, p) in results.items():
        lines.append(f"{name:26s} {h * 1e3:10.2f} {p * 1e3:12.2f} {h / p:6.2f}x")
    ratios = [h / p for h, p in results.values()]
    lines.append(f"{'geometric mean':26s} {'':10s} {'':12s} {geometric_mean(ratios):6.2f}x")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import argparse

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--check", action="store_true")
    pre.add_argument("--json", metavar="DIR")
    pre.add_argument("--case", action="append", choices=CASES)
    pre.add_argument("--cpu", nargs="?", type=int, const=15, metavar="N")
    known, rest = pre.parse_known_args(argv)
    if known.check:
        return check_all(known.case or CASES)
    if known.cpu is not None:
        cases = known.case or CASES
        for name in cases:
            check(name)
        print(f"minimum CPU time of {known.cpu} alternating runs per side:")
        print(table(cpu_min(cases, known.cpu)))
        return 0
    import pyperf

    def pass_case(cmd: list[str], args: Any) -> None:
        for c in args.case or ():
            cmd.extend(("--case", c))

    sys.argv = [sys.argv[0]] + rest + [x for c in known.case or () for x in ("--case", c)]
    runner = pyperf.Runner(program_args=("-m", "bench", "vm"), add_cmdline_args=pass_case)
    runner.argparser.add_argument("--case", choices=CASES, action="append",
                                  help="run only this fixture (repeatable)")
    args = runner.parse_args()
    cases = list(args.case or CASES)
    if not args.worker:
        for name in cases:
            check(name)
    results: dict[str, tuple[float, float]] = {}
    benches = []
    for name in cases:
        harn = runner.bench_func(f"{name}.harn", harn_runner(name))
        twin = runner.bench_func(f"{name}.python", twin_runner(name))
        if harn is not None and twin is not None:
            benches += [harn, twin]
            results[name] = (harn.median(), twin.median())
    if results and not args.worker:
        print()
        print(table(results))
        if known.json is not None:
            os.makedirs(known.json, exist_ok=True)
            target = os.path.join(known.json, "vm.json")
            pyperf.BenchmarkSuite(benches).dump(target, replace=True)
            print(f"wrote {target}")
    return 0
