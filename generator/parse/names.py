"""Candidate names of the types the front end builds from inline schemas (the naming stage
picks the final ones): after the property, the parameter, the shared body or response, the
union member's tag, in the singular for array items, as the reference generator names them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..inline_names import bare_name_wants, module_key, numbered_duplicates, wanted_name
from ..load import Spec
from ..naming import pascal


class InlineNames:
    """What inline names depend on, read from the whole spec before the build: which bare
    property names inline schemas want (inline_names.py; one wanted once names its inline
    type alone, else the root schema's name qualifies it), the schemas operations reach, and
    how many Parameter Objects declare each parameter name."""

    def __init__(self, spec: Spec, names_by_module: bool = False):
        self.by_module = names_by_module
        self.reached: set[tuple[Path, str]] = set()  # schemas operations reach by `$ref`
        # bare property name -> how many inline schemas want it (one may take it)
        self.bare_wants = bare_name_wants(spec, names_by_module, self.reached)
        # parameter name -> how many Parameter Objects define it: a name several define
        # gets its inline enum named after the operation (`ListDocumentsOrderBy`)
        self.param_counts = Counter(parameter_names(spec.root))

    def inline_candidates(self, parent: tuple[str, ...], prop: str,
                          node: Any = None, key: str = "") -> tuple[str, ...]:
        """The bare property name when no other schema wants it (inline_names.py), then
        the root schema's name and the property's (`node`: the property's schema, `key`:
        its registry key)."""
        bare, qualified = pascal(prop), (parent[0] if parent else "") + pascal(prop)
        wanted = module_key(wanted_name(node, prop)[0], key, self.by_module)
        if self.bare_wants.get(wanted, 0) <= 1:
            return (bare, qualified) if qualified != bare else (bare,)
        return (qualified,)

    def parameter_candidates(self, pname: str, pascal_id: str) -> tuple[str, ...]:
        """The names of a parameter's inline type (`pascal_id`: its operation's)."""
        return (pascal_id + pascal(pname), pascal(pname)) if (
            self.param_counts.get(pname, 0) > 1) else (pascal(pname), pascal_id + pascal(pname))


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
    one-value enum, or an inline object (an allOf seen merged) whose tag property (the same
    one in every inline object member, required or not) is a one-value enum. A value several
    members share is numbered (`message1`, `message2`)."""
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
            if all(one_value(o["properties"].get(prop))
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
    if any(not pascal(v) for v in named):
        return [""] * len(members)
    return numbered_duplicates(out)


def with_kind(candidates: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """Add `<name><Kind>` candidates (`SubscriptionScheduleUnion`), tried before a number is
    appended when an inline schema's name is already taken (often by the component it wraps)."""
    extra = tuple(c + kind for c in candidates if not c.endswith(kind))
    return candidates + tuple(e for e in extra if e not in candidates)
