"""Which types claim class names first, and when an inline schema may take the bare name of
its property (`Code`) instead of the one qualified by its root schema
(`ResponsesErrorFieldCode`).

The rule, learnt from the commercial generator's output on five public SDKs:
- an inline schema takes the bare (PascalCase) name of its property when it is the only
  schema of the SDK that wants that name: properties typed by a `$ref` or a scalar define no
  type and do not count, nor do schemas no operation reaches (the reference generates only
  those); a property a schema inherits through `allOf` counts once per schema, as each gets
  its own copy;
- a component's own name is never taken by an inline schema, and types that operations
  reach claim names before those they do not (reach.py, the naming stage's order).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .load import Spec
from .naming import pascal, singular

_HTTP = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NOT_SCHEMAS = {"example", "examples", "default", "const", "enum", "discriminator"}
_ANNOTATIONS = {"description", "title", "example", "examples", "default", "deprecated",
                "readOnly", "writeOnly", "nullable", "externalDocs"}


def bare_name_wants(spec: Spec, by_module: bool = False,
                    reached_schemas: set[tuple[Path, str]] | None = None) -> dict[str, int]:
    """How many inline schemas want each bare property name (`Code`; `Logprob` for the
    items of `logprobs`): those operations reach, or, for a name none of them wants, all
    (components no operation uses are generated too). Read from the spec before the build,
    which names the schemas as it meets them. `by_module` (gen.yaml puts component schemas
    and operation-level models in modules of their own): counted per module, keyed
    `<module>:<name>` (see `module_key`), as the reference names each module apart.
    `reached_schemas` gets the (file, pointer) of the schemas operations reach through a
    `$ref` of their own (not only as a part an allOf merges: the reference generates no
    type for those)."""
    seen: set[tuple[Path, str]] = set()
    reached = _wants(spec, _operation_roots(spec), by_module, seen)
    if reached_schemas is not None:
        reached_schemas |= seen
    components = (spec.root.get("components") or {}) if isinstance(spec.root, dict) else {}
    schemas = components.get("schemas") if isinstance(components, dict) else None
    refs = [({"$ref": "#/components/schemas/" + _escape(str(k))}, spec.root_path, "#")
            for k in (schemas if isinstance(schemas, dict) else ())]
    # the others: the schemas no operation reaches (those reached are walked once)
    every = reached + _wants(spec, refs, by_module, set(seen))
    return {name: reached.get(name) or n for name, n in every.items()}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _operation_roots(spec: Spec) -> list[tuple[Any, Path, str]]:
    todo: list[tuple[Any, Path, str]] = []
    root = spec.root
    paths = root.get("paths") if isinstance(root, dict) else None
    for key, item in (paths or {}).items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        ptr = "#/paths/" + _escape(str(key))
        if "$ref" in item:
            todo.append((item, spec.root_path, ptr))
            continue
        todo.append((item.get("parameters"), spec.root_path, ptr + "/parameters"))
        for method in _HTTP:
            op = item.get(method)
            if isinstance(op, dict) and op.get("x-speakeasy-ignore") is not True:
                todo.append((op, spec.root_path, f"{ptr}/{method}"))
    hooks = root.get("webhooks") if isinstance(root, dict) else None
    if isinstance(hooks, dict):
        todo.append((hooks, spec.root_path, "#/webhooks"))
    return todo


def module_key(name: str, pointer: str, by_module: bool) -> str:
    """The key a bare name is counted under: per module (component schemas, or the
    operation-level models) when gen.yaml separates them."""
    if not by_module:
        return name
    return ("components:" if pointer.startswith("#/components/schemas/") else "operations:") + name


def _wants(spec: Spec, todo: list[tuple[Any, Path, str]], by_module: bool,
           seen: set[tuple[Path, str]] | None = None) -> Counter[str]:
    """Bare names wanted by the inline schemas met from `todo`, following `$ref`s (the
    schemas a `$ref` reaches, not only as a part an allOf merges, are added to `seen`)."""
    wants: Counter[str] = Counter()
    seen = set() if seen is None else seen
    copied: set[tuple[str, Path, str]] = set()  # (merging schema, merged schema)
    while todo:
        node, file, ptr = todo.pop()
        if isinstance(node, list):
            todo.extend((v, file, f"{ptr}/{i}") for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$ref"), str):
            try:
                target, tfile, tptr = spec.resolve(node["$ref"], file)
            except KeyError:
                continue
            if (tfile, tptr) not in seen:
                seen.add((tfile, tptr))
                todo.append((target, tfile, tptr))
            continue
        props = node.get("properties")
        if isinstance(props, dict):
            for name, pnode in props.items():
                wants.update(module_key(n, ptr, by_module)
                             for n in _wanted(spec, pnode, file, str(name)))
        for k, v in node.items():
            if k == "allOf" and _merges(node):
                # the schemas an allOf merges are not types of their own: the merged schema
                # gets a copy of their properties (walked once per merging schema)
                for i, part in enumerate(v):
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        try:
                            target, tfile, tptr = spec.resolve(part["$ref"], file)
                        except KeyError:
                            continue
                        if (ptr, tfile, tptr) not in copied:
                            copied.add((ptr, tfile, tptr))
                            todo.append((_without(target, _redeclared(spec, node, i, file)),
                                         tfile, tptr))
                    else:
                        todo.append((part, file, f"{ptr}/allOf/{i}"))
            elif k not in _NOT_SCHEMAS and not str(k).startswith("x-"):
                todo.append((v, file, f"{ptr}/{k}"))
    return wants


def wanted_name(node: Any, prop: str) -> tuple[str, Any]:
    """The bare name a property's inline schema is offered (the singular for an array's
    items, the property's own for a map's values), and the schema that gets it."""
    name = pascal(prop)
    for _ in range(8):  # arrays of arrays
        if not isinstance(node, dict) or "$ref" in node:
            break
        if node.get("type") == "array" or "items" in node:
            node, name = node.get("items"), singular(name)
            continue
        ap = node.get("additionalProperties")
        if not node.get("properties") and isinstance(ap, dict):
            node = ap
            continue
        break
    return name, node


def _wanted(spec: Spec, node: Any, file: Path, prop: str) -> list[str]:
    """The bare name an inline property schema wants, if it defines a named type."""
    name, inner = wanted_name(node, prop)
    if not isinstance(inner, dict) or inner.get("x-speakeasy-ignore") is True:
        return []
    if isinstance(inner.get("allOf"), list) and nullable_enum_copy(spec, inner["allOf"], file):
        return [name]
    return [name] if _defines_type(inner) else []


def nullable_enum_copy(spec: Spec, parts: list[Any], file: Path) -> dict | None:
    """`allOf: [{$ref: <an enum>}, {nullable: true}]` (and annotations): the enum schema,
    which the reference merges into a type of the property's own; else None."""
    typed = _typed(parts)
    if len(typed) != 1 or not isinstance(typed[0], dict) or "$ref" not in typed[0] or not any(
            isinstance(p, dict) and p.get("nullable") is True for p in parts):
        return None
    try:
        target, _, _ = spec.deref(typed[0], file, "")
    except KeyError:
        return None
    if isinstance(target, dict) and isinstance(target.get("enum"), list) and not target.get(
            "properties"):
        return target
    return None


