"""TOML and CSV builtins (stdlib.md §13.4, Tier 2); YAML lives in yamlfmt.py.

``toml_parse`` is Python's ``tomllib`` mapped by §13.1: tables → dicts,
arrays → lists, integers → int, floats → float; dates and times (which Harn
has no value for) become their RFC 3339 text (``Z`` for UTC). Failures are
``throw "TOML parse error: <tomllib's message>"``.

``toml_stringify`` needs a dict (or struct) at the top: each table writes its
plain ``key = value`` lines first, then its sub-tables (``[a.b]``) and arrays
of tables (``[[a]]``, a non-empty list holding only dicts) in key order, each
after a blank line; a header is written only for a table that has plain values
or no children at all. Other collections are inline (``[1, 2]``,
``{ a = 1 }``). ``nil`` has no TOML form: a nil dict value is left out, a nil
inside an array is an error. Floats always carry a ``.`` (``inf``/``nan`` as
TOML spells them); keys are bare when ``[A-Za-z0-9_-]+``, else quoted.

``csv_parse`` follows RFC 4180: fields separated by the delimiter, quoted
fields may hold delimiters, ``""`` and line breaks; records end at ``\\n`` or
``\\r\\n``; empty lines are skipped; rows may be ragged. ``csv_stringify``
quotes a cell holding the delimiter, a quote, ``\\r`` or ``\\n`` (and a lone
empty cell, so the record is not an empty line) and ends every record with
``\\n``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from vm.runtime.display import format_float, type_of
from vm.runtime.values import HSet, StructValue
from vm.stdlib.common import MISSING, display, s, throw
from vm.stdlib.registry import builtin
from vm.stdlib.yamlfmt import _data

# --------------------------------------------------------------------------- TOML parse


def _from_toml(v: Any) -> Any:
    t = type(v)
    if t is dict:
        return {k: _from_toml(x) for k, x in v.items()}
    if t is list:
        return [_from_toml(x) for x in v]
    if t is datetime.datetime:
        text = v.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if t is datetime.date or t is datetime.time:
        return v.isoformat()
    if t is int and not -(2**63) <= v < 2**63:
        raise throw("TOML parse error: integer out of range")
    return v


@builtin("toml_parse", "(text: ~str) -> any", "Parse TOML text.", "T2")
def toml_parse(text: Any = MISSING, *_: Any) -> Any:
    if text is MISSING:
        raise throw("toml_parse requires 1 argument")
    try:
        import tomllib  # lazily: a few ms of start-up

        data = tomllib.loads(s(text))
    except tomllib.TOMLDecodeError as exc:
        raise throw(f"TOML parse error: {exc}") from None
    except RecursionError:
        raise throw("TOML parse error: nesting too deep") from None
    return _from_toml(data)


# --------------------------------------------------------------------------- TOML stringify

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_TOML_ESC = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
             "\\": "\\\\"}


def _toml_str(text: str) -> str:
    out = []
    for c in text:
        if c in _TOML_ESC:
            out.append(_TOML_ESC[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _toml_key(k: Any) -> str:
    k = k if type(k) is str else display(k)
    return k if _BARE_KEY.match(k) else _toml_str(k)


def _is_table(v: Any) -> bool:
    return type(v) is dict


def _is_table_array(v: Any) -> bool:
    return type(v) is list and bool(v) and all(type(_data(x)) is dict for x in v)


def _toml_value(v: Any) -> str:
    v = _data(v)
    if v is None:
        raise throw("toml_stringify: nil is not supported inside arrays")
    if v is True:
        return "true"
    if v is False:
        return "false"
    t = type(v)
    if t is int:
        return str(v)
    if t is float:
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        r = format_float(v)
        return r if "." in r else r + ".0"
    if t is str:
        return _toml_str(v)
    if t is list:
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    items = [f"{_toml_key(k)} = {_toml_value(v[k])}" for k in sorted(v) if _data(v[k]) is not None]
    return "{ " + ", ".join(items) + " }" if items else "{}"


def _toml_table(d: dict[str, Any], path: list[str], out: list[str], header: str | None) -> None:
    plain: list[str] = []
    children: list[tuple[str, Any]] = []
    for k in sorted(d):
        v = _data(d[k])
        if v is None:
            continue
        if _is_table(v) or _is_table_array(v):
            children.append((k, v))
        else:
            plain.append(f"{_toml_key(k)} = {_toml_value(v)}")
    if header is not None and (plain or not children or header.startswith("[[")):
        if out:
            out.append("")
        out.append(header)
    out.extend(plain)
    for k, v in children:
        sub = [*path, _toml_key(k)]
        name = ".".join(sub)
        if type(v) is dict:
            _toml_table(v, sub, out, f"[{name}]")
        else:
            for item in v:
                _toml_table(_data(item), sub, out, f"[[{name}]]")


@builtin("toml_stringify", "(v: any) -> string", "Serialise a value as TOML.", "T2")
def toml_stringify(v: Any = MISSING, *_: Any) -> str:
    if v is MISSING:
        raise throw("toml_stringify requires 1 argument")
    d = _data(v)
    if type(d) is not dict:
        raise throw(f"toml_stringify: expected a dict at the top level, got {type_of(v)}")
    out: list[str] = []
    try:
        _toml_table(d, [], out, None)
    except RecursionError:
        raise throw("toml_stringify: value nested too deeply") from None
    return "\n".join(out) + "\n" if out else ""


# --------------------------------------------------------------------------- CSV


def _csv_opts(name: str, opts: Any) -> tuple[bool, str]:
    if opts is None or opts is MISSING:
        return False, ","
    if type(opts) is not dict:
        raise throw(f"{name}: options must be a dict")
    delim = opts.get("delimiter")
    delim = "," if delim is None else s(delim)
    if len(delim) != 1 or delim in ('"', "\n", "\r"):
        raise throw(f"{name}: delimiter must be a single character other than a quote or "
                    "line break")
    headers = opts.get("headers")
    return headers is not None and headers is not False, delim


def parse_csv(text: str, delim: str) -> list[list[str]]:
    """RFC 4180 records of ``text`` (quoted fields may span lines)."""
    rows: list[list[str]] = []
    row: list[str] = []
    field: list[str] = []
    i, n = 0, len(text)
    line = 1
    at_start = True  # at the start of a field
    while i < n:
        c = text[i]
        if at_start and c == '"':
            start_line = line
            i += 1
            while True:
                if i >= n:
                    raise throw(f"csv_parse: unterminated quoted field starting on line "
                                f"{start_line}")
                c = text[i]
                if c == '"':
                    if text[i + 1:i + 2] == '"':
                        field.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                if c == "\n":
                    line += 1
                field.append(c)
                i += 1
            if i < n and text[i] not in (delim, "\n", "\r"):
                raise throw(f"csv_parse: unexpected character after a closing quote on line "
                            f"{line}")
            at_start = False
            continue
        if c == delim:
            row.append("".join(field))
            field = []
            at_start = True
            i += 1
            continue
        if c == "\n" or c == "\r":
            if c == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
            i += 1
            line += 1
            if row or field or not at_start:
                row.append("".join(field))
                rows.append(row)
            row, field, at_start = [], [], True
            continue
        field.append(c)
        at_start = False
        i += 1
    if row or field or not at_start:
        row.append("".join(field))
        rows.append(row)
    return rows


@builtin("csv_parse", "(text: ~str, opts?: dict) -> list",
         "Rows of CSV text (lists of strings, or dicts with headers: true).", "T2")
def csv_parse(text: Any = MISSING, opts: Any = None, *_: Any) -> list[Any]:
    if text is MISSING:
        raise throw("csv_parse requires 1 argument")
    headers, delim = _csv_opts("csv_parse", opts)
    rows = parse_csv(s(text), delim)
    if not headers:
        return rows
    if not rows:
        return []
    head = rows[0]
    out: list[Any] = []
    for r in rows[1:]:
        d: dict[str, Any] = {}
        for k, name in enumerate(head):
            d[name] = r[k] if k < len(r) else ""
        out.append(d)
    return out


def _cell(v: Any, delim: str) -> str:
    text = v if type(v) is str else display(v)
    if delim in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _record(cells: list[Any], delim: str) -> str:
    if len(cells) == 1 and _cell(cells[0], delim) == "":
        return '""\n'
    return delim.join(_cell(c, delim) for c in cells) + "\n"


@builtin("csv_stringify", "(rows: list, opts?: dict) -> string", "Serialise rows as CSV.", "T2")
def csv_stringify(rows: Any = MISSING, opts: Any = None, *_: Any) -> str:
    if rows is MISSING:
        raise throw("csv_stringify requires 1 argument")
    if type(rows) is not list:
        raise throw("csv_stringify: expected a list of rows")
    headers, delim = _csv_opts("csv_stringify", opts)
    kinds = set()
    for r in rows:
        t = type(r)
        if t is list or t is HSet:
            kinds.add("list")
        elif t is dict or t is StructValue:
            kinds.add("dict")
        else:
            raise throw("csv_stringify: each row must be a list of cells (or use dict rows)")
    if len(kinds) > 1:
        raise throw("csv_stringify: mixed list/dict rows are not supported")
    if kinds == {"dict"}:
        dicts = [r if type(r) is dict else r.fields for r in rows]
        columns = sorted({k for d in dicts for k in d})
        out = [_record(list(columns), delim)] if headers else []
        out.extend(_record([d.get(c, "") for c in columns], delim) for d in dicts)
        return "".join(out)
    return "".join(_record(list(r), delim) for r in rows)
