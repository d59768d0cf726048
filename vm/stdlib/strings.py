"""String methods and free functions (stdlib.md §5).

Python ``str`` indexes code points, which is what the spec counts (A5), so
offsets, lengths and padding work on the string directly. Whitespace is the
Unicode ``White_Space`` set (A6), passed explicitly to ``strip``: Python's
default also strips U+001C..U+001F, which are not whitespace here.
Parameters marked ``~str`` coerce any value through its display form (A2).
Note the two ``substring`` forms: the method takes an end index, the free
function a length.
"""

from __future__ import annotations

from typing import Any

from vm.runtime.compare import eq
from vm.runtime.ops import make_iter
from vm.runtime.values import HIter
from vm.stdlib.common import MISSING, display, s, s_or
from vm.stdlib.registry import builtin, method, register_receiver_type

register_receiver_type("string", str)

WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS_SET = frozenset(WHITESPACE)


# --------------------------------------------------------------------------- methods


@method("string", ("len", "count"), "() -> int", "Number of characters.")
def str_len(v: str, *_: Any) -> int:
    return len(v)


@method("string", "empty", "() -> bool", "True for the empty string.")
def str_empty(v: str, *_: Any) -> bool:
    return not v


@method("string", "contains", "(sub: ~str) -> bool", "Substring test.")
def str_contains(v: str, sub: Any = None, *_: Any) -> bool:
    return (sub if type(sub) is str else display(sub)) in v


@method("string", "starts_with", "(s: ~str) -> bool", "Prefix test.")
def str_starts_with(v: str, prefix: Any = None, *_: Any) -> bool:
    return v.startswith(prefix if type(prefix) is str else display(prefix))


@method("string", "ends_with", "(s: ~str) -> bool", "Suffix test.")
def str_ends_with(v: str, suffix: Any = None, *_: Any) -> bool:
    return v.endswith(suffix if type(suffix) is str else display(suffix))


@method("string", "index_of", "(sub: ~str) -> int",
        "Character offset of the first occurrence, -1 if absent.")
def str_index_of(v: str, sub: Any = None, *_: Any) -> int:
    return v.find(s(sub))


@method("string", "last_index_of", "(sub: ~str) -> int",
        "Character offset of the last occurrence, -1 if absent.")
def str_last_index_of(v: str, sub: Any = None, *_: Any) -> int:
    return v.rfind(s(sub))


@method("string", "char_at", "(i: int) -> string?",
        "The character at index i, nil when out of range (no negative indexes).")
def str_char_at(v: str, i: Any = None, *_: Any) -> str | None:
    if type(i) is int and 0 <= i < len(v):
        return v[i]
    return None


@method("string", "substring", "(start: int, end?: int) -> string",
        "Characters [start, end); the second argument is an end index.")
def str_substring(v: str, start: Any = None, end: Any = None, *_: Any) -> str:
    n = len(v)
    a = start if type(start) is int else 0
    a = 0 if a < 0 else (n if a > n else a)
    b = end if type(end) is int else n
    if b < 0 or b > n:
        b = n
    return v[a:b] if b > a else ""


def split_string(v: str, sep: str) -> list[str]:
    if sep:
        return v.split(sep)
    return ["", *v, ""]


@method("string", "split", "(sep?: ~str = \",\") -> list<string>",
        "Split on every occurrence of sep (default \",\"), keeping empty pieces.")
def str_split(v: str, sep: Any = None, *_: Any) -> list[str]:
    return split_string(v, s_or(sep, ","))


def lines_of(v: str) -> list[str]:
    if not v:
        return []
    parts = v.split("\n")
    if parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


@method("string", "lines", "() -> list<string>",
        "Split on newlines, dropping a trailing \\r per line and a final empty piece.")
def str_lines(v: str, *_: Any) -> list[str]:
    return lines_of(v)


@method("string", "chars", "() -> list<string>", "One string per character.")
def str_chars(v: str, *_: Any) -> list[str]:
    return list(v)


@method("string", "trim", "() -> string", "Remove whitespace at both ends.")
def str_trim(v: str, *_: Any) -> str:
    return v.strip(WHITESPACE)


