"""Schema builtins (stdlib.md §13.3, ``json_validate`` of §13.2), Tier 2, native (§22).

A schema is a dict. Every entry point first canonicalises it (:func:`canon`,
deep, a new dict, the input untouched): JSON-Schema/OpenAPI spellings become
the canonical keys (``additionalProperties`` -> ``additional_properties``,
camelCase bounds, ``minimum``/``maximum`` -> ``min``/``max``, ``oneOf``/``anyOf``
-> ``union``, ``allOf`` -> ``all_of``), type names map (``object`` -> ``dict``,
``integer`` -> ``int``, ...), a list-valued ``type`` becomes a ``union`` of
single-type branches, and ``uniqueItems`` on a list makes it a ``set``.
Descriptive keys pass through.

Validation (:class:`_Validator`) walks value and canonical schema together,
collecting every error as ``at P: ...`` (``P`` is ``root``, ``name``,
``a.b``, ``items[2]``; a root list element is ``root[2]``). Per node, in
order: ``nullable`` lets ``nil`` through; ``$ref`` (``#`` or ``#/...`` into
the raw root, resolved once per call) validates against its target;
``union`` takes the first branch with no error (or fails the node);
``all_of`` validates every branch; a wrong ``type`` ends the node's checks;
then ``const``, ``enum``, string bounds and ``pattern`` (a search, through
the regex cache), number bounds, list/set bounds and ``items``, and for
dicts (struct instances too) missing ``required`` keys, ``properties`` in key
order, then unexpected keys. ``int`` and ``float`` never accept each other;
``set`` accepts a set, or a list without duplicates (JSON has no sets).

With defaults on (``schema_parse``, ``schema_expect(.., true)``) an absent
property whose schema has a ``default`` is filled and validated in turn (so
nested defaults apply); the normalised value is rebuilt only along changed
paths, otherwise the input itself is returned.
"""

from __future__ import annotations

from typing import Any

from vm.runtime.compare import eq
from vm.runtime.values import HSet, StructValue, err, ok, structural_key
from vm.stdlib.common import MISSING, display, s, test, throw, type_of
from vm.stdlib.regex import compiled
from vm.stdlib.registry import builtin

# --------------------------------------------------------------------------- canonical form

_TYPE_NAMES = {
    "object": "dict", "array": "list", "integer": "int", "number": "float",
    "boolean": "bool", "null": "nil",
}  # fmt: skip

_KEY_NAMES = {
    "additionalProperties": "additional_properties", "minLength": "min_length",
    "maxLength": "max_length", "minItems": "min_items", "maxItems": "max_items",
    "minimum": "min", "maximum": "max", "oneOf": "union", "anyOf": "union",
    "allOf": "all_of",
}  # fmt: skip

_SCHEMA_MAPS = ("properties", "definitions", "$defs")  # dicts whose values are schemas
_SCHEMA_LISTS = ("union", "all_of")  # lists of schemas


def _type_name(t: Any) -> Any:
    return _TYPE_NAMES.get(t, t) if type(t) is str else t


def canon(schema: Any) -> Any:
    """The canonical spelling of a schema (non-dicts, e.g. a boolean, are returned as is)."""
    if type(schema) is not dict:
        return schema
    out: dict[str, Any] = {}
    for k, v in schema.items():
        out[_KEY_NAMES.get(k, k)] = v
    t = out.get("type")
    if type(t) is list:
        names = [_type_name(x) for x in t]
        if len(names) == 1:
            out["type"] = names[0]
        else:
            del out["type"]
            out["union"] = [{"type": n} for n in names]
    elif t is not None:
        out["type"] = _type_name(t)
    if out.get("uniqueItems") is True and out.get("type") == "list":
        out["type"] = "set"
        del out["uniqueItems"]
    for k in _SCHEMA_MAPS:
        m = out.get(k)
        if type(m) is dict:
            out[k] = {name: canon(sub) for name, sub in m.items()}
    for k in _SCHEMA_LISTS:
        xs = out.get(k)
        if type(xs) is list:
            out[k] = [canon(x) for x in xs]
    for k in ("items", "additional_properties"):
        if type(out.get(k)) is dict:
            out[k] = canon(out[k])
    comps = out.get("components")
    if type(comps) is dict and type(comps.get("schemas")) is dict:
        out["components"] = dict(comps, schemas={n: canon(x) for n, x in comps["schemas"].items()})
    return out


