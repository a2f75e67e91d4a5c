"""The plan stage (generator/plan/): the SDK's shape decided once, on tiny specs: stream
twins, flattening, `_` renames and keyword escaping, model field names; and the plan as
stable JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import yaml

from sdkgen.config import TargetConfig
from sdkgen.pipeline import front
from sdkgen.plan import Plan, build_plan, records
from sdkgen.plan.jsonio import dumps

CFG = TargetConfig(import_name="tiny", sync_client="Tiny", async_client="AsyncTiny")


def json_body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def ok(schema: dict, stream: bool = False) -> dict:
    content = {"application/json": {"schema": schema}}
    if stream:
        content["text/event-stream"] = {"schema": {"$ref": "#/components/schemas/Chunk"}}
    return {"200": {"description": "ok", "content": content}}


CHAT = {"type": "object", "required": ["prompt"], "properties": {
    "prompt": {"type": "string"},
    "stream": {"type": "boolean"},
    "retries": {"type": "integer"},  # a per-call option's name: renamed
    "class": {"type": "string"},  # a keyword: escaped
    "temperature": {"type": "number", "default": 0.5},
}}
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1"},
    "servers": [{"url": "https://tiny.example"}],
    "paths": {
        "/chat": {"post": {
            "operationId": "chat", "requestBody": json_body({"$ref": "#/components/schemas/Chat"}),
            "responses": ok({"$ref": "#/components/schemas/Reply"}, stream=True)}},
        "/items/{from}": {"post": {
            "operationId": "putItem", "x-speakeasy-max-method-params": 2,
            "parameters": [{"name": "from", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": json_body({"$ref": "#/components/schemas/Item"}),
            "responses": ok({"$ref": "#/components/schemas/Item"})}},
        "/small": {"post": {
            "operationId": "small",
            "requestBody": json_body({"$ref": "#/components/schemas/Item"}, required=False),
            "responses": ok({"$ref": "#/components/schemas/Item"})}},
    },
    "components": {"schemas": {
        "Chat": CHAT,
        "Reply": {"type": "object", "properties": {"text": {"type": "string"}}},
        "Chunk": {"type": "object", "properties": {"delta": {"type": "string"}}},
        "Item": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "size": {"type": ["integer", "null"]},
            "x-tag": {"type": "string"}}},
    }},
}


def plan_of(tmp_path: Path, spec: dict = SPEC, cfg: TargetConfig = CFG) -> Plan:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result, _ = front(path, cfg)
    assert result.api is not None and result.names is not None
    return build_plan(result.api, result.names, cfg)


def methods(p: Plan) -> dict[str, records.Method]:
    return {m.name: m for ns in p.namespaces() for m in ns.methods}


def test_stream_twin_is_a_second_method_with_the_switch_set(tmp_path: Path) -> None:
    ms = methods(plan_of(tmp_path))
    plain, twin = ms["chat"], ms["chat_stream"]
    assert (plain.variant, twin.variant) == ("", "stream")
    # the switch is no argument of either: each method sets it
    assert plain.forced == (("stream", "False"),) and twin.forced == (("stream", "True"),)
    assert "stream" not in {a.wire_name for a in plain.arguments + twin.arguments}
    assert plain.operation.stream is None and plain.operation.success is not None
    assert twin.operation.stream is not None and twin.operation.success is None
    assert twin.returns == "EventStream[models.Chunk]" and plain.returns == "models.Reply"


def test_arguments_renamed_escaped_and_ordered(tmp_path: Path) -> None:
    args = {a.wire_name: a for a in methods(plan_of(tmp_path))["chat"].arguments}
    assert args["retries"].name == "retries_"  # the per-call option keeps its name
    assert args["class"].name == "class_"
    assert [a.required for a in methods(plan_of(tmp_path))["chat"].arguments][0] is True
    t = args["temperature"]
    assert (t.required, t.default, t.omitted) == (False, "0.5", "0.5")
    assert t.signature == "temperature: Optional[float] = 0.5"
    assert args["prompt"].signature == "prompt: str"


def test_body_flattened_unless_over_max_method_params(tmp_path: Path) -> None:
    ms = methods(plan_of(tmp_path))
    assert ms["small"].body == records.FLATTENED
    assert dict(ms["small"].body_keys)["x-tag"] == "x_tag"
    put = ms["put_item"]  # 1 parameter + 3 fields > 2
    assert put.body == records.WHOLE and put.operation.body is not None
    assert not put.operation.body.flattened
    assert [(a.name, a.location) for a in put.arguments] == [("from_", "path"),
                                                             ("request", "body")]
    # the config's limit applies when the operation has none of its own
    loose = dict(SPEC, paths={"/small": SPEC["paths"]["/small"]})
    small = methods(plan_of(tmp_path, loose, replace(CFG, max_method_params=1)))["small"]
    assert small.body == records.WHOLE


def test_model_fields_python_and_wire_names(tmp_path: Path) -> None:
    p = plan_of(tmp_path)
    item = next(t for m in p.modules for t in m.types if t.class_name == "Item")
    assert isinstance(item, records.Model)
    fields = {f.wire_name: f for f in item.fields}
    assert fields["x-tag"].name == "x_tag"
    assert fields["x-tag"].annotation == (
        "Annotated[Optional[str], pydantic.Field(alias='x-tag')]")
    assert fields["name"].default == "" and fields["name"].td_required
    assert fields["size"].default == "UNSET"  # nullable, sent in a request
    assert item.td_functional  # `x-tag` is no identifier


def test_method_name_beside_a_namespace_takes_a_suffix(tmp_path: Path) -> None:
    spec = dict(SPEC, paths={
        "/a": {"get": {"operationId": "jobs", "responses": ok({"type": "string"})}},
        "/b": {"get": {"operationId": "list", "x-speakeasy-group": "jobs",
                       "responses": ok({"type": "string"})}},
    })
    p = plan_of(tmp_path, spec)
    assert [c.attr for c in p.root.children] == ["jobs"]
    assert [m.name for m in p.root.methods] == ["jobs_"]


def test_json_is_stable(tmp_path: Path) -> None:
    first = dumps(plan_of(tmp_path))
    again = dumps(plan_of(tmp_path))  # a second, independent build
    assert first == again
    data = json.loads(first)
    assert dumps(plan_of(tmp_path)) == json.dumps(data, indent=1, sort_keys=True,
                                                  ensure_ascii=False) + "\n"
    names = [m["name"] for m in data["root"]["methods"]]
    assert names == ["chat", "chat_stream", "put_item", "small"]
    put = data["root"]["methods"][2]
    assert put["body"] == "whole" and put["operation"]["body"]["flattened"] is False
