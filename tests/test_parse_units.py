"""The front end's pieces (generator/parse/) on their own: the schema parser on a few inline
schemas of a document that has no operations, the enum, name and shape rules, the type
registry's build marks and the diagnostics sink, each with just the parts it takes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdkgen.load import Spec, load
from sdkgen.model import (
    ANY,
    EnumType,
    ListOf,
    MapOf,
    ObjectType,
    Ref,
    Scalar,
    TupleOf,
    TypeRef,
    UnionType,
)
from sdkgen.naming import singular
from sdkgen.parse.enums import enum_type
from sdkgen.parse.examples import Examples
from sdkgen.parse.names import InlineNames, member_tags, shared_name, with_kind
from sdkgen.parse.registry import TypeRegistry, pointer_of
from sdkgen.parse.report import Problems
from sdkgen.parse.schemas import MAX_INLINE_DEPTH, SchemaParser
from sdkgen.parse.shapes import (
    admits_null,
    annotation_only,
    component_name,
    not_a_schema,
    strip_null,
)


def _spec(tmp_path: Path, schemas: dict[str, Any] | None = None, **root: Any) -> Spec:
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": schemas or {}}, **root}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    return load(path)


class Parts:
    """A schema parser and the parts it is made of."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.file = spec.root_path
        self.problems = Problems(spec)
        self.registry = TypeRegistry(spec.root_path)
        self.parser = SchemaParser(spec, self.problems, self.registry,
                                   Examples(spec, self.problems), InlineNames(spec))

    def type_of(self, node: Any, pointer: str = "#/x-test", hint: tuple[str, ...] = ("Thing",)
                ) -> TypeRef:
        return self.parser.schema_type(node, self.file, pointer, hint)

    def codes(self) -> list[tuple[str, str]]:
        return [(severity, code) for severity, _, _, _, code in self.problems.items]


@pytest.fixture
def parts(tmp_path: Path) -> Parts:
    return Parts(_spec(tmp_path, {"Pet": {"type": "object", "properties": {
        "name": {"type": "string"}}}}))


def test_scalars_lists_maps_tuples(parts: Parts):
    assert parts.type_of({"type": "string", "format": "date-time"}) == Scalar("datetime")
    assert parts.type_of({"type": ["integer", "null"]}) == Scalar("int", nullable=True)
    assert parts.type_of({"type": "array", "items": {"type": "number"}}) == ListOf(Scalar("float"))
    assert parts.type_of({"additionalProperties": {"type": "boolean"}}) == MapOf(Scalar("bool"))
    closed = {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False}
    assert parts.type_of(closed) == TupleOf((Scalar("str"),
                                                          Scalar("int")))
    assert parts.type_of({"prefixItems": [{"type": "string"}]}) == ListOf(ANY)
    assert parts.type_of({"type": "wat"}) == ANY
    assert parts.codes() == [("warning", "prefix-items"), ("warning", "unknown-type")]
    assert parts.registry.types == {}  # none of these is a named type


def test_an_inline_object_and_its_inline_types_are_named_after_the_root(parts: Parts):
    node = {"type": "object", "required": ["kind"], "properties": {
        "kind": {"enum": ["a", "b", None]},
        "tags": {"type": "array", "items": {"type": "object", "properties": {
            "label": {"type": "string"}}}}}}
    t = parts.type_of(node, hint=("Order",))
    assert t == Ref("#/x-test")
    order = parts.registry.types["#/x-test"]
    assert isinstance(order, ObjectType) and order.candidates == ("Order",)
    kind, tags = order.fields
    assert kind.required and kind.type == Ref("#/x-test/properties/kind", nullable=True)
    enum = parts.registry.types[kind.type.key]
    assert isinstance(enum, EnumType) and enum.values == ("a", "b")
    assert enum.candidates == ("Kind", "OrderKind", "KindEnum", "OrderKindEnum")
    assert isinstance(tags.type, ListOf) and tags.type.item is not None
    assert parts.registry.types[tags.type.item.key].candidates == ("Tag", "OrderTag")
    assert parts.type_of(node, hint=("Other",)) == t  # built once: the same reference


