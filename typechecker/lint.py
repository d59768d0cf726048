"""The linter (types.md §16.3): name-based rules, no types; ``lang check`` and LSP only.

One pass over the tree collects the file's *referenced names* (every name read,
called, constructed or written in a type annotation, ``${...}`` included) and
*assigned names*; a second, scoped walk visits declarations and statements and
applies the rules. "Unused" means the name is referenced nowhere in the file
(name-based, as the reference does), so a variable used by a homonym elsewhere
counts as used. Every rule is a warning except ``break-outside-loop``; the code
of a lint diagnostic is its rule name and its help text the rule's suggestion.
"""

from __future__ import annotations

import re

from lang import ast
from lang.diagnostics import Diagnostic, Severity
from lang.source import Source
from typechecker import builtins

SNAKE = re.compile(r"^_*[a-z][a-z0-9_]*$")
PASCAL = re.compile(r"^_*[A-Z][A-Za-z0-9]*$")
ARITH = frozenset({"+", "-", "*", "/", "%"})
LOOPS = (ast.For, ast.While)


_SCALAR = frozenset({"int", "str", "bool", "float", "str | None", "str | int", "list[str]"})
_SPECS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _spec(cls: type) -> tuple[tuple[str, bool], ...]:
    """``(field, is_list)`` for the fields of a node class that may hold nodes."""
    spec = _SPECS.get(cls)
    if spec is None:
        out = []
        for name, f in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
            ann = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
            if ann in _SCALAR or name in ("start", "end", "comments", "doc"):
                continue
            out.append((name, ann.startswith("list[")))
        spec = _SPECS[cls] = tuple(out)
    return spec


def kids(node: ast.Node) -> list[ast.Node]:
    """Direct child nodes (faster than ``ast.children``: per-class field specs)."""
    out: list[ast.Node] = []
    for name, is_list in _spec(type(node)):
        v = getattr(node, name)
        if v is None:
            continue
        if is_list:
            for item in v:
                if type(item) is tuple:
                    out.extend(x for x in item if isinstance(x, ast.Node))
                elif not isinstance(item, str):
                    out.append(item)
        else:
            out.append(v)
    return out


def _type_names(t: ast.Node, used: set[str]) -> None:
    if type(t) is ast.TypeName:
        used.add(t.name)
        if not t.args:
            return
    stack = [t]
    while stack:
        n = stack.pop()
        if type(n) is ast.TypeName:
            used.add(n.name)
        stack.extend(kids(n))