def _merges(node: dict) -> bool:
    """An allOf that makes a schema of its own (more than one part that says what the
    value is), not one that annotates a single `$ref`."""
    parts = node.get("allOf")
    return isinstance(parts, list) and len(_typed(parts)) > 1


def _typed(parts: list[Any]) -> list[Any]:
    return [p for p in parts if not (isinstance(p, dict) and "$ref" not in p and all(
        k in _ANNOTATIONS or str(k).startswith("x-") for k in p))]


def _defines_type(node: dict) -> bool:
    """Does this (not `$ref`) schema become a named type: an enum, an object with
    properties, a union of several members, an allOf that does more than annotate a
    `$ref`."""
    if "$ref" in node:
        return False
    parts = node.get("allOf")
    if isinstance(parts, list) and parts:
        typed = _typed(parts)
        if len(typed) == 1:
            return isinstance(typed[0], dict) and _defines_type(typed[0])
        return True
    for kw in ("oneOf", "anyOf"):
        members = node.get(kw)
        if isinstance(members, list):
            kept = [m for m in members if not (isinstance(m, dict) and (
                m.get("type") == "null" or m == {"nullable": True}))]
            if len(kept) == 1:
                return isinstance(kept[0], dict) and _defines_type(kept[0])
            if kept:
                return True
    enum = node.get("enum")
    if isinstance(enum, list) and any(v is not None for v in enum):
        return True
    return bool(node.get("properties")) and node.get("type") in (None, "object")


