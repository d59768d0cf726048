"""Math, statistics and random numbers (stdlib.md §11, §12).

Non-numeric arguments give ``nil`` (A3); ``bool`` is not a number. Float
results follow IEEE where Python's ``math`` raises (domain errors give NaN,
``ln(0)`` is ``-inf``). ``round`` rounds half away from zero. ``pow`` keeps
int results while they fit in 64 bits, as the reference does, and switches to
a float past that (``pow(2, 64)`` prints ``18446744073709552000``).

Seeded generators are :class:`Rng` handles with shared identity (type
``rng``, prints ``<rng>``, never equal to anything).
"""

from __future__ import annotations

import math
import random as _random
from typing import Any

from vm.runtime.display import register_value_type
from vm.runtime.errors import runtime_error, type_error
from vm.stdlib.common import MISSING
from vm.stdlib.registry import builtin

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)
_NAN = float("nan")
_INF = float("inf")

pi_value = math.pi
e_value = math.e


def _num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def _f(v: int | float) -> float:
    try:
        return float(v)
    except OverflowError:
        return _INF if v > 0 else -_INF


@builtin("abs", "(n: num) -> num", "Absolute value, same type as the input.")
def abs_(n: Any = None, *_: Any) -> Any:
    t = type(n)
    if t is int:
        if n == INT_MIN:
            return 9223372036854775808.0
        return -n if n < 0 else n
    if t is float:
        return math.fabs(n)
    return None


@builtin("min", "(a: num, b: num) -> num", "The smaller of two numbers.")
def min_(a: Any = None, b: Any = None, *_: Any) -> Any:
    if not (_num(a) and _num(b)):
        return None
    if type(a) is int and type(b) is int:
        return a if a <= b else b
    fa, fb = _f(a), _f(b)
    return fa if fa <= fb else fb


@builtin("max", "(a: num, b: num) -> num", "The larger of two numbers.")
def max_(a: Any = None, b: Any = None, *_: Any) -> Any:
    if not (_num(a) and _num(b)):
        return None
    if type(a) is int and type(b) is int:
        return a if a >= b else b
    fa, fb = _f(a), _f(b)
    return fa if fa >= fb else fb


def _to_int(x: float) -> int:
    if x != x or x in (_INF, -_INF):
        raise runtime_error("cannot convert non-finite float to int")
    if not (-9.223372036854775808e18 <= x < 9.223372036854775808e18):
        raise runtime_error("float is outside the representable int range")
    return int(x)


@builtin("floor", "(n: num) -> int", "Largest int <= n.")
def floor(n: Any = None, *_: Any) -> Any:
    t = type(n)
    if t is int:
        return n
    if t is float:
        return _to_int(math.floor(n) if math.isfinite(n) else n)
    return None


@builtin("ceil", "(n: num) -> int", "Smallest int >= n.")
def ceil(n: Any = None, *_: Any) -> Any:
    t = type(n)
    if t is int:
        return n
    if t is float:
        return _to_int(math.ceil(n) if math.isfinite(n) else n)
    return None


@builtin("round", "(n: num) -> int", "Nearest int, halves rounded away from zero.")
def round_(n: Any = None, *_: Any) -> Any:
    t = type(n)
    if t is int:
        return n
    if t is not float:
        return None
    if not math.isfinite(n):
        return _to_int(n)
    a = math.fabs(n)
    f = math.floor(a)
    if a - f >= 0.5:
        f += 1
    return _to_int(math.copysign(f, n))


@builtin("sqrt", "(n: num) -> float", "Square root (NaN for negative input).")
def sqrt(n: Any = None, *_: Any) -> Any:
    if not _num(n):
        return None
    x = _f(n)
    return math.sqrt(x) if x >= 0 else _NAN


def _fpow(x: float, y: float) -> float:
    from vm.runtime.ops import _fpow as fpow

    return fpow(x, y)


@builtin("pow", "(base: num, exp: num) -> num",
         "base ** exp: an int while it fits in 64 bits, else a float.")
