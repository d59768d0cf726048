"""List builders by rebinding (``xs += [v]``, ``xs = xs + ys``, ``xs = xs.push(v)``).

On a list no other binding holds they append/extend in place (amortised O(1),
§6.4); whenever anything else holds the list (an alias, a closure snapshot, an
argument, a collection, a loop iterating it) the ordinary copying operation
runs, so no alias ever sees the change.
"""

from __future__ import annotations

import pytest
from vm_helpers import error_of, lines, run


def test_push_builder_appends_in_place() -> None:
    from vm.compiler import debug_source

    code = debug_source("var xs = []\nfor i in 0 to 3 { xs = xs.push(i) }\n")
    assert ".append(" in code


@pytest.mark.parametrize("update", ["xs += [i]", "xs = xs + [i]", "xs = xs + [i, i]"])
def test_builder_loops_run_in_place(monkeypatch: pytest.MonkeyPatch, update: str) -> None:
    import vm.namespace as ns

    calls = {"n": 0}
    real = ns.BASE["$add"]

    def counting(a, b):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(a, b)

    monkeypatch.setitem(ns.BASE, "$add", counting)
    out = run(f"var xs = []\nfor i in 0 to 2000 exclusive {{ {update} }}\n"
              "println(xs[1999] == 1999 || xs[3999] == 1999)\n")
    assert out == "true\n"
    assert calls["n"] == 0


@pytest.mark.parametrize("update", ["xs += [1]", "xs = xs + [1]", "xs = xs.push(1)",
                                    "xs += [1, 2]", "xs = xs + ys"])
def test_an_alias_never_sees_the_update(update: str) -> None:
    out = run(f"""
let ys = [1, 2]
var xs = [0]
let alias = xs
{update}
println(alias)
var other = [0]
let d = {{held: other}}
{update.replace("xs", "other")}
println(d.held)
""")
    assert out == lines("[0]", "[0]")


def test_closure_snapshot_keeps_its_value() -> None:
    out = run("""
var xs = [0]
let show = { -> xs }
xs += [1]
xs = xs.push(2)
println(show())
println(xs)
""")
    assert out == lines("[0]", "[0, 1, 2]")


def test_argument_and_return_value_stay_independent() -> None:
    out = run("""
fn grow(list) {
  var out = list
  out += [9]
  out = out.push(10)
  return out
}
var xs = [1]
let ys = grow(xs)
xs += [2]
println(xs)
println(ys)
println(grow([]))
""")
    assert out == lines("[1, 2]", "[1, 9, 10]", "[9, 10]")


def test_stored_in_a_collection_then_grown() -> None:
    out = run("""
var xs = []
var history = []
for i in 0 to 3 exclusive {
  xs += [i]
  history = history.push(xs)
}
println(history)
var m = {}
var row = [1]
m["r"] = row
row += [2]
println(m)
println(row)
""")
    assert out == lines("[[0], [0, 1], [0, 1, 2]]", "{r: [1]}", "[1, 2]")


def test_loop_over_the_list_being_grown_iterates_the_old_value() -> None:
    out = run("var xs = [1, 2]\nfor x in xs { xs += [x * 10] }\nprintln(xs)\n")
    assert out == "[1, 2, 10, 20]\n"


def test_self_append_and_self_extend() -> None:
    out = run("var xs = [1]\nxs += xs\nxs = xs.push(xs)\nxs = xs + [xs[0]]\nprintln(xs)\n")
    assert out == "[1, 1, [1, 1], 1]\n"


def test_other_types_keep_their_operators() -> None:
    out = run("""
var s = "a"
s += "b"
var n = 1
n = n + 1
var d = {a: 1}
d = d + {b: 2}
println("${s} ${n} ${d}")
""")
    assert out == "ab 2 {a: 1, b: 2}\n"
    err = error_of('var s = "a"\ns += [1]\n')
    assert "Cannot add string and list" in err.message or "Type error" in err.message


def test_push_on_a_struct_uses_its_method() -> None:
    out = run("""
struct Stack { items: list }
impl Stack {
  fn push(self, x) { return Stack { items: self.items + [x] } }
}
var s = Stack { items: [] }
s = s.push(1)
s = s.push(2)
println(s.items)
""")
    assert out == "[1, 2]\n"
