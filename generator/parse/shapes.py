"""What a Schema Object says, read from the node alone (or with its `$ref`s followed), before
any type is built: does it admit null, does it only annotate, is what a `$ref` reached a
schema at all. Pure functions: no state, no reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..load import Spec, unescape_pointer_token

# keywords that say what a value is (a property schema without any of them only annotates)
TYPE_KEYS = {"type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const", "properties", "items",
             "prefixItems", "additionalProperties", "not", "format"}
ANNOTATIONS = {"description", "title", "example", "examples", "default", "deprecated",
               "readOnly", "writeOnly", "nullable", "externalDocs"}


def annotation_only(part: Any) -> bool:
    """An allOf member that documents the value without constraining its type."""
    return isinstance(part, dict) and "$ref" not in part and all(
        k in ANNOTATIONS or k.startswith("x-") for k in part)


def strip_null(spec: Spec, members: list[Any], file: Path) -> tuple[list[Any], bool]:
    """The members of an `anyOf`/`oneOf` that are not null, and whether one was."""
    out, has_null = [], False
    for m in members:
        target = m
        if isinstance(m, dict) and "$ref" in m:
            try:
                target, _, _ = spec.deref(m, file, "#")
            except KeyError:
                target = m
        if isinstance(target, dict) and (target.get("type") == "null" or target.get(
                "enum") == [None] or (target.get("nullable") is True
                                      and annotation_only(target))):
            # (`{nullable: true}` alone: OpenAPI 3.0's way to add null to an anyOf)
            has_null = True
        else:
            out.append(m)
    return out, has_null


def admits_null(spec: Spec, node: dict, file: Path) -> bool:
    """Does this schema (no `$ref`) accept null, by `nullable`, `type`, `enum` or a null
    member of its `anyOf`/`oneOf`."""
    typ = node.get("type")
    if node.get("nullable") is True or node.get("x-nullable") is True or typ == "null" or (
            isinstance(typ, list) and "null" in typ):
        return True
    if isinstance(node.get("enum"), list) and None in node["enum"]:
        return True
    return any(isinstance(node.get(kw), list) and strip_null(spec, node[kw], file)[1]
               for kw in ("anyOf", "oneOf"))


def not_a_schema(target: Any, pointer: str, doc: Any) -> str:
    """Why the value a `$ref` reached cannot be a Schema Object ("" when it can): a schema is
    a mapping or a boolean; in an OpenAPI document it lives in `components/schemas`, under a
    `schema` field, in `$defs` or in an extension."""
    if not isinstance(target, (dict, bool)):
        return f"points at a {type(target).__name__} ({pointer}), not a schema"
    root = getattr(doc, "data", None)
    if not (isinstance(root, dict) and "openapi" in root):
        return ""  # a file of schemas: anything in it may be one
    tokens = [unescape_pointer_token(t) for t in pointer.lstrip("#").split("/")[1:]]
    if not tokens:
        return "points at the whole OpenAPI document, not a schema"
    if tokens[0].startswith("x-") or any(t in ("schema", "$defs", "definitions") for t in tokens):
        return ""
    if any(t == "schemas" and i + 1 < len(tokens) for i, t in enumerate(tokens)):
        return ""
    return f"points at {pointer} of the OpenAPI document, which is not a schema"


def component_name(pointer: str) -> str | None:
    """`#/components/schemas/<name>` -> the name; None for any other pointer."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas":
        return parts[3].replace("~1", "/").replace("~0", "~")
    return None


def canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, default=str)


def with_deprecation(desc: str, node: dict) -> str:
    """x-speakeasy-deprecation-message joins the description (docstrings and docs)."""
    msg = node.get("x-speakeasy-deprecation-message")
    if not msg:
        return desc
    note = f"Deprecated: {msg}"
    return f"{desc}\n\n{note}" if desc.strip() else note


def as_mapping(node: Any) -> dict:
    """`node` when it is a mapping, else an empty one (a field of the wrong shape)."""
    return node if isinstance(node, dict) else {}
