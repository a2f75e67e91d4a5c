"""Union types: the members of a `oneOf`/`anyOf` (or of a `type` list), their candidate
names, and the discriminator's mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..context import SchemaType
from ..diagnostics import Code
from ..inline_names import merged_view, merges_unreached
from ..load import Spec, pointer_join
from ..model import ObjectType, Ref, TypeRef, UnionType
from ..naming import pascal
from .names import member_tags, with_kind
from .registry import TypeRegistry
from .report import Problems
from .shapes import admits_null, component_name


class UnionBuilder:
    def __init__(self, spec: Spec, schema_type: SchemaType, member_type: SchemaType,
                 rootless_type: SchemaType, registry: TypeRegistry, problems: Problems,
                 reached: set[tuple[Path, str]]):
        """`member_type`: the type of a member of a `type` list (a copy of the schema with
        one type), which is no schema of the document: no nesting level, no root of its own.
        `rootless_type`: `schema_type` naming the inline types inside without a root.
        `reached`: the schemas operations reach through a `$ref` (names.InlineNames)."""
        self.spec = spec
        self.schema_type = schema_type
        self.member_type = member_type
        self.rootless_type = rootless_type
        self.registry = registry
        self.problems = problems
        self.reached = reached

    def union_type(self, node: dict, kw: str, members: list[Any], file: Path, pointer: str,
                   hint: tuple[str, ...], key: str, synthetic: bool = False) -> TypeRef:
        """The UnionType of `members` (`node[kw]` without null, or with `synthetic` one per
        type of a `type` list), registered under `key`; a reference to it."""
        ref = Ref(key)
        # a reference met while the type is built (recursion) admits null as the schema does
        with self.registry.building_union(key, ref.with_nullable(admits_null(self.spec, node,
                                                                             file))):
            base = hint or ("Union",)
            originals = node.get(kw, members) if not synthetic else members
            member_types: list[TypeRef] = []
            numbered = False
            tags = member_tags([merged_view(self.spec, m, file) for m in members])
            for i, m in enumerate(members):
                idx = originals.index(m) if m in originals else i
                mptr = pointer_join(pointer, kw, idx) if not synthetic else pointer
                if isinstance(m, dict) and "$ref" not in m and m.get("title"):
                    mhint: tuple[str, ...] = (pascal(str(m["title"])),)
                elif tags[i]:
                    # an untitled member told apart by a constant (its one enum value, or its
                    # tag property's): named after it, as the reference names it
                    mhint = (f"{base[0]}{pascal(tags[i])}", f"{base[0]}{i + 1}")
                    numbered = True
                elif isinstance(m, dict) and "$ref" not in m and (
                        m.get("type") == "array" or "items" in m):
                    # an array member: its items are named after the union (the reference's
                    # `OpenAIResponsesInputUnion1` items and `OpenAIResponsesInputMessage1`)
                    mhint = (base[-1], f"{base[0]}{i + 1}")
                else:
                    mhint = (f"{base[0]}{i + 1}",)
                    numbered = numbered or (isinstance(m, dict) and "$ref" not in m and (
                        m.get("type") == "object" or "properties" in m))
                if synthetic:
                    mt = self.member_type(m, file, f"{pointer}/@{m.get('type')}", mhint)
                elif merges_unreached(self.spec, m, file, self.reached):
                    # a member merging a schema no operation reaches on its own: its inline
                    # types are named without a root, as in the reference
                    # (`TypeResponseCreated`, `Part1`)
                    mt = self.rootless_type(m, file, mptr, mhint)
                else:
                    mt = self.schema_type(m, file, mptr, mhint)
                if mt not in member_types:
                    member_types.append(mt)
            raw_disc = node.get("discriminator")
            disc: dict[str, Any] = raw_disc if isinstance(raw_disc, dict) else {}
            mapping: list[tuple[str, str]] = []
            raw_mapping = disc.get("mapping") or {}
            if not isinstance(raw_mapping, dict):  # (found by the fuzzer: a string crashed)
                self.problems.warn(file, pointer_join(pointer, "discriminator", "mapping"),
                                   "a discriminator mapping is an object of value -> schema; "
                                   f"{raw_mapping!r} ignored", Code.SCHEMA_SHAPE)
                raw_mapping = {}
            for value, target in raw_mapping.items():
                try:
                    _, tfile, tptr = self.spec.resolve(str(target), file) if str(target).startswith(
                        ("#", ".", "/")) or "#" in str(target) else self.spec.resolve(
                        f"#/components/schemas/{target}", file)
                    mapping.append((str(value), self.registry.key(tfile, tptr)))
                except KeyError as exc:
                    self.problems.warn(file, pointer_join(pointer, "discriminator", "mapping",
                                                          value), str(exc), Code.DANGLING_REF)
            # numbered members (Name1, Name2) make the union itself NameUnion, but a component
            # whose members are all objects keeps its name (the reference does so)
            types = self.registry.types
            objects = all(isinstance(types.get(t.key), ObjectType) for t in member_types
                          if isinstance(t, Ref)) and all(isinstance(t, Ref) for t in member_types)
            if numbered and not (objects and component_name(pointer) is not None):
                cands = tuple(c + "Union" for c in base) + base
            else:
                cands = with_kind(base, "Union")
            self.registry.add(UnionType(key, cands, str(node.get("description", "") or ""),
                                        tuple(member_types), str(disc.get("propertyName", "")),
                                        tuple(mapping)))
        return ref
