"""Fuzzing the checker: random programs built from typed fragments, and mutations
of real programs, never make the checker, the linter or the facts crash; every
diagnostic points inside the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lang.parser import parse
from lang.source import Source
from typechecker.api import check_program
from typechecker.lint import lint_program

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text() for p in sorted((ROOT / "conformance").rglob("*.harn"))[:400]]
SEEDS += [p.read_text() for p in sorted((ROOT / "lang" / "corpus").glob("*.harn"))]
SEEDS = [s for s in SEEDS if s.strip()] or ["let x = 1\n"]

TYPES = ["int", "string", "float", "bool", "nil", "any", "unknown", "list<int>", "[string]",
         "dict<string, int>", "{a: int, b?: string}", "int | nil", "string | int | nil",
         '"a" | "b"', "1 | 2", "fn(int) -> int", "Result<int, string>", "T", "Box<int>",
         "Color", "Shape", "iter<int>", "never", "Alias"]
EXPRS = ["1", "2.5", '"s"', "true", "nil", "x", "y", "[1, 2]", "{a: 1}", "x + 1", 'x + "s"',
         "x ?? 0", "c ? x : y", "f(x)", "g<int>(x)", "Ok(1)", 'Err("e")', "x.a", "x[0]",
         "x?.a", "Color.Red", "Box {v: 1}", "{ v -> v }", "{ v: int -> v }", "try { x }",
         "x?", "type_of(x)", "unreachable(x)", "iter(x).map({ v -> v })", "x.iter()",
         "if c { 1 } else { 2 }", "match x { 1 -> { 2 } _ -> { 3 } }", "x |> f(_)",
         "1 to 3", "!x", "-x", "x == nil", "x != nil && y", "schema_of(Alias)"]
PRELUDE = """
type Alias = int | nil
enum Color { Red, Green }
struct Box<T> { v: T }
interface Shape { fn area(self) -> float }
fn f(a: int) -> int { return a }
fn g<T>(a: T) -> T { return a }
"""


def run_checker(text: str) -> None:
    src = Source(text, "fuzz.harn")
    parsed = parse(src)
    for strict in (True, False):
        result = check_program(parsed.program, src, strict=strict, strict_types=strict)
        n = len(text)
        for d in result.diagnostics:
            assert 0 <= d.start <= max(n, 0) and d.start <= d.end + 1
            d.spec_text(src)
    for d in lint_program(parsed.program, src):
        assert 0 <= d.start <= len(text)
    for node in list(result.expr_types)[:50]:
        result.proven_kind(node)
        result.struct_of(node)
    result.names_at(len(text) // 2)
    result.type_at(len(text) // 2)


statement = st.one_of(
    st.builds(lambda n, t, e: f"let {n}: {t} = {e}", st.sampled_from(["x", "y", "z"]),
              st.sampled_from(TYPES), st.sampled_from(EXPRS)),
    st.builds(lambda n, e: f"var {n} = {e}", st.sampled_from(["x", "y"]),
              st.sampled_from(EXPRS)),
    st.builds(lambda n, e: f"{n} = {e}", st.sampled_from(["x", "y"]), st.sampled_from(EXPRS)),
    st.builds(lambda e: f"if {e} {{ return {e} }}", st.sampled_from(EXPRS)),
    st.builds(lambda e: f"guard {e} else {{ return }}", st.sampled_from(EXPRS)),
    st.builds(lambda e: f"for v in {e} {{ println(v) }}", st.sampled_from(EXPRS)),
    st.builds(lambda e: f"return {e}", st.sampled_from(EXPRS)),
    st.builds(lambda e: f"throw {e}", st.sampled_from(EXPRS)),
    st.sampled_from(EXPRS),
)


@st.composite
def programs(draw) -> str:
    params = draw(st.lists(st.sampled_from(TYPES), max_size=3))
    sig = ", ".join(f"{n}: {t}" for n, t in zip(["x", "y", "c"], params, strict=False))
    ret = draw(st.sampled_from([""] + [f" -> {t}" for t in TYPES]))
    body = "\n  ".join(draw(st.lists(statement, max_size=8)))
    top = "\n".join(draw(st.lists(statement, max_size=4)))
    return f"{PRELUDE}\nfn main<T>({sig}){ret} {{\n  {body}\n}}\n{top}\n"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_never_crash(text: str) -> None:
    run_checker(text)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_programs_never_crash(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(SEEDS))
    for _ in range(data.draw(st.integers(1, 4))):
        if not text:
            break
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if op == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 12)):]
        elif op == "insert":
            frag = data.draw(st.sampled_from(EXPRS + TYPES + ["{", "}", "\n", ": ", " | "]))
            text = text[:pos] + frag + text[pos:]
        else:
            end = min(len(text), pos + data.draw(st.integers(1, 40)))
            text = text[:end] + text[pos:end] + text[end:]
    run_checker(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(EXPRS + TYPES + ["fn", "let", "=", "{", "}", "(", ")", "\n",
                                                 "match", "->", "|", ":", ","]), max_size=50))
def test_token_soup_never_crashes(parts: list[str]) -> None:
    run_checker(" ".join(parts))
