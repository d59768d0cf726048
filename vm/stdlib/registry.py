"""The one registry of native builtins, value methods and properties (ARCHITECTURE decision 5).

Each builtin is registered once, by a decorator next to its implementation,
with its name, its signature in the spec's syntax (stdlib.md §0.1, e.g.
``"(v: any, sep?: ~str = \\",\\") -> string"``), a one-line doc and its tier.
The VM calls the Python callable; the checker types calls from the parsed
:class:`Signature`; the language server completes and documents from the same
entries. Signatures are parsed lazily (only the checker and the server need
them), so importing the stdlib stays cheap.

Calling convention (stdlib.md §0.2 A1): a builtin's callable takes positional
arguments only; every parameter has a default (a missing argument behaves as
``nil`` or the stated default) and a trailing ``*_`` swallows extra arguments.
Methods take the receiver first. Tables are keyed by the receiver's exact
Python type, so dispatch is ``METHODS[type(recv)].get(name)`` (O(1)).

Tier 2 builtins that are not implemented yet are still registered (the checker
needs every name, types.md §14) with an implementation raising
``Runtime error: <name> is not supported yet``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vm.runtime.errors import runtime_error

# --------------------------------------------------------------------------- signatures


@dataclass(slots=True)
class Param:
    """One parameter of a signature: ``name?: type = default`` or ``...name: type``."""

    name: str
    type_text: str = "any"
    optional: bool = False
    rest: bool = False
    default_text: str | None = None

    @property
    def coerces_to_string(self) -> bool:
        """``~str`` parameters accept any value and use its display string (A2)."""
        return self.type_text.startswith("~str")


@dataclass(slots=True)
class Signature:
    params: list[Param]
    returns: str

    @property
    def min_args(self) -> int:
        return sum(1 for p in self.params if not p.optional and not p.rest)

    @property
    def max_args(self) -> int | None:
        return None if any(p.rest for p in self.params) else len(self.params)

    def render(self, name: str = "") -> str:
        parts = []
        for p in self.params:
            text = ("..." if p.rest else "") + p.name + ("?" if p.optional else "")
            text += ": " + p.type_text
            if p.default_text is not None:
                text += " = " + p.default_text
            parts.append(text)
        return f"{name}({', '.join(parts)}) -> {self.returns}"


class SignatureSyntaxError(ValueError):
    pass


_OPEN = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _split_top(text: str, sep: str) -> list[str]:
    """Split ``text`` on ``sep`` outside brackets and strings (``->`` is not a bracket)."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = text.find('"', i + 1)
            j = n - 1 if j < 0 else j
            cur.append(text[i : j + 1])
            i = j + 1
            continue
        if c == "-" and i + 1 < n and text[i + 1] == ">":
            cur.append("->")
            i += 2
            continue
        if c in _OPEN:
            depth += 1
        elif c in ")]}>":
            depth -= 1
        if depth == 0 and text.startswith(sep, i):
            parts.append("".join(cur))
            cur = []
            i += len(sep)
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _matching_paren(text: str) -> int:
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "-" and text[i + 1 : i + 2] == ">":
            i += 2
            continue
        if c in "([{<":
            depth += 1
        elif c in ")]}>":
            depth -= 1
            if depth == 0:
                return i
        elif c == '"':
            i = text.index('"', i + 1)
        i += 1
    raise SignatureSyntaxError(f"unbalanced parentheses in {text!r}")


def parse_signature(text: str) -> Signature:
    """Parse ``(a: T, b?: T = d, ...rest: T) -> R``; a missing ``-> R`` means ``any``."""
    text = text.strip()
    if not text.startswith("("):
        raise SignatureSyntaxError(f"signature must start with '(': {text!r}")
    close = _matching_paren(text)
    inner = text[1:close].strip()
    tail = text[close + 1 :].strip()
    returns = "any"
    if tail:
        if not tail.startswith("->"):
            raise SignatureSyntaxError(f"expected '->' after parameters: {text!r}")
        returns = tail[2:].strip()
    params: list[Param] = []
    if inner:
        for raw in _split_top(inner, ","):
            params.append(_parse_param(raw.strip(), text))
    return Signature(params, returns)


def _parse_param(raw: str, whole: str) -> Param:
    if not raw:
        raise SignatureSyntaxError(f"empty parameter in {whole!r}")
    rest = raw.startswith("...")
    if rest:
        raw = raw[3:]
    default: str | None = None
    pieces = _split_top(raw, "=")
    if len(pieces) > 1:
        raw = pieces[0].strip()
        default = "=".join(pieces[1:]).strip()
    name, colon, type_text = raw.partition(":")
    name = name.strip()
    optional = name.endswith("?")
    if optional:
        name = name[:-1]
    if not name.isidentifier():
        raise SignatureSyntaxError(f"bad parameter name {name!r} in {whole!r}")
    type_text = type_text.strip() if colon else "any"
    if not type_text:
        raise SignatureSyntaxError(f"missing type after ':' in {whole!r}")
    return Param(name, type_text, optional or default is not None or rest, rest, default)


# --------------------------------------------------------------------------- entries