@method("string", "trim_start", "() -> string", "Remove leading whitespace.")
def str_trim_start(v: str, *_: Any) -> str:
    return v.lstrip(WHITESPACE)


@method("string", "trim_end", "() -> string", "Remove trailing whitespace.")
def str_trim_end(v: str, *_: Any) -> str:
    return v.rstrip(WHITESPACE)


@method("string", ("lower", "to_lower", "lowercase"), "() -> string", "Unicode lowercase.")
def str_lower(v: str, *_: Any) -> str:
    return v.lower()


@method("string", ("upper", "to_upper", "uppercase"), "() -> string", "Unicode uppercase.")
def str_upper(v: str, *_: Any) -> str:
    return v.upper()


@method("string", "replace", "(old: ~str, new: ~str) -> string",
        "Replace every occurrence of old by new; fewer than 2 arguments gives nil.")
def str_replace(v: str, old: Any = MISSING, new: Any = MISSING, *_: Any) -> str | None:
    if new is MISSING:
        return None
    return v.replace(s(old), s(new))


@method("string", "repeat", "(n?: int = 1) -> string", "n copies of the string.")
def str_repeat(v: str, n: Any = None, *_: Any) -> str:
    if n is None:
        return v
    return v * n if type(n) is int and n > 0 else ""


@method("string", "reverse", "() -> string", "Characters in reverse order.")
def str_reverse(v: str, *_: Any) -> str:
    return v[::-1]


def _pad_char(fill: Any) -> str:
    f = s_or(fill, " ")
    return f[0] if f else " "


@method("string", "pad_left", "(width: int, fill?: ~str = \" \") -> string",
        "Pad on the left to width characters with the first character of fill.")
def str_pad_left(v: str, width: Any = None, fill: Any = None, *_: Any) -> str:
    if type(width) is not int or len(v) >= width:
        return v
    return _pad_char(fill) * (width - len(v)) + v


@method("string", "pad_right", "(width: int, fill?: ~str = \" \") -> string",
        "Pad on the right to width characters with the first character of fill.")
def str_pad_right(v: str, width: Any = None, fill: Any = None, *_: Any) -> str:
    if type(width) is not int or len(v) >= width:
        return v
    return v + _pad_char(fill) * (width - len(v))


@method("string", "iter", "() -> iter<string>", "A lazy iterator over the characters.")
def str_iter(v: str, *_: Any) -> HIter:
    return make_iter(v)


# --------------------------------------------------------------------------- free functions


@builtin("format", "(template: ~str, ...args: any) -> string",
         "Fill {} placeholders positionally, or {key} from a dict second argument.")
def format_(template: Any = None, *args: Any) -> str:
    t = s(template)
    if args and type(args[0]) is dict:
        return _format_named(t, args[0])
    out: list[str] = []
    pos = 0
    i = 0
    n = len(args)
    while True:
        j = t.find("{}", pos)
        if j < 0 or i >= n:
            break
        out.append(t[pos:j])
        out.append(display(args[i]))
        i += 1
        pos = j + 2
    out.append(t[pos:])
    return "".join(out)


def _format_named(t: str, d: dict[str, Any]) -> str:
    out: list[str] = []
    pos = 0
    while True:
        j = t.find("{", pos)
        if j < 0:
            break
        k = t.find("}", j + 1)
        if k < 0:
            break
        key = t[j + 1 : k]
        out.append(t[pos:j])
        if key in d:
            out.append(display(d[key]))
        else:
            out.append(t[j : k + 1])
        pos = k + 1
    out.append(t[pos:])
    return "".join(out)


@builtin("trim", "(s: ~str) -> string", "Remove whitespace at both ends.")
def trim(v: Any = None, *_: Any) -> str:
    return s(v).strip(WHITESPACE)


@builtin("lowercase", "(s: ~str) -> string", "Unicode lowercase.")
def lowercase(v: Any = None, *_: Any) -> str:
    return s(v).lower()


@builtin("uppercase", "(s: ~str) -> string", "Unicode uppercase.")
def uppercase(v: Any = None, *_: Any) -> str:
    return s(v).upper()


@builtin("split", "(s: ~str, sep?: ~str = \" \") -> list<string>",
         "Split on every occurrence of sep (default one space).")
