"""Encoding, hashing, bytes and UUID builtins (stdlib.md §15, Tier 2).

"Text input" is the UTF-8 encoding of the argument's display string; where
``bytes`` are accepted they are used raw. Decoders build a string from the
decoded bytes with invalid UTF-8 replaced by U+FFFD.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from vm.lazymod import lazy
from vm.runtime.errors import runtime_error
from vm.stdlib.common import MISSING, s
from vm.stdlib.registry import builtin

hashlib = lazy("hashlib")  # imported on first use (start-up time)
hmac = lazy("hmac")
_uuid = lazy("uuid")


def _raw(v: Any) -> bytes:
    return v if type(v) is bytes else s(v).encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


@builtin("base64_encode", "(v: ~str | bytes) -> string", "Standard base64 with padding.", "T2")
def base64_encode(v: Any = None, *_: Any) -> str:
    return base64.b64encode(_raw(v)).decode("ascii")


_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")
_B64URL = re.compile(r"[A-Za-z0-9_-]*\Z")


@builtin("base64_decode", "(s: ~str) -> string", "Decode standard base64.", "T2")
def base64_decode(v: Any = None, *_: Any) -> str:
    t = s(v)
    if not _B64.match(t) or len(t) % 4:
        raise runtime_error("base64 decode error: invalid input")
    try:
        return _text(base64.b64decode(t, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise runtime_error(f"base64 decode error: {exc}") from None


@builtin("base64url_encode", "(s: ~str | bytes) -> string", "URL-safe base64 without padding.",
         "T2")
def base64url_encode(v: Any = None, *_: Any) -> str:
    return base64.urlsafe_b64encode(_raw(v)).decode("ascii").rstrip("=")


@builtin("base64url_decode", "(s: ~str) -> string", "Decode URL-safe base64 (no padding).", "T2")
def base64url_decode(v: Any = None, *_: Any) -> str:
    t = s(v)
    if not _B64URL.match(t) or len(t) % 4 == 1:
        raise runtime_error("base64url decode error: invalid input")
    try:
        return _text(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise runtime_error(f"base64url decode error: {exc}") from None


@builtin("base32_encode", "(s: ~str | bytes) -> string", "RFC 4648 base32 with padding.", "T2")
def base32_encode(v: Any = None, *_: Any) -> str:
    return base64.b32encode(_raw(v)).decode("ascii")


@builtin("base32_decode", "(s: ~str) -> string", "Decode RFC 4648 base32.", "T2")
def base32_decode(v: Any = None, *_: Any) -> str:
    try:
        return _text(base64.b32decode(s(v)))
    except (binascii.Error, ValueError) as exc:
        raise runtime_error(f"base32 decode error: {exc}") from None


@builtin("hex_encode", "(s: ~str | bytes) -> string", "Lowercase hex of the bytes.", "T2")
def hex_encode(v: Any = None, *_: Any) -> str:
    return _raw(v).hex()


@builtin("hex_decode", "(s: ~str) -> string", "Decode hex (either case, even length).", "T2")
def hex_decode(v: Any = None, *_: Any) -> str:
    t = s(v)
    if len(t) % 2 or not _HEX.match(t):
        raise runtime_error("hex decode error: invalid hex string")
    return _text(bytes.fromhex(t))


_HEX = re.compile(r"[0-9A-Fa-f]*\Z")


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


@builtin("url_encode", "(s: ~str) -> string",
         "Percent-encode every byte except A-Z a-z 0-9 - _ . ~.", "T2")
def url_encode(v: Any = None, *_: Any) -> str:
    return "".join(chr(c) if c in _UNRESERVED else f"%{c:02X}" for c in _raw(v))


_PCT = re.compile(rb"%([0-9A-Fa-f]{2})")


@builtin("url_decode", "(s: ~str) -> string", "Decode %XX escapes and + as space.", "T2")
def url_decode(v: Any = None, *_: Any) -> str:
    data = _raw(v).replace(b"+", b" ")
    return _text(_PCT.sub(lambda m: bytes([int(m.group(1), 16)]), data))


def _digest(name: str, algo: str) -> None:
    def fn(v: Any = None, *_: Any) -> str:
        return hashlib.new(algo, _raw(v)).hexdigest()

    fn.__name__ = name
    builtin(name, "(s: ~str) -> string", f"Lowercase hex {algo.upper()} digest.", "T2")(fn)


for _name, _algo in (("sha256", "sha256"), ("sha224", "sha224"), ("sha384", "sha384"),
                     ("sha512", "sha512"), ("sha512_256", "sha512_256"), ("md5", "md5"),
                     ("sha3_256", "sha3_256"), ("sha3_512", "sha3_512")):
    _digest(_name, _algo)


@builtin("hmac_sha256", "(key: ~str, msg: ~str) -> string", "Lowercase hex HMAC-SHA256.", "T2")
def hmac_sha256(key: Any = None, msg: Any = None, *_: Any) -> str:
    return hmac.new(_raw(key), _raw(msg), hashlib.sha256).hexdigest()


@builtin("hmac_sha256_base64", "(key: ~str, msg: ~str) -> string", "Base64 HMAC-SHA256.", "T2")
def hmac_sha256_base64(key: Any = None, msg: Any = None, *_: Any) -> str:
    return base64.b64encode(hmac.new(_raw(key), _raw(msg), hashlib.sha256).digest()).decode()


@builtin("constant_time_eq", "(a: ~str, b: ~str) -> bool", "Timing-safe string equality.", "T2")
def constant_time_eq(a: Any = None, b: Any = None, *_: Any) -> bool:
    return hmac.compare_digest(_raw(a), _raw(b))


# --------------------------------------------------------------------------- uuid


@builtin("uuid", "() -> string", "A random v4 UUID.", "T2")
def uuid4(*_: Any) -> str:
    return str(_uuid.uuid4())


@builtin("uuid_nil", "() -> string", "The nil UUID.", "T2")
def uuid_nil(*_: Any) -> str:
    return "00000000-0000-0000-0000-000000000000"


_NAMESPACES = {"dns": "NAMESPACE_DNS", "url": "NAMESPACE_URL", "oid": "NAMESPACE_OID",
               "x500": "NAMESPACE_X500"}  # attributes of ``uuid``


@builtin("uuid_v5", "(namespace: ~str, name: ~str) -> string", "A name-based v5 UUID.", "T2")
def uuid_v5(namespace: Any = MISSING, name: Any = MISSING, *_: Any) -> str:
    if namespace is MISSING or name is MISSING:
        raise runtime_error("uuid_v5(namespace, name): requires namespace and name")
    ns_text = s(namespace).lower().removeprefix("namespace_")
    attr = _NAMESPACES.get(ns_text)
    ns = None if attr is None else getattr(_uuid, attr)
    if ns is None:
        try:
            ns = _uuid.UUID(s(namespace))
        except ValueError:
            raise runtime_error(
                "uuid_v5: namespace must be a UUID or one of dns/url/oid/x500") from None
    return str(_uuid.uuid5(ns, s(name)))


@builtin("uuid_parse", "(s: ~str) -> string?", "The canonical form of a UUID, or nil.", "T2")
def uuid_parse(v: Any = None, *_: Any) -> str | None:
    try:
        return str(_uuid.UUID(s(v).strip()))
    except ValueError:
        return None