# --------------------------------------------------------------------------- validation


def _child(path: str, key: str) -> str:
    return key if path == "root" else f"{path}.{key}"


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


def _unique_list(v: list[Any]) -> bool:
    try:
        return len({structural_key(x) for x in v}) == len(v)
    except TypeError:  # an unhashable host value: compare pairwise
        return all(not eq(a, b) for i, a in enumerate(v) for b in v[i + 1 :])


def _type_ok(t: Any, v: Any) -> bool:
    vt = type(v)
    if t == "any":
        return True
    if t == "string":
        return vt is str
    if t == "int":
        return vt is int
    if t == "float":
        return vt is float
    if t == "bool":
        return vt is bool
    if t == "nil":
        return v is None
    if t == "list":
        return vt is list
    if t == "dict":
        return vt is dict or vt is StructValue
    if t == "set":
        return vt is HSet or (vt is list and _unique_list(v))
    return False


class _Validator:
    """One validation run: the raw root (for ``$ref``), the defaults flag, the errors."""

    __slots__ = ("root", "defaults", "errors", "refs")

    def __init__(self, root: dict[str, Any], defaults: bool) -> None:
        self.root = root
        self.defaults = defaults
        self.errors: list[str] = []
        self.refs: dict[str, Any] = {}

    def fail(self, path: str, msg: str) -> None:
        self.errors.append(f"at {path}: {msg}")

    def resolve(self, ref: Any) -> Any:
        """The canonical schema ``ref`` points at, or ``None`` when it does not resolve."""
        key = s(ref)
        if key in self.refs:
            return self.refs[key]
        target: Any = None
        if key == "#" or key.startswith("#/"):
            cur: Any = self.root
            for tok in key[2:].split("/") if key != "#" else ():
                tok = tok.replace("~1", "/").replace("~0", "~")
                if type(cur) is dict:
                    cur = cur.get(tok)
                elif type(cur) is list and tok.isdigit() and int(tok) < len(cur):
                    cur = cur[int(tok)]
                else:
                    cur = None
                    break
            target = canon(cur) if type(cur) is dict else None
        self.refs[key] = target
        return target

    def check(self, v: Any, node: Any, path: str) -> Any:
        """Validate ``v`` against canonical ``node``; returns the (normalised) value."""
        if type(node) is not dict:
            return v
        if v is None and node.get("nullable") is True:
            return v
        if "$ref" in node:
            target = self.resolve(node["$ref"])
            if target is None:
                self.fail(path, f"unresolved schema reference '{s(node['$ref'])}'")
                return v
            v = self.check(v, target, path)
        branches = node.get("union")
        if type(branches) is list:
            for branch in branches:
                sub = _Validator(self.root, self.defaults)
                sub.refs = self.refs
                got = sub.check(v, branch, path)
                if not sub.errors:
                    v = got
                    break
            else:
                self.fail(path, "value did not match any union branch")
                return v
        parts = node.get("all_of")
        if type(parts) is list:
            for part in parts:
                v = self.check(v, part, path)
        t = node.get("type")
        if t is not None and not _type_ok(t, v):
            self.fail(path, f"expected type '{s(t)}', got '{type_of(v)}'")
            return v
        if "const" in node and not eq(v, node["const"]):
            self.fail(path, f"expected constant {display(node['const'])}, got {display(v)}")
        choices = node.get("enum")
        if type(choices) is list and not any(eq(v, c) for c in choices):
            self.fail(path, f"value must be one of {display(choices)}")
        vt = type(v)
        if vt is str:
            self._string(v, node, path)
        elif vt is int or vt is float:
            self._number(v, node, path)
        elif vt is list or vt is HSet:
            v = self._items(v, node, path)
        elif vt is dict or vt is StructValue:
            v = self._dict(v, node, path)
        return v

    def _string(self, v: str, node: dict[str, Any], path: str) -> None:
        n = len(v)
        lo, hi = node.get("min_length"), node.get("max_length")
        if _is_num(lo) and n < lo:
            self.fail(path, f"expected length >= {display(lo)}, got {n}")
        if _is_num(hi) and n > hi:
            self.fail(path, f"expected length <= {display(hi)}, got {n}")
        pat = node.get("pattern")
        if pat is not None and compiled(pat).search(v) is None:
            self.fail(path, f"value does not match pattern '{s(pat)}'")

    def _number(self, v: int | float, node: dict[str, Any], path: str) -> None:
        lo, hi = node.get("min"), node.get("max")
        if _is_num(lo) and v < lo:
            self.fail(path, f"expected value >= {display(lo)}, got {display(v)}")
        if _is_num(hi) and v > hi:
            self.fail(path, f"expected value <= {display(hi)}, got {display(v)}")

    def _items(self, v: list[Any] | HSet, node: dict[str, Any], path: str) -> Any:
        n = len(v)
        lo, hi = node.get("min_items"), node.get("max_items")
        if _is_num(lo) and n < lo:
            self.fail(path, f"expected at least {display(lo)} items, got {n}")
        if _is_num(hi) and n > hi:
            self.fail(path, f"expected at most {display(hi)} items, got {n}")
        item = node.get("items")
        if type(item) is not dict:
            return v
        if type(v) is HSet:
            for i, x in enumerate(v.values()):
                self.check(x, item, f"{path}[{i}]")
            return v
        out: list[Any] | None = None
        for i, x in enumerate(v):
            got = self.check(x, item, f"{path}[{i}]")
            if got is not x:
                if out is None:
                    out = list(v)
                out[i] = got
        return v if out is None else out

    def _dict(self, v: dict[str, Any] | StructValue, node: dict[str, Any], path: str) -> Any:
        is_struct = type(v) is StructValue
        fields: dict[str, Any] = v.fields if is_struct else v  # type: ignore[union-attr]
        props = node.get("properties")
        props = props if type(props) is dict else {}
        fill = self.defaults and not is_struct
        required = node.get("required")
        if type(required) is list:
            for k in required:
                key = s(k)
                if key in fields:
                    continue
                sub = props.get(key)
                if fill and type(sub) is dict and "default" in sub:
                    continue
                self.fail(path, f"missing required key '{key}'")
        out: dict[str, Any] | None = None
        for key in sorted(props):
            sub = props[key]
            if key in fields:
                x = fields[key]
                got = self.check(x, sub, _child(path, key))
            elif fill and type(sub) is dict and "default" in sub:
                got = self.check(sub["default"], sub, _child(path, key))
            else:
                continue
            if key not in fields or got is not fields[key]:
                if out is None:
                    out = dict(fields)
                out[key] = got
        extra = node.get("additional_properties")
        if extra is False or type(extra) is dict:
            for key in sorted(fields):
                if key in props:
                    continue
                if extra is False:
                    self.fail(path, f"unexpected key '{key}'")
                    continue
                x = fields[key]
                got = self.check(x, extra, _child(path, key))
                if got is not x and not is_struct:
                    if out is None:
                        out = dict(fields)
                    out[key] = got
        if out is None or is_struct:
            return v
        return out