def split(v: Any = None, sep: Any = None, *_: Any) -> list[str]:
    return split_string(s(v), s_or(sep, " "))


@builtin("starts_with", "(s: ~str, affix: ~str) -> bool", "Prefix test.")
def starts_with(v: Any = None, affix: Any = None, *_: Any) -> bool:
    return s(v).startswith(s(affix))


@builtin("ends_with", "(s: ~str, affix: ~str) -> bool", "Suffix test.")
def ends_with(v: Any = None, affix: Any = None, *_: Any) -> bool:
    return s(v).endswith(s(affix))


@builtin("contains", "(hay: any, needle: any) -> bool",
         "Substring test on a string, element == test on a list; false otherwise.")
def contains(hay: Any = None, needle: Any = None, *_: Any) -> bool:
    t = type(hay)
    if t is str:
        return s(needle) in hay
    if t is list:
        from vm.runtime.ops import contains as in_op

        return in_op(hay, needle)
    return False


@builtin("replace", "(s: ~str, old: ~str, new: ~str) -> string",
         "Replace every occurrence of old by new.")
def replace(v: Any = None, old: Any = None, new: Any = None, *_: Any) -> str:
    return s_or(v, "").replace(s_or(old, ""), s_or(new, ""))


@builtin("join", "(items: list, sep?: ~str = \"\") -> string",
         "Display forms of the items joined by sep.")
def join(items: Any = None, sep: Any = None, *_: Any) -> str:
    if type(items) is not list:
        return ""
    return s_or(sep, "").join([x if type(x) is str else display(x) for x in items])


@builtin("substring", "(s: ~str, start: int, length?: int) -> string",
         "length characters from start (to the end without length).")
def substring(v: Any = None, start: Any = None, length: Any = None, *_: Any) -> str:
    text = s(v)
    n = len(text)
    a = start if type(start) is int else 0
    a = 0 if a < 0 else (n if a > n else a)
    if type(length) is not int:
        return text[a:]
    count = min(max(length, 0), n - a)
    return text[a : a + count]


@builtin("title_case", "(s: ~str) -> string",
         "Uppercase the first character of each word, lowercase the rest.")
def title_case(v: Any = None, *_: Any) -> str:
    out: list[str] = []
    at_start = True
    for c in s(v):
        if c in _WS_SET:
            out.append(c)
            at_start = True
        else:
            out.append(c.upper() if at_start else c.lower())
            at_start = False
    return "".join(out)


@builtin("uppercase_first", "(s: ~str) -> string", "Uppercase the first character only.")
def uppercase_first(v: Any = None, *_: Any) -> str:
    t = s(v)
    return t[:1].upper() + t[1:]


@builtin("lowercase_first", "(s: ~str) -> string", "Lowercase the first character only.")
def lowercase_first(v: Any = None, *_: Any) -> str:
    t = s(v)
    return t[:1].lower() + t[1:]


def _cap(word: str) -> str:
    w = word.lower()
    return w[:1].upper() + w[1:]


def _camel(words: list[str]) -> str:
    if not words:
        return ""
    return words[0].lower() + "".join(_cap(w) for w in words[1:])


def _words(v: Any, sep: str) -> list[str]:
    return [w for w in s(v).split(sep) if w]


@builtin("snake_to_camel", "(s: ~str) -> string", "snake_case to camelCase.")
def snake_to_camel(v: Any = None, *_: Any) -> str:
    return _camel(_words(v, "_"))


@builtin("snake_to_pascal", "(s: ~str) -> string", "snake_case to PascalCase.")
def snake_to_pascal(v: Any = None, *_: Any) -> str:
    return "".join(_cap(w) for w in _words(v, "_"))


@builtin("snake_to_kebab", "(s: ~str) -> string", "snake_case to kebab-case.")
def snake_to_kebab(v: Any = None, *_: Any) -> str:
    return "-".join(w.lower() for w in _words(v, "_"))


@builtin("kebab_to_camel", "(s: ~str) -> string", "kebab-case to camelCase.")
def kebab_to_camel(v: Any = None, *_: Any) -> str:
    return _camel(_words(v, "-"))


