"""Audit of ``lang check`` against its contract: every path reported in order
(missing and unreadable files too, without stopping the others), exit 0/1/2,
valid SARIF 2.1.0 (invocation notifications for unreadable files, encoded URIs,
1-based regions even for span-less diagnostics), no traceback for odd input,
and linter names bound by catch/match/pipeline parameters."""

from __future__ import annotations

import json
from pathlib import Path

from lang.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_path_does_not_stop_the_others(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.harn").write_text("println(1)\n")
    code, out, err = run(capsys, str(tmp_path / "a.harn"), str(tmp_path / "nope.harn"))
    assert code == 2
    assert out == f"{tmp_path / 'a.harn'}: ok\n"
    assert err == f"lang: cannot read '{tmp_path / 'nope.harn'}': no such file\n"


def test_unreadable_file_reported_in_path_order(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.harn").write_text('let x: int = "s"\nprintln(x)\n')
    (tmp_path / "b.harn").write_bytes(b"\xff\xfe\n")
    (tmp_path / "c.harn").write_text('let y: string = 1\nprintln(y)\n')
    code, _, err = run(capsys, "--no-excerpt", "--no-lint", str(tmp_path))
    assert code == 2
    lines = err.splitlines()
    assert [ln.split(":")[0] if not ln.startswith("lang:") else "io" for ln in lines] == \
        [str(tmp_path / "a.harn"), "io", str(tmp_path / "c.harn")]
    assert "not valid UTF-8 (byte 0)" in lines[1]


def test_empty_directory_and_bad_jobs_are_usage_errors(capsys, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, str(tmp_path / "empty"))
    assert code == 2 and err == "lang: no .harn files found\n"
    (tmp_path / "a.harn").write_text("println(1)\n")
    code, _, err = run(capsys, "--jobs", "-1", str(tmp_path / "a.harn"))
    assert code == 2 and "--jobs" in err and "Traceback" not in err


def test_strict_fails_on_lint_warnings_only(capsys, tmp_path: Path) -> None:
    (tmp_path / "w.harn").write_text("let unused = 1\n")
    assert run(capsys, str(tmp_path / "w.harn"))[0] == 0
    assert run(capsys, "--strict", str(tmp_path / "w.harn"))[0] == 1


def _valid_region(region: dict) -> None:
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert region["endLine"] >= region["startLine"]
    if region["endLine"] == region["startLine"]:
        assert region["endColumn"] > region["startColumn"]


def test_sarif_document_is_valid(capsys, tmp_path: Path) -> None:
    d = tmp_path / "my dir"
    d.mkdir()
    (d / "gen.harn").write_text('gen fn f() -> int { emit 1 }\nlet y: int = "s"\nprintln(y)\n')
    (d / "bad.harn").write_bytes(b"\xff\n")
    code, out, err = run(capsys, "--format", "sarif", str(d), str(tmp_path / "missing.harn"))
    assert code == 2 and "cannot read" in err
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    (run0,) = doc["runs"]
    driver = run0["tool"]["driver"]
    assert driver["name"] and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert run0["columnKind"] == "unicodeCodePoints"
    for res in run0["results"]:
        assert res["ruleId"] in rule_ids
        assert res["level"] in ("none", "note", "warning", "error")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith("my%20dir/gen.harn")
        _valid_region(loc["region"])
    assert {r["ruleId"] for r in run0["results"]} >= {"E012", "E001"}
    (inv,) = run0["invocations"]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error"]
    assert "not valid UTF-8" in notes[0]["message"]["text"]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        (tmp_path / "missing.harn").as_uri()


def test_sarif_relative_paths_use_a_base_id(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.harn").write_text('let q: int = "s"\nprintln(q)\n')
    code, out, _ = run(capsys, "--format", "sarif", "--no-lint", "./x.harn")
    assert code == 1
    (res,) = json.loads(out)["runs"][0]["results"]
    art = res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "x.harn", "uriBaseId": "%SRCROOT%"}
    assert json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_json_keeps_stdout_parseable_with_io_errors(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.harn").write_text('let q: int = "s"\nprintln(q)\n')
    code, out, err = run(capsys, "--format", "json", str(tmp_path / "a.harn"),
                         str(tmp_path / "gone.harn"))
    assert code == 2 and "gone.harn" in err
    assert [d["code"] for d in json.loads(out)] == ["E001"]


def test_lint_knows_names_bound_by_catch_match_and_pipelines(capsys, tmp_path: Path) -> None:
    (tmp_path / "n.harn").write_text(
        'try { throw "x" } catch (e) { e() }\nlet v = 1\nmatch v {\n  f -> { f() }\n}\n'
        "pipeline main(task) { task() }\n")
    code, out, err = run(capsys, str(tmp_path / "n.harn"))
    assert "undefined-function" not in err
    assert code == 0 and out.endswith(": ok\n")


def test_odd_inputs_never_trace(capsys, tmp_path: Path) -> None:
    (tmp_path / "bom.harn").write_bytes(b"\xef\xbb\xbfprintln(1)\n")
    (tmp_path / "empty.harn").write_text("")
    (tmp_path / "deep.harn").write_text("let x = " + "[" * 300 + "]" * 300 + "\nprintln(x)\n")
    (tmp_path / "dir.harn").mkdir()  # a directory named like a script is searched, not read
    code, out, err = run(capsys, str(tmp_path))
    assert "Traceback" not in err and "internal" not in err
    assert code == 1 and "Unexpected character" in err
    assert f"{tmp_path / 'empty.harn'}: ok" in out


def test_permission_denied_is_one_line_and_exit_2(capsys, tmp_path: Path, monkeypatch) -> None:
    import builtins

    import lang.files

    (tmp_path / "a.harn").write_text("println(1)\n")
    (tmp_path / "locked.harn").write_text("println(2)\n")
    real_open = builtins.open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("locked.harn"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lang.files, "open", fake_open, raising=False)
    code, out, err = run(capsys, "--jobs", "1", str(tmp_path))
    assert code == 2
    assert out == f"{tmp_path / 'a.harn'}: ok\n"
    assert err == f"lang: cannot read '{tmp_path / 'locked.harn'}': permission denied\n"
