"""The Harn formatter: one canonical layout for any file that parses.

``format_source(text)`` parses the text (a file with syntax errors raises
:class:`FormatError` and is never rewritten), walks the AST in source order
building a layout document (:mod:`lang.fmt_doc`), taking every token's text
from the source (:mod:`lang.fmt_cursor`), and prints it at the given width.
Both entry points are pure functions of their arguments, for the command line
and the language server alike.

Canonical style: 2-space indents; one statement per line; statement-level
``if``/``for``/``while``/``match``/``try``/... blocks always broken, while
blocks in expression position (closures, ``fn`` expressions, ``if``/``try``
values, match-arm bodies, ``guard ... else``) stay on one line when they hold
one statement and fit; spaces around binary operators, after commas and
colons; ``{a: 1}`` dicts, ``{ x -> x }`` closures, ``import { a, b }``; commas
written where optional and a trailing comma in every broken list; ``;``
replaced by line breaks; ``catch e`` written ``catch (e)``; attributes one per
line; at most one blank line kept where the user put blank lines between
statements or members, none at the start or end of a block; every comment
kept in place (see :mod:`lang.fmt_cursor`); a single final newline.

``format_range`` formats the whole text and returns one edit covering the
top-level items that overlap the range (a rangeFormatting request).
"""

from __future__ import annotations

from lang import ast
from lang.diagnostics import Diagnostic, Edit
from lang.fmt_cursor import Misaligned
from lang.fmt_doc import Group, Indent, Mark, render
from lang.fmt_exprs import ExprFormatter
from lang.gcpause import gc_paused
from lang.parser import parse
from lang.source import Source
from lang.tokens import EOF, IDENT, STRING

DEFAULT_WIDTH = 100

# Keyword-led expressions that are statements at statement start (§3.4).
BLOCK_STATEMENTS = (ast.If, ast.Match, ast.Try, ast.Parallel, ast.Retry, ast.Deadline,
                    ast.Spawn)


