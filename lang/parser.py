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
from lang.lexer import lex
from lang.parse_base import ParseError
from lang.parse_exprs import ExprParser
from lang.source import Source
from lang.tokens import EOF, NEWLINE, STRING, Token

ASSIGN_OPS = frozenset({"=", "+=", "-=", "*=", "/=", "%="})
PUB_TARGETS = "fn, tool, skill, eval_pack, struct, enum, pipeline, or import after pub"
ATTRIBUTE_TARGETS = "fn, pipeline, struct, enum, type, interface or impl after attributes"
STMT_SEP = "statement separator (`;` or newline)"
TOP_SEP = "top-level item separator (`;` or newline)"


@dataclass(slots=True)
class ParseResult:
    program: ast.Program
    diagnostics: list[Diagnostic]
    tokens: list[Token]
    parens: list[ast.Node] = field(default_factory=list)

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


class Parser(ExprParser):
    # ------------------------------------------------------------ program

    def parse_program(self) -> ast.Program:
        items: list[ast.Stmt] = []
        self.skip_nl()
        while self.tok.kind != EOF:
            first = self.i
            try:
                items.append(self.parse_item())
                self.separator(top=True)
            except ParseError:
                self.synchronize(False, first)
                self.skip_nl()
        return ast.Program(0, len(self.src.text), items)

    def separator(self, top: bool) -> None:
        kind = self.tok.kind
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
        tok = self.tok
        kind = tok.kind
        if kind == "import":
            return self.parse_import(tok.start, False)
        if kind == "pub" and self.peek().kind == "import":
            self.advance()
            return self.parse_import(tok.start, True)
        if kind == "pipeline":
            return self.parse_pipeline(tok.start, False, [], tok.doc)
        return self.parse_statement(top=True)

    # ------------------------------------------------------------ blocks

    def parse_block(self) -> ast.Block:
        start = self.expect("{").start
        return self.parse_stmt_list(start)

    def parse_stmt_list(self, start: int) -> ast.Block:
        """Statements up to and including the closing ``}`` (the ``{`` is consumed)."""
        stmts: list[ast.Stmt] = []
        self.skip_nl()
        while self.tok.kind != "}":
            if self.tok.kind == EOF:
                self.fail_expected("}")
            first = self.i
            try:
                stmts.append(self.parse_statement())
                self.separator(top=False)
            except ParseError:
                self.synchronize(True, first)
                self.skip_nl()
        end = self.advance().end
        return ast.Block(start, end, stmts)

    # ------------------------------------------------------------ statements

    def parse_statement(self, top: bool = False) -> ast.Stmt:
        tok = self.tok
        method = self.STATEMENTS.get(tok.kind)
        if method is not None:
            return method(self)
        if tok.kind == "IDENT" and tok.value == "gen" and self.peek().kind == "fn":
            return self.parse_fn_decl(tok.start, False, [], tok.doc)
        if tok.kind == "try" and self.peek().kind == "*":
            return self.parse_expr_statement()
        if tok.kind in ("if", "match", "try", "parallel", "retry", "deadline"):
            expr = self.KEYWORD_PRIMARIES[tok.kind](self)
            return ast.ExprStmt(expr.start, expr.end, expr)
        if tok.kind in ("import", "pipeline") and not top:
            self.fail_expected("expression")
        return self.parse_expr_statement()

    def parse_expr_statement(self) -> ast.Stmt:
        expr = self.parse_expr()
        if self.tok.kind in ASSIGN_OPS and _valid_target(expr):
            op = self.advance().kind
            value = self.parse_expr()
            return ast.Assign(expr.start, value.end, expr, op, value)
        return ast.ExprStmt(expr.start, expr.end, expr)

    def parse_let(self) -> ast.Let:
        tok = self.advance()
        self.skip_nl()
        pattern = self.parse_binding()
        ltype = None
        if self.tok.kind == ":" and isinstance(pattern, ast.NamePattern):
            self.advance()
            ltype = self.parse_type()
        self.expect("=")
        value = self.parse_expr()
        return ast.Let(tok.start, value.end, pattern, ltype, value, tok.kind == "var", tok.doc)

    def parse_if(self) -> ast.If:
        start = self.advance().start
        cond = self.parse_expr()
        then = self.parse_block()
        else_: ast.Block | ast.If | None = None
        if self.peek_past_nl().kind == "else":
            self.skip_nl()
            self.advance()
            if self.tok.kind == "if":
                else_ = self.parse_if()
            else:
                if self.tok.kind != "{":
                    self.fail_expected("{")
                else_ = self.parse_block()
        return ast.If(start, self.prev_end, cond, then, else_)

    def parse_for(self) -> ast.For:
        start = self.advance().start
        self.skip_nl()
        if self.tok.kind == "(":
            open_ = self.advance()
            a = self.expect_name("variable name")
            self.expect(",")
            b = self.expect_name("variable name")
            self.expect(")")
            pattern: ast.Pattern = ast.PairPattern(
                open_.start, self.prev_end, ast.NamePattern(a.start, a.end, a.value),
                ast.NamePattern(b.start, b.end, b.value))
        else:
            pattern = self.parse_binding()
        self.expect("in")
        iterable = self.parse_expr()
        body = self.parse_block()
        return ast.For(start, body.end, pattern, iterable, body)

    def parse_while(self) -> ast.While:
        start = self.advance().start
        self.skip_nl()
        if self.tok.kind == "(":
            cond = self.parse_paren()
        else:
            cond = self.parse_expr()
        body = self.parse_block()
        return ast.While(start, body.end, cond, body)

    def parse_match(self) -> ast.Match:
        start = self.advance().start
        subject = self.parse_expr()
        self.expect("{")
        arms: list[ast.MatchArm] = []
        self.skip_nl()
        while self.tok.kind != "}":
            if self.tok.kind == EOF:
                self.fail_expected("}")
            arm_start = self.tok.start
            patterns = [self.parse_expr()]
            while self.peek_past_nl().kind == "|":
                self.skip_nl()
                self.advance()
                patterns.append(self.parse_expr())
            guard = None
            if self.peek_past_nl().kind == "if":
                self.skip_nl()
                self.advance()
                guard = self.parse_expr()
            self.expect("->")
            body = self.parse_block()
            arms.append(ast.MatchArm(arm_start, body.end, patterns, guard, body))
            self.skip_nl()
        end = self.advance().end
        return ast.Match(start, end, subject, arms)

    def parse_try(self) -> ast.Expr:
        start = self.advance().start
        if self.tok.kind == "*":
            self.advance()
            operand = self.parse_unary()
            return ast.TryStar(start, operand.end, operand)
        body = self.parse_block()
        node = ast.Try(start, body.end, body)
        if self.peek_past_nl().kind == "catch":
            self.skip_nl()
            self.advance()
            node.has_catch = True
            if self.tok.kind == "(":
                self.advance()
                name = self.expect_name("catch variable name")
                node.catch_name, node.catch_name_start = name.value, name.start
                if self.accept(":"):
                    node.catch_type = self.parse_type()
                self.expect(")")
            elif self.tok.kind == "IDENT":
                name = self.advance()
                node.catch_name, node.catch_name_start = name.value, name.start
            if self.tok.kind != "{":
                self.fail_expected("{")
            node.catch_body = self.parse_block()
        if self.peek_past_nl().kind == "finally":
            self.skip_nl()
            self.advance()
            node.finally_body = self.parse_block()
        node.end = self.prev_end
        return node

    def _optional_value(self) -> ast.Expr | None:
        if self.tok.kind in (NEWLINE, ";", "}", EOF):
            return None
        return self.parse_expr()

    def parse_return(self) -> ast.Return:
        tok = self.advance()
        value = self._optional_value()
        return ast.Return(tok.start, self.prev_end, value)

    def parse_yield(self) -> ast.Yield:
        tok = self.advance()
        value = self._optional_value()
        return ast.Yield(tok.start, self.prev_end, value)

    def parse_throw(self) -> ast.Throw:
        tok = self.advance()
        value = self.parse_expr()
        return ast.Throw(tok.start, value.end, value)

    def parse_break(self) -> ast.Break:
        tok = self.advance()
        return ast.Break(tok.start, tok.end)

    def parse_continue(self) -> ast.Continue:
        tok = self.advance()
        return ast.Continue(tok.start, tok.end)

    def parse_guard(self) -> ast.Guard:
        tok = self.advance()
        cond = self.parse_expr()
        self.expect("else")
        body = self.parse_block()
        return ast.Guard(tok.start, body.end, cond, body)

    def parse_require(self) -> ast.Require:
        tok = self.advance()
        cond = self.parse_expr()
        message = None
        if self.accept(","):
            message = self.parse_expr()
        return ast.Require(tok.start, self.prev_end, cond, message)

    # ------------------------------------------------------------ Tier 2 forms

    def parse_spawn(self) -> ast.Spawn:
        start = self.advance().start
        body = self.parse_block()
        return ast.Spawn(start, body.end, body)

    def parse_parallel(self) -> ast.Parallel:
        start = self.advance().start
        mode = ""
        if self.tok.kind == "IDENT" and self.tok.value in ("each", "settle"):
            mode = self.advance().value
        operand = self.parse_expr()
        max_conc = None
        if self.at_word("with"):
            self.advance()
            self.expect("{")
            self.skip_nl()
            key = self.tok
            if not (key.kind == "IDENT" and key.value == "max_concurrent"):
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
        if self.tok.kind == "IDENT" and self.peek().kind == "->":
            param_tok = self.advance()
            param, param_start = param_tok.value, param_tok.start
            self.advance()
        body = self.parse_stmt_list(open_.start)
        as_stream = False
        if self.at_word("as") and self.peek().kind == "IDENT" and self.peek().value == "stream":
            self.advance()
            self.advance()
            as_stream = True
        return ast.Parallel(start, self.prev_end, mode, operand, max_conc, param, param_start,
                            body, as_stream)

    def parse_retry(self) -> ast.Retry:
        start = self.advance().start
        if self.tok.kind == "(":
            count = self.parse_paren()
        else:
            count = self.parse_primary()
        body = self.parse_block()
        return ast.Retry(start, body.end, count, body)

    def parse_deadline(self) -> ast.Deadline:
        start = self.advance().start
        duration = self.parse_primary()
        body = self.parse_block()
        return ast.Deadline(start, body.end, duration, body)

    def parse_mutex(self) -> ast.Mutex:
        start = self.advance().start
        body = self.parse_block()
        return ast.Mutex(start, body.end, body)

    def parse_defer(self) -> ast.Defer:
        start = self.advance().start
        body = self.parse_block()
        return ast.Defer(start, body.end, body)

    def parse_emit(self) -> ast.Emit:
        start = self.advance().start
        value = self.parse_expr()
        return ast.Emit(start, value.end, value)

    def parse_select(self) -> ast.Select:
        start = self.advance().start
        self.expect("{")
        cases: list[ast.SelectCase] = []
        self.skip_nl()
        has_timeout = has_default = False
        while self.tok.kind != "}":
            tok = self.tok
            if tok.kind == "IDENT" and tok.value == "timeout":
                self.advance()
                expr = self.parse_expr()
                body = self.parse_block()
                cases.append(ast.SelectCase(tok.start, body.end, "timeout", None, 0, expr, body))
                has_timeout = True
            elif tok.kind == "IDENT" and tok.value == "default" and self.peek().kind == "{":
                self.advance()
                body = self.parse_block()
                cases.append(ast.SelectCase(tok.start, body.end, "default", None, 0, None, body))
                has_default = True
            elif tok.kind == "IDENT":
                self.advance()
                self.expect("from")
                expr = self.parse_expr()
                body = self.parse_block()
                cases.append(ast.SelectCase(tok.start, body.end, "recv", tok.value, tok.start,
                                            expr, body))
            else:
                self.fail_expected("select case")
            if has_timeout and has_default:
                self.fail_at("select cannot have both timeout and default", tok.start, tok.end)
            self.skip_nl()
        end = self.advance()
        if not cases:
            self.fail_at("select requires at least one case", start, end.end)
        return ast.Select(start, end.end, cases)

    def parse_override(self) -> ast.Override:
        start = self.advance().start
        name = self.expect_name("override name")
        self.expect_here("(")
        params: list[str] = []
        self.skip_nl()
        while self.tok.kind != ")":
            params.append(self.expect_name("parameter name").value)
            self.skip_nl()
            self.accept(",")
            self.skip_nl()
        self.advance()
        body = self.parse_block()
        return ast.Override(start, body.end, name.value, name.start, params, body)

    # ------------------------------------------------------------ declarations

    def parse_import(self, start: int, pub: bool) -> ast.Import:
        self.advance()  # "import"
        names: list[ast.ImportName] | None = None
        if self.tok.kind == "{":
            self.advance()
            names = []
            self.skip_nl()
            while self.tok.kind != "}":
                name = self.expect_name("imported name")
                names.append(ast.ImportName(name.start, name.end, name.value))
                self.skip_nl()
                if self.accept(","):
                    self.skip_nl()
            self.advance()
            self.expect_here("from")
        path = self.expect_here(STRING, "import path string")
        return ast.Import(start, path.end, path.value, path.start, names, pub)

    def parse_pub(self) -> ast.Stmt:
        tok = self.advance()
        nxt = self.tok
        if nxt.kind == "fn" or (nxt.kind == "IDENT" and nxt.value == "gen"
                                and self.peek().kind == "fn"):
            return self.parse_fn_decl(tok.start, True, [], tok.doc)
        if nxt.kind == "struct":
            return self.parse_struct(tok.start, True, [], tok.doc)
        if nxt.kind == "enum":
            return self.parse_enum(tok.start, True, [], tok.doc)
        if nxt.kind == "pipeline":
            return self.parse_pipeline(tok.start, True, [], tok.doc)
        if nxt.kind == "import":
            return self.parse_import(tok.start, True)
        self.fail_expected(PUB_TARGETS)
        raise ParseError()  # unreachable

    def parse_fn_statement(self) -> ast.FnDecl:
        tok = self.tok
        return self.parse_fn_decl(tok.start, False, [], tok.doc)

    def parse_fn_decl(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.FnDecl:
        is_gen = False
        if self.tok.kind == "IDENT":  # "gen"
            self.advance()
            is_gen = True
        self.advance()  # "fn"
        name = self.expect_name("function name")
        type_params = self.parse_type_params() if self.tok.kind == "<" else []
        self.expect_here("(")
        params = self.parse_params()
        ret = None
        if self.tok.kind == "->":
            self.advance()
            ret = self.parse_type()
        where = self.parse_where() if self.at_word("where") else []
        body = self.parse_block()
        return ast.FnDecl(start, body.end, name.value, name.start, params, body, type_params,
                          ret, where, pub, is_gen, attrs, doc)

    def parse_struct(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.StructDecl:
        self.advance()  # "struct"
        name = self.expect_name("struct name")
        type_params = self.parse_type_params() if self.tok.kind == "<" else []
        self.expect("{")
        fields: list[ast.StructField] = []
        self.skip_nl()
        while self.tok.kind != "}":
            ftok = self.expect_name("field name")
            optional = self.accept("?")
            ftype = None
            if self.accept(":"):
                ftype = self.parse_type()
            fields.append(ast.StructField(ftok.start, self.prev_end, ftok.value, optional, ftype,
                                          ftok.doc))
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        end = self.advance().end
        return ast.StructDecl(start, end, name.value, name.start, fields, type_params, pub, attrs,
                              doc)

    def parse_enum(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.EnumDecl:
        self.advance()  # "enum"
        name = self.expect_name("enum name")
        type_params = self.parse_type_params() if self.tok.kind == "<" else []
        self.expect("{")
        variants: list[ast.Variant] = []
        self.skip_nl()
        while self.tok.kind != "}":
            vtok = self.expect_name("variant name")
            params: list[ast.Param] = []
            has_parens = False
            if self.tok.kind == "(":
                self.advance()
                params = self.parse_params()
                has_parens = True
            variants.append(ast.Variant(vtok.start, self.prev_end, vtok.value, params, has_parens,
                                        vtok.doc))
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        end = self.advance().end
        return ast.EnumDecl(start, end, name.value, name.start, variants, type_params, pub, attrs,
                            doc)

    def parse_impl(self, start: int | None = None, attrs: list | None = None,
                   doc: str | None = None) -> ast.ImplBlock:
        tok = self.advance()  # "impl"
        if start is None:
            start, doc = tok.start, tok.doc
        name = self.expect_name("type name")
        self.expect("{")
        methods: list[ast.FnDecl] = []
        self.skip_nl()
        while self.tok.kind != "}":
            mtok = self.tok
            pub = False
            if mtok.kind == "pub":
                self.advance()
                pub = True
            if self.tok.kind != "fn":
                self.fail_expected("fn")
            methods.append(self.parse_fn_decl(mtok.start, pub, [], mtok.doc))
            self.skip_nl()
        end = self.advance().end
        return ast.ImplBlock(start, end, name.value, name.start, methods, attrs or [], doc)

    def parse_interface(self, start: int | None = None, attrs: list | None = None,
                        doc: str | None = None) -> ast.InterfaceDecl:
        tok = self.advance()  # "interface"
        if start is None:
            start, doc = tok.start, tok.doc
        name = self.expect_name("interface name")
        type_params = self.parse_type_params() if self.tok.kind == "<" else []
        self.expect("{")
        assoc: list[ast.AssocType] = []
        methods: list[ast.InterfaceMethod] = []
        self.skip_nl()
        while self.tok.kind != "}":
            mtok = self.tok
            if mtok.kind == "type":
                self.advance()
                tname = self.expect_name("associated type name")
                default = None
                if self.accept("="):
                    default = self.parse_type()
                assoc.append(ast.AssocType(mtok.start, self.prev_end, tname.value, default))
            elif mtok.kind == "fn":
                self.advance()
                mname = self.expect_name("method name")
                mtparams = self.parse_type_params() if self.tok.kind == "<" else []
                self.expect_here("(")
                params = self.parse_params()
                ret = None
                if self.tok.kind == "->":
                    self.advance()
                    ret = self.parse_type()
                methods.append(ast.InterfaceMethod(mtok.start, self.prev_end, mname.value,
                                                   mname.start, params, ret, mtparams))
            else:
                self.fail_expected("fn or type")
            self.skip_nl()
        end = self.advance().end
        return ast.InterfaceDecl(start, end, name.value, name.start, assoc, methods, type_params,
                                 attrs or [], doc)

    def parse_type_alias(self, start: int | None = None, attrs: list | None = None,
                         doc: str | None = None) -> ast.TypeAlias:
        tok = self.advance()  # "type"
        if start is None:
            start, doc = tok.start, tok.doc
        name = self.expect_name("type name")
        type_params = self.parse_type_params() if self.tok.kind == "<" else []
        self.expect("=")
        target = self.parse_type()
        return ast.TypeAlias(start, self.prev_end, name.value, name.start, target, type_params,
                             attrs or [], doc)

    def parse_pipeline(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.Pipeline:
        self.advance()  # "pipeline"
        name = self.expect_name("pipeline name")
        self.expect_here("(")
        params = self.parse_params(typed=False)
        ret = None
        if self.tok.kind == "->":
            self.advance()
            ret = self.parse_type()
        extends = None
        if self.tok.kind == "extends":
            self.advance()
            extends = self.expect_name("pipeline name").value
        body = self.parse_block()
        return ast.Pipeline(start, body.end, name.value, name.start, params, body, ret, extends,
                            pub, attrs, doc)

    def parse_attributed(self) -> ast.Stmt:
        start_tok = self.tok
        attrs: list[ast.Attribute] = []
        while self.tok.kind == "@":
            at = self.advance()
            name = self.expect_name("attribute name")
            args: list[tuple[str | None, ast.Expr]] = []
            if self.tok.kind == "(":
                self.advance()
                self.skip_nl()
                while self.tok.kind != ")":
                    label = None
                    if self.tok.kind == "IDENT" and self.peek().kind == ":":
                        label = self.advance().value
                        self.advance()
                    args.append((label, self.parse_attr_value()))
                    self.skip_nl()
                    if not self.accept(","):
                        self.skip_nl()
                        if self.tok.kind != ")":
                            self.fail_expected(")")
                    self.skip_nl()
                self.advance()
            attrs.append(ast.Attribute(at.start, self.prev_end, name.value, args))
            self.skip_nl()
        start, doc = start_tok.start, start_tok.doc
        kind = self.tok.kind
        is_gen = kind == "IDENT" and self.tok.value == "gen" and self.peek().kind == "fn"
        pub = False
        if kind == "pub":
            nxt = self.peek()
            if nxt.kind in ("fn", "struct", "enum", "pipeline") or (
                    nxt.kind == "IDENT" and nxt.value == "gen"):
                self.advance()
                pub = True
                kind = self.tok.kind
                is_gen = kind == "IDENT" and self.tok.value == "gen"
        if kind == "fn" or is_gen:
            return self.parse_fn_decl(start, pub, attrs, doc)
        if kind == "struct":
            return self.parse_struct(start, pub, attrs, doc)
        if kind == "enum":
            return self.parse_enum(start, pub, attrs, doc)
        if kind == "pipeline":
            return self.parse_pipeline(start, pub, attrs, doc)
        if kind == "impl" and not pub:
            return self.parse_impl(start, attrs, doc)
        if kind == "interface" and not pub:
            return self.parse_interface(start, attrs, doc)
        if kind == "type" and not pub:
            return self.parse_type_alias(start, attrs, doc)
        self.fail_expected(ATTRIBUTE_TARGETS)
        raise ParseError()  # unreachable

    def parse_attr_value(self) -> ast.Expr:
        tok = self.tok
        kind = tok.kind
        if kind == "[":
            self.advance()
            items: list = []
            self.skip_nl()
            while self.tok.kind != "]":
                items.append(self.parse_attr_value())
                self.skip_nl()
                self.accept(",")
                self.skip_nl()
            self.advance()
            return ast.ListLit(tok.start, self.prev_end, items)
        if kind == "-" and self.peek().kind in ("INT", "FLOAT"):
            self.advance()
            num = self.parse_primary()
            return ast.Unary(tok.start, num.end, "-", num)
        if kind in ("STRING", "RAWSTRING", "INT", "FLOAT", "true", "false", "nil", "IDENT"):
            return self.parse_primary()
        self.fail_expected("attribute argument")
        raise ParseError()  # unreachable

    STATEMENTS = {
        "let": parse_let,
        "var": parse_let,
        "fn": parse_fn_statement,
        "pub": parse_pub,
        "struct": lambda self: self.parse_struct(self.tok.start, False, [], self.tok.doc),
        "enum": lambda self: self.parse_enum(self.tok.start, False, [], self.tok.doc),
        "impl": parse_impl,
        "interface": parse_interface,
        "type": parse_type_alias,
        "@": parse_attributed,
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
    lexed = lex(src)
    diags: list[Diagnostic] = []
    parser = Parser(src, lexed.tokens, diags)
    program = parser.parse_program()
    program.comments = lexed.comments
    if lexed.diagnostics:
        diags = sorted(lexed.diagnostics + [d for d in diags if d.code in ("E0101", "E0102",
                                                                          "E0103")],
                       key=lambda d: d.start)
    return ParseResult(program, diags, lexed.tokens, parser.parens)


def parse_text(text: str, path: str = "<input>") -> ParseResult:
    return parse(Source(text, path))
