"""``jq`` and ``jq_first`` (stdlib.md §13.2): a jq subset over Harn values, Tier 2.

The expression is parsed once (recursive descent, cached by text, bounded)
into a tree of Python closures; each takes an input value and returns the
list of values it emits. Grammar, loosest first::

    pipe   := comma ('|' pipe)?
    comma  := or (',' or)*
    or     := and ('or' and)*
    and    := cmp ('and' cmp)*
    cmp    := 'not' cmp? | post (('==' | '!=' | '<' | '>' | '<=' | '>=') post)?
    post   := primary ('.' NAME | '.' STRING | '[' ']' | '[' pipe ']' | '[' pipe? ':' pipe? ']')*
    primary:= '.' | '..' | '.' NAME | '.' STRING | '.[' ... | literal | '(' pipe ')'
            | '[' pipe? ']' | '{' (key (':' or)?) ,* '}' | length | keys | values | type
            | map '(' pipe ')' | select '(' pipe ')'

Semantics follow jq: a missing field (or a field of ``null`` or of a
non-object) is ``null``; ``.[]`` iterates list elements, dict values in key
order (A7) and set elements (anything else emits nothing); ``..`` is the
pre-order walk; indexes may be negative; slices clamp. Truthiness is jq's
(only ``false`` and ``null`` are false); ``==`` is Harn equality; ``<``/``>``
order only two numbers or two strings (any other pair is ``false``). A
binary operator over several emitted values takes the cartesian product,
right operand outermost, as jq does. ``values`` gives a dict's values in key
order, a list itself, and otherwise jq's ``select(. != null)``. ``type``
names are jq's (``null boolean number string array object``; sets are arrays,
struct instances objects). Syntax errors throw ``jq: ...``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from vm.runtime.compare import eq
from vm.runtime.values import HSet, StructValue
from vm.stdlib.common import MISSING, s, throw, type_of
from vm.stdlib.registry import builtin

Filter = Callable[[Any], list[Any]]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\.\.|==|!=|<=|>=|[.\[\](){}|,:<>-])
    )""",
    re.VERBOSE,
)
_WS = re.compile(r"\s*")
_KEYWORDS = {"length", "keys", "values", "type", "map", "select", "not", "and", "or",
             "true", "false", "null"}  # fmt: skip


