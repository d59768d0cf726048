"""Calendar dates, time zones and strftime formatting (stdlib.md §16), Tier 2.

Instants are Unix microseconds internally. A timestamp argument is an int
(seconds), a float (seconds, rounded to the microsecond) or a dict with a
``timestamp`` field; results are ints when they are whole seconds, else
floats. Calendar arithmetic uses ``datetime`` (proleptic Gregorian, years
1-9999; anything outside is "timestamp out of range"); time zones are IANA
names through ``zoneinfo`` (the system tz database), ``UTC`` built in.

Formatting implements chrono's strftime dialect directly instead of
translating to Python's locale-dependent ``strftime``: the C specifiers,
``%f`` (nanoseconds, 9 digits), ``%.f`` (0/3/6/9 digits after a dot, as
needed), ``%.3f %.6f %.9f`` and ``%3f %6f %9f``, ``%:z``/``%::z``/``%:::z``,
``%s``, ``%+``, and the padding modifiers ``-`` (none), ``_`` (spaces) and
``0`` (zeros). An unknown specifier is copied as written.

``date_parse`` tries, on the trimmed text: RFC 3339; ``YYYY-MM-DD[ T]HH:MM[:SS[.f]]``
as UTC; ``YYYY-MM-DD``; finally the first digit runs as year, month, day
[, hour, minute, second] (at least three), validated field by field.
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from vm.runtime.display import type_of
from vm.stdlib.common import MISSING, s, throw
from vm.stdlib.registry import builtin
from vm.stdlib.strings import WHITESPACE

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_US = -62135510400 * 1_000_000  # 0001-01-02T00:00:00Z: every zone's local date is valid
_MAX_US = 253402128000 * 1_000_000  # 9999-12-30T00:00:00Z
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# --------------------------------------------------------------------------- arguments


def to_micros(name: str, dt: Any) -> int:
    """The instant a timestamp argument denotes, in Unix microseconds."""
    if type(dt) is dict:
        dt = dt.get("timestamp")
    if dt is None or dt is MISSING:
        raise throw(f"{name}: missing timestamp argument")
    t = type(dt)
    if t is int:
        us = dt * 1_000_000
    elif t is float:
        if not math.isfinite(dt):
            raise throw(f"{name}: timestamp must be finite")
        if abs(dt) > 1e15:
            raise throw(f"{name}: timestamp out of range")
        us = round(dt * 1_000_000)
    else:
        raise throw(f"{name}: expected timestamp number or date dict, got {type_of(dt)}")
    if not _MIN_US <= us <= _MAX_US:
        raise throw(f"{name}: timestamp out of range")
    return us


def _us(delta: timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: int) -> int | float:
    """A timestamp result: an int when it is whole seconds."""
    q, r = divmod(us, 1_000_000)
    return q if r == 0 else us / 1_000_000


_ZONES: dict[str, tzinfo] = {"UTC": UTC}


def zone(name: str, tz: Any) -> tzinfo:
    """The time zone called ``tz`` (IANA name or ``UTC``)."""
    key = s(tz)
    hit = _ZONES.get(key)
    if hit is not None:
        return hit
    import zoneinfo

    try:
        z: tzinfo = zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise throw(f"{name}: unknown timezone '{key}'") from None
    if len(_ZONES) < 512:
        _ZONES[key] = z
    return z


def local(us: int, tz: tzinfo) -> datetime:
    """The aware local datetime of an instant."""
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tz)


def _zone_arg(name: str, tz: Any) -> tzinfo:
    return UTC if tz is None or tz is MISSING else zone(name, tz)


# --------------------------------------------------------------------------- formatting


def _offset(d: datetime, colons: int) -> str:
    off = d.utcoffset() or timedelta(0)
    secs = int(off.total_seconds())
    sign = "-" if secs < 0 else "+"
    secs = abs(secs)
    h, rem = divmod(secs, 3600)
    m, sec = divmod(rem, 60)
    if colons == 0:
        return f"{sign}{h:02d}{m:02d}"
    if colons == 1:
        return f"{sign}{h:02d}:{m:02d}"
    if colons == 2:
        return f"{sign}{h:02d}:{m:02d}:{sec:02d}"
    return f"{sign}{h:02d}"


def _auto_fraction(nanos: int) -> str:
    if nanos == 0:
        return ""
    if nanos % 1_000_000 == 0:
        return f".{nanos // 1_000_000:03d}"
    if nanos % 1000 == 0:
        return f".{nanos // 1000:06d}"
    return f".{nanos:09d}"


def _numeric(d: datetime, us: int, c: str) -> tuple[int, int, str] | None:
    """``(value, width, default pad)`` of a numeric specifier, or None."""
    if c == "Y":
        return d.year, 4, "0"
    if c == "C":
        return d.year // 100, 2, "0"
    if c == "y":
        return d.year % 100, 2, "0"
    if c == "m":
        return d.month, 2, "0"
    if c == "d":
        return d.day, 2, "0"
    if c == "e":
        return d.day, 2, " "
    if c == "H":
        return d.hour, 2, "0"
    if c == "k":
        return d.hour, 2, " "
    if c in "Il":
        return (d.hour % 12) or 12, 2, "0" if c == "I" else " "
    if c == "M":
        return d.minute, 2, "0"
    if c == "S":
        return d.second, 2, "0"
    if c == "j":
        return d.timetuple().tm_yday, 3, "0"
    if c == "w":
        return (d.weekday() + 1) % 7, 1, "0"
    if c == "u":
        return d.isoweekday(), 1, "0"
    if c == "U":
        yday = d.timetuple().tm_yday - 1
        return (yday + 7 - (d.weekday() + 1) % 7) // 7, 2, "0"
    if c == "W":
        yday = d.timetuple().tm_yday - 1
        return (yday + 7 - d.weekday()) // 7, 2, "0"
    if c == "G":
        return d.isocalendar()[0], 4, "0"
    if c == "g":
        return d.isocalendar()[0] % 100, 2, "0"
    if c == "V":
        return d.isocalendar()[1], 2, "0"
    if c == "s":
        return us // 1_000_000, 1, "0"
    return None


_COMPOSITE = {"D": "%m/%d/%y", "x": "%m/%d/%y", "F": "%Y-%m-%d", "v": "%e-%b-%Y",
              "R": "%H:%M", "T": "%H:%M:%S", "X": "%H:%M:%S", "r": "%I:%M:%S %p",
              "c": "%a %b %e %H:%M:%S %Y", "+": "%Y-%m-%dT%H:%M:%S%.f%:z"}
_SPEC = re.compile(r"%([-_0]?)(\.?[369]?f|:{1,3}z|.)", re.S)


def format_date(d: datetime, us: int, fmt: str) -> str:
    """Format the local datetime ``d`` of instant ``us`` with a chrono format string."""
    nanos = (us % 1_000_000) * 1000

    def field(m: re.Match[str]) -> str:
        pad, c = m.group(1), m.group(2)
        num = _numeric(d, us, c)
        if num is not None:
            value, width, fill = num
            if pad == "-" or c == "s":
                return str(value)
            fill = " " if pad == "_" else "0" if pad == "0" else fill
            text = str(abs(value)).rjust(width, fill)
            return "-" + text if value < 0 else text
        if c in _COMPOSITE:
            return format_date(d, us, _COMPOSITE[c])
        if c == "a":
            return DAYS[d.weekday()][:3]
        if c == "A":
            return DAYS[d.weekday()]
        if c in "bh":
            return MONTHS[d.month - 1][:3]
        if c == "B":
            return MONTHS[d.month - 1]
        if c == "p":
            return "AM" if d.hour < 12 else "PM"
        if c == "P":
            return "am" if d.hour < 12 else "pm"
        if c == "Z":
            return d.tzname() or _offset(d, 1)
        if c.endswith("z"):
            return _offset(d, len(c) - 1)
        if c == "f":
            return f"{nanos:09d}"
        if c == ".f":
            return _auto_fraction(nanos)
        if c.endswith("f"):
            digits = int(c[-2])
            text = f"{nanos:09d}"[:digits]
            return "." + text if c.startswith(".") else text
        if c == "n":
            return "\n"
        if c == "t":
            return "\t"
        if c == "%":
            return "%"
        return m.group(0)

    return _SPEC.sub(field, fmt)


def rfc3339(d: datetime, us: int, utc_z: bool = False) -> str:
    """RFC 3339 text; the fraction only when non-zero (3, 6 digits as needed)."""
    base = format_date(d, us, "%Y-%m-%dT%H:%M:%S")
    frac = _auto_fraction((us % 1_000_000) * 1000)
    return base + frac + ("Z" if utc_z else _offset(d, 1))


# --------------------------------------------------------------------------- builtins


def _real_now_us() -> int:
    return time.time_ns() // 1000


def _iso_ms(us: int) -> str:
    d = local(us, UTC)
    return format_date(d, us, "%Y-%m-%dT%H:%M:%S") + f".{(us // 1000) % 1000:03d}Z"


@builtin("date_now", "() -> dict", "The current UTC date and time as a dict.", "T2")
def date_now(*_: Any) -> dict[str, Any]:
    us = _real_now_us()
    d = local(us, UTC)
    return {"year": d.year, "month": d.month, "day": d.day, "hour": d.hour,
            "minute": d.minute, "second": d.second, "weekday": (d.weekday() + 1) % 7,
            "timestamp": us / 1_000_000, "iso8601": _iso_ms(us)}


@builtin(("date_now_iso", "date_iso"), "() -> string",
         "The current UTC time as YYYY-MM-DDTHH:MM:SS.mmmZ.", "T2")
def date_now_iso(*_: Any) -> str:
    return _iso_ms(_real_now_us())


@builtin("date_format", "(dt: any, fmt?: ~str = \"%Y-%m-%d %H:%M:%S\", tz?: ~str) -> string",
         "Format a timestamp with chrono strftime specifiers, in UTC or tz.", "T2")
def date_format(dt: Any = MISSING, fmt: Any = None, tz: Any = None, *_: Any) -> str:
    us = to_micros("date_format", dt)
    z = _zone_arg("date_format", tz)
    f = "%Y-%m-%d %H:%M:%S" if fmt is None or fmt is MISSING else s(fmt)
    return format_date(local(us, z), us, f)


def _zone_required(name: str, tz: Any) -> tzinfo:
    if tz is None or tz is MISSING:
        raise throw(f"{name}: missing timezone argument")
    return zone(name, tz)


@builtin("date_in_zone", "(dt: any, tz: ~str) -> dict", "Local date fields in a time zone.",
         "T2")
def date_in_zone(dt: Any = MISSING, tz: Any = MISSING, *_: Any) -> dict[str, Any]:
    us = to_micros("date_in_zone", dt)
    z = _zone_required("date_in_zone", tz)
    d = local(us, z)
    off = d.utcoffset() or timedelta(0)
    return {"year": d.year, "month": d.month, "day": d.day, "hour": d.hour,
            "minute": d.minute, "second": d.second, "weekday": (d.weekday() + 1) % 7,
            "offset_seconds": int(off.total_seconds()), "timestamp": from_micros(us),
            "iso8601": rfc3339(d, us), "zone": s(tz)}


@builtin("date_to_zone", "(dt: any, tz: ~str) -> string",
         "RFC 3339 text of a timestamp in a time zone.", "T2")
def date_to_zone(dt: Any = MISSING, tz: Any = MISSING, *_: Any) -> str:
    us = to_micros("date_to_zone", dt)
    z = _zone_required("date_to_zone", tz)
    return rfc3339(local(us, z), us)


@builtin("weekday_name", "(dt: any, tz?: ~str) -> string", "English weekday name.", "T2")
def weekday_name(dt: Any = MISSING, tz: Any = None, *_: Any) -> str:
    us = to_micros("weekday_name", dt)
    return DAYS[local(us, _zone_arg("weekday_name", tz)).weekday()]


@builtin("month_name", "(dt: any, tz?: ~str) -> string", "English month name.", "T2")
def month_name(dt: Any = MISSING, tz: Any = None, *_: Any) -> str:
    us = to_micros("month_name", dt)
    return MONTHS[local(us, _zone_arg("month_name", tz)).month - 1]


# --------------------------------------------------------------------------- parsing / building

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))\Z", re.ASCII)
_NAIVE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\Z", re.ASCII)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
_RUNS = re.compile(r"[0-9]+")
_LIMITS = (("month", 1, 12), ("day", 1, 31), ("hour", 0, 23), ("minute", 0, 59),
           ("second", 0, 59))


def _micros_of(fields: tuple[int, ...], frac: str | None, offset_s: int = 0) -> int | None:
    """Unix microseconds of UTC-ish calendar fields, or None for an impossible date."""
    y, mo, d, h, mi, sec = fields
    try:
        base = datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
    us = _us(base - _EPOCH)
    if frac:
        us += int(frac[:6].ljust(6, "0"))
    return us - offset_s * 1_000_000


def validate(name: str, fields: tuple[int, ...]) -> None:
    """The range errors of date_parse / date_from_components, field by field, then
    the calendar check (``Invalid date: 2024-02-31``). A year outside 1-9999 is a
    real proleptic date this implementation cannot represent: out of range."""
    for (label, lo, hi), v in zip(_LIMITS, fields[1:], strict=False):
        if not lo <= v <= hi:
            raise throw(f"Invalid {label}: {v} (must be {lo}-{hi})")
    y, mo, d = fields[:3]
    if not 1 <= y <= 9999:
        raise throw(f"{name}: timestamp out of range")
    try:
        datetime(y, mo, d)
    except (ValueError, OverflowError):
        raise throw(f"Invalid date: {y:04d}-{mo:02d}-{d:02d}") from None


@builtin("date_parse", "(s: ~str) -> int | float", "Parse a date/time string to a timestamp.",
         "T2")
def date_parse(text: Any = None, *_: Any) -> int | float:
    raw = "" if text is None or text is MISSING else s(text)
    t = raw.strip(WHITESPACE)
    m = _RFC3339.match(t)
    if m:
        g = m.groups()
        off = 0 if g[7] else (1 if g[8] == "+" else -1) * (int(g[9]) * 3600 + int(g[10]) * 60)
        us = _micros_of(tuple(int(x) for x in g[:6]), g[6], off)
        if us is not None:
            return from_micros(us)
    m = _NAIVE.match(t)
    if m:
        g = m.groups()
        us = _micros_of((int(g[0]), int(g[1]), int(g[2]), int(g[3]), int(g[4]),
                         int(g[5] or 0)), g[6])
        if us is not None:
            return from_micros(us)
    m = _DATE.match(t)
    if m:
        us = _micros_of((int(m[1]), int(m[2]), int(m[3]), 0, 0, 0), None)
        if us is not None:
            return from_micros(us)
    runs = [int(x) for x in _RUNS.findall(t)[:6]]
    if len(runs) < 3:
        raise throw(f"Cannot parse date: {raw}")
    fields = tuple(runs + [0] * (6 - len(runs)))
    validate("date_parse", fields)
    us = _micros_of(fields, None)
    if us is None:
        raise throw(f"Cannot parse date: {raw}")
    return from_micros(us)


def _component(parts: dict[str, Any], key: str, required: bool) -> int:
    v = parts.get(key)
    if v is None:
        if required:
            raise throw(f"date_from_components: missing {key}")
        return 0
    if type(v) is int:
        return v
    if type(v) is float and v.is_integer():
        return int(v)
    raise throw(f"date_from_components: {key} must be an integer, got {type_of(v)}")


@builtin("date_from_components", "(parts: dict, tz?: ~str = \"UTC\") -> int | float",
         "A timestamp from {year, month, day, hour?, minute?, second?} in a time zone.", "T2")
def date_from_components(parts: Any = MISSING, tz: Any = None, *_: Any) -> int | float:
    name = "date_from_components"
    if type(parts) is not dict:
        raise throw(f"{name}: expected a dict of date components, got {type_of(parts)}")
    fields = tuple(_component(parts, k, i < 3) for i, k in enumerate(
        ("year", "month", "day", "hour", "minute", "second")))
    validate(name, fields)
    z = _zone_arg(name, tz)
    try:
        naive = datetime(*fields)
    except (ValueError, OverflowError):
        raise throw(f"{name}: timestamp out of range") from None
    if z is UTC:
        aware = naive.replace(tzinfo=UTC)
    else:
        aware = naive.replace(tzinfo=z, fold=0)  # fold=0: the earlier of two instants
        try:
            back = aware.astimezone(UTC).astimezone(z)
        except (ValueError, OverflowError):  # within a day of year 1 or 9999
            raise throw(f"{name}: timestamp out of range") from None
        if back.replace(tzinfo=None) != naive:
            raise throw(f"{name}: local time does not exist in that timezone")
    return from_micros(_us(aware - _EPOCH))
