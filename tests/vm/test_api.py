"""The embedding API (vm.api) and ``lang run``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from vm.api import ScriptError, compile_script, run


def test_run_returns_the_result_value() -> None:
    assert run("return 6 * 7\n") == 42
    assert run("let x = [1, 2]\nx\n") == [1, 2]
    assert run("pipeline main() { 5 }\n") == 5


def test_stdout_and_stderr_are_captured_per_run() -> None:
    out, err = io.StringIO(), io.StringIO()
    run('println("out")\neprintln("err")\nlog("x")\n', stdout=out, stderr=err)
    assert out.getvalue() == "out\n[harn] x\n"
    assert err.getvalue() == "err\n"


def test_host_functions_are_called_like_builtins() -> None:
    calls = []

    def fetch(key, default=None):  # type: ignore[no-untyped-def]
        calls.append(key)
        return {"a": 1}.get(key, default)

    out = io.StringIO()
    value = run('println(fetch("a"))\nlet f = fetch\nreturn f("z", 9)\n',
                host_functions={"fetch": fetch}, stdout=out)
    assert value == 9
    assert out.getvalue() == "1\n"
    assert calls == ["a", "z"]


def test_host_functions_shadow_builtins_and_values_are_constants() -> None:
    out = io.StringIO()
    run("println(len([1, 2, 3]))\nprintln(limit)\n",
        host_functions={"len": lambda v: 99, "limit": 10}, stdout=out)
    assert out.getvalue() == "99\n10\n"


def test_host_function_errors_become_script_errors() -> None:
    def boom() -> None:
        raise ValueError("nope")

    with pytest.raises(ScriptError) as exc:
        run("boom()\n", host_functions={"boom": boom}, stdout=io.StringIO())
    assert "nope" in exc.value.message


def test_script_error_fields() -> None:
    with pytest.raises(ScriptError) as exc:
        run('println("a")\nthrow {code: 1}\n', filename="x.harn", stdout=io.StringIO())
    e = exc.value
    assert e.message == "Thrown: {code: 1}"
    assert e.value == {"code": 1}
    assert (e.path, e.line, e.column) == ("x.harn", 2, 1)
    assert e.rendered.splitlines()[0] == "error: Thrown: {code: 1}"
    assert e.rendered.splitlines()[1] == "  --> x.harn:2:1"


def test_syntax_and_compile_errors_raise_at_compile_time() -> None:
    with pytest.raises(ScriptError) as exc:
        compile_script("let = 1\n")
    assert exc.value.kind == "syntax"
    assert exc.value.message.startswith("Expected")
    with pytest.raises(ScriptError) as exc:
        compile_script("break\n")
    assert exc.value.message == "Compile error at line 1: break outside of loop"


def test_compile_once_run_many_times() -> None:
    script = compile_script("var n = 0\nn += 1\nprintln(argv)\nreturn n\n")
    outs = []
    for i in range(3):
        out = io.StringIO()
        assert script.run(stdout=out, argv=[str(i)]) == 1
        outs.append(out.getvalue())
    assert outs == ["[0]\n", "[1]\n", "[2]\n"]


def test_impl_methods_do_not_leak_between_runs() -> None:
    script = compile_script("struct P { v: int }\nlet p = P {v: 1}\nprintln(p.get())\n"
                            "impl P { fn get(self) { return self.v } }\n")
    for _ in range(2):
        out = io.StringIO()
        script.run(stdout=out)
        assert out.getvalue() == "1\n"


def test_execute_reports_exit_status() -> None:
    script = compile_script("return 300\n")
    assert script.execute(stdout=io.StringIO()).status == 255
    r = compile_script('return Err("bad")\n').execute(stdout=io.StringIO())
    assert (r.status, r.err_text) == (1, "bad")
    assert compile_script("1 + 1\n").execute(stdout=io.StringIO()).status == 0


# ------------------------------------------------------------------ lang run


def lang_run(tmp_path: Path, text: str, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / "s.harn"
    path.write_text(text)
    return subprocess.run([sys.executable, "-m", "lang.cli", "run", str(path), *extra],
                          capture_output=True, text=True, timeout=60)


def test_cli_exit_status_and_streams(tmp_path: Path) -> None:
    p = lang_run(tmp_path, 'println("before")\nlet x = 1 / 0\n')
    assert p.returncode == 1
    assert p.stdout == "before\n"
    first, arrow = p.stderr.splitlines()[:2]
    assert first == "error: Division by zero"
    assert arrow.endswith("s.harn:2:9")
    assert "Traceback" not in p.stderr


def test_cli_argv_after_double_dash(tmp_path: Path) -> None:
    p = lang_run(tmp_path, "println(argv)\nreturn len(argv)\n", "--", "a", "b c")
    assert p.stdout == "[a, b c]\n"
    assert p.returncode == 2


def test_cli_missing_file(tmp_path: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "lang.cli", "run", str(tmp_path / "nope.harn")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1


def test_cli_timeout(tmp_path: Path) -> None:
    p = lang_run(tmp_path, 'println("spin")\nwhile true {}\n', "--timeout", "0.2")
    assert p.returncode == 1
    assert p.stdout == "spin\n"
    assert p.stderr.startswith("error: Runtime error: time limit of 0.2s exceeded")


def test_cli_err_exit_value(tmp_path: Path) -> None:
    p = lang_run(tmp_path, 'pipeline main() { return Err("bad thing") }\n')
    assert (p.returncode, p.stderr) == (1, "bad thing\n")


def test_cli_syntax_error(tmp_path: Path) -> None:
    p = lang_run(tmp_path, "let x = (1\n")
    assert p.returncode == 1
    assert p.stderr.startswith("error: ")


def test_runs_in_threads_keep_their_own_output() -> None:
    import threading

    script = compile_script("var t = 0\nfor i in 0 to 2000 exclusive { t += i }\n"
                            "println(argv[0])\nprintln(t)\n")
    outs: dict[int, str] = {}

    def work(n: int) -> None:
        out = io.StringIO()
        script.run(stdout=out, argv=[str(n)])
        outs[n] = out.getvalue()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outs == {n: f"{n}\n1999000\n" for n in range(4)}


def test_checker_errors_stop_the_script_before_it_runs() -> None:
    out = io.StringIO()
    with pytest.raises(ScriptError) as info:
        compile_script('println("ran")\nlet n: int = "ten"\nlet m: string = 1\n').run(stdout=out)
    assert info.value.kind == "check"
    assert info.value.message == "'n' declared as int, but assigned string"
    # every checker error is rendered, not just the first
    assert "'m' declared as string, but assigned int" in info.value.rendered
    assert out.getvalue() == ""


def test_checker_warnings_are_kept_and_the_script_runs() -> None:
    script = compile_script("fn f(a, b) { return a }\nprintln(f(1, 2, 3))\n")
    assert any("expects 2 arguments, got 3" in w.message for w in script.warnings)
    out = io.StringIO()
    script.run(stdout=out)
    assert out.getvalue() == "1\n"


def test_check_can_be_turned_off_by_the_host() -> None:
    out = io.StringIO()
    compile_script('let n: int = "ten"\nprintln(n)\n', check=False).run(stdout=out)
    assert out.getvalue() == "ten\n"
