"""JSON and regex builtins (stdlib.md §13, §14, §22)."""

from __future__ import annotations

from stdlib_helpers import b, err_b, show

from vm.runtime.values import HRange
from vm.stdlib import regex as rx_mod


def test_json_spec_example() -> None:
    v = b("json_parse", '{"b": [1, 2.5, null], "a": true}')
    assert show(v) == "{a: true, b: [1, 2.5, nil]}"
    assert b("json_stringify", v) == '{"a":true,"b":[1,2.5,null]}'
    assert b("json_stringify", {"x": 1.0, "s": 'q"\n', "t": b("set", 1)}) == (
        '{"s":"q\\"\\n","t":[1],"x":1}')
    assert b("json_extract", 'Result: {"ok": true} done') == {"ok": True}
    assert err_b("json_parse", "{oops}").startswith("JSON parse error")


def test_json_parse_mapping_and_errors() -> None:
    assert b("json_parse", "12") == 12 and type(b("json_parse", "1.0")) is float
    assert type(b("json_parse", "1e2")) is float
    assert type(b("json_parse", "99999999999999999999")) is float
    assert b("json_parse", ' {"a":1,"a":2} ') == {"a": 2}
    for bad in ("NaN", "[1,]", "// c\n1", "", "1 2", "{'a':1}"):
        assert err_b("json_parse", bad).startswith("JSON parse error: "), bad
    assert "at line 1 column" in err_b("json_parse", "[1,")
    assert b("json_parse", "[1]") is b("json_parse", "[1]")  # cached


def test_json_stringify_forms() -> None:
    assert b("json_stringify", 1e21) == "1000000000000000000000"
    assert b("json_stringify", 2.5) == "2.5"
    assert b("json_stringify", HRange(1, 5, True)) == '"1 to 5"'
    assert b("json_stringify", b"hi") == '{"$bytes_b64":"aGk="}'
    assert b("json_stringify", [b("Ok", 1), b("pair", 1, 2), None]) == "[null,null,null]"
    assert b("json_stringify", "\x01\x7f/é\t") == '"\\u0001\\u007f/é\\t"'
    assert err_b("json_stringify", float("nan")).startswith("json_stringify: ")
    assert b("json_stringify", 2**70) == str(2**70)


def test_json_extract_and_pretty() -> None:
    assert b("json_extract", "x [1, {\"a\":1}]") == {"a": 1}
    assert b("json_extract", "text\n```json\n[1, 2]\n```\nmore") == [1, 2]
    assert b("json_extract", '{"k": "v"}', "k") == "v"
    assert err_b("json_extract", '{"k": 1}', "z") == "json_extract: key 'z' not found"
    assert err_b("json_extract", "[1]", "z") == (
        "json_extract: parsed value is not a dict, cannot extract key")
    assert err_b("json_extract") == "json_extract requires at least 1 argument: text"
    assert err_b("json_extract", "nothing").startswith("json_extract: failed to parse JSON: ")
    assert b("__json_pretty", {"b": [1], "a": {}}) == '{\n  "a": {},\n  "b": [\n    1\n  ]\n}'


def test_json_pointer() -> None:
    v = {"a": [10, {"b~/": 1}]}
    assert b("json_pointer", v, "/a/1/b~0~1") == 1
    assert b("json_pointer", v, "/a/01") is None
    assert b("json_pointer_set", v, "/a/-", 3) == {"a": [10, {"b~/": 1}, 3]}
    assert b("json_pointer_delete", v, "/a/0") == {"a": [{"b~/": 1}]}
    assert v == {"a": [10, {"b~/": 1}]}
    assert err_b("json_pointer", v, "a") == "json_pointer: pointer must be empty or start with '/'"