@dataclass(slots=True)
class Builtin:
    """A builtin function: what the VM calls and what the checker and LSP read."""

    name: str
    sig_text: str
    doc: str
    tier: str
    fn: Callable[..., Any]
    implemented: bool = True
    internal: bool = False  # ``__dict_*`` helpers behind std/ modules
    _sig: Signature | None = field(default=None, repr=False)

    @property
    def signature(self) -> Signature:
        if self._sig is None:
            self._sig = parse_signature(self.sig_text)
        return self._sig


@dataclass(slots=True)
class MethodInfo:
    """A value method: ``receiver.name(args)``; ``sig_text`` excludes the receiver."""

    receiver: str
    name: str
    sig_text: str
    doc: str
    tier: str
    fn: Callable[..., Any]
    _sig: Signature | None = field(default=None, repr=False)

    @property
    def signature(self) -> Signature:
        if self._sig is None:
            self._sig = parse_signature(self.sig_text)
        return self._sig


@dataclass(slots=True)
class PropertyInfo:
    """A read-only property of a built-in value (§0.6); evaluated by ``ops.get_property``."""

    receiver: str
    name: str
    type_text: str
    doc: str
    tier: str = "T1"


@dataclass(slots=True)
class GlobalInfo:
    """A global value binding (``pi``, ``e``, ``argv``, ``stream``)."""

    name: str
    type_text: str
    doc: str
    tier: str


BUILTINS: dict[str, Builtin] = {}
METHODS: dict[type, dict[str, Callable[..., Any]]] = {}
METHOD_INFO: dict[str, dict[str, MethodInfo]] = {}
PROPERTIES: dict[str, dict[str, PropertyInfo]] = {}
GLOBALS: dict[str, GlobalInfo] = {}
CONSTANTS: dict[str, Any] = {}  # non-function global values compiled as constants (``stream``)
RECEIVER_TYPES: dict[str, type] = {}


def register_receiver_type(name: str, cls: type) -> None:
    """Name a receiver type (``"string"`` -> ``str``) so methods can be declared for it."""
    RECEIVER_TYPES[name] = cls
    METHODS.setdefault(cls, {})
    METHOD_INFO.setdefault(name, {})


def _names(names: str | tuple[str, ...]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else names


def builtin(
    names: str | tuple[str, ...], sig: str, doc: str, tier: str = "T1", *, internal: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the builtin(s) ``names`` (aliases share it)."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in _names(names):
            if name in BUILTINS and BUILTINS[name].implemented:
                raise ValueError(f"builtin {name!r} registered twice")
            BUILTINS[name] = Builtin(name, sig, doc, tier, fn, internal=internal)
        return fn

    return deco


def method(
    receiver: str | tuple[str, ...],
    names: str | tuple[str, ...],
    sig: str,
    doc: str,
    tier: str = "T1",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated ``fn(recv, *args)`` as method(s) of the receiver type(s)."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        for recv in _names(receiver):
            add_method(recv, names, sig, doc, fn, tier)
        return fn

    return deco


def add_method(
    receiver: str,
    names: str | tuple[str, ...],
    sig: str,
    doc: str,
    fn: Callable[..., Any],
    tier: str = "T1",
) -> None:
    cls = RECEIVER_TYPES[receiver]
    for name in _names(names):
        METHODS[cls][name] = fn
        METHOD_INFO[receiver][name] = MethodInfo(receiver, name, sig, doc, tier, fn)


def prop(receiver: str, name: str, type_text: str, doc: str, tier: str = "T1") -> None:
    PROPERTIES.setdefault(receiver, {})[name] = PropertyInfo(receiver, name, type_text, doc, tier)


def global_value(name: str, type_text: str, doc: str, tier: str = "T1") -> None:
    GLOBALS[name] = GlobalInfo(name, type_text, doc, tier)


def not_supported(name: str) -> Callable[..., Any]:
    def unsupported(*_args: Any) -> Any:
        raise runtime_error(f"{name} is not supported yet")

    unsupported.__name__ = name
    return unsupported


def stub(name: str, sig: str, doc: str, tier: str = "T2") -> None:
    """Register a not-yet-implemented builtin: known to the checker, fails when called."""
    if name in BUILTINS:
        return
    BUILTINS[name] = Builtin(name, sig, doc, tier, not_supported(name), implemented=False)


# --------------------------------------------------------------------------- queries


def all_builtin_names() -> list[str]:
    """Every builtin function name of stdlib.md (T1 and T2, implemented or not), sorted."""
    return sorted(BUILTINS)


def public_builtin_names() -> list[str]:
    """Builtin names a script is meant to call (without the ``__dict_*`` helpers)."""
    return sorted(n for n, b in BUILTINS.items() if not b.internal)


def builtin_signature(name: str) -> Signature | None:
    b = BUILTINS.get(name)
    return None if b is None else b.signature


def method_signatures(type_name: str) -> dict[str, Signature]:
    """Signatures of the methods of a receiver type (``"string"``, ``"list"``, ...)."""
    return {n: m.signature for n, m in METHOD_INFO.get(type_name, {}).items()}


def method_info(type_name: str, name: str) -> MethodInfo | None:
    return METHOD_INFO.get(type_name, {}).get(name)


def receiver_type_names() -> list[str]:
    return sorted(METHOD_INFO)
