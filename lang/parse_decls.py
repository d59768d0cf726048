"""Parser mixin for declarations (spec §3.2, §3.3, §16.6): imports, ``pub``,
functions, structs, enums, impl blocks, interfaces, type aliases, pipelines
and attributes.

Declarations are allowed at top level and inside any block; each method is
entered with the current token on its keyword (``pub``/attributes already
consumed by the caller, which passes the start offset and doc comment).
"""

from __future__ import annotations

from lang import ast
from lang.parse_base import ParseError
from lang.parse_exprs import ExprParser
from lang.tokens import STRING

PUB_TARGETS = "fn, tool, skill, eval_pack, struct, enum, pipeline, or import after pub"
ATTRIBUTE_TARGETS = "fn, pipeline, struct, enum, type, interface or impl after attributes"


class DeclParser(ExprParser):
    def parse_import(self, start: int, pub: bool) -> ast.Import:
        self.advance()  # "import"
        names: list[ast.ImportName] | None = None
        if self.k == "{":
            self.advance()
            names = []
            self.skip_nl()
            while self.k != "}":
                name = self.expect_name("imported name")
                names.append(ast.ImportName(self.starts[name], self.ends[name], self.vals[name]))
                self.skip_nl()
                if self.accept(","):
                    self.skip_nl()
            self.advance()
            self.expect_here("from")
        path = self.expect_here(STRING, "import path string")
        return ast.Import(start, self.ends[path], self.vals[path], self.starts[path], names, pub)

    def parse_pub(self) -> ast.Stmt:
        tok = self.advance()
        nxt = self.i
        if self.kinds[nxt] == "fn" or (
            self.kinds[nxt] == "IDENT" and self.vals[nxt] == "gen" and self.peek() == "fn"
        ):
            return self.parse_fn_decl(self.starts[tok], True, [], self.docs.get(tok))
        if self.kinds[nxt] == "struct":
            return self.parse_struct(self.starts[tok], True, [], self.docs.get(tok))
        if self.kinds[nxt] == "enum":
            return self.parse_enum(self.starts[tok], True, [], self.docs.get(tok))
        if self.kinds[nxt] == "pipeline":
            return self.parse_pipeline(self.starts[tok], True, [], self.docs.get(tok))
        if self.kinds[nxt] == "import":
            return self.parse_import(self.starts[tok], True)
        self.fail_expected(PUB_TARGETS)
        raise ParseError()  # unreachable

    def parse_fn_statement(self) -> ast.FnDecl:
        tok = self.i
        return self.parse_fn_decl(self.starts[tok], False, [], self.docs.get(tok))

    def parse_fn_decl(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.FnDecl:
        is_gen = False
        if self.k == "IDENT":  # "gen"
            self.advance()
            is_gen = True
        self.advance()  # "fn"
        name = self.expect_name("function name")
        type_params = self.parse_type_params() if self.k == "<" else []
        self.expect_here("(")
        params = self.parse_params()
        ret = None
        if self.k == "->":
            self.advance()
            ret = self.parse_type()
        where = self.parse_where() if self.at_word("where") else []
        body = self.parse_block()
        return ast.FnDecl(
            start,
            body.end,
            self.vals[name],
            self.starts[name],
            params,
            body,
            type_params,
            ret,
            where,
            pub,
            is_gen,
            attrs,
            doc,
        )

    def parse_struct(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.StructDecl:
        self.advance()  # "struct"
        name = self.expect_name("struct name")
        type_params = self.parse_type_params() if self.k == "<" else []
        self.expect("{")
        fields: list[ast.StructField] = []
        self.skip_nl()
        while self.k != "}":
            ftok = self.expect_name("field name")
            optional = self.accept("?")
            ftype = None
            if self.accept(":"):
                ftype = self.parse_type()
            fields.append(
                ast.StructField(
                    self.starts[ftok],
                    self.prev_end,
                    self.vals[ftok],
                    optional,
                    ftype,
                    self.docs.get(ftok),
                )
            )
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        end = self.ends[self.advance()]
        return ast.StructDecl(
            start, end, self.vals[name], self.starts[name], fields, type_params, pub, attrs, doc
        )

    def parse_enum(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.EnumDecl:
        self.advance()  # "enum"
        name = self.expect_name("enum name")
        type_params = self.parse_type_params() if self.k == "<" else []
        self.expect("{")
        variants: list[ast.Variant] = []
        self.skip_nl()
        while self.k != "}":
            vtok = self.expect_name("variant name")
            params: list[ast.Param] = []
            has_parens = False
            if self.k == "(":
                self.advance()
                params = self.parse_params()
                has_parens = True
            variants.append(
                ast.Variant(
                    self.starts[vtok],
                    self.prev_end,
                    self.vals[vtok],
                    params,
                    has_parens,
                    self.docs.get(vtok),
                )
            )
            self.skip_nl()
            if self.accept(","):
                self.skip_nl()
        end = self.ends[self.advance()]
        return ast.EnumDecl(
            start, end, self.vals[name], self.starts[name], variants, type_params, pub, attrs, doc
        )

    def parse_impl(
        self, start: int | None = None, attrs: list | None = None, doc: str | None = None
    ) -> ast.ImplBlock:
        tok = self.advance()  # "impl"
        if start is None:
            start, doc = self.starts[tok], self.docs.get(tok)
        name = self.expect_name("type name")
        self.expect("{")
        methods: list[ast.FnDecl] = []
        self.skip_nl()
        while self.k != "}":
            mtok = self.i
            pub = False
            if self.kinds[mtok] == "pub":
                self.advance()
                pub = True
            if self.k != "fn":
                self.fail_expected("fn")
            methods.append(self.parse_fn_decl(self.starts[mtok], pub, [], self.docs.get(mtok)))
            self.skip_nl()
        end = self.ends[self.advance()]
        return ast.ImplBlock(
            start, end, self.vals[name], self.starts[name], methods, attrs or [], doc
        )

    def parse_interface(
        self, start: int | None = None, attrs: list | None = None, doc: str | None = None
    ) -> ast.InterfaceDecl:
        tok = self.advance()  # "interface"
        if start is None:
            start, doc = self.starts[tok], self.docs.get(tok)
        name = self.expect_name("interface name")
        type_params = self.parse_type_params() if self.k == "<" else []
        self.expect("{")
        assoc: list[ast.AssocType] = []
        methods: list[ast.InterfaceMethod] = []
        self.skip_nl()
        while self.k != "}":
            mtok = self.i
            if self.kinds[mtok] == "type":
                self.advance()
                tname = self.expect_name("associated type name")
                default = None
                if self.accept("="):
                    default = self.parse_type()
                assoc.append(
                    ast.AssocType(self.starts[mtok], self.prev_end, self.vals[tname], default)
                )
            elif self.kinds[mtok] == "fn":
                self.advance()
                mname = self.expect_name("method name")
                mtparams = self.parse_type_params() if self.k == "<" else []
                self.expect_here("(")
                params = self.parse_params()
                ret = None
                if self.k == "->":
                    self.advance()
                    ret = self.parse_type()
                methods.append(
                    ast.InterfaceMethod(
                        self.starts[mtok],
                        self.prev_end,
                        self.vals[mname],
                        self.starts[mname],
                        params,
                        ret,
                        mtparams,
                    )
                )
            else:
                self.fail_expected("fn or type")
            self.skip_nl()
        end = self.ends[self.advance()]
        return ast.InterfaceDecl(
            start,
            end,
            self.vals[name],
            self.starts[name],
            assoc,
            methods,
            type_params,
            attrs or [],
            doc,
        )

    def parse_type_alias(
        self, start: int | None = None, attrs: list | None = None, doc: str | None = None
    ) -> ast.TypeAlias:
        tok = self.advance()  # "type"
        if start is None:
            start, doc = self.starts[tok], self.docs.get(tok)
        name = self.expect_name("type name")
        type_params = self.parse_type_params() if self.k == "<" else []
        self.expect("=")
        target = self.parse_type()
        return ast.TypeAlias(
            start,
            self.prev_end,
            self.vals[name],
            self.starts[name],
            target,
            type_params,
            attrs or [],
            doc,
        )

    def parse_pipeline(self, start: int, pub: bool, attrs: list, doc: str | None) -> ast.Pipeline:
        self.advance()  # "pipeline"
        name = self.expect_name("pipeline name")
        self.expect_here("(")
        params = self.parse_params(typed=False)
        ret = None
        if self.k == "->":
            self.advance()
            ret = self.parse_type()
        extends = None
        if self.k == "extends":
            self.advance()
            extends = self.vals[self.expect_name("pipeline name")]
        body = self.parse_block()
        return ast.Pipeline(
            start,
            body.end,
            self.vals[name],
            self.starts[name],
            params,
            body,
            ret,
            extends,
            pub,
            attrs,
            doc,
        )

    def parse_attributed(self) -> ast.Stmt:
        start_tok = self.i
        attrs: list[ast.Attribute] = []
        while self.k == "@":
            at = self.advance()
            name = self.expect_name("attribute name")
            args: list[tuple[str | None, ast.Expr]] = []
            if self.k == "(":
                self.advance()
                self.skip_nl()
                while self.k != ")":
                    label = None
                    if self.k == "IDENT" and self.peek() == ":":
                        label = self.vals[self.advance()]
                        self.advance()
                    args.append((label, self.parse_attr_value()))
                    self.skip_nl()
                    if not self.accept(","):
                        self.skip_nl()
                        if self.k != ")":
                            self.fail_expected(")")
                    self.skip_nl()
                self.advance()
            attrs.append(ast.Attribute(self.starts[at], self.prev_end, self.vals[name], args))
            self.skip_nl()
        start, doc = self.starts[start_tok], self.docs.get(start_tok)
        kind = self.k
        is_gen = kind == "IDENT" and self.vals[self.i] == "gen" and self.peek() == "fn"
        pub = False
        if kind == "pub":
            nxt = self.i + 1
            if self.kinds[nxt] in ("fn", "struct", "enum", "pipeline") or (
                self.kinds[nxt] == "IDENT" and self.vals[nxt] == "gen"
            ):
                self.advance()
                pub = True
                kind = self.k
                is_gen = kind == "IDENT" and self.vals[self.i] == "gen"
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
        tok = self.i
        kind = self.kinds[tok]
        if kind == "[":
            self.advance()
            items: list = []
            self.skip_nl()
            while self.k != "]":
                items.append(self.parse_attr_value())
                self.skip_nl()
                self.accept(",")
                self.skip_nl()
            self.advance()
            return ast.ListLit(self.starts[tok], self.prev_end, items)
        if kind == "-" and self.peek() in ("INT", "FLOAT"):
            self.advance()
            num = self.parse_primary()
            return ast.Unary(self.starts[tok], num.end, "-", num)
        if kind in ("STRING", "RAWSTRING", "INT", "FLOAT", "true", "false", "nil", "IDENT"):
            return self.parse_primary()
        self.fail_expected("attribute argument")
        raise ParseError()  # unreachable
