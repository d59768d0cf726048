"""YAML builtins (stdlib.md §13.4, Tier 2): ``yaml_parse`` and ``yaml_stringify``.

The parser reads the block/flow subset of YAML 1.2 that configuration files
use: block mappings and sequences (a sequence may sit at its key's indentation),
flow ``[...]`` / ``{...}`` collections (also across lines), plain, single- and
double-quoted scalars (plain and quoted scalars may continue on more-indented
lines, folded with spaces), literal ``|`` and folded ``>`` block scalars with
chomping (``-``/``+``) and indentation indicators, comments, ``&anchor`` /
``*alias``, a leading ``---`` and a final ``...``. Plain scalars resolve by the
core schema: ``null ~`` and empty → nil, ``true/false`` (three casings) → bool,
decimal/``0x``/``0o`` ints that fit 64 bits → int, decimals, exponents and
``.inf``/``.nan`` → float, anything else → string. Keys are strings (their
source text). Duplicate keys: last wins. Failures are ``throw "YAML parse
error: <what> at line L column C"``; tags, complex keys and several documents
are rejected.

The printer writes block style with keys in order (A7): nested mappings
indented by two spaces, sequences inside a mapping at the key's indentation
(``key:\\n- a``), ``[]``/``{}`` for empty collections, ``null``, ``.inf``,
``.nan``. A string is plain unless it would read back as something else or
contains indicator characters; then single-quoted, or double-quoted with
escapes when it holds control characters (newlines included). Values map as
``json_stringify`` maps them (sets → sequences, structs → mappings, bytes →
``{$bytes_b64: ...}``, ranges → their display string, other values → null).
The output ends with a newline.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from vm.runtime.display import format_float
from vm.runtime.values import HRange, HSet, StructValue
from vm.stdlib.common import MISSING, display, s, throw
from vm.stdlib.registry import builtin

_INT_MAX = 2**63 - 1
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


class YamlError(Exception):
    def __init__(self, what: str, line: int, col: int) -> None:
        super().__init__(f"{what} at line {line + 1} column {col + 1}")


def resolve_plain(text: str) -> Any:
    """Core-schema resolution of a plain scalar."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT_RE.match(text):
        v = int(text)
        return v if -_INT_MAX - 1 <= v <= _INT_MAX else float(v)
    if re.match(r"0x[0-9a-fA-F]+\Z", text):
        return int(text, 16)
    if re.match(r"0o[0-7]+\Z", text):
        return int(text[2:], 8)
    if _FLOAT_RE.match(text):
        return float(text)
    low = text.lstrip("+-")
    if low in (".inf", ".Inf", ".INF"):
        return float("-inf") if text[0] == "-" else float("inf")
    if text in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return text


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.i = 0
        self.anchors: dict[str, Any] = {}

    # ---------------------------------------------------------------- lines

    def fail(self, what: str, col: int = 0, line: int | None = None) -> YamlError:
        return YamlError(what, self.i if line is None else line, col)

    def content(self, k: int) -> tuple[int, str]:
        """Indentation and comment-stripped content of line ``k``."""
        raw = self.lines[k]
        body = raw.lstrip(" ")
        ind = len(raw) - len(body)
        if body.startswith("\t"):
            rest = body.lstrip(" \t")
            if rest and not rest.startswith("#"):
                raise YamlError("found a tab character that violates indentation", k, ind)
            body = rest
        return ind, _strip_comment(body).rstrip(" \t")

    def skip_blank(self) -> None:
        while self.i < len(self.lines):
            ind, body = self.content(self.i)
            if body:
                return
            self.i += 1

    def at_end(self) -> bool:
        self.skip_blank()
        return self.i >= len(self.lines)

    # ---------------------------------------------------------------- document

    def document(self) -> Any:
        self.skip_blank()
        if self.i < len(self.lines):
            ind, body = self.content(self.i)
            if body == "---" or body.startswith("--- "):
                rest = body[3:].strip()
                self.lines[self.i] = " " * 4 + rest if rest else ""
        value = None if self.at_end() else self.node(0)
        if not self.at_end():
            ind, body = self.content(self.i)
            if body == "...":
                self.i += 1
                if self.at_end():
                    return value
            elif body == "---" or body.startswith("--- "):
                raise self.fail("multiple documents are not supported", ind)
            raise self.fail("did not find expected key", ind)
        return value

    def node(self, min_indent: int) -> Any:
        """The block node starting at the next non-blank line, indented >= min_indent."""
        self.skip_blank()
        if self.i >= len(self.lines):
            return None
        ind, body = self.content(self.i)
        if ind < min_indent:
            return None
        if body == "-" or body.startswith("- "):
            return self.sequence(ind)
        if _key_split(body) is not None:
            return self.mapping(ind)
        return self.inline(ind, body, ind)

    def sequence(self, ind: int) -> list[Any]:
        out: list[Any] = []
        while not self.at_end():
            k_ind, body = self.content(self.i)
            if _doc_marker(k_ind, body):
                break
            if k_ind != ind or not (body == "-" or body.startswith("- ")):
                if k_ind > ind:
                    raise self.fail("bad indentation of a sequence entry", k_ind)
                break
            rest = body[1:].lstrip(" ")
            if not rest:
                self.i += 1
                out.append(self.node(ind + 1))
                continue
            # Re-read the item's text as a block indented past the dash.
            col = ind + (len(body) - len(rest))
            self.lines[self.i] = " " * col + rest
            out.append(self.node(col))
        return out

    def mapping(self, ind: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while not self.at_end():
            k_ind, body = self.content(self.i)
            if _doc_marker(k_ind, body):
                break
            if k_ind != ind:
                if k_ind > ind:
                    raise self.fail("mapping values are not allowed in this context", k_ind)
                break
            split = _key_split(body)
            if split is None:
                if body == "-" or body.startswith("- "):
                    break
                raise self.fail("could not find expected ':'", k_ind)
            key_text, rest = split
            key = self.key(key_text, k_ind)
            col = k_ind + len(body) - len(rest)
            out[key] = self.value_after_key(ind, rest, col)
        return out

    def key(self, text: str, col: int) -> str:
        if text[:1] in ("'", '"'):
            value, end = _quoted(text, 0, self, col)
            if text[end:].strip():
                raise self.fail("unexpected text after a quoted key", col + end)
            return value
        if text[:1] in ("[", "{", "?"):
            raise self.fail("complex mapping keys are not supported", col)
        return text

    def value_after_key(self, ind: int, rest: str, col: int) -> Any:
        anchor, rest = self.anchor(rest, col)
        if not rest:
            self.i += 1
            self.skip_blank()
            value = None
            if self.i < len(self.lines):
                n_ind, n_body = self.content(self.i)
                if n_ind > ind or (n_ind == ind and (n_body == "-" or n_body.startswith("- "))):
                    value = self.node(n_ind)
        else:
            value = self.inline(ind, rest, col)
        if anchor:
            self.anchors[anchor] = value
        return value

    def anchor(self, rest: str, col: int) -> tuple[str | None, str]:
        if rest.startswith("!"):
            raise self.fail("tags are not supported", col)
        if not rest.startswith("&"):
            return None, rest
        name, _, after = rest[1:].partition(" ")
        if not name:
            raise self.fail("did not find expected alphabetic or numeric character", col)
        return name, after.lstrip(" ")

    def inline(self, ind: int, text: str, col: int) -> Any:
        """A value written on the current line (maybe continuing below); consumes it."""
        anchor, text = self.anchor(text, col)
        if anchor and not text:
            value = self.node(ind + 1) if self.next_line() else None
            self.anchors[anchor] = value
            return value
        first = text[:1]
        if first == "*":
            self.i += 1
            name = text[1:]
            if name not in self.anchors:
                raise self.fail(f"unknown anchor '{name}'", col, self.i - 1)
            value = self.anchors[name]
        elif first in ("|", ">"):
            value = self.block_scalar(ind, text, col)
        elif first in ("[", "{"):
            value = self.flow(text, col)
        elif first in ("'", '"'):
            value = self.quoted_multiline(text, col)
        else:
            value = self.plain_multiline(ind, text)
        if anchor:
            self.anchors[anchor] = value
        return value

    def next_line(self) -> bool:
        self.i += 1
        return not self.at_end()

    # ---------------------------------------------------------------- scalars

    def plain_multiline(self, ind: int, text: str) -> Any:
        if text.startswith("? ") or text == "?":
            raise self.fail("complex mapping keys are not supported", 0)
        if text.startswith("- ") or text in ("-", ":") or text[:1] in "@`%":
            raise self.fail("found character that cannot start any token", 0)
        parts = [text]
        self.i += 1
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            n_ind, body = self.content(self.i)
            if not body:
                if raw.strip().startswith("#"):
                    break
                j = self.i
                while j < len(self.lines) and not self.content(j)[1]:
                    j += 1
                if j >= len(self.lines) or self.content(j)[0] <= ind:
                    break
                parts.append("\n" * (j - self.i))
                self.i = j
                continue
            if n_ind <= ind or _key_split(body) is not None:
                break
            parts.append(body)
            self.i += 1
        if len(parts) == 1:
            return resolve_plain(text)
        out = parts[0]
        for p in parts[1:]:
            out += p if p.startswith("\n") or out.endswith("\n") else " " + p
        return out

    def quoted_multiline(self, text: str, col: int) -> str:
        start = self.i
        buf = text
        while True:
            try:
                value, end = _quoted(buf, 0, self, col)
                break
            except _NeedMore:
                self.i += 1
                if self.i >= len(self.lines):
                    raise self.fail("found unexpected end of stream while scanning a quoted "
                                    "scalar", col, start) from None
                buf += "\n" + self.lines[self.i].strip(" ")
        tail = _strip_comment(buf[end:]).strip()
        if tail:
            raise self.fail("unexpected text after a quoted scalar", col + end)
        self.i += 1
        return value

    def block_scalar(self, ind: int, header: str, col: int) -> str:
        m = re.match(r"([|>])([-+]?)([1-9]?)([-+]?)\Z", header)
        if not m:
            raise self.fail("invalid block scalar header", col)
        folded = m.group(1) == ">"
        chomp = m.group(2) or m.group(4)
        explicit = int(m.group(3)) if m.group(3) else 0
        self.i += 1
        block_ind = ind + explicit if explicit else -1
        lines: list[str] = []
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            stripped = raw.lstrip(" ")
            lead = len(raw) - len(stripped)
            if not stripped:
                lines.append("")
                self.i += 1
                continue
            if block_ind < 0:
                if lead <= ind:
                    break
                block_ind = lead
            if lead < block_ind:
                break
            lines.append(raw[block_ind:])
            self.i += 1
        body_lines = list(lines)
        trailing = 0
        while body_lines and body_lines[-1].strip(" ") == "":
            body_lines.pop()
            trailing += 1
        if folded:
            text = _fold(body_lines)
        else:
            text = "\n".join(body_lines)
        if not body_lines:
            return "\n" * trailing if chomp == "+" else ""
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (trailing + 1)
        return text + "\n"

    # ---------------------------------------------------------------- flow

    def flow(self, text: str, col: int) -> Any:
        start = self.i
        buf = text
        while True:
            scanner = _Flow(buf, self, col, start)
            try:
                value = scanner.value()
                break
            except _NeedMore:
                self.i += 1
                if self.i >= len(self.lines):
                    raise self.fail("did not find expected ',' or ']'", col, start) from None
                buf += " " + self.content(self.i)[1]
        tail = buf[scanner.pos:].strip()
        if tail:
            raise self.fail("did not find expected key", col + scanner.pos)
        self.i += 1
        return value


class _NeedMore(Exception):
    pass


class _Flow:
    """Recursive descent over a flow collection held in one string."""

    def __init__(self, text: str, parser: _Parser, col: int, line: int) -> None:
        self.text, self.pos, self.p, self.col, self.line = text, 0, parser, col, line

    def ws(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1
        if self.pos >= len(self.text):
            raise _NeedMore
        return self.text[self.pos]

    def value(self) -> Any:
        c = self.ws()
        if c == "[":
            self.pos += 1
            out: list[Any] = []
            while True:
                c = self.ws()
                if c == "]":
                    self.pos += 1
                    return out
                out.append(self.item(",]"))
                self.separator("]")
        if c == "{":
            self.pos += 1
            d: dict[str, Any] = {}
            while True:
                c = self.ws()
                if c == "}":
                    self.pos += 1
                    return d
                key = self.scalar(":,}", key=True)
                v = None
                if self.ws() == ":":
                    self.pos += 1
                    v = None if self.ws() in ",}" else self.value()
                d[display(key) if not isinstance(key, str) else key] = v
                self.separator("}")
        return self.scalar(",]}", key=False)

    def separator(self, close: str) -> None:
        c = self.ws()
        if c == ",":
            self.pos += 1
        elif c != close:
            raise YamlError(f"did not find expected ',' or '{close}'", self.line,
                            self.col + self.pos)

    def item(self, stops: str) -> Any:
        v = self.value()
        if self.ws() == ":" and type(v) is str:  # single-pair mapping inside a sequence
            self.pos += 1
            return {v: None if self.ws() in ",]" else self.value()}
        return v

    def scalar(self, stops: str, key: bool) -> Any:
        c = self.ws()
        if c in ("'", '"'):
            value, end = _quoted(self.text, self.pos, self.p, self.col)
            self.pos = end
            return value
        if c == "*":
            start = self.pos + 1
            while self.pos < len(self.text) and self.text[self.pos] not in stops + " ":
                self.pos += 1
            name = self.text[start:self.pos]
            if name not in self.p.anchors:
                raise YamlError(f"unknown anchor '{name}'", self.line, self.col)
            return self.p.anchors[name]
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in ",[]{}":
                break
            if ch == ":" and (self.pos + 1 >= len(self.text) or self.text[self.pos + 1] in " ,]}"):
                break
            self.pos += 1
        if self.pos >= len(self.text):
            raise _NeedMore
        raw = self.text[start:self.pos].strip()
        if not raw and self.text[self.pos] in "[{" :
            raise YamlError("unexpected flow collection", self.line, self.col + self.pos)
        return raw if key else resolve_plain(raw)


def _quoted(text: str, pos: int, parser: _Parser, col: int) -> tuple[str, int]:
    """Decode the quoted scalar at ``text[pos]``: (value, index after the closing quote)."""
    q = text[pos]
    i = pos + 1
    out: list[str] = []
    while i < len(text):
        c = text[i]
        if c == q:
            if q == "'" and text[i + 1:i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), i + 1
        if c == "\n":  # a raw line break folds: one space, or one newline per empty line
            while out and out[-1] in (" ", "\t"):
                out.pop()
            blank = 0
            i += 1
            while i < len(text) and text[i] == "\n":
                blank += 1
                i += 1
            out.append("\n" * blank if blank else " ")
            continue
        if c == "\\" and q == '"':
            e = text[i + 1:i + 2]
            if e in _HEX_LEN:
                n = _HEX_LEN[e]
                digits = text[i + 2:i + 2 + n]
                if len(digits) != n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                    raise YamlError("found unknown escape character while parsing a quoted "
                                    "scalar", parser.i, col + i)
                out.append(chr(int(digits, 16)))
                i += 2 + n
                continue
            if e == "\n":  # an escaped line break joins the lines
                i += 2
                continue
            if e not in _ESCAPES:
                raise YamlError("found unknown escape character while parsing a quoted scalar",
                                parser.i, col + i)
            out.append(_ESCAPES[e])
            i += 2
            continue
        out.append(c)
        i += 1
    raise _NeedMore


def _fold(lines: list[str]) -> str:
    """Folded block scalar: single breaks between plain lines become spaces."""
    out: list[str] = []
    blanks = 0
    prev: str | None = None
    for ln in lines:
        if ln == "":
            blanks += 1
            continue
        if prev is None:
            out.append("\n" * blanks + ln)
        elif prev.startswith(" ") or ln.startswith(" "):
            out.append("\n" * (blanks + 1) + ln)
        else:
            out.append("\n" * blanks + ln if blanks else " " + ln)
        prev, blanks = ln, 0
    return "".join(out)


def _doc_marker(ind: int, body: str) -> bool:
    return ind == 0 and (body in ("---", "...") or body.startswith("--- "))


def _strip_comment(body: str) -> str:
    if body.startswith("#"):
        return ""
    quote = ""
    skip = False
    for k, c in enumerate(body):
        if skip:
            skip = False
        elif quote:
            if c == "\\" and quote == '"':
                skip = True
            elif c == quote and quote == "'" and body[k + 1:k + 2] == "'":
                skip = True
            elif c == quote:
                quote = ""
        elif c in ("'", '"') and (k == 0 or body[k - 1] in " [{,:-"):
            quote = c
        elif c == "#" and k > 0 and body[k - 1] in " \t":
            return body[:k]
    return body


def _key_split(body: str) -> tuple[str, str] | None:
    """(key text, rest) when ``body`` is a ``key: value`` line."""
    if body[:1] in ("'", '"'):
        q = body[0]
        k = 1
        while k < len(body):
            if body[k] == "\\" and q == '"':
                k += 2
                continue
            if body[k] == q:
                if q == "'" and body[k + 1:k + 2] == "'":
                    k += 2
                    continue
                break
            k += 1
        rest = body[k + 1:].lstrip(" ")
        if rest == ":" or rest.startswith(": "):
            return body[:k + 1], rest[1:].lstrip(" ")
        return None
    if body[:1] in ("[", "{", "|", ">", "*", "&", "!", "%", "@", "`", "?"):
        return None
    if body.startswith("- ") or body == "-":
        return None
    m = re.search(r":(?: |\Z)", body)
    if not m:
        return None
    key = body[:m.start()].rstrip(" ")
    if not key:
        return None
    return key, body[m.end():].lstrip(" ")


@builtin("yaml_parse", "(text: ~str) -> any", "Parse YAML text.", "T2")
def yaml_parse(text: Any = MISSING, *_: Any) -> Any:
    if text is MISSING:
        raise throw("yaml_parse requires 1 argument")
    try:
        return _Parser(s(text)).document()
    except YamlError as exc:
        raise throw(f"YAML parse error: {exc}") from None
    except RecursionError:
        raise throw("YAML parse error: recursion limit exceeded") from None


# --------------------------------------------------------------------------- stringify

_PLAIN_OK = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^\x00-\x1f\x7f]*\Z")


def _scalar(v: str) -> str:
    if re.search(r"[\x00-\x1f\x7f\x85\u2028\u2029]", v):
        return '"' + "".join(_dq_char(c) for c in v) + '"'
    plain = (_PLAIN_OK.match(v) is not None and v == v.strip()
             and ": " not in v and " #" not in v and not v.endswith(":")
             and resolve_plain(v) == v and type(resolve_plain(v)) is str)
    if not plain and v[:1] == "-" and len(v) > 1 and v[1] not in " " and resolve_plain(v) == v:
        plain = ": " not in v and " #" not in v and not v.endswith(":") and v == v.strip()
    if plain:
        return v
    return "'" + v.replace("'", "''") + "'"


_DQ = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", '"': '\\"', "\0": "\\0"}


def _dq_char(c: str) -> str:
    if c in _DQ:
        return _DQ[c]
    if ord(c) < 0x20 or c in "\x7f\x85\u2028\u2029":
        return f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
    return c


def _data(v: Any) -> Any:
    """The §13.1 mapping of a Harn value (as json_stringify maps it)."""
    t = type(v)
    if t in (str, int, float, bool) or v is None or t is list or t is dict:
        return v
    if t is HSet:
        return list(v)
    if t is StructValue:
        return v.fields
    if t is bytes:
        return {"$bytes_b64": base64.b64encode(v).decode("ascii")}
    if t is HRange:
        return display(v)
    return None


def _atom(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is int:
        return str(v)
    if type(v) is float:
        if v != v:
            return ".nan"
        if v in (float("inf"), float("-inf")):
            return ".inf" if v > 0 else "-.inf"
        r = format_float(v)
        return r if "." in r else r + ".0"
    return _scalar(v)


def _emit(v: Any, indent: int, out: list[str]) -> None:
    """Append the lines of a block collection (non-empty list or dict) at ``indent``."""
    pad = " " * indent
    if type(v) is list:
        for x in v:
            x = _data(x)
            if type(x) in (list, dict) and x:
                sub: list[str] = []
                _emit(x, indent + 2, sub)
                out.append(pad + "- " + sub[0][indent + 2:])
                out.extend(sub[1:])
            else:
                out.append(pad + "- " + _inline(x))
        return
    for k in sorted(v):
        x = _data(v[k])
        key = _scalar(k if type(k) is str else display(k))
        if type(x) is dict and x:
            out.append(f"{pad}{key}:")
            _emit(x, indent + 2, out)
        elif type(x) is list and x:
            out.append(f"{pad}{key}:")
            _emit(x, indent, out)
        else:
            out.append(f"{pad}{key}: {_inline(x)}")


def _inline(x: Any) -> str:
    if type(x) is list:
        return "[]"
    if type(x) is dict:
        return "{}"
    return _atom(x)


@builtin("yaml_stringify", "(v: any) -> string", "Serialise a value as YAML.", "T2")
def yaml_stringify(v: Any = MISSING, *_: Any) -> str:
    if v is MISSING:
        raise throw("yaml_stringify requires 1 argument")
    x = _data(v)
    if type(x) in (list, dict) and x:
        out: list[str] = []
        try:
            _emit(x, 0, out)
        except RecursionError:
            raise throw("yaml_stringify: value nested too deeply") from None
        return "\n".join(out) + "\n"
    return _inline(x) + "\n"