def pow_(base: Any = None, exp: Any = None, *_: Any) -> Any:
    if not (_num(base) and _num(exp)):
        return None
    if type(base) is int and type(exp) is int and exp >= 0:
        if base in (0, 1) or exp <= 1:
            return base**exp
        if base == -1:
            return 1 if exp % 2 == 0 else -1
        if exp * math.log2(abs(base)) < 64:
            r = base**exp
            if INT_MIN <= r <= INT_MAX:
                return r
        return _fpow(_f(base), _f(exp))
    return _fpow(_f(base), _f(exp))


def _unary(name: str, fn: Any, doc: str) -> None:
    def impl(n: Any = None, *_: Any) -> Any:
        if not _num(n):
            return None
        try:
            return fn(_f(n))
        except (ValueError, OverflowError):
            return _NAN

    impl.__name__ = name
    builtin(name, "(n: num) -> float", doc)(impl)


_unary("sin", math.sin, "Sine (radians).")
_unary("cos", math.cos, "Cosine (radians).")
_unary("tan", math.tan, "Tangent (radians).")
_unary("asin", math.asin, "Arc sine (NaN outside [-1, 1]).")
_unary("acos", math.acos, "Arc cosine (NaN outside [-1, 1]).")
_unary("atan", math.atan, "Arc tangent.")


def _log_of(fn: Any) -> Any:
    def log_fn(x: float) -> float:
        if x == 0.0:
            return -_INF
        if x < 0 or x != x:
            return _NAN
        return fn(x)

    return log_fn


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


_unary("ln", _log_of(math.log), "Natural logarithm.")
_unary("log2", _log_of(math.log2), "Base-2 logarithm.")
_unary("log10", _log_of(math.log10), "Base-10 logarithm.")
_unary("exp", _exp, "e ** n.")


@builtin("atan2", "(y: num, x: num) -> float", "Arc tangent of y/x using both signs.")
def atan2(y: Any = None, x: Any = None, *_: Any) -> Any:
    if not (_num(y) and _num(x)):
        return None
    return math.atan2(_f(y), _f(x))


@builtin("sign", "(n: num) -> int", "-1, 0 or 1 (an int, also for floats); NaN for NaN.")
def sign(n: Any = None, *_: Any) -> Any:
    t = type(n)
    if t is not int and t is not float:
        return None
    if n != n:
        return n
    return 1 if n > 0 else (-1 if n < 0 else 0)


@builtin("is_nan", "(n: any) -> bool", "True for a NaN float.")
def is_nan(n: Any = None, *_: Any) -> bool:
    return type(n) is float and n != n


@builtin("is_infinite", "(n: any) -> bool", "True for an infinite float.")
def is_infinite(n: Any = None, *_: Any) -> bool:
    return type(n) is float and (n == _INF or n == -_INF)


# --------------------------------------------------------------------------- statistics (T2)


def _numbers(name: str, xs: Any) -> list[float]:
    if type(xs) is not list:
        raise type_error(f"{name}: items must be a list")
    out: list[float] = []
    for x in xs:
        if not _num(x):
            raise type_error(f"{name} must be numeric")
        out.append(_f(x))
    return out


def _fold_sum(vals: list[float]) -> float:
    """Left-to-right float sum, as the reference (Python 3.12's ``sum`` compensates)."""
    total = 0.0
    for v in vals:
        total += v
    return total


@builtin("mean", "(xs: list<num>) -> float", "Arithmetic mean ([] gives 0.0).", "T2")
def mean(xs: Any = None, *_: Any) -> float:
    vals = _numbers("mean", xs)
    return _fold_sum(vals) / len(vals) if vals else 0.0


@builtin("median", "(xs: list<num>) -> float", "Median (mean of the middle two when even).",
         "T2")
def median(xs: Any = None, *_: Any) -> float:
    vals = sorted(_numbers("median", xs))
    if not vals:
        raise runtime_error("median: items must not be empty")
    n = len(vals)
    mid = n // 2
    return vals[mid] if n % 2 else (vals[mid - 1] + vals[mid]) / 2


