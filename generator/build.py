"""Stage 3: turn the loaded spec into the intermediate model (`model.py`).

Every schema reachable from an operation becomes a TypeRef; objects, enums and unions
become named types with candidate names (the naming stage picks the final ones).
Nothing is dropped silently: whatever cannot be represented exactly is reported with
its pointer and degraded to `Any`, and the operation is still generated.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .diagnostics import ERROR, WARNING, Diagnostic, SpecError
from .load import (
    Spec,
    path_template_names,
    pointer_join,
    split_path_key,
    unescape_pointer_token,
)
from .model import (
    ANY,
    CONST,
    LIST,
    MAP,
    REF,
    SCALAR,
    Api,
    Callback,
    EnumType,
    ErrorResponse,
    Field,
    NamedType,
    Namespace,
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
from .naming import identifier, pascal, snake
from .pagination import pagination
from .streaming import alternate_stream
from .validate import HTTP_METHODS

JSON_TYPES = ("application/json",)
SSE = "text/event-stream"
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
               "application/json-seq")
_SCHEMA_SKIP = {"example", "examples", "default", "const", "enum"}


def _is_json(ct: str) -> bool:
    ct = ct.split(";")[0].strip().lower()
    return ct in JSON_TYPES or (ct.startswith("application/") and ct.endswith("+json"))


class Builder:
    def __init__(self, spec: Spec):
        self.spec = spec
        self.root = spec.root
        self.types: dict[str, NamedType] = {}
        self._building: dict[str, TypeRef] = {}
        self._following: list[tuple[str, int]] = []  # the $refs being followed (cycles)
        self._inline_depth = 0  # schemas nested since the last $ref
        self._depth = 0  # schemas nested in all
        self._objects_open = 0  # object types being built (model classes break type cycles)
        self._open_unions: dict[str, int] = {}  # union being built -> _objects_open then
        self._titled: dict[tuple[Path, str], str] = {}  # (file, canonical JSON) -> type key
        # (severity, file, pointer, message, code), located once the build is done (`located`)
        self.problems: list[tuple[str, Path, str, str, str]] = []
        self.error_keys: set[str] = set()
        self.prop_counts = Counter(self._property_names(self.root))
        self.is_31 = str(self.root.get("openapi", "")).startswith("3.1")

    # ---- diagnostics -------------------------------------------------------------------
    def _diag(self, severity: str, file: Path, pointer: str, message: str, code: str) -> None:
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
    def _property_names(self, node: Any) -> Iterable[str]:
        """Every property name declared by any schema in the document (for inline naming)."""
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, dict):
                props = n.get("properties")
                if isinstance(props, dict):
                    yield from (str(k) for k in props)
                for k, v in n.items():
                    if isinstance(v, (dict, list)) and k not in _SCHEMA_SKIP and not str(
                            k).startswith("x-"):
                        stack.append(v)
            elif isinstance(n, list):
                stack.extend(v for v in n if isinstance(v, (dict, list)))

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

    def _example(self, node: dict) -> tuple[bool, Any]:
        if "example" in node:
            return True, node["example"]
        ex = node.get("examples")
        if isinstance(ex, list) and ex:
            return True, ex[0]
        return False, None

    def inline_candidates(self, parent: tuple[str, ...], prop: str) -> tuple[str, ...]:
        qualified = (parent[0] if parent else "") + pascal(prop)
        if self.prop_counts.get(prop, 0) <= 1:
            return (pascal(prop), qualified) if qualified != pascal(prop) else (pascal(prop),)
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
        if nullable and not t.nullable:
            t = t.with_nullable()
        return t

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
                    "enum") == [None]):
                has_null = True
            else:
                out.append(m)
        return out, has_null

    def _schema_type_inner(self, node: dict, file: Path, pointer: str,
                           hint: tuple[str, ...]) -> TypeRef:
        override = node.get("x-speakeasy-name-override")
        if isinstance(override, str) and override.strip():
            hint = (pascal(override),)  # the class name the spec asks for
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
            return TypeRef(REF, key)
        if node.get("title") and self._component_name(pointer) is None:
            # A titled inline schema names a concept; specs like Stripe repeat the same one
            # inline in many operations. Identical copies share one type (and one name).
            same = self._titled.setdefault((file, _canonical(node)), key)
            if same != key:
                return self._schema_type_inner(node, file, _pointer_of(same, self), hint)

        if "allOf" in node and isinstance(node["allOf"], list):
            parts = node["allOf"]
            others = {k for k in node if k not in (
                "allOf", "description", "title", "nullable", "example", "examples", "default",
                "deprecated", "readOnly", "writeOnly") and not k.startswith("x-")}
            if len(parts) == 1 and not others:
                return self.schema_type(parts[0], file, pointer_join(pointer, "allOf", 0), hint)
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
            if len(values) == 1 and node.get("x-speakeasy-enum-as-const", True) is not False and (
                    self._component_name(pointer) is None):
                pass  # a one-value inline enum is still an enum; const is spelled `const`
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
            self.types[key] = EnumType(key, _with_kind(hint or ("Enum",), "Enum"),
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
        if typ == "array" or (typ is None and "items" in node):
            items = node.get("items")
            if isinstance(items, list):  # tuple-style items (3.0 misuse); keep it loose
                self.warn(file, pointer_join(pointer, "items"),
                          "tuple-style items; elements typed as Any", "tuple-items")
                return TypeRef(LIST, item=ANY, nullable=nullable)
            item_t = self.schema_type(items, file, pointer_join(pointer, "items"), hint) if (
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
        self._building[key] = ref
        self._objects_open += 1
        try:
            props: list[tuple[str, Any, Path, str]] = []
            required: list[str] = []
            self._collect_props(node, file, pointer, props, required, depth=0)
            parent = hint or ("Object",)
            fields: list[Field] = []
            seen_names: set[str] = set()
            for name, pnode, pfile, pptr in props:
                if name in seen_names:
                    continue
                seen_names.add(name)
                fields.append(self._field(name, pnode, pfile, pptr, name in required, parent))
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
        t = self.schema_type(pnode, file, pointer, self.inline_candidates(parent, name))
        desc, deprecated, has_ex, ex, has_def, default = "", False, False, None, False, None
        ro = wo = False
        override = ""
        if isinstance(pnode, dict):
            desc = _with_deprecation(str(pnode.get("description", "") or ""), pnode)
            deprecated = bool(pnode.get("deprecated")) or bool(
                pnode.get("x-speakeasy-deprecation-message"))
            override = str(pnode.get("x-speakeasy-name-override", "") or "")
            has_ex, ex = self._example(pnode)
            has_def, default = "default" in pnode, pnode.get("default")
            ro, wo = bool(pnode.get("readOnly")), bool(pnode.get("writeOnly"))
        return Field(name, t, required, str(desc), has_ex, ex, deprecated, has_def, default, ro, wo,
                     override)

    def _union(self, node: dict, kw: str, members: list[Any], file: Path, pointer: str,
               hint: tuple[str, ...], key: str, synthetic: bool = False) -> TypeRef:
        ref = TypeRef(REF, key)
        self._building[key] = ref
        self._open_unions[key] = self._objects_open
        try:
            base = hint or ("Union",)
            originals = node.get(kw, members) if not synthetic else members
            member_types: list[TypeRef] = []
            numbered = False
            for i, m in enumerate(members):
                idx = originals.index(m) if m in originals else i
                mptr = pointer_join(pointer, kw, idx) if not synthetic else pointer
                if isinstance(m, dict) and "$ref" not in m and m.get("title"):
                    mhint: tuple[str, ...] = (pascal(str(m["title"])),)
                else:
                    mhint = (f"{base[0]}{i + 1}",)
                    numbered = numbered or (isinstance(m, dict) and "$ref" not in m and (
                        m.get("type") == "object" or "properties" in m))
                if synthetic:
                    mt = self._schema_type_inner(m, file, f"{pointer}/@{m.get('type')}", mhint)
                else:
                    mt = self.schema_type(m, file, mptr, mhint)
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
            # numbered members (Name1, Name2) make the union itself NameUnion
            cands = tuple(c + "Union" for c in base) + base if numbered else _with_kind(
                base, "Union")
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
        global_retries = self._retries(root.get("x-speakeasy-retries"), "#/x-speakeasy-retries")
        self._schemes = self._security_schemes()
        root_security = self._requirements(root.get("security"), self.spec.root_path,
                                           "#/security")
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
        self._check_method_names(ops)
        tree = self._namespaces(ops)
        server_ids = self._server_ids()
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
            globals=globals_, server_ids=server_ids if any(server_ids) else (),
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

    def _server_ids(self) -> tuple[str, ...]:
        """x-speakeasy-server-id of each server ("" when unnamed), parallel to Api.servers."""
        out: list[str] = []
        for i, s in enumerate(self.root.get("servers") or []):
            if not isinstance(s, dict) or not s.get("url"):
                continue
            sid = s.get("x-speakeasy-server-id")
            ptr = pointer_join("#/servers", i, "x-speakeasy-server-id")
            if sid is not None and (not isinstance(sid, str) or not sid.strip()):
                self.warn(self.spec.root_path, ptr, "x-speakeasy-server-id must be a non-empty "
                          "string; the server has no name", "speakeasy-extension")
                sid = None
            elif sid in out:
                self.warn(self.spec.root_path, ptr, f"x-speakeasy-server-id {sid!r} names an "
                          "earlier server too; `server=` selects the first", "speakeasy-extension")
                sid = None
            out.append(str(sid or ""))
        return tuple(out)

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
            if loc not in ("header", "query"):
                self.warn(pfile, pointer_join(pptr, "in"), f"global parameter {pname!r} is in "
                          f"{loc}: only header and query globals are supported; skipped",
                          "speakeasy-extension")
                continue
            if (loc, pname) not in declared:
                self.warn(pfile, pptr, f"global parameter {pname!r} ({loc}) is declared by no "
                          "operation, so no request would send it; skipped",
                          "speakeasy-extension")
                continue
            out[(loc, pname)] = self._parameter(p, pfile, pptr, (pascal(pname),), False)
        return tuple(out.values())

    def _check_method_names(self, ops: list[Operation]) -> None:
        """Two operations that would become the same method is an error, not a silent rename:
        the SDK's API must follow from the spec."""
        seen: dict[tuple[tuple[str, ...], str], Operation] = {}
        for o in ops:
            key = (o.namespace, identifier(o.method_name))
            first = seen.setdefault(key, o)
            if first is not o:
                where = ".".join(o.namespace + (key[1],))
                self.error(self.spec.root_path, o.pointer,
                           f"operation {o.operation_id!r} would become method {where}(), which "
                           f"operation {first.operation_id!r} ({first.pointer}) already is; set "
                           "x-speakeasy-name-override or x-speakeasy-group on one of them",
                           "method-collision")

    def _retries(self, node: Any, pointer: str) -> Retries | None:
        if not isinstance(node, dict):
            return None
        b: dict = node["backoff"] if isinstance(node.get("backoff"), dict) else {}
        codes_node = node.get("statusCodes")
        codes = tuple(str(c) for c in codes_node if c is not None) if isinstance(
            codes_node, list) else ()

        def number(key: str, default: float, kind: type) -> Any:
            value = b.get(key, default)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                return kind(value)
            self.warn(self.spec.root_path, pointer_join(pointer, "backoff", key),
                      f"x-speakeasy-retries: backoff.{key} must be a non-negative number; "
                      f"{default} is used", "speakeasy-extension")
            return kind(default)

        return Retries(
            strategy=str(node.get("strategy", "backoff")),
            initial_interval=number("initialInterval", 500, int),
            max_interval=number("maxInterval", 60000, int),
            exponent=number("exponent", 1.5, float),
            max_elapsed_time=number("maxElapsedTime", 3600000, int),
            status_codes=codes, retry_connection_errors=bool(node.get("retryConnectionErrors")),
        )

    def _security_schemes(self) -> dict[str, SecurityScheme]:
        """Every declared scheme the SDK can send, by name (oauth2 and openIdConnect as a
        bearer token, any http scheme but basic too); mutualTLS and unknown types are left
        out (a requirement naming one is reported by `_requirements`)."""
        schemes = (self.root.get("components") or {}).get("securitySchemes") or {}
        out: dict[str, SecurityScheme] = {}
        for name, s in schemes.items() if isinstance(schemes, dict) else ():
            name = str(name)
            if isinstance(s, dict) and "$ref" in s:
                try:
                    s, _, _ = self.spec.deref(s, self.spec.root_path, "#")
                except KeyError:
                    s = None
            if not isinstance(s, dict):
                continue
            typ = str(s.get("type", ""))
            desc = str(s.get("description", "") or "")
            if typ == "http" and str(s.get("scheme", "")).lower() == "basic":
                out[name] = SecurityScheme(name, "basic", "Authorization", "header", desc, typ)
            elif typ in ("http", "oauth2", "openIdConnect"):
                out[name] = SecurityScheme(name, "bearer", "Authorization", "header", desc, typ)
            elif typ == "apiKey":
                out[name] = SecurityScheme(name, "apiKey", str(s.get("name", name)),
                                           str(s.get("in", "header")), desc, typ)
        return out

    def _requirements(self, reqs: Any, file: Path, pointer: str) -> tuple[tuple[str, ...], ...]:
        """Security requirement alternatives as scheme-name tuples: the empty requirement
        (`{}`: credentials optional) becomes a trailing `()`, so that the runtime still sends
        the credentials of an alternative it can satisfy. An alternative naming a scheme that
        is not declared (or not supported) can never be met: dropped, with a warning."""
        out: list[tuple[str, ...]] = []
        optional = False
        for i, req in enumerate(reqs if isinstance(reqs, list) else ()):
            if not isinstance(req, dict):
                continue
            if not req:
                optional = True
                continue
            names = tuple(str(k) for k in req)
            bad = [n for n in names if n not in self._schemes]
            if bad:
                declared = (self.root.get("components") or {}).get("securitySchemes") or {}
                what = ("has a type sdkgen cannot send (mutualTLS) or a broken $ref"
                        if isinstance(declared, dict) and bad[0] in declared else
                        "is not declared in components.securitySchemes")
                self.warn(file, pointer_join(pointer, i),
                          f"security scheme {bad[0]!r} {what}; this requirement is ignored",
                          "security-scheme")
                continue
            if names not in out:
                out.append(names)
        return tuple(out) + (((),) if out and optional else ())

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
        retries = self._retries(op.get("x-speakeasy-retries"),
                                pointer_join(pointer, "x-speakeasy-retries")) or global_retries
        if "security" in op:
            security = self._requirements(op["security"], file, pointer_join(pointer, "security"))
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
            success_content_type=success_ct, stream=stream, errors=errors, retries=retries,
            secured=bool(security), security=security, pointer=pointer, stream_alt=stream_alt,
            stream_flag=flag,
            usage_example=op.get("x-speakeasy-usage-example"), max_method_params=max_params,
            deprecation_message=str(op.get("x-speakeasy-deprecation-message", "") or ""),
            pagination=paging,
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
                    p, pfile, pptr, (pascal(pname), pascal_id + pascal(pname)),
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
        schema = p.get("schema")
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            media = next(iter(p["content"].values()))
            schema = media.get("schema") if isinstance(media, dict) else None
        t = self.schema_type(schema, file, pointer_join(pointer, "schema"), hints)
        has_ex, ex = self._example(p)
        if not has_ex and isinstance(schema, dict):
            has_ex, ex = self._example(schema)
        return Parameter(
            pname, loc, t, required, str(p.get("description", "") or ""), has_ex, ex,
            bool(p.get("deprecated")), bool(p.get("explode", loc in ("query", "cookie"))),
            str(p.get("style", "")), str(p.get("x-speakeasy-name-override", "") or ""))

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
        ct = _pick_content_type(content)
        media = content[ct] if isinstance(content[ct], dict) else {}
        t = self.schema_type(media.get("schema"), file, pointer_join(rptr, "content", ct, "schema"),
                             (pascal_id + "RequestBody",))
        has_ex, ex = False, None
        if "example" in media:
            has_ex, ex = True, media["example"]
        elif isinstance(media.get("examples"), dict) and media["examples"]:
            first = next(iter(media["examples"].values()))
            try:
                first, _, _ = self.spec.deref(first, file, "#")
            except KeyError:
                first = None
            if isinstance(first, dict) and "value" in first:
                has_ex, ex = True, first["value"]
        flattened = t.kind == REF and isinstance(self.types.get(t.name), ObjectType)
        return RequestBody(t, ct, bool(rb.get("required")), str(rb.get("description", "") or ""),
                           has_ex, ex, flattened)

    def _responses(self, op: dict, file: Path, pointer: str, pascal_id: str):
        responses = op.get("responses") or {}
        success: TypeRef | None = None
        success_ct = ""
        stream: StreamInfo | None = None
        errors: list[ErrorResponse] = []
        codes = sorted((str(c) for c in responses), key=lambda c: (not c.startswith("2"), c))
        chosen_success = False
        for code in codes:
            resp = responses[code] if code in responses else responses.get(int(code)) if (
                code.isdigit()) else None
            found = self.follow(resp, file, pointer_join(pointer, "responses", code))
            if found is None:
                continue
            resp, rfile, rptr = found
            content = resp.get("content") if isinstance(resp, dict) else None
            content = content if isinstance(content, dict) else {}
            if code.startswith("2") or (code.upper() == "2XX"):
                if chosen_success:
                    continue
                chosen_success = True
                suffix = "ResponseBody"
                ct = _pick_response_type(content)
                if not ct:
                    continue
                media = content[ct] if isinstance(content[ct], dict) else {}
                mptr = pointer_join(rptr, "content", ct, "schema")
                base = ct.split(";")[0].strip().lower()
                t = self.schema_type(media.get("schema"), rfile, mptr, (pascal_id + suffix,))
                success_ct = ct
                if base == SSE:
                    stream = self._stream_info(t, media, "sse")
                elif base in JSONL_TYPES:
                    stream = StreamInfo(t, "jsonl", None, False, True)
                elif _is_json(base):
                    success = t
                else:
                    success = TypeRef(SCALAR, "bytes") if base != "text/plain" else TypeRef(
                        SCALAR, "str")
            elif code.startswith(("4", "5")) or code == "default":
                ct = _pick_content_type(content) if content else ""
                et = None
                if ct and _is_json(ct):
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

    def _stream_info(self, t: TypeRef, media: dict, fmt: str) -> StreamInfo:
        sentinel = media.get("x-speakeasy-sse-sentinel")
        named = self.types.get(t.name) if t.kind == REF else None
        if isinstance(named, ObjectType) and any(f.wire_name == "data" for f in named.fields):
            data = next(f for f in named.fields if f.wire_name == "data")
            data_is_json = not (data.type.kind == SCALAR and data.type.name == "str")
            return StreamInfo(t, fmt, str(sentinel) if sentinel else None, True, data_is_json)
        return StreamInfo(t, fmt, str(sentinel) if sentinel else None, False, True)

    def _namespaces(self, ops: list[Operation]) -> Namespace:
        tag_desc = {str(t.get("name")): str(t.get("description", "") or "")
                    for t in self.root.get("tags") or [] if isinstance(t, dict)}
        tag_by_path = {}
        for t in tag_desc:
            tag_by_path[tuple(snake(p) for p in t.split(".") if snake(p))] = t
        paths: list[tuple[str, ...]] = [()]
        for o in ops:
            for i in range(1, len(o.namespace) + 1):
                if o.namespace[:i] not in paths:
                    paths.append(o.namespace[:i])

        def node(path: tuple[str, ...]) -> Namespace:
            children = tuple(node(p) for p in paths if len(p) == len(path) + 1 and p[:-1] == path)
            tag = tag_by_path.get(path, "")
            return Namespace(
                path=path, class_candidates=(pascal(path[-1]) if path else "Root",),
                description=tag_desc.get(tag, ""),
                operations=tuple(o for o in ops if o.namespace == path), children=children,
            )

        return node(())


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


def _pointer_of(key: str, builder: "Builder") -> str:
    """The pointer part of a type key (keys of the root document are bare pointers)."""
    return key[key.index("#"):]


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


def _pick_content_type(content: dict) -> str:
    keys = list(content)
    for k in keys:
        if _is_json(k):
            return k
    for pref in ("multipart/form-data", "application/x-www-form-urlencoded",
                 "application/octet-stream", "text/plain"):
        for k in keys:
            if k.split(";")[0].strip().lower() == pref:
                return k
    return keys[0]


def _pick_response_type(content: dict) -> str:
    if not content:
        return ""
    keys = list(content)
    for k in keys:
        if _is_json(k):
            return k
    for k in keys:
        base = k.split(";")[0].strip().lower()
        if base == SSE or base in JSONL_TYPES:
            return k
    return keys[0]


def build(spec: Spec) -> tuple[Api, list[Diagnostic]]:
    def run() -> tuple[Api, list[Diagnostic]]:
        b = Builder(spec)
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
