"""Formatter layouts for expressions, types, parameters and binding patterns.

Every layout only puts a possible line break where spec §2.3 lets a
NEWLINE continue the construct:

- inside brackets (argument, list, dict, parameter and shape lists), one
  element per line with a trailing comma, except after a rest parameter
  (no comma and no break before ``)`` is allowed there);
- binary operators: after the operator, or before it for the leading
  operators ``&&`` and ``||`` (same-precedence chains are one group);
- pipes: before each ``|>`` (one stage per line);
- method chains with two or more calls: before each ``.name(...)``;
- ternaries: before ``:`` only (never around ``?``).

Never broken: type arguments and type parameters, binding patterns, closure
parameters (a NEWLINE before their closer is an error), ranges, unary
operators, subscripts. User parentheses are kept exactly: the parser's
``parens`` list (and ``Name.parenthesized``) says where they were.
"""

from __future__ import annotations

from lang import ast
from lang.fmt_cursor import Emitter
from lang.fmt_doc import INF, LINE, Group, Hug, IfBreak, Indent, measure
from lang.lexer import TokenArrays
from lang.parse_exprs import BINARY_PREC
from lang.tokens import IDENT, INT

LEADING_OPS = frozenset({"&&", "||"})
CHAIN_TYPES = (ast.Member, ast.MethodCall, ast.Index, ast.Slice, ast.TryPostfix)
HUG_LAST = (ast.Closure, ast.FnExpr)
HUG_ONLY = (ast.Closure, ast.FnExpr, ast.DictLit, ast.ListLit, ast.StructLit, ast.Match)