def _schema_arg(schema: Any) -> dict[str, Any]:
    if type(schema) is not dict:
        raise throw("schema must be a dict")
    return schema


def validate(data: Any, schema: Any, defaults: bool = False) -> tuple[Any, list[str]]:
    """``(normalised value, errors)`` of ``data`` against ``schema`` (any spelling)."""
    raw = _schema_arg(schema)
    v = _Validator(raw, defaults)
    try:
        value = v.check(data, canon(raw), "root")
    except RecursionError:
        raise throw("schema validation: schema or value nested too deeply") from None
    return value, v.errors


def _need(name: str, n: int, *args: Any) -> None:
    if any(a is MISSING for a in args):
        raise throw(f"{name} requires {n} argument{'s' if n != 1 else ''}")


def _result(data: Any, schema: Any, defaults: bool) -> Any:
    value, errors = validate(data, schema, defaults)
    if errors:
        return err({"message": errors[0], "errors": errors, "value": data})
    return ok(value)


@builtin("json_validate", "(data: any, schema: dict) -> bool",
         "True when data matches the schema; else throw the joined errors.", "T2")
def json_validate(data: Any = MISSING, schema: Any = MISSING, *_: Any) -> bool:
    _need("json_validate", 2, data, schema)
    _, errors = validate(data, schema)
    if errors:
        raise throw("; ".join(errors))
    return True


