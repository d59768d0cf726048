"""pyperf benchmark: lex + parse of 10,000 one-line functions (issue 2 target: <= 150 ms).

Run: ``python -m bench.parse_speed`` (add ``--fast`` for a quick look, ``-o FILE.json``
to keep the result for ``pyperf compare_to``).
"""

from __future__ import annotations

import pyperf

from lang.lexer import lex
from lang.parser import parse
from lang.source import Source


def corpus(n: int = 10_000, typed: bool = True) -> str:
    if typed:
        return "\n".join(f"fn f_{i}(x: int) -> int {{ return x + {i} }}" for i in range(n))
    return "\n".join(f"fn f_{i}(x) {{ return x + {i} }}" for i in range(n))


def main() -> None:
    runner = pyperf.Runner()
    typed = corpus()
    untyped = corpus(typed=False)
    runner.bench_func("lex_10k_typed_fns", lambda: lex(Source(typed)))
    runner.bench_func("lex_parse_10k_typed_fns", lambda: parse(Source(typed)))
    runner.bench_func("lex_parse_10k_untyped_fns", lambda: parse(Source(untyped)))


if __name__ == "__main__":
    main()
