"""URL builtins (stdlib.md §15, Tier 2): url_parse, url_build, query_parse, query_stringify.

``url_parse`` follows the WHATWG URL parser for what these fields expose:
leading/trailing spaces and control characters are trimmed and tabs/newlines
removed; the scheme is lowercased; for the special schemes (http, https, ws,
wss, ftp, file) ``\\`` counts as ``/``, the host is required (except for
file), lowercased and IDNA-encoded, the default port reads as ``nil``, the
path defaults to ``/`` and its ``.``/``..`` segments are resolved. Path,
query, fragment and userinfo are percent-encoded with the WHATWG encode sets
(existing ``%XX`` stay). Absent parts (no ``?``, no ``#``, no user, no
password, no host, default port) are ``nil``; the path is always a string (a
non-special URL without authority keeps its opaque path: ``mailto:a@b`` →
``a@b``). Failures: ``throw "url_parse: <reason>"`` with the WHATWG reason
(``relative URL without a base``, ``empty host``, ``invalid port number``,
``invalid domain character``, ``invalid IPv6 address``).

``url_build`` is the inverse: ``scheme`` is required, ``//`` authority is
written when there is a host or the scheme is special, ``path`` defaults to
``/``; a list ``query`` is form-encoded like ``query_stringify``.

``query_parse``/``query_stringify`` are application/x-www-form-urlencoded:
``&``-separated pairs (empty ones skipped, a leading ``?`` ignored), the first
``=`` splits key from value (none: value ``""``), ``+`` is a space, bad
``%`` escapes are kept and invalid UTF-8 becomes U+FFFD. Serialising keeps
``A-Z a-z 0-9 * - . _``, writes spaces as ``+`` and ``%XX`` (uppercase) for
every other byte; values are display strings, ``nil`` is ``""``.
"""

from __future__ import annotations

import re
from typing import Any

from vm.runtime.values import HSet, StructValue
from vm.stdlib.common import MISSING, display, s, throw
from vm.stdlib.registry import builtin

SPECIAL = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "file": None}

_C0 = "".join(chr(c) for c in range(0x21)) + "\x7f"
_FRAGMENT_SET = frozenset(_C0 + '"<>`')
_QUERY_SET = frozenset(_C0 + '"#<>')
_PATH_SET = frozenset(_QUERY_SET | set("?`{}"))
_USERINFO_SET = frozenset(_PATH_SET | set("/:;=@[\\]^|"))
_FORBIDDEN_HOST = frozenset(" #%/:<>?@[\\]^|\x00\t\n\r")


