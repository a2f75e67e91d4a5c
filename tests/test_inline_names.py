"""When an inline schema takes the bare name of its property, and which types claim names
first (generator/inline_names.py, generator/reach.py): the rule the commercial generator
follows on the parity corpus, pinned on small specs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sdkgen.build import build
from sdkgen.load import load
from sdkgen.naming import assign_names


def names_of(tmp_path: Path, paths: dict, schemas: dict) -> dict[str, str]:
    """type key (pointer, '#/components/schemas/' dropped) -> class name."""
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths,
           "components": {"schemas": schemas}}
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))
    api, _ = build(load(spec))
    names = assign_names(api, "SDK", set())
    return {k.replace("#/components/schemas/", ""): v for k, v in names.types.items()}


def get(op_id: str, *schemas: str) -> dict[str, Any]:
    """A GET operation answering with the given components (one path each)."""
    return {f"/{op_id}/{i}": {"get": {"operationId": f"{op_id}{i}", "responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{s}"}}}}}}} for i, s in enumerate(schemas)}


def ops(*schemas: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, s in enumerate(schemas):
        out.update(get(f"op{i}", s))
    return out


ENUM = {"type": "string", "enum": ["a", "b"]}


def test_scalars_and_refs_of_the_same_name_leave_the_bare_name_free(tmp_path: Path) -> None:
    """`code` is an enum in one schema and an integer or a `$ref` elsewhere: only the enum
    is a type, so it is `Code` (the reference's `Code`, not `ResponsesErrorFieldCode`)."""
    schemas = {
        "Field": {"type": "object", "properties": {"code": ENUM}},
        "Other": {"type": "object", "properties": {"code": {"type": "integer"},
                                                   "ref": {"$ref": "#/components/schemas/K"}}},
        "Third": {"type": "object", "properties": {"code": {"$ref": "#/components/schemas/K"}}},
        "K": ENUM,
    }
    names = names_of(tmp_path, ops("Field", "Other", "Third"), schemas)
    assert names["Field/properties/code"] == "Code"


def test_two_inline_types_wanting_a_name_are_both_qualified(tmp_path: Path) -> None:
    schemas = {
        "Field": {"type": "object", "properties": {"code": ENUM}},
        "Other": {"type": "object", "properties": {"code": {
            "type": "object", "properties": {"x": {"type": "string"}}}}},
    }
    names = names_of(tmp_path, ops("Field", "Other"), schemas)
    assert names["Field/properties/code"] == "FieldCode"
    assert names["Other/properties/code"] == "OtherCode"


def test_schemas_no_operation_reaches_do_not_count(tmp_path: Path) -> None:
    """`Unused` is generated but no operation uses it (the reference does not generate it):
    its `code` does not take the bare name from the one operations use."""
    schemas = {
        "Unused": {"type": "object", "properties": {"code": ENUM}},
        "Field": {"type": "object", "properties": {"code": {"type": "string",
                                                            "enum": ["x", "y"]}}},
    }
    names = names_of(tmp_path, ops("Field"), schemas)
    assert names["Field/properties/code"] == "Code"
    assert names["Unused/properties/code"] == "UnusedCode"


def test_without_operations_every_schema_counts(tmp_path: Path) -> None:
    schemas = {
        "A": {"type": "object", "properties": {"code": ENUM}},
        "B": {"type": "object", "properties": {"code": {"type": "string", "enum": ["x"]}}},
        "C": {"type": "object", "properties": {"kind": ENUM}},
    }
    names = names_of(tmp_path, {}, schemas)
    assert (names["A/properties/code"], names["B/properties/code"]) == ("ACode", "BCode")
    assert names["C/properties/kind"] == "Kind"


def test_a_component_keeps_its_name_wherever_it_is_declared(tmp_path: Path) -> None:
    """The inline `instruct_type` enum is met before the component `InstructType` is
    declared; the component still gets the name (the reference's
    `ModelArchitectureInstructType`)."""
    schemas = {
        "ModelArchitecture": {"type": "object", "properties": {"instruct_type": ENUM}},
        "Architecture": {"type": "object", "properties": {
            "instruct_type": {"$ref": "#/components/schemas/InstructType"}}},
        "InstructType": {"type": "string", "enum": ["chatml", "none"]},
    }
    names = names_of(tmp_path, ops("ModelArchitecture", "Architecture"), schemas)
    assert names["InstructType"] == "InstructType"
    assert names["ModelArchitecture/properties/instruct_type"] == (
        "ModelArchitectureInstructType")


def test_array_items_want_the_singular(tmp_path: Path) -> None:
    """`logprobs` (an array of objects) wants `Logprob`; the `logprob` numbers elsewhere
    define no type."""
    item = {"type": "object", "properties": {"token": {"type": "string"},
                                             "logprob": {"type": "number"}}}
    schemas = {"Text": {"type": "object", "properties": {
        "logprobs": {"type": "array", "items": item}}}}
    names = names_of(tmp_path, ops("Text"), schemas)
    assert names["Text/properties/logprobs/items"] == "Logprob"


def test_an_allof_base_is_no_type_of_its_own_its_copy_is(tmp_path: Path) -> None:
    """`Usage` merges `BaseUsage` (allOf): the reference generates no `BaseUsage`, and the
    merged copy of `details` is the only type that wants `Details`."""
    schemas = {
        "BaseUsage": {"type": "object", "properties": {"details": {
            "type": "object", "properties": {"n": {"type": "integer"}}}}},
        "Usage": {"allOf": [{"$ref": "#/components/schemas/BaseUsage"},
                            {"type": "object", "properties": {"cost": {"type": "number"}}}]},
    }
    names = names_of(tmp_path, ops("Usage"), schemas)
    assert names["Usage/x-sdkgen-inherited/details"] == "Details"
    assert names["BaseUsage/properties/details"] == "BaseUsageDetails"


def test_a_base_used_directly_too_makes_the_name_ambiguous(tmp_path: Path) -> None:
    schemas = {
        "BaseUsage": {"type": "object", "properties": {"details": {
            "type": "object", "properties": {"n": {"type": "integer"}}}}},
        "Usage": {"allOf": [{"$ref": "#/components/schemas/BaseUsage"},
                            {"type": "object", "properties": {"cost": {"type": "number"}}}]},
    }
    names = names_of(tmp_path, ops("Usage", "BaseUsage"), schemas)
    assert names["Usage/x-sdkgen-inherited/details"] == "UsageDetails"
    assert names["BaseUsage/properties/details"] == "BaseUsageDetails"


def test_union_members_written_as_allof_are_named_by_their_tag(tmp_path: Path) -> None:
    """`oneOf: [allOf: [$ref: CreatedEvent, {...}], ...]`: the tag (`type`, a one-value
    enum) comes from the referenced part; the member is `StreamEventResponseCreated`, not
    `StreamEvent1` (the reference's `OpenResponsesStreamEventResponseCreated`)."""
    def event(tag: str) -> dict[str, Any]:
        return {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "enum": [tag]}, "seq": {"type": "number"}}}

    def member(ref: str) -> dict[str, Any]:
        return {"allOf": [{"$ref": f"#/components/schemas/{ref}"}, {
            "type": "object", "properties": {"extra": {"type": "string"}}}]}

    schemas = {"Created": event("response.created"), "Done": event("response.done"),
               "StreamEvent": {"oneOf": [member("Created"), member("Done")]}}
    names = names_of(tmp_path, ops("StreamEvent"), schemas)
    assert names["StreamEvent/oneOf/0"] == "StreamEventResponseCreated"
    assert names["StreamEvent/oneOf/1"] == "StreamEventResponseDone"