class _Parser:
    """Recursive descent over the token regex; ``pos`` is the next unread character."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- tokens

    def peek(self) -> tuple[str, str] | None:
        m = _TOKEN.match(self.text, self.pos)
        if m is None or m.lastgroup is None:
            return None
        return m.lastgroup, m.group(m.lastgroup)

    def take(self) -> tuple[str, str]:
        m = _TOKEN.match(self.text, self.pos)
        if m is None or m.lastgroup is None:
            raise self.unexpected()
        self.pos = m.end()
        return m.lastgroup, m.group(m.lastgroup)

    def at(self, op: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] != "str" and tok[1] == op

    def expect(self, op: str) -> None:
        if not self.at(op):
            raise self.unexpected()
        self.take()

    def adjacent(self, c: str) -> bool:
        """True when the very next character (no whitespace) is ``c``."""
        return self.text.startswith(c, self.pos)

    def unexpected(self) -> Exception:
        rest = self.text[_WS.match(self.text, self.pos).end() :]  # type: ignore[union-attr]
        if not rest:
            return throw("jq: unexpected end of input")
        return throw(f"jq: unexpected input near '{rest}'")

    # -- grammar

    def program(self) -> Filter:
        f = self.pipe()
        if _WS.match(self.text, self.pos).end() != len(self.text):  # type: ignore[union-attr]
            raise self.unexpected()
        return f

    def pipe(self) -> Filter:
        left = self.comma()
        if not self.at("|"):
            return left
        self.take()
        right = self.pipe()
        return lambda v: [y for x in left(v) for y in right(x)]

    def comma(self) -> Filter:
        parts = [self.or_()]
        while self.at(","):
            self.take()
            parts.append(self.or_())
        if len(parts) == 1:
            return parts[0]
        return lambda v: [y for p in parts for y in p(v)]

    def or_(self) -> Filter:
        left = self.and_()
        while self.at("or"):
            self.take()
            left = _logic(left, self.and_(), False)
        return left

    def and_(self) -> Filter:
        left = self.cmp()
        while self.at("and"):
            self.take()
            left = _logic(left, self.cmp(), True)
        return left

    def cmp(self) -> Filter:
        if self.at("not"):
            self.take()
            tok = self.peek()
            if tok is None or (tok[0] == "op" and tok[1] in "|,)]}:") or tok[1] in ("and", "or"):
                inner: Filter = _identity
            else:
                inner = self.cmp()
            return lambda v: [not _truthy(x) for x in inner(v)]
        left = self.post()
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in _COMPARE:
            self.take()
            return _binary(left, self.post(), _COMPARE[tok[1]])
        return left

    def post(self) -> Filter:
        f = self.primary()
        while True:
            if self.at("."):
                save = self.pos
                self.take()
                if self.adjacent("["):
                    self.take()
                    f = self.bracket(f)
                    continue
                tok = self.peek()
                if tok is not None and tok[0] in ("name", "str") and self.adjacent(tok[1][0]):
                    self.take()
                    f = _then(f, _field(_name_of(tok)))
                    continue
                self.pos = save
                raise self.unexpected()
            if self.at("["):
                self.take()
                f = self.bracket(f)
                continue
            return f

    def bracket(self, base: Filter) -> Filter:
        """After ``[``: ``]`` iterates, ``i]`` indexes, ``a:b]`` slices (either side optional)."""
        if self.at("]"):
            self.take()
            return _then(base, _iterate)
        lo: Filter | None = None if self.at(":") else self.pipe()
        if self.at(":"):
            self.take()
            hi = None if self.at("]") else self.pipe()
            self.expect("]")
            return _then(base, _slicer(lo, hi))
        self.expect("]")
        assert lo is not None
        return _then(base, _indexer(lo))

    def primary(self) -> Filter:
        tok = self.peek()
        if tok is None:
            raise self.unexpected()
        kind, text = tok
        if kind == "op":
            if text == ".":
                self.take()
                if self.adjacent("["):
                    self.take()
                    return self.bracket(_identity)
                nxt = self.peek()
                if nxt is not None and nxt[0] in ("name", "str") and self.adjacent(nxt[1][0]):
                    self.take()
                    return _field(_name_of(nxt))
                return _identity
            if text == "..":
                self.take()
                return _recurse
            if text == "(":
                self.take()
                f = self.pipe()
                self.expect(")")
                return f
            if text == "[":
                self.take()
                if self.at("]"):
                    self.take()
                    return lambda v: [[]]
                inner = self.pipe()
                self.expect("]")
                return lambda v: [inner(v)]
            if text == "{":
                self.take()
                return self.obj()
            if text == "-":
                save = self.pos
                self.take()
                nxt = self.peek()
                if nxt is not None and nxt[0] == "num" and self.adjacent(nxt[1][0]):
                    self.take()
                    n = _number(nxt[1])
                    return lambda v: [-n]
                self.pos = save
            raise self.unexpected()
        if kind == "num":
            self.take()
            n = _number(text)
            return lambda v: [n]
        if kind == "str":
            self.take()
            lit = self.string(text)
            return lambda v: [lit]
        return self.word(text)

    def word(self, name: str) -> Filter:
        if name in ("and", "or", "not"):
            raise self.unexpected()
        if name not in _KEYWORDS:
            raise throw(f"jq: unknown identifier '{name}'")
        self.take()
        if name in ("true", "false", "null"):
            lit = {"true": True, "false": False, "null": None}[name]
            return lambda v: [lit]
        if name in ("map", "select"):
            self.expect("(")
            arg = self.pipe()
            self.expect(")")
            return _map(arg) if name == "map" else _select(arg)
        return _SIMPLE[name]

    def obj(self) -> Filter:
        entries: list[tuple[str, Filter]] = []
        while not self.at("}"):
            kind, text = self.take()
            if kind == "name":
                key = text
            elif kind == "str":
                key = self.string(text)
            else:
                self.pos -= len(text)
                raise self.unexpected()
            if self.at(":"):
                self.take()
                entries.append((key, self.or_()))
            else:
                entries.append((key, _field(key)))
            if not self.at(","):
                break
            self.take()
        self.expect("}")
        return _object(entries)

    def string(self, text: str) -> str:
        try:
            return json.loads(text)
        except ValueError:
            self.pos -= len(text)
            raise self.unexpected() from None


def _name_of(tok: tuple[str, str]) -> str:
    kind, text = tok
    return json.loads(text) if kind == "str" else text


def _number(text: str) -> int | float:
    if text.isdigit():
        return int(text)
    return float(text)


# --------------------------------------------------------------------------- evaluation


def _truthy(v: Any) -> bool:
    return v is not None and v is not False


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def _identity(v: Any) -> list[Any]:
    return [v]


def _then(f: Filter, g: Filter) -> Filter:
    if f is _identity:
        return g
    return lambda v: [y for x in f(v) for y in g(x)]


def _get(v: Any, key: str) -> Any:
    t = type(v)
    if t is dict:
        return v.get(key)
    if t is StructValue:
        return v.fields.get(key)
    return None


def _field(key: str) -> Filter:
    return lambda v: [_get(v, key)]


def _children(v: Any) -> list[Any]:
    t = type(v)
    if t is list:
        return v
    if t is dict:
        return [v[k] for k in sorted(v)]
    if t is HSet:
        return v.values()
    if t is StructValue:
        return [v.fields[k] for k in sorted(v.fields)]
    return []


def _iterate(v: Any) -> list[Any]:
    return list(_children(v))


def _recurse(v: Any) -> list[Any]:
    out: list[Any] = []
    stack = [v]
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(reversed(_children(x)))
    return out


def _index(v: Any, i: Any) -> Any:
    if type(i) is str:
        return _get(v, i)
    if not _is_num(i) or type(v) is not list or not math.isfinite(i):
        return None
    n = int(i // 1)
    if n < 0:
        n += len(v)
    return v[n] if 0 <= n < len(v) else None


def _indexer(idx: Filter) -> Filter:
    return lambda v: [_index(v, i) for i in idx(v)]


def _bound(b: Any, n: int, default: int, up: bool) -> int:
    if b is None:
        return default
    if not _is_num(b) or not math.isfinite(b):
        return default
    k = int(-(-b // 1)) if up else int(b // 1)
    if k < 0:
        k += n
    return min(max(k, 0), n)


def _slice(v: Any, lo: Any, hi: Any) -> Any:
    if type(v) not in (list, str):
        return None
    n = len(v)
    a = _bound(lo, n, 0, False)
    b = _bound(hi, n, n, True)
    return v[a:b] if a < b else v[:0]


def _slicer(lo: Filter | None, hi: Filter | None) -> Filter:
    def run(v: Any) -> list[Any]:
        his = hi(v) if hi is not None else [None]
        los = lo(v) if lo is not None else [None]
        return [_slice(v, a, b) for b in his for a in los]

    return run


def _binary(left: Filter, right: Filter, op: Callable[[Any, Any], bool]) -> Filter:
    return lambda v: [op(a, b) for b in right(v) for a in left(v)]


def _ordered(a: Any, b: Any) -> bool:
    return (_is_num(a) and _is_num(b) and type(a) is not bool and type(b) is not bool) or (
        type(a) is str and type(b) is str
    )


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": eq,
    "!=": lambda a, b: not eq(a, b),
    "<": lambda a, b: _ordered(a, b) and a < b,
    ">": lambda a, b: _ordered(a, b) and a > b,
    "<=": lambda a, b: _ordered(a, b) and a <= b,
    ">=": lambda a, b: _ordered(a, b) and a >= b,
}


def _logic(left: Filter, right: Filter, is_and: bool) -> Filter:
    def run(v: Any) -> list[Any]:
        out: list[Any] = []
        for a in left(v):
            if _truthy(a) != is_and:  # decided by the left side
                out.append(not is_and)
            else:
                out.extend(_truthy(b) for b in right(v))
        return out

    return run


def _map(f: Filter) -> Filter:
    return lambda v: [[y for x in _children(v) for y in f(x)]]


def _select(c: Filter) -> Filter:
    return lambda v: [v for x in c(v) if _truthy(x)]


def _object(entries: list[tuple[str, Filter]]) -> Filter:
    def run(v: Any) -> list[Any]:
        results: list[dict[str, Any]] = [{}]
        for key, f in entries:
            vals = f(v)
            results = [{**r, key: x} for r in results for x in vals]
        return results

    return run


def _length(v: Any) -> list[Any]:
    t = type(v)
    if t in (str, list, dict, HSet):
        return [len(v)]
    return [0 if v is None else 1]


def _keys(v: Any) -> list[Any]:
    t = type(v)
    if t is dict:
        return [sorted(v)]
    if t is StructValue:
        return [sorted(v.fields)]
    if t is list:
        return [list(range(len(v)))]
    return [None]


def _values(v: Any) -> list[Any]:
    t = type(v)
    if t is dict or t is StructValue:
        return [_children(v)]
    if t is list:
        return [v]
    return [] if v is None else [v]


_JQ_TYPES = {"nil": "null", "bool": "boolean", "int": "number", "float": "number",
             "string": "string", "list": "array", "set": "array", "dict": "object",
             "struct": "object"}  # fmt: skip


def _type(v: Any) -> list[Any]:
    t = type_of(v)
    return [_JQ_TYPES.get(t, t)]


_SIMPLE: dict[str, Filter] = {"length": _length, "keys": _keys, "values": _values, "type": _type}

# --------------------------------------------------------------------------- builtins

_CACHE: dict[str, Filter] = {}
_CACHE_MAX = 128


def compile_jq(expr: str) -> Filter:
    """The compiled filter for ``expr`` (cached); throws ``jq: ...`` on a syntax error."""
    f = _CACHE.get(expr)
    if f is None:
        try:
            f = _Parser(expr).program()
        except RecursionError:
            raise throw("jq: expression nested too deeply") from None
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[expr] = f
    return f


def _run(name: str, v: Any, expr: Any) -> list[Any]:
    if v is MISSING or expr is MISSING:
        raise throw(f"{name} requires 2 arguments")
    f = compile_jq(s(expr))
    try:
        return f(v)
    except RecursionError:
        raise throw("jq: value nested too deeply") from None


@builtin("jq", "(v: any, expr: ~str) -> list",
         "Evaluate a jq-subset expression: every emitted value.", "T2")
def jq(v: Any = MISSING, expr: Any = MISSING, *_: Any) -> list[Any]:
    return _run("jq", v, expr)


@builtin("jq_first", "(v: any, expr: ~str) -> any",
         "The first value a jq expression emits, or nil.", "T2")
def jq_first(v: Any = MISSING, expr: Any = MISSING, *_: Any) -> Any:
    out = _run("jq_first", v, expr)
    return out[0] if out else None
