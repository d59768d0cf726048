"""Templates (stdlib.md §21, Tier 2): render_string, render, render_prompt.

A template is text with ``{{ … }}`` blocks, compiled once per call into a
node tree and rendered against the bindings dict:

* ``{{ expr }}`` interpolates the display string of ``expr`` (``nil`` renders
  as nothing). ``expr`` is ``or``/``and``/``not`` over comparisons
  (``== != < > <= >=``, with ``==`` equality and A9 ordering) of filtered
  primaries; a primary is a string/number/``true``/``false``/``nil`` literal,
  a parenthesised expression or a path (``a.b``, ``a[0]``, ``a["k"]``,
  negative list indexes count from the end). A filter is ``| name``, with
  arguments as ``| name: a, b`` or ``| name(a, b)``.
* A bare path (no filter) whose first name is not bound renders as written
  (``{{name}}`` stays ``{{name}}``); anywhere else an unbound name is ``nil``,
  as is a missing key or index.
* ``{{ if c }}`` … ``{{ elif c }}`` … ``{{ else }}`` … ``{{ end }}`` (truthiness
  as in the language); ``{{ for x in xs }}`` … ``{{ else }}`` (for empty or
  ``nil`` input) … ``{{ end }}`` over lists, sets, ranges, strings (characters)
  and dicts (keys in order); ``{{ for k, v in d }}`` gives key and value of a
  dict, index and element of a list. Inside a loop, ``loop`` holds ``index``
  (from 1), ``index0``, ``first``, ``last``, ``length``. ``endif``/``endfor``
  are accepted for ``end``.
* ``{{ include "file" }}`` renders another file with the same bindings,
  relative to the including file's directory (the calling script's directory
  for ``render_string``); at most 32 nested includes.
* ``{{# … #}}`` is a comment, ``{{ raw }}…{{ endraw }}`` is literal text, and a
  ``-`` just inside a block (``{{-``, ``-}}``) removes the whitespace (newlines
  included) before / after it.

Filters: ``upper lower trim capitalize title`` (on display strings),
``length`` (characters or items, ``nil`` → 0), ``first last reverse`` (lists
and strings), ``join(sep = "")``, ``default(x)`` (for ``nil``), ``json``
(``json_stringify``), ``indent(n = 2)`` (prefixes every non-empty line after
the first, as Jinja does), ``lines`` (a list of lines), ``escape_md`` (a
backslash before each Markdown punctuation character) and ``replace(a, b)``.

Errors are ``throw "<builtin>: <detail> at line L"`` (line in the template
being compiled); a template file that cannot be read is ``throw "Failed to
read template <path>: <os error>"``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from vm.runtime.compare import eq
from vm.runtime.values import HRange, HSet, Pair, StructValue
from vm.stdlib.common import MISSING, display, s, throw, truthy
from vm.stdlib.env import source_dir
from vm.stdlib.files import _os_error
from vm.stdlib.jsonlib import stringify
from vm.stdlib.registry import builtin
from vm.stdlib.strings import WHITESPACE, lines_of


class TemplateError(Exception):
    def __init__(self, detail: str, line: int) -> None:
        super().__init__(f"{detail} at line {line}")


class _Undefined:
    __slots__ = ()


UNDEFINED: Any = _Undefined()
_MAX_INCLUDE = 32

# --------------------------------------------------------------------------- nodes


@dataclass(slots=True)
class Output:
    expr: Any
    raw: str
    bare: bool
    line: int


@dataclass(slots=True)
class If:
    branches: list[tuple[Any, list[Any]]]
    otherwise: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class For:
    names: list[str]
    expr: Any
    body: list[Any]
    otherwise: list[Any]
    line: int


@dataclass(slots=True)
class Include:
    expr: Any
    line: int


# --------------------------------------------------------------------------- lexing

_TOKEN = re.compile(r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>==|!=|<=|>=|[<>|:,.()\[\]]))""", re.X)
_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}
_ENDRAW = re.compile(r"\{\{(-?)\s*endraw\s*(-?)\}\}")


def _tokens(text: str, line: int) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise TemplateError(f"unexpected character '{text[pos:].strip()[0]}'", line)
        pos = m.end()
        if m.group("str"):
            body = m.group("str")[1:-1]
            out.append(("lit", re.sub(r"\\(.)", lambda e: _ESC.get(e.group(1), e.group(1)),
                                      body)))
        elif m.group("num"):
            n = m.group("num")
            out.append(("lit", float(n) if "." in n else int(n)))
        elif m.group("name"):
            out.append(("name", m.group("name")))
        else:
            out.append(("op", m.group("op")))
    return out


