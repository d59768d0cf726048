"""A small random generator of Harn programs, following the grammar of spec §3.

Every choice goes through a :class:`Chooser` (``pick(n)`` returns 0..n-1, where
0 is always the simplest option), so the same generator runs from a seeded
``random.Random`` or from Hypothesis draws (which then shrink towards small
programs). Programs are meant to parse; callers skip the rare one that does
not (e.g. a postfix ``?`` that happens to read as a ternary). Layout is
randomised too: optional commas, line breaks inside brackets and after binary
operators, ``;`` separators, blank lines, long names that force line breaks.
"""

from __future__ import annotations

import random
from typing import Protocol


class Chooser(Protocol):
    def pick(self, n: int) -> int: ...


class RandomChooser:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, n: int) -> int:
        return self.rng.randrange(n) if n > 1 else 0


NAMES = ["a", "b", "x", "y", "items", "total", "self", "value", "not",
         "a_rather_long_variable_name", "another_quite_long_identifier_here"]
FUNCS = ["f", "g", "len", "println", "map", "compute_something_expensive", "transform_value"]
TYPES_UPPER = ["Point", "Shape", "Config", "Result"]
BIN_LEVELS = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">=", "in", "not in"], ["+", "-"],
              ["??"], ["*", "/", "%"]]
LEADING_SAFE = {"|>", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "*", "/", "%", "**",
                "??"}
TERNARY_STARTS = ("(", "{", "!", "-", "fn", "true", "false", "nil", '"')


