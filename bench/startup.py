"""Start-up: ``lang run hello.harn`` as a whole process.

Commands measured (each prints ``hello``; the pyc caches are warmed first):

- ``python -I -S -c pass``: the interpreter alone (no ``site``);
- ``python -c pass``: the interpreter with this machine's ``site`` (its
  ``.pth`` files may import a lot: that cost is the machine's, not ours);
- ``python -m lang.cli run hello.harn``: the whole tool, with ``sys.executable``;
- ``<bin>/lang run hello.harn``: the installed console script beside
  ``sys.executable``, if present;
- ``lang run hello.harn`` as found on ``PATH`` when that is another file
  (a pyenv shim is a bash script that adds ~100 ms before Python starts).

pyperf times each command (wall clock, ``--json DIR`` writes ``DIR/startup.json``
for ``pyperf compare_to``); the master then prints a table from its own runs:
the minimum and median wall time and the minimum CPU time (user + system, of
the child) over ``--runs`` runs, which is robust against other load on the
machine, and "our share" = ``lang run`` minus ``python -c pass``. ``--imports``
adds the modules of this project that ``lang run hello.harn`` imports, from
``python -X importtime`` (self time, minimum over the runs).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OURS = ("lang", "vm", "typechecker", "lsp")


def hello_file() -> str:
    path = Path(tempfile.gettempdir()) / "harn_bench_hello.harn"
    if not path.exists():
        path.write_text('println("hello")\n', encoding="utf-8")
    return str(path)


def environment() -> dict[str, str]:
    """The caller's environment, but allowed to write and use pyc caches."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def commands(hello: str) -> dict[str, list[str]]:
    py = sys.executable
    cmds = {
        "python -I -S -c pass": [py, "-I", "-S", "-c", "pass"],
        "python -c pass": [py, "-c", "pass"],
        "python -m lang.cli run hello": [py, "-m", "lang.cli", "run", hello],
    }
    script = Path(py).with_name("lang")
    if script.is_file():
        cmds["<bin>/lang run hello"] = [str(script), "run", hello]
    for found in _on_path("lang"):  # e.g. a pyenv shim (PATH as the caller had it)
        if not script.is_file() or not os.path.samefile(found, script):
            cmds["lang (PATH) run hello"] = [found, "run", hello]
            break
    return cmds


def _on_path(name: str) -> list[str]:
    out = []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        f = shutil.which(name, path=d) if d else None
        if f and f not in out:
            out.append(f)
    return out


def measure(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """``(min wall, median wall, min CPU)`` in ms over ``runs`` runs of ``cmd``."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    walls.sort()
    return walls[0] * 1e3, walls[len(walls) // 2] * 1e3, min(cpus) * 1e3


def import_share(hello: str, env: dict[str, str], runs: int) -> list[tuple[str, float]]:
    """This project's modules imported by ``lang run hello``: min self time (ms)."""
    best: dict[str, float] = {}
    line = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| (\s*)(\S+)")
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "lang.cli", "run", hello],
                              capture_output=True, text=True, env=env, check=False)
        for text in proc.stderr.splitlines():
            m = line.match(text)
            if m and m.group(3).split(".")[0] in OURS:
                us = int(m.group(1)) / 1e3
                name = m.group(3)
                best[name] = min(best.get(name, us), us)
    return sorted(best.items(), key=lambda kv: -kv[1])


def table(rows: dict[str, tuple[float, float, float]]) -> str:
    out = [f"{'command':32s} {'wall min':>9s} {'wall med':>9s} {'CPU min':>9s}  (ms)"]
    for name, (wmin, wmed, cpu) in rows.items():
        out.append(f"{name:32s} {wmin:9.1f} {wmed:9.1f} {cpu:9.1f}")
    base = rows.get("python -c pass")
    run = rows.get("python -m lang.cli run hello")
    if base and run:
        out.append(f"{'our share (run - python -c pass)':32s} {run[0] - base[0]:9.1f} "
                   f"{run[1] - base[1]:9.1f} {run[2] - base[2]:9.1f}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--runs", type=int, default=20)
    pre.add_argument("--imports", action="store_true")
    pre.add_argument("--json", metavar="DIR")
    pre.add_argument("--no-pyperf", action="store_true")
    known, rest = pre.parse_known_args(argv)
    hello = hello_file()
    env = environment()
    cmds = commands(hello)
    worker = "--worker" in rest
    if not worker:
        for cmd in cmds.values():  # warm the pyc caches
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                           check=False)
    if not known.no_pyperf:
        import pyperf

        sys.argv = [sys.argv[0]] + rest
        runner = pyperf.Runner(program_args=("-m", "bench", "startup"))
        benches = []
        for name, cmd in cmds.items():
            b = runner.bench_command(name.replace(" ", "_"), cmd)
            if b is not None:
                benches.append(b)
        if runner.args.worker:
            return 0
        if known.json and benches:
            os.makedirs(known.json, exist_ok=True)
            target = os.path.join(known.json, "startup.json")
            pyperf.BenchmarkSuite(benches).dump(target, replace=True)
            print(f"wrote {target}")
    rows = {name: measure(cmd, env, known.runs) for name, cmd in cmds.items()}
    print()
    print(f"min/median of {known.runs} runs each (wall), min CPU time of the child:")
    print(table(rows))
    if known.imports:
        print()
        share = import_share(hello, env, min(known.runs, 10))
        total = sum(ms for _, ms in share)
        print(f"this project's modules imported by lang run hello: {len(share)}, "
              f"{total:.1f} ms of self time (python -X importtime, min per module)")
        for name, ms in share[:15]:
            print(f"  {ms:7.2f}  {name}")
    return 0
