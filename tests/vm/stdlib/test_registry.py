"""The builtin registry: every stdlib.md Tier 1 entry is registered, every entry documented."""

from __future__ import annotations

import pytest

import vm.stdlib  # noqa: F401  (fills the registry)
from vm.stdlib.registry import (
    BUILTINS,
    GLOBALS,
    METHOD_INFO,
    PROPERTIES,
    Param,
    all_builtin_names,
    method_signatures,
    parse_signature,
)

# Tier 1 free functions of stdlib.md §2-§17 (copied as data: tests never read the spec).
T1_BUILTINS = """
println print log eprint eprintln assert assert_eq assert_ne unreachable
type_of to_string to_int to_float len to_list pair iter
Ok Err is_ok is_err unwrap unwrap_or unwrap_err
format trim lowercase uppercase split starts_with ends_with contains replace join substring
title_case uppercase_first lowercase_first snake_to_camel snake_to_pascal snake_to_kebab
kebab_to_camel kebab_to_snake camel_to_snake pascal_to_snake camel_to_kebab pascal_to_camel
camel_to_pascal
chunk window group_by partition dedup_by flat_map
keys values entries
set set_add set_remove set_contains set_union set_intersect set_difference
set_symmetric_difference set_is_subset set_is_superset set_is_disjoint
range
abs min max floor ceil round sqrt pow sin cos tan asin acos atan atan2 ln log2 log10 exp sign
is_nan is_infinite
rng_seed random random_int random_choice random_shuffle
json_parse json_stringify json_extract
regex_match regex_replace regex_replace_all regex_captures regex_split
env env_or
__dict_filter_nil __dict_pick_keys __dict_merge __dict_pick __dict_omit
""".split()

T1_METHODS = {
    "string": """len count empty contains starts_with ends_with index_of last_index_of char_at
        substring split lines chars trim trim_start trim_end lower to_lower lowercase upper
        to_upper uppercase replace repeat reverse pad_left pad_right iter""",
    "list": """count empty first last map filter flat_map reduce find find_index any all every
        none contains index_of sort sort_by reverse unique join slice take skip push pop sum
        min max min_by max_by flatten compact chunk each_slice window each_cons sliding_window
        enumerate zip partition group_by tally iter""",
    "dict": "keys values entries count has get merge remove map_values filter rekey map_keys iter",
    "set": """count len empty contains add remove delete union intersect intersection difference
        symmetric_difference is_subset is_superset is_disjoint to_list map filter any all every
        iter""",
    "range": "len count empty contains first last to_string to_list map filter sum",
    "iter": """map filter flat_map take skip take_while skip_while zip enumerate chain chunks
        windows iter to_list to_set to_dict count sum min max reduce first last any all find
        for_each""",
    "generator": "next",
}

T1_PROPERTIES = {
    "list": "count empty first last",
    "string": "count empty",
    "pair": "first second",
    "enum": "variant fields",
}

# A sample of Tier 2 names the checker must know even before they are implemented.
T2_SAMPLE = """throw_error error_category color is_same hash_value unicode_normalize str_pad mean
median jq schema_check yaml_parse csv_parse base64_encode sha256 uuid url_parse timestamp
date_format duration_ms cwd exit exec read_file path_join glob channel atomic sleep
render_string store_get circuit_breaker""".split()


@pytest.mark.parametrize("name", T1_BUILTINS)
def test_tier1_builtin_registered(name: str) -> None:
    b = BUILTINS.get(name)
    assert b is not None, name
    assert b.tier == "T1" and b.implemented


@pytest.mark.parametrize("receiver", sorted(T1_METHODS))
def test_tier1_methods_registered(receiver: str) -> None:
    have = METHOD_INFO[receiver]
    missing = [m for m in T1_METHODS[receiver].split() if m not in have]
    assert not missing


def test_tier1_properties_registered() -> None:
    for receiver, names in T1_PROPERTIES.items():
        for name in names.split():
            assert name in PROPERTIES[receiver]


def test_globals() -> None:
    assert {"pi", "e", "argv"} <= set(GLOBALS)


def test_tier2_names_known() -> None:
    names = set(all_builtin_names())
    assert not [n for n in T2_SAMPLE if n not in names]


def test_every_builtin_has_signature_and_doc() -> None:
    for name, b in BUILTINS.items():
        sig = b.signature  # parses
        assert sig.returns, name
        assert b.doc and "\n" not in b.doc, name
        assert b.tier in ("T1", "T2"), name


def test_every_method_has_signature_and_doc() -> None:
    for receiver, methods in METHOD_INFO.items():
        for name, m in methods.items():
            assert m.signature.returns, (receiver, name)
            assert m.doc, (receiver, name)


def test_unimplemented_t2_fails_cleanly() -> None:
    from vm.runtime.errors import HarnError

    b = next((b for b in BUILTINS.values() if not b.implemented), None)
    if b is None:
        pytest.skip("every Tier 2 builtin is implemented")
    with pytest.raises(HarnError) as info:
        b.fn({}, ".")
    assert info.value.message == f"Runtime error: {b.name} is not supported yet"


def test_parse_signature() -> None:
    sig = parse_signature("(pattern: ~str, text: ~str, flags?: ~str) -> list<string>?")
    assert [p.name for p in sig.params] == ["pattern", "text", "flags"]
    assert sig.params[0].coerces_to_string and sig.params[2].optional
    assert sig.returns == "list<string>?"
    sig = parse_signature('(sep?: ~str = ",") -> list<string>')
    assert sig.params == [Param("sep", "~str", True, False, '","')]
    sig = parse_signature("(init: any, f: fn(any, any) -> any) -> any")
    assert sig.params[1].type_text == "fn(any, any) -> any"
    assert sig.min_args == 2 and sig.max_args == 2
    sig = parse_signature("(...items: any) -> set")
    assert sig.params[0].rest and sig.max_args is None
    sig = parse_signature("(rng?, min: int, max: int) -> int?")
    assert sig.params[0].type_text == "any"


def test_method_signatures_by_type_name() -> None:
    sigs = method_signatures("string")
    assert sigs["split"].params[0].default_text == '","'
    assert method_signatures("nope") == {}
