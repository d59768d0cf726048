"""``lang run`` on files that do not lex or parse (language.md §1)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from vm_helpers import lang_run as run_file


def lang_run(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "bad.harn"
    path.write_text(text)
    return run_file(path)


def test_lexing_stops_at_the_first_error(tmp_path: Path) -> None:
    proc = lang_run(tmp_path, 'let a = 1\nlet b = "abc\nlet c = 3 ` 4\n')
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("error: Unterminated string at 2:9\n")
    assert proc.stderr.count("error:") == 1, proc.stderr


def test_every_parse_error_is_reported(tmp_path: Path) -> None:
    proc = lang_run(tmp_path, "let = 1\nfn f( { }\nlet ok = 2\nlet x = )\n")
    assert proc.returncode == 1
    assert proc.stderr.count("error:") >= 2, proc.stderr