class FormatError(Exception):
    """The text could not be formatted: it has syntax errors (``diagnostics``), or
    the formatter failed internally (``internal``; the text is left as it was)."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None,
                 source: Source | None = None, internal: bool = False) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.source = source
        self.internal = internal


class Formatter(ExprFormatter):
    """Statements and declarations; expressions come from :class:`ExprFormatter`."""

    marks = False  # put a Mark after each top-level item (for format_range)

    # ------------------------------------------------------------ program and blocks

    def program(self, prog: ast.Program, shebang: str | None) -> list:
        parts: list = []
        if shebang is not None:
            parts.append(shebang)
        for k, item in enumerate(prog.items):
            if k or shebang is not None:
                parts.append(self.hardline())
            parts.append(self.lead(2 if (k or shebang is not None) else 1))
            parts.append(self.stmt(item))
            if self.marks:
                parts.append(Mark(k))
            parts.append(self.skip_all(";"))
        parts.append(self.dangling(2 if (prog.items or shebang is not None) else 1))
        if self.pending:
            parts.extend(self.pending)
            self.pending = None
        if self.kinds[self.i] != EOF:
            raise Misaligned(f"unprinted {self.kinds[self.i]} at offset {self.starts[self.i]}")
        return parts

    def stmt_list(self, stmts: list, first_sep) -> list:
        parts: list = []
        for k, s in enumerate(stmts):
            parts.append(self.hardline() if k else first_sep())
            parts.append(self.lead(2 if k else 1))
            parts.append(self.stmt(s))
            parts.append(self.skip_all(";"))
        parts.append(self.dangling(2 if stmts else 1))
        return parts

    def block(self, blk: ast.Block, inline: bool = False) -> list:
        return self.braced(self.tok("{"), [], blk.stmts, inline)

    def members(self, items: list, fn, comma: bool) -> list:
        """``{`` (already printed) members one per line ``}`` for declarations."""
        if not items and not self.inner_comments():
            return [self.tok("}")]
        body: list = []
        for k, item in enumerate(items):
            body.append(self.hardline())
            body.append(self.lead(2 if k else 1))
            body.append(fn(item))
            if comma:
                body.append(self.skip(","))
                body.append(",")
        body.append(self.dangling(2 if items else 1))
        return [Indent(body), self.hardline(), self.tok("}")]

    # ------------------------------------------------------------ statements

    def stmt(self, s: ast.Stmt) -> object:
        if type(s) is ast.ExprStmt:
            e = s.expr
            if isinstance(e, BLOCK_STATEMENTS) and not self.is_paren(e):
                return self.keyword_expr(e, True)
            return self.expr(e)
        return self.STMT[type(s)](self, s)

    def let(self, s: ast.Let) -> object:
        parts = [self.tok(), " ", self.pattern(s.pattern)]
        if s.type is not None:
            parts += [self.tok(":"), " ", self.type_(s.type)]
        return [*parts, " ", self.tok("="), " ", self.value(s.value)]

    def value(self, e: ast.Expr) -> object:
        """An operand after ``=``, ``throw``...: comments before it indent it."""
        if self.inner_comments():
            return Indent([self.lead(hang=False), self.expr(e)])
        return self.expr(e)

    def assign(self, s: ast.Assign) -> object:
        target = self.expr(s.target)
        return [target, " ", self.tok(s.op), " ", self.value(s.value)]

    def for_(self, s: ast.For) -> object:
        head = [self.tok("for"), " ", self.pattern(s.pattern), " ", self.tok("in"), " ",
                self.expr(s.iterable)]
        return [*head, " ", self.block(s.body)]

    def while_(self, s: ast.While) -> object:
        return [self.tok("while"), " ", self.expr(s.cond), " ", self.block(s.body)]

    def return_(self, s: ast.Return | ast.Yield) -> object:
        kw = self.tok()
        if s.value is None:
            return kw
        return [kw, " ", self.expr(s.value)]

    def throw(self, s: ast.Throw | ast.Emit) -> object:
        return [self.tok(), " ", self.value(s.value)]

    def word(self, s: ast.Stmt) -> object:
        return self.tok()

    def guard(self, s: ast.Guard) -> object:
        head = [self.tok("guard"), " ", self.expr(s.cond), " ", self.tok("else", hang=False), " "]
        return Group([*head, self.block(s.else_body, True)])

    def require(self, s: ast.Require) -> object:
        parts = [self.tok("require"), " ", self.expr(s.cond)]
        if s.message is not None:
            parts += [self.tok(","), " ", self.expr(s.message)]
        return parts

    def kw_block(self, s: ast.Mutex | ast.Defer) -> object:
        return [self.tok(), " ", self.block(s.body)]

    def select(self, s: ast.Select) -> object:
        head = [self.tok("select"), " ", self.tok("{")]
        return [*head, *self.members(s.cases, self.select_case, False)]

    def select_case(self, c: ast.SelectCase) -> object:
        if c.kind == "recv":
            head = [self.tok(IDENT), " ", self.tok("from"), " ", self.expr(c.expr), " "]
        elif c.kind == "timeout":
            head = [self.tok(IDENT), " ", self.expr(c.expr), " "]
        else:
            head = [self.tok(IDENT), " "]
        return [*head, self.block(c.body)]

    def override(self, s: ast.Override) -> object:
        head = [self.tok("override"), " ", self.tok(IDENT)]
        params = self.seq(self.tok("("), s.params, lambda _: self.tok(IDENT), ")")
        return [*head, params, " ", self.block(s.body)]

    # ------------------------------------------------------------ keyword expressions

    def keyword_expr(self, e: ast.Expr, stmt_level: bool) -> object:
        parts = self.KEYWORD[type(e)](self, e, not stmt_level)
        return parts if stmt_level else Group(parts)

    def if_(self, e: ast.If, inline: bool) -> list:
        parts = [self.tok("if"), " ", self.expr(e.cond), " ", self.block(e.then, inline)]
        if e.else_ is not None:
            parts += [" ", self.tok("else", hang=False), " "]
            if type(e.else_) is ast.If:
                parts += self.if_(e.else_, inline)
            else:
                parts.append(self.block(e.else_, inline))
        return parts

    def match(self, e: ast.Match, inline: bool) -> list:
        head = [self.tok("match"), " ", self.expr(e.subject), " ", self.tok("{")]
        return [*head, *self.members(e.arms, self.arm, False)]

    def arm(self, a: ast.MatchArm) -> object:
        parts = [self.expr(a.patterns[0])]
        for p in a.patterns[1:]:
            parts += [" ", self.tok("|"), " ", self.expr(p)]
        if a.guard is not None:
            parts += [" ", self.tok("if"), " ", self.expr(a.guard)]
        parts += [" ", self.tok("->"), " "]
        return Group([*parts, self.block(a.body, True)])

    def try_(self, e: ast.Try, inline: bool) -> list:
        parts = [self.tok("try"), " ", self.block(e.body, inline)]
        if e.has_catch:
            parts += [" ", self.tok("catch", hang=False), " "]
            if e.catch_name is not None:
                parts += [self.skip("("), "(", self.tok(IDENT)]
                if e.catch_type is not None:
                    parts += [self.tok(":"), " ", self.type_(e.catch_type)]
                parts += [self.skip(")"), ") "]
            parts.append(self.block(e.catch_body, inline))  # type: ignore[arg-type]
        if e.finally_body is not None:
            parts += [" ", self.tok("finally", hang=False), " ", self.block(e.finally_body, inline)]
        return parts

    def spawn(self, e: ast.Spawn, inline: bool) -> list:
        return [self.tok("spawn"), " ", self.block(e.body, inline)]

    def retry(self, e: ast.Retry, inline: bool) -> list:
        head = [self.tok("retry"), " ", self.expr(e.count), " "]
        return [*head, self.block(e.body, inline)]

    def deadline(self, e: ast.Deadline, inline: bool) -> list:
        head = [self.tok("deadline"), " ", self.expr(e.duration), " "]
        return [*head, self.block(e.body, inline)]

    def parallel(self, e: ast.Parallel, inline: bool) -> list:
        parts: list = [self.tok("parallel")]
        if e.mode:
            parts += [" ", self.tok(IDENT)]
        if e.mode or self.peek_kind() != "(":
            parts.append(" ")
        parts.append(self.expr(e.operand))
        if e.max_concurrent is not None:
            parts += [" ", self.tok(IDENT), " ", self.tok("{"), " ", self.tok(IDENT),
                      self.tok(":"), " ", self.expr(e.max_concurrent)]
            parts += [self.skip(","), " ", self.tok("}")]
        parts.append(" ")
        open_doc = self.tok("{")
        header: list = []
        if e.param is not None:
            header = [" ", self.tok(IDENT), " ", self.tok("->")]
        parts += self.braced(open_doc, header, e.body.stmts, inline)
        if e.as_stream:
            parts += [" ", self.tok(IDENT), " ", self.tok(IDENT)]
        return parts

    # ------------------------------------------------------------ declarations

    def attrs(self, attributes: list[ast.Attribute]) -> list:
        parts: list = []
        for a in attributes:
            head = [self.tok("@"), self.tok(IDENT)]
            if self.peek_kind() == "(":
                head.append(self.seq(self.tok("("), a.args, self.attr_arg, ")"))
            parts += [head, self.hardline()]
        return parts

    def attr_arg(self, arg: tuple[str | None, ast.Expr]) -> object:
        label, value = arg
        if label is None:
            return self.expr(value)
        return [self.tok(IDENT), self.tok(":"), " ", self.expr(value)]

    def fn_decl(self, d: ast.FnDecl) -> object:
        parts = self.attrs(d.attributes)
        if d.pub:
            parts += [self.tok("pub"), " "]
        if d.is_gen:
            parts += [self.tok(IDENT), " "]
        parts += [self.tok("fn"), " ", self.tok(IDENT)]
        if d.type_params:
            parts.append(self.type_params(d.type_params))
        parts.append(self.param_list(d.params))
        if d.return_type is not None:
            parts += [" ", self.tok("->"), " ", self.type_(d.return_type)]
        if d.where:
            parts += [" ", self.tok(IDENT), " ", self.inline_list(d.where, self.where_bound)]
        return [*parts, " ", self.block(d.body)]

    def where_bound(self, b: ast.WhereBound) -> object:
        return [self.tok(IDENT), self.tok(":"), " ", self.tok(IDENT)]

    def _decl_head(self, d, keyword: str) -> list:
        parts = self.attrs(d.attributes)
        if getattr(d, "pub", False):
            parts += [self.tok("pub"), " "]
        parts += [self.tok(keyword), " ", self.tok(IDENT)]
        if getattr(d, "type_params", None):
            parts.append(self.type_params(d.type_params))
        return parts

    def struct(self, d: ast.StructDecl) -> object:
        head = self._decl_head(d, "struct")
        head += [" ", self.tok("{")]
        return [*head, *self.members(d.fields, self.struct_field, True)]

    def struct_field(self, f: ast.StructField) -> object:
        parts = [self.tok(IDENT)]
        if f.optional:
            parts.append(self.tok("?"))
        if f.type is not None:
            parts += [self.tok(":"), " ", self.type_(f.type)]
        return parts

    def enum(self, d: ast.EnumDecl) -> object:
        head = self._decl_head(d, "enum")
        head += [" ", self.tok("{")]
        return [*head, *self.members(d.variants, self.variant, True)]

    def variant(self, v: ast.Variant) -> object:
        name = self.tok(IDENT)
        if v.has_parens:
            return [name, self.param_list(v.params)]
        return name

    def impl(self, d: ast.ImplBlock) -> object:
        head = self._decl_head(d, "impl")
        head += [" ", self.tok("{")]
        return [*head, *self.members(d.methods, self.fn_decl, False)]

    def interface(self, d: ast.InterfaceDecl) -> object:
        head = self._decl_head(d, "interface")
        head += [" ", self.tok("{")]
        items = sorted([*d.assoc_types, *d.methods], key=lambda m: m.start)
        return [*head, *self.members(items, self.iface_member, False)]

    def iface_member(self, m: ast.AssocType | ast.InterfaceMethod) -> object:
        if type(m) is ast.AssocType:
            parts = [self.tok("type"), " ", self.tok(IDENT)]
            if m.default is not None:
                parts += [" ", self.tok("="), " ", self.type_(m.default)]
            return parts
        parts = [self.tok("fn"), " ", self.tok(IDENT)]
        if m.type_params:
            parts.append(self.type_params(m.type_params))
        parts.append(self.param_list(m.params))
        if m.return_type is not None:
            parts += [" ", self.tok("->"), " ", self.type_(m.return_type)]
        return parts

    def type_alias(self, d: ast.TypeAlias) -> object:
        head = self._decl_head(d, "type")
        return [*head, " ", self.tok("="), " ", self.type_(d.type)]

    def pipeline(self, d: ast.Pipeline) -> object:
        parts = self._decl_head(d, "pipeline")
        parts.append(self.param_list(d.params))
        if d.return_type is not None:
            parts += [" ", self.tok("->"), " ", self.type_(d.return_type)]
        if d.extends is not None:
            parts += [" ", self.tok("extends"), " ", self.tok(IDENT)]
        return [*parts, " ", self.block(d.body)]

    def import_(self, d: ast.Import) -> object:
        parts: list = []
        if d.pub:
            parts += [self.tok("pub"), " "]
        parts += [self.tok("import"), " "]
        if d.names is not None:
            names = self.seq(self.tok("{"), d.names, lambda _: self.tok(IDENT), "}", pad=True)
            parts += [names, " ", self.tok("from"), " "]
        return [*parts, self.tok(STRING)]

    STMT = {
        ast.Let: let,
        ast.Assign: assign,
        ast.For: for_,
        ast.While: while_,
        ast.Return: return_,
        ast.Yield: return_,
        ast.Throw: throw,
        ast.Emit: throw,
        ast.Break: word,
        ast.Continue: word,
        ast.Guard: guard,
        ast.Require: require,
        ast.Mutex: kw_block,
        ast.Defer: kw_block,
        ast.Select: select,
        ast.Override: override,
        ast.FnDecl: fn_decl,
        ast.StructDecl: struct,
        ast.EnumDecl: enum,
        ast.ImplBlock: impl,
        ast.InterfaceDecl: interface,
        ast.TypeAlias: type_alias,
        ast.Pipeline: pipeline,
        ast.Import: import_,
    }

    KEYWORD = {
        ast.If: if_,
        ast.Match: match,
        ast.Try: try_,
        ast.Spawn: spawn,
        ast.Parallel: parallel,
        ast.Retry: retry,
        ast.Deadline: deadline,
    }


# ---------------------------------------------------------------- entry points


def _layout(text: str, path: str, marks: bool = False) -> tuple[object, ast.Program]:
    src = Source(text, path)
    result = parse(src)
    if result.diagnostics:
        first = result.diagnostics[0]
        line, col = src.line_col(first.start)
        raise FormatError(f"{path}:{line}:{col}: {first.message}", result.diagnostics, src)
    shebang = None
    first_offset = 0
    if text.startswith("#!"):
        nl = text.find("\n")
        first_offset = len(text) if nl < 0 else nl
        shebang = text[:first_offset].rstrip("\r")
    fmt = Formatter(text, result.lexed.arrays, result.program.comments, result.parens,
                    first_offset)
    fmt.marks = marks
    return fmt.program(result.program, shebang), result.program


def _format(text: str, width: int, path: str,
            marks: bool = False) -> tuple[str, dict[int, int], ast.Program]:
    """Parse, lay out and print, with the cyclic garbage collector paused (syntax
    trees and layout documents are millions of acyclic objects; collections
    rescanning them would double the running time). An unexpected failure is a
    formatter bug: it becomes an internal :class:`FormatError`, never a crash."""
    try:
        with gc_paused():
            doc, program = _layout(text, path, marks)
            out, offsets = render(doc, width)
        return (out + "\n" if out else ""), offsets, program
    except FormatError:
        raise
    except Exception as exc:  # a formatter bug: reported, the text stays as it was
        raise FormatError(f"{path}: internal formatter error ({type(exc).__name__}: {exc}); "
                          "the text was left unchanged", source=Source(text, path),
                          internal=True) from exc


def format_source(text: str, width: int = DEFAULT_WIDTH, path: str = "<input>") -> str:
    """The canonical form of ``text``; raises :class:`FormatError` if it does not parse."""
    return _format(text, width, path)[0]


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def format_range(text: str, start: int, end: int, width: int = DEFAULT_WIDTH,
                 path: str = "<input>") -> list[Edit]:
    """Edits (character offsets into ``text``) that format the top-level items
    overlapping ``[start, end)``; an empty list when nothing changes."""
    out, marks, prog = _format(text, width, path, marks=True)
    items = prog.items
    if not items:
        return []
    sel = [k for k, it in enumerate(items) if it.start < max(end, start + 1) and it.end > start]
    if not sel:
        return []
    first, last = sel[0], sel[-1]
    # Items that share a line with a selected one are formatted with it.
    while first > 0 and _line_end(text, items[first - 1].end) > items[first].start:
        first -= 1
    while last + 1 < len(items) and _line_end(text, items[last].end) > items[last + 1].start:
        last += 1
    if first == 0:
        o_start = n_start = 0
    else:
        o_start = _line_end(text, items[first - 1].end)
        n_start = _line_end(out, marks[first - 1])
    if last == len(items) - 1:
        o_end, n_end = len(text), len(out)
    else:
        o_end = _line_end(text, items[last].end)
        n_end = _line_end(out, marks[last])
    new = out[n_start:n_end]
    if text[o_start:o_end] == new:
        return []
    return [Edit(o_start, o_end, new)]


__all__ = ["DEFAULT_WIDTH", "FormatError", "format_range", "format_source"]
