"""Standard input, TTY queries, test hooks and structured logs (stdlib.md §2, Tier 2).

Per-run state lives in the execution context's ``extra`` dict
(:mod:`vm.runtime.context`), so a mock or a capture never leaks into the
next run of the same process:

- ``"stdin"``: a text stream a host supplies as the script's standard input
  (default ``sys.stdin``);
- ``"harn.mock_stdin"``: the not-yet-read text given to ``mock_stdin``
  (reads consume it; ``None`` once ``read_stdin`` took the rest);
- ``"harn.mock_tty"``: ``{stream: bool}`` overrides of ``is_*_tty``;
- ``"harn.stderr_capture"``: the list ``eprint``/``eprintln`` append to
  between ``capture_stderr_start`` and ``capture_stderr_take``;
- ``"harn.log_level"``: the structured-log threshold.

Reads: ``read_line`` gives one line without ``\\n``/``\\r\\n`` and ``nil`` at
end of input; ``read_stdin`` gives everything left, ``nil`` when nothing is
left. The process stdin is switched to raw line endings on first use (Python's
universal newlines would split on a lone ``\\r``).

Structured logs are one JSON object per line on stdout:
``{"ts":...,"level":...,"msg":...`` then the fields in key order (a field named
``ts``, ``level`` or ``msg`` is dropped rather than duplicated); strings
escaped, ints/bools and finite floats raw, ``nil`` and non-finite floats
``null``, any other value as its display string. ``ts`` is UTC RFC 3339 with
milliseconds, taken from the (mockable) wall clock of clock.py.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from vm.runtime.context import current
from vm.runtime.display import display
from vm.stdlib.clock import now_ms
from vm.stdlib.common import MISSING, s, s_or, throw
from vm.stdlib.host import HOST
from vm.stdlib.jsonlib import json_float, quote, stringify
from vm.stdlib.registry import builtin
from vm.stdlib.strings import WHITESPACE

_MOCK_STDIN = "harn.mock_stdin"
_MOCK_TTY = "harn.mock_tty"
CAPTURE = "harn.stderr_capture"
_LOG_LEVEL = "harn.log_level"

# --------------------------------------------------------------------------- stdin


_RAW_NEWLINES: list[bool] = [False]


def _stdin() -> TextIO:
    """The run's standard input; the process stdin keeps its line endings raw (a lone
    ``\r`` is not a line break, ``\r\n`` reaches ``read_stdin`` as written)."""
    stream = current().extra.get("stdin")
    if stream is not None:
        return stream
    if not _RAW_NEWLINES[0]:
        _RAW_NEWLINES[0] = True
        try:
            sys.stdin.reconfigure(newline="")  # type: ignore[union-attr]
        except (AttributeError, OSError, ValueError):
            pass
    return sys.stdin


def _flush_stdout() -> None:
    try:
        current().stdout.flush()
    except (OSError, ValueError):
        pass


def _strip_eol(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


def _read_line() -> str | None:
    extra = current().extra
    if _MOCK_STDIN in extra:
        rest = extra[_MOCK_STDIN]
        if not rest:
            return None
        cut = rest.find("\n")
        if cut < 0:
            extra[_MOCK_STDIN] = ""
            return rest
        extra[_MOCK_STDIN] = rest[cut + 1 :]
        return _strip_eol(rest[: cut + 1])
    _flush_stdout()
    try:
        line = _stdin().readline()
    except (OSError, ValueError):
        return None
    return _strip_eol(line) if line else None


@builtin("read_line", "() -> string?", "One line of standard input (nil at EOF).", "T2")
def read_line(*_: Any) -> str | None:
    return _read_line()


@builtin("read_stdin", "() -> string?", "All of standard input (nil when nothing is left).",
         "T2")
def read_stdin(*_: Any) -> str | None:
    extra = current().extra
    if _MOCK_STDIN in extra:
        rest = extra[_MOCK_STDIN]
        extra[_MOCK_STDIN] = ""
        return rest or None
    _flush_stdout()
    try:
        text = _stdin().read()
    except (OSError, ValueError):
        return None
    return text or None


@builtin("prompt_user", "(msg?: ~str) -> string?",
         "Print msg, then read a line with trailing whitespace removed.", "T2")
def prompt_user(msg: Any = MISSING, *_: Any) -> str | None:
    if msg is not MISSING and msg is not None:
        HOST.out(s(msg))
    line = _read_line()
    return None if line is None else line.rstrip(WHITESPACE)


@builtin("mock_stdin", "(text: ~str) -> nil",
         "Test hook: later reads consume text instead of standard input.", "T2")
def mock_stdin(text: Any = None, *_: Any) -> None:
    current().extra[_MOCK_STDIN] = s_or(text, "")


@builtin("unmock_stdin", "() -> nil", "Test hook: read the real standard input again.", "T2")
def unmock_stdin(*_: Any) -> None:
    current().extra.pop(_MOCK_STDIN, None)


# --------------------------------------------------------------------------- tty

_STREAMS = ("stdin", "stdout", "stderr")


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def is_tty(name: str) -> bool:
    """The (possibly mocked) TTY answer for ``stdin``, ``stdout`` or ``stderr``."""
    mocked = current().extra.get(_MOCK_TTY)
    if mocked and name in mocked:
        return mocked[name]
    ctx = current()
    stream = _stdin() if name == "stdin" else ctx.stdout if name == "stdout" else ctx.stderr
    return _isatty(stream)


@builtin("is_stdin_tty", "() -> bool", "True when standard input is a terminal.", "T2")
def is_stdin_tty(*_: Any) -> bool:
    return is_tty("stdin")


@builtin("is_stdout_tty", "() -> bool", "True when standard output is a terminal.", "T2")
def is_stdout_tty(*_: Any) -> bool:
    return is_tty("stdout")


@builtin("is_stderr_tty", "() -> bool", "True when standard error is a terminal.", "T2")
def is_stderr_tty(*_: Any) -> bool:
    return is_tty("stderr")


@builtin("mock_tty", "(stream: ~str, is_tty: bool) -> nil",
         "Test hook: make is_<stream>_tty() answer is_tty.", "T2")
def mock_tty(stream: Any = None, is_tty_: Any = None, *_: Any) -> None:
    name = s(stream)
    if name not in _STREAMS:
        raise throw(f"mock_tty: invalid stream '{name}'. "
                    "Expected 'stdin', 'stdout', or 'stderr'.")
    current().extra.setdefault(_MOCK_TTY, {})[name] = is_tty_ is True
    return None


@builtin("unmock_tty", "() -> nil", "Test hook: restore the real TTY answers.", "T2")
def unmock_tty(*_: Any) -> None:
    current().extra.pop(_MOCK_TTY, None)


# --------------------------------------------------------------------------- stderr capture


@builtin("capture_stderr_start", "() -> nil",
         "Test hook: buffer eprint/eprintln output until capture_stderr_take.", "T2")
def capture_stderr_start(*_: Any) -> None:
    current().extra.setdefault(CAPTURE, [])


@builtin("capture_stderr_take", "() -> string",
         "Test hook: the buffered stderr text; ends the capture.", "T2")
def capture_stderr_take(*_: Any) -> str:
    buf = current().extra.pop(CAPTURE, None)
    return "".join(buf) if buf else ""


# --------------------------------------------------------------------------- structured logs

_LEVELS = {"debug": 0, "info": 1, "warn": 2, "error": 3}


def utc_iso_ms(ms: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` for Unix milliseconds."""
    secs, milli = divmod(ms, 1000)
    return datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{milli:03d}Z"


