"""Parser mixin for expressions (spec §3.5, §3.9, §4).

Binary operators use precedence climbing over one table instead of one
function per level, so an operand costs a constant number of calls whatever
the depth of the precedence ladder. Levels (low to high): ``|>`` 1, ``to``
2, ternary 3 (handled by dedicated methods), then the table: ``||`` 4,
``&&`` 5, ``== !=`` 6, ``< > <= >= in not in`` 7, ``+ -`` 8, ``??`` 9,
``* / %`` 10; ``**`` 11 is right-associative; prefix ``! -`` 12; postfix 13.

Disambiguation rules of §3.9 live in :meth:`parse_postfix` (calls only after
names, generic calls tried speculatively, struct literals, postfix ``?``)
and :meth:`parse_brace` (dict vs closure).
"""

from __future__ import annotations

from lang import ast
from lang.parse_base import ParseError
from lang.parse_types import TypeParser
from lang.tokens import (
    DURATION,
    EOF,
    FLOAT,
    IDENT,
    IMSTRING,
    INT,
    ISTRING,
    KEYWORDS,
    MSTRING,
    NEWLINE,
    NOT_MEMBER_KEYWORDS,
    RAWSTRING,
    STRING,
    Interp,
)

BINARY_PREC = {
    "||": 4, "&&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7, "in": 7,
    "+": 8, "-": 8, "??": 9, "*": 10, "/": 10, "%": 10,
}

# After a postfix ``?`` these tokens make it a ternary (§3.9 rule 5).
TERNARY_STARTS = frozenset(
    {IDENT, INT, FLOAT, STRING, MSTRING, ISTRING, IMSTRING, "true", "false", "nil", "(", "{",
     "!", "-", "fn"}
)

STRING_NODE_KIND = {STRING: "plain", MSTRING: "multi", RAWSTRING: "raw"}


