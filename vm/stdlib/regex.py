"""Regular expressions over Python's ``re`` with the Rust-dialect translation (stdlib.md §14, §22).

Translation (done once per (flags, pattern), then cached): ``(?<name>`` ->
``(?P<name>``, ``\\z`` -> ``\\Z``, ``\\x{H..}`` -> ``\\U``, a bare ``$``
outside a character class -> ``\\Z`` unless multi-line mode is on (Python's
``$`` also matches before a final newline, Rust's does not), ``\\s``/``\\S``
-> the Unicode ``White_Space`` set and its complement (Python's ``\\s`` also
matches U+001C..U+001F, A6), ``\\p{Cat}``/``\\P{Cat}`` (general categories)
-> explicit character classes, and inline flag
groups such as ``(?i)`` that are not at the start of the pattern (an error in
Python 3.11) become scoped groups ``(?i:...)`` running to the end of the
enclosing group. Look-around and backreferences pass through (decision §24.8:
a superset).

Iteration follows Rust's rules for empty matches (:func:`matches`): an empty
match right where the previous match ended is skipped and the search resumes
one character later. Python's ``finditer`` instead reports it and then
retries at the same position for a non-empty match (``a*`` over ``"baaa"``:
Rust ``["", "aaa"]``, Python ``["", "aaa", ""]``).

Caching: a bounded dict keyed by ``(flags, pattern)`` (cleared when full,
128 entries, like the reference) behind a one-entry memo checked by object
identity, so a scan loop reusing one literal pattern does no hashing at all.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
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
            elif nxt == "s" or nxt == "S":
                out.append(_whitespace_class(nxt == "S", in_class))
                i += 2
            elif nxt == "p" or nxt == "P":
                i = _property_class(pattern, i, in_class, out)
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

# Unicode White_Space (A6), as class items; Python's \s adds U+001C..U+001F.
_WS_ITEMS = r"\t-\r\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _whitespace_class(negated: bool, in_class: bool) -> str:
    if negated:
        return r"\S\x1c-\x1f" if in_class else r"[\S\x1c-\x1f]"
    return _WS_ITEMS if in_class else "[" + _WS_ITEMS + "]"


_CATEGORY_NAMES = {
    "letter": "L", "casedletter": "LC", "uppercaseletter": "Lu", "lowercaseletter": "Ll",
    "titlecaseletter": "Lt", "modifierletter": "Lm", "otherletter": "Lo", "mark": "M",
    "combiningmark": "M", "nonspacingmark": "Mn", "spacingmark": "Mc", "enclosingmark": "Me",
    "number": "N", "decimalnumber": "Nd", "digit": "Nd", "letternumber": "Nl",
    "othernumber": "No", "punctuation": "P", "punct": "P", "connectorpunctuation": "Pc",
    "dashpunctuation": "Pd", "openpunctuation": "Ps", "closepunctuation": "Pe",
    "initialpunctuation": "Pi", "finalpunctuation": "Pf", "otherpunctuation": "Po",
    "symbol": "S", "mathsymbol": "Sm", "currencysymbol": "Sc", "modifiersymbol": "Sk",
    "othersymbol": "So", "separator": "Z", "spaceseparator": "Zs", "lineseparator": "Zl",
    "paragraphseparator": "Zp", "other": "C", "control": "Cc", "cntrl": "Cc", "format": "Cf",
    "surrogate": "Cs", "privateuse": "Co", "unassigned": "Cn",
}
_CATEGORY_RANGES: dict[str, list[tuple[int, int]]] = {}


def _build_category_ranges() -> None:
    """Code-point ranges of every two-letter general category (one pass, on first use)."""
    import unicodedata

    category = unicodedata.category
    ranges: dict[str, list[tuple[int, int]]] = {}
    start = 0
    cur = category("\x00")
    for cp in range(1, 0x110000):
        c = category(chr(cp))
        if c != cur:
            ranges.setdefault(cur, []).append((start, cp - 1))
            start, cur = cp, c
    ranges.setdefault(cur, []).append((start, 0x10FFFF))
    _CATEGORY_RANGES.update(ranges)


def _category_ranges(name: str) -> list[tuple[int, int]] | None:
    """Ranges for a general category given by short (``Lu``, ``L``) or long name."""
    key = name.replace("_", "").replace(" ", "").replace("-", "").lower()
    for prefix in ("gc=", "generalcategory=", "gc:", "generalcategory:"):
        if key.startswith(prefix):
            key = key[len(prefix):]
    if key == "any":
        return [(0, 0x10FFFF)]
    if key == "ascii":
        return [(0, 0x7F)]
    if key in ("whitespace", "wspace", "space"):
        return [(9, 13), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680),
                (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
                (0x3000, 0x3000)]
    short = _CATEGORY_NAMES.get(key)
    if short is None:
        short = next((s for s in _CATEGORY_SHORT if s.lower() == key), None)
        if short is None:
            return None
    if not _CATEGORY_RANGES:
        _build_category_ranges()
    if short == "LC":
        parts = ["Lu", "Ll", "Lt"]
    elif len(short) == 1:
        parts = [c for c in _CATEGORY_RANGES if c[0] == short]
    else:
        parts = [short]
    out = sorted(r for p in parts for r in _CATEGORY_RANGES.get(p, []))
    return out


_CATEGORY_SHORT = (
    "L LC Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So "
    "Z Zs Zl Zp C Cc Cf Cs Co Cn"
).split()


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    nxt = 0
    for a, b in ranges:
        if a > nxt:
            out.append((nxt, a - 1))
        nxt = max(nxt, b + 1)
    if nxt <= 0x10FFFF:
        out.append((nxt, 0x10FFFF))
    return out


def _property_class(pattern: str, i: int, in_class: bool, out: list[str]) -> int:
    """Translate ``\\p{Name}``/``\\pL``/``\\P{...}`` at ``i``; returns the index after it."""
    negated = pattern[i + 1] == "P"
    if pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 3)
        if end < 0:
            raise re.error("unclosed Unicode class \\p{")
        name = pattern[i + 3 : end].strip()
        nxt = end + 1
    elif i + 2 < len(pattern):
        name = pattern[i + 2]
        nxt = i + 3
    else:
        raise re.error("incomplete escape \\p")
    if name.startswith("^"):
        negated = not negated
        name = name[1:]
    ranges = _category_ranges(name)
    if ranges is None:
        raise re.error(f"unsupported Unicode class '{name}'")
    if negated:
        ranges = _complement(ranges)
    items = "".join(
        f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges
    )
    if in_class:
        out.append(items)
    else:
        out.append("[" + items + "]" if items else r"[^\x00-\U0010ffff]")
    return nxt


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
        with warnings.catch_warnings():  # FutureWarnings about nested sets: not for scripts
            warnings.simplefilter("ignore")
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


try:
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_parse as _sre_parser  # type: ignore[no-redef]

_MAY_BE_EMPTY: dict[re.Pattern[str], bool] = {}


def may_match_empty(rx: re.Pattern[str]) -> bool:
    """False when no match of ``rx`` can be empty (its minimum width is > 0).

    Then Python's ``findall``/``sub`` iterate exactly like Rust and can be used
    directly; otherwise :func:`matches` applies Rust's empty-match rule.
    """
    v = _MAY_BE_EMPTY.get(rx)
    if v is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                v = _sre_parser.parse(rx.pattern, rx.flags).getwidth()[0] == 0
        except Exception:  # noqa: BLE001 - unknown internals: take the general path
            v = True
        if len(_MAY_BE_EMPTY) >= _CACHE_MAX:
            _MAY_BE_EMPTY.clear()
        _MAY_BE_EMPTY[rx] = v
    return v


def matches(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches Rust's ``find_iter`` reports, in order.

    Python's ``finditer`` agrees until it reports an empty match where the
    previous match ended, or a non-empty match starting where the previous
    (empty) match was: Rust skips that position and searches again one
    character further, so the scan restarts there.
    """
    last_end = -1
    prev_empty = False
    pos = 0
    n = len(text)
    while pos <= n:
        for m in rx.finditer(text, pos):
            start, end = m.span()
            if start == last_end and (start == end or prev_empty):
                pos = last_end + 1
                break
            yield m
            last_end = end
            prev_empty = start == end
        else:
            return


