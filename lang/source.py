"""Source files and position arithmetic.

Every phase stores positions as character offsets into the source text (a
Python ``str`` indexes code points, which is what the spec's columns count).
Lines and columns are computed only when something is shown to a person, by
bisecting a table of line starts built once per source.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(slots=True)
class Source:
    """A piece of Harn text and the name it is reported under."""

    text: str
    path: str = "<input>"
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        starts = self._line_starts
        if starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        starts = self.line_starts
        line = bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def offset_of(self, line: int, col: int) -> int:
        """Character offset of a 1-based line and column (clamped to the text)."""
        starts = self.line_starts
        line = max(1, min(line, len(starts)))
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return max(start, min(start + col - 1, end))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


RECURSION_LIMIT = 20_000


def ensure_recursion_limit() -> None:
    """Let tree walks recurse as deep as the parser's nesting limit allows.

    CPython 3.11 runs Python-to-Python calls without growing the C stack, so a
    higher limit is safe; every phase calls this before walking a tree.
    """
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
