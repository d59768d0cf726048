"""Parser: tokens to :class:`lang.ast.Program` plus syntax diagnostics (spec §3).

Statement loops (the program and every block) catch :class:`ParseError`,
resynchronise at the next statement boundary and continue, so a file with
several independent errors reports all of them and keeps every valid item.
When the lexer reported errors, the tree is still built (tooling uses it) but
only the lexer's diagnostics are returned, as the spec reports them alone.

Statement-initial ``if``/``match``/``try``/``parallel``/``retry``/``deadline``
are statements: nothing may follow their closing brace on that line. ``fn``
at statement start always declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic
from lang.gcpause import gc_paused
from lang.lexer import LexResult, lex
from lang.parse_base import ParseError
from lang.parse_decls import DeclParser
from lang.parse_exprs import ExprParser
from lang.source import Source, ensure_recursion_limit
from lang.tokens import EOF, NEWLINE, Token

ASSIGN_OPS = frozenset({"=", "+=", "-=", "*=", "/=", "%="})
STMT_SEP = "statement separator (`;` or newline)"
TOP_SEP = "top-level item separator (`;` or newline)"


@dataclass(slots=True)
class ParseResult:
    program: ast.Program
    diagnostics: list[Diagnostic]
    lexed: LexResult
    parens: list[ast.Node] = field(default_factory=list)

    @property
    def tokens(self) -> list[Token]:
        """The tokens as objects (built on first use; the parser reads arrays)."""
        return self.lexed.tokens

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def _valid_target(e: ast.Expr) -> bool:
    while True:
        t = type(e)
        if t is ast.Name:
            return True
        if t is ast.Member and not e.optional:
            e = e.obj
        elif t is ast.Index and not e.optional:
            e = e.obj
        else:
            return False


class Parser(DeclParser):
    # ------------------------------------------------------------ program

    def parse_program(self) -> ast.Program:
        items: list[ast.Stmt] = []
        self.skip_nl()
        while self.k != EOF:
            first, depth = self.i, self.depth
            try:
                items.append(self.parse_item())
                self.separator(top=True)
            except ParseError:
                self.depth = depth
                self.synchronize(False, first)
                self.skip_nl()
        return ast.Program(0, len(self.src.text), items)

    def separator(self, top: bool) -> None:
        kind = self.k
        if kind == NEWLINE:
            self.advance()
        elif kind == ";":
            self.advance()
            self.skip_nl()
        elif kind == EOF or (kind == "}" and not top):
            return
        else:
            self.fail_expected(TOP_SEP if top else STMT_SEP)

    def parse_item(self) -> ast.Stmt:
        tok = self.i
        kind = self.kinds[tok]
        if kind == "import":
            return self.parse_import(self.starts[tok], False)
        if kind == "pub" and self.peek() == "import":
            self.advance()
            return self.parse_import(self.starts[tok], True)
        if kind == "pipeline":
            return self.parse_pipeline(self.starts[tok], False, [], self.docs.get(tok))
        return self.parse_statement(top=True)

    # ------------------------------------------------------------ blocks

    def parse_block(self) -> ast.Block:
        start = self.starts[self.expect("{")]
        return self.parse_stmt_list(start)

    def parse_stmt_list(self, start: int) -> ast.Block:
        """Statements up to and including the closing ``}`` (the ``{`` is consumed)."""
        stmts: list[ast.Stmt] = []
        self.skip_nl()
        while self.k != "}":
            if self.k == EOF:
                self.fail_expected("}")
            first, depth = self.i, self.depth
            try:
                stmts.append(self.parse_statement())
                self.separator(top=False)
            except ParseError:
                self.depth = depth
                self.synchronize(True, first)
                self.skip_nl()
        end = self.ends[self.advance()]
        return ast.Block(start, end, stmts)

    # ------------------------------------------------------------ statements

    def parse_statement(self, top: bool = False) -> ast.Stmt:
        tok = self.i
        method = self.STATEMENTS.get(self.kinds[tok])
        if method is not None:
            return method(self)
        if self.kinds[tok] == "IDENT" and self.vals[tok] == "gen" and self.peek() == "fn":
            return self.parse_fn_decl(self.starts[tok], False, [], self.docs.get(tok))
        if self.kinds[tok] == "try" and self.peek() == "*":
            return self.parse_expr_statement()
        if self.kinds[tok] in ("if", "match", "try", "parallel", "retry", "deadline"):
            expr = self.KEYWORD_PRIMARIES[self.kinds[tok]](self)
            return ast.ExprStmt(expr.start, expr.end, expr)
        if self.kinds[tok] in ("import", "pipeline") and not top:
            self.fail_expected("expression")
        return self.parse_expr_statement()

    def parse_expr_statement(self) -> ast.Stmt:
        expr = self.parse_expr()
        if self.k in ASSIGN_OPS and _valid_target(expr):
            op = self.kinds[self.advance()]
            value = self.parse_expr()
            return ast.Assign(expr.start, value.end, expr, op, value)
        return ast.ExprStmt(expr.start, expr.end, expr)

    def parse_let(self) -> ast.Let:
        tok = self.advance()
        self.skip_nl()
        pattern = self.parse_binding()
        ltype = None
        if self.k == ":" and isinstance(pattern, ast.NamePattern):
            self.advance()
            ltype = self.parse_type()
        self.expect("=")
        value = self.parse_expr()
        return ast.Let(
            self.starts[tok],
            value.end,
            pattern,
            ltype,
            value,
            self.kinds[tok] == "var",
            self.docs.get(tok),
        )

    def parse_if(self) -> ast.If:
        start = self.starts[self.advance()]
        cond = self.parse_expr()
        then = self.parse_block()
        else_: ast.Block | ast.If | None = None
        if self.peek_past_nl() == "else":
            self.skip_nl()
            self.advance()
            if self.k == "if":
                else_ = self.parse_if()
            else:
                if self.k != "{":
                    self.fail_expected("{")
                else_ = self.parse_block()
        return ast.If(start, self.prev_end, cond, then, else_)

    def parse_for(self) -> ast.For:
        start = self.starts[self.advance()]
        self.skip_nl()
        if self.k == "(":
            open_ = self.advance()
            a = self.expect_name("variable name")
            self.expect(",")
            b = self.expect_name("variable name")
            self.expect(")")
            pattern: ast.Pattern = ast.PairPattern(
                self.starts[open_],
                self.prev_end,
                ast.NamePattern(self.starts[a], self.ends[a], self.vals[a]),
                ast.NamePattern(self.starts[b], self.ends[b], self.vals[b]),
            )
        else:
            pattern = self.parse_binding()
        self.expect("in")
        iterable = self.parse_expr()
        body = self.parse_block()
        return ast.For(start, body.end, pattern, iterable, body)

    def parse_while(self) -> ast.While:
        start = self.starts[self.advance()]
        self.skip_nl()
        if self.k == "(":
            cond = self.parse_paren()
        else:
            cond = self.parse_expr()
        body = self.parse_block()
        return ast.While(start, body.end, cond, body)

    def parse_match(self) -> ast.Match:
        start = self.starts[self.advance()]
        subject = self.parse_expr()
        self.expect("{")
        arms: list[ast.MatchArm] = []
        self.skip_nl()
        while self.k != "}":
            if self.k == EOF:
                self.fail_expected("}")
            arm_start = self.starts[self.i]
            patterns = [self.parse_expr()]
            while self.peek_past_nl() == "|":
                self.skip_nl()
                self.advance()
                patterns.append(self.parse_expr())
            guard = None
            if self.peek_past_nl() == "if":
                self.skip_nl()
                self.advance()
                guard = self.parse_expr()
            self.expect("->")
            body = self.parse_block()
            arms.append(ast.MatchArm(arm_start, body.end, patterns, guard, body))
            self.skip_nl()
        end = self.ends[self.advance()]
        return ast.Match(start, end, subject, arms)

    def parse_try(self) -> ast.Expr:
        start = self.starts[self.advance()]
        if self.k == "*":
            self.advance()
            operand = self.parse_unary()
            return ast.TryStar(start, operand.end, operand)
        body = self.parse_block()
        node = ast.Try(start, body.end, body)
        if self.peek_past_nl() == "catch":
            self.skip_nl()
            self.advance()
            node.has_catch = True
            if self.k == "(":
                self.advance()
                name = self.expect_name("catch variable name")
                node.catch_name, node.catch_name_start = self.vals[name], self.starts[name]
                if self.accept(":"):
                    node.catch_type = self.parse_type()
                self.expect(")")
            elif self.k == "IDENT":
                name = self.advance()
                node.catch_name, node.catch_name_start = self.vals[name], self.starts[name]
            if self.k != "{":
                self.fail_expected("{")
            node.catch_body = self.parse_block()
        if self.peek_past_nl() == "finally":
            self.skip_nl()
            self.advance()
            node.finally_body = self.parse_block()
        node.end = self.prev_end
        return node

    def _optional_value(self) -> ast.Expr | None:
        if self.k in (NEWLINE, ";", "}", EOF):
            return None
        return self.parse_expr()

    def parse_return(self) -> ast.Return:
        tok = self.advance()
        value = self._optional_value()
        return ast.Return(self.starts[tok], self.prev_end, value)

    def parse_yield(self) -> ast.Yield:
        tok = self.advance()
        value = self._optional_value()
        return ast.Yield(self.starts[tok], self.prev_end, value)

    def parse_throw(self) -> ast.Throw:
        tok = self.advance()
        value = self.parse_expr()
        return ast.Throw(self.starts[tok], value.end, value)

    def parse_break(self) -> ast.Break:
        tok = self.advance()
        return ast.Break(self.starts[tok], self.ends[tok])

    def parse_continue(self) -> ast.Continue:
        tok = self.advance()
        return ast.Continue(self.starts[tok], self.ends[tok])

    def parse_guard(self) -> ast.Guard:
        tok = self.advance()
        cond = self.parse_expr()
        self.expect("else")
        body = self.parse_block()
        return ast.Guard(self.starts[tok], body.end, cond, body)

    def parse_require(self) -> ast.Require:
        tok = self.advance()
        cond = self.parse_expr()
        message = None
        if self.accept(","):
            message = self.parse_expr()
        return ast.Require(self.starts[tok], self.prev_end, cond, message)

    # ------------------------------------------------------------ Tier 2 forms

    def parse_spawn(self) -> ast.Spawn:
        start = self.starts[self.advance()]
        body = self.parse_block()
        return ast.Spawn(start, body.end, body)

    def parse_parallel(self) -> ast.Parallel:
        start = self.starts[self.advance()]
        mode = ""
        if self.k == "IDENT" and self.vals[self.i] in ("each", "settle"):
            mode = self.vals[self.advance()]
        operand = self.parse_expr()
        max_conc = None
        if self.at_word("with"):
            self.advance()
            self.expect("{")
            self.skip_nl()
            key = self.i
            if not (self.kinds[key] == "IDENT" and self.vals[key] == "max_concurrent"):
                self.fail_expected("max_concurrent")
            self.advance()
            self.expect(":")
            max_conc = self.parse_expr()
            self.skip_nl()
            self.accept(",")
            self.expect("}")
        open_ = self.expect("{")
        param = None
        param_start = 0
        self.skip_nl()
        if self.k == "IDENT" and self.peek() == "->":
            param_tok = self.advance()
            param, param_start = self.vals[param_tok], self.starts[param_tok]
            self.advance()
        body = self.parse_stmt_list(self.starts[open_])
        as_stream = False
        if self.at_word("as") and self.peek() == "IDENT" and self.peek_val() == "stream":
            self.advance()
            self.advance()
            as_stream = True
        return ast.Parallel(
            start, self.prev_end, mode, operand, max_conc, param, param_start, body, as_stream
        )

    def parse_retry(self) -> ast.Retry:
        start = self.starts[self.advance()]
        if self.k == "(":
            count = self.parse_paren()
        else:
            count = self.parse_primary()
        body = self.parse_block()
        return ast.Retry(start, body.end, count, body)

    def parse_deadline(self) -> ast.Deadline:
        start = self.starts[self.advance()]
        duration = self.parse_primary()
        body = self.parse_block()
        return ast.Deadline(start, body.end, duration, body)

    def parse_mutex(self) -> ast.Mutex:
        start = self.starts[self.advance()]
        body = self.parse_block()
        return ast.Mutex(start, body.end, body)

    def parse_defer(self) -> ast.Defer:
        start = self.starts[self.advance()]
        body = self.parse_block()
        return ast.Defer(start, body.end, body)

    def parse_emit(self) -> ast.Emit:
        start = self.starts[self.advance()]
        value = self.parse_expr()
        return ast.Emit(start, value.end, value)

    def parse_select(self) -> ast.Select:
        start = self.starts[self.advance()]
        self.expect("{")
        cases: list[ast.SelectCase] = []
        self.skip_nl()
        has_timeout = has_default = False
        while self.k != "}":
            tok = self.i
            if self.kinds[tok] == "IDENT" and self.vals[tok] == "timeout":
                self.advance()
                expr = self.parse_expr()
                body = self.parse_block()
                cases.append(
                    ast.SelectCase(self.starts[tok], body.end, "timeout", None, 0, expr, body)
                )
                has_timeout = True
            elif self.kinds[tok] == "IDENT" and self.vals[tok] == "default" and self.peek() == "{":
                self.advance()
                body = self.parse_block()
                cases.append(
                    ast.SelectCase(self.starts[tok], body.end, "default", None, 0, None, body)
                )
                has_default = True
            elif self.kinds[tok] == "IDENT":
                self.advance()
                self.expect("from")
                expr = self.parse_expr()
                body = self.parse_block()
                cases.append(
                    ast.SelectCase(
                        self.starts[tok],
                        body.end,
                        "recv",
                        self.vals[tok],
                        self.starts[tok],
                        expr,
                        body,
                    )
                )
            else:
                self.fail_expected("select case")
            if has_timeout and has_default:
                self.fail_at(
                    "select cannot have both timeout and default", self.starts[tok], self.ends[tok]
                )
            self.skip_nl()
        end = self.ends[self.advance()]
        if not cases:
            self.fail_at("select requires at least one case", start, end)
        return ast.Select(start, end, cases)

    def parse_override(self) -> ast.Override:
        start = self.starts[self.advance()]
        name = self.expect_name("override name")
        self.expect_here("(")
        params: list[str] = []
        self.skip_nl()
        while self.k != ")":
            params.append(self.vals[self.expect_name("parameter name")])
            self.skip_nl()
            self.accept(",")
            self.skip_nl()
        self.advance()
        body = self.parse_block()
        return ast.Override(start, body.end, self.vals[name], self.starts[name], params, body)

    STATEMENTS = {
        "let": parse_let,
        "var": parse_let,
        "fn": DeclParser.parse_fn_statement,
        "pub": DeclParser.parse_pub,
        "struct": lambda self: self.parse_struct(
            self.starts[self.i], False, [], self.docs.get(self.i)
        ),
        "enum": lambda self: self.parse_enum(self.starts[self.i], False, [], self.docs.get(self.i)),
        "impl": DeclParser.parse_impl,
        "interface": DeclParser.parse_interface,
        "type": DeclParser.parse_type_alias,
        "@": DeclParser.parse_attributed,
        "for": parse_for,
        "while": parse_while,
        "return": parse_return,
        "throw": parse_throw,
        "break": parse_break,
        "continue": parse_continue,
        "guard": parse_guard,
        "require": parse_require,
        "yield": parse_yield,
        "mutex": parse_mutex,
        "defer": parse_defer,
        "emit": parse_emit,
        "select": parse_select,
        "override": parse_override,
    }

    KEYWORD_PRIMARIES = {
        "if": parse_if,
        "match": parse_match,
        "try": parse_try,
        "fn": ExprParser.parse_fn_expr,
        "spawn": parse_spawn,
        "parallel": parse_parallel,
        "retry": parse_retry,
        "deadline": parse_deadline,
    }


def parse(src: Source) -> ParseResult:
    """Lex and parse a whole file. Never raises on bad input."""
    ensure_recursion_limit()
    with gc_paused():
        lexed = lex(src)
        diags: list[Diagnostic] = []
        parser = Parser(src, lexed.arrays, diags)
        program = parser.parse_program()
    program.comments = lexed.comments
    if lexed.diagnostics:
        lexer_codes = ("E0101", "E0102", "E0103")
        diags = sorted(lexed.diagnostics + [d for d in diags if d.code in lexer_codes],
                       key=lambda d: d.start)
    return ParseResult(program, diags, lexed, parser.parens)


def parse_text(text: str, path: str = "<input>") -> ParseResult:
    return parse(Source(text, path))
