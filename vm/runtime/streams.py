"""Streams: the values of ``gen fn`` calls (language.md §16.5), Tier 2.

A ``gen fn`` compiles exactly like a generator function (its ``emit v``
statements are Python ``yield``s) except that the call wraps the Python
generator in :class:`HStream` instead of ``HGenerator``. A stream behaves
like a generator (``.next()`` gives ``{value, done}``, single-pass, lazy,
errors surface at the pull) but is its own type: ``type_of`` is
``stream``, it prints ``<stream>`` / ``<stream (done)>``, and the checker
never mixes ``Stream<T>`` with ``Generator<T>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vm.runtime.display import register_value_type
from vm.runtime.ops import register_iterable
from vm.runtime.values import HGenerator


class HStream(HGenerator):
    __slots__ = ()

    def __repr__(self) -> str:
        return "<stream (done)>" if self.done else "<stream>"


def _display(s: HStream) -> str:
    return "<stream (done)>" if s.done else "<stream>"


def _drain(s: HStream) -> Iterator[Any]:
    return s.drain()


register_value_type(HStream, "stream", _display)
register_iterable(HStream, _drain)
