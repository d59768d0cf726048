"""Parser mixin for type syntax (§3.8), parameter lists (§3.3), type
parameters and binding patterns (§3.6).

Parameter lists and binding patterns are stricter about line breaks than
other lists (§2.2): a NEWLINE right before the closing bracket is an error
unless (for parameters) the last element ended with a comma.
"""

from __future__ import annotations

from lang import ast
from lang.parse_base import Cursor, ParseError
from lang.tokens import INT, NEWLINE, NOT_MEMBER_KEYWORDS, RAWSTRING, STRING, KEYWORDS

REQUIRED_AFTER_DEFAULT = "Required parameter cannot follow a parameter with a default value"
REST_NOT_LAST = "Rest parameter must be the last parameter"


class TypeParser(Cursor):
    def parse_expr(self) -> ast.Expr:  # pragma: no cover - provided by the expression mixin
        raise NotImplementedError

    # ------------------------------------------------------------ types

    def parse_type(self) -> ast.TypeExpr:
        self.skip_nl()
        start = self.tok.start
        first = self.parse_type_prim()
        if self.tok.kind != "|" and not (
            self.tok.kind == NEWLINE and self.peek().kind == "|"
        ):
            return first
        members = [first]
        while True:
            if self.tok.kind == NEWLINE and self.peek().kind == "|":
                self.advance()
            if self.tok.kind != "|":
                break
            self.advance()
            self.skip_nl()
            members.append(self.parse_type_prim())
        return ast.UnionType(start, self.prev_end, members)

    def parse_type_prim(self) -> ast.TypeExpr:
        tok = self.tok
        kind = tok.kind
        start = tok.start
        if kind == "IDENT":
            self.advance()
            args: list[ast.TypeExpr] = []
            if self.tok.kind == "<":
                self.advance()
                args = self.parse_type_args_rest()
            return ast.TypeName(start, self.prev_end, tok.value, args)
        if kind in ("nil", "true", "false"):
            self.advance()
            return ast.TypeName(start, tok.end, kind)
        if kind == "[":
            self.advance()
            elem = self.parse_type()
            self.expect("]")
            return ast.ListType(start, self.prev_end, elem)
        if kind == "{":
            return self.parse_shape_type()
        if kind == "fn":
            self.advance()
            self.expect("(")
            params: list[ast.TypeExpr] = []
            self.skip_nl()
            while self.tok.kind != ")":
                params.append(self.parse_type())
                self.skip_nl()
                if not self.accept(","):
                    self.skip_nl()
                    if self.tok.kind != ")":
                        self.fail_expected(")")
                self.skip_nl()
            self.advance()
            self.expect("->")
            ret = self.parse_type()
            return ast.FnType(start, self.prev_end, params, ret)
        if kind in (STRING, RAWSTRING):
            self.advance()
            return ast.LiteralType(start, tok.end, tok.value)
        if kind == INT:
            self.advance()
            return ast.LiteralType(start, tok.end, tok.value)
        if kind == "-" and self.peek().kind == INT:
            self.advance()
            num = self.advance()
            return ast.LiteralType(start, num.end, -num.value)
        self.fail_expected("type")
        raise ParseError()  # unreachable

    def parse_type_args_rest(self) -> list[ast.TypeExpr]:
        """After ``<``: ``type { "," type } ">"`` (commas required)."""
        args = [self.parse_type()]
        self.skip_nl()
        while self.accept(","):
            args.append(self.parse_type())
            self.skip_nl()
        self.expect_here(">")
        return args

    def parse_shape_type(self) -> ast.ShapeType:
        start = self.advance().start  # "{"
        fields: list[ast.ShapeField] = []
        self.skip_nl()
        while self.tok.kind != "}":
            tok = self.tok
            if tok.kind != "IDENT" and not (tok.kind in KEYWORDS and tok.kind
                                             not in NOT_MEMBER_KEYWORDS):
                self.fail_expected("field name")
            self.advance()
            optional = self.accept("?")
            self.expect(":")
            ftype = self.parse_type()
            fields.append(ast.ShapeField(tok.start, self.prev_end, tok.value, optional, ftype))
            self.skip_nl()
            self.accept(",")
            self.skip_nl()
        self.advance()
        return ast.ShapeType(start, self.prev_end, fields)

    # ------------------------------------------------------------ type params

    def parse_type_params(self) -> list[ast.TypeParam]:
        """``< [in|out] T, ... >``; a NEWLINE before ``>`` needs a comma before it."""
        self.advance()  # "<"
        out: list[ast.TypeParam] = []
        self.skip_nl()
        need_more = False
        while self.tok.kind != ">" or need_more:
            tok = self.tok
            variance = ""
            if tok.kind == "in":
                variance = "in"
                self.advance()
            elif tok.kind == "IDENT" and tok.value == "out" and self.peek().kind == "IDENT":
                variance = "out"
                self.advance()
            name = self.expect_name("type parameter name")
            out.append(ast.TypeParam(tok.start, name.end, name.value, variance))
            need_more = False
            if self.accept(","):
                self.skip_nl()
            elif self.tok.kind == NEWLINE:
                self.advance()
                need_more = True
            elif self.tok.kind != ">":
                self.fail_expected(">")
        self.advance()
        return out

    def parse_where(self) -> list[ast.WhereBound]:
        """``where T: Iface, U: Other`` (the ``where`` word is current)."""
        self.advance()
        bounds = []
        while True:
            name = self.expect_name("type parameter name")
            self.expect(":")
            iface = self.expect_name("interface name")
            bounds.append(ast.WhereBound(name.start, iface.end, name.value, iface.value))
            if not self.accept(","):
                return bounds

    # ------------------------------------------------------------ parameters

    def parse_params(self, closer: str = ")", typed: bool = True) -> list[ast.Param]:
        """Parameters up to ``closer`` (``)`` or ``->`` for closures), which is consumed."""
        params: list[ast.Param] = []
        seen_default = False
        self.skip_nl()
        need_more = False
        while self.tok.kind != closer or need_more:
            tok = self.tok
            rest = False
            if tok.kind == "." and self.peek().kind == "." and self.peek(2).kind == ".":
                self.advance()
                self.advance()
                self.advance()
                rest = True
            name = self.expect_name("parameter name")
            ptype = None
            default = None
            if typed and self.tok.kind == ":":
                self.advance()
                ptype = self.parse_type()
            if self.tok.kind == "=":
                self.advance()
                default = self.parse_expr()
                seen_default = True
            elif seen_default and not rest:
                self.fail_expected(REQUIRED_AFTER_DEFAULT)
            params.append(ast.Param(tok.start, self.prev_end, name.value, name.start, ptype,
                                    default, rest))
            if rest:
                if self.tok.kind != closer:
                    self.fail_expected(REST_NOT_LAST)
                break
            need_more = False
            if self.accept(","):
                self.skip_nl()
            elif self.tok.kind == NEWLINE:
                self.advance()
                need_more = True
        self.advance()
        return params

    # ------------------------------------------------------------ binding patterns

    def parse_binding(self) -> ast.Pattern:
        tok = self.tok
        if tok.kind == "IDENT":
            self.advance()
            return ast.NamePattern(tok.start, tok.end, tok.value)
        if tok.kind == "{":
            return self.parse_dict_pattern()
        if tok.kind == "[":
            return self.parse_list_pattern()
        self.fail_expected("variable name or destructuring pattern", name_wanted=True)
        raise ParseError()  # unreachable

    def _pattern_gap(self, closer: str) -> None:
        """Allow line breaks between pattern elements but not before the closer."""
        if self.tok.kind == NEWLINE:
            if self.peek().kind == closer:
                self.fail_expected(closer)
            self.advance()

    def _pattern_rest(self) -> tuple[str, int] | None:
        if self.tok.kind == "." and self.peek().kind == "." and self.peek(2).kind == ".":
            self.advance()
            self.advance()
            self.advance()
            name = self.expect_name("rest binding name")
            return name.value, name.start
        return None

    def parse_dict_pattern(self) -> ast.DictPattern:
        start = self.advance().start  # "{"
        fields: list[ast.DictPatternField] = []
        rest = None
        self._pattern_gap("}")
        while self.tok.kind != "}":
            rest = self._pattern_rest()
            if rest:
                break
            key = self.expect_name("field name")
            alias = None
            alias_start = 0
            if self.accept(":"):
                a = self.expect_name("binding name")
                alias, alias_start = a.value, a.start
            default = None
            if self.accept("="):
                default = self.parse_expr()
            fields.append(ast.DictPatternField(key.start, self.prev_end, key.value, alias,
                                               alias_start, default))
            self.accept(",")
            self._pattern_gap("}")
        self.expect_here("}")
        rest_name, rest_start = rest if rest else (None, 0)
        return ast.DictPattern(start, self.prev_end, fields, rest_name, rest_start)

    def parse_list_pattern(self) -> ast.ListPattern:
        start = self.advance().start  # "["
        elems: list[ast.ListPatternElem] = []
        rest = None
        self._pattern_gap("]")
        while self.tok.kind != "]":
            rest = self._pattern_rest()
            if rest:
                break
            name = self.expect_name("binding name")
            default = None
            if self.accept("="):
                default = self.parse_expr()
            elems.append(ast.ListPatternElem(name.start, self.prev_end, name.value, default))
            self.accept(",")
            self._pattern_gap("]")
        self.expect_here("]")
        rest_name, rest_start = rest if rest else (None, 0)
        return ast.ListPattern(start, self.prev_end, elems, rest_name, rest_start)
