"""Runtime value classes of the Harn VM (language.md §6, §11, §13, §17).

Most Harn values are plain Python values: nil=None, bool, int (unbounded),
float, string=str, list, dict (str keys; Harn order is sorted by key, so
anything that iterates or prints a dict sorts), bytes. This module defines
the rest:

- :class:`Duration` (ms, immutable, equal/ordered by ms, §17.4);
- :class:`HRange` (lazy int range, O(1) length/contains/index);
- :class:`Pair`, :class:`EnumValue` (``Result`` is the enum ``"Result"``),
  :class:`StructType` / :class:`StructValue`;
- :class:`HSet`, insertion-ordered and unique by :func:`structural_key`;
- :class:`HIter`, a lazy single-pass fused iterator with shared identity;
- :class:`HGenerator`, the value returned by calling a generator function;
- :class:`BuiltinRef`, a builtin used as a value.

Script closures are plain Python functions carrying ``harn_params``.

Invariants: values are never mutated after they are handed to a script
(``HSet.add`` returns a new set); only HIter and HGenerator carry state
(shared identity). ``__eq__`` on these classes follows Harn ``==``
(compare.eq) so Python-level comparisons in the stdlib and tests agree with
scripts; such objects are unhashable except Duration, and hashing for sets
goes through :func:`structural_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vm.runtime.errors import runtime_error


def _harn_eq(a: Any, b: Any) -> bool:
    """Harn ``==`` (compare.eq, which imports this module, so bound on first use)."""
    global _harn_eq
    from vm.runtime.compare import eq

    _harn_eq = eq
    return eq(a, b)


# --------------------------------------------------------------------------- durations


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A signed length of time in whole milliseconds."""

    ms: int


# --------------------------------------------------------------------------- ranges


class HRange:
    """``a to b`` (inclusive) or ``a to b exclusive``; empty when it would descend."""

    __slots__ = ("start", "end", "inclusive", "stop")

    def __init__(self, start: int, end: int, inclusive: bool) -> None:
        self.start = start
        self.end = end
        self.inclusive = inclusive
        stop = end + 1 if inclusive else end
        self.stop = stop if stop > start else start  # exclusive upper bound

    def length(self) -> int:
        return self.stop - self.start

    def contains(self, x: Any) -> bool:
        return type(x) is int and self.start <= x < self.stop

    def at(self, i: int) -> int:
        """Element ``i`` (negative counts from the end); out of range is a runtime error."""
        n = self.stop - self.start
        j = i + n if i < 0 else i
        if 0 <= j < n:
            return self.start + j
        raise runtime_error(f"range index out of range: index {i} for range of length {n}")

    def first(self) -> int | None:
        return self.start if self.stop > self.start else None

    def last(self) -> int | None:
        return self.stop - 1 if self.stop > self.start else None

    def to_list(self) -> list[int]:
        return list(range(self.start, self.stop))

    def py_range(self) -> range:
        return range(self.start, self.stop)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.start, self.stop))

    def __eq__(self, other: object) -> bool:
        return _harn_eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"HRange({self.start}, {self.end}, {self.inclusive})"


# --------------------------------------------------------------------------- pairs, enums


class Pair:
    """``pair(a, b)``; iterator items such as ``enumerate()`` results."""

    __slots__ = ("first", "second")

    def __init__(self, first: Any, second: Any) -> None:
        self.first = first
        self.second = second

    def __eq__(self, other: object) -> bool:
        return _harn_eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Pair({self.first!r}, {self.second!r})"


class EnumValue:
    """A variant value ``Enum.Variant(fields...)``; ``fields`` is a tuple."""

    __slots__ = ("enum", "variant", "fields")

    def __init__(self, enum: str, variant: str, fields: tuple[Any, ...] = ()) -> None:
        self.enum = enum
        self.variant = variant
        self.fields = fields

    def __eq__(self, other: object) -> bool:
        return _harn_eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"EnumValue({self.enum!r}, {self.variant!r}, {self.fields!r})"


def ok(v: Any) -> EnumValue:
    """``Result.Ok(v)``."""
    return EnumValue("Result", "Ok", (v,))


def err(e: Any) -> EnumValue:
    """``Result.Err(e)``."""
    return EnumValue("Result", "Err", (e,))


def is_ok(v: Any) -> bool:
    return type(v) is EnumValue and v.variant == "Ok" and v.enum == "Result"


def is_err(v: Any) -> bool:
    return type(v) is EnumValue and v.variant == "Err" and v.enum == "Result"


def is_result(v: Any) -> bool:
    return type(v) is EnumValue and v.enum == "Result" and v.variant in ("Ok", "Err")


# --------------------------------------------------------------------------- structs


