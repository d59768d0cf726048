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

# Deeper nesting is reported as a syntax error instead of exhausting the stack
# of the parser (and of every pass that walks the tree recursively).
MAX_NESTING = 200

BINARY_PREC = {
    "||": 4,
    "&&": 5,
    "==": 6,
    "!=": 6,
    "<": 7,
    ">": 7,
    "<=": 7,
    ">=": 7,
    "in": 7,
    "+": 8,
    "-": 8,
    "??": 9,
    "*": 10,
    "/": 10,
    "%": 10,
    "**": 11,
}

# Token kinds that may continue an expression after its first operand
# (IDENT: the contextual ``not`` of ``not in``).
CONTINUERS = frozenset(BINARY_PREC) | {"?", "to", "|>", IDENT}

# Token kinds that start a postfix operation on a primary.
POSTFIX_STARTS = frozenset({".", "?.", "[", "(", "?", "<", "{"})

# After a postfix ``?`` these tokens make it a ternary (§3.9 rule 5).
TERNARY_STARTS = frozenset(
    {
        IDENT,
        INT,
        FLOAT,
        STRING,
        MSTRING,
        ISTRING,
        IMSTRING,
        "true",
        "false",
        "nil",
        "(",
        "{",
        "!",
        "-",
        "fn",
    }
)

STRING_NODE_KIND = {STRING: "plain", MSTRING: "multi", RAWSTRING: "raw"}