class Gen:
    def __init__(self, ch: Chooser) -> None:
        self.ch = ch

    # ------------------------------------------------------------ helpers

    def pick(self, n: int) -> int:
        return self.ch.pick(n)

    def one(self, options: list):
        return options[self.pick(len(options))]

    def chance(self, k: int) -> bool:
        """True with probability about 1/k (False is the simple answer)."""
        return self.pick(k) == k - 1

    def name(self) -> str:
        return self.one(NAMES[:-1]) if not self.chance(4) else self.one(NAMES)

    def binder(self) -> str:
        return self.one(["a", "b", "x", "y", "item", "acc", "_", "long_binding_name_for_tests"])

    def sep(self) -> str:
        """A list separator: comma, comma and newline, or just a newline."""
        return self.one([", ", ",\n", ", ", "\n", " ,"])

    def close_gap(self) -> str:
        return self.one(["", "", "\n", ",", ",\n"])

    def items(self, fn, lo: int = 0, hi: int = 4) -> list[str]:
        return [fn() for _ in range(lo + self.pick(hi - lo + 1))]

    def seq(self, items: list[str]) -> str:
        if not items:
            return ""
        out = items[0]
        for it in items[1:]:
            sep = self.sep()
            if it.startswith("...") and "," not in sep:
                sep = ",\n"  # a spread on a new line after no comma reads as `.` access
            out += sep + it
        return out + (self.close_gap() if items else "")

    # ------------------------------------------------------------ literals and types

    def literal(self) -> str:
        return self.one([
            "1", "0", "42", "3.14", "true", "false", "nil", '"text"', '"a \\" quote"',
            "250ms", "5s", 'r"raw\\d"', '"hi ${x} and ${f(1, "a")}"', '"""\n  multi\n  line\n  """',
            "12345678901234567890", '"a long string literal that takes up quite some room"',
        ])

    def type_(self, depth: int = 2) -> str:
        k = self.pick(10) if depth > 0 else self.pick(3)
        if k == 0:
            return self.one(["int", "string", "bool", "float", "nil", "any", "never", "T"])
        if k == 1:
            return self.one(['"pass"', "3", "-1", "true"])
        if k == 2:
            return self.one(["Point", "duration", "Shape"])
        if k == 3:
            return f"list<{self.type_(depth - 1)}>"
        if k == 4:
            return f"[{self.type_(depth - 1)}]"
        if k == 5:
            return f"dict<string, {self.type_(depth - 1)}>"
        if k == 6:
            fields = self.items(lambda: f"{self.one(['a', 'b', 'type', 'kind'])}"
                                        f"{self.one(['', '?'])}: {self.type_(depth - 1)}", 0, 3)
            return "{" + ", ".join(fields) + "}"
        if k == 7:
            params = self.items(lambda: self.type_(depth - 1), 0, 2)
            return f"fn({', '.join(params)}) -> {self.type_(depth - 1)}"
        if k == 8:
            return f"{self.type_(0)} | {self.type_(depth - 1)}"
        return f"Result<{self.type_(depth - 1)}, string>"

    # ------------------------------------------------------------ expressions

    def atom(self) -> str:
        k = self.pick(3)
        if k == 0:
            return self.name()
        return self.literal()

    def expr(self, depth: int) -> str:
        if depth <= 0:
            return self.atom()
        k = self.pick(8)
        if k == 0:
            return self.atom()
        if k == 1:
            return self.pipe(depth)
        if k == 2:
            return self.ternary(depth)
        if k == 3:
            lo, hi = self.binary(0, depth - 1), self.binary(0, depth - 1)
            return f"{lo} to {hi}" + self.one(["", " exclusive"])
        return self.binary(0, depth)

    def pipe(self, depth: int) -> str:
        out = self.binary(0, depth - 1)
        for _ in range(1 + self.pick(3)):
            brk = self.one([" ", " ", "\n  "])
            stage = self.one([self.one(FUNCS), f"{self.one(FUNCS)}(_, {self.atom()})",
                              "{ x -> x + 1 }"])
            out += f"{brk}|> {stage}"
        return out

    def ternary(self, depth: int) -> str:
        cond = self.binary(0, depth - 1)
        then = self.binary(0, depth - 1)
        if not then.startswith(TERNARY_STARTS) and not then[:1].isalnum() or then[:1] in "r[":
            then = f"({then})"
        if then.startswith(("if", "match", "try", "250ms", "5s", "r\"")):
            then = f"({then})"
        other = self.binary(0, depth - 1)
        gap = self.one([" ", "\n  "])
        return f"{cond} ? {then}{gap}: {other}"

    def binary(self, level: int, depth: int) -> str:
        if level >= len(BIN_LEVELS) or depth <= 0:
            return self.unary(depth)
        if self.pick(3) != 0:
            return self.binary(level + 1, depth)
        parts = [self.binary(level + 1, depth - 1)]
        for _ in range(1 + self.pick(3)):
            op = self.one(BIN_LEVELS[level])
            if op in LEADING_SAFE and self.chance(4):
                parts.append(f"\n  {op} ")
            elif self.chance(5):
                parts.append(f" {op}\n  ")
            else:
                parts.append(f" {op} ")
            parts.append(self.binary(level + 1, depth - 1))
        return "".join(parts)

    def unary(self, depth: int) -> str:
        k = self.pick(8)
        if k == 6:
            return "-" + self.postfix(depth)
        if k == 7:
            return "!" + self.postfix(depth)
        base = self.postfix(depth)
        if self.chance(8):
            return f"{base} ** {self.postfix(depth - 1)}"
        return base

    def args(self, depth: int) -> str:
        items = self.items(lambda: self.arg(depth - 1), 0, 3)
        return "(" + self.one(["", "\n"]) + self.seq(items) + ")"

    def arg(self, depth: int) -> str:
        if self.chance(8):
            return "..." + self.name()
        return self.expr(depth)

    def postfix(self, depth: int) -> str:
        base = self.primary(depth)
        if depth <= 0:
            return base
        for _ in range(self.pick(4)):
            k = self.pick(9)
            brk = "\n  " if self.chance(6) else ""
            if k == 0:
                base += f"{brk}.{self.one(['name', 'len', 'type', 'items', 'match'])}"
            elif k == 1:
                base += f"{brk}.{self.one(['map', 'filter', 'get', 'to_string'])}" + self.args(
                    depth)
            elif k == 2:
                base += f"{brk}?.{self.one(['field', 'call'])}"
            elif k == 3:
                base += f"[{self.expr(depth - 1)}]"
            elif k == 4:
                base += f"?[{self.atom()}]"
            elif k == 5:
                base += f"[{self.one(['', '1'])}:{self.one(['', 'n', '-1'])}]"
            elif k == 6 and base[:1].isalpha() and base.isidentifier():
                base += self.args(depth)
            elif k == 7:
                return f"({base}?)"
            else:
                base += f".{self.one(['sort', 'keys'])}()"
        return base

    def primary(self, depth: int) -> str:
        if depth <= 0:
            return self.atom()
        k = self.pick(17)
        if k <= 2:
            return self.atom()
        if k == 3:
            return f"{self.one(FUNCS)}{self.args(depth)}"
        if k == 4:
            items = self.items(lambda: self.arg(depth - 1), 0, 4)
            return "[" + self.one(["", "\n"]) + self.seq(items) + "]"
        if k == 5:
            return self.dict_lit(depth)
        if k == 6:
            return self.closure(depth)
        if k == 7:
            return f"({self.expr(depth - 1)})"
        if k == 8:
            entries = self.items(lambda: f"{self.one(['x', 'y', 'label'])}: {self.expr(depth - 1)}",
                                 0, 3)
            return f"{self.one(TYPES_UPPER)} {{{self.seq(entries)}}}"
        if k == 9:
            return (f"if {self.expr(depth - 1)} {{ {self.expr(depth - 1)} }} else "
                    f"{{ {self.expr(depth - 1)} }}")
        if k == 10:
            return self.match(depth, expr=True)
        if k == 11:
            return self.try_(depth, expr=True)
        if k == 12:
            return f"fn({self.params(depth)}) {{ {self.expr(depth - 1)} }}"
        if k == 13:
            return f"try* {self.one(FUNCS)}({self.atom()})"
        if k == 14:
            return f"first<{self.type_(1)}>({self.atom()})"
        if k == 15:
            return f"{self.name()}.{self.one(['V', 'Circle'])}({self.atom()})"
        return self.tier2_expr(depth)

    def dict_lit(self, depth: int) -> str:
        def entry() -> str:
            k = self.pick(5)
            key = [self.one(["a", "key", "type", "if"]), '"quoted key"',
                   f"[{self.atom()}]", "...", "long_dictionary_key_name"][k]
            if key == "...":
                return "..." + self.name()
            return f"{key}: {self.expr(depth - 1)}"

        items = self.items(entry, 0, 4)
        if not items:
            return "{}"
        return "{" + self.one(["", "\n"]) + self.seq(items) + "}"

    def closure(self, depth: int) -> str:
        params = ", ".join(self.items(self.binder, 0, 2))
        body = self.stmts(depth - 1, 0, 2, inline=True)
        return "{ " + params + " -> " + body + " }"

    def params(self, depth: int, typed: bool = True) -> str:
        out: list[str] = []
        defaulted = False
        for _ in range(self.pick(4)):
            p = self.one(["a", "b", "c", "value", "other_param_name", "options"])
            if p in [q.split(":")[0].split(" ")[0] for q in out]:
                continue
            if typed and self.chance(2):
                p += f": {self.type_(1)}"
            if defaulted or self.chance(4):
                p += f" = {self.atom()}"
                defaulted = True
            out.append(p)
        if self.chance(5) and not defaulted:
            out.append("...rest")
        text = ""
        for k, p in enumerate(out):
            text += p
            if k < len(out) - 1:
                text += self.one([", ", ",\n", ", "])
        if out and not out[-1].startswith("...") and self.chance(4):
            text += ","
        return text

    # ------------------------------------------------------------ statements

    def pattern(self, depth: int) -> str:
        k = self.pick(4)
        if k <= 1:
            return self.binder()
        if k == 2:
            fields = self.items(
                lambda: self.one(["a", "b: alias", "c = 1", f"d: e = {self.atom()}"]), 0, 3)
            fields = list(dict.fromkeys(fields))
            if self.chance(3):
                fields.append("...rest")
            return "{" + ", ".join(fields) + "}"
        elems = self.items(lambda: self.one(["a", "b", "c = 2", "_"]), 0, 3)
        if self.chance(3):
            elems.append("...rest")
        return "[" + ", ".join(elems) + "]"

    def block(self, depth: int, inline: bool = False) -> str:
        body = self.stmts(depth - 1, 0, 3, inline)
        if not body:
            return self.one(["{}", "{ }", "{\n}"])
        return "{\n" + body + "\n}" if not inline or self.chance(2) else "{ " + body + " }"

    def stmts(self, depth: int, lo: int, hi: int, inline: bool = False) -> str:
        n = lo + self.pick(hi - lo + 1)
        out = []
        for k in range(n):
            out.append(self.stmt(depth))
            if k < n - 1:
                out.append(self.one(["\n", "\n", "\n\n", "; ", ";\n", "\n\n\n"]))
        return "".join(out)

    def match(self, depth: int, expr: bool = False) -> str:
        def arm() -> str:
            pats = self.one(["1", '"s"', "_", "x", "{kind: \"k\", code: c}", "[a, _, b]",
                             "Shape.Circle(r)", "nil", "1 | 2", "Result.Ok(v)"])
            guard = f" if {self.expr(depth - 2)}" if self.chance(4) else ""
            return f"{pats}{guard} -> {self.block(depth - 1, inline=True)}"

        arms = self.items(arm, 0 if not expr else 1, 3)
        return f"match {self.name()} {{\n" + "\n".join(arms) + "\n}"

    def try_(self, depth: int, expr: bool = False) -> str:
        out = f"try {self.block(depth - 1, inline=expr)}"
        k = self.pick(5)
        if k in (1, 2, 3) or not expr and k == 0:
            binding = self.one(["", "(e) ", "e ", "(e: AppErr) "])
            out += f" catch {binding}{self.block(depth - 1, inline=expr)}"
        if k >= 3:
            out += f" finally {self.block(depth - 1, inline=expr)}"
        return out

    def tier2_expr(self, depth: int) -> str:
        k = self.pick(5)
        if k == 0:
            return f"spawn {self.block(depth - 1, inline=True)}"
        if k == 1:
            mode = self.one(["", "each ", "settle "])
            operand = self.one(["(3)", "xs", "(n)"]) if not mode else self.name()
            sep = "" if not mode and operand.startswith("(") and self.chance(2) else " "
            opts = " with { max_concurrent: 2 }" if self.chance(4) else ""
            param = self.one(["", "i -> "])
            stream = " as stream" if mode == "each " and self.chance(3) else ""
            body = self.stmts(depth - 1, 0, 2)
            return f"parallel {mode}{sep}{operand}{opts} {{ {param}{body} }}{stream}".replace(
                "parallel  ", "parallel ")
        if k == 2:
            return f"retry {self.one(['3', '(n)', 'count'])} {self.block(depth - 1)}"
        if k == 3:
            return f"deadline {self.one(['2s', 'limit'])} {self.block(depth - 1)}"
        return self.closure(depth)

    def stmt(self, depth: int) -> str:
        k = self.pick(22) if depth > 0 else self.pick(4)
        if k == 0:
            return f"{self.one(['let', 'var'])} {self.binder()} = {self.expr(depth)}"
        if k == 1:
            return f"{self.one(FUNCS)}{self.args(depth)}"
        if k == 2:
            return self.one(["break", "continue", "return", "yield"])
        if k == 3:
            target = self.one(["x", "x.field", "x[0]", "a.b[i].c"])
            return f"{target} {self.one(['=', '+=', '-=', '*=', '/=', '%='])} {self.expr(depth)}"
        if k == 4:
            typ = f": {self.type_(1)}" if self.chance(3) else ""
            name = self.one(["x", "result", "value"]) if typ else self.pattern(depth)
            return f"{self.one(['let', 'var'])} {name}{typ} = {self.expr(depth)}"
        if k == 5:
            out = f"if {self.expr(depth - 1)} {self.block(depth)}"
            for _ in range(self.pick(3)):
                if self.chance(2):
                    out += f" else if {self.expr(depth - 1)} {self.block(depth)}"
                else:
                    gap = self.one([" ", "\n"])
                    out += f"{gap}else {self.block(depth)}"
                    break
            return out
        if k == 6:
            pat = self.one(["x", "(k, v)", "{key, value}", "[a, b]"])
            return f"for {pat} in {self.expr(depth - 1)} {self.block(depth)}"
        if k == 7:
            cond = self.expr(depth - 1)
            return f"while {self.one([cond, '(' + cond + ')'])} {self.block(depth)}"
        if k == 8:
            return self.match(depth)
        if k == 9:
            return self.try_(depth)
        if k == 10:
            return f"return {self.expr(depth)}"
        if k == 11:
            return f"throw {self.expr(depth)}"
        if k == 12:
            return f"guard {self.expr(depth - 1)} else {self.block(depth, inline=True)}"
        if k == 13:
            msg = f', "{self.one(["msg", "failed"])}"' if self.chance(2) else ""
            return f"require {self.expr(depth - 1)}{msg}"
        if k == 14:
            return f"{self.one(['mutex', 'defer'])} {self.block(depth)}"
        if k == 15:
            return f"emit {self.expr(depth)}"
        if k == 16:
            cases = [f"v from ch {self.block(depth)}"]
            if self.chance(2):
                cases.append(self.one([f"timeout 1s {self.block(depth)}",
                                       f"default {self.block(depth)}"]))
            return "select {\n" + "\n".join(cases) + "\n}"
        if k == 17:
            return f"yield {self.expr(depth)}"
        if k == 18:
            return self.tier2_expr(depth)
        if k == 19:
            return self.decl(depth)
        return f"{self.expr(depth)}"

    # ------------------------------------------------------------ declarations

    def attrs(self) -> str:
        out = ""
        for _ in range(self.pick(3) if self.chance(3) else 0):
            out += self.one(["@test", "@deprecated(since: \"1.0\", use: \"other\")",
                             "@tag(a, -1, [1, 2.5, x], nil)"]) + self.one(["\n", " "])
        return out

    def decl(self, depth: int) -> str:
        k = self.pick(8)
        attrs = self.attrs()
        pub = self.one(["", "", "pub "])
        if k <= 1:
            gen = self.one(["", "", "gen "])
            tparams = self.one(["", "<T>", "<T, out U>", "<in T>"])
            ret = f" -> {self.type_(1)}" if self.chance(2) else ""
            where = " where T: Show" if tparams and self.chance(3) else ""
            return (f"{attrs}{pub}{gen}fn {self.one(['f', 'helper', 'a_long_function_name'])}"
                    f"{tparams}({self.params(depth)}){ret}{where} {self.block(depth)}")
        if k == 2:
            def field() -> str:
                name = self.one(["x", "y", "label", "data"])
                return name + self.one(["", "?"]) + self.one(["", ": int", ": string"])

            fields = self.items(field, 0, 4)
            fields = list(dict.fromkeys(fields))
            sep = self.one(["\n", ", ", "  "])
            return f"{attrs}{pub}struct S{self.one(['', '<T>'])} {{ {sep.join(fields)} }}"
        if k == 3:
            variants = self.items(lambda: self.one(["A", "B(x)", "C(w: int, h: int)", "D()"]), 0, 4)
            variants = list(dict.fromkeys(variants))
            gap = self.one([" ", "\n"])
            return f"{attrs}{pub}enum E {{{gap}{', '.join(variants)}}}"
        if k == 4:
            methods = self.items(lambda: f"{self.one(['', 'pub '])}fn m(self) {self.block(depth)}",
                                 0, 2)
            return f"{attrs}impl S {{\n" + "\n".join(methods) + "\n}"
        if k == 5:
            members = self.items(lambda: self.one(["type Item", "type Out = int",
                                                   "fn show(self) -> string",
                                                   "fn get<T>(self, i: int) -> T"]), 0, 3)
            return f"{attrs}interface I<T> {{\n" + "\n".join(members) + "\n}"
        if k == 6:
            return f"{attrs}type Alias{self.one(['', '<T>'])} = {self.type_(2)}"
        return f"{attrs}{pub}fn g() {self.block(depth)}"

    def top_item(self, depth: int) -> str:
        k = self.pick(10)
        if k == 0:
            return self.one(['import "lib/util"', 'import { a, b } from "lib/x"',
                             'pub import { helper_function_one, helper_function_two,'
                             ' helper_function_three } from "lib/helpers"'])
        if k == 1:
            ext = " extends base" if self.chance(3) else ""
            ret = " -> string" if self.chance(3) else ""
            params = ", ".join(self.items(lambda: self.one(["task", "ctx"]), 0, 1))
            body = self.stmts(depth - 1, 0, 3)
            if self.chance(3):
                body += "\noverride step(a, b) { a }"
            return f"{self.attrs()}pipeline p({params}){ret}{ext} {{\n{body}\n}}"
        return self.stmt(depth)

    def program(self, depth: int = 3) -> str:
        n = self.pick(6)
        out = []
        for k in range(n):
            out.append(self.top_item(depth))
            if k < n - 1:
                out.append(self.one(["\n", "\n", "\n\n", "; ", "\n\n\n"]))
        return "".join(out) + self.one(["", "\n", "\n\n"])


def generate(ch: Chooser, depth: int = 3) -> str:
    return Gen(ch).program(depth)
