"""Value semantics (language.md §6.4, §17.3): a mutation through one binding is
never visible through another, and a builder loop copies nothing."""

from __future__ import annotations

import pytest
from vm_helpers import lines, run

from vm.runtime import support


def test_assignment_gives_an_independent_value() -> None:
    out = run("""
var a = [1, 2, 3]
let b = a
a[0] = 99
a.push(7)
println(a)
println(b)
var d = {k: 1}
var e = d
e.k = 2
println([d, e])
""")
    assert out == lines("[99, 2, 3]", "[1, 2, 3]", "[{k: 1}, {k: 2}]")


def test_argument_passing_copies_on_write() -> None:
    out = run("""
fn mutate(xs) {
  var ys = xs
  ys[0] = "changed"
  return ys
}
let orig = [1, 2]
println(mutate(orig))
println(orig)
struct P { v: int }
impl P { fn bumped(self) { var me = self; me.v = me.v + 1; return me } }
let p = P {v: 1}
println(p.bumped())
println(p)
""")
    assert out == lines("[changed, 2]", "[1, 2]", "P {v: 2}", "P {v: 1}")


def test_storing_in_a_collection_copies_on_write() -> None:
    out = run("""
var item = [1, 2]
var box = {item: item, list: [item]}
item[0] = 100
println(box)
var nested = box.list
nested[0] = "x"
println(box)
println(nested)
""")
    assert out == lines("{item: [1, 2], list: [[1, 2]]}", "{item: [1, 2], list: [[1, 2]]}",
                        "[x]")


def test_closure_capture_sees_the_snapshot() -> None:
    out = run("""
var xs = [1]
let f = { -> xs }
xs[0] = 2
println(f())
println(xs)
var counter = {n: 0}
let g = { ->
  counter.n = counter.n + 1
  counter
}
println(g())
println(g())
println(counter)
""")
    assert out == lines("[1]", "[2]", "{n: 1}", "{n: 1}", "{n: 0}")


def test_nested_paths_copy_only_what_is_shared() -> None:
    out = run("""
var grid = [[0, 0], [0, 0]]
let row = grid[0]
grid[0][1] = 9
println(grid)
println(row)
var m = {x: {y: [1, 2]}}
let snap = m
m.x.y[1] = 5
println(m)
println(snap)
var deep = {a: {b: {c: 1}}}
let inner = deep.a.b
deep.a.b.c = 2
println(deep)
println(inner)
""")
    assert out == lines("[[0, 9], [0, 0]]", "[0, 0]", "{x: {y: [1, 5]}}", "{x: {y: [1, 2]}}",
                        "{a: {b: {c: 2}}}", "{c: 1}")


def test_for_loop_iterates_a_snapshot() -> None:
    out = run("""
var xs = [1, 2, 3]
for x in xs {
  xs[0] = xs[0] + x
}
println(xs)
var d = {a: 1}
for e in d { d.b = 2 }
println(d)
""")
    assert out == lines("[7, 2, 3]", "{a: 1, b: 2}")


def test_builder_loop_does_not_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    copies = {"n": 0}
    real = support.setidx

    def counting(shared: bool, obj, key, value):  # type: ignore[no-untyped-def]
        if shared:
            copies["n"] += 1
        return real(shared, obj, key, value)

    monkeypatch.setattr(support, "setidx", counting)
    import vm.namespace as ns

    monkeypatch.setitem(ns.BASE, "$setidx", counting)
    out = run("""
var out = {}
var xs = [0, 0, 0]
for i in 0 to 1000 exclusive {
  out["k${i}"] = i
  xs[i % 3] = i
}
println(len(out))
println(xs)
fn build(n) {
  var acc = {}
  for i in 0 to n exclusive { acc[to_string(i)] = i }
  return acc
}
println(len(build(500)))
""")
    assert out == lines("1000", "[999, 997, 998]", "500")
    assert copies["n"] == 0


def test_builder_loop_copies_when_shared() -> None:
    out = run("""
var out = {}
var snapshots = []
for i in 0 to 3 exclusive {
  out["k${i}"] = i
  snapshots = snapshots + [out]
}
println(snapshots)
""")
    assert out == lines("[{k0: 0}, {k0: 0, k1: 1}, {k0: 0, k1: 1, k2: 2}]")


def test_struct_field_assignment_is_a_value_update() -> None:
    out = run("""
struct Point { x: int  y: int }
var p = Point {x: 1, y: 2}
let q = p
p.x = 10
p.z = 3
println(p)
println(q)
""")
    assert out == lines("Point {x: 10, y: 2, z: 3}", "Point {x: 1, y: 2}")


def test_argv_is_a_value() -> None:
    out = run("var a = argv\na[0] = \"x\"\nprintln(a)\nprintln(argv)\n", argv=["one", "two"])
    assert out == lines("[x, two]", "[one, two]")