@builtin("schema_check", "(data: any, schema: dict) -> Result",
         "Ok(data), or Err({message, errors, value}).", "T2")
def schema_check(data: Any = MISSING, schema: Any = MISSING, *_: Any) -> Any:
    _need("schema_check", 2, data, schema)
    return _result(data, schema, False)


@builtin("schema_parse", "(data: any, schema: dict) -> Result",
         "schema_check filling absent properties from their defaults.", "T2")
def schema_parse(data: Any = MISSING, schema: Any = MISSING, *_: Any) -> Any:
    _need("schema_parse", 2, data, schema)
    return _result(data, schema, True)


@builtin("schema_is", "(data: any, schema: dict) -> bool",
         "True when data matches the schema (never throws for invalid data).", "T2")
def schema_is(data: Any = MISSING, schema: Any = MISSING, *_: Any) -> bool:
    _need("schema_is", 2, data, schema)
    return not validate(data, schema)[1]


@builtin("is_type", "(data: any, schema: dict) -> bool",
         "True when data matches the schema (never throws for invalid data).", "T2")
def is_type(data: Any = MISSING, schema: Any = MISSING, *_: Any) -> bool:
    _need("is_type", 2, data, schema)
    return not validate(data, schema)[1]


@builtin("schema_expect", "(data: any, schema: dict, apply_defaults?: bool) -> any",
         "The normalised value, or throw the joined errors.", "T2")
def schema_expect(data: Any = MISSING, schema: Any = MISSING, apply_defaults: Any = False,
                  *_: Any) -> Any:
    _need("schema_expect", 2, data, schema)
    value, errors = validate(data, schema, test(apply_defaults))
    if errors:
        raise throw("; ".join(errors))
    return value


@builtin("schema_of", "(x: any) -> dict",
         "The schema of a type alias; at run time a schema dict passes through.", "T2")
def schema_of(x: Any = MISSING, *_: Any) -> dict[str, Any]:
    _need("schema_of", 1, x)
    if type(x) is not dict:
        got = "nil" if x is MISSING else type_of(x)
        raise throw(f"schema_of: expected a type alias or schema dict, got {got}")
    return x


# --------------------------------------------------------------------------- export

_EXPORT_TYPES = {
    "dict": "object", "list": "array", "int": "integer", "float": "number",
    "bool": "boolean", "nil": "null", "set": "array",
}  # fmt: skip

_EXPORT_KEYS = {
    "additional_properties": "additionalProperties", "min_length": "minLength",
    "max_length": "maxLength", "min_items": "minItems", "max_items": "maxItems",
    "min": "minimum", "max": "maximum", "union": "anyOf", "all_of": "allOf",
}  # fmt: skip


def export(node: Any, openapi: bool) -> Any:
    """A canonical schema in JSON-Schema (or OpenAPI 3.0) spelling."""
    if type(node) is not dict:
        return node
    out: dict[str, Any] = {}
    for k, v in node.items():
        k = _EXPORT_KEYS.get(k, k)
        if k in _SCHEMA_MAPS and type(v) is dict:
            v = {name: export(sub, openapi) for name, sub in v.items()}
        elif k in ("anyOf", "allOf") and type(v) is list:
            v = [export(x, openapi) for x in v]
        elif k in ("items", "additionalProperties") and type(v) is dict:
            v = export(v, openapi)
        elif k == "components" and type(v) is dict and type(v.get("schemas")) is dict:
            v = dict(v, schemas={n: export(x, openapi) for n, x in v["schemas"].items()})
        out[k] = v
    t = out.get("type")
    if t == "any":
        del out["type"]
    elif type(t) is str:
        if t == "set":
            out["uniqueItems"] = True
        out["type"] = _EXPORT_TYPES.get(t, t)
    if openapi:
        if out.get("type") == "null":
            del out["type"]
            out["nullable"] = True
        if "const" in out:
            out["enum"] = [out.pop("const")]
    elif out.get("nullable") is True:
        del out["nullable"]
        t = out.get("type")
        if type(t) is str and t != "null":
            out["type"] = [t, "null"]
        elif type(out.get("anyOf")) is list:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    return out


