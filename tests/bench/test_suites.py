"""The ``python -m bench`` dispatcher and the suites' helpers (nothing is timed)."""

from __future__ import annotations

import pytest

from bench import __main__ as dispatcher
from bench import startup, typecheck_scaling


def test_dispatcher_lists_the_suites(capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatcher.main([]) == 2
    assert dispatcher.main(["--help"]) == 0
    err = capsys.readouterr().err
    for suite in ("vm", "typecheck", "startup"):
        assert f"``{suite}``" in err


def test_dispatcher_runs_the_vm_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert dispatcher.main(["vm", "--check", "--case", "comparison_loop"]) == 0
    assert "ok   comparison_loop" in capsys.readouterr().out


def test_startup_commands_and_table() -> None:
    cmds = startup.commands("hello.harn")
    assert cmds["python -m lang.cli run hello"][-3:] == ["lang.cli", "run", "hello.harn"]
    assert "python -c pass" in cmds and "python -I -S -c pass" in cmds
    text = startup.table({"python -c pass": (40.0, 45.0, 38.0),
                          "python -m lang.cli run hello": (140.0, 150.0, 120.0)})
    assert "our share" in text and "100.0" in text and "82.0" in text
    assert "PYTHONDONTWRITEBYTECODE" not in startup.environment()


def test_typecheck_corpus_and_table() -> None:
    assert typecheck_scaling.corpus(3, "chain").count("fn f_") == 3
    assert "return f_1(a, b) + 1" in typecheck_scaling.corpus(3, "chain")
    text = typecheck_scaling.table({("indep", 500): 0.05, ("indep", 1_000): 0.1})
    assert "100.00" in text and "2.00" in text
