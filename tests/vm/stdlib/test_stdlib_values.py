"""Output, conversion, Result helpers, math and random (stdlib.md §2-§4, §11, §12)."""

from __future__ import annotations

import io
import math

from stdlib_helpers import b, err_b, show

from vm.runtime import context
from vm.runtime.values import HRange


def _run_output(fn) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    ctx = context.ExecContext(out, err)
    context.push(ctx)
    try:
        fn()
    finally:
        context.pop(ctx)
    return out.getvalue(), err.getvalue()


def test_output_spec_example() -> None:
    def prog() -> None:
        b("log", "ready")
        b("print", "a")
        b("print", "b\n")
        b("println", [1, "two", None])
        b("println")
        b("log")
        b("println", "x", "ignored")
        b("eprintln", "oops")

    out, err = _run_output(prog)
    assert out == "[harn] ready\nab\n[1, two, nil]\n\n[harn] \nx\n"
    assert err == "oops\n"


def test_assertions() -> None:
    assert err_b("assert_eq", 4, 5) == "Assertion failed: expected 5, got 4"
    assert err_b("assert", False) == "Assertion failed"
    assert err_b("assert", 0, 12) == "12"
    assert err_b("assert_eq", 1) == "assert_eq requires at least 2 arguments"
    assert err_b("assert_ne", 1, 1.0) == "Assertion failed: values should not be equal: 1"
    assert b("assert_eq", None, None) is None and b("assert_eq", 1, 1.0) is None
    assert err_b("unreachable") == "Runtime error: unreachable code was reached"
    assert err_b("unreachable", [1]) == "Runtime error: unreachable code was reached: [1]"


def test_conversion_spec_example() -> None:
    assert b("to_int", "42") + 1 == 43
    assert b("to_int", "4.2") is None
    assert b("to_int", -3.9) == -3
    assert show(b("to_float", "1e3")) == "1000.0"
    assert b("to_string", 2.0) == "2.0"
    assert b("type_of", HRange(1, 3, True)) == "range"
    assert b("len", None) == 0
    assert b("to_list", b("set", 2, 1)) == [2, 1]


def test_to_int_to_float_strictness() -> None:
    for bad in (" 1", "1_0", "0x1", "", "+", "١", True, None, [1]):
        assert b("to_int", bad) is None
    assert b("to_int", "+7") == 7 and b("to_int", "-0") == 0
    assert b("to_int", float("nan")) == 0
    assert b("to_int", 1e300) == 2**63 - 1 and b("to_int", -1e300) == -(2**63)
    for ok, want in ((".5", 0.5), ("5.", 5.0), ("+2", 2.0), ("INF", math.inf),
                     ("Infinity", math.inf)):
        assert b("to_float", ok) == want
    assert math.isnan(b("to_float", "nan"))
    for bad in (" 1", "1_0", "", "e3", "1e", True):
        assert b("to_float", bad) is None


def test_len_to_list_pair_iter() -> None:
    assert b("len", "é😀") == 2 and b("len", {"a": 1}) == 1 and b("len", b"ab") == 2
    assert b("len", HRange(5, 1, True)) == 0 and b("len", 3) == 0
    assert b("to_list", 3) == [3] and b("to_list", HRange(1, 2, True))[0].start == 1
    assert err_b("pair", 1) == "Type error: pair: expected 2 arguments, got 1"
    assert show(b("pair", "a", 1)) == "(a, 1)"
    assert err_b("iter") == "Type error: iter: expected 1 argument"
    assert err_b("iter", 3) == "Type error: iter: value of type int is not iterable"


def test_result_helpers() -> None:
    good, bad = b("Ok", 7), b("Err", "nope")
    assert show(good) == "Result.Ok(7)" and show(b("Ok")) == "Result.Ok(nil)"
    assert b("unwrap_or", bad, 0) == 0 and b("unwrap", 5) == 5
    assert err_b("unwrap", bad) == "Runtime error: unwrap called on Err: nope"
    assert b("unwrap_err", bad) == "nope"
    assert err_b("unwrap_err", good) == "Runtime error: unwrap_err called on non-Err"
    assert b("is_ok", good) and b("is_err", bad) and not b("is_ok", 1)


def test_math_spec_example() -> None:
    assert b("round", 2.5) == 3 and b("round", -2.5) == -3 and b("round", 0.49999999999999994) == 0
    assert b("floor", -1.5) == -2
    assert show(b("sqrt", 9)) == "3.0"
    assert show(b("pow", 2, -1)) == "0.5"
    assert show(b("pow", 2, 64)) == "18446744073709552000"
    assert show(b("min", 1, 2.0)) == "1.0"
    assert b("abs", -7) == 7
    assert b("percentile", [1, 2, 3, 4], 25) == 1.75


def test_math_edges() -> None:
    assert b("min", [1, 2]) is None and b("abs", "x") is None
    assert err_b("round", math.inf) == "Runtime error: cannot convert non-finite float to int"
    assert err_b("floor", 1e30) == "Runtime error: float is outside the representable int range"
    assert math.isnan(b("sqrt", -1.0)) and math.isnan(b("asin", 2))
    assert b("ln", 0) == -math.inf and math.isnan(b("ln", -1))
    assert b("log2", 8) == 3.0 and b("log10", 1000) == 3.0
    assert b("sign", -0.25) == -1 and b("sign", 0.0) == 0 and b("sign", "x") is None
    assert b("is_nan", 1) is False and b("is_infinite", -math.inf) is True
    assert b("abs", -(2**63)) == 9223372036854775808.0
    assert b("pow", 3, 2) == 9 and b("pow", 2.0, 2) == 4.0
    assert b("exp", 1000) == math.inf


def test_random_is_reproducible() -> None:
    r1, r2 = b("rng_seed", 7), b("rng_seed", 7)
    assert [b("random_int", r1, 1, 100) for _ in range(5)] == [
        b("random_int", r2, 1, 100) for _ in range(5)]
    assert show(r1) == "<rng>" and b("type_of", r1) == "rng"
    assert 0 <= b("random") < 1
    assert b("random_int", 5, 1) is None and b("random_int") is None
    assert err_b("random_int", "a", 2) == "Type error: random_int: min must be an integer"
    assert err_b("rng_seed", 1.5) == "Type error: rng_seed(seed): seed must be an integer"
    assert b("random_choice", []) is None and b("random_shuffle", "x") is None
    assert sorted(b("random_shuffle", r1, [1, 2, 3])) == [1, 2, 3]
