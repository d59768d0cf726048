"""The persistent key-value store (stdlib.md §20.3), Tier 2.

One JSON object in ``<state dir>/store.json``; the state directory is
``$HARN_STATE_DIR`` when set, else ``.harn`` under the execution root (the
working directory). Every operation reads the file (a missing file is an
empty store) and every change writes it back at once through a temporary
file and a rename, so the store survives a crash mid-write and several runs
see each other's changes; ``store_save`` therefore only makes sure the file
exists. Values go through the JSON mapping of §13.1 (``json_stringify`` /
``json_parse``), so a value that has no JSON form is stored as ``null``.
Failures ``throw "store_*: <path>: <os error>"``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from vm.runtime.errors import HarnError
from vm.stdlib.common import s, throw
from vm.stdlib.host import HOST
from vm.stdlib.jsonlib import parse_json_text, stringify
from vm.stdlib.registry import builtin

_LOCK = threading.Lock()


def store_path() -> str:
    base = HOST.getenv("HARN_STATE_DIR") or ".harn"
    return os.path.abspath(os.path.join(base, "store.json"))


def _os_error(exc: OSError) -> str:
    return f"{exc.strerror or exc} (os error {exc.errno})" if exc.errno else str(exc)


def _load(name: str) -> dict[str, Any]:
    path = store_path()
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise throw(f"{name}: {path}: {_os_error(exc)}") from None
    try:
        data = parse_json_text(text) if text.strip() else {}
    except Exception:  # noqa: BLE001 - a corrupt store reads as a clear error
        raise throw(f"{name}: {path}: not a JSON object") from None
    if type(data) is not dict:
        raise throw(f"{name}: {path}: not a JSON object")
    return data


def _save(name: str, data: dict[str, Any]) -> None:
    path = store_path()
    tmp = path + ".tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(stringify(data))
        os.replace(tmp, path)
    except OSError as exc:
        raise throw(f"{name}: {path}: {_os_error(exc)}") from None


@builtin("store_get", "(key: ~str) -> any", "The stored value under key, or nil.", "T2")
def store_get(key: Any = None, *_: Any) -> Any:
    with _LOCK:
        return _load("store_get").get(s(key))


@builtin("store_set", "(key: ~str, v: any) -> nil", "Store v under key (written at once).", "T2")
def store_set(key: Any = None, v: Any = None, *_: Any) -> None:
    with _LOCK:
        data = _load("store_set")
        try:
            data[s(key)] = parse_json_text(stringify(v))
        except HarnError as exc:  # a non-finite float has no JSON form
            raise throw(f"store_set: {exc.value}") from None
        _save("store_set", data)


@builtin("store_delete", "(key: ~str) -> nil", "Remove key from the store.", "T2")
def store_delete(key: Any = None, *_: Any) -> None:
    with _LOCK:
        data = _load("store_delete")
        if data.pop(s(key), _LOCK) is not _LOCK:
            _save("store_delete", data)


@builtin("store_list", "() -> list<string>", "The stored keys, sorted.", "T2")
def store_list(*_: Any) -> list[str]:
    with _LOCK:
        return sorted(_load("store_list"))


@builtin("store_save", "() -> nil", "Make sure the store file exists (writes are immediate).",
         "T2")
def store_save(*_: Any) -> None:
    with _LOCK:
        _save("store_save", _load("store_save"))


@builtin("store_clear", "() -> nil", "Remove every key from the store.", "T2")
def store_clear(*_: Any) -> None:
    with _LOCK:
        if os.path.exists(store_path()):
            _save("store_clear", {})