def test_a_nullable_allof_of_an_enum_is_an_enum_of_its_own(tmp_path: Path) -> None:
    """`tokenizer: allOf: [$ref: ModelGroup, nullable: true]` is the enum `Tokenizer` (the
    reference merges the parts into a schema named after the property); a plain `$ref` or
    an allOf that only describes stays `ModelGroup`."""
    ref = {"$ref": "#/components/schemas/ModelGroup"}
    schemas = {
        "ModelGroup": {"type": "string", "enum": ["GPT", "Claude"]},
        "Architecture": {"type": "object", "properties": {
            "tokenizer": {"allOf": [ref, {"nullable": True}]},
            "group": ref,
            "described": {"allOf": [ref, {"description": "The group."}]}}},
    }
    doc_names = names_of(tmp_path, ops("Architecture"), schemas)
    assert doc_names["Architecture/properties/tokenizer"] == "Tokenizer"
    spec = tmp_path / "api.yaml"
    api, _ = build(load(spec))
    arch = next(t for t in api.types if t.key == "#/components/schemas/Architecture")
    types = {f.wire_name: f.type for f in arch.fields}  # type: ignore[union-attr]
    assert types["tokenizer"].nullable and types["tokenizer"].key.endswith("/tokenizer")
    assert types["group"].key == types["described"].key == "#/components/schemas/ModelGroup"