def _split_blocks(src: str) -> list[tuple[str, str, int]]:
    """Text and block pieces: ("text", s, line), ("tag", inner, line), ("out", raw...)."""
    pieces: list[tuple[str, str, int]] = []
    pos = 0
    line = 1
    trim_next = False
    while True:
        start = src.find("{{", pos)
        text = src[pos:] if start < 0 else src[pos:start]
        if trim_next:
            text = text.lstrip(WHITESPACE)
            trim_next = False
        if start >= 0 and src.startswith("{{-", start) and not src.startswith("{{-#", start):
            text = text.rstrip(WHITESPACE)
        if text:
            pieces.append(("text", text, line))
        if start < 0:
            return pieces
        line += src.count("\n", pos, start)
        if src.startswith("{{#", start) or src.startswith("{{-#", start):
            end = src.find("#}}", start + 3)
            if end < 0:
                raise TemplateError("unclosed comment", line)
            if src.startswith("{{-#", start) and pieces and pieces[-1][0] == "text":
                t = pieces.pop()
                if t[1].rstrip(WHITESPACE):
                    pieces.append((t[0], t[1].rstrip(WHITESPACE), t[2]))
            trim_next = src[end - 1] == "-"
            line += src.count("\n", start, end)
            pos = end + 3
            continue
        end = _close(src, start + 2, line)
        raw = src[start:end + 2]
        inner = raw[2:-2]
        trim_next = inner.endswith("-") and not inner.endswith("--") or inner == "-"
        inner = inner[1:] if inner.startswith("-") else inner
        inner = inner[:-1] if trim_next and inner.endswith("-") else inner
        inner = inner.strip()
        line_here = line
        line += src.count("\n", start, end)
        pos = end + 2
        if inner == "raw":
            m = _ENDRAW.search(src, pos)
            if not m:
                raise TemplateError("missing {{ endraw }}", line_here)
            body = src[pos:m.start()]
            if trim_next:
                body = body.lstrip(WHITESPACE)
            if m.group(1):
                body = body.rstrip(WHITESPACE)
            if body:
                pieces.append(("text", body, line))
            line += src.count("\n", pos, m.end())
            trim_next = bool(m.group(2))
            pos = m.end()
            continue
        pieces.append(("block", inner, line_here))
        pieces.append(("raw", raw, line_here))