@builtin("regex_match", "(pattern: ~str, text: ~str, flags?: ~str) -> list<string>?",
         "Every non-overlapping whole match, or nil when there is none.")
def regex_match(pattern: Any = MISSING, text: Any = MISSING, flags: Any = None, *_: Any
                ) -> list[str] | None:
    if text is MISSING:
        return None
    rx = compiled(pattern, flags)
    t = text if type(text) is str else display(text)
    if may_match_empty(rx):
        found = [m.group() for m in matches(rx, t)]
    elif rx.groups == 0:
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
        pieces.append(int(name) if name.isascii() and name.isdigit() else (name,))
    if buf:
        pieces.append("".join(buf))
    return pieces


_TEMPLATES: dict[str, list[str | int | tuple[str]]] = {}


def _replacer(rx: re.Pattern[str], repl: str) -> str | Callable[[re.Match[str]], str]:
    """The replacement text itself when it has no ``$``, else a function of the match."""
    if "$" not in repl:
        return repl
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
    repl = _replacer(rx, _text(replacement))
    t = _text(text)
    if not may_match_empty(rx):
        return rx.sub(repl.replace("\\", "\\\\") if type(repl) is str else repl, t)
    out: list[str] = []
    last = 0
    for m in matches(rx, t):
        out.append(t[last : m.start()])
        out.append(repl if type(repl) is str else repl(m))  # type: ignore[operator]
        last = m.end()
    out.append(t[last:])
    return "".join(out)


@builtin("regex_captures", "(pattern: ~str, text: ~str) -> list<dict>",
         "One dict per match: match, groups, and each participating named group.")
def regex_captures(pattern: Any = MISSING, text: Any = MISSING, *_: Any) -> list[dict[str, Any]]:
    if text is MISSING:
        return []
    rx = compiled(pattern, "")
    names = rx.groupindex
    out: list[dict[str, Any]] = []
    for m in matches(rx, _text(text)):
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
    for m in matches(rx, t):
        pieces.append(t[last : m.start()])
        last = m.end()
    pieces.append(t[last:])
    return pieces
