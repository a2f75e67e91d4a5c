"""Stages 3 and 4: the intermediate model and the names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sdkgen.build import build
from sdkgen.diagnostics import SpecError
from sdkgen.load import load
from sdkgen.model import EnumType, ListOf, ObjectType, Ref, UnionType
from sdkgen.naming import assign_names, identifier, pascal, snake


def spec_file(tmp_path: Path, doc: dict) -> Path:
    p = tmp_path / "api.yaml"
    p.write_text(yaml.safe_dump(doc, sort_keys=False))
    return p


def base(paths: dict, schemas: dict | None = None, **extra) -> dict:
    doc = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def post(op_id: str, body_ref: str, **op) -> dict:
    return {"post": {"operationId": op_id, "requestBody": {"content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{body_ref}"}}}},
        "responses": {"200": {"description": "ok"}}, **op}}


def test_inline_names_bare_when_unique_prefixed_when_not(tmp_path: Path) -> None:
    seed = {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}},
                      {"type": "null"}]}
    schemas = {
        "BodyA": {"type": "object", "properties": {"seed": seed, "mode": {"enum": ["x", "y"]}}},
        "BodyB": {"type": "object", "properties": {"seed": seed}},
    }
    api, _ = build(load(spec_file(tmp_path, base({"/a": post("a", "BodyA"), "/b": post("b", "BodyB")},
                                                 schemas))))
    names = assign_names(api, "SDK", set())
    by_name = {names.of(t.key): t for t in api.types}
    assert {"BodyASeed", "BodyBSeed", "Mode"} <= set(by_name)
    assert isinstance(by_name["BodyASeed"], UnionType) and isinstance(by_name["Mode"], EnumType)
    seed_field = next(f for f in by_name["BodyA"].fields if f.wire_name == "seed")
    assert seed_field.type.nullable and isinstance(seed_field.type, Ref)


def test_inline_response_body_name(tmp_path: Path) -> None:
    paths = {"/c": {"post": {"operationId": "chat_completions_create_stream", "responses": {"200": {
        "description": "ok", "content": {"text/event-stream": {
            "x-speakeasy-sse-sentinel": "[DONE]",
            "schema": {"type": "object", "required": ["data"], "properties": {
                "data": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}}}}}
    api, _ = build(load(spec_file(tmp_path, base(paths))))
    names = assign_names(api, "SDK", set())
    op = api.root.operations[0]
    assert op.stream is not None and op.stream.sentinel == "[DONE]" and op.stream.wrap
    assert isinstance(op.stream.event, Ref)
    assert names.of(op.stream.event.key) == "ChatCompletionsCreateStreamResponseBody"


def test_titled_union_members_use_their_title(tmp_path: Path) -> None:
    schemas = {"Msg": {"oneOf": [
        {"title": "System", "type": "object", "properties": {"role": {"const": "system"}}},
        {"title": "User", "type": "object", "properties": {"role": {"const": "user"}}}]}}
    api, _ = build(load(spec_file(tmp_path, base({}, schemas))))
    names = assign_names(api, "SDK", set())
    assert {"Msg", "System", "User"} <= set(names.types.values())


def test_name_collision_gets_a_stable_suffix(tmp_path: Path) -> None:
    schemas = {"Role": {"enum": ["a"]},
               "Thing": {"type": "object", "properties": {"role": {"type": "object", "properties": {
                   "x": {"type": "string"}}}}}}
    api, _ = build(load(spec_file(tmp_path, base({}, schemas))))
    names = assign_names(api, "SDK", set())
    inline = next(t for t in api.types if isinstance(t, ObjectType) and t.key.endswith("/role"))
    assert names.of(inline.key) == "ThingRole"  # bare `Role` is taken by the component


def test_recursive_schema(tmp_path: Path) -> None:
    schemas = {"Node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}
    api, _ = build(load(spec_file(tmp_path, base({}, schemas))))
    node = api.types[0]
    assert isinstance(node, ObjectType)
    children = node.fields[0].type
    assert isinstance(children, ListOf) and isinstance(children.item, Ref)
    assert children.item.key == node.key


def test_dangling_ref_is_an_error_with_pointer(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        build(load(spec_file(tmp_path, base({"/a": post("a", "Missing")}))))
    d = exc.value.diagnostics[0]
    assert d.code == "dangling-ref" and "requestBody" in d.pointer and d.line is not None


def test_nullable_spellings(tmp_path: Path) -> None:
    schemas = {"O": {"type": "object", "properties": {
        "a": {"type": ["string", "null"]},
        "b": {"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "null"}]},
        "c": {"type": "string", "nullable": True},
    }}, "E": {"enum": ["x"]}}
    api, _ = build(load(spec_file(tmp_path, base({}, schemas))))
    o = next(t for t in api.types if isinstance(t, ObjectType))
    assert [f.type.nullable for f in o.fields] == [True, True, True]


def test_namespaces_from_tags_and_name_override(tmp_path: Path) -> None:
    paths = {"/x": {"post": {"operationId": "serverlessChatComplete", "tags": ["Serverless.Chat"],
                             "x-speakeasy-name-override": "complete",
                             "responses": {"200": {"description": "ok"}}}}}
    doc = base(paths, tags=[{"name": "Serverless.Chat"}, {"name": "Dedicated.Chat"}])
    api, _ = build(load(spec_file(tmp_path, doc)))
    names = assign_names(api, "FriendliCore", set())
    assert api.root.children[0].children[0].operations[0].method_name == "complete"
    assert names.namespaces[("serverless", "chat")] == "FriendliCoreServerlessChat"
    assert names.namespaces[("serverless",)] == "Serverless"


@pytest.mark.parametrize("text,p,s", [
    ("tool_choice", "ToolChoice", "tool_choice"),
    ("serverlessChatComplete", "ServerlessChatComplete", "serverless_chat_complete"),
    ("X-Friendli-Team", "XFriendliTeam", "x_friendli_team"),
    ("HTTPValidationError", "HTTPValidationError", "http_validation_error"),
])
def test_case_conversions(text: str, p: str, s: str) -> None:
    assert pascal(text) == p and snake(text) == s


@pytest.mark.parametrize("wire,ident", [("class", "class_"), ("2fa", "n2fa"), ("from", "from_"),
                                        ("match", "match_"), ("bearerAuth", "bearer_auth")])
def test_identifiers_escape_keywords(wire: str, ident: str) -> None:
    assert identifier(wire) == ident


def test_identical_titled_inline_schemas_share_one_type(tmp_path: Path) -> None:
    addr = {"title": "address_param", "type": "object", "properties": {"line1": {"type": "string"}}}
    paths = {f"/{n}": {"post": {"operationId": n, "requestBody": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {"address": addr}}}}},
        "responses": {"200": {"description": "ok"}}}} for n in ("a", "b")}
    api, _ = build(load(spec_file(tmp_path, base(paths))))
    holders = [t for t in api.types if isinstance(t, ObjectType)
               and [f.wire_name for f in t.fields] == ["line1"]]
    assert len(holders) == 1  # one model for both copies, not Address and Address2


def test_inline_union_named_like_its_component_gets_a_kind_suffix(tmp_path: Path) -> None:
    schemas = {
        "subscription_schedule": {"type": "object", "properties": {"id": {"type": "string"}}},
        "subscription": {"type": "object", "properties": {"schedule": {"anyOf": [
            {"type": "string"}, {"$ref": "#/components/schemas/subscription_schedule"}]}}},
        # (another inline type wants the bare name `Schedule`: neither takes it)
        "invoice": {"type": "object", "properties": {"schedule": {"enum": ["daily", "weekly"]}}},
    }
    api, _ = build(load(spec_file(tmp_path, base({}, schemas))))
    names = assign_names(api, "SDK", set())
    assert "SubscriptionScheduleUnion" in names.types.values()
    assert not names.notes
