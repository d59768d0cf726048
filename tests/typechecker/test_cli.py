"""``lang check``: output formats, exit statuses, parallel checking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lang.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "ok.harn").write_text("fn add(a: int, b: int) -> int { return a + b }\n"
                                      "println(add(1, 2))\n")
    (tmp_path / "bad.harn").write_text('let limit: int = "ten"\nprintln(limit)\n')
    (tmp_path / "warn.harn").write_text("let x = 1\nx = 2\nprintln(x)\n")
    return tmp_path


def test_clean_file_ok_on_stdout(capsys, files: Path) -> None:
    code, out, err = run(capsys, str(files / "ok.harn"))
    assert code == 0 and out == f"{files / 'ok.harn'}: ok\n" and err == ""


def test_error_rendering_and_exit(capsys, files: Path) -> None:
    code, out, err = run(capsys, str(files / "bad.harn"))
    assert code == 1 and out == ""
    assert err.startswith(f"{files / 'bad.harn'}:1:1: error[E001]: 'limit' declared as int, "
                          "but assigned string\n")
    assert ' 1 | let limit: int = "ten"' in err


def test_warnings_pass_unless_strict(capsys, files: Path) -> None:
    code, _, err = run(capsys, str(files / "warn.harn"))
    assert code == 0 and "warning[W002]" in err
    code, _, _ = run(capsys, "--strict", str(files / "warn.harn"))
    assert code == 1


def test_directory_json(capsys, files: Path) -> None:
    code, out, _ = run(capsys, "--format", "json", str(files))
    assert code == 1
    data = json.loads(out)
    assert {d["code"] for d in data} >= {"E001", "W002"}
    e001 = [d for d in data if d["code"] == "E001"][0]
    assert (e001["line"], e001["column"], e001["severity"]) == (1, 1, "error")


def test_sarif(capsys, files: Path) -> None:
    code, out, _ = run(capsys, "--format", "sarif", str(files))
    doc = json.loads(out)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run0 = doc["runs"][0]
    assert run0["tool"]["driver"]["name"] == "lang check"
    res = [r for r in run0["results"] if r["ruleId"] == "E001"][0]
    assert res["level"] == "error"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1 and region["startColumn"] == 1
    assert {r["id"] for r in run0["tool"]["driver"]["rules"]} >= {"E001", "W002"}


def test_usage_and_io_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.harn"))
    assert code == 2 and "cannot read" in err
    (tmp_path / "latin.harn").write_bytes(b"let x = \"\xff\"\n")
    code, _, err = run(capsys, str(tmp_path / "latin.harn"))
    assert code == 2 and "not valid UTF-8" in err


def test_syntax_errors_are_diagnostics(capsys, tmp_path: Path) -> None:
    (tmp_path / "syn.harn").write_text("let = 1\n")
    code, _, err = run(capsys, str(tmp_path / "syn.harn"))
    assert code == 1 and "error[E01" in err and "Traceback" not in err


def test_unresolved_import_preflight(capsys, tmp_path: Path) -> None:
    (tmp_path / "imp.harn").write_text('import "nowhere"\nprintln(1)\n')
    code, _, err = run(capsys, "--no-lint", str(tmp_path / "imp.harn"))
    assert code == 1
    assert "preflight: unresolved import 'nowhere'" in err
    assert "help: verify the import path and packaged module layout" in err


def test_parallel_matches_serial(capsys, tmp_path: Path) -> None:
    for i in range(60):
        body = 'let s: int = "x"' if i % 7 == 0 else f"fn f{i}(a: int) -> int {{ return a }}"
        (tmp_path / f"m{i:02}.harn").write_text(body + "\n")
    code_p, out_p, err_p = run(capsys, "--jobs", "2", "--no-lint", str(tmp_path))
    code_s, out_s, err_s = run(capsys, "--jobs", "1", "--no-lint", str(tmp_path))
    assert (code_p, out_p, err_p) == (code_s, out_s, err_s)
    assert code_p == 1 and out_p.count(": ok\n") == 60 - 9
