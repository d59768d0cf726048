"""Audit of the command line against its contract: ``lang run`` (checker
diagnostics rendered as types.md §1 words them, errors before warnings, every
syntax error, argument validation, ``argv``), ``lang parse`` and ``lang fmt``
exit statuses, ``--help`` on every command and ``lang --version``; plus the
``render_run`` layouts (checker, lint, span-less)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from lang.cli import COMMANDS, VERSION, main
from lang.diagnostics import Diagnostic, Severity, render_run
from lang.source import Source


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- render_run


def test_checker_diagnostic_layout_has_no_caret_line() -> None:
    src = Source('fn main() {\n  let limit: int = "ten"\n}\n', "jobs.harn")
    d = Diagnostic(Severity.ERROR, "E001", "'limit' declared as int, but assigned string",
                   14, 36, source="harn-typecheck")
    assert render_run(src, d) == (
        "error: 'limit' declared as int, but assigned string\n"
        "  --> jobs.harn:2:3\n"
        "   |\n"
        ' 2 |   let limit: int = "ten"')


def test_checker_help_line_and_wide_gutter() -> None:
    text = "\n" * 11 + "nope(1)\n"
    src = Source(text, "x.harn")
    d = Diagnostic(Severity.ERROR, "E013", "call target `nope` is not defined or imported", 11,
                   15, help="did you mean `note`?", source="harn-typecheck")
    assert render_run(src, d).splitlines()[1:] == [
        "   --> x.harn:12:1",
        "    |",
        " 12 | nope(1)",
        "    = help: did you mean `note`?",
    ]


def test_lint_layout_has_carets_and_rule() -> None:
    src = Source("let unused = 1\n", "l.harn")
    d = Diagnostic(Severity.WARNING, "unused-variable", "variable `unused` is declared but "
                   "never used", 4, 10, help="remove it", source="harn-lint")
    assert render_run(src, d).splitlines() == [
        "warning: variable `unused` is declared but never used",
        "  --> l.harn:1:5",
        "   |",
        " 1 | let unused = 1",
        "   |     ^^^^^^ lint[unused-variable]",
        "   = help: remove it",
    ]


def test_spanless_diagnostic_is_one_line() -> None:
    src = Source("gen fn f() -> int { emit 1 }\n", "g.harn")
    d = Diagnostic(Severity.ERROR, "E012", "`gen fn` must return Stream<T>, got int", 0, 0,
                   source="harn-typecheck", data={"span": None})
    assert render_run(src, d) == "error: `gen fn` must return Stream<T>, got int"


# ---------------------------------------------------------------- lang run


@pytest.fixture
def script(tmp_path: Path):
    def make(text: str, name: str = "s.harn") -> str:
        p = tmp_path / name
        p.write_text(text)
        return str(p)
    return make


def test_run_checker_errors_first_then_warnings(capsys, script) -> None:
    path = script('fn f(x: string | nil) -> string {\n  guard x != nil else { return "" }\n'
                  '  return x\n}\nlet y: int = "s"\nprintln(y)\n')
    code, out, err = cli(capsys, "run", path)
    assert code == 1 and out == ""
    assert err.startswith("error: 'y' declared as int, but assigned string\n")
    assert "\nwarning: return type doesn't match: expected string, got string | nil\n" in err
    assert "^" not in err


def test_run_spanless_checker_error(capsys, script) -> None:
    code, _, err = cli(capsys, "run", script("gen fn f() -> int { emit 1 }\n"))
    assert code == 1 and err == "error: `gen fn` must return Stream<T>, got int\n"


def test_run_prints_every_syntax_error(capsys, script) -> None:
    code, _, err = cli(capsys, "run", script("let = 1\nlet y = )\n"))
    assert code == 1
    firsts = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert firsts == ["error: Expected variable name or destructuring pattern, got = at 1:5",
                      "error: Expected expression, got ) at 2:9"]


def test_run_warnings_go_to_stderr_and_the_script_runs(capsys, script) -> None:
    code, out, err = cli(capsys, "run", script("fn f(a, b) { return a }\nprintln(f(1))\n"))
    assert code == 0 and out == "1\n"
    assert err.startswith("warning: Function 'f' expects 2 arguments, got 1\n")


@pytest.mark.parametrize("value", ["-1", "0", "nan"])
def test_run_rejects_bad_timeouts(capsys, script, value: str) -> None:
    code, out, err = cli(capsys, "run", "--timeout", value, script("println(1)\n"))
    assert code == 2 and out == ""
    assert err == "lang run: --timeout must be a positive number of seconds\n"


def test_run_argv_and_missing_file(capsys, script, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "run", script("println(argv)\n"), "--", "a", "--b")
    assert code == 0 and out == "[a, --b]\n"
    code, out, err = cli(capsys, "run", str(tmp_path / "none.harn"))
    assert code == 2 and out == ""
    assert err == f"lang: cannot read '{tmp_path / 'none.harn'}': no such file\n"


# ---------------------------------------------------------------- parse, fmt


def test_parse_exit_statuses(capsys, script, tmp_path: Path) -> None:
    assert cli(capsys, "parse", script("println(1)\n"))[0] == 0
    code, out, _ = cli(capsys, "parse", "--json", script("let = 1\n", "bad.harn"))
    assert code == 1 and json.loads(out)[0]["severity"] == "error"
    assert cli(capsys, "parse", str(tmp_path / "nope.harn"))[0] == 2


def test_fmt_check_stdin_lists_it(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"let   q=1\n")))
    code, out, _ = cli(capsys, "fmt", "--check", "-")
    assert code == 1 and out == "would reformat <stdin>\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"let q = 1\n")))
    assert cli(capsys, "fmt", "--check", "-") == (0, "", "")


def test_fmt_leaves_files_with_syntax_errors_untouched(capsys, script) -> None:
    path = script("let   z = (\n")
    code, _, err = cli(capsys, "fmt", path)
    assert code == 1 and "not formatted (syntax errors)" in err
    assert Path(path).read_text() == "let   z = (\n"


# ---------------------------------------------------------------- help, version


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("lsp", "bench")])
def test_every_command_has_help(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    out, _ = capsys.readouterr()
    assert exc.value.code == 0 and out.startswith(f"usage: lang {command}")


def test_run_help_mentions_script_arguments(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out, _ = capsys.readouterr()
    assert "FILE [-- ARGS...]" in out and "argv" in out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    out, _ = capsys.readouterr()
    assert exc.value.code == 0 and out == f"lang {VERSION}\n"
