"""``match``: arm narrowing (types.md §7.4), pattern checks and exhaustiveness (§8).

Per arm: or-pattern alternatives must be literals or ``_`` (E029), each
literal pattern is compared with the subject's type (W006), the subject
variable (or, for ``match obj.tag``, the tagged-union object) is narrowed in
the arm's scope, pattern identifiers are bound, then guard and body are
walked. After the arms, exhaustiveness is checked for the four subject kinds
of §8; any arm the subject kind does not list as a coverage form (``_``, an
identifier, a payload pattern, a list or dict pattern...) is a catch-all and
disables the check. Guards are ignored.
"""

from __future__ import annotations

from lang import ast
from typechecker import messages as M
from typechecker import narrow
from typechecker.assign import Assign
from typechecker.exprs import register
from typechecker.narrow import literal_value, tag_of, tagged_union
from typechecker.scope import MISSING, AliasInfo, EnumInfo, Scope
from typechecker.types import (
    BOOL,
    FLOAT,
    INT,
    NIL,
    STRING,
    Lit,
    Named,
    Type,
    Union,
    show,
)


def literal_kind(p: ast.Expr) -> str | None:
    cls = type(p)
    if cls is ast.StringLit:
        return "string"
    if cls is ast.IntLit or (cls is ast.Unary and p.op == "-" and type(p.operand) is ast.IntLit):
        return "int"
    if cls is ast.FloatLit or (cls is ast.Unary and p.op == "-"
                               and type(p.operand) is ast.FloatLit):
        return "float"
    if cls is ast.BoolLit:
        return "bool"
    if cls is ast.NilLit:
        return "nil"
    return None


def _is_wild(p: ast.Expr) -> bool:
    return type(p) is ast.Name and p.name == "_"


