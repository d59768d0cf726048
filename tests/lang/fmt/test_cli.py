"""``lang fmt``: in-place rewriting, directories, ``--check``, ``--diff``,
``-`` for stdin, ``--width``, syntax errors and unreadable files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from lang.cli import main

UGLY = "let x=1;let y =  [1,2,\n3]\n"
PRETTY = "let x = 1\nlet y = [1, 2, 3]\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_rewrites_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "a.harn", UGLY)
    assert main(["fmt", str(f)]) == 0
    assert f.read_text(encoding="utf-8") == PRETTY
    assert "reformatted" in capsys.readouterr().err
    assert main(["fmt", str(f)]) == 0  # already formatted: untouched, quiet
    assert capsys.readouterr().err == ""


def test_directories_recursively(tmp_path: Path) -> None:
    a = write(tmp_path / "a.harn", UGLY)
    b = write(tmp_path / "sub" / "deeper" / "b.harn", UGLY)
    other = write(tmp_path / "notes.txt", UGLY)
    assert main(["fmt", str(tmp_path)]) == 0
    assert a.read_text() == PRETTY and b.read_text() == PRETTY
    assert other.read_text() == UGLY


def test_check_lists_files_and_writes_nothing(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.harn", UGLY)
    good = write(tmp_path / "good.harn", PRETTY)
    assert main(["fmt", "--check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert str(bad) in out and str(good) not in out
    assert bad.read_text() == UGLY
    assert main(["fmt", "--check", str(good)]) == 0


def test_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "a.harn", UGLY)
    assert main(["fmt", "--diff", str(f)]) == 0
    out = capsys.readouterr().out
    assert "-let x=1;let y =  [1,2," in out and "+let y = [1, 2, 3]" in out
    assert f.read_text() == UGLY


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UGLY.encode())))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == PRETTY


def test_stdin_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UGLY.encode())))
    assert main(["fmt", "--check", "-"]) == 1


def test_width_option(tmp_path: Path) -> None:
    f = write(tmp_path / "a.harn", "let xs = [alpha, beta, gamma]\n")
    assert main(["fmt", "--width", "20", str(f)]) == 0
    assert f.read_text() == "let xs = [\n  alpha,\n  beta,\n  gamma,\n]\n"


def test_syntax_error_leaves_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.harn", "let x = 1\nfn f( {\n")
    ok = write(tmp_path / "ok.harn", UGLY)
    assert main(["fmt", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2:7: error[E0110]: Expected parameter name" in err
    assert bad.read_text() == "let x = 1\nfn f( {\n"
    assert ok.read_text() == PRETTY  # other files are still formatted


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.harn"
    assert main(["fmt", str(missing)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"lang: cannot read '{missing}': no such file"]
    binary = tmp_path / "bin.harn"
    binary.write_bytes(b"let x = \xff\n")
    assert main(["fmt", str(binary)]) == 2


def test_crlf_file_gets_lf(tmp_path: Path) -> None:
    f = tmp_path / "crlf.harn"
    f.write_bytes(b"let a = 1\r\nlet b = 2\r\n")
    assert main(["fmt", str(f)]) == 0
    assert f.read_bytes() == b"let a = 1\nlet b = 2\n"
