"""``glob`` (stdlib.md §18.1) and the workspace path classifiers (§18.2), Tier 2.

``glob(pattern, base)`` walks ``base`` (default ``.``, relative to the
execution root; ``base`` may also be a ``{base}`` dict) without following
symlinked directories, and keeps every entry below it (files and
directories) whose path relative to ``base``, with ``/`` separators, matches
the whole pattern. Pattern syntax: ``*`` is any run of characters and may
cross ``/``; ``**`` likewise, and ``**/`` also matches no directory at all;
``?`` is one character; ``[abc]``, ``[a-z]``, ``[!x]`` / ``[^x]`` are classes
(a ``]`` first in the class is literal); ``{a,b}`` alternates (not nested);
``\\`` escapes the next character. Results are ``base`` joined to the
relative path with ``/`` (``posixpath.join``), sorted. A malformed pattern is
``throw "glob: <detail>"``; a missing base yields ``[]``. ``glob`` reads the
file system, so it is one of the host-granted capabilities (vm/builtins.py).

``path_workspace_info(p, root)`` is pure: it normalises ``p`` (as
``path_normalize``) and classifies it against ``root`` (default: the
execution root): a relative path that stays inside is ``workspace_relative``;
one that climbs out with ``..`` (or is empty, or holds NUL) is ``invalid``;
an absolute path is ``host_absolute`` with a ``workspace_path`` when it lies
under ``root``, or, when it lies elsewhere but contains ``root``'s last
segment, with the part after that segment (``recovered_root_drift: true`` —
a path from another checkout of the same workspace). ``reason`` says why a
path has no ``workspace_path``, or that drift was recovered; otherwise nil.
``path_workspace_normalize`` returns just ``workspace_path``.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any

from vm.stdlib.common import MISSING, s, throw
from vm.stdlib.files import path_is_absolute, path_normalize, path_relative_to
from vm.stdlib.registry import builtin


def _glob_error(pattern: str, detail: str) -> Exception:
    return throw(f"glob: error parsing glob '{pattern}': {detail}")


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """Regex class for the ``[...]`` starting at ``pattern[i]``; returns (regex, next index)."""
    j = i + 1
    negate = j < len(pattern) and pattern[j] in "!^"
    if negate:
        j += 1
    start = j
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 1
    if j >= len(pattern):
        raise _glob_error(pattern, "unclosed character class; missing ']'")
    body = "".join("\\" + c if c in "\\[]^&~|" else c for c in pattern[start:j])
    return "[" + ("^" if negate else "") + body + "]", j + 1


def compile_glob(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i, n = 0, len(pattern)
    in_alt = False
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            if j - i >= 2 and (i == 0 or pattern[i - 1] == "/") and j < n and pattern[j] == "/":
                out.append("(?:.*/)?")
                i = j + 1
            else:
                out.append(".*")
                i = j
        elif c == "?":
            out.append(".")
            i += 1
        elif c == "[":
            cls, i = _char_class(pattern, i)
            out.append(cls)
        elif c == "{":
            if in_alt:
                raise _glob_error(pattern, "nested alternate groups are not allowed")
            in_alt = True
            out.append("(?:")
            i += 1
        elif c == "}" and in_alt:
            in_alt = False
            out.append(")")
            i += 1
        elif c == "," and in_alt:
            out.append("|")
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise _glob_error(pattern, "dangling '\\'")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    if in_alt:
        raise _glob_error(pattern, "unclosed alternate group; missing '}'")
    try:
        return re.compile("".join(out) + r"\Z", re.S)
    except re.error as exc:
        raise _glob_error(pattern, str(exc)) from None


def _entries(root: str) -> list[str]:
    """Paths below ``root`` relative to it, ``/``-separated (symlinked dirs not entered)."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel = os.path.relpath(dirpath, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out.extend(prefix + d for d in dirnames)
        out.extend(prefix + f for f in filenames)
    return out


@builtin("glob", "(pattern: ~str, base?: any) -> list<string>", "Paths matching a glob.", "T2")
def glob(pattern: Any = MISSING, base: Any = None, *_: Any) -> list[str]:
    if pattern is MISSING:
        raise throw("glob: pattern is required")
    pat = s(pattern)
    if type(base) is dict:
        base = base.get("base")
    base_text = "." if base is None or base is MISSING else s(base)
    rx = compile_glob(pat)
    root = os.path.abspath(base_text or ".")
    if not os.path.isdir(root):
        return []
    shown = base_text.replace("\\", "/") or "."
    return sorted(posixpath.join(shown, rel) for rel in _entries(root) if rx.match(rel))


# --------------------------------------------------------------------------- workspace paths


def workspace_info(p: Any, root: Any) -> dict[str, Any]:
    text = s(p)
    root_text = path_normalize(os.getcwd() if root is None or root is MISSING else s(root))
    info: dict[str, Any] = {"input": text, "kind": "invalid", "normalized": "",
                            "workspace_path": None, "host_path": None,
                            "recovered_root_drift": False, "reason": None}
    if not text.strip():
        info["reason"] = "empty path"
        return info
    if "\0" in text:
        info["reason"] = "path contains a NUL character"
        return info
    norm = path_normalize(text)
    info["normalized"] = norm
    if not path_is_absolute(norm):
        if norm == ".." or norm.startswith("../"):
            info["reason"] = "path escapes the workspace root"
            return info
        info["kind"] = "workspace_relative"
        info["workspace_path"] = norm
        info["host_path"] = root_text if norm == "." else posixpath.join(root_text, norm)
        return info
    info["kind"] = "host_absolute"
    info["host_path"] = norm
    rel = path_relative_to(norm, root_text)
    if rel is not None and rel != ".." and not rel.startswith("../"):
        info["workspace_path"] = rel
        return info
    anchor = posixpath.basename(root_text.rstrip("/"))
    segments = [x for x in norm.split("/") if x]
    if anchor and anchor in segments:
        cut = len(segments) - 1 - segments[::-1].index(anchor)
        ws = "/".join(segments[cut + 1:]) or "."
        info["workspace_path"] = ws
        info["host_path"] = root_text if ws == "." else posixpath.join(root_text, ws)
        info["recovered_root_drift"] = True
        info["reason"] = "recovered from a different workspace root"
        return info
    info["reason"] = "path is outside the workspace root"
    return info


@builtin("path_workspace_info", "(p: ~str, root?: ~str) -> dict",
         "Classify a path against a root.", "T2")
def path_workspace_info(p: Any = None, root: Any = None, *_: Any) -> dict[str, Any]:
    return workspace_info(p, root)


@builtin("path_workspace_normalize", "(p: ~str, root?: ~str) -> string?",
         "A workspace path or nil.", "T2")
def path_workspace_normalize(p: Any = None, root: Any = None, *_: Any) -> str | None:
    return workspace_info(p, root)["workspace_path"]
