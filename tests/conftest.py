"""Shared test configuration.

The front end raises the interpreter's recursion limit the first time it
parses; doing it once here keeps hypothesis from warning that the limit
changed under it.
"""

from __future__ import annotations

from lang.source import ensure_recursion_limit

ensure_recursion_limit()
