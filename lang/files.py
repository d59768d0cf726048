"""Reading script files for the command line: one clear line per failure.

Every command that reads a file goes through :func:`read_source`, so a
missing, unreadable or non-UTF-8 file gives the same message and exit status 2
everywhere.
"""

from __future__ import annotations

import os
import sys

from lang.source import Source


class FileError(Exception):
    """A file could not be read; ``str(exc)`` is the line to print."""


def read_source(path: str) -> Source:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise FileError(f"lang: cannot read '{path}': no such file") from None
    except IsADirectoryError:
        raise FileError(f"lang: cannot read '{path}': is a directory") from None
    except PermissionError:
        raise FileError(f"lang: cannot read '{path}': permission denied") from None
    except OSError as exc:
        raise FileError(f"lang: cannot read '{path}': {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"lang: cannot read '{path}': not valid UTF-8 (byte {exc.start})"
        ) from None
    return Source(text, path)


def read_or_exit(path: str) -> Source | None:
    """Read ``path`` or print the error line; ``None`` means exit with status 2."""
    try:
        return read_source(path)
    except FileError as exc:
        print(str(exc), file=sys.stderr)
        return None


def find_harn_files(paths: list[str]) -> list[str]:
    """``*.harn`` files under each path (files are taken as given), sorted, deduplicated."""
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                for f in sorted(files):
                    if f.endswith(".harn"):
                        full = os.path.join(root, f)
                        if full not in seen:
                            seen.add(full)
                            out.append(full)
        elif p not in seen:
            seen.add(p)
            out.append(p)
    return out
