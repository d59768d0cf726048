"""``python -m bench SUITE [options]``: the benchmark suites.

- ``vm``: every VM fixture against its plain-Python twin (:mod:`bench.vm_suite`);
  ``--check`` verifies results without timing (CI), ``--fast`` is pyperf's
  quick mode, ``--json DIR`` keeps pyperf files for ``pyperf compare_to``.
- ``typecheck``: parse + check scaling from 500 to 10,000 functions, and the
  whole ``lang check`` process on a 10,000-function corpus
  (:mod:`bench.typecheck_scaling`).
- ``startup``: ``lang run hello.harn`` as a whole process (:mod:`bench.startup`).

Other suites run as modules: ``python -m bench.parse_speed``,
``python -m bench.fmt_speed``, ``python -m bench.lsp_latency``.
"""

from __future__ import annotations

import importlib
import sys

SUITES = {
    "vm": "bench.vm_suite",
    "typecheck": "bench.typecheck_scaling",
    "startup": "bench.startup",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in SUITES:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(SUITES[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
