"""Every rule of the change table (generator/change_rules.py RULES) on small hand-written specs:
each case edits a base spec and asserts the change kind, severity and location found by
diffing the surfaces of the SDKs the two specs generate (IR + names; nothing rendered)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from sdkgen.change_rules import BREAKING, FEATURE, FIX, RULES, Report, severity
from sdkgen.changes import compare_types, diff
from sdkgen.config import TargetConfig
from sdkgen.pipeline import spec_surface
from sdkgen.surface import Surface


def base() -> dict[str, Any]:
    ref = lambda n: {"$ref": f"#/components/schemas/{n}"}  # noqa: E731
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearer": []}],
        "x-speakeasy-globals": {"parameters": [
            {"name": "X-Team", "in": "header", "schema": {"type": "string"}}]},
        "paths": {
            "/pets": {
                "get": {"operationId": "listPets", "tags": ["pets"],
                        "parameters": [{"name": "limit", "in": "query",
                                        "schema": {"type": "integer"}},
                                       {"name": "X-Team", "in": "header",
                                        "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {"schema": {"type": "array",
                                                            "items": ref("Pet")}}}}}},
                "post": {"operationId": "createPet", "tags": ["pets"],
                         "requestBody": {"required": True, "content": {
                             "application/json": {"schema": ref("NewPet")}}},
                         "responses": {
                             "201": {"description": "ok", "content": {
                                 "application/json": {"schema": ref("Pet")}}},
                             "400": {"description": "bad", "content": {
                                 "application/json": {"schema": ref("Error")}}}}},
            },
            "/pets/{petId}": {
                "get": {"operationId": "getPet", "tags": ["pets"], "description": "One pet.",
                        "parameters": [{"name": "petId", "in": "path", "required": True,
                                        "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {"schema": ref("Pet")}}}}},
            },
            "/animals": {
                "get": {"operationId": "listAnimals", "tags": ["pets"],
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {"schema": ref("Animal")}}}}},
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"},
                    "tag": {"type": "string", "description": "A tag."},
                    "status": ref("Status")}},
                "Status": {"type": "string", "enum": ["available", "sold"]},
                "NewPet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "tag": {"type": "string"},
                    "size": {"type": "number", "default": 1},
                    "color": ref("Color")}},
                "Color": {"type": "string", "enum": ["red", "green"]},
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
                "Toy": {"type": "object", "properties": {"squeaks": {"type": "boolean"}}},
                "Mood": {"type": "string", "enum": ["happy", "grumpy"]},
                "Cat": {"type": "object", "required": ["pet_type"], "properties": {
                    "pet_type": ref("CatType"), "purrs": {"type": "boolean"}}},
                "CatType": {"type": "string", "enum": ["cat"]},
                "Dog": {"type": "object", "required": ["pet_type"], "properties": {
                    "pet_type": {"type": "string", "enum": ["dog"]},
                    "barks": {"type": "boolean"}}},
                "Bird": {"type": "object", "required": ["pet_type"], "properties": {
                    "pet_type": {"type": "string", "enum": ["bird"]}}},
                "Animal": {"oneOf": [ref("Cat"), ref("Dog")],
                           "discriminator": {"propertyName": "pet_type"}},
                "Shape": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            },
        },
    }


def surface_of(spec: dict[str, Any], tmp: Path, name: str, **cfg: Any) -> Surface:
    path = tmp / name / "pets.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec), encoding="utf-8")
    names = dict(dist_name="pets", import_name="pets", sdk_class_name="Pets",
                 sync_client="Pets", async_client="AsyncPets", env_prefix="PETS",
                 base_error="PetsError")
    return spec_surface(path, TargetConfig(**{**names, **cfg}))


def changes(tmp: Path, edit: Callable[[dict[str, Any]], None],
            before: Callable[[dict[str, Any]], None] | None = None) -> Report:
    old = base()
    if before is not None:
        before(old)
    new = copy.deepcopy(old)
    edit(new)
    return diff(surface_of(old, tmp, "old"), surface_of(new, tmp, "new"))


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]  # type: ignore[no-any-return]


def op(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return spec["paths"][path][method]  # type: ignore[no-any-return]


def limit(spec: dict[str, Any]) -> dict[str, Any]:
    return op(spec, "/pets", "get")["parameters"][0]  # type: ignore[no-any-return]


def _set(d: dict[str, Any], key: str, value: Any) -> None:
    d[key] = value


def _del(d: dict[str, Any], key: str) -> None:
    del d[key]


# (id, edit, before, expected kind, severity, path)
CASES: list[tuple[str, Any, Any, str, str, str]] = [
    # methods
    ("method-added", lambda s: s["paths"]["/pets/{petId}"].__setitem__("delete", {
        "operationId": "deletePet", "tags": ["pets"], "parameters": [
            {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"204": {"description": "gone"}}}), None,
     "method-added", FEATURE, "pets.delete_pet"),
    ("method-removed", lambda s: _del(s["paths"], "/pets/{petId}"), None,
     "method-removed", BREAKING, "pets.get_pet"),
    ("method-renamed", lambda s: _set(op(s, "/pets/{petId}", "get"), "operationId", "fetchPet"),
     None, "method-renamed", BREAKING, "pets.fetch_pet"),
    ("method-deprecated", lambda s: _set(op(s, "/pets/{petId}", "get"), "deprecated", True),
     None, "method-deprecated", FEATURE, "pets.get_pet"),
    ("method-undeprecated", lambda s: _del(op(s, "/pets/{petId}", "get"), "deprecated"),
     lambda s: _set(op(s, "/pets/{petId}", "get"), "deprecated", True),
     "method-undeprecated", FEATURE, "pets.get_pet"),
    # arguments
    ("argument-added", lambda s: op(s, "/pets", "get")["parameters"].append(
        {"name": "offset", "in": "query", "schema": {"type": "integer"}}), None,
     "argument-added", FEATURE, "pets.list_pets(offset)"),
    ("argument-added-required", lambda s: op(s, "/pets", "get")["parameters"].append(
        {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}), None,
     "argument-added-required", BREAKING, "pets.list_pets(owner)"),
    ("argument-removed", lambda s: op(s, "/pets", "get")["parameters"].pop(0), None,
     "argument-removed", BREAKING, "pets.list_pets(limit)"),
    ("argument-renamed", lambda s: _set(limit(s), "x-speakeasy-name-override", "max_items"),
     None, "argument-renamed", BREAKING, "pets.list_pets(max_items)"),
    ("argument-required", lambda s: _set(limit(s), "required", True), None,
     "argument-required", BREAKING, "pets.list_pets(limit)"),
    ("argument-optional", lambda s: _set(limit(s), "required", False),
     lambda s: _set(limit(s), "required", True),
     "argument-optional", FEATURE, "pets.list_pets(limit)"),
    ("argument-nullable", lambda s: _set(limit(s)["schema"], "nullable", True), None,
     "argument-nullable", FEATURE, "pets.list_pets(limit)"),
    ("argument-not-nullable", lambda s: _set(limit(s)["schema"], "nullable", False),
     lambda s: _set(limit(s)["schema"], "nullable", True),
     "argument-not-nullable", BREAKING, "pets.list_pets(limit)"),
    ("argument-type-widened", lambda s: _set(limit(s)["schema"], "type", "number"), None,
     "argument-type-widened", FEATURE, "pets.list_pets(limit)"),
    ("argument-type-narrowed", lambda s: _set(limit(s)["schema"], "type", "integer"),
     lambda s: _set(limit(s)["schema"], "type", "number"),
     "argument-type-narrowed", BREAKING, "pets.list_pets(limit)"),
    ("argument-type-changed", lambda s: _set(limit(s)["schema"], "type", "boolean"), None,
     "argument-type-changed", BREAKING, "pets.list_pets(limit)"),
    ("argument-default-changed", lambda s: _set(schema(s, "NewPet")["properties"]["size"],
                                                "default", 2), None,
     "argument-default-changed", FEATURE, "pets.create_pet(size)"),
    ("argument-deprecated", lambda s: _set(limit(s), "deprecated", True), None,
     "argument-deprecated", FEATURE, "pets.list_pets(limit)"),
    ("argument-moved", lambda s: _set(limit(s), "in", "header"), None,
     "argument-moved", BREAKING, "pets.list_pets(limit)"),
    # returns, errors, security
    ("return-type-widened", lambda s: _set(
        op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]["application/json"],
        "schema", {}), None, "return-type-widened", BREAKING, "pets.get_pet"),
    ("return-type-narrowed", lambda s: _set(
        op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]["application/json"],
        "schema", {"$ref": "#/components/schemas/Pet"}),
     lambda s: _set(
        op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]["application/json"],
        "schema", {}), "return-type-narrowed", FEATURE, "pets.get_pet"),
    ("return-type-changed", lambda s: _set(
        op(s, "/pets/{petId}", "get")["responses"]["200"]["content"]["application/json"],
        "schema", {"$ref": "#/components/schemas/Toy"}), None,
     "return-type-changed", BREAKING, "pets.get_pet"),
    ("error-added", lambda s: _set(op(s, "/pets/{petId}", "get")["responses"], "404", {
        "description": "no", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}), None,
     "error-added", FEATURE, "pets.get_pet"),
    ("error-removed", lambda s: _del(op(s, "/pets", "post")["responses"], "400"), None,
     "error-removed", FEATURE, "pets.create_pet"),
    ("method-security-changed", lambda s: _set(op(s, "/pets/{petId}", "get"), "security", []),
     None, "method-security-changed", BREAKING, "pets.get_pet"),
    # models
    ("model-added", lambda s: _set(s["components"]["schemas"], "Owner", {
        "type": "object", "properties": {"name": {"type": "string"}}}), None,
     "model-added", FEATURE, "models.Owner"),
    ("model-removed", lambda s: _del(s["components"]["schemas"], "Toy"), None,
     "model-removed", BREAKING, "models.Toy"),
    ("model-renamed", lambda s: _set(s["components"]["schemas"], "Plaything",
                                     s["components"]["schemas"].pop("Toy")), None,
     "model-renamed", BREAKING, "models.Toy"),
    ("model-deprecated", lambda s: _set(schema(s, "Toy"), "deprecated", True), None,
     "model-deprecated", FEATURE, "models.Toy"),
    ("field-added (response)", lambda s: _set(schema(s, "Pet")["properties"], "age",
                                              {"type": "integer"}), None,
     "field-added", FEATURE, "models.Pet.age"),
    ("field-added-required (request)", lambda s: (
        _set(schema(s, "NewPet")["properties"], "owner", {"type": "string"}),
        schema(s, "NewPet")["required"].append("owner")), None,
     "field-added-required", BREAKING, "models.NewPet.owner"),
    ("field-added-required (response)", lambda s: (
        _set(schema(s, "Pet")["properties"], "age", {"type": "integer"}),
        schema(s, "Pet")["required"].append("age")), None,
     "field-added-required", FEATURE, "models.Pet.age"),
    ("field-removed", lambda s: _del(schema(s, "Pet")["properties"], "tag"), None,
     "field-removed", BREAKING, "models.Pet.tag"),
    ("field-renamed", lambda s: _set(schema(s, "Pet")["properties"]["tag"],
                                     "x-speakeasy-name-override", "label"), None,
     "field-renamed", BREAKING, "models.Pet.label"),
    ("field-required (request)", lambda s: schema(s, "NewPet")["required"].append("tag"), None,
     "field-required", BREAKING, "models.NewPet.tag"),
    ("field-required (response)", lambda s: schema(s, "Pet")["required"].append("tag"), None,
     "field-required", FEATURE, "models.Pet.tag"),
    ("field-optional (response)", lambda s: schema(s, "Pet")["required"].remove("name"), None,
     "field-optional", BREAKING, "models.Pet.name"),
    ("field-optional (request)", lambda s: schema(s, "NewPet")["required"].remove("name"), None,
     "field-optional", FEATURE, "models.NewPet.name"),
    ("field-nullable (response)", lambda s: _set(schema(s, "Pet")["properties"]["tag"],
                                                 "nullable", True), None,
     "field-nullable", BREAKING, "models.Pet.tag"),
    ("field-nullable (request)", lambda s: _set(schema(s, "NewPet")["properties"]["tag"],
                                                "nullable", True), None,
     "field-nullable", FEATURE, "models.NewPet.tag"),
    ("field-not-nullable (request)", lambda s: _set(schema(s, "NewPet")["properties"]["tag"],
                                                    "nullable", False),
     lambda s: _set(schema(s, "NewPet")["properties"]["tag"], "nullable", True),
     "field-not-nullable", BREAKING, "models.NewPet.tag"),
    ("field-type-widened (response)", lambda s: _set(schema(s, "Pet")["properties"]["id"],
                                                     "type", "number"), None,
     "field-type-widened", BREAKING, "models.Pet.id"),
    ("field-type-narrowed (response)", lambda s: _set(schema(s, "Pet")["properties"]["id"],
                                                      "type", "integer"),
     lambda s: _set(schema(s, "Pet")["properties"]["id"], "type", "number"),
     "field-type-narrowed", FEATURE, "models.Pet.id"),
    ("field-type-narrowed (request)", lambda s: _set(schema(s, "NewPet")["properties"]["size"],
                                                     "type", "integer"), None,
     "field-type-narrowed", BREAKING, "models.NewPet.size"),
    ("field-type-changed", lambda s: _set(schema(s, "Pet")["properties"]["name"], "type",
                                          "boolean"), None,
     "field-type-changed", BREAKING, "models.Pet.name"),
    ("field-default-changed", lambda s: _set(schema(s, "NewPet")["properties"]["size"],
                                             "default", 2), None,
     "field-default-changed", FEATURE, "models.NewPet.size"),
    ("field-deprecated", lambda s: _set(schema(s, "Pet")["properties"]["tag"], "deprecated",
                                        True), None,
     "field-deprecated", FEATURE, "models.Pet.tag"),
    ("additional-properties-changed", lambda s: _set(schema(s, "Pet"), "additionalProperties",
                                                     {"type": "string"}), None,
     "additional-properties-changed", BREAKING, "models.Pet"),
    # enums
    ("enum-added", lambda s: _set(s["components"]["schemas"], "Size",
                                  {"type": "string", "enum": ["s", "m"]}), None,
     "enum-added", FEATURE, "models.Size"),
    ("enum-removed", lambda s: _del(s["components"]["schemas"], "Mood"), None,
     "enum-removed", BREAKING, "models.Mood"),
    ("enum-renamed", lambda s: _set(s["components"]["schemas"], "Temper",
                                    s["components"]["schemas"].pop("Mood")), None,
     "enum-renamed", BREAKING, "models.Mood"),
    ("enum-value-added (open response enum)", lambda s: schema(s, "Status")["enum"].append(
        "pending"), None, "enum-value-added", FEATURE, "models.Status"),
    ("enum-value-added (request enum)", lambda s: schema(s, "Color")["enum"].append("blue"),
     None, "enum-value-added", FEATURE, "models.Color"),
    ("enum-value-added-closed (discriminator tag)", lambda s: schema(s, "CatType")[
        "enum"].append("kitten"), None, "enum-value-added-closed", BREAKING, "models.CatType"),
    ("enum-value-removed (request)", lambda s: schema(s, "Color")["enum"].remove("green"),
     None, "enum-value-removed", BREAKING, "models.Color"),
    ("enum-value-removed (response)", lambda s: schema(s, "Status")["enum"].remove("sold"),
     None, "enum-value-removed", FEATURE, "models.Status"),
    ("enum-opened", lambda s: _set(schema(s, "CatType"), "x-speakeasy-unknown-values",
                                   "allow"), None, "enum-opened", FEATURE, "models.CatType"),
    ("enum-closed", lambda s: _del(schema(s, "CatType"), "x-speakeasy-unknown-values"),
     lambda s: _set(schema(s, "CatType"), "x-speakeasy-unknown-values", "allow"),
     "enum-closed", BREAKING, "models.CatType"),
    # unions
    ("union-added", lambda s: _set(s["components"]["schemas"], "Form", {
        "oneOf": [{"type": "string"}, {"type": "boolean"}]}), None,
     "union-added", FEATURE, "models.Form"),
    ("union-removed", lambda s: _del(s["components"]["schemas"], "Shape"), None,
     "union-removed", BREAKING, "models.Shape"),
    ("union-renamed", lambda s: _set(s["components"]["schemas"], "Outline",
                                     s["components"]["schemas"].pop("Shape")), None,
     "union-renamed", BREAKING, "models.Shape"),
    ("union-member-added (response)", lambda s: schema(s, "Animal")["oneOf"].append(
        {"$ref": "#/components/schemas/Bird"}), None,
     "union-member-added", BREAKING, "models.Animal"),
    ("union-member-removed (response)", lambda s: schema(s, "Animal")["oneOf"].pop(),
     lambda s: schema(s, "Animal")["oneOf"].append({"$ref": "#/components/schemas/Bird"}),
     "union-member-removed", FEATURE, "models.Animal"),
    ("union-discriminator-changed", lambda s: _del(schema(s, "Animal"), "discriminator"), None,
     "union-discriminator-changed", BREAKING, "models.Animal"),
    ("exception-added", lambda s: _set(op(s, "/pets/{petId}", "get")["responses"], "404", {
        "description": "no", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Toy"}}}}), None,
     "exception-added", FEATURE, "models.Toy"),
    ("exception-removed", lambda s: _del(op(s, "/pets", "post")["responses"], "400"), None,
     "exception-removed", BREAKING, "models.Error"),
    # client
    ("server-default-changed", lambda s: _set(s, "servers", [{"url": "https://v2.example.com"}]),
     None, "server-default-changed", BREAKING, "servers[0]"),
    ("server-added", lambda s: s["servers"].append({"url": "https://eu.example.com"}), None,
     "server-added", FEATURE, "servers"),
    ("server-removed", lambda s: s["servers"].pop(),
     lambda s: s["servers"].append({"url": "https://eu.example.com"}),
     "server-removed", BREAKING, "servers"),
    ("security-scheme-added", lambda s: (
        _set(s["components"]["securitySchemes"], "key",
             {"type": "apiKey", "in": "header", "name": "X-Key"}),
        s["security"].append({"key": []})), None,
     "security-scheme-added", FEATURE, "Pets(key)"),
    ("security-scheme-removed", lambda s: (
        _del(s["components"]["securitySchemes"], "key"), s["security"].pop()),
     lambda s: (_set(s["components"]["securitySchemes"], "key",
                     {"type": "apiKey", "in": "header", "name": "X-Key"}),
                s["security"].append({"key": []})),
     "security-scheme-removed", BREAKING, "Pets(key)"),
    ("security-scheme-changed", lambda s: _set(s["components"]["securitySchemes"], "bearer",
                                               {"type": "apiKey", "in": "header",
                                                "name": "X-Key"}), None,
     "security-scheme-changed", BREAKING, "Pets(bearer)"),
    ("client-argument-added", lambda s: (
        s["x-speakeasy-globals"]["parameters"].append(
            {"name": "X-Region", "in": "header", "schema": {"type": "string"}}),
        op(s, "/pets", "get")["parameters"].append(
            {"name": "X-Region", "in": "header", "schema": {"type": "string"}})), None,
     "client-argument-added", FEATURE, "Pets(x_region)"),
    ("client-argument-removed", lambda s: _del(s, "x-speakeasy-globals"), None,
     "client-argument-removed", BREAKING, "Pets(x_team)"),
    ("client-argument-changed", lambda s: (
        _set(s["x-speakeasy-globals"]["parameters"][0], "schema", {"type": "integer"}),
        _set(op(s, "/pets", "get")["parameters"][1], "schema", {"type": "integer"})), None,
     "client-argument-changed", BREAKING, "Pets(x_team)"),
    ("namespace-added", lambda s: s["paths"]["/pets/{petId}"]["get"].__setitem__(
        "tags", ["owners"]), None, "namespace-added", FEATURE, "owners"),
    ("namespace-removed", lambda s: _del(s["paths"], "/animals"),
     lambda s: _set(op(s, "/animals", "get"), "tags", ["zoo"]),
     "namespace-removed", BREAKING, "zoo"),
    # documentation only
    ("docs-changed", lambda s: _set(op(s, "/pets/{petId}", "get"), "description", "A pet."),
     None, "docs-changed", FIX, "pets.get_pet"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(case: tuple[str, Any, Any, str, str, str], tmp_path: Path) -> None:
    _, edit, before, kind, sev, path = case
    report = changes(tmp_path, edit, before)
    found = [(c.kind, c.severity, c.path) for c in report.changes]
    assert (kind, sev, path) in found, found
    assert report.bump == {BREAKING: "major", FEATURE: "minor", FIX: "patch"}[
        max((c.severity for c in report.changes),
            key=[FIX, FEATURE, BREAKING].index)]


def test_every_rule_has_a_case() -> None:
    covered = {c[3] for c in CASES} | {"client-renamed", "package-renamed"}
    assert covered == set(RULES), set(RULES) ^ covered


def test_client_renamed(tmp_path: Path) -> None:
    old = surface_of(base(), tmp_path, "old")
    new = surface_of(base(), tmp_path, "new", sync_client="PetStore", async_client="AsyncPS")
    report = diff(old, new)
    assert [(c.kind, c.severity, c.old, c.new) for c in report.changes] == [
        ("client-renamed", BREAKING, "Pets", "PetStore")]


def test_package_renamed(tmp_path: Path) -> None:
    old = surface_of(base(), tmp_path, "old")
    new = surface_of(base(), tmp_path, "new", import_name="petstore")
    assert [(c.kind, c.severity, c.old, c.new) for c in diff(old, new).changes] == [
        ("package-renamed", BREAKING, "pets", "petstore")]


def test_enum_of_objects_renamed() -> None:
    """Enum values may be any JSON (here objects, unhashable): rename detection works."""
    from sdkgen.surface import Client, Enum

    def surface(name: str, pointer: str) -> Surface:
        client = Client("C", "AsyncC", (), (), (), ())
        enum = Enum(name, pointer, ({"a": 1}, {"b": [2]}), True, ("request",))
        return Surface("p", client, (), (), (enum,), (), ())

    found = [(c.kind, c.old, c.new) for c in diff(surface("Mood", "#/x"),
                                                   surface("Temper", "#/y")).changes]
    assert found == [("enum-renamed", "Mood", "Temper")]


def test_unchanged_spec_has_no_changes(tmp_path: Path) -> None:
    report = diff(surface_of(base(), tmp_path, "a"), surface_of(base(), tmp_path, "b"))
    assert report.changes == [] and report.bump == "none"


def test_a_renamed_model_is_one_change(tmp_path: Path) -> None:
    """Fields typed with the renamed class are compared through the rename."""
    def rename(s: dict[str, Any]) -> None:
        s["components"]["schemas"]["Creature"] = s["components"]["schemas"].pop("Pet")
        text = json.dumps(s).replace("#/components/schemas/Pet\"", "#/components/schemas/"
                                                                    "Creature\"")
        s.clear()
        s.update(json.loads(text))

    report = changes(tmp_path, rename)
    assert [(c.kind, c.old, c.new) for c in report.changes] == [
        ("model-renamed", "Pet", "Creature")]
    assert "`Pet` renamed to `Creature`" in report.changes[0].message


def test_change_json_fields_and_pointer(tmp_path: Path) -> None:
    report = changes(tmp_path, lambda s: _del(schema(s, "Pet")["properties"], "tag"))
    data = report.to_json()
    assert data["bump"] == "major"
    (change,) = [c for c in data["changes"] if c["kind"] == "field-removed"]
    assert set(change) == {"severity", "kind", "path", "pointer", "old", "new", "message"}
    assert change["pointer"] == "#/components/schemas/Pet" and change["old"] == "tag"


def test_surface_json_round_trip_is_stable(tmp_path: Path) -> None:
    s = surface_of(base(), tmp_path, "a")
    text = json.dumps(s.to_json(), sort_keys=True, indent=2)
    assert Surface.from_json(json.loads(text)) == s
    assert json.dumps(surface_of(base(), tmp_path, "b").to_json(), sort_keys=True,
                      indent=2) == text


def test_surface_names_are_the_rendered_ones(tmp_path: Path) -> None:
    s = surface_of(base(), tmp_path, "a")
    m = {m.path: m for m in s.methods}["pets.create_pet"]
    assert [a.name for a in m.arguments] == ["name", "tag", "size", "color"]
    assert m.arguments[2].default == "1" and m.arguments[1].default is None
    assert m.returns_type == "Pet" and "Pet" in m.returns and m.errors == ("400 Error",)
    assert {e.name: e.open for e in s.enums}["CatType"] is False  # a discriminator tag
    assert {e.name: e.open for e in s.enums}["Status"] is True  # open_enum in responses


@pytest.mark.parametrize("old,new,how", [
    ("int", "float", "widened"), ("float", "int", "narrowed"), ("str", "Any", "widened"),
    ("Literal['a']", "str", "widened"), ("List[int]", "List[float]", "widened"),
    ("Dict[str, Any]", "Dict[str, int]", "narrowed"), ("str", "bool", "changed"),
    ("Pet", "Nullable[Pet]", "widened")])
def test_compare_types(old: str, new: str, how: str) -> None:
    assert compare_types(old, new) == how


def test_a_type_becoming_a_union_of_it_widens(tmp_path: Path) -> None:
    def widen(s: dict[str, Any]) -> None:
        schema(s, "NewPet")["properties"]["tag"] = {"$ref": "#/components/schemas/Shape"}
        schema(s, "Shape")["oneOf"][1] = {"type": "array", "items": {"type": "string"}}

    report = changes(tmp_path, widen)
    found = {(c.kind, c.severity, c.path) for c in report.changes}
    assert ("argument-type-widened", FEATURE, "pets.create_pet(tag)") in found, found
    assert ("field-type-widened", FEATURE, "models.NewPet.tag") in found, found


def test_severity_of_a_type_used_on_both_sides_is_the_worst() -> None:
    assert severity("field-nullable", ["request"]) == FEATURE
    assert severity("field-nullable", ["response"]) == BREAKING
    assert severity("field-nullable", ["request", "response"]) == BREAKING
    assert severity("field-nullable", []) == BREAKING


def test_docs_rule_table_matches_rules() -> None:
    """docs/changes.md prints the rule table; it must say what RULES says."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "changes.md").read_text("utf-8")
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[1] in (BREAKING, FEATURE, FIX):
            rows[cells[0].strip("`")] = (cells[1], cells[2], cells[4])
    assert rows == {k: (r.request, r.response, r.text) for k, r in RULES.items()}


def test_a_lock_without_namespaces_reports_none(tmp_path: Path) -> None:
    """A lock written before namespaces were recorded does not make them all 'new'."""
    s = surface_of(base(), tmp_path, "a")
    data = s.to_json()
    del data["namespaces"]
    old = Surface.from_json(data)
    assert old.namespaces is None and diff(old, s).changes == []