class StructType:
    """A declared struct: its name, declared fields and ``impl`` methods.

    Used as a value it is the constructor (``type_of`` is ``closure``):
    calling it with one dict builds an instance keeping only declared keys.
    ``methods`` maps a name to a Python function taking the instance first;
    it may be filled after creation (methods are visible whatever the
    declaration order, §17.10).
    """

    __slots__ = ("name", "fields", "methods", "field_set", "harn_params")

    def __init__(
        self,
        name: str,
        fields: tuple[str, ...],
        methods: dict[str, Callable[..., Any]] | None = None,
    ) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.methods: dict[str, Callable[..., Any]] = {} if methods is None else methods
        self.field_set = frozenset(self.fields)
        self.harn_params = ("fields",)

    def new(self, values: dict[str, Any]) -> StructValue:
        """An instance from ``values``, dropping undeclared keys."""
        fs = self.field_set
        return StructValue(self, {k: v for k, v in values.items() if k in fs})

    def __call__(self, values: Any = None, *_rest: Any) -> StructValue:
        return self.new(values if type(values) is dict else {})

    def __repr__(self) -> str:
        return f"StructType({self.name!r}, {self.fields!r})"


class StructValue:
    """A struct instance; ``fields`` holds only the assigned fields."""

    __slots__ = ("type", "fields")

    def __init__(self, type: StructType, fields: dict[str, Any]) -> None:
        self.type = type
        self.fields = fields

    @property
    def name(self) -> str:
        return self.type.name

    def get(self, field: str) -> Any:
        return self.fields.get(field)

    def __eq__(self, other: object) -> bool:
        return _harn_eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StructValue({self.type.name!r}, {self.fields!r})"


# --------------------------------------------------------------------------- builtins


class BuiltinRef:
    """A builtin function used as a value (``let f = len``); equal by name."""

    __slots__ = ("name", "fn")

    def __init__(self, name: str, fn: Callable[..., Any]) -> None:
        self.name = name
        self.fn = fn

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __eq__(self, other: object) -> bool:
        return type(other) is BuiltinRef and other.name == self.name

    def __hash__(self) -> int:
        return hash(("builtin", self.name))

    def __repr__(self) -> str:
        return f"<builtin {self.name}>"


# --------------------------------------------------------------------------- structural keys

_NAN_KEY = ("f", "NaN")


def _key_none(v: Any) -> Any:
    return None


def _key_bool(v: bool) -> Any:
    return ("b", v)


def _key_float(v: float) -> Any:
    return ("f", v) if v == v else _NAN_KEY


def _key_list(v: list[Any]) -> Any:
    return ("l", tuple([structural_key(x) for x in v]))


def _key_dict(v: dict[str, Any]) -> Any:
    return ("d", tuple(sorted([(k, structural_key(x)) for k, x in v.items()])))


def _key_set(v: HSet) -> Any:
    return ("s", frozenset(v._d))


def _key_pair(v: Pair) -> Any:
    return ("p", structural_key(v.first), structural_key(v.second))


def _key_enum(v: EnumValue) -> Any:
    return ("e", v.enum, v.variant, tuple([structural_key(x) for x in v.fields]))


def _key_struct(v: StructValue) -> Any:
    items = sorted([(k, structural_key(x)) for k, x in v.fields.items()])
    return ("S", v.type.name, tuple(items))


def _key_range(v: HRange) -> Any:
    return ("r", v.start, v.end, v.inclusive)


def _key_duration(v: Duration) -> Any:
    return ("D", v.ms)


def _key_bytes(v: bytes) -> Any:
    return ("B", v)


def _key_builtin(v: BuiltinRef) -> Any:
    return ("builtin", v.name)


_KEY_FNS: dict[type, Callable[[Any], Any]] = {
    type(None): _key_none,
    bool: _key_bool,
    float: _key_float,
    list: _key_list,
    dict: _key_dict,
    Pair: _key_pair,
    EnumValue: _key_enum,
    StructValue: _key_struct,
    HRange: _key_range,
    Duration: _key_duration,
    bytes: _key_bytes,
    BuiltinRef: _key_builtin,
}


def structural_key(v: Any) -> Any:
    """A hashable, type-tagged key (stdlib.md §0.2 A8).

    ``1``, ``1.0``, ``true`` and ``"1"`` give four different keys; dict keys
    are order-independent (sorted entries), list keys ordered, set keys
    order-independent. Ints and strings are their own key (they never
    compare equal to each other nor to the tagged tuples). Values with
    identity (closures, iterators, generators) are keyed by identity.
    """
    t = type(v)
    if t is str or t is int:
        return v
    f = _KEY_FNS.get(t)
    if f is not None:
        return f(v)
    return ("o", id(v))


# --------------------------------------------------------------------------- sets

_MISSING = object()
_COMPOUND = frozenset({list, dict, Pair, EnumValue, StructValue})