def merged_view(spec: Spec, node: Any, file: Path) -> Any:
    """An inline allOf as the object it merges to (its parts' properties and required
    names, `$ref`s followed), so that a union member written `allOf: [$ref, {...}]` is told
    apart by its tag like any inline object; any other node unchanged."""
    if not isinstance(node, dict) or "$ref" in node or not isinstance(node.get("allOf"), list):
        return node
    props: dict[str, Any] = {}
    required: list[Any] = []
    stack: list[tuple[Any, Path, int]] = [(node, file, 0)]
    seen: set[tuple[Path, str]] = set()  # (each merged schema once: no blow-up, no cycle)
    while stack:
        part, pfile, depth = stack.pop(0)
        if depth > 8:
            continue
        try:
            part, pfile, pptr = spec.deref(part, pfile, "")
        except KeyError:
            continue
        if not isinstance(part, dict) or (pptr and (pfile, pptr) in seen):
            continue
        if pptr:
            seen.add((pfile, pptr))
        props.update(part.get("properties") or {})
        required += part.get("required") or []
        stack += [(p, pfile, depth + 1) for p in part.get("allOf") or []]
    return {"type": "object", "properties": props, "required": required} if props else node


def numbered_duplicates(tags: list[str]) -> list[str]:
    """Union members' tags, a tag several members share numbered in order (`message1`,
    `message2`: the reference's `OpenAIResponsesInputMessage1`, `...Message2`); "" stays."""
    counts = Counter(t for t in tags if t)
    seen: Counter[str] = Counter()
    out = []
    for t in tags:
        if t and counts[t] > 1:
            seen[t] += 1
            t = f"{t}{seen[t]}"
        out.append(t)
    return out


def _redeclared(spec: Spec, node: dict, index: int, file: Path) -> set[str]:
    """Properties a merging schema declares after its allOf part `index` (in later parts,
    or its own `properties`): they replace the part's (whose types are then never used)."""
    names = set(node.get("properties") or {})
    for part in node["allOf"][index + 1:]:
        try:
            part, _, _ = spec.deref(part, file, "")
        except KeyError:
            continue
        if isinstance(part, dict):
            names |= {str(k) for k, v in (part.get("properties") or {}).items()
                      if isinstance(v, dict) and ("$ref" in v or "type" in v or "allOf" in v
                                                  or "anyOf" in v or "oneOf" in v)}
    return names


def _without(schema: Any, props: set[str]) -> Any:
    if not props or not isinstance(schema, dict) or not isinstance(schema.get("properties"),
                                                                    dict):
        return schema
    return {**schema, "properties": {k: v for k, v in schema["properties"].items()
                                     if k not in props}}


def merges_unreached(spec: Spec, node: Any, file: Path, reached: set[tuple[Path, str]]) -> bool:
    """An inline allOf that merges a schema operations do not reach on their own (the
    reference's stream events: `allOf: [$ref: CreatedEvent, {...}]`)."""
    if not isinstance(node, dict) or "$ref" in node or not _merges(node):
        return False
    for part in node["allOf"]:
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            try:
                _, tfile, tptr = spec.resolve(part["$ref"], file)
            except KeyError:
                continue
            if (tfile, tptr) not in reached:
                return True
    return False
