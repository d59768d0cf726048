"""``lang bench``: options, output shapes and error reporting (no timing assertions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lang.cli import main
from vm.bench_cli import render, summary


def script(tmp_path: Path, text: str, name: str = "b.harn") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_has_exactly_the_documented_keys(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, 'var t = 0\nfor i in 0 to 100 { t += i }\nprintln("sum ${t}")\n')
    assert main(["bench", path, "--iterations", "3", "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"min_ms", "median_ms", "mean_ms", "max_ms", "iterations"}
    assert data["iterations"] == 3
    assert 0 <= data["min_ms"] <= data["median_ms"] <= data["max_ms"]
    assert data["min_ms"] <= data["mean_ms"] <= data["max_ms"]
    assert "sum" not in out  # the script's stdout went to the null sink


def test_text_output_names_each_statistic(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, 'println("hello")\n')
    assert main(["bench", path, "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 runs after 1 warm-up" in out
    for key in ("min", "median", "mean", "max"):
        assert any(line.split()[:1] == [key] and line.endswith(" ms")
                   for line in out.splitlines())
    assert "hello" not in out


def test_the_entry_point_runs_warm_up_plus_iterations(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, 'eprintln("ran")\n')
    assert main(["bench", path, "--iterations", "4"]) == 0
    assert capsys.readouterr().err.count("ran") == 5


def test_arguments_after_dashes_reach_the_script(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, 'eprintln(argv)\n')
    assert main(["bench", path, "-n", "1", "--", "a", "b"]) == 0
    assert "[a, b]" in capsys.readouterr().err


@pytest.mark.parametrize("text,message", [
    ("let x = 1 / 0\nprintln(x)\n", "Division by zero"),
    ("let = 3\n", "error"),
    ('let s: int = "x"\n', "error"),
    ('throw "boom"\n', "boom"),
])
def test_errors_are_reported_like_lang_run(tmp_path: Path, capsys, text: str,
                                           message: str) -> None:
    path = script(tmp_path, text)
    assert main(["bench", path, "-n", "2"]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_err_exit_value_stops_with_status_1(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, 'return Err("bad input")\n')
    assert main(["bench", path, "-n", "2"]) == 1
    assert "bad input" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["bench", str(tmp_path / "none.harn")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_iterations_must_be_positive(tmp_path: Path, capsys) -> None:
    path = script(tmp_path, "println(1)\n")
    with pytest.raises(SystemExit) as info:
        main(["bench", path, "--iterations", "0"])
    assert info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_help_mentions_the_null_sink(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    assert "null sink" in capsys.readouterr().out


def test_summary_and_render() -> None:
    stats = summary([0.001, 0.003, 0.002])
    assert stats == {"min_ms": 1.0, "median_ms": 2.0, "mean_ms": pytest.approx(2.0),
                     "max_ms": 3.0, "iterations": 3}
    text = render("x.harn", stats)
    assert "x.harn: 3 runs" in text and "median" in text
