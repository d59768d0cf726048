"""String methods and free functions (stdlib.md §5)."""

from __future__ import annotations

from stdlib_helpers import b, m, show


def test_spec_example() -> None:
    s = "  Hello, World  "
    assert m(m(s, "trim"), "lower") == "hello, world"
    assert show(m("x,y", "split")) == "[x, y]"
    assert show(b("split", "x y")) == "[x, y]"
    assert show(m("a,,b", "split", ",")) == "[a, , b]"
    assert m("hello", "substring", 1, 3) == "el"
    assert b("substring", "hello", 1, 3) == "ell"
    assert m("ab", "pad_left", 5, "*") == "***ab"
    assert m("é😀", "len") == 2
    assert b("format", "{} + {} = {}", 1, 2, 3) == "1 + 2 = 3"
    assert b("format", "{name} is {age}", {"name": "Ada", "age": 36}) == "Ada is 36"
    assert b("format", "{} {}", "only") == "only {}"
    assert b("camel_to_snake", "parseHTTPResponse") == "parse_http_response"
    assert b("snake_to_camel", "__user_id__") == "userId"
    assert b("title_case", "hELLO wORLD") == "Hello World"


def test_coercion_and_edges() -> None:
    assert b("starts_with", 12345, 12) is True
    assert m("abc", "contains", "") is True
    assert m("abc", "index_of", "") == 0 and m("abc", "last_index_of", "") == 3
    assert m("abc", "char_at", -1) is None and m("abc", "char_at", 1) == "b"
    assert m("hello", "substring", 2, -1) == "llo" and m("hello", "substring", 3, 1) == ""
    assert m("ab", "split", "") == ["", "a", "b", ""]
    assert m("", "split") == [""]
    assert m("a\r\nb\n", "lines") == ["a", "b"] and m("", "lines") == []
    assert m("abc", "replace", "") is None
    assert m("abc", "replace", "", "-") == "-a-b-c-"
    assert m("ab", "repeat", 0) == "" and m("ab", "repeat") == "ab"
    assert m("ß", "upper") == "SS"
    assert m("ab", "pad_right", 4, "") == "ab  "
    assert m("x", "nope") is None


def test_whitespace_is_unicode_white_space() -> None:
    assert m("\u00a0 x\u3000", "trim") == "x"
    assert m("\x1cx\x1f", "trim") == "\x1cx\x1f"
    assert b("title_case", "a\u00a0b") == "A\u00a0B"


def test_format_named_edges() -> None:
    assert b("format", "{a} {missing} {", {"a": 1}) == "1 {missing} {"
    assert b("format", "{a}", {"a": "{a}"}) == "{a}"


def test_free_functions() -> None:
    assert b("contains", [1, 2], 2.0) is True
    assert b("contains", "abc", "b") is True
    assert b("contains", None, 1) is False
    assert b("join", [1, "a", None], "-") == "1-a-nil"
    assert b("join", "x") == ""
    assert b("replace", "aaa", "a") == ""
    assert b("substring", "hello", -3) == "hello"
    assert b("substring", "hello", 2, 99) == "llo"
    assert b("snake_to_pascal", "user_id") == "UserId"
    assert b("snake_to_kebab", "User_ID") == "user-id"
    assert b("kebab_to_camel", "a-bc-d") == "aBcD"
    assert b("kebab_to_snake", "a-B") == "a_b"
    assert b("camel_to_kebab", "myURLValue2X") == "my-url-value2-x"
    assert b("pascal_to_camel", "Abc") == "abc" and b("camel_to_pascal", "abc") == "Abc"
    assert b("uppercase_first", "") == ""
    assert b("camel_to_snake", "a_B") == "a_b"


def test_tier2_string_helpers() -> None:
    assert b("unicode_normalize", "e\u0301") == "\u00e9"
    assert b("str_pad", "ab", 5, "*", "both") == "*ab**"
