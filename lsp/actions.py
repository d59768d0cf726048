"""Code actions (quick fixes) for the diagnostics overlapping a range.

Sources of fixes, in order:

* a diagnostic's own machine-applicable ``fix`` (e.g. string interpolation for
  ``can't add string and int``);
* *did you mean*: a message or help text ending in ``did you mean `g`?``
  replaces the diagnostic's span with ``g``; an unknown field or method
  (W104-W106) is replaced by the closest name the receiver's type has;
* *missing match arms* (E019 enum, E022 literal union): an arm per missing
  case, inserted before the ``match``'s closing brace;
* *unused bindings* (lint ``unused-*``): rename to ``_name`` (always safe), or
  remove the ``let``/``var`` statement, the parameter or the imported name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from lang import ast
from lang.diagnostics import Diagnostic
from lsp.analysis import DocumentAnalysis, registry
from lsp.navigation import path_at

DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
MISSING_VARIANTS = re.compile(r"Non-exhaustive match on enum (\w+): missing variants (.*)$")
NO_MEMBER = re.compile(r"^(?:struct '(\w+)'|(\w+(?:<.*>)?)) has no (field|method) '(\w+)'")
MISSING_LITERALS = re.compile(r"Non-exhaustive match on literal union: missing (.*)$")


@dataclass(slots=True)
class Action:
    title: str
    edits: list[tuple[int, int, str]]
    diagnostic: Diagnostic | None = None
    preferred: bool = False
    kind: str = "quickfix"
    extra: dict = field(default_factory=dict)


def code_actions(a: DocumentAnalysis, lo: int, hi: int) -> list[Action]:
    out: list[Action] = []
    seen: set[tuple] = set()
    for d in a.diagnostics():
        if d.end < lo or d.start > hi:
            continue
        for action in actions_for(a, d):
            key = (action.title, tuple(action.edits))
            if key not in seen:  # checker and linter may both suggest the same fix
                seen.add(key)
                out.append(action)
    return out


def actions_for(a: DocumentAnalysis, d: Diagnostic) -> list[Action]:
    out: list[Action] = []
    if d.fix is not None and d.fix.edits:
        out.append(Action(d.fix.title[:1].upper() + d.fix.title[1:],
                          [(e.start, e.end, e.text) for e in d.fix.edits], d, True))
    m = DID_YOU_MEAN.search(d.help or "") or DID_YOU_MEAN.search(d.message)
    if m and d.end > d.start:
        out.append(Action(f"Change to `{m.group(1)}`", [(d.start, d.end, m.group(1))], d, True))
    elif not m:
        act = _member_suggestion(a, d)
        if act is not None:
            out.append(act)
    m = MISSING_VARIANTS.search(d.message)
    if m:
        act = _add_enum_arms(a, d, m.group(1), _quoted(m.group(2)))
        if act is not None:
            out.append(act)
    m = MISSING_LITERALS.search(d.message)
    if m:
        act = _add_arms(a, d, [x.strip() for x in m.group(1).split(",") if x.strip()])
        if act is not None:
            out.append(act)
    if d.code in ("unused-variable", "unused-pattern-binding", "unused-parameter"):
        name = a.text[d.start:d.end]
        if name.isidentifier():
            out.append(Action(f"Rename `{name}` to `_{name}`", [(d.start, d.end, "_" + name)], d))
        if d.code == "unused-variable":
            act = _remove_let(a, d, name)
            if act is not None:
                out.append(act)
        elif d.code == "unused-parameter":
            act = _remove_param(a, d, name)
            if act is not None:
                out.append(act)
    if d.code == "unused-import":
        act = _remove_import_name(a, d)
        if act is not None:
            out.append(act)
    return out


def _member_suggestion(a: DocumentAnalysis, d: Diagnostic) -> Action | None:
    """*did you mean* for an unknown field or method (W104-W106), whose messages
    name no candidate: the closest field or method of the receiver's type."""
    m = NO_MEMBER.search(d.message)
    if m is None:
        return None
    owner, what, name = m.group(1) or m.group(2), m.group(3), m.group(4)
    at = a.text.rfind("." + name, d.start, d.end + 1)
    if at < 0:
        return None
    candidates: list[str] = []
    if m.group(1):  # a struct of this document
        from lsp.navigation import top_symbol

        sym = top_symbol(None, a, owner)
        if sym is not None and type(sym.decl) is ast.StructDecl and what == "field":
            candidates = [f.name for f in sym.decl.fields]
        for c in a.chunks if what == "method" else ():
            for it in c.items:
                if type(it) is ast.ImplBlock and it.name == owner:
                    candidates.extend(x.name for x in it.methods)
    else:
        reg = registry()
        if reg is not None:
            candidates = list(reg.METHOD_INFO.get(owner.split("<", 1)[0], {}))
    best = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if not best:
        return None
    return Action(f"Change to `{best[0]}`", [(at + 1, at + 1 + len(name), best[0])], d, True)


def _quoted(text: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)


def _node_path(a: DocumentAnalysis, offset: int) -> tuple[int, list[ast.Node]]:
    k = a.index_at(offset)
    return k, path_at(a.chunks[k].items, a.to_node(k, offset))