def _field(v: Any) -> str:
    t = type(v)
    if t is str:
        return quote(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return json_float(v) if v - v == 0 else "null"
    return quote(display(v))


def _emit(pairs: list[tuple[str, str]]) -> None:
    HOST.out("{" + ",".join(quote(k) + ":" + v for k, v in pairs) + "}\n")


def _log(level: str, msg: Any, fields: Any) -> None:
    threshold = current().extra.get(_LOG_LEVEL, 0)
    if _LEVELS[level] < threshold:
        return
    pairs = [("ts", quote(utc_iso_ms(now_ms()))), ("level", quote(level)),
             ("msg", quote(s_or(msg, "")))]
    if type(fields) is dict:
        taken = {"ts", "level", "msg"}
        pairs.extend((k, _field(fields[k])) for k in sorted(fields) if k not in taken)
    _emit(pairs)


def _log_builtin(level: str) -> None:
    def fn(msg: Any = None, fields: Any = None, *_: Any) -> None:
        _log(level, msg, fields)

    fn.__name__ = "log_" + level
    builtin("log_" + level, "(msg: ~str, fields?: dict) -> nil",
            f"Structured JSON log line at {level} level.", "T2")(fn)


for _level in _LEVELS:
    _log_builtin(_level)


@builtin("log_set_level", "(level: ~str) -> nil",
         "Set the structured log threshold: debug, info, warn or error.", "T2")
def log_set_level(level: Any = None, *_: Any) -> None:
    name = s_or(level, "")
    rank = _LEVELS.get(name.lower())
    if rank is None:
        raise throw(f"log_set_level: invalid level '{name}'. "
                    "Expected debug, info, warn, or error")
    current().extra[_LOG_LEVEL] = rank


@builtin("log_json", "(key: ~str, value: any) -> nil",
         "Write {ts, key, value} as one JSON line (value in JSON form).", "T2")
def log_json(key: Any = None, value: Any = None, *_: Any) -> None:
    try:
        encoded = stringify(value)
    except Exception:  # noqa: BLE001 - a non-finite float somewhere: no JSON form
        encoded = "null"
    _emit([("ts", quote(utc_iso_ms(now_ms()))), ("key", quote(s_or(key, ""))),
           ("value", encoded)])