def test_legacy_namespace_names_before_the_feb_2025_naming_fix(tmp_path: Path) -> None:
    """A gen.yaml whose `fixes` lack `nameResolutionFeb2025` (emissary's, generator
    1.423): the first `completions` namespace keeps its name, the later one is
    `<SDKClass>Completions`, and a model named like a namespace gives way to it. With the
    fix (the newer generators), both are qualified by their whole path."""
    from sdkgen.config import default_config_for, load_config
    from sdkgen.pipeline import front

    def op(op_id: str, group: str, schema: str) -> dict[str, Any]:
        return {"post": {"operationId": op_id, "x-speakeasy-group": group, "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {
                "$ref": f"#/components/schemas/{schema}"}}}}}}}

    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
        "/c": op("getCompletions", "deployments.completions", "Out"),
        "/cc": op("getChatCompletions", "deployments.chat.completions", "Out"),
        "/e": op("getEmbeddings", "deployments.embeddings", "EmbeddingsOut")},
        "components": {"schemas": {
            "Out": {"type": "object", "properties": {"text": {"type": "string"}}},
            "EmbeddingsOut": {"type": "object", "properties": {"embeddings": {
                "type": "object", "properties": {"v": {"type": "number"}}}}}}}}
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))

    def namings(fixes: str) -> tuple[dict[tuple[str, ...], str], set[str]]:
        gen = tmp_path / "gen.yaml"
        gen.write_text(f"generation:\n  sdkClassName: Client\n  fixes:\n{fixes}"
                       "python:\n  packageName: client\n")
        cfg = load_config(gen, default_config_for(spec), [])
        result, _ = front(spec, cfg)
        assert result.names is not None
        return result.names.namespaces, set(result.names.types.values())

    old, old_models = namings("    nameResolutionDec2023: true\n")
    assert old[("deployments", "completions")] == "Completions"
    assert old[("deployments", "chat", "completions")] == "ClientCompletions"
    assert old[("deployments", "embeddings")] == "Embeddings"
    assert "Embeddings" not in old_models and "EmbeddingsOutEmbeddings" in old_models
    new, new_models = namings("    nameResolutionDec2023: true\n    nameResolutionFeb2025: true\n")
    assert new[("deployments", "completions")] == "ClientDeploymentsCompletions"
    assert new[("deployments", "chat", "completions")] == "ClientDeploymentsChatCompletions"
    assert "Embeddings" in new_models


def test_members_sharing_a_tag_are_numbered_and_twins_all_numbered(tmp_path: Path) -> None:
    """OpenRouter's input items: two `message` shapes (the tag `type` need not be required),
    a `function_call`; the two identical `role` unions and their members are numbered from 1
    (the reference's `Message1`, `Message2`, `RoleUser1`, `RoleUser2`), and the items of an
    array member are named after the union, not `Input2...`."""
    role = {"anyOf": [{"type": "string", "enum": ["user"]},
                      {"type": "string", "enum": ["system"]}]}

    def message(*extra: str) -> dict[str, Any]:
        props: dict[str, Any] = {"type": {"type": "string", "enum": ["message"]},
                                 "role": role}
        props.update({e: {"type": "string"} for e in extra})
        return {"type": "object", "required": ["role"], "properties": props}

    call = {"type": "object", "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["function_call"]}, "name": {"type": "string"}}}
    schemas = {"Input": {"anyOf": [{"type": "string"}, {"type": "array", "items": {
        "anyOf": [message(), message("id"), call]}}]}}
    names = names_of(tmp_path, ops("Input"), schemas)
    items = "Input/anyOf/1/items/anyOf"
    assert [names[f"{items}/{i}"] for i in range(3)] == [
        "InputMessage1", "InputMessage2", "InputFunctionCall"]
    assert names[f"{items}/0/properties/role/anyOf/0"] == "InputRoleUser1"
    assert names[f"{items}/1/properties/role/anyOf/0"] == "InputRoleUser2"
    assert names[f"{items}/0/properties/role"] == "InputRoleUnion1"
    assert names[f"{items}/1/properties/role"] == "InputRoleUnion2"


def test_one_value_enums_wanting_one_name_all_take_their_value(tmp_path: Path) -> None:
    def plugin(pid: str) -> dict[str, Any]:
        return {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string", "enum": [pid]}, "on": {"type": "boolean"}}}

    schemas = {"Params": {"type": "object", "properties": {"plugins": {
        "type": "array", "items": {"oneOf": [plugin("auto-router"), plugin("web")]}}}},
        "Other": {"type": "object", "properties": {"id": ENUM}}}
    names = names_of(tmp_path, ops("Params", "Other"), schemas)
    base = "Params/properties/plugins/items/oneOf"
    assert names[f"{base}/0/properties/id"] == "ParamsIdAutoRouter"  # (IDAutoRouter in the code)
    assert names[f"{base}/1/properties/id"] == "ParamsIdWeb"


def test_with_modules_of_their_own_bare_names_are_counted_per_module(tmp_path: Path) -> None:
    """gen.yaml `imports.paths` puts component schemas in `components` and operation-level
    models in `operations`: the component `data` object is the only one of its module that
    wants `Data` (the reference's `components.Data`), whatever the responses hold."""
    from sdkgen.load import load as load_spec

    obj = {"type": "object", "properties": {"n": {"type": "integer"}}}
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
        "/count": {"get": {"operationId": "count", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Count"}}}}}}},
        "/keys": {"get": {"operationId": "keys", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"data": obj}}}}}}}}},
        "components": {"schemas": {"Count": {"type": "object", "properties": {"data": obj}}}}}
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(doc, sort_keys=False))
    for by_module, expected in ((False, "CountData"), (True, "Data")):
        api, _ = build(load_spec(spec), by_module)
        names = assign_names(api, "SDK", set())
        assert names.types["#/components/schemas/Count/properties/data"] == expected


