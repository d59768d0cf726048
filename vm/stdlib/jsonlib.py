"""JSON builtins (stdlib.md §13.1, §13.2, §22, §24.5).

``json_parse`` is strict RFC 8259 (Python's decoder with NaN/Infinity
rejected), maps integral numbers that fit 64 bits to ints and every other
number to floats, and caches results by the exact input text (bounded,
cleared when full): values are immutable in Harn, so sharing is safe.

``json_stringify`` is compact with keys in code-point order. Floats use the
display digits without exponent and an integral float loses its ``.0``; a
non-finite float is an error (decision §24.5) rather than invalid JSON.
Structs become objects, sets arrays, ranges their display string, bytes
``{"$bytes_b64": ...}``, every other non-JSON value ``null``.
Called with fewer arguments than their fixed arity, these builtins throw
``"<name> requires N argument(s)"`` (§13.2); an explicit ``nil`` counts.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from vm.runtime.display import format_float
from vm.runtime.values import HRange, HSet, StructValue
from vm.stdlib.common import MISSING, display, s, throw
from vm.stdlib.registry import builtin
from vm.stdlib.strings import WHITESPACE

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)

# --------------------------------------------------------------------------- parse


def _parse_int(text: str) -> int | float:
    v = int(text)
    if INT_MIN <= v <= INT_MAX:
        return v
    return float(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_constant=_reject_constant)

_MESSAGES = (
    ("Expecting value", "expected value"),
    ("Extra data", "trailing characters"),
    ("Expecting property name enclosed in double quotes", "key must be a string"),
    ("Expecting ',' delimiter", "expected `,`"),
    ("Expecting ':' delimiter", "expected `:`"),
    ("Unterminated string", "EOF while parsing a string"),
    ("Invalid control character",
     "control character (\\u0000-\\u001F) found while parsing a string"),
    ("Invalid \\uXXXX escape", "invalid unicode code point"),
    ("Invalid \\escape", "invalid escape"),
)


class JsonSyntaxError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _detail(exc: json.JSONDecodeError) -> str:
    what = exc.msg
    for prefix, text in _MESSAGES:
        if exc.msg.startswith(prefix):
            what = text
            break
    if exc.pos >= len(exc.doc.rstrip(" \t\r\n")) and what in ("expected value", "expected `,`"):
        what = "EOF while parsing a value"
    return f"{what} at line {exc.lineno} column {exc.colno}"


def parse_json_text(text: str) -> Any:
    """Parse strict JSON; raises :class:`JsonSyntaxError` with a serde-like detail."""
    try:
        v = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(_detail(exc)) from None
    except ValueError as exc:  # NaN / Infinity constants
        raise JsonSyntaxError(f"expected value ({exc})") from None
    except RecursionError:
        raise JsonSyntaxError("recursion limit exceeded") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_surrogate(v):
        _reject_lone_surrogate(text)
    return v


# A \u escape of a UTF-16 surrogate. Python's decoder joins valid pairs and keeps
# lone halves as unencodable surrogate characters; strict JSON (serde) rejects them.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_CHAR = re.compile("[\ud800-\udfff]")


def _has_surrogate(v: Any) -> bool:
    t = type(v)
    if t is str:
        return _SURROGATE_CHAR.search(v) is not None
    if t is list:
        return any(_has_surrogate(x) for x in v)
    if t is dict:
        return any(_has_surrogate(k) or _has_surrogate(x) for k, x in v.items())
    return False


def _reject_lone_surrogate(text: str) -> None:
    """Raise the parse error for a lone surrogate (positioned at the first surrogate escape)."""
    m = _SURROGATE_ESCAPE.search(text)
    pos = m.end() if m is not None else len(text)
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1)
    raise JsonSyntaxError(f"lone surrogate in hex escape at line {line} column {col}")


_CACHE: dict[str, Any] = {}
_CACHE_MAX = 256


@builtin("json_parse", "(text: ~str) -> any", "Parse strict JSON text into Harn values.")
def json_parse(text: Any = MISSING, *_: Any) -> Any:
    if text is MISSING:
        raise throw("json_parse requires 1 argument")
    t = text if type(text) is str else display(text)
    try:
        return _CACHE[t]
    except KeyError:
        pass
    try:
        v = parse_json_text(t)
    except JsonSyntaxError as exc:
        raise throw("JSON parse error: " + exc.detail) from None
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[t] = v
    return v


# --------------------------------------------------------------------------- stringify

_ESCAPE_RE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    return _SHORT.get(c) or f"\\u{ord(c):04x}"


def quote(text: str) -> str:
    return '"' + _ESCAPE_RE.sub(_escape_char, text) + '"'


def json_float(x: float) -> str:
    if x != x or x in (float("inf"), float("-inf")):
        raise throw(f"json_stringify: cannot serialize non-finite float {format_float(x)}")
    r = format_float(x)
    return r[:-2] if r.endswith(".0") else r


def _encode(v: Any, out: list[str]) -> None:
    t = type(v)
    if t is str:
        out.append(quote(v))
    elif v is None:
        out.append("null")
    elif t is bool:
        out.append("true" if v else "false")
    elif t is int:
        out.append(str(v))
    elif t is float:
        out.append(json_float(v))
    elif t is list or t is HSet:
        out.append("[")
        first = True
        for x in v:
            if not first:
                out.append(",")
            first = False
            _encode(x, out)
        out.append("]")
    elif t is dict or t is StructValue:
        d = v if t is dict else v.fields
        out.append("{")
        first = True
        for k in sorted(d):
            if not first:
                out.append(",")
            first = False
            out.append(quote(k))
            out.append(":")
            _encode(d[k], out)
        out.append("}")
    elif t is bytes:
        out.append('{"$bytes_b64":' + quote(base64.b64encode(v).decode("ascii")) + "}")
    elif t is HRange:
        out.append(quote(display(v)))
    else:
        out.append("null")


def stringify(v: Any) -> str:
    out: list[str] = []
    _encode(v, out)
    return "".join(out)


@builtin("json_stringify", "(v: any) -> string", "Compact JSON text with keys in order.")
def json_stringify(v: Any = MISSING, *_: Any) -> str:
    if v is MISSING:
        raise throw("json_stringify requires 1 argument")
    return stringify(v)


# --------------------------------------------------------------------------- extract


def _balanced(text: str, open_c: str, close_c: str) -> str | None:
    start = text.find(open_c)
    while start >= 0:
        depth = 0
        in_str = False
        i = start
        n = len(text)
        while i < n:
            c = text[i]
            if in_str:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str = True
            elif c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    return text[start : i + 1]
            i += 1
        start = text.find(open_c, start + 1)
    return None


def _candidate(text: str) -> str:
    fence = text.find("```")
    if fence >= 0:
        nl = text.find("\n", fence + 3)
        if nl >= 0:
            close = text.find("```", nl + 1)
            if close >= 0:
                return text[nl + 1 : close].strip(WHITESPACE)
    for open_c, close_c in (("{", "}"), ("[", "]")):
        found = _balanced(text, open_c, close_c)
        if found is not None:
            return found
    return text


@builtin("json_extract", "(text: ~str, key?: ~str) -> any",
         "Parse the JSON embedded in prose (fenced block, first object, first array).")
def json_extract(text: Any = MISSING, key: Any = None, *_: Any) -> Any:
    if text is MISSING:
        raise throw("json_extract requires at least 1 argument: text")
    candidate = _candidate(s(text).strip(WHITESPACE))
    try:
        v = parse_json_text(candidate)
    except JsonSyntaxError as exc:
        raise throw("json_extract: failed to parse JSON: " + exc.detail) from None
    if key is None:
        return v
    if type(v) is not dict:
        raise throw("json_extract: parsed value is not a dict, cannot extract key")
    k = s(key)
    if k not in v:
        raise throw(f"json_extract: key '{k}' not found")
    return v[k]


# --------------------------------------------------------------------------- pointers (T2)


def _tokens(name: str, ptr: str) -> list[str]:
    if ptr == "":
        return []
    if not ptr.startswith("/"):
        raise throw(f"{name}: pointer must be empty or start with '/'")
    out = []
    for raw in ptr[1:].split("/"):
        tok = []
        i = 0
        while i < len(raw):
            c = raw[i]
            if c == "~":
                if i + 1 >= len(raw):
                    raise throw(f"{name}: dangling '~' in pointer")
                nxt = raw[i + 1]
                if nxt == "0":
                    tok.append("~")
                elif nxt == "1":
                    tok.append("/")
                else:
                    raise throw(f"{name}: invalid escape '~{nxt}' in pointer")
                i += 2
            else:
                tok.append(c)
                i += 1
        out.append("".join(tok))
    return out


def _index(tok: str) -> int | None:
    if tok == "0" or (tok.isdigit() and tok.isascii() and not tok.startswith("0")):
        return int(tok)
    return None


@builtin("json_pointer", "(v: any, ptr: ~str) -> any", "RFC 6901 read (nil on a miss).", "T2")
def json_pointer(v: Any = None, ptr: Any = MISSING, *_: Any) -> Any:
    if ptr is MISSING:
        raise throw("json_pointer requires 2 arguments")
    cur = v
    for tok in _tokens("json_pointer", s(ptr)):
        if type(cur) is dict:
            cur = cur.get(tok)
        elif type(cur) is list:
            i = _index(tok)
            if i is None or i >= len(cur):
                return None
            cur = cur[i]
        else:
            return None
    return cur


def _set_in(cur: Any, toks: list[str], new: Any) -> tuple[bool, Any]:
    tok = toks[0]
    last = len(toks) == 1
    if type(cur) is dict:
        if last:
            out = dict(cur)
            out[tok] = new
            return True, out
        if tok not in cur:
            return False, cur
        ok, child = _set_in(cur[tok], toks[1:], new)
        if not ok:
            return False, cur
        out = dict(cur)
        out[tok] = child
        return True, out
    if type(cur) is list:
        i = len(cur) if tok == "-" else _index(tok)
        if i is None or i > len(cur):
            return False, cur
        if last:
            out_l = list(cur)
            if i == len(cur):
                out_l.append(new)
            else:
                out_l[i] = new
            return True, out_l
        if i >= len(cur):
            return False, cur
        ok, child = _set_in(cur[i], toks[1:], new)
        if not ok:
            return False, cur
        out_l = list(cur)
        out_l[i] = child
        return True, out_l
    return False, cur


@builtin("json_pointer_set", "(v: any, ptr: ~str, new: any) -> any",
         "A copy with the pointer's target set.", "T2")
def json_pointer_set(v: Any = None, ptr: Any = None, new: Any = MISSING, *_: Any) -> Any:
    if new is MISSING:
        raise throw("json_pointer_set requires 3 arguments")
    toks = _tokens("json_pointer_set", s(ptr))
    if not toks:
        return new
    return _set_in(v, toks, new)[1]


def _delete_in(cur: Any, toks: list[str]) -> Any:
    tok = toks[0]
    last = len(toks) == 1
    if type(cur) is dict:
        if tok not in cur:
            return cur
        out = dict(cur)
        if last:
            del out[tok]
        else:
            out[tok] = _delete_in(cur[tok], toks[1:])
        return out
    if type(cur) is list:
        i = _index(tok)
        if i is None or i >= len(cur):
            return cur
        out_l = list(cur)
        if last:
            del out_l[i]
        else:
            out_l[i] = _delete_in(cur[i], toks[1:])
        return out_l
    return cur


@builtin("json_pointer_delete", "(v: any, ptr: ~str) -> any",
         "A copy with the pointer's target removed.", "T2")
def json_pointer_delete(v: Any = None, ptr: Any = MISSING, *_: Any) -> Any:
    if ptr is MISSING:
        raise throw("json_pointer_delete requires 2 arguments")
    toks = _tokens("json_pointer_delete", s(ptr))
    if not toks:
        return None
    return _delete_in(v, toks)


# --------------------------------------------------------------------------- std/json.pretty


def _pretty(v: Any, depth: int, out: list[str]) -> None:
    t = type(v)
    if t is list or t is HSet:
        items = list(v)
        if not items:
            out.append("[]")
            return
        pad = "\n" + "  " * (depth + 1)
        out.append("[")
        for i, x in enumerate(items):
            out.append(("," if i else "") + pad)
            _pretty(x, depth + 1, out)
        out.append("\n" + "  " * depth + "]")
    elif t is dict or t is StructValue:
        d = v if t is dict else v.fields
        if not d:
            out.append("{}")
            return
        pad = "\n" + "  " * (depth + 1)
        out.append("{")
        for i, k in enumerate(sorted(d)):
            out.append(("," if i else "") + pad + quote(k) + ": ")
            _pretty(d[k], depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        _encode(v, out)


@builtin("__json_pretty", "(v: any) -> string",
         "Native std/json.pretty: JSON indented with 2 spaces, keys in order.", internal=True)
def json_pretty(v: Any = None, *_: Any) -> str:
    out: list[str] = []
    _pretty(v, 0, out)
    return "".join(out)
