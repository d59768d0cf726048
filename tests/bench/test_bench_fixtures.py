"""The VM benchmark fixtures run and agree with their Python twins (no timing).

This is the CI form of ``python -m bench vm --check``: every fixture compiles
the way ``lang run`` compiles it (checked, without warnings), runs, and prints
exactly what its plain-Python twin prints.
"""

from __future__ import annotations

import pytest

from bench import vm_suite


def test_every_fixture_has_a_twin() -> None:
    harn = {p.stem for p in vm_suite.FIXTURES.glob("*.harn")} - {"fmt_module"}
    assert harn == set(vm_suite.CASES)
    for name in vm_suite.CASES:
        assert (vm_suite.FIXTURES / f"{name}.py").is_file()


@pytest.mark.parametrize("name", vm_suite.CASES)
def test_fixture_matches_its_twin(name: str) -> None:
    assert vm_suite.check(name).strip()


def test_check_mode_reports_success(capsys: pytest.CaptureFixture[str]) -> None:
    assert vm_suite.main(["--check", "--case", "function_call_loop"]) == 0
    assert "ok   function_call_loop" in capsys.readouterr().out


def test_geometric_mean_and_table() -> None:
    assert vm_suite.geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    text = vm_suite.table({"a": (0.002, 0.001), "b": (0.001, 0.001)})
    assert "2.00x" in text and "geometric mean" in text and "1.41x" in text