def _enclosing_match(a: DocumentAnalysis, d: Diagnostic) -> tuple[int, ast.Match] | None:
    for probe in (d.start, d.end - 1):
        k, path = _node_path(a, max(0, probe))
        for n in reversed(path):
            if type(n) is ast.Match:
                return k, n
    return None


def _arm_indent(a: DocumentAnalysis, k: int, match: ast.Match) -> tuple[str, int]:
    """Indentation of the arms and the offset to insert new arms at (before ``}``)."""
    s, e = a.span(k, match)
    close = e - 1
    line_start = a.text.rfind("\n", 0, close) + 1
    if match.arms:
        first = a.abs(k, match.arms[0].start)
        ls = a.text.rfind("\n", 0, first) + 1
        indent = a.text[ls:first]
        if indent.strip():
            indent = "  "
    else:
        base = a.text[a.text.rfind("\n", 0, s) + 1:s]
        indent = re.match(r"[ \t]*", base).group(0) + "  "
    if a.text[line_start:close].strip() == "":
        return indent, line_start
    return indent, close


def _add_arms(a: DocumentAnalysis, d: Diagnostic, patterns: list[str]) -> Action | None:
    found = _enclosing_match(a, d)
    if found is None or not patterns:
        return None
    k, match = found
    indent, at = _arm_indent(a, k, match)
    at_line_start = at == 0 or a.text[at - 1] == "\n"
    body = "".join(f"{indent}{p} -> {{ }}\n" for p in patterns)
    if not at_line_start:
        body = "\n" + body
    plural = "s" if len(patterns) > 1 else ""
    return Action(f"Add missing match arm{plural}", [(at, at, body)], d, True)


def _add_enum_arms(a: DocumentAnalysis, d: Diagnostic, enum: str, variants: list[str]
                   ) -> Action | None:
    from lsp.navigation import top_symbol

    sym = top_symbol(None, a, enum)
    arity: dict[str, int] = {}
    if sym is not None and type(sym.decl) is ast.EnumDecl:
        arity = {v.name: len(v.params) for v in sym.decl.variants}
    elif enum == "Result":
        arity = {"Ok": 1, "Err": 1}
    pats = []
    for v in variants:
        n = arity.get(v, 0)
        args = "(" + ", ".join("_" for _ in range(n)) + ")" if n else ""
        pats.append(f"{enum}.{v}{args}")
    return _add_arms(a, d, pats)


def _line_span(a: DocumentAnalysis, start: int, end: int) -> tuple[int, int]:
    """Extend [start, end) to whole lines when nothing else shares them."""
    ls = a.text.rfind("\n", 0, start) + 1
    le = a.text.find("\n", end)
    le = len(a.text) if le < 0 else le
    if a.text[ls:start].strip() == "" and a.text[end:le].strip() == "":
        return ls, min(le + 1, len(a.text))
    return start, end


def _remove_let(a: DocumentAnalysis, d: Diagnostic, name: str) -> Action | None:
    k, path = _node_path(a, d.start)
    for n in reversed(path):
        if type(n) is ast.Let:
            if type(n.pattern) is not ast.NamePattern:
                return None
            s, e = a.span(k, n)
            s, e = _line_span(a, s, e)
            return Action(f"Remove unused variable `{name}`", [(s, e, "")], d)
    return None


def _remove_param(a: DocumentAnalysis, d: Diagnostic, name: str) -> Action | None:
    k, path = _node_path(a, d.start)
    for i in range(len(path) - 1, 0, -1):
        p = path[i]
        if type(p) is ast.Param:
            owner = path[i - 1]
            params = getattr(owner, "params", None)
            if not params or type(owner) is not ast.FnDecl or p not in params:
                return None
            idx = params.index(p)
            if idx + 1 < len(params):
                s, _ = a.span(k, p)
                e, _ = a.span(k, params[idx + 1])
            elif idx > 0:
                _, s = a.span(k, params[idx - 1])
                _, e = a.span(k, p)
            else:
                s, e = a.span(k, p)
            return Action(f"Remove unused parameter `{name}`", [(s, e, "")], d)
    return None


def _remove_import_name(a: DocumentAnalysis, d: Diagnostic) -> Action | None:
    k, path = _node_path(a, d.start)
    imp = next((n for n in reversed(path) if type(n) is ast.Import), None)
    if imp is None or not imp.names:
        return None
    target = next((n for n in imp.names if a.span(k, n)[0] == d.start), None)
    if target is None:
        return None
    name = target.name
    if len(imp.names) == 1:
        s, e = _line_span(a, *a.span(k, imp))
        return Action(f"Remove unused import `{name}`", [(s, e, "")], d)
    idx = imp.names.index(target)
    if idx + 1 < len(imp.names):
        s, _ = a.span(k, target)
        e, _ = a.span(k, imp.names[idx + 1])
    else:
        _, s = a.span(k, imp.names[idx - 1])
        _, e = a.span(k, target)
    return Action(f"Remove unused import `{name}`", [(s, e, "")], d)
