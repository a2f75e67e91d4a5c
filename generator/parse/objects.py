"""Object types: the properties of a schema and of its `allOf` members merged into one
model, each property a Field (type, description, example, default, read/write-only)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ..context import SchemaType
from ..diagnostics import Code
from ..load import Spec, pointer_join
from ..model import ANY, Field, ObjectType, Ref, TypeRef
from .examples import Examples
from .names import InlineNames
from .registry import TypeRegistry
from .report import Problems
from .shapes import TYPE_KEYS, admits_null, annotation_only, with_deprecation


class ObjectBuilder:
    def __init__(self, spec: Spec, schema_type: SchemaType, registry: TypeRegistry,
                 problems: Problems, examples: Examples, names: InlineNames):
        self.spec = spec
        self.schema_type = schema_type
        self.registry = registry
        self.problems = problems
        self.examples = examples
        self.names = names
        self.is_31 = str(spec.root.get("openapi", "")).startswith("3.1")

    def object_type(self, node: dict, file: Path, pointer: str, hint: tuple[str, ...],
                    key: str, root: str | None) -> TypeRef:
        """The ObjectType of `node` registered under `key`; a reference to it. Inline types
        of its properties are named after `root`, the root schema they sit in."""
        ref = Ref(key)
        # a reference met while the type is built (recursion) admits null as the schema does
        with self.registry.building_object(key, ref.with_nullable(admits_null(self.spec, node,
                                                                              file))):
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
                        earlier[0], dict) and not TYPE_KEYS & pnode.keys():
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
                with self.problems.quiet() if inherited else nullcontext():
                    fields.append(self._field(name, pnode, pfile, pptr, name in required,
                                              (root,) if root is not None else parent))
            seen_names = set(declared)
            if len(required) != len(set(required)):
                self.problems.warn(file, pointer_join(pointer, "required"),
                                   "duplicate entries in required", Code.DUPLICATE_REQUIRED)
            for r in dict.fromkeys(required):
                if r not in seen_names:
                    # required but never described: keep it, typed Any, so the SDK still sends it
                    self.problems.warn(file, pointer_join(pointer, "required"),
                                       f"required property {r!r} is not declared; typed as Any",
                                       Code.UNDECLARED_REQUIRED)
                    fields.append(Field(r, ANY, True))
                    seen_names.add(r)
            ap = node.get("additionalProperties")
            additional = None
            if isinstance(ap, dict) and ap:
                additional = self.schema_type(ap, file, pointer_join(pointer, "additionalProperties"),
                                              parent)
            elif ap is True:
                additional = ANY
            self.registry.add(ObjectType(key, parent,
                                         with_deprecation(str(node.get("description", "") or ""),
                                                          node),
                                         tuple(fields), additional, bool(node.get("deprecated"))))
        return ref

    def _collect_props(self, node: dict, file: Path, pointer: str,
                       props: list[tuple[str, Any, Path, str]], required: list[str],
                       depth: int) -> None:
        if depth > 32:
            return
        for i, part in enumerate(node.get("allOf") or []):
            ppath = pointer_join(pointer, "allOf", i)
            found = self.problems.follow(part, file, ppath)
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
        t = self.schema_type(pnode, file, pointer, self.names.inline_candidates(
            parent, name, pnode, self.registry.key(file, pointer)))
        desc, deprecated, has_ex, ex, has_def, default = "", False, False, None, False, None
        ro = wo = False
        override = ""
        if isinstance(pnode, dict):
            desc = with_deprecation(str(pnode.get("description", "") or ""), pnode)
            deprecated = bool(pnode.get("deprecated")) or bool(
                pnode.get("x-speakeasy-deprecation-message"))
            override = str(pnode.get("x-speakeasy-name-override", "") or "")
            has_ex, ex = self.examples.example(pnode, file, pointer)
            has_def, default = "default" in pnode, pnode.get("default")
            ro, wo = bool(pnode.get("readOnly")), bool(pnode.get("writeOnly"))
            if "$ref" in pnode and not self.is_31:
                # OpenAPI 3.0: a `$ref`'s siblings are ignored (the reference generator
                # ignores them too); 3.1 allows them, and they win over the component's
                desc, has_ex, ex = "", False, None
            parts = pnode.get("allOf")
            if not has_ex and isinstance(parts, list):
                typed = [p for p in parts if not annotation_only(p)]
                if len(typed) == 1 and isinstance(typed[0], dict) and "$ref" in typed[0]:
                    # `allOf: [$ref, {description}]`: the example of the schema it names
                    target = self.problems.follow(typed[0], file, pointer)
                    if target is not None and isinstance(target[0], dict):
                        has_ex, ex = self.examples.example(target[0], target[1], target[2])
            if "$ref" in pnode and (not desc or not has_ex):
                # a `$ref` property documents itself with the schema it names (the docs
                # show the component's description and example, as the reference does)
                target = self.problems.follow(pnode, file, pointer)
                if target is not None and isinstance(target[0], dict):
                    if not desc:
                        desc = with_deprecation(str(target[0].get("description", "") or ""),
                                                target[0])
                    if not has_ex:
                        has_ex, ex = self.examples.example(target[0], target[1], target[2])
        return Field(name, t, required, str(desc), has_ex, ex, deprecated, has_def, default, ro, wo,
                     override)