class Linter:
    def __init__(self, program: ast.Program, src: Source, wildcard_unresolved: bool) -> None:
        self.program = program
        self.src = src
        self.out: list[Diagnostic] = []
        self.used: set[str] = set()
        self.assigned: set[str] = set()
        self.wildcard_unresolved = wildcard_unresolved
        self.declared: set[str] = set()  # every name declared anywhere (name-based)
        self.pending: list[tuple[str, str, ast.Node, int]] = []  # (kind, name, node, start)
        self.fns: list[tuple[ast.FnDecl, bool]] = []
        self.types: list[tuple[ast.Node, str]] = []
        self.calls: list[ast.Call] = []

    def add(self, rule: str, message: str, start: int, end: int, help: str | None = None,
            severity: Severity = Severity.WARNING) -> None:
        self.out.append(Diagnostic(severity, rule, message, start, end, help=help,
                                   source="harn-lint"))

    # ------------------------------------------------------------ driver

    def run(self) -> list[Diagnostic]:
        scopes: list[dict[str, str]] = [{}]
        for item in self.program.items:
            if type(item) is ast.Import and item.names:
                self.declared.update(n.name for n in item.names)
        self.stmts(self.program.items, scopes, loop=False, top=True)
        self.deferred()
        self.out.sort(key=lambda d: d.start)
        return self.out

    def deferred(self) -> None:
        """Rules that need the whole file's names: unused-*, undefined-function."""
        used = self.used
        for item in self.program.items:
            if type(item) is ast.Import:
                self.import_rule(item)
        for kind, name, _node, start in self.pending:
            end = start + len(name)
            if kind in ("let", "var") and name not in used:
                self.add("unused-variable", f"variable `{name}` is declared but never used",
                         start, end, f"remove it or rename it to `_{name}`")
            elif kind == "pattern" and name not in used:
                self.add("unused-pattern-binding", f"pattern binding `{name}` is never used",
                         start, end, f"rename it to `_{name}` or `_`")
            elif kind == "param" and name not in used and name != "self":
                self.add("unused-parameter", f"parameter `{name}` is declared but never used",
                         start, end, f"rename it to `_{name}`")
            if kind == "var" and name not in self.assigned and name in used:
                self.add("mutable-never-reassigned",
                         f"variable `{name}` is declared as `var` but never reassigned",
                         start, end, "declare it with `let`")
        for node, method in self.fns:
            name = node.name
            if not method and not node.pub and not name.startswith("_") and name not in used:
                self.add("unused-function", f"function `{name}` is declared but never used",
                         node.name_start, node.name_start + len(name), "remove it or call it")
        for node, kind in self.types:
            name = node.name  # type: ignore[attr-defined]
            if not getattr(node, "pub", False) and not name.startswith("_") and \
                    name not in used and kind != "type":
                self.add("unused-type", f"{kind} `{name}` is declared but never referenced",
                         node.name_start, node.name_start + len(name),  # type: ignore
                         "remove it")
        for call in self.calls:
            self.undefined_rule(call)

    def import_rule(self, imp: ast.Import) -> None:
        if imp.names is None:
            return
        for n in imp.names:
            if n.name not in self.used and not n.name.startswith("_"):
                self.add("unused-import", f"imported name `{n.name}` is never used",
                         n.start, n.end, "remove the unused import")

    # ------------------------------------------------------------ declarations

    def declare(self, name: str, kind: str, node: ast.Node, start: int,
                scopes: list[dict[str, str]]) -> None:
        if name == "_":
            return
        cur = scopes[-1]
        prev = cur.get(name)
        end = start + len(name)
        if prev == "let" and kind in ("let", "var"):
            self.add("shadow-variable",
                     f"cannot redeclare immutable variable `{name}` in the same scope",
                     start, end, "use a different name or declare it with `var`")
        elif prev is None and kind in ("let", "var") and any(name in s for s in scopes[:-1]) \
                and not name.startswith("_"):
            self.add("shadow-variable", f"variable `{name}` shadows a variable in an outer scope",
                     start, end, "rename the inner variable")
        cur[name] = kind
        self.declared.add(name)
        if not name.startswith("_"):
            self.pending.append((kind, name, node, start))

    def fn_decl(self, node: ast.FnDecl, scopes: list[dict[str, str]], method: bool) -> None:
        name = node.name
        self.fns.append((node, method))
        self.declared.add(name)
        used = self.used
        for p in node.params:
            if p.type is not None:
                _type_names(p.type, used)
        if node.return_type is not None:
            _type_names(node.return_type, used)
        for w in node.where:
            used.add(w.interface)
        if not SNAKE.match(name) and not name.startswith("__"):
            self.add("naming-convention", f"function `{name}` should use snake_case",
                     node.name_start, node.name_start + len(name), "rename it in snake_case")
        scopes[-1][name] = "fn"
        inner = scopes + [{}]
        for p in node.params:
            if p.default is not None:
                self.expr(p.default, inner, False)
            self.declare(p.name, "param", p, p.name_start, inner)
        self.block(node.body, inner, loop=False)

    def type_refs(self, node: ast.Node) -> None:
        """Names referenced from type annotations (and other type-level syntax)."""
        stack = kids(node)
        used = self.used
        while stack:
            n = stack.pop()
            cls = type(n)
            if cls is ast.Block:
                continue
            if cls is ast.TypeName:
                used.add(n.name)
            elif cls is ast.WhereBound:
                used.add(n.interface)
            elif cls is ast.Param:
                if n.type is not None:
                    stack.append(n.type)
                continue
            stack.extend(kids(n))

    def type_decl(self, node, kind: str) -> None:
        name = node.name
        self.types.append((node, kind))
        self.declared.add(name)
        self.type_refs(node)
        if not PASCAL.match(name):
            self.add("naming-convention", f"{kind} `{name}` should use PascalCase",
                     node.name_start, node.name_start + len(name), "rename it in PascalCase")

    # ------------------------------------------------------------ statements

    def block(self, b: ast.Block, scopes: list[dict[str, str]], loop: bool,
              fresh: bool = True) -> None:
        self.stmts(b.stmts, scopes + [{}] if fresh else scopes, loop, False)

    def stmts(self, stmts: list[ast.Stmt], scopes: list[dict[str, str]], loop: bool,
              top: bool) -> None:
        dead = False
        for i, st in enumerate(stmts):
            if dead:
                self.add("dead-code-after-return", "unreachable code after a terminating statement",
                         st.start, st.end, "remove the unreachable code")
                dead = False
            self.stmt(st, scopes, loop)
            if type(st) in (ast.Return, ast.Throw, ast.Break, ast.Continue) and i + 1 < len(stmts):
                dead = True
            if type(st) is ast.Let and type(st.pattern) is ast.NamePattern and i + 1 < len(stmts):
                nxt = stmts[i + 1]
                if type(nxt) is ast.Return and type(nxt.value) is ast.Name and \
                        nxt.value.name == st.pattern.name and st.type is None:
                    self.add("let-then-return",
                             f"`{st.pattern.name}` is returned right after it is declared",
                             st.start, nxt.end, "return the expression directly")

    def stmt(self, st: ast.Stmt, scopes: list[dict[str, str]], loop: bool) -> None:
        cls = type(st)
        if cls is ast.Let:
            self.expr(st.value, scopes, loop)
            if st.type is not None:
                self.expr(st.type, scopes, loop)
            self.pattern(st.pattern, "var" if st.mutable else "let", scopes)
        elif cls is ast.Assign:
            self.expr(st.value, scopes, loop)
            t = st.target
            while type(t) in (ast.Member, ast.Index):
                t = t.obj
            if type(t) is ast.Name:
                self.assigned.add(t.name)
            self.expr(st.target, scopes, loop)
        elif cls is ast.ExprStmt:
            self.expr(st.expr, scopes, loop)
        elif cls is ast.For:
            self.expr(st.iterable, scopes, loop)
            inner = scopes + [{}]
            self.pattern(st.pattern, "pattern", inner)
            self.block(st.body, inner, loop=True, fresh=False)
        elif cls is ast.While:
            self.expr(st.cond, scopes, loop)
            self.block(st.body, scopes, loop=True)
        elif cls in (ast.Break, ast.Continue):
            if not loop:
                word = "break" if cls is ast.Break else "continue"
                self.add("break-outside-loop", f"`{word}` used outside of a loop", st.start,
                         st.end, "remove it or move it into a loop", Severity.ERROR)
        elif cls in (ast.Return, ast.Throw, ast.Yield, ast.Emit):
            v = st.value
            if v is not None:
                self.expr(v, scopes, loop)
        elif cls is ast.Guard:
            self.expr(st.cond, scopes, loop)
            self.block(st.else_body, scopes, loop)
        elif cls is ast.Require:
            self.expr(st.cond, scopes, loop)
            if st.message is not None:
                self.expr(st.message, scopes, loop)
        elif cls in (ast.Mutex, ast.Defer):
            self.block(st.body, scopes, loop)
        elif cls is ast.Select:
            for c in st.cases:
                if c.expr is not None:
                    self.expr(c.expr, scopes, loop)
                inner = scopes + [{}]
                if c.name:
                    inner[-1][c.name] = "pattern"
                    self.declared.add(c.name)
                self.block(c.body, inner, loop, fresh=False)
        elif cls is ast.Override:
            self.declared.update(st.params)
            self.block(st.body, scopes + [{p: "param" for p in st.params}], False, fresh=False)
        elif cls is ast.FnDecl:
            self.fn_decl(st, scopes, method=False)
        elif cls is ast.ImplBlock:
            self.used.add(st.name)
            for m in st.methods:
                self.fn_decl(m, scopes, method=True)
        elif cls is ast.Pipeline:
            if st.extends:
                self.used.add(st.extends)
            self.declared.add(st.name)
            self.declared.update(p.name for p in st.params)
            inner = scopes + [{p.name: "pipeline-param" for p in st.params}]
            self.block(st.body, inner, loop=False, fresh=False)
        elif cls is ast.StructDecl:
            self.type_decl(st, "struct")
        elif cls is ast.EnumDecl:
            self.type_decl(st, "enum")
        elif cls is ast.InterfaceDecl:
            self.type_decl(st, "interface")
        elif cls is ast.TypeAlias:
            self.type_decl(st, "type")

    def pattern(self, pat: ast.Pattern, kind: str, scopes: list[dict[str, str]]) -> None:
        cls = type(pat)
        if cls is ast.NamePattern:
            self.declare(pat.name, kind, pat, pat.start, scopes)
            return
        pkind = "pattern"
        if cls is ast.DictPattern:
            for f in pat.fields:
                if f.default is not None:
                    self.expr(f.default, scopes, False)
                self.declare(f.binds, pkind, f, f.binds_start, scopes)
            if pat.rest:
                self.declare(pat.rest, pkind, pat, pat.rest_start, scopes)
        elif cls is ast.ListPattern:
            for el in pat.elements:
                if el.default is not None:
                    self.expr(el.default, scopes, False)
                self.declare(el.name, pkind, el, el.start, scopes)
            if pat.rest:
                self.declare(pat.rest, pkind, pat, pat.rest_start, scopes)
        elif cls is ast.PairPattern:
            self.declare(pat.first.name, pkind, pat.first, pat.first.start, scopes)
            self.declare(pat.second.name, pkind, pat.second, pat.second.start, scopes)

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Node, scopes: list[dict[str, str]], loop: bool) -> None:
        stack = [e]
        while stack:
            n = stack.pop()
            cls = type(n)
            if cls is ast.Closure or cls is ast.FnExpr:
                self.type_refs(n)
                inner = scopes + [{}]
                for p in n.params:
                    if p.default is not None:
                        self.expr(p.default, inner, False)
                    self.declare(p.name, "param", p, p.name_start, inner)
                self.block(n.body, inner, loop=False, fresh=False)
                continue
            if cls is ast.If:
                self.if_rules(n)
                self.expr(n.cond, scopes, loop)
                self.block(n.then, scopes, loop)
                if type(n.else_) is ast.If:
                    stack.append(n.else_)
                elif n.else_ is not None:
                    self.block(n.else_, scopes, loop)
                continue
            if cls is ast.Match:
                self.expr(n.subject, scopes, loop)
                self.match_rules(n)
                for arm in n.arms:
                    inner = scopes + [{}]
                    for p in arm.patterns:
                        self.match_bindings(p, inner)
                        if type(p) is not ast.Name:
                            self.expr(p, scopes, loop)
                    if arm.guard is not None:
                        self.expr(arm.guard, inner, loop)
                    self.block(arm.body, inner, loop, fresh=False)
                continue
            if cls is ast.Try:
                if n.catch_type is not None:
                    self.type_refs(n)
                self.block(n.body, scopes, loop)
                if n.catch_body is not None:
                    inner = scopes + [{}]
                    if n.catch_name:
                        inner[-1][n.catch_name] = "pattern"
                        self.declared.add(n.catch_name)
                    self.block(n.catch_body, inner, loop, fresh=False)
                if n.finally_body is not None:
                    self.block(n.finally_body, scopes, loop)
                continue
            if cls in (ast.Spawn, ast.Retry, ast.Deadline):
                for c in kids(n):
                    if type(c) is not ast.Block:
                        stack.append(c)
                self.block(n.body, scopes, loop)
                continue
            if cls is ast.Parallel:
                stack.append(n.operand)
                if n.max_concurrent is not None:
                    stack.append(n.max_concurrent)
                inner = scopes + [{}]
                if n.param:
                    inner[-1][n.param] = "pattern"
                    self.declared.add(n.param)
                self.block(n.body, inner, False, fresh=False)
                continue
            if cls is ast.Name:
                self.used.add(n.name)
                continue
            if cls is ast.Binary:
                self.binary_rules(n)
            elif cls is ast.Ternary:
                self.ternary_rules(n)
            elif cls is ast.Call:
                self.used.add(n.callee.name)
                self.call_rules(n, scopes)
            elif cls is ast.StructLit:
                self.used.add(n.name)
            elif cls is ast.TypeName:
                self.used.add(n.name)
            stack.extend(kids(n))

    def match_bindings(self, p: ast.Expr, scopes: list[dict[str, str]]) -> None:
        if type(p) is ast.Name and p.name != "_":
            scopes[-1][p.name] = "pattern"
            self.declared.add(p.name)

    # ------------------------------------------------------------ rules on expressions

    def text(self, n: ast.Node) -> str:
        return self.src.text[n.start:n.end]

    def binary_rules(self, n: ast.Binary) -> None:
        op = n.op
        if op in ARITH:
            for side in (n.left, n.right):
                if type(side) in (ast.BoolLit, ast.NilLit):
                    self.add("invalid-binary-op-literal",
                             f"operator '{op}' used with boolean or nil literal \u2014 this will "
                             f"cause a runtime error", n.start, n.end,
                             "remove the literal or convert it explicitly")
                    break
        elif op in ("==", "!="):
            for side in (n.left, n.right):
                if type(side) is ast.BoolLit:
                    word = "true" if side.value else "false"
                    self.add("comparison-to-bool", f"comparison to `{word}` is redundant",
                             n.start, n.end, "use the condition directly (or negate it)")
                    break
            else:
                if op == "==" and type(n.left) is type(n.right) and \
                        self.text(n.left) == self.text(n.right) and \
                        type(n.left) in (ast.Name, ast.Member, ast.Index):
                    self.add("pointless-comparison",
                             "expression is compared to itself with `==`", n.start, n.end,
                             "this is always true; compare with something else")

    def ternary_rules(self, n: ast.Ternary) -> None:
        c = n.cond
        if type(c) is ast.Binary and c.op == "!=" and type(c.right) is ast.NilLit and \
                type(c.left) is ast.Name and type(n.then) is ast.Name and \
                n.then.name == c.left.name:
            self.add("redundant-nil-ternary",
                     f"`{c.left.name} != nil ? {c.left.name} : ...` can be written with `??`",
                     n.start, n.end, f"use `{c.left.name} ?? {self.text(n.else_)}`")

    def call_rules(self, n: ast.Call, scopes: list[dict[str, str]]) -> None:
        name = n.callee.name
        if len(n.args) == 1:
            a = n.args[0]
            kind = {"to_int": (ast.IntLit, "an int"), "to_float": (ast.FloatLit, "a float"),
                    "to_string": (ast.StringLit, "a string")}.get(name)
            if kind is not None and type(a) is kind[0]:
                self.add("unnecessary-cast",
                         f"`{name}` is a no-op here \u2014 its argument is already {kind[1]}",
                         n.start, n.end, "remove the conversion")
        self.calls.append(n)

    def undefined_rule(self, n: ast.Call) -> None:
        name = n.callee.name
        if name in self.declared or builtins.is_builtin(name) or \
                name in ("Ok", "Err", "Some", "None") or name.startswith(("__", "hostlib_")) \
                or self.wildcard_unresolved:
            return
        from typechecker.calls import suggest_call

        sug = suggest_call(name, sorted(f.name for f, _m in self.fns))
        help_ = f"did you mean `{sug}`?" if sug else f"check the spelling or import `{name}`"
        self.add("undefined-function", f"function `{name}` is not defined", n.callee.start,
                 n.callee.end, help_)

    def used_vars(self, scopes: list[dict[str, str]]) -> set[str]:
        out: set[str] = set()
        for s in scopes:
            out.update(s)
        return out

    # ------------------------------------------------------------ rules on statements

    def if_rules(self, n: ast.If) -> None:
        if not n.then.stmts:
            self.add("empty-block", "if block has an empty body", n.start, n.then.end,
                     "remove the `if` or fill in its body")
        if n.else_ is not None and type(n.else_) is ast.Block and n.then.stmts and \
                type(n.then.stmts[-1]) is ast.Return:
            self.add("unnecessary-else-return", "unnecessary `else` after `return`",
                     n.else_.start, n.else_.end, "remove the `else` and dedent its body")

    def match_rules(self, n: ast.Match) -> None:
        seen: set[str] = set()
        for arm in n.arms:
            if arm.guard is not None:
                continue
            for p in arm.patterns:
                key = self.text(p)
                if key in seen:
                    self.add("duplicate-match-arm", "duplicate match arm pattern", p.start,
                             p.end, "remove the duplicate arm")
                seen.add(key)


def lint_program(program: ast.Program, src: Source, wildcard_unresolved: bool | None = None,
                 imported: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every lint diagnostic of a parsed program, in walk order.

    ``imported`` names the functions the file's imports bind (known once its
    module graph is resolved). Without a module graph (``wildcard_unresolved``
    left None, as in the language server) a wildcard import counts as
    unresolved, which turns ``undefined-function`` off (types.md §16.3).
    """
    if wildcard_unresolved is None:
        wildcard_unresolved = any(type(i) is ast.Import and i.names is None
                                  for i in program.items)
    linter = Linter(program, src, wildcard_unresolved)
    linter.declared.update(imported)
    return linter.run()