class ExprParser(TypeParser):
    def parse_block(self) -> ast.Block:  # pragma: no cover - provided by the statement mixin
        raise NotImplementedError

    def parse_stmt_list(self, start: int) -> ast.Block:  # pragma: no cover
        raise NotImplementedError

    # ------------------------------------------------------------ entry

    def parse_expr(self) -> ast.Expr:
        if self.tok.kind == NEWLINE:
            self.advance()
        left = self.parse_range()
        while self.tok.kind == "|>":
            self.advance()
            if self.tok.kind == NEWLINE:
                self.advance()
            right = self.parse_range()
            left = ast.Pipe(left.start, right.end, left, right)
        return left

    def parse_range(self) -> ast.Expr:
        lo = self.parse_ternary()
        if self.tok.kind != "to":
            return lo
        self.advance()
        hi = self.parse_ternary()
        exclusive = False
        if self.tok.kind == "exclusive":
            self.advance()
            exclusive = True
        return ast.RangeExpr(lo.start, self.prev_end, lo, hi, exclusive)

    def parse_ternary(self) -> ast.Expr:
        cond = self.parse_binary(4)
        if self.tok.kind != "?":
            return cond
        self.advance()
        then = self.parse_binary(4)
        self.expect_here(":")
        else_ = self.parse_binary(4)
        return ast.Ternary(cond.start, else_.end, cond, then, else_)

    def parse_binary(self, min_prec: int) -> ast.Expr:
        left = self.parse_power()
        prec_of = BINARY_PREC.get
        while True:
            tok = self.tok
            op = tok.kind
            prec = prec_of(op)
            if prec is None:
                if op != IDENT or tok.value != "not" or self.peek().kind != "in" or min_prec > 7:
                    return left
                self.advance()
                prec = 7
                op = "not in"
            elif prec < min_prec:
                return left
            self.advance()
            if self.tok.kind == NEWLINE:
                self.advance()
            right = self.parse_binary(prec + 1)
            left = ast.Binary(left.start, right.end, op, left, right, tok.start)

    def parse_power(self) -> ast.Expr:
        base = self.parse_unary()
        if self.tok.kind != "**":
            return base
        op = self.advance()
        if self.tok.kind == NEWLINE:
            self.advance()
        exp = self.parse_power()
        return ast.Binary(base.start, exp.end, "**", base, exp, op.start)

    def parse_unary(self) -> ast.Expr:
        tok = self.tok
        if tok.kind == "!" or tok.kind == "-":
            self.advance()
            operand = self.parse_unary()
            return ast.Unary(tok.start, operand.end, tok.kind, operand)
        return self.parse_postfix(self.parse_primary())

    # ------------------------------------------------------------ postfix

    def parse_postfix(self, expr: ast.Expr) -> ast.Expr:
        while True:
            tok = self.tok
            kind = tok.kind
            if kind == "." or kind == "?.":
                self.advance()
                if self.tok.kind == NEWLINE:
                    self.advance()
                name = self.member_name()
                if self.tok.kind == "(":
                    args = self.parse_args()
                    expr = ast.MethodCall(expr.start, self.prev_end, expr, name.value, name.start,
                                          args, kind == "?.")
                else:
                    expr = ast.Member(expr.start, name.end, expr, name.value, name.start,
                                      kind == "?.")
            elif kind == "[":
                expr = self.parse_subscript(expr, False)
            elif kind == "(":
                if type(expr) is not ast.Name:
                    return expr
                args = self.parse_args()
                expr = ast.Call(expr.start, self.prev_end, expr, args)
            elif kind == "?":
                nxt = self.peek().kind
                if nxt == "[":
                    self.advance()
                    expr = self.parse_subscript(expr, True)
                elif nxt in TERNARY_STARTS:
                    return expr
                else:
                    self.advance()
                    expr = ast.TryPostfix(expr.start, tok.end, expr)
            elif kind == "<":
                if type(expr) is not ast.Name or expr.parenthesized:
                    return expr
                type_args = self.try_type_args()
                if type_args is None:
                    return expr
                args = self.parse_args()
                expr = ast.Call(expr.start, self.prev_end, expr, args, type_args)
            elif kind == "{":
                if type(expr) is not ast.Name or expr.parenthesized or not self.is_struct_brace(
                        expr.name):
                    return expr
                entries = self.parse_dict_entries()
                expr = ast.StructLit(expr.start, self.prev_end, expr.name, entries)
            else:
                return expr

    def member_name(self):
        tok = self.tok
        if tok.kind == IDENT or (tok.kind in KEYWORDS and tok.kind not in NOT_MEMBER_KEYWORDS):
            return self.advance()
        self.fail_expected("property name")
        raise ParseError()  # unreachable

    def parse_subscript(self, obj: ast.Expr, optional: bool) -> ast.Expr:
        self.advance()  # "["
        self.skip_nl()
        lo = None
        if self.tok.kind != ":":
            lo = self.parse_expr()
            self.skip_nl()
        if self.tok.kind == ":" and not optional:
            self.advance()
            self.skip_nl()
            hi = None
            if self.tok.kind != "]":
                hi = self.parse_expr()
            self.expect("]")
            return ast.Slice(obj.start, self.prev_end, obj, lo, hi)
        if lo is None:
            self.fail_expected("expression")
        self.expect("]")
        return ast.Index(obj.start, self.prev_end, obj, lo, optional)

    def parse_args(self) -> list:
        """``( [arg {, arg}] [,] )`` with line breaks allowed around arguments."""
        self.advance()  # "("
        args: list = []
        self.skip_nl()
        while self.tok.kind != ")":
            args.append(self.parse_element())
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
            if self.tok.kind == EOF:
                self.fail_expected(")")
        self.advance()
        return args

    def parse_element(self) -> ast.Expr | ast.Spread:
        tok = self.tok
        if tok.kind == "." and self.peek().kind == "." and self.peek(2).kind == ".":
            self.advance()
            self.advance()
            self.advance()
            inner = self.parse_expr()
            return ast.Spread(tok.start, inner.end, inner)
        return self.parse_expr()

    def try_type_args(self) -> list[ast.TypeExpr] | None:
        """Speculatively read ``<types>`` followed by ``(`` (§3.9 rule 4)."""
        save_i, save_tok, save_end = self.i, self.tok, self.prev_end
        save_diags, save_eof = len(self.diags), self.eof_reported
        try:
            self.advance()
            args = self.parse_type_args_rest()
            if self.tok.kind == "(":
                return args
        except ParseError:
            pass
        self.i, self.tok, self.prev_end = save_i, save_tok, save_end
        del self.diags[save_diags:]
        self.eof_reported = save_eof
        return None

    def is_struct_brace(self, name: str) -> bool:
        """§3.9 rule 2: ``Name {`` opens a struct literal."""
        if not name[:1].isupper():
            return False
        j = self.i + 1
        toks = self.toks
        while toks[j].kind == NEWLINE:
            j += 1
        t = toks[j]
        if t.kind == "}":
            return True
        if t.kind == IDENT or t.kind == STRING:
            j += 1
            while toks[j].kind == NEWLINE:
                j += 1
            return toks[j].kind == ":"
        return False

    # ------------------------------------------------------------ primaries

    def parse_primary(self) -> ast.Expr:
        tok = self.tok
        kind = tok.kind
        if kind == IDENT:
            self.advance()
            return ast.Name(tok.start, tok.end, tok.value)
        if kind == INT:
            self.advance()
            return ast.IntLit(tok.start, tok.end, tok.value)
        if kind == STRING or kind == MSTRING or kind == RAWSTRING:
            self.advance()
            return ast.StringLit(tok.start, tok.end, tok.value, STRING_NODE_KIND[kind])
        if kind == "(":
            return self.parse_paren()
        if kind == "[":
            return self.parse_list()
        if kind == "{":
            return self.parse_brace()
        if kind == FLOAT:
            self.advance()
            return ast.FloatLit(tok.start, tok.end, tok.value)
        if kind == "true" or kind == "false":
            self.advance()
            return ast.BoolLit(tok.start, tok.end, kind == "true")
        if kind == "nil":
            self.advance()
            return ast.NilLit(tok.start, tok.end)
        if kind == ISTRING or kind == IMSTRING:
            self.advance()
            return self.parse_interpolated(tok)
        if kind == DURATION:
            self.advance()
            return ast.DurationLit(tok.start, tok.end, tok.value,
                                   self.src.text[tok.start:tok.end])
        method = self.KEYWORD_PRIMARIES.get(kind)
        if method is not None:
            return method(self)
        self.fail_expected("expression")
        raise ParseError()  # unreachable

    def parse_paren(self) -> ast.Expr:
        start = self.advance().start
        inner = self.parse_expr()
        self.expect(")")
        if type(inner) is ast.Name:
            return ast.Name(inner.start, inner.end, inner.name, True)
        self.parens.append(inner)
        return inner

    def parse_list(self) -> ast.ListLit:
        start = self.advance().start
        elems: list = []
        self.skip_nl()
        while self.tok.kind != "]":
            elems.append(self.parse_element())
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
            if self.tok.kind == EOF:
                self.fail_expected("]")
        self.advance()
        return ast.ListLit(start, self.prev_end, elems)

    def brace_is_closure(self) -> bool:
        """§3.9 rule 1: scan to the matching ``}``; ``->`` at depth 0 means closure."""
        toks = self.toks
        j = self.i + 1
        depth = 0
        while True:
            k = toks[j].kind
            if k == "->" and depth == 0:
                return True
            if k in ("{", "(", "["):
                depth += 1
            elif k in ("}", ")", "]"):
                if depth == 0:
                    return False
                depth -= 1
            elif k == EOF:
                return False
            j += 1

    def parse_brace(self) -> ast.Expr:
        if self.peek().kind != "}" and self.brace_is_closure():
            return self.parse_closure()
        start = self.tok.start
        entries = self.parse_dict_entries()
        return ast.DictLit(start, self.prev_end, entries)

    def parse_dict_entries(self) -> list:
        """``{ entry {, entry} [,] }``; the current token is ``{``."""
        self.advance()
        entries: list = []
        self.skip_nl()
        while self.tok.kind != "}":
            tok = self.tok
            kind = tok.kind
            if kind == ".":
                entries.append(self.parse_element())
            else:
                if kind == IDENT or (kind in KEYWORDS and kind not in NOT_MEMBER_KEYWORDS):
                    self.advance()
                    key: ast.Expr = ast.StringLit(tok.start, tok.end, tok.value)
                    key_kind = "name"
                elif kind == STRING:
                    self.advance()
                    key = ast.StringLit(tok.start, tok.end, tok.value)
                    key_kind = "string"
                elif kind == "[":
                    self.advance()
                    key = self.parse_expr()
                    self.expect("]")
                    key_kind = "computed"
                else:
                    self.fail_expected("}" if kind == EOF else "dict key")
                    raise ParseError()  # unreachable
                self.expect(":")
                value = self.parse_expr()
                entries.append(ast.DictEntry(tok.start, value.end, key, value, key_kind))
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        self.advance()
        return entries

    def parse_closure(self) -> ast.Closure:
        start = self.advance().start  # "{"
        params = self.parse_params(closer="->")
        body = self.parse_stmt_list(self.prev_end)
        return ast.Closure(start, body.end, params, body)

    def parse_fn_expr(self) -> ast.FnExpr:
        start = self.advance().start  # "fn"
        self.expect_here("(")
        params = self.parse_params()
        body = self.parse_block()
        return ast.FnExpr(start, body.end, params, body)

    def parse_interpolated(self, tok) -> ast.InterpString:
        from lang.lexer import lex_fragment  # local: the lexer imports the AST only

        parts: list = []
        for part in tok.value:
            if isinstance(part, str):
                parts.append(part)
                continue
            assert isinstance(part, Interp)
            lexed = lex_fragment(self.src, part.text, part.offset)
            self.diags.extend(lexed.diagnostics)
            if lexed.diagnostics:
                parts.append(ast.NilLit(part.offset, part.offset + len(part.text)))
                continue
            sub = type(self)(self.src, lexed.tokens, self.diags)
            try:
                expr = sub.parse_expr()
                sub.skip_nl()
                if sub.tok.kind != EOF:
                    sub.fail_expected("}")
            except ParseError:
                expr = ast.NilLit(part.offset, part.offset + len(part.text))
            self.parens.extend(sub.parens)
            parts.append(expr)
        kind = "multi" if tok.kind == IMSTRING else "plain"
        return ast.InterpString(tok.start, tok.end, parts, kind)

    # keyword-led primaries, filled in by the statement mixin
    KEYWORD_PRIMARIES: dict = {}