def _encode(text: str, unsafe: frozenset[str]) -> str:
    out = []
    for c in text:
        if c in unsafe or ord(c) > 0x7E:
            out.extend(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
        else:
            out.append(c)
    return "".join(out)


def _fail(reason: str) -> Exception:
    return throw(f"url_parse: {reason}")


def _host(text: str, special: bool) -> str:
    if text.startswith("["):
        if not text.endswith("]"):
            raise _fail("invalid IPv6 address")
        inner = text[1:-1]
        if not re.fullmatch(r"[0-9A-Fa-f:.]+", inner) or inner.count(":") < 2:
            raise _fail("invalid IPv6 address")
        return "[" + inner.lower() + "]"
    if not special:
        if any(c in _FORBIDDEN_HOST and c != "%" for c in text):
            raise _fail("invalid domain character")
        return _encode(text, frozenset(_C0))
    from urllib.parse import unquote  # lazily: a few ms of start-up

    host = unquote(text)
    if any(c in _FORBIDDEN_HOST or ord(c) < 0x20 or ord(c) == 0x7F for c in host):
        raise _fail("invalid domain character")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise _fail("invalid international domain name") from None
    return host.lower()


def _port(text: str, scheme: str) -> int | None:
    if text == "":
        return None
    if not text.isdigit() or not text.isascii() or int(text) > 65535:
        raise _fail("invalid port number")
    port = int(text)
    return None if SPECIAL.get(scheme, -1) == port else port


def _dot_segments(path: str) -> str:
    segs = path.split("/")[1:]
    out: list[str] = []
    for k, seg in enumerate(segs):
        last = k == len(segs) - 1
        low = seg.lower()
        if low in ("..", ".%2e", "%2e.", "%2e%2e"):
            if out:
                out.pop()
            if last:
                out.append("")
        elif low in (".", "%2e"):
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def parse_url(raw: str) -> dict[str, Any]:
    text = raw.strip("".join(chr(c) for c in range(0x21)))
    text = re.sub(r"[\t\n\r]", "", text)
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    if not m:
        raise _fail("relative URL without a base")
    scheme = m.group(1).lower()
    rest = text[m.end():]
    special = scheme in SPECIAL
    fragment = query = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
        fragment = _encode(fragment, _FRAGMENT_SET)
    if "?" in rest:
        rest, query = rest.split("?", 1)
        qset = _QUERY_SET | {"'"} if special else _QUERY_SET
        query = _encode(query, frozenset(qset))
    if special:
        rest = rest.replace("\\", "/")
    result: dict[str, Any] = {"scheme": scheme, "host": None, "port": None, "path": "",
                              "query": query, "fragment": fragment, "username": None,
                              "password": None}
    has_authority = rest.startswith("//") or (special and scheme != "file")
    if has_authority:
        body = rest.lstrip("/") if special and scheme != "file" else rest[2:]
        cut = body.find("/")
        authority, path = (body, "") if cut < 0 else (body[:cut], body[cut:])
        if "@" in authority:
            userinfo, authority = authority.rsplit("@", 1)
            user, _, password = userinfo.partition(":")
            result["username"] = _encode(user, _USERINFO_SET) or None
            result["password"] = _encode(password, _USERINFO_SET) if ":" in userinfo else None
            if result["password"] == "":
                result["password"] = None
        hp = re.match(r"(\[[^\]]*\]|[^:]*)(?::(.*))?\Z", authority)
        host_text, port_text = (hp.group(1), hp.group(2) or "") if hp else (authority, "")
        if host_text == "":
            if special and scheme != "file":
                raise _fail("empty host")
            if port_text or result["username"]:
                raise _fail("empty host")
        else:
            result["host"] = _host(host_text, special)
            if scheme == "file" and result["host"] == "localhost":
                result["host"] = None
        result["port"] = _port(port_text, scheme)
        rest = path
    if special or rest.startswith("/"):
        path = _dot_segments(rest if rest.startswith("/") else "/" + rest)
        result["path"] = _encode(path, _PATH_SET)
    else:
        result["path"] = _encode(rest, frozenset(_C0) - {" "})
    return result


@builtin("url_parse", "(url: ~str) -> dict", "Parse a URL into its parts.", "T2")
def url_parse(url: Any = MISSING, *_: Any) -> dict[str, Any]:
    if url is MISSING or url is None:
        raise _fail("relative URL without a base")
    return parse_url(s(url))


@builtin("url_build", "(parts: dict) -> string", "Build a URL from its parts.", "T2")
def url_build(parts: Any = None, *_: Any) -> str:
    if type(parts) is StructValue:
        parts = parts.fields
    if type(parts) is not dict or parts.get("scheme") in (None, ""):
        raise throw("url_build: 'scheme' is required")
    scheme = s(parts["scheme"]).lower()
    host = parts.get("host")
    port = parts.get("port")
    path = parts.get("path")
    path = "/" if path is None else s(path)
    out = [scheme, ":"]
    if host is not None or scheme in SPECIAL:
        out.append("//")
        user, password = parts.get("username"), parts.get("password")
        if user is not None or password is not None:
            out.append("" if user is None else s(user))
            if password is not None:
                out.append(":" + s(password))
            out.append("@")
        h = "" if host is None else s(host)
        out.append(f"[{h}]" if ":" in h and not h.startswith("[") else h)
        if port is not None:
            out.append(":" + s(port))
        if path and not path.startswith("/"):
            path = "/" + path
    out.append(path)
    query = parts.get("query")
    if query is not None:
        out.append("?" + (stringify_query(query) if type(query) is list else s(query)))
    fragment = parts.get("fragment")
    if fragment is not None:
        out.append("#" + s(fragment))
    return "".join(out)


def _form_decode(text: str) -> str:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(text.replace("+", " ")).decode("utf-8", "replace")


@builtin("query_parse", "(q: ~str) -> list<dict>", "Form-urlencoded pairs [{key, value}].", "T2")
def query_parse(q: Any = None, *_: Any) -> list[dict[str, Any]]:
    text = "" if q is None or q is MISSING else s(q)
    if text.startswith("?"):
        text = text[1:]
    out: list[dict[str, Any]] = []
    for part in text.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        out.append({"key": _form_decode(key), "value": _form_decode(value)})
    return out


_FORM_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def _form_encode(v: Any) -> str:
    text = "" if v is None else (v if type(v) is str else display(v))
    out = []
    for b in text.encode("utf-8", "surrogatepass"):
        if b in _FORM_SAFE:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def stringify_query(pairs: Any) -> str:
    if type(pairs) is HSet:
        pairs = list(pairs)
    if type(pairs) is not list:
        raise throw("query_stringify: expected a list of {key, value} dicts")
    out = []
    for p in pairs:
        if type(p) is StructValue:
            p = p.fields
        if type(p) is not dict or "key" not in p:
            raise throw("query_stringify: expected a list of {key, value} dicts")
        out.append(_form_encode(p["key"]) + "=" + _form_encode(p.get("value")))
    return "&".join(out)


@builtin("query_stringify", "(pairs: list) -> string", "Form-urlencode [{key, value}] pairs.",
         "T2")
def query_stringify(pairs: Any = None, *_: Any) -> str:
    return stringify_query(pairs)
