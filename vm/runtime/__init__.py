"""Runtime of the Harn VM: value classes, errors, display and operator helpers.

Generated code and the native stdlib import from the submodules directly
(``vm.runtime.values``, ``errors``, ``display``, ``compare``, ``ops``); this
package re-exports the names most callers need.
"""

from vm.runtime.compare import compare, eq, ge, gt, le, lt, ne
from vm.runtime.display import display, format_float, truthy, type_of
from vm.runtime.errors import (
    HarnError,
    ThrowError,
    categorized,
    plain_error,
    runtime_error,
    type_error,
)
from vm.runtime.values import (
    BuiltinRef,
    Duration,
    EnumValue,
    HGenerator,
    HIter,
    HRange,
    HSet,
    Pair,
    StructType,
    StructValue,
    err,
    is_err,
    is_ok,
    ok,
    structural_key,
)

__all__ = [
    "BuiltinRef", "Duration", "EnumValue", "HGenerator", "HIter", "HRange", "HSet",
    "HarnError", "Pair", "StructType", "StructValue", "ThrowError", "categorized",
    "compare", "display", "eq", "err", "format_float", "ge", "gt", "is_err", "is_ok",
    "le", "lt", "ne", "ok", "plain_error", "runtime_error", "structural_key", "truthy",
    "type_error", "type_of",
]  # fmt: skip
