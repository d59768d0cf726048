"""Parser mixin for type syntax (§3.8), parameter lists (§3.3), type
parameters and binding patterns (§3.6).

Parameter lists and binding patterns are stricter about line breaks than
other lists (§2.2): a NEWLINE right before the closing bracket is an error
unless (for parameters) the last element ended with a comma.
"""

from __future__ import annotations

from lang import ast
from lang.parse_base import Cursor, ParseError
from lang.tokens import EOF, INT, KEYWORDS, NEWLINE, NOT_MEMBER_KEYWORDS, RAWSTRING, STRING

REQUIRED_AFTER_DEFAULT = "Required parameter cannot follow a parameter with a default value"
REST_NOT_LAST = "Rest parameter must be the last parameter"


class TypeParser(Cursor):
    def parse_expr(self) -> ast.Expr:  # pragma: no cover - provided by the expression mixin
        raise NotImplementedError

    # ------------------------------------------------------------ types

    def parse_type(self) -> ast.TypeExpr:
        self.skip_nl()
        start = self.starts[self.i]
        first = self.parse_type_prim()
        if self.k != "|" and not (self.k == NEWLINE and self.peek() == "|"):
            return first
        members = [first]
        while True:
            if self.k == NEWLINE and self.peek() == "|":
                self.advance()
            if self.k != "|":
                break
            self.advance()
            self.skip_nl()
            members.append(self.parse_type_prim())
        return ast.UnionType(start, self.prev_end, members)

    def parse_type_prim(self) -> ast.TypeExpr:
        i = self.i
        kind = self.k
        start = self.starts[i]
        if kind == "IDENT":
            self.advance()
            args: list[ast.TypeExpr] = []
            if self.k == "<":
                self.advance()
                args = self.parse_type_args_rest()
            return ast.TypeName(start, self.prev_end, self.vals[i], args)
        if kind in ("nil", "true", "false"):
            self.advance()
            return ast.TypeName(start, self.ends[i], kind)
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
            while self.k != ")":
                if self.k == EOF:
                    self.fail_expected(")")
                params.append(self.parse_type())
                self.skip_nl()
                if not self.accept(","):
                    self.skip_nl()
                    if self.k != ")":
                        self.fail_expected(")")
                self.skip_nl()
            self.advance()
            self.expect("->")
            ret = self.parse_type()
            return ast.FnType(start, self.prev_end, params, ret)
        if kind in (STRING, RAWSTRING) or kind == INT:
            self.advance()
            return ast.LiteralType(start, self.ends[i], self.vals[i])
        if kind == "-" and self.peek() == INT:
            self.advance()
            num = self.advance()
            return ast.LiteralType(start, self.ends[num], -self.vals[num])
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
        start = self.starts[self.advance()]  # "{"
        fields: list[ast.ShapeField] = []
        self.skip_nl()
        while self.k != "}":
            kind = self.k
            if kind != "IDENT" and not (kind in KEYWORDS and kind not in NOT_MEMBER_KEYWORDS):
                self.fail_expected("field name")
            i = self.advance()
            optional = self.accept("?")
            self.expect(":")
            ftype = self.parse_type()
            fields.append(
                ast.ShapeField(self.starts[i], self.prev_end, self.vals[i], optional, ftype)
            )
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
        while self.k != ">" or need_more:
            first = self.i
            variance = ""
            if self.k == "in":
                variance = "in"
                self.advance()
            elif self.at_word("out") and self.peek() == "IDENT":
                variance = "out"
                self.advance()
            name = self.expect_name("type parameter name")
            out.append(
                ast.TypeParam(self.starts[first], self.ends[name], self.vals[name], variance)
            )
            need_more = False
            if self.accept(","):
                self.skip_nl()
            elif self.k == NEWLINE:
                self.advance()
                need_more = True
            elif self.k != ">":
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
            bounds.append(
                ast.WhereBound(
                    self.starts[name], self.ends[iface], self.vals[name], self.vals[iface]
                )
            )
            if not self.accept(","):
                return bounds

    # ------------------------------------------------------------ parameters

    def parse_params(self, closer: str = ")", typed: bool = True) -> list[ast.Param]:
        """Parameters up to ``closer`` (``)`` or ``->`` for closures), which is consumed."""
        params: list[ast.Param] = []
        seen_default = False
        self.skip_nl()
        need_more = False
        while self.k != closer or need_more:
            first = self.i
            rest = False
            if self.k == "." and self.peek() == "." and self.peek(2) == ".":
                self.advance()
                self.advance()
                self.advance()
                rest = True
            name = self.expect_name("parameter name")
            ptype = None
            default = None
            if typed and self.k == ":":
                self.advance()
                ptype = self.parse_type()
            if self.k == "=":
                self.advance()
                default = self.parse_expr()
                seen_default = True
            elif seen_default and not rest:
                self.fail_expected(REQUIRED_AFTER_DEFAULT)
            params.append(
                ast.Param(
                    self.starts[first],
                    self.prev_end,
                    self.vals[name],
                    self.starts[name],
                    ptype,
                    default,
                    rest,
                )
            )
            if rest:
                if self.k != closer:
                    self.fail_expected(REST_NOT_LAST)
                break
            need_more = False
            if self.accept(","):
                self.skip_nl()
            elif self.k == NEWLINE:
                self.advance()
                need_more = True
        self.advance()
        return params

    # ------------------------------------------------------------ binding patterns

    def parse_binding(self) -> ast.Pattern:
        kind = self.k
        if kind == "IDENT":
            i = self.advance()
            return ast.NamePattern(self.starts[i], self.ends[i], self.vals[i])
        if kind == "{":
            return self.parse_dict_pattern()
        if kind == "[":
            return self.parse_list_pattern()
        self.fail_expected("variable name or destructuring pattern", name_wanted=True)
        raise ParseError()  # unreachable

    def _pattern_gap(self, closer: str) -> None:
        """Allow line breaks between pattern elements but not before the closer."""
        if self.k == NEWLINE:
            if self.peek() == closer:
                self.fail_expected(closer)
            self.advance()

    def _pattern_rest(self) -> tuple[str, int] | None:
        if self.k == "." and self.peek() == "." and self.peek(2) == ".":
            self.advance()
            self.advance()
            self.advance()
            name = self.expect_name("rest binding name")
            return self.vals[name], self.starts[name]
        return None

    def parse_dict_pattern(self) -> ast.DictPattern:
        start = self.starts[self.advance()]  # "{"
        fields: list[ast.DictPatternField] = []
        rest = None
        self._pattern_gap("}")
        while self.k != "}":
            rest = self._pattern_rest()
            if rest:
                break
            key = self.expect_name("field name")
            alias = None
            alias_start = 0
            if self.accept(":"):
                a = self.expect_name("binding name")
                alias, alias_start = self.vals[a], self.starts[a]
            default = None
            if self.accept("="):
                default = self.parse_expr()
            fields.append(
                ast.DictPatternField(
                    self.starts[key], self.prev_end, self.vals[key], alias, alias_start, default
                )
            )
            self.accept(",")
            self._pattern_gap("}")
        self.expect_here("}")
        rest_name, rest_start = rest if rest else (None, 0)
        return ast.DictPattern(start, self.prev_end, fields, rest_name, rest_start)

    def parse_list_pattern(self) -> ast.ListPattern:
        start = self.starts[self.advance()]  # "["
        elems: list[ast.ListPatternElem] = []
        rest = None
        self._pattern_gap("]")
        while self.k != "]":
            rest = self._pattern_rest()
            if rest:
                break
            name = self.expect_name("binding name")
            default = None
            if self.accept("="):
                default = self.parse_expr()
            elems.append(
                ast.ListPatternElem(self.starts[name], self.prev_end, self.vals[name], default)
            )
            self.accept(",")
            self._pattern_gap("]")
        self.expect_here("]")
        rest_name, rest_start = rest if rest else (None, 0)
        return ast.ListPattern(start, self.prev_end, elems, rest_name, rest_start)
