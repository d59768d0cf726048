"""pyperf benchmark: ``lang fmt`` on a 10,000-line file (issue 8 target: <= 1 s).

The file repeats ``bench/fixtures/fmt_module.harn``: 50 lines of ordinary Harn
code (functions, structs, enums, match, closures, method chains, dict and list
literals, interpolated strings, comments, lines long enough to need breaking),
renamed on each copy (``__N__`` becomes the copy number) and written untidily
(missing spaces, ``;``, odd line breaks) so the formatter has real work to do.

Run: ``python -m bench.fmt_speed`` (``--fast`` for a quick look, ``-o FILE.json``
to keep the result for ``pyperf compare_to``). Cases:

- ``fmt_10k_lines``: ``format_source`` end to end (lex, parse, layout, print);
- ``fmt_10k_lines_layout``: layout and printing only, on an already parsed file.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pyperf

from lang.fmt_doc import render
from lang.formatter import Formatter, format_source
from lang.parser import parse_text

MODULE = (Path(__file__).parent / "fixtures" / "fmt_module.harn").read_text(encoding="utf-8")


def corpus(lines: int = 10_000) -> str:
    parts = []
    n = 0
    count = 0
    per = MODULE.count("\n")
    while count < lines:
        parts.append(MODULE.replace("__N__", str(n)))
        count += per
        n += 1
    return "".join(parts)


def layout_only(text: str):
    result = parse_text(text)

    def build_and_print() -> str:
        fmt = Formatter(text, result.lexed.arrays, result.program.comments, result.parens)
        return render(fmt.program(result.program, None), 100)[0]

    def run() -> str:
        gc.disable()
        try:
            return build_and_print()
        finally:
            gc.enable()

    return run


def main() -> None:
    runner = pyperf.Runner()
    text = corpus()
    assert parse_text(text).ok
    runner.bench_func("fmt_10k_lines", format_source, text)
    runner.bench_func("fmt_10k_lines_layout", layout_only(text))


if __name__ == "__main__":
    main()
