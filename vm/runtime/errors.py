"""Run-time error classes of the Harn VM (language.md §12, stdlib.md §0.3).

Every error a script can observe is a :class:`HarnError`. Two things are
attached to it:

- ``value``: what a Harn ``catch (e)`` binds. For a user ``throw v`` it is
  ``v`` itself; for every VM or builtin error it is the message string
  (``Division by zero``, ``Type error: Cannot add string and int``).
- ``message``: the text printed after ``error: `` when the error is uncaught.
  For ``throw v`` it is ``Thrown: `` + display(v), computed lazily because a
  thrown value is usually caught and its display never needed.

``pos`` (a source offset) and ``path`` are filled in by the VM when it knows
where the error happened; helpers raising errors leave them ``None``.

The factories (:func:`type_error`, :func:`runtime_error`, :func:`plain_error`,
:func:`categorized`) return an exception instance to ``raise``; the classes
let the VM tell the kinds apart (e.g. to add `` (line N)`` to type and
runtime errors when rendering).
"""

from __future__ import annotations

from typing import Any

STACK_OVERFLOW = "Stack overflow: too many nested calls"
DIVISION_BY_ZERO = "Division by zero"


class HarnError(Exception):
    """Base of every error a Harn script can catch."""

    kind: str = "error"

    def __init__(self, value: Any, message: str | None = None) -> None:
        super().__init__()
        self.value = value
        self._message = message
        self.pos: int | None = None
        self.path: str | None = None

    @property
    def message(self) -> str:
        """The text shown after ``error: `` when uncaught."""
        if self._message is None:
            self._message = self._render()
        return self._message

    def _render(self) -> str:
        return str(self.value)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ThrowError(HarnError):
    """A user ``throw v``: ``catch`` binds ``v``; uncaught prints ``Thrown: v``."""

    kind = "throw"

    def __init__(self, value: Any) -> None:
        super().__init__(value, None)

    def _render(self) -> str:
        from vm.runtime.display import display

        return "Thrown: " + display(self.value)


class VMError(HarnError):
    """An error raised by the VM or a builtin: value and message are one string."""

    kind = "plain"

    def __init__(self, message: str) -> None:
        super().__init__(message, message)


class HarnTypeError(VMError):
    """``Type error: <detail>``."""

    kind = "type"


class HarnRuntimeError(VMError):
    """``Runtime error: <detail>``."""

    kind = "runtime"


class CategorizedError(VMError):
    """``Error [category]: message`` (categorised builtin errors)."""

    kind = "categorized"

    def __init__(self, category: str, message: str) -> None:
        super().__init__(f"Error [{category}]: {message}")
        self.category = category
        self.detail = message


def type_error(detail: str) -> HarnTypeError:
    """``Type error: <detail>`` (operator, index, property and call errors)."""
    return HarnTypeError("Type error: " + detail)


def runtime_error(detail: str) -> HarnRuntimeError:
    """``Runtime error: <detail>`` (other VM failures)."""
    return HarnRuntimeError("Runtime error: " + detail)


def plain_error(message: str) -> VMError:
    """A VM error whose text has no prefix (``Division by zero``, ``Undefined variable: x``)."""
    return VMError(message)


def categorized(category: str, message: str) -> CategorizedError:
    """``Error [category]: message``."""
    return CategorizedError(category, message)


def translate_python_error(exc: BaseException) -> HarnError | None:
    """Map a Python exception escaping generated code to the Harn error, if one applies.

    Generated code may run Python's own operators under a coarse ``try`` and
    translate afterwards (guides/compiling-to-python.md). Returns ``None`` for
    exceptions that have no Harn meaning (those are internal bugs).
    """
    if isinstance(exc, HarnError):
        return exc
    if isinstance(exc, ZeroDivisionError):
        return plain_error(DIVISION_BY_ZERO)
    if isinstance(exc, RecursionError):
        return plain_error(STACK_OVERFLOW)
    return None
