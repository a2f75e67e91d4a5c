"""The schema parser: every Schema Object reachable from the document becomes a TypeRef
(`schema_type`). `$ref`s are followed (dangling ones, cycles and nesting too deep for
Python reported), scalars, lists, maps and tuples are typed here; objects, unions and enums
are built by `objects.py`, `unions.py` and `enums.py` into the type registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..diagnostics import Code
from ..inline_names import nullable_enum_copy
from ..load import Spec, pointer_join
from ..model import ANY, Const, ListOf, MapOf, NamedType, Ref, Scalar, TupleOf, TypeRef
from ..naming import pascal, singular
from .enums import enum_type
from .examples import Examples
from .names import InlineNames
from .objects import ObjectBuilder
from .registry import TypeRegistry, pointer_of
from .report import Problems
from .shapes import annotation_only, component_name, not_a_schema, strip_null
from .unions import UnionBuilder

# How deep inline schemas may nest (each level is a bracket or a class in the generated
# code: Python's parser stops at 200 nested brackets, and pydantic recurses per level).
MAX_INLINE_DEPTH = 64
# How deep schemas may nest through $refs on their first visit (a chain of components).
MAX_SCHEMA_DEPTH = 3000


class SchemaParser:
    """Types of schemas, built once each into `registry`. It is also the `BuildContext`
    (context.py) the modules by concern (streaming, pagination, security...) are given."""

    def __init__(self, spec: Spec, problems: Problems, registry: TypeRegistry,
                 examples: Examples, names: InlineNames):
        self.spec = spec
        self.problems = problems
        self.registry = registry
        self._following: list[tuple[str, int]] = []  # the $refs being followed (cycles)
        self._inline_depth = 0  # schemas nested since the last $ref
        self._depth = 0  # schemas nested in all
        self._roots: list[str] = []  # names of the root schemas being built (innermost last)
        self.objects = ObjectBuilder(spec, self.schema_type, registry, problems, examples, names)
        self.unions = UnionBuilder(spec, self.schema_type, self._schema_type_inner,
                                   self._rootless_type, registry, problems, names.reached)

    # ---- BuildContext ------------------------------------------------------------------
    @property
    def types(self) -> Mapping[str, NamedType]:
        return self.registry.types

    def warn(self, file: Path, pointer: str, message: str, code: Code) -> None:
        self.problems.warn(file, pointer, message, code)

    def error(self, file: Path, pointer: str, message: str, code: Code) -> None:
        self.problems.error(file, pointer, message, code)

    # ---- schemas -----------------------------------------------------------------------
    def schema_type(self, node: Any, file: Path, pointer: str, hint: tuple[str, ...]) -> TypeRef:
        if node is True or node is None or node == {}:
            return ANY
        if not isinstance(node, dict):
            self.warn(file, pointer, "schema is not an object; treated as Any", Code.SCHEMA_SHAPE)
            return ANY
        nullable = bool(node.get("nullable")) or node.get("x-nullable") is True
        if "$ref" in node and isinstance(node["$ref"], str):
            found = self._ref_target(node["$ref"], file, pointer)
            if found is None:
                return ANY
            target, tfile, tptr = found
            comp = component_name(tptr)
            ref_hint = (pascal(comp),) if comp else hint
            tkey = self.registry.key(tfile, tptr)
            # (key, types being built when it was entered): met again with no new type in
            # between, the references go round without ever defining a type
            self._following.append((tkey, self.registry.open_count()))
            inline, self._inline_depth = self._inline_depth, 0  # a named type starts afresh
            try:
                t = self.schema_type(target, tfile, tptr, ref_hint)
            finally:
                self._following.pop()
                self._inline_depth = inline
            return t.with_nullable() if nullable and not t.nullable else t
        # Inline models are named after the root schema they sit in (a component, a named
        # override, an operation's body or response), not their immediate parent (the
        # reference names `BadRequest.error.code` `BadRequestCode`).
        root = (component_name(pointer) is not None or not self._roots or bool(
            node.get("x-speakeasy-name-override")))
        if root:
            override = node.get("x-speakeasy-name-override")
            self._roots.append(pascal(override) if isinstance(override, str) and override.strip()
                               else (hint[0] if hint else "Object"))
        self._inline_depth += 1
        self._depth += 1
        try:
            if self._inline_depth > MAX_INLINE_DEPTH or self._depth > MAX_SCHEMA_DEPTH:
                self.error(file, pointer, self._too_deep_message(), Code.TOO_DEEP)
                return ANY
            t = self._schema_type_inner(node, file, pointer, hint)
        finally:
            self._inline_depth -= 1
            self._depth -= 1
            if root:
                self._roots.pop()
        if nullable and not t.nullable:
            t = t.with_nullable()
        return t

    def _rootless_type(self, node: Any, file: Path, pointer: str,
                       hint: tuple[str, ...]) -> TypeRef:
        """`schema_type` for a schema whose inline types are named without a root (a union
        member merging a schema no operation reaches on its own: unions.py)."""
        self._roots.append("")
        try:
            return self.schema_type(node, file, pointer, hint)
        finally:
            self._roots.pop()

    def _too_deep_message(self) -> str:
        if self._inline_depth > MAX_INLINE_DEPTH:
            return (f"inline schemas nest more than {MAX_INLINE_DEPTH} levels deep here "
                    "(properties, items, additionalProperties...): Python could not import "
                    "the generated annotations; give some of them a name in "
                    "components/schemas")
        return (f"schemas nest more than {MAX_SCHEMA_DEPTH} levels deep here through "
                "$refs; not generated")

    def _ref_target(self, ref: str, file: Path, pointer: str) -> tuple[Any, Path, str] | None:
        """The schema a `$ref` names; None (with an error located at the `$ref`) when it
        names nothing, something that is not a schema, or only itself."""
        at = pointer_join(pointer, "$ref")
        try:
            target, tfile, tptr = self.spec.resolve(ref, file)
        except KeyError as exc:
            self.error(file, at, str(exc).strip("'\""), Code.DANGLING_REF)
            return None
        wrong = not_a_schema(target, tptr, self.spec.documents.get(tfile))
        if wrong:
            self.error(file, at, f"$ref {ref!r} {wrong}", Code.REF_NOT_SCHEMA)
            return None
        tkey = self.registry.key(tfile, tptr)
        for i, (key, building) in enumerate(self._following):
            if key == tkey and building == self.registry.open_count():
                chain = " -> ".join(k for k, _ in self._following[i:])
                self.error(file, at, f"$ref cycle: {chain} -> {tkey} refers to itself without "
                           "ever defining a type", Code.REF_CYCLE)
                return None
        return target, tfile, tptr

    def _schema_type_inner(self, node: dict, file: Path, pointer: str,
                           hint: tuple[str, ...]) -> TypeRef:
        """The type of a schema that is no `$ref`. A named type is built once; a later use
        gets a reference to it, nullable when the schema itself admits null."""
        key = self.registry.key(file, pointer)
        building = self.registry.in_progress(key)
        if building is not None:
            if self.registry.union_contains_itself(key):
                # reached again with no model class in between: `U = Union[..., U]` (or
                # `List[U]`) is no type Python can define by assignment
                self.warn(file, pointer, "this union contains itself with no object in "
                          "between; the inner reference is typed Any", Code.UNION_CYCLE)
                return ANY
            return building
        if key in self.registry.types:
            return self.registry.ref(key)
        t = self._schema_type_new(node, file, pointer, hint, key)
        if isinstance(t, Ref) and t.key == key and t.nullable:
            self.registry.mark_nullable(key)
        return t

    def _object(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...],
                key: str) -> TypeRef:
        return self.objects.object_type(node, file, pointer, hint, key,
                                        self._roots[-1] if self._roots else None)

    def _union(self, node: dict, kw: str, members: list[Any], file: Path, pointer: str,
               hint: tuple[str, ...], key: str, synthetic: bool = False) -> TypeRef:
        return self.unions.union_type(node, kw, members, file, pointer, hint, key, synthetic)

    def _schema_type_new(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...],
                         key: str) -> TypeRef:
        override = node.get("x-speakeasy-name-override")
        if isinstance(override, str) and override.strip():
            hint = (pascal(override),)  # the class name the spec asks for
        if node.get("title") and component_name(pointer) is None:
            # A titled inline schema names a concept; specs like Stripe repeat the same one
            # inline in many operations. Identical copies share one type (and one name).
            same = self.registry.titled_twin(file, node, key)
            if same != key:
                return self._schema_type_inner(node, file, pointer_of(same), hint)

        if "allOf" in node and isinstance(node["allOf"], list):
            parts = node["allOf"]
            others = {k for k in node if k not in (
                "allOf", "description", "title", "nullable", "example", "examples", "default",
                "deprecated", "readOnly", "writeOnly") and not k.startswith("x-")}
            if len(parts) == 1 and not others:
                return self.schema_type(parts[0], file, pointer_join(pointer, "allOf", 0), hint)
            # `allOf: [{$ref: X}, {description: ...}]`: parts that only annotate (no type,
            # no properties) leave the one schema that says what the value is
            typed = [i for i, p in enumerate(parts) if not annotation_only(p)]
            if len(typed) == 1 and not others and len(parts) > 1:
                i = typed[0]
                nullable = any(isinstance(p, dict) and p.get("nullable") is True for p in parts)
                enum = nullable_enum_copy(self.spec, parts, file) if component_name(
                    pointer) is None else None
                if enum is not None:
                    # `allOf: [$ref: <enum>, nullable: true]` merges to a new schema, as in
                    # the reference: an enum of its own, named after the property (`Tokenizer`)
                    t = self._schema_type_inner(enum, file, pointer, hint)
                else:
                    t = self.schema_type(parts[i], file, pointer_join(pointer, "allOf", i),
                                         hint)
                return t.with_nullable(t.nullable or nullable or node.get("nullable") is True)
            return self._object(node, file, pointer, hint, key)

        for union_kw in ("oneOf", "anyOf"):
            if union_kw in node and isinstance(node[union_kw], list):
                members, has_null = strip_null(self.spec, node[union_kw], file)
                if not members:
                    if not node[union_kw]:
                        self.warn(file, pointer_join(pointer, union_kw),
                                  f"empty {union_kw}; treated as Any", Code.EMPTY_UNION)
                    return ANY.with_nullable(has_null)
                if "properties" in node and node.get("type") in (None, "object"):
                    # properties beside a union: the shared part; the object is what we model
                    return self._object(node, file, pointer, hint, key).with_nullable(has_null)
                if len(members) == 1:
                    idx = node[union_kw].index(members[0])
                    t = self.schema_type(members[0], file, pointer_join(pointer, union_kw, idx),
                                         hint)
                    return t.with_nullable(has_null or t.nullable)
                return self._union(node, union_kw, members, file, pointer, hint, key).with_nullable(
                    has_null)

        if "enum" in node and isinstance(node["enum"], list):
            return enum_type(node, file, pointer, hint, key, self.registry, self.problems)

        if "const" in node:
            return Const(node["const"])
        if node.get("x-stainless-const") and isinstance(node.get("default"), (str, int)):
            return Const(node["default"])

        typ = node.get("type")
        nullable = False
        if isinstance(typ, list):
            nullable = "null" in typ
            non_null = [t for t in typ if t != "null"]
            if len(non_null) == 1:
                typ = non_null[0]
            elif not non_null:
                return Scalar("none", nullable=True)
            else:
                sub = dict(node)
                sub.pop("type")
                members = [dict(sub, type=t) for t in non_null]
                return self._union({}, "anyOf", members, file, pointer, hint, key,
                                   synthetic=True).with_nullable(nullable)

        if typ == "object" or (typ is None and ("properties" in node or
                                                 "additionalProperties" in node)):
            if node.get("properties"):
                return self._object(node, file, pointer, hint, key).with_nullable(nullable)
            ap = node.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                val = self.schema_type(ap, file, pointer_join(pointer, "additionalProperties"),
                                       hint)
                return MapOf(val, nullable=nullable)
            return MapOf(ANY, nullable=nullable)
        if typ == "array" or (typ is None and ("items" in node or "prefixItems" in node)):
            items = node.get("items")
            if isinstance(node.get("prefixItems"), list) and node["prefixItems"]:
                return self._tuple(node, file, pointer, hint).with_nullable(nullable)
            if isinstance(items, list):  # tuple-style items (3.0 misuse); keep it loose
                self.warn(file, pointer_join(pointer, "items"),
                          "tuple-style items; elements typed as Any", Code.TUPLE_ITEMS)
                return ListOf(ANY, nullable=nullable)
            # an array's inline item type is named in the singular (`plugins` -> `Plugin`),
            # as the reference generator names it
            # (a component that is an array names its items itself: `AssistantMessageImages`)
            item_hint = hint if component_name(pointer) else tuple(singular(h) for h in hint)
            item_t = self.schema_type(items, file, pointer_join(pointer, "items"),
                                      item_hint) if (
                items is not None) else ANY
            return ListOf(item_t, nullable=nullable)
        if typ == "string":
            fmt = node.get("format", "")
            if not isinstance(fmt, str):  # (found by the fuzzer: a list here was a crash)
                self.warn(file, pointer_join(pointer, "format"),
                          f"`format` is a string; {fmt!r} ignored", Code.SCHEMA_SHAPE)
                fmt = ""
            scalar = {"date-time": "datetime", "date": "date", "binary": "bytes"}.get(fmt, "str")
            return Scalar(scalar, nullable=nullable)
        if typ == "integer":
            return Scalar("int", nullable=nullable)
        if typ == "number":
            return Scalar("float", nullable=nullable)
        if typ == "boolean":
            return Scalar("bool", nullable=nullable)
        if typ == "null":
            return Scalar("none", nullable=True)
        if typ is not None:
            self.warn(file, pointer_join(pointer, "type"), f"unknown type {typ!r}; treated as Any",
                      Code.UNKNOWN_TYPE)
        return ANY.with_nullable(nullable)

    def _tuple(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...]) -> TypeRef:
        """`prefixItems`: a tuple (one type per position) when no other item is allowed
        (`items: false`, or `maxItems` no more than the positions). pydantic has no tuple
        with a typed prefix and an open tail, so such an array stays a list of Any (a
        warning says so). Every position of a tuple must be present."""
        prefix, max_items = node["prefixItems"], node.get("maxItems")
        closed = node.get("items") is False or (isinstance(max_items, int) and not isinstance(
            max_items, bool) and max_items <= len(prefix))
        if not closed:
            self.warn(file, pointer_join(pointer, "prefixItems"), "prefixItems with an open "
                      "tail (no `items: false` or `maxItems`) cannot be typed as a tuple; "
                      "elements typed as Any", Code.PREFIX_ITEMS)
            return ListOf(ANY)
        base = hint[0] if hint else "Item"
        members = tuple(self.schema_type(p, file, pointer_join(pointer, "prefixItems", i),
                                         (f"{base}{i + 1}",)) for i, p in enumerate(prefix))
        return TupleOf(members)