class HSet:
    """An immutable insertion-ordered set; ``_d`` maps structural key -> value."""

    __slots__ = ("_d",)

    def __init__(self, d: dict[Any, Any] | None = None) -> None:
        self._d: dict[Any, Any] = {} if d is None else d

    @classmethod
    def from_iterable(cls, items: Iterable[Any]) -> HSet:
        d: dict[Any, Any] = {}
        for v in items:
            k = structural_key(v)
            if k not in d:
                d[k] = v
        return cls(d)

    def add(self, v: Any) -> HSet:
        """A new set with ``v`` appended unless its structural key is present."""
        k = structural_key(v)
        if k in self._d:
            return self
        d = self._d.copy()
        d[k] = v
        return HSet(d)

    def without_key(self, v: Any) -> HSet:
        """A new set without the element whose structural key equals ``v``'s."""
        k = structural_key(v)
        if k not in self._d:
            return self
        d = self._d.copy()
        del d[k]
        return HSet(d)

    def contains_key(self, v: Any) -> bool:
        """Membership by structural key (``set_contains``)."""
        return structural_key(v) in self._d

    def contains_eq(self, v: Any) -> bool:
        """Membership by Harn ``==`` (``in``, set methods): ``1.0`` finds ``1``."""
        d = self._d
        t = type(v)
        if t is str or v is None:
            return v in d
        k = structural_key(v)
        hit = d.get(k, _MISSING)
        if hit is not _MISSING and _harn_eq(v, hit):
            return True
        if t is int:
            try:
                f = float(v)
            except OverflowError:
                return False
            return f == v and ("f", f) in d
        if t is float:
            if v != v or v in (float("inf"), float("-inf")):
                return False
            return v.is_integer() and int(v) in d
        if (t in _COMPOUND or t is HSet) and v in d.values():  # Python == is a sound "no"
            for x in d.values():
                if _harn_eq(v, x):
                    return True
        return False

    def values(self) -> list[Any]:
        return list(self._d.values())

    def to_list(self) -> list[Any]:
        return list(self._d.values())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._d.values())

    def __len__(self) -> int:
        return len(self._d)

    def __eq__(self, other: object) -> bool:
        return _harn_eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"HSet({list(self._d.values())!r})"


_KEY_FNS[HSet] = _key_set


# --------------------------------------------------------------------------- iterators


def _exhausted_next() -> Any:
    raise StopIteration


class HIter:
    """A lazy, single-pass, fused iterator with shared identity (§13).

    Wraps any Python iterator. Combinators must wrap the HIter itself
    (``HIter(map(f, parent))``), not its source, so pulls through a derived
    iter advance the parent and keep its ``exhausted`` flag right.
    ``exhausted`` becomes true when a pull finds nothing; printing reads it
    and never pulls.
    """

    __slots__ = ("_it", "_next", "exhausted")

    def __init__(self, it: Iterable[Any]) -> None:
        src = iter(it)
        self._it: Iterator[Any] | None = src
        self._next: Callable[[], Any] = src.__next__
        self.exhausted = False

    def _finish(self) -> None:
        self._it = None
        self._next = _exhausted_next
        self.exhausted = True

    def next_item(self) -> tuple[bool, Any]:
        """``(True, item)`` for the next item, ``(False, None)`` once exhausted."""
        try:
            return True, self._next()
        except StopIteration:
            self._finish()
            return False, None

    def __iter__(self) -> HIter:
        return self

    def __next__(self) -> Any:
        try:
            return self._next()
        except StopIteration:
            self._finish()
            raise

    def drain(self) -> Iterator[Any]:
        """A fast Python iterator over the remaining items (for ``for`` loops).

        Abandoning it (``break``) leaves the remaining items in this iter.
        """
        it = self._it
        if it is None:
            return
        # Not ``yield from``: closing this wrapper would close the shared source.
        for x in it:  # noqa: UP028
            yield x
        self._finish()

    def __repr__(self) -> str:
        return "<iter (exhausted)>" if self.exhausted else "<iter>"


class HGenerator:
    """The value of calling a generator function; wraps a Python generator.

    ``next()`` gives ``{"value": v, "done": False}`` then
    ``{"value": None, "done": True}`` forever. An error raised in the body
    propagates from the pull that reaches it and finishes the generator.
    """

    __slots__ = ("_gen", "done")

    def __init__(self, gen: Iterator[Any]) -> None:
        self._gen = gen
        self.done = False

    def next(self) -> dict[str, Any]:
        if self.done:
            return {"value": None, "done": True}
        try:
            v = self._gen.__next__()
        except StopIteration:
            self.done = True
            return {"value": None, "done": True}
        except ValueError as exc:
            if str(exc) == "generator already executing":  # it pulled itself
                raise runtime_error("generator is already running") from None
            self.done = True
            raise
        except BaseException:
            self.done = True
            raise
        return {"value": v, "done": False}

    def __iter__(self) -> Iterator[Any]:
        return self.drain()

    def __next__(self) -> Any:
        if self.done:
            raise StopIteration
        try:
            return self._gen.__next__()
        except ValueError as exc:
            if str(exc) == "generator already executing":
                raise runtime_error("generator is already running") from None
            self.done = True
            raise
        except BaseException:
            self.done = True
            raise

    def drain(self) -> Iterator[Any]:
        """A fast Python iterator over the remaining values; ``break`` leaves them."""
        if self.done:
            return
        gen = self._gen
        try:
            for v in gen:  # noqa: UP028 (``yield from`` would close ``gen`` on break)
                yield v
        except GeneratorExit:
            raise
        except BaseException:
            self.done = True
            raise
        self.done = True

    def __repr__(self) -> str:
        return "<generator (done)>" if self.done else "<generator>"