def _close(src: str, pos: int, line: int) -> int:
    quote = ""
    i = pos
    while i < len(src):
        c = src[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif src.startswith("}}", i):
            return i
        i += 1
    raise TemplateError("unclosed '{{'", line)


# --------------------------------------------------------------------------- parsing

_KEYWORDS = {"if", "elif", "else", "end", "endif", "endfor", "for", "include", "endraw"}


class _Parser:
    def __init__(self, pieces: list[tuple[str, str, int]]) -> None:
        self.pieces = pieces
        self.i = 0

    def body(self, closers: tuple[str, ...]) -> tuple[list[Any], str, Any, int]:
        """Nodes up to a closing tag; returns (nodes, closer word, closer rest, line)."""
        nodes: list[Any] = []
        while self.i < len(self.pieces):
            kind, text, line = self.pieces[self.i]
            self.i += 1
            if kind == "text":
                nodes.append(text)
                continue
            raw = self.pieces[self.i][1]
            self.i += 1
            word, _, rest = text.partition(" ")
            word = word.strip()
            rest = rest.strip()
            if word in ("end", "endif", "endfor", "else", "elif"):
                if word not in closers:
                    raise TemplateError(f"unexpected '{{{{ {word} }}}}'", line)
                return nodes, word, rest, line
            if word == "if":
                nodes.append(self.if_block(rest, line))
            elif word == "for":
                nodes.append(self.for_block(rest, line))
            elif word == "include":
                nodes.append(Include(_Expr(rest, line).whole(), line))
            elif word == "endraw":
                raise TemplateError("unexpected '{{ endraw }}'", line)
            else:
                expr = _Expr(text, line)
                tree = expr.whole()
                nodes.append(Output(tree, raw, type(tree) is tuple and tree[0] == "path", line))
        if closers:
            raise TemplateError("missing '{{ end }}'", self.pieces[-1][2] if self.pieces else 1)
        return nodes, "", None, 0

    def if_block(self, cond: str, line: int) -> If:
        node = If([])
        ends = ("end", "endif", "else", "elif")
        test = _Expr(cond, line).whole()
        while True:
            try:
                nodes, word, rest, l2 = self.body(ends)
            except TemplateError as exc:
                if "missing" in str(exc):
                    raise TemplateError("missing '{{ end }}' for '{{ if }}'", line) from None
                raise
            node.branches.append((test, nodes))
            if word == "elif":
                test = _Expr(rest, l2).whole()
                continue
            if word == "else":
                node.otherwise, _w, _r, _l = self.body(("end", "endif"))
            return node

    def for_block(self, spec: str, line: int) -> For:
        m = re.fullmatch(r"([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\s+(.+)", spec, re.S)
        if not m:
            raise TemplateError("expected '{{ for x in items }}'", line)
        names = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        expr = _Expr(m.group(3), line).whole()
        try:
            body, word, _rest, _l = self.body(("end", "endfor", "else"))
            otherwise: list[Any] = []
            if word == "else":
                otherwise, _w, _r, _l = self.body(("end", "endfor"))
        except TemplateError as exc:
            if "missing" in str(exc):
                raise TemplateError("missing '{{ end }}' for '{{ for }}'", line) from None
            raise
        return For(names, expr, body, otherwise, line)


class _Expr:
    """Pratt-free recursive descent over one block's tokens; trees are tuples."""

    def __init__(self, text: str, line: int) -> None:
        self.toks = _tokens(text, line)
        self.k = 0
        self.line = line

    def peek(self) -> tuple[str, Any] | None:
        return self.toks[self.k] if self.k < len(self.toks) else None

    def take(self, kind: str, value: Any = None) -> bool:
        t = self.peek()
        if t and t[0] == kind and (value is None or t[1] == value):
            self.k += 1
            return True
        return False

    def fail(self) -> TemplateError:
        t = self.peek()
        if t is None:
            return TemplateError("unexpected end of expression", self.line)
        return TemplateError(f"unexpected token '{t[1]}'", self.line)

    def whole(self) -> Any:
        if not self.toks:
            raise TemplateError("empty block", self.line)
        tree = self.or_()
        if self.peek() is not None:
            raise self.fail()
        return tree

    def or_(self) -> Any:
        left = self.and_()
        while self.take("name", "or"):
            left = ("or", left, self.and_())
        return left

    def and_(self) -> Any:
        left = self.not_()
        while self.take("name", "and"):
            left = ("and", left, self.not_())
        return left

    def not_(self) -> Any:
        if self.take("name", "not"):
            return ("not", self.not_())
        left = self.filtered()
        t = self.peek()
        if t and t[0] == "op" and t[1] in ("==", "!=", "<", ">", "<=", ">="):
            self.k += 1
            return ("cmp", t[1], left, self.filtered())
        return left

    def filtered(self) -> Any:
        tree = self.primary()
        while self.take("op", "|"):
            t = self.peek()
            if not t or t[0] != "name":
                raise self.fail()
            self.k += 1
            args: list[Any] = []
            if self.take("op", "("):
                if not self.take("op", ")"):
                    args.append(self.or_())
                    while self.take("op", ","):
                        args.append(self.or_())
                    if not self.take("op", ")"):
                        raise self.fail()
            elif self.take("op", ":"):
                args.append(self.primary())
                while self.take("op", ","):
                    args.append(self.primary())
            if t[1] not in FILTERS:
                raise TemplateError(f"unknown filter '{t[1]}'", self.line)
            tree = ("filter", t[1], tree, args)
        return tree

    def primary(self) -> Any:
        t = self.peek()
        if t is None:
            raise self.fail()
        self.k += 1
        if t[0] == "lit":
            return ("lit", t[1])
        if t == ("op", "("):
            tree = self.or_()
            if not self.take("op", ")"):
                raise self.fail()
            return tree
        if t[0] == "name" and t[1] in ("true", "false", "nil"):
            return ("lit", {"true": True, "false": False, "nil": None}[t[1]])
        if t[0] != "name" or t[1] in ("and", "or", "not", "in") or t[1] in _KEYWORDS:
            self.k -= 1
            raise self.fail()
        steps: list[Any] = []
        while True:
            if self.take("op", "."):
                n = self.peek()
                if not n or n[0] not in ("name", "lit") or type(n[1]) is float:
                    raise self.fail()
                self.k += 1
                steps.append(("lit", n[1]))
            elif self.take("op", "["):
                steps.append(self.or_())
                if not self.take("op", "]"):
                    raise self.fail()
            else:
                return ("path", t[1], steps)


def compile_template(src: str) -> list[Any]:
    nodes, _w, _r, _l = _Parser(_split_blocks(src)).body(())
    return nodes


# --------------------------------------------------------------------------- evaluation


def _step(v: Any, key: Any) -> Any:
    t = type(v)
    if t is StructValue:
        v, t = v.fields, dict
    if t is dict:
        return v.get(key if type(key) is str else display(key))
    if t is list and type(key) is int:
        return v[key] if -len(v) <= key < len(v) else None
    if t is Pair and key in ("first", "second"):
        return v.first if key == "first" else v.second
    return None


def _less(a: Any, b: Any) -> bool:
    num = (int, float)
    if type(a) in num and type(b) in num and type(a) is not bool and type(b) is not bool:
        return a < b
    if type(a) is str and type(b) is str:
        return a < b
    return False


def _text(v: Any) -> str:
    return "" if v is None or v is UNDEFINED else (v if type(v) is str else display(v))


def _items(v: Any) -> list[Any]:
    t = type(v)
    if v is None or v is UNDEFINED:
        return []
    if t is list:
        return v
    if t is dict or t is StructValue:
        return sorted(v if t is dict else v.fields)
    if t is str:
        return list(v)
    if t is HSet or t is HRange:
        return list(v)
    raise TemplateError(f"cannot iterate over {display(v)}", 0)


def _length(v: Any, *_: Any) -> int:
    if v is None or v is UNDEFINED:
        return 0
    if type(v) in (str, list, dict, HSet):
        return len(v)
    if type(v) is StructValue:
        return len(v.fields)
    return len(_text(v))


def _end(v: Any, index: int) -> Any:
    if type(v) in (list, str):
        return v[index] if v else None
    return None


def _indent(v: Any, n: Any = 2, *_: Any) -> str:
    pad = " " * n if type(n) is int else _text(n)
    lines = _text(v).split("\n")
    return "\n".join([lines[0]] + [pad + ln if ln else ln for ln in lines[1:]])


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def _title(v: Any, *_: Any) -> str:
    return re.sub(r"\w+", lambda m: m.group().capitalize(), _text(v))


FILTERS: dict[str, Any] = {
    "upper": lambda v, *_: _text(v).upper(),
    "lower": lambda v, *_: _text(v).lower(),
    "trim": lambda v, *_: _text(v).strip(WHITESPACE),
    "capitalize": lambda v, *_: _text(v)[:1].upper() + _text(v)[1:].lower(),
    "title": _title,
    "length": _length,
    "first": lambda v, *_: _end(v, 0),
    "last": lambda v, *_: _end(v, -1),
    "reverse": lambda v, *_: v[::-1] if type(v) in (list, str) else v,
    "join": lambda v, sep="", *_: _text(sep).join(_text(x) for x in _items(v))
    if type(v) in (list, HSet) else _text(v),
    "default": lambda v, d=None, *_: d if v is None or v is UNDEFINED else v,
    "json": lambda v, *_: stringify(None if v is UNDEFINED else v),
    "indent": _indent,
    "lines": lambda v, *_: lines_of(_text(v)),
    "escape_md": lambda v, *_: _MD.sub(r"\\\1", _text(v)),
    "replace": lambda v, a="", b="", *_: _text(v).replace(_text(a), _text(b)),
}


@dataclass(slots=True)
class _Ctx:
    scopes: list[dict[str, Any]]
    directory: str
    depth: int
    name: str


def _eval(tree: Any, ctx: _Ctx) -> Any:
    op = tree[0]
    if op == "lit":
        return tree[1]
    if op == "path":
        for scope in reversed(ctx.scopes):
            if tree[1] in scope:
                v = scope[tree[1]]
                break
        else:
            return UNDEFINED
        for st in tree[2]:
            v = _step(v, _eval(st, ctx))
        return v
    if op == "filter":
        args = [_eval(a, ctx) for a in tree[3]]
        return FILTERS[tree[1]](_eval(tree[2], ctx), *args)
    if op == "not":
        return not truthy(_val(_eval(tree[1], ctx)))
    if op == "and":
        left = _val(_eval(tree[1], ctx))
        return _val(_eval(tree[2], ctx)) if truthy(left) else left
    if op == "or":
        left = _val(_eval(tree[1], ctx))
        return left if truthy(left) else _val(_eval(tree[2], ctx))
    a, b = _val(_eval(tree[2], ctx)), _val(_eval(tree[3], ctx))
    cmp = tree[1]
    if cmp == "==":
        return eq(a, b)
    if cmp == "!=":
        return not eq(a, b)
    if cmp == "<":
        return _less(a, b)
    if cmp == ">":
        return _less(b, a)
    if cmp == "<=":
        return _less(a, b) or eq(a, b)
    return _less(b, a) or eq(a, b)


def _val(v: Any) -> Any:
    return None if v is UNDEFINED else v


def _render(nodes: list[Any], ctx: _Ctx, out: list[str]) -> None:
    for node in nodes:
        if type(node) is str:
            out.append(node)
        elif type(node) is Output:
            v = _eval(node.expr, ctx)
            out.append(node.raw if v is UNDEFINED and node.bare else _text(v))
        elif type(node) is If:
            for test, body in node.branches:
                if truthy(_val(_eval(test, ctx))):
                    _render(body, ctx, out)
                    break
            else:
                _render(node.otherwise, ctx, out)
        elif type(node) is For:
            _render_for(node, ctx, out)
        else:
            _render_include(node, ctx, out)


def _render_for(node: For, ctx: _Ctx, out: list[str]) -> None:
    source = _val(_eval(node.expr, ctx))
    try:
        keys = _items(source)
    except TemplateError:
        raise TemplateError(f"cannot iterate over {display(source)}", node.line) from None
    if not keys:
        _render(node.otherwise, ctx, out)
        return
    is_map = type(source) in (dict, StructValue)
    values = source if type(source) is dict else getattr(source, "fields", None)
    n = len(keys)
    for i, k in enumerate(keys):
        loop = {"index": i + 1, "index0": i, "first": i == 0, "last": i == n - 1, "length": n}
        scope: dict[str, Any] = {"loop": loop}
        if len(node.names) == 1:
            scope[node.names[0]] = k
        elif is_map and values is not None:
            scope[node.names[0]], scope[node.names[1]] = k, values[k]
        else:
            scope[node.names[0]], scope[node.names[1]] = i, k
        ctx.scopes.append(scope)
        try:
            _render(node.body, ctx, out)
        finally:
            ctx.scopes.pop()


def _render_include(node: Include, ctx: _Ctx, out: list[str]) -> None:
    if ctx.depth >= _MAX_INCLUDE:
        raise TemplateError("include depth limit exceeded", node.line)
    rel = _text(_val(_eval(node.expr, ctx)))
    path = os.path.normpath(os.path.join(ctx.directory, rel))
    src = _read(path)
    nodes = compile_template(src)
    sub = _Ctx(ctx.scopes, os.path.dirname(path), ctx.depth + 1, ctx.name)
    _render(nodes, sub, out)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except OSError as exc:
        raise throw(f"Failed to read template {path}: {_os_error(exc)}") from None


def render_text(name: str, src: str, bindings: Any, directory: str) -> str:
    if type(bindings) is StructValue:
        bindings = bindings.fields
    if bindings is None or bindings is MISSING:
        bindings = {}
    if type(bindings) is not dict:
        raise throw(f"{name}: bindings must be a dict")
    out: list[str] = []
    try:
        _render(compile_template(src), _Ctx([bindings], directory, 0, name), out)
    except TemplateError as exc:
        raise throw(f"{name}: {exc}") from None
    except RecursionError:
        raise throw(f"{name}: template nested too deeply") from None
    return "".join(out)


@builtin("render_string", "(template: ~str, bindings?: dict) -> string",
         "Render an inline template.", "T2")
def render_string(template: Any = None, bindings: Any = None, *_: Any) -> str:
    return render_text("render_string", s(template), bindings, source_dir())


def _render_file(name: str, path: Any, bindings: Any) -> str:
    full = os.path.normpath(os.path.join(source_dir(), s(path)))
    return render_text(name, _read(full), bindings, os.path.dirname(full))


@builtin("render", "(path: ~str, bindings?: dict) -> string", "Render a template file.", "T2")
def render(path: Any = None, bindings: Any = None, *_: Any) -> str:
    return _render_file("render", path, bindings)


@builtin("render_prompt", "(path: ~str, bindings?: dict) -> string",
         "Render a template file.", "T2")
def render_prompt(path: Any = None, bindings: Any = None, *_: Any) -> str:
    return _render_file("render_prompt", path, bindings)
