"""The native standard library: every builtin, method and property of stdlib.md.

Importing this package registers everything into ``vm.stdlib.registry`` (one
entry per builtin, next to its implementation) and then the signatures of the
Tier 2 builtins not implemented yet. Area modules: output, conversion,
strings, lists, dicts, sets, iterators (ranges, iters, generators, pairs),
mathlib (math and random), jsonlib, regex, env, files, encoding, clock; Tier 2:
stdio (stdin, tty, logs), bytesfns, channels, concurrency (atomics, sleep,
breakers, timers), store, dates, streamops, schema, jq, yamlfmt, formats (TOML,
CSV), urls, pathglob, templates. ``dispatch`` holds what
generated code calls (``call_method``, ``builtin_functions``, ``global_values``).
"""

from __future__ import annotations

from vm.stdlib import (  # noqa: F401  (imported for their registrations)
    bytesfns,
    channels,
    clock,
    concurrency,
    conversion,
    dates,
    dicts,
    encoding,
    env,
    files,
    formats,
    iterators,
    jq,
    jsonlib,
    lists,
    mathlib,
    output,
    pathglob,
    regex,
    schema,
    sets,
    stdio,
    store,
    streamops,
    strings,
    templates,
    urls,
    yamlfmt,
)
from vm.stdlib.catalog_t2 import register_t2_stubs
from vm.stdlib.dispatch import (
    builtin_functions,
    builtin_value,
    call_method,
    global_values,
    undefined_builtin,
)
from vm.stdlib.registry import (
    BUILTINS,
    GLOBALS,
    METHOD_INFO,
    METHODS,
    PROPERTIES,
    Builtin,
    Signature,
    all_builtin_names,
    builtin_signature,
    method_signatures,
    parse_signature,
    public_builtin_names,
)

register_t2_stubs()

__all__ = [
    "BUILTINS", "GLOBALS", "METHODS", "METHOD_INFO", "PROPERTIES", "Builtin", "Signature",
    "all_builtin_names", "builtin_functions", "builtin_signature", "builtin_value",
    "call_method", "global_values", "method_signatures", "parse_signature",
    "public_builtin_names", "undefined_builtin",
]  # fmt: skip
