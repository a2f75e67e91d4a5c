"""Helpers for tests/test_models_vs_datamodel_codegen.py.

* ``component_json_schema``: turn one OpenAPI 3.1 component schema into a self-contained
  JSON Schema (2020-12) by inlining every ``$ref`` and dropping annotation-only keywords
  (``discriminator``, ``example``, ``description``, ``x-*`` ...). Recursive schemas raise
  ``RecursiveSchema`` so the caller can skip them with a recorded reason.
* ``close_objects``: the same schema with ``additionalProperties: false`` on every object
  that lists ``properties`` and says nothing about additional ones, so that drawn
  instances carry only declared keys (see the test for why).
* ``type_mutations``: every way to replace one value inside an instance by a value of a
  different JSON type.
* ``load_module``: import a generated ``.py`` file under a unique module name.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Keywords that carry no validation meaning (OpenAPI extras and JSON Schema annotations).
_ANNOTATIONS = {
    "description", "example", "examples", "discriminator", "deprecated", "title", "default",
    "readOnly", "writeOnly", "externalDocs", "xml", "$comment", "format",
}
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMA_SINGLE = ("items", "additionalProperties", "not", "contains", "propertyNames",
                     "if", "then", "else", "unevaluatedProperties", "unevaluatedItems")


class RecursiveSchema(Exception):
    """The component refers back to itself (directly or through others)."""


def component_json_schema(spec: dict, name: str) -> dict:
    comps = spec["components"]["schemas"]

    def walk(node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, bool) or not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            prefix = "#/components/schemas/"
            if not ref.startswith(prefix):
                raise ValueError(f"unsupported $ref {ref!r}")
            target = ref[len(prefix):]
            if target in stack:
                raise RecursiveSchema(" -> ".join((*stack, target)))
            resolved = walk(comps[target], (*stack, target))
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            siblings = walk(siblings, stack)
            return {"allOf": [resolved], **siblings} if siblings else resolved
        out: dict = {}
        for key, value in node.items():
            if key in _ANNOTATIONS or key.startswith("x-"):
                continue
            if key in _SUBSCHEMA_MAPS:
                out[key] = {k: walk(v, stack) for k, v in value.items()}
            elif key in _SUBSCHEMA_LISTS:
                out[key] = [walk(v, stack) for v in value]
            elif key in _SUBSCHEMA_SINGLE:
                out[key] = walk(value, stack)
            else:
                out[key] = copy.deepcopy(value)
        return out

    return walk(comps[name], (name,))


def request_components(spec: dict) -> set[str]:
    """Component schemas reachable from a request body (directly or through others)."""
    prefix = "#/components/schemas/"
    comps = spec["components"]["schemas"]
    found: set[str] = set()

    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                yield ref[len(prefix):]
            for v in node.values():
                yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    todo = [name for item in spec.get("paths", {}).values() if isinstance(item, dict)
            for op in item.values() if isinstance(op, dict)
            for name in refs(op.get("requestBody", {}))]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(refs(comps[name]))
    return found


def close_objects(schema: Any) -> Any:
    if isinstance(schema, bool) or not isinstance(schema, dict):
        return schema
    out: dict = {}
    for key, value in schema.items():
        if key in _SUBSCHEMA_MAPS:
            out[key] = {k: close_objects(v) for k, v in value.items()}
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [close_objects(v) for v in value]
        elif key in _SUBSCHEMA_SINGLE:
            out[key] = close_objects(value)
        else:
            out[key] = value
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def bound_sizes(schema: Any, max_items: int = 2, max_extra_props: int = 2) -> Any:
    """Cap array lengths and open-object sizes of the schema instances are drawn from.

    Only narrows the set of instances (each is still valid against the real schema); it
    keeps drawing fast for the big response/request envelopes, whose nested components
    are also checked on their own."""
    if isinstance(schema, bool) or not isinstance(schema, dict):
        return schema
    out: dict = {}
    for key, value in schema.items():
        if key in _SUBSCHEMA_MAPS:
            out[key] = {k: bound_sizes(v, max_items, max_extra_props) for k, v in value.items()}
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [bound_sizes(v, max_items, max_extra_props) for v in value]
        elif key in _SUBSCHEMA_SINGLE:
            out[key] = bound_sizes(value, max_items, max_extra_props)
        else:
            out[key] = value
    if "items" in out or "array" in _types(out):
        out["maxItems"] = min(out.get("maxItems", max_items), max_items)
    if out.get("additionalProperties", True) is not False and "object" in _types(out):
        limit = len(out.get("properties", {})) + max_extra_props
        out["maxProperties"] = min(out.get("maxProperties", limit), limit)
    return out


def _types(schema: dict) -> set:
    t = schema.get("type", ())
    return {t} if isinstance(t, str) else set(t)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# One representative per JSON type. The string is not numeric and not a boolean word, so
# that pydantic's lax mode cannot coerce it into an int/float/bool.
WRONG_TYPE_VALUES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "number": 2.5,
    "string": "zz-not-a-number",
    "array": [],
    "object": {},
}


def _paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _get(value: Any, path: tuple) -> Any:
    for p in path:
        value = value[p]
    return value


def replace_at(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return copy.deepcopy(new)
    out = copy.deepcopy(value)
    parent = _get(out, path[:-1])
    parent[path[-1]] = copy.deepcopy(new)
    return out


def type_mutations(instance: Any) -> list[tuple[tuple, str, Any]]:
    """(path, new JSON type, mutated instance) for every location and every other type.

    An integer is not replaced by a number or the reverse (JSON Schema treats ``1.0`` as
    an integer and every integer as a number, so that is no type change)."""
    out = []
    for path in _paths(instance):
        old = json_type(_get(instance, path))
        for new_type, new_value in WRONG_TYPE_VALUES.items():
            if new_type == old or {old, new_type} == {"integer", "number"}:
                continue
            out.append((path, new_type, replace_at(instance, path, new_value)))
    return out


def key_deletions(instance: Any) -> list[tuple[tuple, str, Any]]:
    """(path, "deleted", instance without that key) for every key of every object."""
    out = []
    for path in _paths(instance):
        if path and isinstance(path[-1], str):
            out_inst = copy.deepcopy(instance)
            del _get(out_inst, path[:-1])[path[-1]]
            out.append((path, "deleted", out_inst))
    return out


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # pydantic resolves RootModel[...] generics through sys.modules[module.__name__].
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
