"""File I/O and path strings (stdlib.md §18, Tier 2).

Relative paths resolve against the working directory (the execution root).
Failures ``throw`` a string holding the path and the OS error text. Reads go
through a text cache keyed by resolved path and validated by (size, mtime)
on every hit (at most 256 entries, §22); the write builtins invalidate it.
Path-string builtins are pure (no file system access) and treat ``\\`` as
``/`` where the spec says so.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from typing import Any

from vm.runtime.values import err, ok
from vm.stdlib.common import MISSING, s, s_or, throw
from vm.stdlib.registry import builtin
from vm.stdlib.strings import lines_of

_TEXT_CACHE: dict[str, tuple[int, int, str]] = {}


def _os_error(exc: OSError) -> str:
    return f"{exc.strerror or exc} (os error {exc.errno})" if exc.errno else str(exc)


def _resolve(p: Any) -> str:
    return os.path.abspath(s(p))


def _forget(path: str) -> None:
    _TEXT_CACHE.pop(path, None)


def read_text(path: str) -> str:
    st = os.stat(path)
    hit = _TEXT_CACHE.get(path)
    if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
        return hit[2]
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        text = fh.read()
    if len(_TEXT_CACHE) >= 256:
        _TEXT_CACHE.clear()
    _TEXT_CACHE[path] = (st.st_size, st.st_mtime_ns, text)
    return text


@builtin("read_file", "(path: ~str) -> string", "The whole file as text.", "T2")
def read_file(path: Any = None, *_: Any) -> str:
    p = _resolve(path)
    try:
        return read_text(p)
    except OSError as exc:
        raise throw(f"Failed to read file {p}: {_os_error(exc)}") from None


@builtin("read_file_result", "(path: ~str) -> Result<string, string>",
         "Ok(text) or Err(message); never throws.", "T2")
def read_file_result(path: Any = None, *_: Any) -> Any:
    p = _resolve(path)
    try:
        return ok(read_text(p))
    except OSError as exc:
        return err(f"Failed to read file {p}: {_os_error(exc)}")


@builtin("read_file_bytes", "(path: ~str) -> bytes", "The whole file as bytes.", "T2")
def read_file_bytes(path: Any = None, *_: Any) -> bytes:
    p = _resolve(path)
    try:
        with open(p, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise throw(f"Failed to read file {p}: {_os_error(exc)}") from None


@builtin("read_lines", "(path: ~str) -> list<string>", "The file's lines.", "T2")
def read_lines(path: Any = None, *_: Any) -> list[str]:
    p = _resolve(path)
    try:
        return lines_of(read_text(p))
    except OSError as exc:
        raise throw(f"read_lines: {p}: {_os_error(exc)}") from None


@builtin("write_file", "(path: ~str, content: ~str) -> nil", "Create or truncate a file.", "T2")
def write_file(path: Any = None, content: Any = MISSING, *_: Any) -> None:
    if content is MISSING:
        return
    p = _resolve(path)
    try:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            fh.write(s(content))
    except OSError as exc:
        raise throw(f"Failed to write file {p}: {_os_error(exc)}") from None
    finally:
        _forget(p)


@builtin("write_file_bytes", "(path: ~str, content: bytes) -> nil", "Write bytes to a file.",
         "T2")
def write_file_bytes(path: Any = None, content: Any = None, *_: Any) -> None:
    from vm.runtime.display import type_of

    if type(content) is not bytes:
        raise throw(f"write_file_bytes expects bytes content, got {type_of(content)}")
    p = _resolve(path)
    try:
        with open(p, "wb") as fh:
            fh.write(content)
    except OSError as exc:
        raise throw(f"Failed to write file {p}: {_os_error(exc)}") from None
    finally:
        _forget(p)


@builtin("append_file", "(path: ~str, content: ~str) -> nil", "Append text to a file.", "T2")
def append_file(path: Any = None, content: Any = None, *_: Any) -> None:
    p = _resolve(path)
    try:
        fh = open(p, "a", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise throw(f"Failed to open file {p}: {_os_error(exc)}") from None
    try:
        with fh:
            fh.write(s(content))
    except OSError as exc:
        raise throw(f"Failed to append to file {p}: {_os_error(exc)}") from None
    finally:
        _forget(p)


@builtin("copy_file", "(src: ~str, dst: ~str) -> nil", "Copy a file.", "T2")
def copy_file(src: Any = None, dst: Any = None, *_: Any) -> None:
    a, b = _resolve(src), _resolve(dst)
    try:
        shutil.copyfile(a, b)
    except OSError as exc:
        raise throw(f"Failed to copy {a} to {b}: {_os_error(exc)}") from None
    finally:
        _forget(b)


@builtin("move_file", "(src: ~str, dst: ~str) -> nil", "Move or rename a file.", "T2")
def move_file(src: Any = None, dst: Any = None, *_: Any) -> None:
    if src is None or dst is None:
        raise throw("move_file: src and dst are required")
    a, b = _resolve(src), _resolve(dst)
    try:
        shutil.move(a, b)
    except OSError as exc:
        raise throw(f"move_file: copy failed: {_os_error(exc)}") from None
    finally:
        _forget(a)
        _forget(b)


@builtin("delete_file", "(path: ~str) -> nil", "Delete a file or a directory tree.", "T2")
def delete_file(path: Any = None, *_: Any) -> None:
    p = _resolve(path)
    _forget(p)
    if os.path.isdir(p) and not os.path.islink(p):
        try:
            shutil.rmtree(p)
        except OSError as exc:
            raise throw(f"Failed to delete directory {p}: {_os_error(exc)}") from None
        return
    try:
        os.remove(p)
    except OSError as exc:
        raise throw(f"Failed to delete file {p}: {_os_error(exc)}") from None


@builtin("file_exists", "(path: ~str) -> bool", "True when the file or directory exists.", "T2")
def file_exists(path: Any = None, *_: Any) -> bool:
    return os.path.exists(_resolve(path))


@builtin("mkdir", "(path: ~str) -> nil", "Create a directory and its parents.", "T2")
def mkdir(path: Any = None, *_: Any) -> None:
    p = _resolve(path)
    try:
        os.makedirs(p, exist_ok=True)
    except OSError as exc:
        raise throw(f"Failed to create directory {p}: {_os_error(exc)}") from None


@builtin("list_dir", "(path?: ~str = \".\") -> list<string>", "Sorted entry names.", "T2")
def list_dir(path: Any = None, *_: Any) -> list[str]:
    p = _resolve(s_or(path, "."))
    try:
        return sorted(os.listdir(p))
    except OSError as exc:
        raise throw(f"Failed to list directory {p}: {_os_error(exc)}") from None


@builtin("stat", "(path: ~str) -> dict", "{size, is_file, is_dir, readonly, modified}.", "T2")
def stat(path: Any = None, *_: Any) -> dict[str, Any]:
    p = _resolve(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise throw(f"Failed to stat {p}: {_os_error(exc)}") from None
    return {"size": st.st_size, "is_file": os.path.isfile(p), "is_dir": os.path.isdir(p),
            "readonly": not os.access(p, os.W_OK), "modified": st.st_mtime}


@builtin("walk_dir", "(root: ~str, opts?: dict) -> list<dict>", "Every entry under root.", "T2")
def walk_dir(root: Any = None, opts: Any = None, *_: Any) -> list[dict[str, Any]]:
    if root is None:
        raise throw("walk_dir: root path is required")
    base = _resolve(root).replace(os.sep, "/")
    max_depth = opts.get("max_depth") if type(opts) is dict else None
    follow = type(opts) is dict and opts.get("follow_symlinks") is True
    out: list[dict[str, Any]] = []

    def visit(path: str, depth: int) -> None:
        is_dir = os.path.isdir(path) and (follow or not os.path.islink(path))
        out.append({"path": path, "is_dir": is_dir, "is_file": os.path.isfile(path),
                    "depth": depth})
        if not is_dir or (type(max_depth) is int and depth >= max_depth):
            return
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        for name in names:
            visit(path + "/" + name, depth + 1)

    visit(base, 0)
    return out


@builtin("temp_dir", "() -> string", "The OS temporary directory.", "T2")
def temp_dir(*_: Any) -> str:
    return tempfile.gettempdir().rstrip("/") or "/"


# --------------------------------------------------------------------------- path strings


def _posix(p: Any) -> str:
    return s(p).replace("\\", "/")


@builtin("path_join", "(...parts: ~str) -> string", "Join path parts with /.", "T2")
def path_join(*parts: Any) -> str:
    if not parts:
        return ""
    return posixpath.join(*[s(p) for p in parts])


@builtin("dirname", "(p: ~str) -> string", "The parent directory of a path.", "T2")
def dirname(p: Any = None, *_: Any) -> str:
    t = s(p).rstrip("/")
    if not t:
        return ""
    head = posixpath.dirname(t)
    return head if head == "/" else head.rstrip("/")


@builtin("basename", "(p: ~str) -> string", "The last component of a path.", "T2")
def basename(p: Any = None, *_: Any) -> str:
    parts = [x for x in s(p).split("/") if x and x != "."]
    if not parts or parts[-1] == "..":
        return ""
    return parts[-1]


def _ext_of(name: str) -> str:
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    return name[dot:]


@builtin("extname", "(p: ~str) -> string", "The extension of a path, with its dot.", "T2")
def extname(p: Any = None, *_: Any) -> str:
    return _ext_of(basename(p))


def _split_drive(t: str) -> tuple[str, str]:
    if len(t) >= 2 and t[1] == ":" and t[0].isalpha():
        return t[:2], t[2:]
    return "", t


@builtin("path_normalize", "(p: ~str) -> string", "Resolve . and .. segments.", "T2")
def path_normalize(p: Any = None, *_: Any) -> str:
    t = _posix(p)
    if not t:
        return ""
    drive, rest = _split_drive(t)
    absolute = rest.startswith("/")
    out: list[str] = []
    for seg in rest.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not absolute:
                out.append("..")
            continue
        out.append(seg)
    body = "/".join(out)
    if absolute:
        return drive + "/" + body
    return drive + (body or ("" if drive else "."))


def _segments(p: Any) -> list[str]:
    _drive, rest = _split_drive(_posix(p))
    return [x for x in rest.split("/") if x]


@builtin("path_parent", "(p: ~str) -> string", "The parent path.", "T2")
def path_parent(p: Any = None, *_: Any) -> str:
    t = _posix(p)
    segs = _segments(t)
    drive, rest = _split_drive(t)
    prefix = drive + ("/" if rest.startswith("/") else "")
    if len(segs) <= 1:
        return prefix
    return prefix + "/".join(segs[:-1])


@builtin("path_basename", "(p: ~str) -> string", "The last segment.", "T2")
def path_basename(p: Any = None, *_: Any) -> str:
    segs = _segments(p)
    return segs[-1] if segs else ""


def _stem_ext(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    return name[:dot], name[dot + 1 :]


@builtin("path_stem", "(p: ~str) -> string", "The last segment without its extension.", "T2")
def path_stem(p: Any = None, *_: Any) -> str:
    return _stem_ext(path_basename(p))[0]


@builtin("path_extension", "(p: ~str) -> string", "The extension without its dot.", "T2")
def path_extension(p: Any = None, *_: Any) -> str:
    return _stem_ext(path_basename(p))[1]


def _with_name(p: Any, name: str) -> str:
    parent = path_parent(p)
    if not parent:
        return name
    return parent + ("" if parent.endswith("/") else "/") + name


@builtin("path_with_extension", "(p: ~str, ext: ~str) -> string", "Replace the extension.", "T2")
def path_with_extension(p: Any = None, ext: Any = None, *_: Any) -> str:
    stem = path_stem(p)
    e = s_or(ext, "").lstrip(".")
    return _with_name(p, stem + ("." + e if e else ""))


@builtin("path_with_stem", "(p: ~str, stem: ~str) -> string", "Replace the stem.", "T2")
def path_with_stem(p: Any = None, stem: Any = None, *_: Any) -> str:
    e = path_extension(p)
    return _with_name(p, s_or(stem, "") + ("." + e if e else ""))


@builtin("path_is_absolute", "(p: ~str) -> bool", "True for an absolute path.", "T2")
def path_is_absolute(p: Any = None, *_: Any) -> bool:
    t = _posix(p)
    return t.startswith("/") or (len(t) >= 3 and t[1] == ":" and t[2] == "/")


@builtin("path_is_relative", "(p: ~str) -> bool", "True for a relative path.", "T2")
def path_is_relative(p: Any = None, *_: Any) -> bool:
    return not path_is_absolute(p)


@builtin("path_relative_to", "(p: ~str, base: ~str) -> string?", "p relative to base.", "T2")
def path_relative_to(p: Any = None, base: Any = None, *_: Any) -> str | None:
    a, b = path_normalize(p), path_normalize(base)
    if path_is_absolute(a) != path_is_absolute(b) or _split_drive(a)[0] != _split_drive(b)[0]:
        return None
    sa, sb = _segments(a), _segments(b)
    if sa == ["."]:
        sa = []
    if sb == ["."]:
        sb = []
    i = 0
    while i < len(sa) and i < len(sb) and sa[i] == sb[i]:
        i += 1
    rel = [".."] * (len(sb) - i) + sa[i:]
    return "/".join(rel) or "."


@builtin("path_to_posix", "(p: ~str) -> string", "Backslashes to slashes.", "T2")
def path_to_posix(p: Any = None, *_: Any) -> str:
    return _posix(p)


@builtin("path_to_native", "(p: ~str) -> string", "Backslashes to slashes.", "T2")
def path_to_native(p: Any = None, *_: Any) -> str:
    return _posix(p)


@builtin("path_segments", "(p: ~str) -> list<string>", "The non-empty segments.", "T2")
def path_segments(p: Any = None, *_: Any) -> list[str]:
    return _segments(p)


@builtin("path_parts", "(p: ~str) -> dict", "{dir, file, stem, ext, segments}.", "T2")
def path_parts(p: Any = None, *_: Any) -> dict[str, Any]:
    return {"dir": path_parent(p), "file": path_basename(p), "stem": path_stem(p),
            "ext": extname(path_basename(p)), "segments": _segments(p)}