class ExprParser(TypeParser):
    def parse_block(self) -> ast.Block:  # pragma: no cover - provided by the statement mixin
        raise NotImplementedError

    def parse_stmt_list(self, start: int) -> ast.Block:  # pragma: no cover
        raise NotImplementedError

    # ------------------------------------------------------------ entry

    def parse_expr(self) -> ast.Expr:
        if self.k == NEWLINE:
            self.advance()
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.too_deep()
        left = self.parse_unary()
        if self.k in CONTINUERS:
            left = self.parse_expr_rest(left)
        self.depth -= 1
        return left

    def parse_expr_rest(self, left: ast.Expr) -> ast.Expr:
        """Finish an expression whose first unary operand is already parsed:
        binary operators, then ternary, range and pipe (§3.5 levels 1-3)."""
        left = self.parse_binary_rest(left, 4)
        if self.k == "?":
            left = self.parse_ternary_rest(left)
        if self.k == "to":
            left = self.parse_range_rest(left)
        while self.k == "|>":
            self.advance()
            if self.k == NEWLINE:
                self.advance()
            right = self.parse_range()
            left = ast.Pipe(left.start, right.end, left, right)
        return left

    def too_deep(self) -> None:
        i = self.i
        self.fail_at(
            f"Expression nested too deeply (more than {MAX_NESTING} levels)",
            self.starts[i],
            self.ends[i],
            code="E0113",
        )

    def parse_range(self) -> ast.Expr:
        left = self.parse_ternary()
        return self.parse_range_rest(left) if self.k == "to" else left

    def parse_range_rest(self, lo: ast.Expr) -> ast.Expr:
        self.advance()  # "to"
        hi = self.parse_ternary()
        exclusive = False
        if self.k == "exclusive":
            self.advance()
            exclusive = True
        return ast.RangeExpr(lo.start, self.prev_end, lo, hi, exclusive)

    def parse_ternary(self) -> ast.Expr:
        cond = self.parse_binary(4)
        return self.parse_ternary_rest(cond) if self.k == "?" else cond

    def parse_ternary_rest(self, cond: ast.Expr) -> ast.Expr:
        self.advance()  # "?"
        then = self.parse_binary(4)
        self.expect_here(":")
        else_ = self.parse_binary(4)
        return ast.Ternary(cond.start, else_.end, cond, then, else_)

    def parse_binary(self, min_prec: int) -> ast.Expr:
        left = self.parse_unary()
        if self.k in CONTINUERS:
            return self.parse_binary_rest(left, min_prec)
        return left

    def parse_binary_rest(self, left: ast.Expr, min_prec: int) -> ast.Expr:
        """Precedence climbing; ``**`` is right-associative, the rest left."""
        prec_of = BINARY_PREC.get
        while True:
            op = self.k
            prec = prec_of(op)
            if prec is None:
                if op != IDENT or self.vals[self.i] != "not" or self.peek() != "in" or min_prec > 7:
                    return left
                self.advance()
                prec = 7
                op = "not in"
            elif prec < min_prec:
                return left
            op_i = self.advance()
            if self.k == NEWLINE:
                self.advance()
            right = self.parse_binary(prec if prec == 11 else prec + 1)
            left = ast.Binary(left.start, right.end, op, left, right, self.starts[op_i])

    def parse_unary(self) -> ast.Expr:
        kind = self.k
        if kind == "!" or kind == "-":
            i = self.advance()
            self.depth += 1
            if self.depth > MAX_NESTING:
                self.too_deep()
            operand = self.parse_unary()
            self.depth -= 1
            return ast.Unary(self.starts[i], operand.end, kind, operand)
        expr = self.parse_primary()
        if self.k in POSTFIX_STARTS:
            return self.parse_postfix(expr)
        return expr

    # ------------------------------------------------------------ postfix

    def parse_postfix(self, expr: ast.Expr) -> ast.Expr:
        starts = self.starts
        while True:
            kind = self.k
            if kind == "." or kind == "?.":
                self.advance()
                if self.k == NEWLINE:
                    self.advance()
                name = self.member_name()
                if self.k == "(":
                    args = self.parse_args()
                    expr = ast.MethodCall(
                        expr.start,
                        self.prev_end,
                        expr,
                        self.vals[name],
                        starts[name],
                        args,
                        kind == "?.",
                    )
                else:
                    expr = ast.Member(
                        expr.start,
                        self.ends[name],
                        expr,
                        self.vals[name],
                        starts[name],
                        kind == "?.",
                    )
            elif kind == "[":
                expr = self.parse_subscript(expr, False)
            elif kind == "(":
                if type(expr) is not ast.Name:
                    return expr
                args = self.parse_args()
                expr = ast.Call(expr.start, self.prev_end, expr, args)
            elif kind == "?":
                nxt = self.peek()
                if nxt == "[":
                    self.advance()
                    expr = self.parse_subscript(expr, True)
                elif nxt in TERNARY_STARTS:
                    return expr
                else:
                    q = self.advance()
                    expr = ast.TryPostfix(expr.start, self.ends[q], expr)
            elif kind == "<":
                if type(expr) is not ast.Name or expr.parenthesized:
                    return expr
                type_args = self.try_type_args()
                if type_args is None:
                    return expr
                args = self.parse_args()
                expr = ast.Call(expr.start, self.prev_end, expr, args, type_args)
            elif kind == "{":
                if (
                    type(expr) is not ast.Name
                    or expr.parenthesized
                    or not self.is_struct_brace(expr.name)
                ):
                    return expr
                entries = self.parse_dict_entries()
                expr = ast.StructLit(expr.start, self.prev_end, expr.name, entries)
            else:
                return expr

    def member_name(self) -> int:
        kind = self.k
        if kind == IDENT or (kind in KEYWORDS and kind not in NOT_MEMBER_KEYWORDS):
            return self.advance()
        self.fail_expected("property name")
        raise ParseError()  # unreachable

    def parse_subscript(self, obj: ast.Expr, optional: bool) -> ast.Expr:
        self.advance()  # "["
        self.skip_nl()
        lo = None
        if self.k != ":":
            lo = self.parse_expr()
            self.skip_nl()
        if self.k == ":" and not optional:
            self.advance()
            self.skip_nl()
            hi = None
            if self.k != "]":
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
        if self.k == NEWLINE:
            self.advance()
        while self.k != ")":
            args.append(self.parse_element())
            if self.k == NEWLINE:
                self.advance()
            if self.k == ",":
                self.advance()
                if self.k == NEWLINE:
                    self.advance()
            elif self.k == EOF:
                self.fail_expected(")")
        self.advance()
        return args

    def parse_element(self) -> ast.Expr | ast.Spread:
        if self.k == "." and self.peek() == "." and self.peek(2) == ".":
            first = self.advance()
            self.advance()
            self.advance()
            inner = self.parse_expr()
            return ast.Spread(self.starts[first], inner.end, inner)
        return self.parse_expr()

    def try_type_args(self) -> list[ast.TypeExpr] | None:
        """Speculatively read ``<types>`` followed by ``(`` (§3.9 rule 4)."""
        save_i, save_k = self.i, self.k
        save_diags, save_eof = len(self.diags), self.eof_reported
        try:
            self.advance()
            args = self.parse_type_args_rest()
            if self.k == "(":
                return args
        except ParseError:
            pass
        self.i, self.k = save_i, save_k
        del self.diags[save_diags:]
        self.eof_reported = save_eof
        return None

    def is_struct_brace(self, name: str) -> bool:
        """§3.9 rule 2: ``Name {`` opens a struct literal."""
        if not name[:1].isupper():
            return False
        j = self.i + 1
        kinds = self.kinds
        while kinds[j] == NEWLINE:
            j += 1
        k = kinds[j]
        if k == "}":
            return True
        if k == IDENT or k == STRING:
            j += 1
            while kinds[j] == NEWLINE:
                j += 1
            return kinds[j] == ":"
        return False

    # ------------------------------------------------------------ primaries

    def parse_primary(self) -> ast.Expr:
        kind = self.k
        i = self.i
        if kind == IDENT:
            self.advance()
            return ast.Name(self.starts[i], self.ends[i], self.vals[i])
        if kind == INT:
            self.advance()
            return ast.IntLit(self.starts[i], self.ends[i], self.vals[i])
        if kind == STRING or kind == MSTRING or kind == RAWSTRING:
            self.advance()
            return ast.StringLit(self.starts[i], self.ends[i], self.vals[i], STRING_NODE_KIND[kind])
        if kind == "(":
            return self.parse_paren()
        if kind == "[":
            return self.parse_list()
        if kind == "{":
            return self.parse_brace()
        if kind == FLOAT:
            self.advance()
            return ast.FloatLit(self.starts[i], self.ends[i], self.vals[i])
        if kind == "true" or kind == "false":
            self.advance()
            return ast.BoolLit(self.starts[i], self.ends[i], kind == "true")
        if kind == "nil":
            self.advance()
            return ast.NilLit(self.starts[i], self.ends[i])
        if kind == ISTRING or kind == IMSTRING:
            self.advance()
            return self.parse_interpolated(i)
        if kind == DURATION:
            self.advance()
            start, end = self.starts[i], self.ends[i]
            return ast.DurationLit(start, end, self.vals[i], self.src.text[start:end])
        method = self.KEYWORD_PRIMARIES.get(kind)
        if method is not None:
            return method(self)
        if kind == "." and self.peek() == "." and self.peek(2) == ".":
            return self.misplaced_spread()
        self.fail_expected("expression")
        raise ParseError()  # unreachable

    def misplaced_spread(self) -> ast.Expr:
        """``...x`` outside list/dict literals and arguments: the reference parses
        it and its compiler rejects it (§8.12, §15.3); keep the operand to go on."""
        start = self.starts[self.advance()]
        self.advance()
        self.advance()
        inner = self.parse_unary()
        line = self.src.line_col(start)[0]
        self.report("E0201", f"Compile error at line {line}: spread (...) can only be used "
                    "inside list literals, dict literals, or function call arguments",
                    start, inner.end, located=False)
        return inner

    def parse_paren(self) -> ast.Expr:
        self.advance()
        inner = self.parse_expr()
        self.expect(")")
        if type(inner) is ast.Name:
            return ast.Name(inner.start, inner.end, inner.name, True)
        self.parens.append(inner)
        return inner

    def parse_list(self) -> ast.ListLit:
        start = self.starts[self.advance()]
        elems: list = []
        self.skip_nl()
        while self.k != "]":
            elems.append(self.parse_element())
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
            elif self.k == EOF:
                self.fail_expected("]")
        self.advance()
        return ast.ListLit(start, self.prev_end, elems)

    def brace_is_closure(self) -> bool:
        """§3.9 rule 1: scan to the matching ``}``; ``->`` at depth 0 means closure."""
        kinds = self.kinds
        j = self.i + 1
        depth = 0
        while True:
            k = kinds[j]
            if k == "->" and depth == 0:
                return True
            if k == "{" or k == "(" or k == "[":
                depth += 1
            elif k == "}" or k == ")" or k == "]":
                if depth == 0:
                    return False
                depth -= 1
            elif k == EOF:
                return False
            j += 1

    def parse_brace(self) -> ast.Expr:
        if self.peek() != "}" and self.brace_is_closure():
            return self.parse_closure()
        start = self.starts[self.i]
        entries = self.parse_dict_entries()
        return ast.DictLit(start, self.prev_end, entries)

    def parse_dict_entries(self) -> list:
        """``{ entry {, entry} [,] }``; the current token is ``{``."""
        self.advance()
        entries: list = []
        self.skip_nl()
        starts, ends, vals = self.starts, self.ends, self.vals
        while self.k != "}":
            kind = self.k
            i = self.i
            if kind == ".":
                entries.append(self.parse_element())
            else:
                if kind == IDENT or (kind in KEYWORDS and kind not in NOT_MEMBER_KEYWORDS):
                    self.advance()
                    key: ast.Expr = ast.StringLit(starts[i], ends[i], vals[i])
                    key_kind = "name"
                elif kind == STRING:
                    self.advance()
                    key = ast.StringLit(starts[i], ends[i], vals[i])
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
                entries.append(ast.DictEntry(starts[i], value.end, key, value, key_kind))
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        self.advance()
        return entries

    def parse_closure(self) -> ast.Closure:
        start = self.starts[self.advance()]  # "{"
        params = self.parse_params(closer="->")
        body = self.parse_stmt_list(self.prev_end)
        return ast.Closure(start, body.end, params, body)

    def parse_fn_expr(self) -> ast.FnExpr:
        start = self.starts[self.advance()]  # "fn"
        self.expect_here("(")
        params = self.parse_params()
        body = self.parse_block()
        return ast.FnExpr(start, body.end, params, body)

    def parse_interpolated(self, i: int) -> ast.InterpString:
        from lang.lexer import lex_fragment  # local: the lexer imports the AST only

        parts: list = []
        for part in self.vals[i]:  # type: ignore[attr-defined]
            if isinstance(part, str):
                parts.append(part)
                continue
            assert isinstance(part, Interp)
            lexed = lex_fragment(self.src, part.text, part.offset)
            self.diags.extend(lexed.diagnostics)
            if lexed.diagnostics:
                parts.append(ast.NilLit(part.offset, part.offset + len(part.text)))
                continue
            sub = type(self)(self.src, lexed.arrays, self.diags)
            try:
                expr = sub.parse_expr()
                sub.skip_nl()
                if sub.k != EOF:
                    sub.fail_expected("}")
            except ParseError:
                expr = ast.NilLit(part.offset, part.offset + len(part.text))
            self.parens.extend(sub.parens)
            parts.append(expr)
        kind = "multi" if self.kinds[i] == IMSTRING else "plain"
        return ast.InterpString(self.starts[i], self.ends[i], parts, kind)

    # keyword-led primaries, filled in by the statement mixin
    KEYWORD_PRIMARIES: dict = {}
