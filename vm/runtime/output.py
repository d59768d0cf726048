"""Output builtins of language.md §7.1 / stdlib.md §2.

Each prints only its first argument (display form); no argument prints the
empty string. They write to the current execution context's streams
(:mod:`vm.runtime.context`) so hosts can capture output per run. The stdlib
registry re-exports these; the VM falls back to them when it is absent.
"""

from __future__ import annotations

from typing import Any

from vm.runtime.context import current
from vm.runtime.display import display

_NOTHING: Any = object()


def _text(v: Any) -> str:
    if v is _NOTHING:
        return ""
    return v if type(v) is str else display(v)


def print_(v: Any = _NOTHING, *_rest: Any) -> None:
    current().stdout.write(_text(v))


def println(v: Any = _NOTHING, *_rest: Any) -> None:
    current().stdout.write(_text(v) + "\n")


def log(v: Any = _NOTHING, *_rest: Any) -> None:
    current().stdout.write("[harn] " + _text(v) + "\n")


def eprint(v: Any = _NOTHING, *_rest: Any) -> None:
    current().ewrite(_text(v))


def eprintln(v: Any = _NOTHING, *_rest: Any) -> None:
    current().ewrite(_text(v) + "\n")


OUTPUT_BUILTINS = {
    "print": print_,
    "println": println,
    "log": log,
    "eprint": eprint,
    "eprintln": eprintln,
}
