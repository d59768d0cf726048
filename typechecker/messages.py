"""The checker's diagnostic catalogue (types.md §16): codes and exact wording.

Codes are stable. ``E001``-``E030`` and ``W001``-``W014`` are the spec's
catalogue; ``W1xx`` are our own warnings (§17.3, §18.3): things the reference
does not see, and reference errors downgraded by §18.2 because the program
they reject runs correctly (those keep the reference's wording).
"""

from __future__ import annotations

EM = "\u2014"

# ---------------------------------------------------------------- errors (§16.1)
E_LET = "E001"
E_REASSIGN = "E002"
E_ARG = "E003"
E_TPARAM_CONFLICT = "E004"
E_NOT_GENERIC = "E005"
E_TARG_COUNT = "E006"
E_BUILTIN_TARG_COUNT = "E007"
E_BUILTIN_NOT_GENERIC = "E008"
E_WHERE = "E009"
E_WHERE_UNNAMED = "E010"
E_RETURN = "E011"
E_GEN_RETURN = "E012"
E_UNDEFINED_CALL = "E013"
E_UNKNOWN_STRUCT = "E014"
E_STRUCT_FIELD = "E015"
E_ADD = "E016"
E_ARITH = "E017"
E_MUL = "E018"
E_ENUM_MATCH = "E019"
E_TAGGED_MATCH = "E020"
E_UNION_MATCH = "E021"
E_LITERAL_MATCH = "E022"
E_UNREACHABLE_ARG = "E023"
E_VARIANCE = "E024"
E_TRY_STAR = "E025"
E_YIELD_IN_GEN = "E026"
E_EMIT_OUTSIDE = "E027"
E_EMIT_TYPE = "E028"
E_OR_PATTERN = "E029"
E_MAX_CONCURRENT = "E030"

# ---------------------------------------------------------------- warnings (§16.2)
W_UNREACHABLE = "W001"
W_IMMUTABLE = "W002"
W_ARITY = "W003"
W_COMPARE = "W004"
W_COMPARE_STRING = "W005"
W_PATTERN_KIND = "W006"
W_IFACE_METHOD = "W007"
W_UNKNOWN_FIELD = "W008"
W_MISSING_FIELD = "W009"
W_UNKNOWN_NARROW = "W010"
W_DEPRECATED = "W011"
W_UNKNOWN_ATTR = "W012"
W_MISPLACED_ATTR = "W013"
W_UNVALIDATED = "W014"

# ---------------------------------------------------------------- our own warnings
W_UNDEFINED_NAME = "W101"
W_UNDEFINED_CALL = "W102"
W_BUILTIN_ARITY = "W103"
W_STRUCT_NO_FIELD = "W104"
W_STRUCT_NO_METHOD = "W105"
W_METHOD_UNKNOWN = "W106"
W_INT_RANGE = "W107"
W_INFERRED_RETURN = "W108"
W_TOPLEVEL_TYPE = "W109"
W_STRUCT_FIELD_TYPE = "W110"
W_QUIRK = "W120"  # a reference error downgraded by §18.2 (same wording)
W_SYNTAX_RECOVERY = "W121"

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1


def declared_as(name: str, want: str, got: str, detail: str = "") -> str:
    return f"'{name}' declared as {want}, but assigned {got}" + (f" ({detail})" if detail else "")


def cant_assign(got: str, name: str, want: str) -> str:
    return f"can't assign {got} to '{name}' (declared as {want})"


def argument(n: int, param: str, want: str, got: str) -> str:
    return f"Argument {n} ('{param}'): expected {want}, got {got}"


def inferred_both(param: str, a: str, b: str) -> str:
    return f"type parameter '{param}' was inferred as both {a} and {b}"


def not_generic(fn: str) -> str:
    return f"Function '{fn}' does not declare type parameters"


def targ_count(fn: str, n: int, m: int) -> str:
    return f"Function '{fn}' expects {n} type arguments, got {m}"


def builtin_targ_count(fn: str, n: int, m: int) -> str:
    return f"Builtin function '{fn}' expects {n} type arguments, got {m}"


def builtin_not_generic(fn: str) -> str:
    return f"Builtin function '{fn}' does not declare type parameters"


def where_unsatisfied(t: str, iface: str, reason: str, param: str) -> str:
    return (f"Type '{t}' does not satisfy interface '{iface}': {reason} "
            f"(required by constraint `where {param}: {iface}`)")


def where_unnamed(t: str, iface: str, param: str) -> str:
    return (f"Type '{t}' does not satisfy interface '{iface}': only named types can satisfy "
            f"interfaces (required by constraint `where {param}: {iface}`)")


def return_mismatch(want: str, got: str) -> str:
    return f"return type doesn't match: expected {want}, got {got}"


def gen_return(got: str) -> str:
    return f"`gen fn` must return Stream<T>, got {got}"


def undefined_call(fn: str, suggestion: str | None) -> str:
    msg = f"call target `{fn}` is not defined or imported"
    return msg + (f" {EM} did you mean `{suggestion}`?" if suggestion else "")


