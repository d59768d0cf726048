"""pyperf suite: VM core paths against plain-Python twins (issue 3 target: each <= 2x,
goal 1.2x).

Each case runs ``bench/fixtures/NAME.harn`` (compiled once, outside the timing;
each loop executes the code object with stdout captured) and its twin
``bench/fixtures/NAME.py`` (a ``main(out)`` doing the same work), in one
pyperf run, then prints the Harn/Python ratio of the means:

    python -m bench.vm_core --fast            # quick look
    python -m bench.vm_core -o vm_core.json   # keep results for pyperf compare_to

Cases: function_call_loop (100,000 calls of a one-line fn), recursive_countdown
(250 non-tail recursions 400 deep), local_variable_lookup, struct_field_read,
comparison_loop, dict_subscript_assign (a builder loop of 10,000 keys).
"""

from __future__ import annotations

import importlib.util
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyperf

FIXTURES = Path(__file__).parent / "fixtures"
CASES = ("function_call_loop", "recursive_countdown", "local_variable_lookup",
         "struct_field_read", "comparison_loop", "dict_subscript_assign")


def harn_runner(name: str) -> Callable[[], str]:
    from vm.api import compile_script

    path = FIXTURES / f"{name}.harn"
    script = compile_script(path.read_text(), str(path))
    script.variant(False)  # the code object is compiled once, here

    def run() -> str:
        out = io.StringIO()
        script.execute(stdout=out)
        return out.getvalue()

    return run


def twin_runner(name: str) -> Callable[[], str]:
    path = FIXTURES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"twin_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    main: Any = module.main

    def run() -> str:
        out = io.StringIO()
        main(out)
        return out.getvalue()

    return run


def check(name: str) -> None:
    """Both sides must print the same text (they do the same work)."""
    got, want = harn_runner(name)(), twin_runner(name)()
    if got != want:
        raise SystemExit(f"{name}: harn printed {got!r}, twin printed {want!r}")


def main() -> None:
    runner = pyperf.Runner()
    runner.argparser.add_argument("--case", choices=CASES, action="append",
                                  help="run only this case (repeatable)")
    args = runner.parse_args()
    cases = list(args.case or CASES)
    if not args.worker:
        for name in cases:
            check(name)
    results: dict[str, tuple[float, float]] = {}
    for name in cases:
        harn = runner.bench_func(f"{name}.harn", harn_runner(name))
        twin = runner.bench_func(f"{name}.python", twin_runner(name))
        if harn is not None and twin is not None:
            results[name] = (harn.mean(), twin.mean())
    if results:
        print("\nHarn / Python ratios (target <= 2.0, goal 1.2):", file=sys.stderr)
        for name, (h, p) in results.items():
            print(f"  {name:24s} {h * 1e3:8.2f} ms / {p * 1e3:8.2f} ms = {h / p:5.2f}x",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