class MatchChecker:
    def e_match(self, e: ast.Match, s: Scope) -> None:
        subj = e.subject
        st = self.expr(subj, s)
        var = None
        precise_var = None  # an alias-typed subject: narrowed for §18.2 decisions only
        if type(subj) is ast.Name and type(st) is Union:
            var = subj.name
        elif type(subj) is ast.Name and st is not None:
            body = _expand_alias(st, s)
            if body is not st and type(body) is Union:
                precise_var = (subj.name, body)
        tagged = None
        if type(subj) is ast.Member and type(subj.obj) is ast.Name and not subj.optional:
            ot = s.lookup(subj.obj.name)
            if ot is not MISSING and ot is not None:
                tu = tagged_union(ot, s)  # type: ignore[arg-type]
                if tu is not None and tu[1] == subj.name:
                    tagged = (subj.obj.name, tu[0], tu[1], ot)
        for arm in e.arms:
            scope = Scope(s)
            pats = arm.patterns
            if len(pats) > 1:
                self.check_or_pattern(pats)
            if st is not None:
                for p in pats:
                    self.check_pattern_kind(p, st, s)
            if var is not None:
                nt = _arm_narrowing(pats, st)  # type: ignore[arg-type]
                if nt is not None:
                    scope.narrow(var, nt, st)
            elif precise_var is not None:
                nt = _arm_narrowing(pats, precise_var[1])
                if nt is not None:
                    scope.mark("precise", precise_var[0], (nt,))
                    narrow.precise_used = True
            if tagged is not None:
                self.narrow_tagged(pats, tagged, scope)
            for p in pats:
                self.bind_pattern(p, scope, s)
            if arm.guard is not None:
                self.expr(arm.guard, scope)
            self.block(arm.body, scope)
        self.check_exhaustive(e, st, s, tagged)
        return None

    # ------------------------------------------------------------ per-arm checks

    def check_or_pattern(self, pats: list[ast.Expr]) -> None:
        for p in pats:
            if _is_wild(p) or literal_kind(p) is not None:
                continue
            hard = type(p) in (ast.Name, ast.ListLit, ast.DictLit)
            self.error_or_quirk(not hard, M.E_OR_PATTERN, M.OR_PATTERN, p)
            return

    def check_pattern_kind(self, p: ast.Expr, st: Type, s: Scope) -> None:
        kind = literal_kind(p)
        if kind is None or kind == "nil":
            return
        ctx = Assign(s)
        if kind == "string":
            ok = ctx.ok(st, STRING)
        elif kind == "bool":
            ok = ctx.ok(st, BOOL)
        else:
            ok = ctx.ok(st, INT) or ctx.ok(st, FLOAT)
        if not ok:
            self.warn(M.W_PATTERN_KIND, M.pattern_kind(show(st), kind), p)

    def narrow_tagged(self, pats: list[ast.Expr], tagged: tuple, scope: Scope) -> None:
        name, shapes, disc, original = tagged
        picked = []
        for p in pats:
            lit = literal_value(p)
            if lit is None:
                return
            for sh in shapes:
                v = tag_of(sh, disc)
                if v == lit and type(v) is type(lit) and sh not in picked:
                    picked.append(sh)
        if picked:
            scope.narrow(name, picked[0] if len(picked) == 1 else Union(tuple(picked)), original)

    def bind_pattern(self, p: ast.Expr, scope: Scope, outer: Scope) -> None:
        cls = type(p)
        if cls is ast.Name:
            if p.name != "_":
                scope.declare(p.name, None, False, p)
            return
        if cls is ast.MethodCall and type(p.obj) is ast.Name and (
                type(outer.lookup_decl(p.obj.name)) is EnumInfo):
            for a in p.args:
                if type(a) is ast.Name and a.name != "_":
                    scope.declare(a.name, None, False, a)
            return
        if cls is ast.ListLit:
            for el in p.elements:
                if type(el) is ast.Name:
                    if el.name != "_":
                        scope.declare(el.name, None, False, el)
                elif type(el) is not ast.Spread:
                    self.pattern_value(el, outer)
            return
        if cls is ast.DictLit:
            for entry in p.entries:
                if type(entry) is ast.Spread:
                    continue
                v = entry.value
                if type(v) is ast.Name:
                    if v.name != "_":
                        scope.declare(v.name, None, False, v)
                else:
                    self.pattern_value(v, outer)
            return
        self.pattern_value(p, outer)

    def pattern_value(self, p: ast.Expr, s: Scope) -> None:
        """A pattern compared by value: typed for tooling, checked only by our warnings."""
        old = self.quiet
        if old < 1:
            self.quiet = 1
        try:
            self.expr(p, s)
        finally:
            self.quiet = old

    # ------------------------------------------------------------ exhaustiveness (§8)

    def check_exhaustive(self, e: ast.Match, st: Type | None, s: Scope, tagged) -> None:
        arms = e.arms
        subj = e.subject
        enum = None
        if type(subj) is ast.Member and subj.name == "variant":
            ot = self.types.get(subj.obj) if self.record else None
            if ot is None and type(subj.obj) is ast.Name:
                v = s.lookup(subj.obj.name)
                ot = None if v is MISSING else v
            if type(ot) is Named and type(s.lookup_decl(ot.name)) is EnumInfo:  # type: ignore
                enum = s.lookup_decl(ot.name)  # type: ignore[union-attr]
        if enum is None and type(st) is Named and type(s.lookup_decl(st.name)) is EnumInfo:
            enum = s.lookup_decl(st.name)  # type: ignore[union-attr]
        if enum is not None:
            covered: set[str] = set()
            for arm in arms:
                for p in arm.patterns:
                    if type(p) is ast.StringLit:
                        covered.add(p.value)
                    elif type(p) is ast.Member:
                        covered.add(p.name)
                    else:
                        return
            missing = [f'"{v}"' for v in enum.variants if v not in covered]  # type: ignore
            if missing:
                self.error(M.E_ENUM_MATCH, M.enum_match(enum.name, missing), e)  # type: ignore
            return
        if tagged is not None:
            _, shapes, disc, _ = tagged
            lits = self.covered_literals(arms, ("string", "int"))
            if lits is None:
                return
            missing = [show(Lit(tag_of(sh, disc))) for sh in shapes  # type: ignore[arg-type]
                       if not _has_lit(lits, tag_of(sh, disc))]
            if missing:
                self.error(M.E_TAGGED_MATCH, M.tagged_match(missing), e)
            return
        if st is None:
            return
        expanded = _expand_alias(st, s)
        if type(expanded) is Union:
            members = [_expand_alias(m, s) for m in expanded.members]  # type: ignore
            if all(type(m) is Lit for m in members):
                lits = self.covered_literals(arms, ("string", "int"))
                if lits is None:
                    return
                missing = [show(m) for m in members
                           if not _has_lit(lits, m.value)]  # type: ignore[union-attr]
                if missing:
                    self.error(M.E_LITERAL_MATCH, M.literal_match(_dedup(missing)), e)
                return
        if type(st) is Union and all(type(m) is Named for m in st.members):  # type: ignore
            kinds: set[str] = set()
            for arm in arms:
                for p in arm.patterns:
                    k = literal_kind(p)
                    if k is None:
                        return
                    kinds.add(k)
            missing = [m.name for m in st.members if m.name not in kinds]  # type: ignore
            if missing:
                self.error(M.E_UNION_MATCH, M.union_match(_dedup(missing)), e)

    def covered_literals(self, arms: list[ast.MatchArm], kinds: tuple[str, ...]) -> list | None:
        out: list = []
        for arm in arms:
            for p in arm.patterns:
                k = literal_kind(p)
                if k is None or k not in kinds:
                    return None
                out.append(literal_value(p))
        return out


def _has_lit(lits: list, v: object) -> bool:
    return any(x == v and type(x) is type(v) for x in lits)


def _dedup(items: list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _expand_alias(t: Type, s: Scope) -> Type:
    for _ in range(20):
        if type(t) is not Named:
            return t
        info = s.lookup_decl(t.name)  # type: ignore[union-attr]
        if type(info) is not AliasInfo or info.tparams:  # type: ignore[union-attr]
            return t
        t = info.body  # type: ignore[union-attr]
    return t


def _arm_narrowing(pats: list[ast.Expr], st: Union) -> Type | None:
    out: list[Type] = []
    members = st.members
    for p in pats:
        k = literal_kind(p)
        t: Type | None = None
        if k == "string" or k == "int":
            lit = Lit(literal_value(p))  # type: ignore[arg-type]
            if lit in members:
                t = lit
            elif (STRING if k == "string" else INT) in members:
                t = STRING if k == "string" else INT
        elif k == "nil":
            t = NIL if NIL in members else None
        elif k == "bool":
            t = BOOL if BOOL in members else None
        elif k == "float":
            t = FLOAT if FLOAT in members else None
        if t is None:
            return None
        if t not in out:
            out.append(t)
    if not out:
        return None
    return out[0] if len(out) == 1 else Union(tuple(out))


register(ast.Match, MatchChecker.e_match)
