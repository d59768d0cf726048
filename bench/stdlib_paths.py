"""pyperf suite: stdlib hot paths against plain-Python twins (issue 4 target: each <= 2x).

Each case runs a ``bench/fixtures/NAME.harn`` program (compiled once, executed
per loop with stdout captured) and its twin in ``bench/stdlib_twins.py``, in one
pyperf run, then prints the Harn/Python ratio of the means:

    python -m bench.stdlib_paths --fast            # quick look
    python -m bench.stdlib_paths -o stdlib.json    # keep results for pyperf compare_to

Cases: dict_merge_loop (``result = result + {[k]: v}``), filter_nil_loop
(``filter_nil(merge(...))`` + ``pick_keys``), regex_scan_loop (two ``contains`` and
one ``regex_match`` per line), list_map_filter (closures over 1,000 ints),
method_call_dispatch (``items.contains(i % 16)``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pyperf

from bench.stdlib_twins import TWINS

FIXTURES = Path(__file__).parent / "fixtures"
CASES = tuple(TWINS)


def compile_fixture(name: str) -> Any:
    from vm.api import compile_script

    path = FIXTURES / f"{name}.harn"
    return compile_script(path.read_text(), str(path))


def harn_runner(name: str) -> Any:
    script = compile_fixture(name)
    script.variant(False)  # compile the code object once, outside the timing

    def run() -> str:
        out = io.StringIO()
        script.execute(stdout=out)
        return out.getvalue()

    return run


def check(name: str, verbose: bool = True) -> bool:
    """True when the fixture runs and prints what its twin returns (same work)."""
    from vm.api import ScriptError

    try:
        got = harn_runner(name)()
    except ScriptError as exc:
        if verbose:
            print(f"skipping {name}: {exc.message}", file=sys.stderr)
        return False
    want = TWINS[name]()
    if got != want:
        raise SystemExit(f"{name}: harn printed {got!r}, twin returned {want!r}")
    return True


def main() -> None:
    runner = pyperf.Runner()
    runner.argparser.add_argument("--case", choices=CASES, action="append",
                                  help="run only this case (repeatable)")
    args = runner.parse_args()
    cases = [c for c in (args.case or CASES) if check(c, verbose=not args.worker)]
    results: dict[str, dict[str, float]] = {}
    for name in cases:
        harn = runner.bench_func(f"{name}.harn", harn_runner(name))
        twin = runner.bench_func(f"{name}.python", TWINS[name])
        if harn is not None and twin is not None:
            results[name] = {"harn": harn.mean(), "python": twin.mean()}
    if results:
        print("\nHarn / Python ratios (target <= 2.0):", file=sys.stderr)
        for name, r in results.items():
            ratio = r["harn"] / r["python"]
            print(f"  {name:22s} {ratio:5.2f}x  ({r['harn'] * 1e3:8.2f} ms vs "
                  f"{r['python'] * 1e3:8.2f} ms)", file=sys.stderr)


if __name__ == "__main__":
    main()