def _one_schema(name: str, sch: Any) -> dict[str, Any]:
    _need(name, 1, sch)
    return canon(_schema_arg(sch))


@builtin("schema_to_json_schema", "(s: dict) -> dict",
         "Export a schema in JSON-Schema spelling (set -> array + uniqueItems).", "T2")
def schema_to_json_schema(sch: Any = MISSING, *_: Any) -> dict[str, Any]:
    return export(_one_schema("schema_to_json_schema", sch), False)


@builtin("schema_to_openapi_schema", "(s: dict) -> dict",
         "Export a schema in OpenAPI spelling (nullable for nil).", "T2")
def schema_to_openapi_schema(sch: Any = MISSING, *_: Any) -> dict[str, Any]:
    return export(_one_schema("schema_to_openapi_schema", sch), True)


@builtin("schema_from_json_schema", "(s: dict) -> dict",
         "Canonicalise a JSON-Schema schema.", "T2")
def schema_from_json_schema(sch: Any = MISSING, *_: Any) -> dict[str, Any]:
    return _one_schema("schema_from_json_schema", sch)


@builtin("schema_from_openapi_schema", "(s: dict) -> dict",
         "Canonicalise an OpenAPI schema.", "T2")
def schema_from_openapi_schema(sch: Any = MISSING, *_: Any) -> dict[str, Any]:
    return _one_schema("schema_from_openapi_schema", sch)


# --------------------------------------------------------------------------- combinators


@builtin("schema_extend", "(a: dict, b: dict) -> dict",
         "Shallow merge of two schemas (b's keys win).", "T2")
def schema_extend(a: Any = MISSING, b: Any = MISSING, *_: Any) -> dict[str, Any]:
    _need("schema_extend", 2, a, b)
    return {**_schema_arg(a), **_schema_arg(b)}


def _partial(node: Any) -> Any:
    if type(node) is not dict:
        return node
    out = {k: v for k, v in node.items() if k != "required"}
    for k in (*_SCHEMA_MAPS, "components"):
        m = out.get(k)
        if k == "components" and type(m) is dict and type(m.get("schemas")) is dict:
            out[k] = dict(m, schemas={n: _partial(x) for n, x in m["schemas"].items()})
        elif k != "components" and type(m) is dict:
            out[k] = {name: _partial(sub) for name, sub in m.items()}
    for k in ("union", "all_of", "oneOf", "anyOf", "allOf"):
        if type(out.get(k)) is list:
            out[k] = [_partial(x) for x in out[k]]
    for k in ("items", "additional_properties", "additionalProperties"):
        if type(out.get(k)) is dict:
            out[k] = _partial(out[k])
    return out


@builtin("schema_partial", "(s: dict) -> dict",
         "The schema with every required list dropped, recursively.", "T2")
def schema_partial(sch: Any = MISSING, *_: Any) -> dict[str, Any]:
    _need("schema_partial", 1, sch)
    return _partial(_schema_arg(sch))


def _keep_props(name: str, sch: Any, keys: Any, keep: bool) -> dict[str, Any]:
    _need(name, 2, sch, keys)
    node = _schema_arg(sch)
    if type(keys) is not list:
        raise throw(f"{name}: keys must be a list")
    wanted = {s(k) for k in keys}
    out = dict(node)
    props = node.get("properties")
    if type(props) is dict:
        out["properties"] = {k: v for k, v in props.items() if (k in wanted) == keep}
    required = node.get("required")
    if type(required) is list:
        out["required"] = [k for k in required if (s(k) in wanted) == keep]
    return out


@builtin("schema_pick", "(s: dict, keys: list) -> dict",
         "Keep only the listed top-level properties.", "T2")
def schema_pick(sch: Any = MISSING, keys: Any = MISSING, *_: Any) -> dict[str, Any]:
    return _keep_props("schema_pick", sch, keys, True)


@builtin("schema_omit", "(s: dict, keys: list) -> dict",
         "Drop the listed top-level properties.", "T2")
def schema_omit(sch: Any = MISSING, keys: Any = MISSING, *_: Any) -> dict[str, Any]:
    return _keep_props("schema_omit", sch, keys, False)
