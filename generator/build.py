"""Stage 3: turn the loaded spec into the intermediate model (`model.py`).

Every schema reachable from an operation becomes a TypeRef; objects, enums and unions
become named types with candidate names (the naming stage picks the final ones).
Nothing is dropped silently: whatever cannot be represented exactly is reported with
its pointer and degraded to `Any`, and the operation is still generated.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .conformance import value_checker
from .connection import operation_servers, retries, server_ids
from .diagnostics import ERROR, WARNING, Diagnostic, SpecError
from .inline_names import (
    bare_name_wants,
    merged_view,
    merges_unreached,
    module_key,
    nullable_enum_copy,
    numbered_duplicates,
    wanted_name,
)
from .load import (
    Spec,
    path_template_names,
    pointer_join,
    split_path_key,
    unescape_pointer_token,
)
from .media import (
    SSE,
    essence,
    examples_are_json,
    is_json,
    is_jsonl,
    request_content_type,
    response_at,
    response_content_type,
    success_code,
)
from .model import (
    ANY,
    CONST,
    LIST,
    MAP,
    REF,
    SCALAR,
    TUPLE,
    Api,
    Callback,
    EnumType,
    ErrorResponse,
    Field,
    NamedType,
    ObjectType,
    Operation,
    Parameter,
    RequestBody,
    Retries,
    SecurityScheme,
    StreamInfo,
    TypeRef,
    UnionType,
)
from .namespaces import check_method_names, namespace_tree
from .naming import pascal, singular, snake
from .pagination import pagination
from .security import requirements, security_schemes
from .streaming import alternate_stream, stream_info
from .validate import HTTP_METHODS

# keywords that say what a value is (a property schema without any of them only annotates)
_TYPE_KEYS = {"type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const", "properties", "items",
              "prefixItems", "additionalProperties", "not", "format"}


class Builder:
    def __init__(self, spec: Spec, names_by_module: bool = False):
        self.spec = spec
        self.root = spec.root
        self.types: dict[str, NamedType] = {}
        self._building: dict[str, TypeRef] = {}
        self._nullable: set[str] = set()  # keys of named types whose schema admits null
        self._fits: Callable[[Any, Any, Path, str], bool] | None = None  # value_checker
        self._following: list[tuple[str, int]] = []  # the $refs being followed (cycles)
        self._inline_depth = 0  # schemas nested since the last $ref
        self._depth = 0  # schemas nested in all
        self._objects_open = 0  # object types being built (model classes break type cycles)
        self._open_unions: dict[str, int] = {}  # union being built -> _objects_open then
        self._titled: dict[tuple[Path, str], str] = {}  # (file, canonical JSON) -> type key
        # (severity, file, pointer, message, code), located once the build is done (`located`)
        self.problems: list[tuple[str, Path, str, str, str]] = []
        self.error_keys: set[str] = set()
        # bare property name -> how many inline schemas want it (one may take it)
        self.by_module = names_by_module
        self.reached: set[tuple[Path, str]] = set()  # schemas operations reach by `$ref`
        self.bare_wants = bare_name_wants(spec, names_by_module, self.reached)
        # parameter name -> how many Parameter Objects define it: a name several define
        # gets its inline enum named after the operation (`ListDocumentsOrderBy`)
        self.param_counts = Counter(_parameter_names(self.root))
        self._roots: list[str] = []  # names of the root schemas being built (innermost last)
        self._quiet = 0  # > 0: building a copy of a schema whose problems are reported already
        self.is_31 = str(self.root.get("openapi", "")).startswith("3.1")
        # the declared security schemes the SDK can send, by name (read first in `build`)
        self._schemes: dict[str, SecurityScheme] = {}

    # ---- diagnostics -------------------------------------------------------------------
    def _diag(self, severity: str, file: Path, pointer: str, message: str, code: str) -> None:
        if self._quiet:
            return
        self.problems.append((severity, file, pointer, message, code))

    def located(self) -> list[Diagnostic]:
        """The problems found, as diagnostics with their file and line.

        Lines are looked up here, from a shallow stack, not where a problem is found deep in
        the recursion over schemas: the first lookup may compose the YAML node tree, for
        which libyaml calls into Python for every node; from a deep stack that ends right
        at a boundary of CPython's frame-stack chunks, every such call allocates and frees
        a chunk (composing Stripe's spec then took 9 s instead of 1)."""
        return [self.spec.diag(*problem) for problem in dict.fromkeys(self.problems)]

    def follow(self, node: Any, file: Path, pointer: str) -> tuple[Any, Path, str] | None:
        """`$ref`s followed to the node they name; a dangling one is an error (None)."""
        try:
            return self.spec.deref(node, file, pointer)
        except KeyError as exc:
            self.error(file, pointer_join(pointer, "$ref"), str(exc), "dangling-ref")
            return None

    def warn(self, file: Path, pointer: str, message: str, code: str) -> None:
        self._diag(WARNING, file, pointer, message, code)

    def error(self, file: Path, pointer: str, message: str, code: str) -> None:
        self._diag(ERROR, file, pointer, message, code)

    # ---- helpers -----------------------------------------------------------------------
    def _key(self, file: Path, pointer: str) -> str:
        if file == self.spec.root_path:
            return pointer
        try:
            rel = file.relative_to(self.spec.root_path.parent)
        except ValueError:
            rel = file
        return f"{rel.as_posix()}{pointer}"

    @staticmethod
    def _component_name(pointer: str) -> str | None:
        parts = pointer.split("/")
        if len(parts) == 4 and parts[1] == "components" and parts[2] == "schemas":
            return parts[3].replace("~1", "/").replace("~0", "~")
        return None

    def _example(self, node: dict, file: Path, pointer: str, schema: Any = None,
                 schema_ptr: str = "", reported: bool = True) -> tuple[bool, Any]:
        """The first example of `node` (its `example`, then each of its `examples` list)
        that conforms to its schema: `node` itself, unless `schema` (at `schema_ptr`) is
        given. A value that fails its schema is never shown or used (a usage snippet with
        it would raise); the validate stage reports it where it checks it (`reported`),
        this stage elsewhere."""
        values = [(node["example"], pointer_join(pointer, "example"), reported)] if (
            "example" in node) else []
        listed = node.get("examples")
        if isinstance(listed, list):
            # 3.0 schemas have no `examples` keyword: validate leaves such a list alone
            listed_reported = reported and not (schema is None and str(self.root.get(
                "openapi", "")).startswith("3.0"))
            values += [(v, pointer_join(pointer, "examples", i), listed_reported)
                       for i, v in enumerate(listed)]
        if schema is None:
            schema, schema_ptr = node, pointer
        return self._first_fitting(values, file, schema, schema_ptr)

    def _first_fitting(self, values: list[tuple[Any, str, bool]], file: Path, schema: Any,
                       schema_ptr: str) -> tuple[bool, Any]:
        """The first value that fits the schema; (value, where, validate reports it)."""
        for value, where, reported in values:
            if not isinstance(schema, (dict, bool)):
                return True, value
            if self._fits is None:
                self._fits = value_checker(self.spec)
            if self._fits(value, schema, file, schema_ptr):
                return True, value
            if not reported:
                self.warn(file, where, "example does not match its schema; it is not used in "
                          "the docs or usage snippets", "example-mismatch")
        return False, None

    def inline_candidates(self, parent: tuple[str, ...], prop: str,
                          node: Any = None, key: str = "") -> tuple[str, ...]:
        """The bare property name when no other schema wants it (inline_names.py), then
        the root schema's name and the property's."""
        bare, qualified = pascal(prop), (parent[0] if parent else "") + pascal(prop)
        wanted = module_key(wanted_name(node, prop)[0], key, self.by_module)
        if self.bare_wants.get(wanted, 0) <= 1:
            return (bare, qualified) if qualified != bare else (bare,)
        return (qualified,)

    # ---- schemas -----------------------------------------------------------------------
    def schema_type(self, node: Any, file: Path, pointer: str, hint: tuple[str, ...]) -> TypeRef:
        if node is True or node is None or node == {}:
            return ANY
        if not isinstance(node, dict):
            self.warn(file, pointer, "schema is not an object; treated as Any", "schema-shape")
            return ANY
        nullable = bool(node.get("nullable")) or node.get("x-nullable") is True
        if "$ref" in node and isinstance(node["$ref"], str):
            found = self._ref_target(node["$ref"], file, pointer)
            if found is None:
                return ANY
            target, tfile, tptr = found
            comp = self._component_name(tptr)
            ref_hint = (pascal(comp),) if comp else hint
            tkey = self._key(tfile, tptr)
            # (key, types being built when it was entered): met again with no new type in
            # between, the references go round without ever defining a type
            self._following.append((tkey, len(self._building)))
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
        root = (self._component_name(pointer) is not None or not self._roots or bool(
            node.get("x-speakeasy-name-override")))
        if root:
            override = node.get("x-speakeasy-name-override")
            self._roots.append(pascal(override) if isinstance(override, str) and override.strip()
                               else (hint[0] if hint else "Object"))
        self._inline_depth += 1
        self._depth += 1
        try:
            if self._inline_depth > MAX_INLINE_DEPTH or self._depth > MAX_SCHEMA_DEPTH:
                self.error(file, pointer, self._too_deep_message(), "too-deep")
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

    def _admits_null(self, node: dict, file: Path) -> bool:
        """Does this schema (no `$ref`) accept null, by `nullable`, `type`, `enum` or a null
        member of its `anyOf`/`oneOf`."""
        typ = node.get("type")
        if node.get("nullable") is True or node.get("x-nullable") is True or typ == "null" or (
                isinstance(typ, list) and "null" in typ):
            return True
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            return True
        return any(isinstance(node.get(kw), list) and self._strip_null(node[kw], file)[1]
                   for kw in ("anyOf", "oneOf"))

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
            self.error(file, at, str(exc).strip("'\""), "dangling-ref")
            return None
        wrong = _not_a_schema(target, tptr, self.spec.documents.get(tfile))
        if wrong:
            self.error(file, at, f"$ref {ref!r} {wrong}", "ref-not-schema")
            return None
        tkey = self._key(tfile, tptr)
        for i, (key, building) in enumerate(self._following):
            if key == tkey and building == len(self._building):
                chain = " -> ".join(k for k, _ in self._following[i:])
                self.error(file, at, f"$ref cycle: {chain} -> {tkey} refers to itself without "
                           "ever defining a type", "ref-cycle")
                return None
        return target, tfile, tptr

    def _strip_null(self, members: list[Any], file: Path) -> tuple[list[Any], bool]:
        out, has_null = [], False
        for m in members:
            target = m
            if isinstance(m, dict) and "$ref" in m:
                try:
                    target, _, _ = self.spec.deref(m, file, "#")
                except KeyError:
                    target = m
            if isinstance(target, dict) and (target.get("type") == "null" or target.get(
                    "enum") == [None] or (target.get("nullable") is True
                                          and _annotation_only(target))):
                # (`{nullable: true}` alone: OpenAPI 3.0's way to add null to an anyOf)
                has_null = True
            else:
                out.append(m)
        return out, has_null

    def _schema_type_inner(self, node: dict, file: Path, pointer: str,
                           hint: tuple[str, ...]) -> TypeRef:
        """The type of a schema that is no `$ref`. A named type is built once; a later use
        gets a reference to it, nullable when the schema itself admits null."""
        key = self._key(file, pointer)
        if key in self._building:
            if self._open_unions.get(key) == self._objects_open:
                # reached again with no model class in between: `U = Union[..., U]` (or
                # `List[U]`) is no type Python can define by assignment
                self.warn(file, pointer, "this union contains itself with no object in "
                          "between; the inner reference is typed Any", "union-cycle")
                return ANY
            return self._building[key]
        if key in self.types:
            return TypeRef(REF, key, nullable=key in self._nullable)
        t = self._schema_type_new(node, file, pointer, hint, key)
        if t.kind == REF and t.name == key and t.nullable:
            self._nullable.add(key)
        return t

    def _schema_type_new(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...],
                         key: str) -> TypeRef:
        override = node.get("x-speakeasy-name-override")
        if isinstance(override, str) and override.strip():
            hint = (pascal(override),)  # the class name the spec asks for
        if node.get("title") and self._component_name(pointer) is None:
            # A titled inline schema names a concept; specs like Stripe repeat the same one
            # inline in many operations. Identical copies share one type (and one name).
            same = self._titled.setdefault((file, _canonical(node)), key)
            if same != key:
                return self._schema_type_inner(node, file, _pointer_of(same), hint)

        if "allOf" in node and isinstance(node["allOf"], list):
            parts = node["allOf"]
            others = {k for k in node if k not in (
                "allOf", "description", "title", "nullable", "example", "examples", "default",
                "deprecated", "readOnly", "writeOnly") and not k.startswith("x-")}
            if len(parts) == 1 and not others:
                return self.schema_type(parts[0], file, pointer_join(pointer, "allOf", 0), hint)
            # `allOf: [{$ref: X}, {description: ...}]`: parts that only annotate (no type,
            # no properties) leave the one schema that says what the value is
            typed = [i for i, p in enumerate(parts) if not _annotation_only(p)]
            if len(typed) == 1 and not others and len(parts) > 1:
                i = typed[0]
                nullable = any(isinstance(p, dict) and p.get("nullable") is True for p in parts)
                enum = nullable_enum_copy(self.spec, parts, file) if self._component_name(
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
                members, has_null = self._strip_null(node[union_kw], file)
                if not members:
                    if not node[union_kw]:
                        self.warn(file, pointer_join(pointer, union_kw),
                                  f"empty {union_kw}; treated as Any", "empty-union")
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
                self.warn(file, pointer_join(pointer, "enum"),
                          "enum mixes value types; values are stringified", "enum-mixed")
                values, vk = [str(v) for v in values], "str"
            seen: list[Any] = []
            for v in values:
                if v not in seen:
                    seen.append(v)
            cands = _with_kind(hint or ("Enum",), "Enum")
            if (len(seen) == 1 and isinstance(seen[0], str) and pascal(seen[0]) != "Unnamed"
                    and self._component_name(pointer) is None and hint
                    # (not a union member already named after it)
                    and not re.search(re.escape(pascal(seen[0])) + r"\d*$", hint[0])
                    and not node.get("x-speakeasy-name-override")):
                # an inline one-value enum (a tag) whose name is taken is named after its
                # value, as the reference does (`ChatGenerationParamsIDAutoRouter`)
                cands = (cands[0], hint[0] + pascal(seen[0])) + cands[1:]
            self.types[key] = EnumType(key, cands,
                                       _with_deprecation(str(node.get("description", "") or ""),
                                                         node),
                                       tuple(seen), vk,
                                       node.get("x-speakeasy-unknown-values") == "allow",
                                       self._enum_names(node, seen, file, pointer))
            return TypeRef(REF, key, nullable=nullable)

        if "const" in node:
            return TypeRef(CONST, value=node["const"])
        if node.get("x-stainless-const") and isinstance(node.get("default"), (str, int)):
            return TypeRef(CONST, value=node["default"])

        typ = node.get("type")
        nullable = False
        if isinstance(typ, list):
            nullable = "null" in typ
            non_null = [t for t in typ if t != "null"]
            if len(non_null) == 1:
                typ = non_null[0]
            elif not non_null:
                return TypeRef(SCALAR, "none", nullable=True)
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
                return TypeRef(MAP, item=val, nullable=nullable)
            return TypeRef(MAP, item=ANY, nullable=nullable)
        if typ == "array" or (typ is None and ("items" in node or "prefixItems" in node)):
            items = node.get("items")
            if isinstance(node.get("prefixItems"), list) and node["prefixItems"]:
                return self._tuple(node, file, pointer, hint).with_nullable(nullable)
            if isinstance(items, list):  # tuple-style items (3.0 misuse); keep it loose
                self.warn(file, pointer_join(pointer, "items"),
                          "tuple-style items; elements typed as Any", "tuple-items")
                return TypeRef(LIST, item=ANY, nullable=nullable)
            # an array's inline item type is named in the singular (`plugins` -> `Plugin`),
            # as the reference generator names it
            # (a component that is an array names its items itself: `AssistantMessageImages`)
            item_hint = hint if self._component_name(pointer) else tuple(singular(h) for h in hint)
            item_t = self.schema_type(items, file, pointer_join(pointer, "items"),
                                      item_hint) if (
                items is not None) else ANY
            return TypeRef(LIST, item=item_t, nullable=nullable)
        if typ == "string":
            fmt = node.get("format", "")
            scalar = {"date-time": "datetime", "date": "date", "binary": "bytes"}.get(fmt, "str")
            return TypeRef(SCALAR, scalar, nullable=nullable)
        if typ == "integer":
            return TypeRef(SCALAR, "int", nullable=nullable)
        if typ == "number":
            return TypeRef(SCALAR, "float", nullable=nullable)
        if typ == "boolean":
            return TypeRef(SCALAR, "bool", nullable=nullable)
        if typ == "null":
            return TypeRef(SCALAR, "none", nullable=True)
        if typ is not None:
            self.warn(file, pointer_join(pointer, "type"), f"unknown type {typ!r}; treated as Any",
                      "unknown-type")
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
                      "elements typed as Any", "prefix-items")
            return TypeRef(LIST, item=ANY)
        base = hint[0] if hint else "Item"
        members = tuple(self.schema_type(p, file, pointer_join(pointer, "prefixItems", i),
                                         (f"{base}{i + 1}",)) for i, p in enumerate(prefix))
        return TypeRef(TUPLE, items=members)

    def _enum_names(self, node: dict, kept: list[Any], file: Path,
                    pointer: str) -> tuple[str, ...]:
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
            self.warn(file, pointer_join(pointer, "x-speakeasy-enums"),
                      "x-speakeasy-enums must name every enum value (a list as long as `enum`, "
                      "or a map of name to value); member names derived from the values",
                      "speakeasy-extension")
            return ()

    def _object(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...],
                key: str) -> TypeRef:
        ref = TypeRef(REF, key)
        # a reference met while the type is built (recursion) admits null as the schema does
        self._building[key] = ref.with_nullable(self._admits_null(node, file))
        self._objects_open += 1
        try:
            props: list[tuple[str, Any, Path, str]] = []
            required: list[str] = []
            self._collect_props(node, file, pointer, props, required, depth=0)
            parent = hint or ("Object",)
            # A property declared again by a later allOf member overrides the earlier one
            # (at the earlier position): replaced when it says what the value is, else its
            # annotations (description, default...) go on top of the earlier schema.
            declared: dict[str, tuple[Any, Path, str]] = {}
            for name, pnode, pfile, pptr in props:
                earlier = declared.get(name)
                if earlier is not None and isinstance(pnode, dict) and isinstance(
                        earlier[0], dict) and not _TYPE_KEYS & pnode.keys():
                    declared[name] = ({**earlier[0], **pnode}, earlier[1], earlier[2])
                else:
                    declared[name] = (pnode, pfile, pptr)
            fields: list[Field] = []
            for name, (pnode, pfile, pptr) in declared.items():
                inherited = pfile == file and not pptr.startswith(pointer + "/") and isinstance(
                    pnode, dict) and "$ref" not in pnode
                if inherited:
                    # an inline property inherited through allOf from another schema: this
                    # schema gets its own copy of the property's types, named after it (the
                    # reference's shallow merge); the problems in it are reported once, where
                    # it is written
                    pptr = pointer_join(pointer, "x-sdkgen-inherited", name)
                    self._quiet += 1
                try:
                    fields.append(self._field(name, pnode, pfile, pptr, name in required,
                                              (self._roots[-1],) if self._roots else parent))
                finally:
                    if inherited:
                        self._quiet -= 1
            seen_names = set(declared)
            if len(required) != len(set(required)):
                self.warn(file, pointer_join(pointer, "required"), "duplicate entries in required",
                          "duplicate-required")
            for r in dict.fromkeys(required):
                if r not in seen_names:
                    # required but never described: keep it, typed Any, so the SDK still sends it
                    self.warn(file, pointer_join(pointer, "required"),
                              f"required property {r!r} is not declared; typed as Any",
                              "undeclared-required")
                    fields.append(Field(r, ANY, True))
                    seen_names.add(r)
            ap = node.get("additionalProperties")
            additional = None
            if isinstance(ap, dict) and ap:
                additional = self.schema_type(ap, file, pointer_join(pointer, "additionalProperties"),
                                              parent)
            elif ap is True:
                additional = ANY
            self.types[key] = ObjectType(key, parent,
                                         _with_deprecation(str(node.get("description", "") or ""),
                                                           node),
                                         tuple(fields), additional, bool(node.get("deprecated")))
        finally:
            self._building.pop(key, None)
            self._objects_open -= 1
        return ref

    def _collect_props(self, node: dict, file: Path, pointer: str,
                       props: list[tuple[str, Any, Path, str]], required: list[str],
                       depth: int) -> None:
        if depth > 32:
            return
        for i, part in enumerate(node.get("allOf") or []):
            ppath = pointer_join(pointer, "allOf", i)
            found = self.follow(part, file, ppath)
            if found is not None and isinstance(found[0], dict):
                self._collect_props(found[0], found[1], found[2], props, required, depth + 1)
        for name, pnode in (node.get("properties") or {}).items():
            if isinstance(pnode, dict) and pnode.get("x-speakeasy-ignore") is True:
                continue
            props.append((str(name), pnode, file, pointer_join(pointer, "properties", name)))
        req = node.get("required")
        if isinstance(req, list):
            required.extend(str(r) for r in req)

    def _field(self, name: str, pnode: Any, file: Path, pointer: str, required: bool,
               parent: tuple[str, ...]) -> Field:
        t = self.schema_type(pnode, file, pointer, self.inline_candidates(
            parent, name, pnode, self._key(file, pointer)))
        desc, deprecated, has_ex, ex, has_def, default = "", False, False, None, False, None
        ro = wo = False
        override = ""
        if isinstance(pnode, dict):
            desc = _with_deprecation(str(pnode.get("description", "") or ""), pnode)
            deprecated = bool(pnode.get("deprecated")) or bool(
                pnode.get("x-speakeasy-deprecation-message"))
            override = str(pnode.get("x-speakeasy-name-override", "") or "")
            has_ex, ex = self._example(pnode, file, pointer)
            has_def, default = "default" in pnode, pnode.get("default")
            ro, wo = bool(pnode.get("readOnly")), bool(pnode.get("writeOnly"))
            if "$ref" in pnode and not self.is_31:
                # OpenAPI 3.0: a `$ref`'s siblings are ignored (the reference generator
                # ignores them too); 3.1 allows them, and they win over the component's
                desc, has_ex, ex = "", False, None
            parts = pnode.get("allOf")
            if not has_ex and isinstance(parts, list):
                typed = [p for p in parts if not _annotation_only(p)]
                if len(typed) == 1 and isinstance(typed[0], dict) and "$ref" in typed[0]:
                    # `allOf: [$ref, {description}]`: the example of the schema it names
                    target = self.follow(typed[0], file, pointer)
                    if target is not None and isinstance(target[0], dict):
                        has_ex, ex = self._example(target[0], target[1], target[2])
            if "$ref" in pnode and (not desc or not has_ex):
                # a `$ref` property documents itself with the schema it names (the docs
                # show the component's description and example, as the reference does)
                target = self.follow(pnode, file, pointer)
                if target is not None and isinstance(target[0], dict):
                    if not desc:
                        desc = _with_deprecation(str(target[0].get("description", "") or ""),
                                                 target[0])
                    if not has_ex:
                        has_ex, ex = self._example(target[0], target[1], target[2])
        return Field(name, t, required, str(desc), has_ex, ex, deprecated, has_def, default, ro, wo,
                     override)

    def _union(self, node: dict, kw: str, members: list[Any], file: Path, pointer: str,
               hint: tuple[str, ...], key: str, synthetic: bool = False) -> TypeRef:
        ref = TypeRef(REF, key)
        # a reference met while the type is built (recursion) admits null as the schema does
        self._building[key] = ref.with_nullable(self._admits_null(node, file))
        self._open_unions[key] = self._objects_open
        try:
            base = hint or ("Union",)
            originals = node.get(kw, members) if not synthetic else members
            member_types: list[TypeRef] = []
            numbered = False
            tags = _member_tags([merged_view(self.spec, m, file) for m in members])
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
                    mt = self._schema_type_inner(m, file, f"{pointer}/@{m.get('type')}", mhint)
                else:
                    rootless = merges_unreached(self.spec, m, file, self.reached)
                    if rootless:
                        # a member merging a schema no operation reaches on its own: its
                        # inline types are named without a root, as in the reference
                        # (`TypeResponseCreated`, `Part1`)
                        self._roots.append("")
                    try:
                        mt = self.schema_type(m, file, mptr, mhint)
                    finally:
                        if rootless:
                            self._roots.pop()
                if mt not in member_types:
                    member_types.append(mt)
            raw_disc = node.get("discriminator")
            disc: dict[str, Any] = raw_disc if isinstance(raw_disc, dict) else {}
            mapping: list[tuple[str, str]] = []
            for value, target in (disc.get("mapping") or {}).items():
                try:
                    _, tfile, tptr = self.spec.resolve(str(target), file) if str(target).startswith(
                        ("#", ".", "/")) or "#" in str(target) else self.spec.resolve(
                        f"#/components/schemas/{target}", file)
                    mapping.append((str(value), self._key(tfile, tptr)))
                except KeyError as exc:
                    self.warn(file, pointer_join(pointer, "discriminator", "mapping", value),
                              str(exc), "dangling-ref")
            # numbered members (Name1, Name2) make the union itself NameUnion, but a component
            # whose members are all objects keeps its name (the reference does so)
            objects = all(isinstance(self.types.get(t.name), ObjectType) for t in member_types
                          if t.kind == REF) and all(t.kind == REF for t in member_types)
            if numbered and not (objects and self._component_name(pointer) is not None):
                cands = tuple(c + "Union" for c in base) + base
            else:
                cands = _with_kind(base, "Union")
            self.types[key] = UnionType(key, cands, str(node.get("description", "") or ""),
                                        tuple(member_types), str(disc.get("propertyName", "")),
                                        tuple(mapping))
        finally:
            self._building.pop(key, None)
            self._open_unions.pop(key, None)
        return ref

    # ---- operations ----------------------------------------------------------------------
    def build(self) -> Api:
        root = self.root
        info = root.get("info") or {}
        # Components first, in document order, so they claim their own names.
        schemas = ((root.get("components") or {}).get("schemas") or {})
        for name, node in schemas.items():
            if isinstance(node, dict) and node.get("x-speakeasy-ignore") is True:
                continue  # still generated if an operation's schema refers to it
            ptr = pointer_join("#/components/schemas", name)
            self.schema_type(node, self.spec.root_path, ptr, (pascal(str(name)),))
        global_retries = retries(self, root.get("x-speakeasy-retries"), "#/x-speakeasy-retries")
        self._schemes = security_schemes(self.spec)
        root_security = requirements(self, self._schemes, root.get("security"),
                                     self.spec.root_path, "#/security")
        ops: list[Operation] = []
        callbacks: list[Callback] = []
        paths = root.get("paths") or {}
        for path_key, item in paths.items() if isinstance(paths, dict) else []:
            item_ptr = pointer_join("#/paths", path_key)
            found = self.follow(item, self.spec.root_path, item_ptr)
            if found is None:
                continue
            item, ifile, item_ptr = found
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                if op.get("x-speakeasy-ignore") is True:
                    continue
                op_ptr = pointer_join(item_ptr, method)
                ops.append(self._operation(str(path_key), method, item, op, ifile, op_ptr,
                                           global_retries, root_security))
                callbacks += self._callbacks(ops[-1].method_name, op, ifile, op_ptr)
        webhooks = [hook for name, item in _mapping(root.get("webhooks")).items()
                    for hook in self._incoming(f"/{name}", item, self.spec.root_path,
                                               pointer_join("#/webhooks", name))]
        tags = [str(t.get("name")) for t in root.get("tags") or [] if isinstance(t, dict)]
        for o in ops:
            tag = ".".join(o.namespace)
            if o.namespace and tag not in tags:
                tags.append(tag)
        check_method_names(self, ops)
        tree = namespace_tree(root, ops)
        ids = server_ids(self)
        globals_ = self._globals(ops)
        if any(severity == ERROR for severity, *_ in self.problems):
            raise SpecError(self.located())
        servers = tuple(str(s.get("url")) for s in root.get("servers") or []
                        if isinstance(s, dict) and s.get("url"))
        return Api(
            # (a title is one line of plain text: it heads the README, ends a pyproject summary)
            title=" ".join(str(info.get("title", "")).split()),
            description=str(info.get("description", "") or ""),
            version=str(info.get("version", "")), servers=servers or ("http://localhost",),
            security_schemes=tuple(s for n, s in self._schemes.items()
                                   if any(n in alt for o in ops for alt in o.security)),
            types=tuple(self.types.values()), root=tree, tags=tuple(tags),
            error_keys=frozenset(self.error_keys), webhooks=tuple(webhooks),
            callbacks=tuple(callbacks),
            globals=globals_, server_ids=ids if any(ids) else (),
        )

    def _incoming(self, path: str, item: Any, file: Path, pointer: str) -> list[Operation]:
        """The operations of a path item the API calls (a webhook or callback): built like
        any operation, so their bodies get models and docs, but given no method."""
        found = self.follow(item, file, pointer)
        if found is None or not isinstance(found[0], dict):
            return []
        item, file, pointer = found
        return [self._operation(path, method, item, item[method], file,
                                pointer_join(pointer, method), None, ())
                for method in HTTP_METHODS if isinstance(item.get(method), dict)]

    def _callbacks(self, owner: str, op: dict, file: Path, pointer: str) -> list[Callback]:
        out = []
        for name, cb in _mapping(op.get("callbacks")).items():
            found = self.follow(cb, file, pointer_join(pointer, "callbacks", name))
            if found is None or not isinstance(found[0], dict):
                continue
            cb, cb_file, cb_ptr = found
            for expression, item in cb.items():
                # the expression (`{$request.body#/url}`) is no path template: not the path
                for hook in self._incoming(f"/{snake(str(name))}", item, cb_file,
                                           pointer_join(cb_ptr, expression)):
                    out.append(Callback(owner, str(name), str(expression), hook))
        return out

    def _globals(self, ops: list[Operation]) -> tuple[Parameter, ...]:
        """x-speakeasy-globals: the header/query parameters the client takes once."""
        node = self.root.get("x-speakeasy-globals")
        if node is None:
            return ()
        ptr = "#/x-speakeasy-globals"
        root_file = self.spec.root_path
        plist = node.get("parameters") if isinstance(node, dict) else None
        if not isinstance(plist, list):
            self.warn(root_file, ptr, "x-speakeasy-globals needs a `parameters` list; no "
                      "client-level parameters are generated", "speakeasy-extension")
            return ()
        if isinstance(node, dict):
            for key in node:
                if key != "parameters":
                    self.warn(root_file, pointer_join(ptr, key), f"x-speakeasy-globals: "
                              f"{key!r} is not supported (parameters); ignored",
                              "speakeasy-extension")
        declared = {(p.location, p.wire_name) for o in ops for p in o.parameters}
        out: dict[tuple[str, str], Parameter] = {}
        for i, p in enumerate(plist):
            found = self._named_parameter(p, root_file, pointer_join(ptr, "parameters", i),
                                          "global parameter", "speakeasy-extension")
            if found is None:
                continue
            p, pfile, pptr = found
            loc, pname = str(p["in"]), str(p["name"])
            if loc not in ("header", "query", "path"):
                self.warn(pfile, pointer_join(pptr, "in"), f"global parameter {pname!r} is in "
                          f"{loc}: only header, query and path globals are supported; skipped",
                          "speakeasy-extension")
                continue
            if (loc, pname) not in declared:
                self.warn(pfile, pptr, f"global parameter {pname!r} ({loc}) is declared by no "
                          "operation, so no request would send it; skipped",
                          "speakeasy-extension")
                continue
            out[(loc, pname)] = self._parameter(p, pfile, pptr, (pascal(pname),), False)
        return tuple(out.values())

    def _operation(self, path_key: str, method: str, item: dict, op: dict, file: Path,
                   pointer: str, global_retries: Retries | None,
                   security: tuple[tuple[str, ...], ...]) -> Operation:
        url, fragment, fixed_query = split_path_key(path_key)
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = snake(f"{method} {url} {fragment}") or method
        pascal_id = pascal(op_id)
        name = op.get("x-speakeasy-name-override") or snake(op_id)
        group = op.get("x-speakeasy-group")
        tags = op.get("tags") or []
        ns_src = str(group) if group else (str(tags[0]) if tags else "")
        namespace = tuple(snake(p) for p in ns_src.split(".") if snake(p)) if ns_src else ()
        params = self._parameters(item, op, file, pointer, url, pascal_id)
        body = self._request_body(op, file, pointer, pascal_id)
        success, success_ct, stream, errors = self._responses(op, file, pointer, pascal_id)
        success, stream_alt, flag = alternate_stream(self, op, file, pointer, pascal_id, body,
                                                     success, success_ct)
        paging = pagination(self, op, file, pointer, params, body, success)
        op_retries = retries(self, op.get("x-speakeasy-retries"),
                             pointer_join(pointer, "x-speakeasy-retries")) or global_retries
        if "security" in op:
            security = requirements(self, self._schemes, op["security"], file,
                                    pointer_join(pointer, "security"))
        max_params = op.get("x-speakeasy-max-method-params")
        if max_params is not None and (not isinstance(max_params, int) or isinstance(
                max_params, bool) or max_params < 0):
            self.warn(file, pointer_join(pointer, "x-speakeasy-max-method-params"),
                      "x-speakeasy-max-method-params must be a non-negative integer; ignored",
                      "speakeasy-extension")
            max_params = None
        return Operation(
            operation_id=op_id, method_name=str(name), namespace=namespace,
            http_method=method.upper(), path=url, fixed_query=tuple(fixed_query.items()),
            summary=str(op.get("summary", "") or ""),
            description=str(op.get("description", "") or ""),
            deprecated=bool(op.get("deprecated")), parameters=params, body=body, success=success,
            success_content_type=success_ct, stream=stream, errors=errors, retries=op_retries,
            secured=bool(security), security=security, pointer=pointer, stream_alt=stream_alt,
            stream_flag=flag,
            usage_example=op.get("x-speakeasy-usage-example"), max_method_params=max_params,
            deprecation_message=str(op.get("x-speakeasy-deprecation-message", "") or ""),
            pagination=paging, servers=operation_servers(self, op, item, file, pointer),
        )

    def _parameters(self, item: dict, op: dict, file: Path, pointer: str, url: str,
                    pascal_id: str) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Parameter] = {}
        for level, plist in (("item", item.get("parameters")), ("op", op.get("parameters"))):
            if not isinstance(plist, list):
                continue
            base_ptr = pointer.rsplit("/", 1)[0] if level == "item" else pointer
            for i, p in enumerate(plist):
                found = self._named_parameter(p, file, pointer_join(base_ptr, "parameters", i),
                                              "parameter", "bad-parameter")
                if found is None:
                    continue
                p, pfile, pptr = found
                loc, pname = str(p["in"]), str(p["name"])
                if loc == "header" and pname.lower() in ("accept", "content-type",
                                                         "authorization"):
                    continue  # governed by the spec's content types and security, per OpenAPI
                merged[(loc, pname)] = self._parameter(
                    p, pfile, pptr, (pascal_id + pascal(pname), pascal(pname)) if (
                        self.param_counts.get(pname, 0) > 1) else (
                        pascal(pname), pascal_id + pascal(pname)),
                    bool(p.get("required")) or loc == "path")
        for name in path_template_names(url):
            if ("path", name) not in merged:
                merged[("path", name)] = Parameter(name, "path", TypeRef(SCALAR, "str"), True)
        return tuple(merged.values())

    def _named_parameter(self, p: Any, file: Path, pointer: str, what: str,
                         code: str) -> tuple[dict, Path, str] | None:
        """A Parameter Object (its `$ref` followed) that has a name and a location."""
        found = self.follow(p, file, pointer)
        if found is None:
            return None
        node, pfile, pptr = found
        if not isinstance(node, dict) or "name" not in node or "in" not in node:
            self.warn(pfile, pptr, f"{what} without name/in; skipped", code)
            return None
        return node, pfile, pptr

    def _parameter(self, p: dict, file: Path, pointer: str, hints: tuple[str, ...],
                   required: bool) -> Parameter:
        """The model of a named Parameter Object: its schema (or its content's), example
        (or its schema's), and serialization."""
        loc, pname = str(p["in"]), str(p["name"])
        schema, schema_ptr = p.get("schema"), pointer_join(pointer, "schema")
        in_schema = "schema" in p
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            ct, media = next(iter(p["content"].items()))
            schema = media.get("schema") if isinstance(media, dict) else None
            schema_ptr = pointer_join(pointer, "content", ct, "schema")
        t = self.schema_type(schema, file, pointer_join(pointer, "schema"), hints)
        has_ex, ex = self._example(p, file, pointer, schema, schema_ptr, in_schema)
        if not has_ex and isinstance(schema, dict):
            has_ex, ex = self._example(schema, file, schema_ptr)
        desc = str(p.get("description", "") or "")
        if not desc and isinstance(schema, dict):
            # a parameter without a description of its own shows its schema's (as the
            # reference does)
            target = self.follow(schema, file, pointer_join(pointer, "schema")) if (
                "$ref" in schema) else (schema, file, pointer)
            if target is not None and isinstance(target[0], dict):
                desc = str(target[0].get("description", "") or "")
        return Parameter(
            pname, loc, t, required, desc, has_ex, ex,
            bool(p.get("deprecated")), bool(p.get("explode", loc in ("query", "cookie"))),
            str(p.get("style", "")), str(p.get("x-speakeasy-name-override", "") or ""),
            p.get("x-speakeasy-globals-hidden") is True)

    def _request_body(self, op: dict, file: Path, pointer: str,
                      pascal_id: str) -> RequestBody | None:
        rb = op.get("requestBody")
        if rb is None:
            return None
        found = self.follow(rb, file, pointer_join(pointer, "requestBody"))
        if found is None:
            return None
        rb, file, rptr = found
        content = rb.get("content") if isinstance(rb, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        ct = request_content_type(content)
        media = content[ct] if isinstance(content[ct], dict) else {}
        t = self.schema_type(media.get("schema"), file, pointer_join(rptr, "content", ct, "schema"),
                             ((_shared_name(rptr, "requestBodies") or pascal_id) + "RequestBody",))
        mptr = pointer_join(rptr, "content", ct)
        checked = examples_are_json(ct)  # validate checks these examples
        values = [(media["example"], pointer_join(mptr, "example"), checked)] if (
            "example" in media) else []
        for name, named in _mapping(media.get("examples")).items():
            try:
                named, _, eptr = self.spec.deref(named, file, pointer_join(mptr, "examples", name))
            except KeyError:
                continue
            if isinstance(named, dict) and "value" in named:
                values.append((named["value"], pointer_join(eptr, "value"), checked))
        has_ex, ex = self._first_fitting(values, file, media.get("schema"),
                                         pointer_join(mptr, "schema"))
        if not has_ex and isinstance(media.get("schema"), dict):
            # no example of the body's own: its schema's (as the reference shows it)
            target = self.follow(media["schema"], file, pointer_join(mptr, "schema"))
            if target is not None and isinstance(target[0], dict):
                has_ex, ex = self._example(target[0], target[1], target[2])
        flattened = t.kind == REF and isinstance(self.types.get(t.name), ObjectType)
        return RequestBody(t, ct, bool(rb.get("required")), str(rb.get("description", "") or ""),
                           has_ex, ex, flattened)

    def _responses(self, op: dict, file: Path, pointer: str, pascal_id: str):
        responses = op.get("responses") or {}
        success: TypeRef | None = None
        success_ct = ""
        stream: StreamInfo | None = None
        errors: list[ErrorResponse] = []
        chosen = success_code(responses)  # one success response (other 2xx: references
        # still followed, so a broken one is reported)
        codes = sorted((str(c) for c in responses), key=lambda c: (not c.startswith("2"), c))
        for code in codes:
            found = self.follow(response_at(responses, code), file,
                                pointer_join(pointer, "responses", code))
            if found is None:
                continue
            resp, rfile, rptr = found
            content = resp.get("content") if isinstance(resp, dict) else None
            content = content if isinstance(content, dict) else {}
            if code.startswith("2"):
                if code != chosen:
                    continue
                suffix = "ResponseBody"
                ct = response_content_type(content)
                if not ct:
                    continue
                media = content[ct] if isinstance(content[ct], dict) else {}
                mptr = pointer_join(rptr, "content", ct, "schema")
                base = essence(ct)
                t = self.schema_type(media.get("schema"), rfile, mptr,
                                     ((_shared_name(rptr, "responses") or pascal_id) + suffix,))
                success_ct = ct
                if base == SSE:
                    stream = stream_info(self.types, t, media, "sse")
                elif is_jsonl(base):
                    stream = StreamInfo(t, "jsonl", None, False, True)
                elif is_json(base):
                    success = t
                else:
                    success = TypeRef(SCALAR, "bytes") if base != "text/plain" else TypeRef(
                        SCALAR, "str")
            elif code.startswith(("4", "5")) or code == "default":
                ct = request_content_type(content) if content else ""
                et = None
                if ct and is_json(ct):
                    media = content[ct] if isinstance(content[ct], dict) else {}
                    if media.get("schema") is not None:
                        et = self.schema_type(media.get("schema"), rfile,
                                              pointer_join(rptr, "content", ct, "schema"),
                                              (pascal_id + code.upper() + "Error",))
                        if et.kind == REF and isinstance(self.types.get(et.name), ObjectType):
                            self.error_keys.add(et.name)
                        else:
                            et = None  # non-object error bodies stay on the default error
                errors.append(ErrorResponse(code.upper(), ct, et))
        return success, success_ct, stream, tuple(errors)


# How deep inline schemas may nest (each level is a bracket or a class in the generated
# code: Python's parser stops at 200 nested brackets, and pydantic recurses per level).
MAX_INLINE_DEPTH = 64
# How deep schemas may nest through $refs on their first visit (a chain of components).
MAX_SCHEMA_DEPTH = 3000


def _not_a_schema(target: Any, pointer: str, doc: Any) -> str:
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


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, default=str)