class ExprFormatter(Emitter):
    def __init__(self, text: str, tokens: TokenArrays, comments: list[ast.Comment],
                 parens: list[ast.Node], first_offset: int = 0) -> None:
        super().__init__(text, tokens, comments, first_offset)
        counts: dict[int, int] = {}
        for node in parens:
            counts[id(node)] = counts.get(id(node), 0) + 1
        self.paren_count = counts
        self._expr_of = {cls: getattr(self, fn.__name__) for cls, fn in self.EXPR.items()}

    # provided by the statement formatter
    def stmt_list(self, stmts: list, first_sep) -> list:  # pragma: no cover
        raise NotImplementedError

    def keyword_expr(self, e: ast.Expr, stmt_level: bool) -> object:  # pragma: no cover
        raise NotImplementedError

    # ------------------------------------------------------------ entry

    def expr(self, e: ast.Expr) -> object:
        t = type(e)
        if t is ast.Name:
            if not e.parenthesized:
                return self.tok()
        elif id(e) not in self.paren_count:
            return self._expr_of[t](e)
        n = self._parens(e)
        if n:
            opens = [self.tok("(") for _ in range(n)]
            if type(e) is ast.Name:
                inner = self.tok()
                return [*opens, inner, *[self.tok(")") for _ in range(n)]]
            first = self.softline()
            inner = self.EXPR[type(e)](self, e)
            last = self.softline()
            closes = [self.tok(")") for _ in range(n)]
            return Group([*opens, Indent([first, inner]), last, *closes])
        return self.EXPR[type(e)](self, e)

    def _parens(self, e: ast.Expr) -> int:
        if type(e) is ast.Name:
            if not e.parenthesized:
                return 0
            kinds = self.kinds
            j = self.i
            while kinds[j] == "(":
                j += 1
            return j - self.i if self.starts[j] == e.start else 0
        return self.paren_count.get(id(e), 0)

    def is_paren(self, e: ast.Expr) -> bool:
        if type(e) is ast.Name:
            return e.parenthesized
        return id(e) in self.paren_count

    def leaf(self, e: ast.Expr) -> object:
        return self.tok()

    def element(self, e: ast.Expr | ast.Spread) -> object:
        if type(e) is ast.Spread:
            return [self.tok("."), self.tok("."), self.tok("."), self.expr(e.expr)]
        return self.expr(e)

    # ------------------------------------------------------------ bracketed lists

    def seq(self, open_doc: object, items: list, fn, close: str, *, trailing: bool = True,
            pad: bool = False, hug: bool = False) -> object:
        """``open items close``: flat if it fits, else one item per line."""
        if not items:
            if not self.inner_comments():
                return [open_doc, self.tok(close)]
            inner = self.dangling()
            return Group([open_doc, Indent(inner), self.softline(), self.tok(close)])
        n = len(items)
        can_hug = hug and not self.inner_comments() and self._huggable(items)
        if can_hug:
            can_hug = not self.has_comment_in(self.prev_end, items[-1].start)
        parts: list = [self.line() if pad else self.softline()]
        docs: list = []
        kinds = self.kinds
        starts = self.starts
        last = n - 1
        for k, item in enumerate(items):
            if self.pending or self.ncs < starts[self.i]:
                parts.append(self.lead())
            d = fn(item)
            docs.append(d)
            parts.append(d)
            if kinds[self.i] == ",":
                parts.append(self.skip(","))
            if k < last:
                parts.append(",")
                parts.append(self.line() if self.pending else LINE)
        if trailing:
            parts.append(IfBreak(","))
        if can_hug and self.inner_comments():
            can_hug = False
        dang = self.dangling()
        if dang:
            parts.append(dang)
        if trailing:
            close_line = self.line() if pad else self.softline()
        else:
            close_line = ""
        close_doc = self.tok(close)
        group = Group([open_doc, Indent(parts), close_line, close_doc])
        if not can_hug:
            return group
        pre: list = [open_doc]
        for d in docs[:-1]:
            pre.append(d)
            pre.append(", ")
        pre_w = measure(pre)[0]
        hugged = [*pre, docs[-1], close_doc]
        return Hug(group, hugged, pre_w if pre_w < INF else INF, docs[-1])

    def _huggable(self, items: list) -> bool:
        last = items[-1]
        if self.is_paren(last):
            return False
        if type(last) in HUG_LAST:
            return True
        if len(items) == 1 and type(last) in HUG_ONLY:
            if type(last) is ast.Match:
                return bool(last.arms)
            return bool(getattr(last, "entries", None) or getattr(last, "elements", None))
        return False

    def args(self, args: list) -> object:
        return self.seq(self.tok("("), args, self.element, ")", hug=True)

    def inline_list(self, items: list, fn) -> list:
        """Items joined by ``, `` that never break (patterns, closure parameters)."""
        parts: list = []
        n = len(items)
        for k, item in enumerate(items):
            parts.append(fn(item))
            c = self.skip(",")
            if c:
                parts.append(c)
            if k < n - 1:
                parts.append(", ")
        return parts

    # ------------------------------------------------------------ literals

    def list_lit(self, e: ast.ListLit) -> object:
        return self.seq(self.tok("["), e.elements, self.element, "]")

    def dict_lit(self, e: ast.DictLit) -> object:
        return self.seq(self.tok("{"), e.entries, self.entry, "}")

    def struct_lit(self, e: ast.StructLit) -> object:
        name = self.tok(IDENT)
        return [name, " ", self.seq(self.tok("{"), e.entries, self.entry, "}")]

    def entry(self, e: ast.DictEntry | ast.Spread) -> object:
        if type(e) is ast.Spread:
            return self.element(e)
        if e.key_kind == "computed":
            key: object = [self.tok("["), self.expr(e.key), self.tok("]")]
        else:
            key = self.tok()
        return [key, self.tok(":"), " ", self.expr(e.value)]

    # ------------------------------------------------------------ functions

    def closure(self, e: ast.Closure) -> object:
        open_doc = self.tok("{")
        if e.params:
            header: list = [" ", self.inline_list(e.params, self.param), " ", self.tok("->")]
        else:
            header = [" ", self.tok("->")]
        return Group(self.braced(open_doc, header, e.body.stmts, True))

    def fn_expr(self, e: ast.FnExpr) -> object:
        fn = self.tok("fn")
        params = self.param_list(e.params)
        body = self.braced(self.tok("{"), [], e.body.stmts, True)
        return Group([fn, params, " ", body])

    def braced(self, open_doc: object, header: list, stmts: list, inline: bool) -> list:
        """``{ header stmts }``; ``inline`` lets one statement share the braces' line."""
        if not stmts and not self.inner_comments():
            return [open_doc, *header, " " if header else "", self.tok("}")]
        ln = self.line if inline else self.hardline
        body = self.stmt_list(stmts, ln)
        return [open_doc, *header, Indent(body), ln(), self.tok("}")]

    def param_list(self, params: list[ast.Param]) -> object:
        rest_last = bool(params) and params[-1].rest
        return self.seq(self.tok("("), params, self.param, ")", trailing=not rest_last)

    def param(self, p: ast.Param) -> object:
        parts: list = []
        if p.rest:
            parts += [self.tok("."), self.tok("."), self.tok(".")]
        parts.append(self.tok(IDENT))
        if p.type is not None:
            parts += [self.tok(":"), " ", self.type_(p.type)]
        if p.default is not None:
            parts += [" ", self.tok("="), " ", self.expr(p.default)]
        return parts

    # ------------------------------------------------------------ operators

    def unary(self, e: ast.Unary) -> object:
        op = self.tok(e.op)
        if e.op == "-" and self.peek_kind() == "-":
            return [op, " ", self.expr(e.operand)]  # `- -x`, not `--x`
        return [op, self.expr(e.operand)]

    def op_tok(self, op: str) -> object:
        if op == "not in":
            return [self.tok(IDENT), " ", self.tok("in")]
        return self.tok(op)

    def binary(self, e: ast.Binary) -> object:
        if e.op == "**":
            left = self.expr(e.left)
            op = self.tok("**")
            return Group([left, " ", op, Indent([self.line(), self.expr(e.right)])])
        prec = BINARY_PREC.get(e.op, 7)
        chain = [e]
        cur = e.left
        while (type(cur) is ast.Binary and cur.op != "**"
               and BINARY_PREC.get(cur.op, 7) == prec and not self.is_paren(cur)):
            chain.append(cur)
            cur = cur.left
        first = self.expr(cur)
        rest: list = []
        for b in reversed(chain):
            if b.op in LEADING_OPS:
                ln = self.line()
                rest += [ln, self.op_tok(b.op), " ", self.expr(b.right)]
            else:
                op = self.op_tok(b.op)
                rest += [" ", op, self.line(), self.expr(b.right)]
        return Group([first, Indent(rest)])

    def pipe(self, e: ast.Pipe) -> object:
        stages = [e]
        cur = e.left
        while type(cur) is ast.Pipe and not self.is_paren(cur):
            stages.append(cur)
            cur = cur.left
        first = self.expr(cur)
        rest: list = []
        for p in reversed(stages):
            ln = self.line()
            rest += [ln, self.tok("|>"), " ", self.expr(p.right)]
        return Group([first, Indent(rest)])

    def ternary(self, e: ast.Ternary) -> object:
        cond = self.expr(e.cond)
        q = self.tok("?")
        then = self.expr(e.then)
        ln = self.line()
        colon = self.tok(":")
        return Group([cond, " ", q, " ", then, Indent([ln, colon, " ", self.expr(e.else_)])])

    def range_expr(self, e: ast.RangeExpr) -> object:
        parts = [self.expr(e.lo), " ", self.tok("to"), " ", self.expr(e.hi)]
        if e.exclusive:
            parts += [" ", self.tok("exclusive")]
        return parts

    def try_star(self, e: ast.TryStar) -> object:
        return [self.tok("try"), self.tok("*"), " ", self.expr(e.operand)]

    # ------------------------------------------------------------ postfix chains

    def call(self, e: ast.Call) -> object:
        parts = [self.expr(e.callee)]
        if e.type_args:
            parts.append(self.type_args(e.type_args))
        parts.append(self.args(e.args))
        return parts

    def chain(self, e: ast.Expr) -> object:
        segs: list = []
        cur = e
        while isinstance(cur, CHAIN_TYPES) and (cur is e or not self.is_paren(cur)):
            segs.append(cur)
            cur = cur.operand if type(cur) is ast.TryPostfix else cur.obj  # type: ignore
        head = self.expr(cur)
        segs.reverse()
        breakable = sum(1 for s in segs if type(s) is ast.MethodCall) >= 2
        parts: list = []
        for s in segs:
            t = type(s)
            if t is ast.MethodCall:
                if breakable:
                    parts.append(self.softline())
                parts += [self.tok("?." if s.optional else "."), self.tok(), self.args(s.args)]
            elif t is ast.Member:
                parts += [self.tok("?." if s.optional else "."), self.tok()]
            elif t is ast.Index:
                if s.optional:
                    parts.append(self.tok("?"))
                parts += [self.tok("["), self.expr(s.index), self.tok("]")]
            elif t is ast.Slice:
                parts.append(self.tok("["))
                if s.lo is not None:
                    parts.append(self.expr(s.lo))
                parts.append(self.tok(":"))
                if s.hi is not None:
                    parts.append(self.expr(s.hi))
                parts.append(self.tok("]"))
            else:
                parts.append(self.tok("?"))
        if breakable:
            return Group([head, Indent(parts)])
        return [head, *parts]

    # ------------------------------------------------------------ types

    def type_(self, t: ast.TypeExpr) -> object:
        k = type(t)
        if k is ast.TypeName:
            name = self.tok()
            if t.args:
                return [name, self.type_args(t.args)]
            return name
        if k is ast.ListType:
            return [self.tok("["), self.type_(t.elem), self.tok("]")]
        if k is ast.ShapeType:
            return self.seq(self.tok("{"), t.fields, self.shape_field, "}")
        if k is ast.FnType:
            fn = self.tok("fn")
            params = self.seq(self.tok("("), t.params, self.type_, ")")
            return [fn, params, " ", self.tok("->"), " ", self.type_(t.ret)]
        if k is ast.LiteralType:
            if self.peek_kind() == "-":
                return [self.tok("-"), self.tok(INT)]
            return self.tok()
        if k is ast.UnionType:
            parts: list = [self.type_(t.members[0])]
            for m in t.members[1:]:
                parts += [" ", self.tok("|"), " ", self.type_(m)]
            return parts
        raise AssertionError(k)

    def shape_field(self, f: ast.ShapeField) -> object:
        parts = [self.tok()]
        if f.optional:
            parts.append(self.tok("?"))
        return [*parts, self.tok(":"), " ", self.type_(f.type)]

    def type_args(self, args: list) -> object:
        parts: list = [self.tok("<")]
        for k, a in enumerate(args):
            if k:
                parts += [self.tok(","), " "]
            parts.append(self.type_(a))
        parts.append(self.tok(">"))
        return parts

    def type_params(self, params: list[ast.TypeParam]) -> object:
        def one(p: ast.TypeParam) -> object:
            if p.variance:
                return [self.tok(), " ", self.tok(IDENT)]
            return self.tok(IDENT)

        return [self.tok("<"), self.inline_list(params, one), self.tok(">")]

    # ------------------------------------------------------------ binding patterns

    def pattern(self, p: ast.Pattern) -> object:
        k = type(p)
        if k is ast.NamePattern:
            return self.tok(IDENT)
        if k is ast.PairPattern:
            return [self.tok("("), self.tok(IDENT), self.tok(","), " ", self.tok(IDENT),
                    self.tok(")")]
        if k is ast.DictPattern:
            return self._collection_pattern("{", p.fields, self._dict_field, p.rest, "}")
        return self._collection_pattern("[", p.elements, self._list_elem, p.rest, "]")

    def _collection_pattern(self, open_kind: str, items: list, fn, rest: str | None,
                            close: str) -> object:
        parts: list = [self.tok(open_kind), self.inline_list(items, fn)]
        if rest is not None:
            if items:
                parts.append(", ")
            parts += [self.tok("."), self.tok("."), self.tok("."), self.tok(IDENT)]
        parts.append(self.tok(close))
        return parts

    def _dict_field(self, f: ast.DictPatternField) -> object:
        parts = [self.tok(IDENT)]
        if f.alias is not None:
            parts += [self.tok(":"), " ", self.tok(IDENT)]
        if f.default is not None:
            parts += [" ", self.tok("="), " ", self.expr(f.default)]
        return parts

    def _list_elem(self, e: ast.ListPatternElem) -> object:
        parts = [self.tok(IDENT)]
        if e.default is not None:
            parts += [" ", self.tok("="), " ", self.expr(e.default)]
        return parts

    # ------------------------------------------------------------ dispatch

    def _kw(self, e: ast.Expr) -> object:
        return self.keyword_expr(e, False)

    EXPR = {
        ast.IntLit: leaf,
        ast.FloatLit: leaf,
        ast.DurationLit: leaf,
        ast.StringLit: leaf,
        ast.InterpString: leaf,
        ast.BoolLit: leaf,
        ast.NilLit: leaf,
        ast.Name: leaf,
        ast.ListLit: list_lit,
        ast.DictLit: dict_lit,
        ast.StructLit: struct_lit,
        ast.Closure: closure,
        ast.FnExpr: fn_expr,
        ast.Unary: unary,
        ast.Binary: binary,
        ast.Ternary: ternary,
        ast.RangeExpr: range_expr,
        ast.Pipe: pipe,
        ast.Member: chain,
        ast.MethodCall: chain,
        ast.Index: chain,
        ast.Slice: chain,
        ast.TryPostfix: chain,
        ast.Call: call,
        ast.TryStar: try_star,
        ast.If: _kw,
        ast.Match: _kw,
        ast.Try: _kw,
        ast.Spawn: _kw,
        ast.Parallel: _kw,
        ast.Retry: _kw,
        ast.Deadline: _kw,
    }


