"""Bytes builtins, BLAKE3 and time-ordered UUIDs (stdlib.md §15), Tier 2.

Bytes values are Python ``bytes`` (immutable; ``type_of`` is ``bytes``).
The ``bytes_*`` builtins type their arguments strictly: a wrong type is
``Runtime error: <name>: expected bytes at argument N, got <type>`` (or
``string``/``int``), a missing one ``Runtime error: <name>: missing argument
N``. Slices clamp both bounds to ``[0, len]``; ``start >= end`` is empty.
``bytes_eq`` compares in constant time. A strict decode failure reads like
Rust's ``Utf8Error`` (``invalid utf-8 sequence of N bytes from index I``, or
``incomplete utf-8 byte sequence from index I`` for a truncated tail); the
lossy decode replaces each maximal invalid subpart with one U+FFFD, as Rust does.

``uuid_v7`` follows RFC 9562: 48 bits of Unix milliseconds (the mockable
wall clock of clock.py), version 7, a 12-bit counter in ``rand_a`` that
keeps UUIDs made within one millisecond increasing (it starts at a random
value below 2048 each new millisecond; on overflow the timestamp moves on by
one), the variant bits, then 62 random bits.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import threading
from typing import Any

from vm.runtime.display import type_of
from vm.runtime.errors import runtime_error
from vm.stdlib.blake3 import blake3_hex
from vm.stdlib.clock import now_ms
from vm.stdlib.common import MISSING, s
from vm.stdlib.registry import builtin

_KINDS = {bytes: "bytes", str: "string", int: "int"}


def _arg(name: str, v: Any, n: int, want: type) -> Any:
    if v is MISSING:
        raise runtime_error(f"{name}: missing argument {n}")
    if type(v) is not want:
        raise runtime_error(f"{name}: expected {_KINDS[want]} at argument {n}, got {type_of(v)}")
    return v


@builtin("bytes_from_string", "(s: string) -> bytes", "UTF-8 encode a string.", "T2")
def bytes_from_string(v: Any = MISSING, *_: Any) -> bytes:
    return _arg("bytes_from_string", v, 1, str).encode("utf-8", "surrogatepass")


@builtin("bytes_to_string", "(b: bytes) -> string", "Strict UTF-8 decode.", "T2")
def bytes_to_string(v: Any = MISSING, *_: Any) -> str:
    data = _arg("bytes_to_string", v, 1, bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a valid prefix cut off by the end
            detail = f"incomplete utf-8 byte sequence from index {exc.start}"
        else:
            detail = f"invalid utf-8 sequence of {exc.end - exc.start} bytes from index {exc.start}"
        raise runtime_error(f"bytes_to_string: {detail}") from None


@builtin("bytes_to_string_lossy", "(b: bytes) -> string",
         "UTF-8 decode with U+FFFD for invalid sequences.", "T2")
def bytes_to_string_lossy(v: Any = MISSING, *_: Any) -> str:
    return _arg("bytes_to_string_lossy", v, 1, bytes).decode("utf-8", "replace")


@builtin("bytes_to_hex", "(b: bytes) -> string", "Lowercase hex of the bytes.", "T2")
def bytes_to_hex(v: Any = MISSING, *_: Any) -> str:
    return _arg("bytes_to_hex", v, 1, bytes).hex()


@builtin("bytes_from_hex", "(s: string) -> bytes", "Bytes from hex text (either case).", "T2")
def bytes_from_hex(v: Any = MISSING, *_: Any) -> bytes:
    text = _arg("bytes_from_hex", v, 1, str)
    if not _HEX.match(text):
        raise runtime_error("bytes_from_hex: invalid hex character")
    if len(text) % 2:
        raise runtime_error("bytes_from_hex: odd number of digits")
    return bytes.fromhex(text)


_HEX = re.compile(r"[0-9A-Fa-f]*\Z")


@builtin("bytes_to_base64", "(b: bytes) -> string", "Standard base64 of the bytes.", "T2")
def bytes_to_base64(v: Any = MISSING, *_: Any) -> str:
    return base64.b64encode(_arg("bytes_to_base64", v, 1, bytes)).decode("ascii")


@builtin("bytes_from_base64", "(s: string) -> bytes", "Bytes from standard base64.", "T2")
def bytes_from_base64(v: Any = MISSING, *_: Any) -> bytes:
    text = _arg("bytes_from_base64", v, 1, str)
    if len(text) % 4:
        raise runtime_error("bytes_from_base64: invalid length")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise runtime_error("bytes_from_base64: invalid base64 input") from None


@builtin("bytes_len", "(b: bytes) -> int", "Number of bytes.", "T2")
def bytes_len(v: Any = MISSING, *_: Any) -> int:
    return len(_arg("bytes_len", v, 1, bytes))


@builtin("bytes_concat", "(a: bytes, b: bytes) -> bytes", "Concatenation.", "T2")
def bytes_concat(a: Any = MISSING, b: Any = MISSING, *_: Any) -> bytes:
    return _arg("bytes_concat", a, 1, bytes) + _arg("bytes_concat", b, 2, bytes)


@builtin("bytes_slice", "(b: bytes, start: int, end: int) -> bytes",
         "Bytes [start, end), both clamped to [0, len].", "T2")
def bytes_slice(v: Any = MISSING, start: Any = MISSING, end: Any = MISSING, *_: Any) -> bytes:
    data = _arg("bytes_slice", v, 1, bytes)
    n = len(data)
    lo = min(max(_arg("bytes_slice", start, 2, int), 0), n)
    hi = min(max(_arg("bytes_slice", end, 3, int), 0), n)
    return data[lo:hi] if lo < hi else b""


@builtin("bytes_eq", "(a: bytes, b: bytes) -> bool", "Constant-time equality.", "T2")
def bytes_eq(a: Any = MISSING, b: Any = MISSING, *_: Any) -> bool:
    import hmac

    return hmac.compare_digest(_arg("bytes_eq", a, 1, bytes), _arg("bytes_eq", b, 2, bytes))


# --------------------------------------------------------------------------- blake3, uuid v7


@builtin("blake3", "(v: ~str | bytes) -> string", "Lowercase hex BLAKE3 digest.", "T2")
def blake3(v: Any = None, *_: Any) -> str:
    data = v if type(v) is bytes else s(v).encode("utf-8", "surrogatepass")
    return blake3_hex(data)


_V7_LOCK = threading.Lock()
_v7_last = [-1, 0]  # last timestamp ms, last counter


def _v7_fields() -> tuple[int, int]:
    ms = now_ms() & ((1 << 48) - 1)
    with _V7_LOCK:
        last_ms, seq = _v7_last
        if ms <= last_ms:
            ms, seq = last_ms, seq + 1
            if seq >= 1 << 12:
                ms, seq = last_ms + 1, int.from_bytes(os.urandom(2), "big") & 0x7FF
        else:
            seq = int.from_bytes(os.urandom(2), "big") & 0x7FF
        _v7_last[0], _v7_last[1] = ms, seq
    return ms, seq


@builtin("uuid_v7", "() -> string", "A time-ordered v7 UUID.", "T2")
def uuid_v7(*_: Any) -> str:
    ms, seq = _v7_fields()
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (seq << 64) | (0b10 << 62) | rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