def test_regex_spec_example() -> None:
    assert b("regex_match", r"\d+", "a1b22c333") == ["1", "22", "333"]
    assert b("regex_match", "z", "abc") is None
    assert b("regex_match", "hello", "HeLLo", "i") == ["HeLLo"]
    assert b("regex_replace", r"(\w+)@(\w+)", "$2 at $1", "me@home") == "home at me"
    assert b("regex_replace", "(?P<w>o+)", "[$w]", "foo boo") == "f[oo] b[oo]"
    assert b("regex_split", "a1b22c", r"\d+") == ["a", "b", "c"]
    assert show(b("regex_captures", r"(?P<k>\w+)=(\d+)?", "x=1 y=")) == (
        "[{groups: [x, 1], k: x, match: x=1}, {groups: [y, nil], k: y, match: y=}]")


def test_regex_dialect() -> None:
    assert b("regex_match", "a$", "a\n") is None
    assert b("regex_match", "a$", "a\na", "m") == ["a", "a"]
    assert b("regex_match", r"(?<n>\d)", "x7") == ["7"]
    assert b("regex_match", r"b\z", "ab") == ["b"]
    assert b("regex_match", "a(?i)b", "aB") == ["aB"]
    assert b("regex_match", "(x(?i)y)z", "xYz") == ["xYz"]
    assert b("regex_match", "[$]", "$") == ["$"]
    assert b("regex_match", r"\x{41}", "A") == ["A"]
    assert err_b("regex_match", "a", "a", "q") == (
        "Invalid regex: unsupported regex flag 'q', expected one of i/m/s/x")
    assert err_b("regex_match", "(", "a").startswith("Invalid regex: ")
    assert b("regex_match", "a") is None and b("regex_captures", "a") == []
    assert b("regex_replace", "a", "b") is None and b("regex_split", "a") is None


def test_regex_replacement_syntax() -> None:
    assert b("regex_replace", "(a)", "$$1", "a") == "$1"
    assert b("regex_replace", "(a)", "${1}b", "a") == "ab"
    assert b("regex_replace", "(a)", "$1b", "a") == ""
    assert b("regex_replace", "(a)", r"\1", "a") == r"\1"
    assert b("regex_replace", "(a)|(b)", "[$2]", "ab") == "[][b]"
    assert b("regex_replace", "x*", "-", "abc") == "-a-b-c-"
    assert b("regex_replace_all", "o", "0", "foo") == "f00"


def test_regex_cache() -> None:
    pattern = r"\w+"
    first = rx_mod.compiled(pattern, None)
    assert rx_mod.compiled(pattern, None) is first
    assert rx_mod.compiled(r"\w" + "+", "") is first  # equal text: same cache entry


def test_regex_empty_matches_follow_rust() -> None:
    assert b("regex_match", r"\d*", "a12b") == ["", "12", ""]
    assert b("regex_replace", "a*", "-", "baaa") == "-b-"
    assert b("regex_split", "a12b", r"\d*") == ["", "a", "b", ""]
    assert b("regex_match", "x*|b", "b") == ["", ""]
    assert b("regex_match", r"\d+", "a1b22") == ["1", "22"]  # fast path unchanged
    assert rx_mod.may_match_empty(rx_mod.compiled("a*")) is True
    assert rx_mod.may_match_empty(rx_mod.compiled("a+")) is False


def test_regex_unicode_classes() -> None:
    assert b("regex_split", "a\x1fb\xa0c", r"\s") == ["a\x1fb", "c"]
    assert b("regex_match", r"[^\s]+", "a\x1fb c") == ["a\x1fb", "c"]
    assert b("regex_match", r"\p{Lu}+", "aBCd") == ["BC"]
    assert b("regex_match", r"[\P{L}]+", "ab12") == ["12"]
    assert err_b("regex_match", r"\p{Nope}", "a").startswith("Invalid regex: ")


def test_json_rejects_lone_surrogates() -> None:
    assert b("json_parse", '"\\ud83d\\ude00"') == "\U0001f600"
    assert err_b("json_parse", '"\\ud800"').startswith("JSON parse error: ")
    assert b("json_parse", '"\\\\ud800"') == "\\ud800"
