"""Regular expressions over Python's ``re`` with the Rust-dialect translation (stdlib.md §14, §22).

Translation (done once per (flags, pattern), then cached): ``(?<name>`` ->
``(?P<name>``, ``\\z`` -> ``\\Z``, ``\\x{H..}`` -> ``\\U``, a bare ``$``
outside a character class -> ``\\Z`` unless multi-line mode is on (Python's
``$`` also matches before a final newline, Rust's does not), and inline flag
groups such as ``(?i)`` that are not at the start of the pattern (an error in
Python 3.11) become scoped groups ``(?i:...)`` running to the end of the
enclosing group. Look-around and backreferences pass through (decision §24.8:
a superset).

Caching: a bounded dict keyed by ``(flags, pattern)`` (cleared when full,
128 entries, like the reference) behind a one-entry memo checked by object
identity, so a scan loop reusing one literal pattern does no hashing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from vm.stdlib.common import MISSING, display, throw
from vm.stdlib.registry import builtin

_FLAG_BITS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_INLINE_FLAGS = re.compile(r"\(\?([imsxU]*)(?:-([imsxU]*))?\)")


def translate(pattern: str, multiline: bool) -> str:
    """Rust ``regex`` syntax to Python ``re`` syntax (see the module docstring)."""
    out: list[str] = []
    closers: list[int] = [0]  # extra ")" owed when each open group closes
    i = 0
    n = len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "z" and not in_class:
                out.append(r"\Z")
                i += 2
            elif nxt == "x" and pattern.startswith("{", i + 2):
                end = pattern.find("}", i + 3)
                if end < 0:
                    out.append(pattern[i : i + 2])
                    i += 2
                else:
                    out.append(f"\\U{int(pattern[i + 3 : end] or '0', 16):08x}")
                    i = end + 1
            else:
                out.append(pattern[i : i + 2])
                i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end > 0:
                    out.append(_POSIX.get(pattern[i + 2 : end], pattern[i : end + 2]))
                    i = end + 2
                    continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append(r"\]")
                i += 1
            continue
        if c == "(":
            m = _INLINE_FLAGS.match(pattern, i)
            if m is not None:
                if "m" in m.group(1):
                    multiline = True
                if i == 0 or out == [] or all(_INLINE_FLAGS.fullmatch(x) for x in out):
                    out.append(m.group())
                else:
                    out.append(m.group()[:-1] + ":")
                    closers[-1] += 1
                i = m.end()
                continue
            if pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!"):
                out.append("(?P<")
                i += 3
            else:
                out.append("(")
                i += 1
            closers.append(0)
            continue
        if c == ")":
            owed = closers.pop() if len(closers) > 1 else 0
            out.append(")" * owed + ")")
            i += 1
            continue
        if c == "$" and not multiline:
            out.append(r"\Z")
            i += 1
            continue
        out.append(c)
        i += 1
    out.append(")" * closers[0])
    return "".join(out)


_POSIX = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
    "word": r"\w", "blank": r" \t", "cntrl": r"\x00-\x1f\x7f",
}

_CACHE: dict[tuple[str, str], re.Pattern[str]] = {}
_CACHE_MAX = 128
_last: list[Any] = [None, None, None]  # pattern object, flags object, compiled


def _compile(pattern: str, flags: str) -> re.Pattern[str]:
    bits = 0
    for f in flags:
        bit = _FLAG_BITS.get(f)
        if bit is None:
            raise throw(f"Invalid regex: unsupported regex flag '{f}', expected one of i/m/s/x")
        bits |= bit
    try:
        return re.compile(translate(pattern, "m" in flags), bits)
    except (re.error, OverflowError, ValueError, RecursionError) as exc:
        raise throw(f"Invalid regex: {exc}") from None


def compiled(pattern: Any, flags: Any = "") -> re.Pattern[str]:
    """The compiled pattern for ``(flags, pattern)``, from the memo or the bounded cache."""
    last = _last
    if pattern is last[0] and flags is last[1]:
        return last[2]
    p = pattern if type(pattern) is str else display(pattern)
    if flags is None or flags is MISSING:
        f = ""
    else:
        f = flags if type(flags) is str else display(flags)
    key = (f, p)
    rx = _CACHE.get(key)
    if rx is None:
        rx = _compile(p, f)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = rx
    last[0] = pattern
    last[1] = flags
    last[2] = rx
    return rx


def _text(v: Any) -> str:
    return v if type(v) is str else display(v)


@builtin("regex_match", "(pattern: ~str, text: ~str, flags?: ~str) -> list<string>?",
         "Every non-overlapping whole match, or nil when there is none.")
def regex_match(pattern: Any = MISSING, text: Any = MISSING, flags: Any = None, *_: Any
                ) -> list[str] | None:
    if text is MISSING:
        return None
    rx = compiled(pattern, flags)
    t = text if type(text) is str else display(text)
    if rx.groups == 0:
        found = rx.findall(t)
    else:
        found = [m.group() for m in rx.finditer(t)]
    return found if found else None


def _parse_template(repl: str) -> list[str | int | tuple[str]]:
    """Rust replacement syntax: ``$1 ${1} $name ${name} $$``; backslashes are literal."""
    pieces: list[str | int | tuple[str]] = []
    buf: list[str] = []
    i = 0
    n = len(repl)
    while i < n:
        c = repl[i]
        if c != "$" or i + 1 >= n:
            buf.append(c)
            i += 1
            continue
        nxt = repl[i + 1]
        if nxt == "$":
            buf.append("$")
            i += 2
            continue
        if nxt == "{":
            end = repl.find("}", i + 2)
            if end < 0:
                buf.append(c)
                i += 1
                continue
            name = repl[i + 2 : end]
            i = end + 1
        else:
            j = i + 1
            while j < n and (repl[j].isascii() and (repl[j].isalnum() or repl[j] == "_")):
                j += 1
            if j == i + 1:
                buf.append(c)
                i += 1
                continue
            name = repl[i + 1 : j]
            i = j
        if buf:
            pieces.append("".join(buf))
            buf = []
        pieces.append(int(name) if name.isdigit() else (name,))
    if buf:
        pieces.append("".join(buf))
    return pieces


_TEMPLATES: dict[str, list[str | int | tuple[str]]] = {}


def _replacer(rx: re.Pattern[str], repl: str) -> str | Callable[[re.Match[str]], str]:
    if "$" not in repl:
        return repl.replace("\\", "\\\\")
    pieces = _TEMPLATES.get(repl)
    if pieces is None:
        pieces = _parse_template(repl)
        if len(_TEMPLATES) >= _CACHE_MAX:
            _TEMPLATES.clear()
        _TEMPLATES[repl] = pieces
    groups = rx.groups
    index = rx.groupindex

    def expand(m: re.Match[str]) -> str:
        out = []
        for p in pieces:
            if type(p) is str:
                out.append(p)
                continue
            g = p if type(p) is int else index.get(p[0])  # type: ignore[index]
            if g is None or g > groups:
                continue
            v = m.group(g)
            if v is not None:
                out.append(v)
        return "".join(out)

    return expand


@builtin(("regex_replace", "regex_replace_all"),
         "(pattern: ~str, replacement: ~str, text: ~str) -> string",
         "Replace every match; $1, ${1}, $name, ${name} and $$ in the replacement.")
def regex_replace(pattern: Any = MISSING, replacement: Any = MISSING, text: Any = MISSING,
                  *_: Any) -> str | None:
    if text is MISSING:
        return None
    rx = compiled(pattern, "")
    return rx.sub(_replacer(rx, _text(replacement)), _text(text))


@builtin("regex_captures", "(pattern: ~str, text: ~str) -> list<dict>",
         "One dict per match: match, groups, and each participating named group.")
def regex_captures(pattern: Any = MISSING, text: Any = MISSING, *_: Any) -> list[dict[str, Any]]:
    if text is MISSING:
        return []
    rx = compiled(pattern, "")
    names = rx.groupindex
    out: list[dict[str, Any]] = []
    for m in rx.finditer(_text(text)):
        d: dict[str, Any] = {"match": m.group(), "groups": list(m.groups())}
        for name, idx in names.items():
            v = m.group(idx)
            if v is not None:
                d[name] = v
        out.append(d)
    return out


@builtin("regex_split", "(text: ~str, pattern: ~str, flags?: ~str) -> list<string>",
         "The pieces between matches (text first; groups are not inserted).")
def regex_split(text: Any = MISSING, pattern: Any = MISSING, flags: Any = None, *_: Any
                ) -> list[str] | None:
    if pattern is MISSING:
        return None
    rx = compiled(pattern, flags)
    t = _text(text)
    pieces: list[str] = []
    last = 0
    for m in rx.finditer(t):
        pieces.append(t[last : m.start()])
        last = m.end()
    pieces.append(t[last:])
    return pieces
