"""Modules imported on first use, for start-up time.

``hashlib = lazy("hashlib")`` binds a stand-in whose first attribute access
imports the real module (then every access forwards to it). The stdlib
areas that need heavy Python modules (hashing, uuid, subprocess, platform)
use it, so ``lang run hello.harn`` does not pay for them (several ms of the
~100 ms start-up budget).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)


def lazy(name: str) -> Any:
    return LazyModule(name)