def _pointer_of(key: str) -> str:
    """The pointer part of a type key (keys of the root document are bare pointers)."""
    return key[key.index("#"):]


def _parameter_names(root: Any) -> Iterable[str]:
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


def _shared_name(pointer: str, section: str) -> str:
    """`#/components/<section>/<name>` -> PascalCase name: an inline body schema of a
    shared request body or response is named after it (the reference's OrderTrackRequestBody),
    not after the operation."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] == "components" and parts[2] == section:
        return pascal(parts[3].replace("~1", "/").replace("~0", "~"))
    return ""


def _member_tags(members: list[Any]) -> list[str]:
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


_ANNOTATIONS = {"description", "title", "example", "examples", "default", "deprecated",
                "readOnly", "writeOnly", "nullable", "externalDocs"}


def _annotation_only(part: Any) -> bool:
    """An allOf member that documents the value without constraining its type."""
    return isinstance(part, dict) and "$ref" not in part and all(
        k in _ANNOTATIONS or k.startswith("x-") for k in part)


def _with_kind(candidates: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """Add `<name><Kind>` candidates (`SubscriptionScheduleUnion`), tried before a number is
    appended when an inline schema's name is already taken (often by the component it wraps)."""
    extra = tuple(c + kind for c in candidates if not c.endswith(kind))
    return candidates + tuple(e for e in extra if e not in candidates)


