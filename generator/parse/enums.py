"""Enum types: the values of an `enum` (null aside), their value kind, candidate names and
`x-speakeasy-enums` member names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..diagnostics import Code
from ..load import pointer_join
from ..model import ANY, EnumType, Ref, TypeRef
from ..naming import pascal
from .names import with_kind
from .registry import TypeRegistry
from .report import Problems
from .shapes import component_name, with_deprecation


def enum_type(node: dict, file: Path, pointer: str, hint: tuple[str, ...], key: str,
              registry: TypeRegistry, problems: Problems) -> TypeRef:
    """The type of a schema with an `enum` list: a named EnumType (registered under `key`),
    nullable when null is one of the values; Any when null is the only one."""
    values = [v for v in node["enum"] if v is not None]
    nullable = len(values) != len(node["enum"])
    if not values:
        return ANY.with_nullable(nullable)
    # a one-value enum is still an enum (a constant is spelled `const`)
    kinds = {type(v).__name__ for v in values}
    if kinds <= {"str"}:
        vk = "str"
    elif kinds <= {"int"}:
        vk = "int"
    elif kinds <= {"int", "float"}:
        vk = "float"
    else:
        problems.warn(file, pointer_join(pointer, "enum"),
                      "enum mixes value types; values are stringified", Code.ENUM_MIXED)
        values, vk = [str(v) for v in values], "str"
    seen: list[Any] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    cands = with_kind(hint or ("Enum",), "Enum")
    if (len(seen) == 1 and isinstance(seen[0], str) and pascal(seen[0]) != "Unnamed"
            and component_name(pointer) is None and hint
            # (not a union member already named after it)
            and not re.search(re.escape(pascal(seen[0])) + r"\d*$", hint[0])
            and not node.get("x-speakeasy-name-override")):
        # an inline one-value enum (a tag) whose name is taken is named after its
        # value, as the reference does (`ChatGenerationParamsIDAutoRouter`)
        cands = (cands[0], hint[0] + pascal(seen[0])) + cands[1:]
    registry.add(EnumType(key, cands,
                          with_deprecation(str(node.get("description", "") or ""), node),
                          tuple(seen), vk,
                          node.get("x-speakeasy-unknown-values") == "allow",
                          _enum_names(node, seen, file, pointer, problems)))
    return Ref(key, nullable=nullable)


def _enum_names(node: dict, kept: list[Any], file: Path, pointer: str,
                problems: Problems) -> tuple[str, ...]:
    """x-speakeasy-enums: member names, a list parallel to `enum` or a {name: value} map."""
    raw = node.get("x-speakeasy-enums")
    if raw is None:
        return ()
    names: dict[Any, str] = {}
    if isinstance(raw, list) and len(raw) == len(node.get("enum") or []):
        names = {v: str(n) for v, n in zip(node["enum"], raw) if v is not None}
    elif isinstance(raw, dict):
        names = {v: str(n) for n, v in raw.items() if isinstance(v, (str, int, float))}
    try:
        return tuple(names[v] for v in kept)
    except (KeyError, TypeError):
        problems.warn(file, pointer_join(pointer, "x-speakeasy-enums"),
                      "x-speakeasy-enums must name every enum value (a list as long as `enum`, "
                      "or a map of name to value); member names derived from the values",
                      Code.SPEAKEASY_EXTENSION)
        return ()
