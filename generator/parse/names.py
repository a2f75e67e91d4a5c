"""Candidate names of the types the front end builds from inline schemas (the naming stage
picks the final ones): after the property, the parameter, the shared body or response, the
union member's tag, in the singular for array items, as the reference generator names them."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from ..naming import pascal
from .shapes import SCHEMA_SKIP, refers_only


class InlineNames:
    """The counts over the whole document that inline names depend on: a property or
    parameter name declared once names its inline type alone, one declared more often
    with its parent's name."""

    def __init__(self, root: Any):
        self.prop_counts = Counter(property_names(root))
        # parameter name -> how many Parameter Objects define it: a name several define
        # gets its inline enum named after the operation (`ListDocumentsOrderBy`)
        self.param_counts = Counter(parameter_names(root))

    def inline_candidates(self, parent: tuple[str, ...], prop: str) -> tuple[str, ...]:
        qualified = (parent[0] if parent else "") + pascal(prop)
        if self.prop_counts.get(prop, 0) <= 1:
            return (pascal(prop), qualified) if qualified != pascal(prop) else (pascal(prop),)
        return (qualified,)

    def parameter_candidates(self, pname: str, pascal_id: str) -> tuple[str, ...]:
        """The names of a parameter's inline type (`pascal_id`: its operation's)."""
        return (pascal_id + pascal(pname), pascal(pname)) if (
            self.param_counts.get(pname, 0) > 1) else (pascal(pname), pascal_id + pascal(pname))


def property_names(node: Any) -> Iterable[str]:
    """Every property name declared by any schema in the document (for inline naming)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            props = n.get("properties")
            if isinstance(props, dict):
                # (a property that only `$ref`s a schema defines no inline type)
                yield from (str(k) for k, v in props.items() if not refers_only(v))
            for k, v in n.items():
                if isinstance(v, (dict, list)) and k not in SCHEMA_SKIP and not str(
                        k).startswith("x-"):
                    stack.append(v)
        elif isinstance(n, list):
            stack.extend(v for v in n if isinstance(v, (dict, list)))


def parameter_names(root: Any) -> Iterable[str]:
    """The name of every Parameter Object written in the document (a shared one once)."""
    comps = (root.get("components") or {}) if isinstance(root, dict) else {}
    shared = comps.get("parameters") if isinstance(comps, dict) else None
    if isinstance(shared, dict):
        yield from (str(p.get("name")) for p in shared.values() if isinstance(p, dict))
    paths = root.get("paths") if isinstance(root, dict) else None
    for item in (paths.values() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        lists = [item.get("parameters")] + [op.get("parameters") for op in item.values()
                                            if isinstance(op, dict)]
        for plist in lists:
            for p in plist if isinstance(plist, list) else ():
                if isinstance(p, dict) and "$ref" not in p and "name" in p:
                    yield str(p["name"])


def shared_name(pointer: str, section: str) -> str:
    """`#/components/<section>/<name>` -> PascalCase name: an inline body schema of a
    shared request body or response is named after it (the reference's OrderTrackRequestBody),
    not after the operation."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] == "components" and parts[2] == section:
        return pascal(parts[3].replace("~1", "/").replace("~0", "~"))
    return ""


def member_tags(members: list[Any]) -> list[str]:
    """Per union member, the constant that tells it apart ("" when none): a member that is a
    one-value enum, or an inline object whose required tag property (the same one in every
    inline object member) is a one-value enum. Only when all such values differ."""
    def one_value(node: Any) -> str:
        if isinstance(node, dict) and isinstance(node.get("enum"), list) and len(
                node["enum"]) == 1 and isinstance(node["enum"][0], str):
            return str(node["enum"][0])
        if isinstance(node, dict) and isinstance(node.get("const"), str):
            return str(node["const"])
        return ""

    inline = [m for m in members if isinstance(m, dict) and "$ref" not in m]
    objects = [m for m in inline if isinstance(m.get("properties"), dict)]
    tag_prop = ""
    if objects:
        for prop in objects[0]["properties"]:
            if all(prop in (o.get("required") or []) and one_value(o["properties"].get(prop))
                   for o in objects):
                tag_prop = prop
                break
    out = []
    for m in members:
        value = ""
        if isinstance(m, dict) and "$ref" not in m:
            if isinstance(m.get("properties"), dict):
                value = one_value(m["properties"].get(tag_prop)) if tag_prop else ""
            else:
                value = one_value(m)
        out.append(value)
    named = [v for v in out if v]
    if len(set(named)) != len(named) or any(not pascal(v) for v in named):
        return [""] * len(members)
    return out


def singular(name: str) -> str:
    """`Plugins` -> `Plugin`, `Modalities` -> `Modality`, `Statuses` -> `Status`: the last
    word of a PascalCase name in the singular (plain English rules; unknown forms kept)."""
    low = name.lower()
    if low.endswith("ies") and len(name) > 4:
        return name[:-3] + ("Y" if name[-3].isupper() else "y")
    for tail in ("sses", "xes", "ches", "shes", "uses"):
        if low.endswith(tail):
            return name[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(name) > 2:
        return name[:-1]
    return name


def with_kind(candidates: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """Add `<name><Kind>` candidates (`SubscriptionScheduleUnion`), tried before a number is
    appended when an inline schema's name is already taken (often by the component it wraps)."""
    extra = tuple(c + kind for c in candidates if not c.endswith(kind))
    return candidates + tuple(e for e in extra if e not in candidates)