def test_a_component_that_is_an_array_names_its_items(tmp_path: Path) -> None:
    """`AssistantMessageImages: {type: array, items: {...}}`: the item model is
    `AssistantMessageImages` (no class is generated for the array), as in the reference;
    a property's array items stay singular."""
    item = {"type": "object", "properties": {"url": {"type": "string"}}}
    schemas = {"Images": {"type": "array", "items": item},
               "Message": {"type": "object", "properties": {
                   "images": {"$ref": "#/components/schemas/Images"},
                   "files": {"type": "array", "items": item}}}}
    names = names_of(tmp_path, ops("Message"), schemas)
    assert names["Images/items"] == "Images"
    assert names["Message/properties/files/items"] == "File"


def test_a_property_an_allof_redeclares_leaves_the_base_types_unused(tmp_path: Path) -> None:
    """`Response` merges `BaseResponse` but redeclares `usage` as its own `$ref`: the base's
    `usage` (and the `details` inside it) is never used, so `Usage.details` alone wants
    `Details` (the reference's `InputTokensDetails`)."""
    details = {"type": "object", "properties": {"n": {"type": "integer"}}}
    schemas = {
        "BaseUsage": {"type": "object", "properties": {"details": details}},
        "Usage": {"allOf": [{"$ref": "#/components/schemas/BaseUsage"},
                            {"type": "object", "properties": {"cost": {"type": "number"}}}]},
        "BaseResponse": {"type": "object", "properties": {
            "usage": {"$ref": "#/components/schemas/BaseUsage"}, "id": {"type": "string"}}},
        "Response": {"allOf": [{"$ref": "#/components/schemas/BaseResponse"}, {
            "type": "object", "properties": {"usage": {"$ref": "#/components/schemas/Usage"}}}]},
    }
    names = names_of(tmp_path, ops("Response"), schemas)
    assert names["Usage/x-sdkgen-inherited/details"] == "Details"


def test_members_merging_an_unreached_schema_name_their_types_without_a_root(
        tmp_path: Path) -> None:
    """OpenRouter's stream events: `oneOf: [allOf: [$ref: CreatedEvent, {part: ...}], ...]`
    where no operation uses `CreatedEvent` itself. The reference names the members' inline
    types without the root: the tags `TypeResponseCreated`, `TypeResponseDone`; the twin
    `part` unions `Part1`, `Part2`. A member merging a schema operations do use (`Used`)
    keeps the root (the reference's `OpenResponsesInputMessageItemContentType`)."""
    def event(tag: str) -> dict[str, Any]:
        return {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "enum": [tag]}}}

    part = {"oneOf": [{"$ref": "#/components/schemas/Text"},
                      {"$ref": "#/components/schemas/Refusal"}]}

    def member(ref: str) -> dict[str, Any]:
        return {"allOf": [{"$ref": f"#/components/schemas/{ref}"},
                          {"type": "object", "properties": {"part": part}}]}

    text = {"type": "object", "properties": {"text": {"type": "string"}}}
    schemas = {"Created": event("response.created"), "Done": event("response.done"),
               "Text": text, "Refusal": text,
               "Event": {"oneOf": [member("Created"), member("Done")]},
               "Used": event("used"),
               "Other": {"oneOf": [member("Used"), {"$ref": "#/components/schemas/Text"}]}}
    names = names_of(tmp_path, ops("Event", "Other", "Used"), schemas)
    assert names["Event/oneOf/0"] == "EventResponseCreated"
    assert names["Event/oneOf/0/x-sdkgen-inherited/type"] == "TypeResponseCreated"
    assert names["Event/oneOf/1/x-sdkgen-inherited/type"] == "TypeResponseDone"
    assert names["Event/oneOf/0/allOf/1/properties/part"] == "Part1"
    assert names["Event/oneOf/1/allOf/1/properties/part"] == "Part2"
    assert names["Other/oneOf/0/allOf/1/properties/part"].startswith("Other")