def unknown_struct(name: str, suggestion: str | None) -> tuple[str, str]:
    if suggestion:
        return (f"unknown struct type `{name}` {EM} did you mean `{suggestion}`?",
                f"declare `struct {suggestion} {{ ... }}` or fix the type name")
    return (f"unknown struct type `{name}`",
            f"declare `struct {name} {{ ... }}` before constructing it")


def struct_field(field: str, struct: str, want: str, got: str) -> str:
    return f"Field '{field}' in struct '{struct}' expects {want}, got {got}"


def cant_add(left: str, right: str) -> str:
    return f"can't add {left} and {right}"


def cant_use(op: str, left: str, right: str) -> str:
    return f"can't use '{op}' on {left} and {right} (needs numeric operands)"


def cant_multiply(left: str, right: str) -> str:
    return f"can't multiply {left} and {right} (try string * int)"


def enum_match(enum: str, missing: list[str]) -> str:
    return f"Non-exhaustive match on enum {enum}: missing variants {', '.join(missing)}"


def tagged_match(missing: list[str]) -> str:
    return f"Non-exhaustive match on tagged shape union: missing variants {', '.join(missing)}"


def union_match(missing: list[str]) -> str:
    return f"Non-exhaustive match on union type: missing {', '.join(missing)}"


def literal_match(missing: list[str]) -> str:
    return f"Non-exhaustive match on literal union: missing {', '.join(missing)}"


def unreachable_arg(t: str) -> str:
    return f"unreachable() argument has type `{t}` {EM} not all cases are handled"


def variance(param: str, declared: str, position: str, kind: str) -> str:
    word = "covariant" if declared == "out" else "contravariant"
    return (f"type parameter '{param}' is declared '{declared}' ({word}) but appears in a "
            f"{position} position in {kind}")


TRY_STAR = "try* requires an enclosing function (fn, tool, or pipeline) so the rethrow has a target"
YIELD_IN_GEN = "`yield` is not a stream emit; use `emit` inside `gen fn`"
EMIT_OUTSIDE = "`emit` can only be used inside a `gen fn`"
OR_PATTERN = ("Or-pattern alternatives must be literal patterns (string, int, float, bool, nil, "
              "or `_`). Identifier bindings and destructuring patterns are not allowed inside `|`.")


def emit_type(want: str, got: str) -> str:
    return f"emit type doesn't match: expected {want}, got {got}"


def max_concurrent(t: str) -> str:
    return f"`max_concurrent` on `parallel` must be int, got {t}"


UNREACHABLE = "unreachable code"


def immutable(name: str) -> str:
    return f"Cannot assign to '{name}': variable is immutable (declared with 'let')"


def arity(fn: str, want: str, got: int) -> str:
    return f"Function '{fn}' expects {want} arguments, got {got}"


def comparison(op: str, left: str, right: str) -> str:
    return f"Comparison '{op}' may not be meaningful for types {left} and {right}"


def comparison_string(left: str, right: str, op: str) -> str:
    return f"Comparing {left} with {right} using '{op}' may give unexpected results"


def pattern_kind(t: str, kind: str) -> str:
    return f"Match pattern type mismatch: matching {t} against {kind} literal"


def iface_method(method: str, iface: str, param: str) -> str:
    return f"Method '{method}' not found in interface '{iface}' (constraint on '{param}')"


def unknown_field(field: str, struct: str) -> str:
    return f"Unknown field '{field}' in struct '{struct}'"


def missing_field(field: str, struct: str) -> str:
    return f"Missing field '{field}' in struct '{struct}' construction"


def unknown_narrowing(site: str, var: str, kinds: list[str]) -> str:
    return (f"`{site}` reached but `{var}: unknown` was not fully narrowed {EM} uncovered "
            f"concrete type(s): {', '.join(kinds)}")


def deprecated(fn: str, since: str | None) -> str:
    return f"`{fn}` is deprecated" + (f" (since {since})" if since else "")


def unknown_attribute(name: str) -> str:
    return f"unknown attribute `@{name}`"


TEST_ATTR = "`@test` only applies to pipeline declarations"

# ---------------------------------------------------------------- our own wording


def undefined_name(name: str, suggestion: str | None) -> str:
    msg = f"undefined variable `{name}`"
    return msg + (f" (did you mean `{suggestion}`?)" if suggestion else "")


def undefined_call_warning(fn: str, suggestion: str | None) -> str:
    msg = f"call target `{fn}` is not defined"
    return msg + (f" (did you mean `{suggestion}`?)" if suggestion else "")


def builtin_arity(fn: str, want: str, got: int) -> str:
    return f"Builtin '{fn}' expects {want} arguments, got {got}"


def struct_no_field(struct: str, field: str) -> str:
    return f"struct '{struct}' has no field '{field}' (reading it gives nil)"


def struct_no_method(struct: str, method: str) -> str:
    return f"struct '{struct}' has no method '{method}' (calling it gives nil)"


def type_no_method(t: str, method: str) -> str:
    return f"{t} has no method '{method}' (calling it gives nil)"


def int_out_of_range(text: str) -> str:
    return f"integer literal {text} is outside the 64-bit range"


def inferred_return(fn: str, want: str, got: str) -> str:
    return f"'{fn}' returns {got} on some path, but its declared return type is {want}"