@builtin("percentile", "(xs: list<num>, p: num) -> float", "R-7 percentile.", "T2")
def percentile(xs: Any = None, p: Any = None, *_: Any) -> float:
    vals = sorted(_numbers("percentile", xs))
    if not _num(p):
        raise type_error("percentile must be numeric")
    if not 0 <= p <= 100:
        raise runtime_error("percentile must be between 0 and 100")
    if not vals:
        raise runtime_error("percentile: items must not be empty")
    h = (len(vals) - 1) * p / 100
    lo = math.floor(h)
    hi = math.ceil(h)
    return vals[lo] + (h - lo) * (vals[hi] - vals[lo])


def _variance(name: str, xs: Any, sample: Any) -> float:
    vals = _numbers(name, xs)
    if not vals:
        raise runtime_error(f"{name}: items must not be empty")
    if sample is True and len(vals) < 2:
        raise runtime_error("sample variance requires at least 2 values")
    m = _fold_sum(vals) / len(vals)
    ss = _fold_sum([(v - m) * (v - m) for v in vals])
    return ss / (len(vals) - 1 if sample is True else len(vals))


@builtin("variance", "(xs: list<num>, sample?: bool = false) -> float",
         "Population (or sample) variance.", "T2")
def variance(xs: Any = None, sample: Any = None, *_: Any) -> float:
    return _variance("variance", xs, sample)


@builtin("stddev", "(xs: list<num>, sample?: bool = false) -> float",
         "Population (or sample) standard deviation.", "T2")
def stddev(xs: Any = None, sample: Any = None, *_: Any) -> float:
    return math.sqrt(_variance("stddev", xs, sample))


# --------------------------------------------------------------------------- random


class Rng:
    """A seeded generator with shared identity (every use advances one state)."""

    __slots__ = ("gen",)

    def __init__(self, seed: int) -> None:
        self.gen = _random.Random(seed)


register_value_type(Rng, "rng")
_GLOBAL = _random.Random()


def _split_rng(args: tuple[Any, ...]) -> tuple[_random.Random, tuple[Any, ...]]:
    if args and type(args[0]) is Rng:
        return args[0].gen, args[1:]
    return _GLOBAL, args


@builtin("rng_seed", "(seed: int) -> rng", "An independent, reproducible generator.")
def rng_seed(seed: Any = None, *_: Any) -> Rng:
    if type(seed) is not int:
        raise type_error("rng_seed(seed): seed must be an integer")
    return Rng(seed)


@builtin("random", "(rng?: rng) -> float", "Uniform float in [0, 1).")
def random(*args: Any) -> float:
    gen, _rest = _split_rng(args)
    return gen.random()


@builtin("random_int", "(rng?: rng, min: int, max: int) -> int?",
         "Uniform int in [min, max]; nil when min > max.")
def random_int(*args: Any) -> int | None:
    gen, rest = _split_rng(args)
    lo = rest[0] if len(rest) > 0 else MISSING
    hi = rest[1] if len(rest) > 1 else MISSING
    if lo is MISSING or hi is MISSING or lo is None or hi is None:
        return None
    if type(lo) is not int:
        raise type_error("random_int: min must be an integer")
    if type(hi) is not int:
        raise type_error("random_int: max must be an integer")
    if lo > hi:
        return None
    return gen.randint(lo, hi)


@builtin("random_choice", "(rng?: rng, xs: list) -> any?", "A random element; nil for [].")
def random_choice(*args: Any) -> Any:
    gen, rest = _split_rng(args)
    xs = rest[0] if rest else None
    if type(xs) is not list or not xs:
        return None
    return xs[gen.randrange(len(xs))]


@builtin("random_shuffle", "(rng?: rng, xs: list) -> list?", "A shuffled copy.")
def random_shuffle(*args: Any) -> list[Any] | None:
    gen, rest = _split_rng(args)
    xs = rest[0] if rest else None
    if type(xs) is not list:
        return None
    out = xs.copy()
    gen.shuffle(out)
    return out