def test_refs_name_their_component_and_report_what_they_cannot_reach(parts: Parts):
    t = parts.type_of({"$ref": "#/components/schemas/Pet"}, hint=("Ignored",))
    assert t == Ref("#/components/schemas/Pet")
    assert parts.registry.types[t.key].candidates == ("Pet",)
    assert parts.type_of({"$ref": "#/components/schemas/Nope"}) == ANY
    assert parts.type_of({"$ref": "#/info"}) == ANY
    assert parts.codes() == [("error", "dangling-ref"), ("error", "ref-not-schema")]


def test_a_ref_cycle_that_defines_no_type(tmp_path: Path):
    parts = Parts(_spec(tmp_path, {"A": {"$ref": "#/components/schemas/B"},
                                   "B": {"$ref": "#/components/schemas/A"}}))
    assert parts.type_of({"$ref": "#/components/schemas/A"}) == ANY
    assert parts.codes() == [("error", "ref-cycle")]


def test_unions_and_a_union_that_contains_itself(tmp_path: Path):
    parts = Parts(_spec(tmp_path, {"U": {"anyOf": [
        {"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/U"}}]}}))
    t = parts.type_of({"$ref": "#/components/schemas/U"})
    union = parts.registry.types[t.key]
    assert isinstance(union, UnionType) and union.members[0] == Scalar("str")
    assert union.members[1] == ListOf(ANY)  # `U = Union[str, List[U]]` cannot be
    assert parts.codes() == [("warning", "union-cycle")]
    tagged = parts.type_of({"oneOf": [
        {"type": "object", "required": ["type"], "properties": {"type": {"const": "dog"}}},
        {"type": "object", "required": ["type"], "properties": {"type": {"const": "cat"}}}]},
        pointer="#/x-pets", hint=("Pet",))
    members = [parts.registry.types[m.key].candidates for m in
               parts.registry.types[tagged.key].members]  # type: ignore[union-attr]
    assert members == [("PetDog", "Pet1"), ("PetCat", "Pet2")]


def test_nesting_deeper_than_python_can_import_is_an_error(parts: Parts):
    node: dict[str, Any] = {"type": "string"}
    for _ in range(MAX_INLINE_DEPTH + 1):
        node = {"type": "array", "items": node}
    assert isinstance(parts.type_of(node), ListOf)
    assert parts.codes() == [("error", "too-deep")]


def test_enum_type_alone(tmp_path: Path):
    spec = _spec(tmp_path)
    problems, registry = Problems(spec), TypeRegistry(spec.root_path)
    t = enum_type({"enum": [1, "a"], "x-speakeasy-enums": ["One"]}, spec.root_path, "#/e",
                  ("Mode",), "#/e", registry, problems)
    enum = registry.types["#/e"]
    assert t == Ref("#/e") and isinstance(enum, EnumType)
    assert enum.values == ("1", "a") and enum.value_kind == "str" and enum.member_names == ()
    assert [item[-1] for item in problems.items] == ["enum-mixed", "speakeasy-extension"]
    assert enum_type({"enum": [None]}, spec.root_path, "#/n", (), "#/n", registry,
                     problems) == ANY.with_nullable(True)


def test_problems_sink(tmp_path: Path):
    spec = _spec(tmp_path)
    problems = Problems(spec)
    with problems.quiet():
        problems.error(spec.root_path, "#/a", "hidden", "too-deep")
    assert problems.items == [] and not problems.has_errors()
    assert problems.follow({"$ref": "#/nowhere"}, spec.root_path, "#/b") is None
    problems.warn(spec.root_path, "#/c", "twice", "servers")
    problems.warn(spec.root_path, "#/c", "twice", "servers")
    located = problems.located()
    assert problems.has_errors() and [(d.severity, d.pointer, d.code) for d in located] == [
        ("error", "#/b/$ref", "dangling-ref"), ("warning", "#/c", "servers")]