def _with_deprecation(desc: str, node: dict) -> str:
    """x-speakeasy-deprecation-message joins the description (docstrings and docs)."""
    msg = node.get("x-speakeasy-deprecation-message")
    if not msg:
        return desc
    note = f"Deprecated: {msg}"
    return f"{desc}\n\n{note}" if desc.strip() else note


def build(spec: Spec, names_by_module: bool = False) -> tuple[Api, list[Diagnostic]]:
    """`names_by_module`: component schemas and operation-level models live in modules of
    their own (gen.yaml imports.paths): bare names are counted per module."""
    def run() -> tuple[Api, list[Diagnostic]]:
        b = Builder(spec, names_by_module)
        api = b.build()
        return api, b.located()

    return _with_deep_stack(run)


_T = TypeVar("_T")


def _with_deep_stack(fn: Callable[[], _T]) -> _T:
    """Run `fn` in a thread with a stack deep enough for schemas nested MAX_SCHEMA_DEPTH
    levels (the build recurses a few frames per level; Python's default limit is 1,000)."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append((True, fn()))
        except BaseException as exc:  # re-raised in the caller's thread
            out.append((False, exc))

    limit = sys.getrecursionlimit()
    size = threading.stack_size(256 * 1024 * 1024)
    sys.setrecursionlimit(max(limit, 20 * MAX_SCHEMA_DEPTH))
    try:
        worker = threading.Thread(target=run, name="sdkgen-build")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    ok, value = out[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _mapping(node: Any) -> dict:
    return node if isinstance(node, dict) else {}