@builtin("kebab_to_snake", "(s: ~str) -> string", "kebab-case to snake_case.")
def kebab_to_snake(v: Any = None, *_: Any) -> str:
    return "_".join(w.lower() for w in _words(v, "-"))


def camel_words(text: str) -> list[str]:
    """Split camelCase/PascalCase text into lowercased words (acronyms kept together)."""
    words: list[str] = []
    cur: list[str] = []
    n = len(text)
    for i, c in enumerate(text):
        if i > 0 and c.isupper():
            prev = text[i - 1]
            nxt = text[i + 1] if i + 1 < n else ""
            if prev.islower() or prev in "0123456789" or (prev.isupper() and nxt.islower()):
                words.append("".join(cur))
                cur = []
        cur.append(c.lower())
    if cur:
        words.append("".join(cur))
    return words


@builtin("camel_to_snake", "(s: ~str) -> string", "camelCase to snake_case.")
def camel_to_snake(v: Any = None, *_: Any) -> str:
    return "_".join(camel_words(s(v)))


@builtin("pascal_to_snake", "(s: ~str) -> string", "PascalCase to snake_case.")
def pascal_to_snake(v: Any = None, *_: Any) -> str:
    return "_".join(camel_words(s(v)))


@builtin("camel_to_kebab", "(s: ~str) -> string", "camelCase to kebab-case.")
def camel_to_kebab(v: Any = None, *_: Any) -> str:
    return "-".join(camel_words(s(v)))


@builtin("pascal_to_camel", "(s: ~str) -> string", "Lowercase the first character.")
def pascal_to_camel(v: Any = None, *_: Any) -> str:
    t = s(v)
    return t[:1].lower() + t[1:]


@builtin("camel_to_pascal", "(s: ~str) -> string", "Uppercase the first character.")
def camel_to_pascal(v: Any = None, *_: Any) -> str:
    t = s(v)
    return t[:1].upper() + t[1:]


# --------------------------------------------------------------------------- Tier 2


@builtin("unicode_normalize", "(s: ~str, form?: ~str = \"NFC\") -> string",
         "Unicode normalization (NFC, NFD, NFKC or NFKD).", "T2")
def unicode_normalize(v: Any = None, form: Any = None, *_: Any) -> str:
    import unicodedata

    from vm.runtime.errors import runtime_error

    f = s_or(form, "NFC").upper()
    if f not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise runtime_error("unicode_normalize: form must be NFC, NFD, NFKC, or NFKD")
    return unicodedata.normalize(f, s(v))  # type: ignore[arg-type]


def graphemes(text: str) -> list[str]:
    try:
        import regex  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - fallback without the regex package
        return _approx_graphemes(text)
    return regex.findall(r"\X", text)


def _approx_graphemes(text: str) -> list[str]:
    import unicodedata

    out: list[str] = []
    for c in text:
        if out and (unicodedata.combining(c) or c in "\u200d\ufe0f" or out[-1].endswith("\u200d")):
            out[-1] += c
        else:
            out.append(c)
    return out


@builtin("unicode_graphemes", "(s: ~str) -> list<string>",
         "Extended grapheme clusters of s.", "T2")
def unicode_graphemes(v: Any = None, *_: Any) -> list[str]:
    return graphemes(s(v))


@builtin("str_pad", "(s: ~str, width?: int = 0, fill?: ~str = \" \", side?: ~str = \"right\") "
         "-> string", "Pad to width graphemes on the left, right or both sides.", "T2")
def str_pad(v: Any = None, width: Any = None, fill: Any = None, side: Any = None, *_: Any
            ) -> str:
    from vm.runtime.errors import runtime_error

    text = s(v)
    sd = s_or(side, "right").lower()
    if sd not in ("left", "right", "both"):
        raise runtime_error("str_pad: side must be left, right, or both")
    w = width if type(width) is int else 0
    n = len(graphemes(text))
    if n >= w:
        return text
    f = graphemes(s_or(fill, " "))
    ch = f[0] if f else " "
    gap = w - n
    if sd == "left":
        return ch * gap + text
    if sd == "right":
        return text + ch * gap
    return ch * (gap // 2) + text + ch * (gap - gap // 2)


__all__ = ["WHITESPACE", "camel_words", "eq", "lines_of", "split_string"]