def test_registry_keys_and_build_marks(tmp_path: Path):
    registry = TypeRegistry(tmp_path / "spec.yaml")
    assert registry.key(tmp_path / "spec.yaml", "#/a") == "#/a"
    assert registry.key(tmp_path / "schemas" / "x.yaml", "#/b") == "schemas/x.yaml#/b"
    assert pointer_of("schemas/x.yaml#/b") == "#/b"
    ref = Ref("#/u")
    with registry.building_union("#/u", ref):
        assert registry.in_progress("#/u") == ref and registry.union_contains_itself("#/u")
        with registry.building_object("#/o", Ref("#/o")):
            assert not registry.union_contains_itself("#/u")  # a model class in between
            assert registry.open_count() == 2
    assert registry.in_progress("#/u") is None and registry.open_count() == 0
    node = {"title": "T", "type": "object"}
    assert registry.titled_twin(tmp_path, node, "#/1") == "#/1"
    assert registry.titled_twin(tmp_path, dict(node), "#/2") == "#/1"


def test_shapes(tmp_path: Path):
    spec = _spec(tmp_path, {"Null": {"type": "null"}})
    assert annotation_only({"description": "d", "x-foo": 1})
    assert not annotation_only({"type": "string"}) and not annotation_only({"$ref": "#/a"})
    members = [{"$ref": "#/components/schemas/Null"}, {"type": "string"}]
    assert strip_null(spec, members, spec.root_path) == ([{"type": "string"}], True)
    assert admits_null(spec, {"oneOf": members}, spec.root_path)
    assert admits_null(spec, {"enum": ["a", None]}, spec.root_path)
    assert not admits_null(spec, {"type": "string"}, spec.root_path)
    assert component_name("#/components/schemas/a~1b") == "a/b"
    assert component_name("#/components/responses/a") is None
    doc = spec.documents[spec.root_path]
    assert not_a_schema({}, "#/components/schemas/Null", doc) == ""
    assert "not a schema" in not_a_schema({}, "#/info", doc)
    assert "points at a list" in not_a_schema([], "#/tags", doc)


def test_candidate_names(tmp_path: Path):
    # (two inline enums want `Status`; a string defines no type, a `$ref` none of its own)
    status = {"type": "string", "enum": ["on", "off"]}
    spec = _spec(tmp_path, {
        "A": {"properties": {"status": status, "note": {"type": "string"}}},
        "B": {"properties": {"status": status, "note": {"$ref": "#/components/schemas/A"}}}},
        paths={"/a": {"get": {"parameters": [{"name": "order", "in": "query"}]}},
               "/b": {"get": {"parameters": [{"name": "order", "in": "query"},
                                             {"name": "q", "in": "query"}]}}})
    names = InlineNames(spec)
    assert names.inline_candidates(("Parent",), "note", {"type": "string"}) == (
        "Note", "ParentNote")
    assert names.inline_candidates(("Parent",), "status", status) == ("ParentStatus",)
    assert names.parameter_candidates("order", "ListA") == ("ListAOrder", "Order")
    assert names.parameter_candidates("q", "ListB") == ("Q", "ListBQ")
    assert [singular(n) for n in ("Plugins", "Modalities", "Statuses", "Boxes", "Status")] == [
        "Plugin", "Modality", "Status", "Box", "Status"]
    assert with_kind(("Pet", "PetUnion"), "Union") == ("Pet", "PetUnion")
    assert member_tags([{"enum": ["a"]}, {"const": "b"}, {"$ref": "#/x"}]) == ["a", "b", ""]
    assert member_tags([{"enum": ["a"]}, {"enum": ["a"]}]) == ["a1", "a2"]  # shared: numbered
    assert shared_name("#/components/requestBodies/order_track", "requestBodies") == "OrderTrack"
    assert shared_name("#/paths/~1a/post/requestBody", "requestBodies") == ""
