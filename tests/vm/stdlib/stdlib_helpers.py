"""Shared helpers for the stdlib unit tests: call builtins and methods like generated code."""

from __future__ import annotations

from typing import Any

import pytest

import vm.stdlib  # noqa: F401
from vm.runtime.display import display
from vm.runtime.errors import HarnError
from vm.stdlib.dispatch import call_method
from vm.stdlib.registry import BUILTINS


def b(name: str, *args: Any) -> Any:
    return BUILTINS[name].fn(*args)


def m(recv: Any, name: str, *args: Any) -> Any:
    return call_method(recv, name, *args)


def show(v: Any) -> str:
    return display(v)


def fails(fn: Any, *args: Any) -> HarnError:
    with pytest.raises(HarnError) as info:
        fn(*args)
    return info.value


def err_b(name: str, *args: Any) -> str:
    """The message of the error the builtin raises (``catch`` value for strings)."""
    e = fails(BUILTINS[name].fn, *args)
    return e.value if isinstance(e.value, str) else e.message


def err_m(recv: Any, name: str, *args: Any) -> str:
    e = fails(call_method, recv, name, *args)
    return e.value if isinstance(e.value, str) else e.message
