"""The ways real specs describe streaming (issue 4, item 3), generated and called against a
live loopback server: JSON or SSE on one operation switched by a `stream` field, Fern's
`x-fern-streaming`, NDJSON, the SSE sentinel, a `?beta=true` path key, and an event union
with a discriminator."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

from sdkgen.config import TargetConfig
from sdkgen.pipeline import generate_to


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Streams", "version": "1"},
    "servers": [{"url": "https://streams.example"}],
    "paths": {
        "/chat": {"post": {
            "operationId": "createChat", "tags": ["chat"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("ChatRequest")}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": ref("Chat")},
                "text/event-stream": {"schema": ref("ChatChunk"), "x-speakeasy-sse-sentinel": "[DONE]"},
            }}}}},
        "/generate": {"post": {
            "operationId": "generate", "tags": ["gen"],
            "x-fern-streaming": {"stream-condition": "$request.stream", "response": ref("Gen"),
                                 "response-stream": ref("GenEvent")},
            "requestBody": {"content": {"application/json": {"schema": ref("GenRequest")}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref("Gen")}}}}}},
        "/pull": {"post": {
            "operationId": "pull", "tags": ["models"],
            "requestBody": {"content": {"application/json": {"schema": ref("GenRequest")}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/x-ndjson": {"schema": ref("PullStatus")}}}}}},
        "/assistants?beta=true": {"get": {
            "operationId": "listAssistants", "tags": ["assistants"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "array", "items": {"type": "string"}}}}}}}},
        "/events": {"get": {
            "operationId": "events", "tags": ["events"],
            "responses": {"200": {"description": "ok", "content": {"text/event-stream": {
                "schema": ref("Event")}}}}}},
    },
    "components": {"schemas": {
        "ChatRequest": {"type": "object", "required": ["model"], "properties": {
            "model": {"type": "string"}, "stream": {"type": "boolean"}}},
        "Chat": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "ChatChunk": {"type": "object", "required": ["delta"], "properties": {"delta": {"type": "string"}}},
        "GenRequest": {"type": "object", "properties": {"prompt": {"type": "string"}, "stream": {"type": "boolean"}}},
        "Gen": {"type": "object", "properties": {"text": {"type": "string"}}},
        "GenEvent": {"type": "object", "properties": {"event_type": {"type": "string"}, "text": {"type": "string"}}},
        "PullStatus": {"type": "object", "properties": {"status": {"type": "string"}}},
        "TextDelta": {"type": "object", "required": ["type", "delta"], "properties": {
            "type": {"const": "text.delta"}, "delta": {"type": "string"}}},
        "Done": {"type": "object", "required": ["type"], "properties": {
            "type": {"const": "done"}, "tokens": {"type": "integer"}}},
        "Event": {"oneOf": [ref("TextDelta"), ref("Done")], "discriminator": {
            "propertyName": "type", "mapping": {"text.delta": "#/components/schemas/TextDelta",
                                                "done": "#/components/schemas/Done"}}},
    }},
}


def handler(req: RecordedRequest) -> Reply:
    body = json.loads(req.body) if req.body else {}
    if req.path == "/chat":
        if body.get("stream"):
            return Reply(200, {"Content-Type": "text/event-stream"},
                         [b'data: {"delta": "a"}\n\n', b'data: {"delta": "b"}\n\n', b"data: [DONE]\n\n"])
        return json_reply({"id": "c1"})
    if req.path == "/generate":
        if body.get("stream"):
            lines = [{"event_type": "text", "text": "x"}, {"event_type": "end", "text": ""}]
            return Reply(200, {"Content-Type": "application/stream+json"},
                         [(json.dumps(x) + "\n").encode() for x in lines])
        return json_reply({"text": "whole"})
    if req.path == "/pull":
        return Reply(200, {"Content-Type": "application/x-ndjson"},
                     [b'{"status": "pulling"}\n{"status": "verifying"}\n', b'{"status": "success"}\n'])
    if req.path == "/assistants":
        return json_reply(["a1"])
    if req.path == "/events":
        return Reply(200, {"Content-Type": "text/event-stream"}, [
            b'event: x\ndata: {"type": "text.delta", "delta": "hi"}\n\n',
            b'data: {"type": "done", "tokens": 3}\n\n'])
    return json_reply({"detail": "no"}, status=404)


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("streams")
    (tmp / "streams.json").write_text(json.dumps(SPEC))
    cfg = TargetConfig(dist_name="streams", import_name="streamsdk", sdk_class_name="Streams",
                       sync_client="Streams", async_client="AsyncStreams", env_prefix="STREAMS")
    generate_to(tmp / "streams.json", cfg, tmp / "out")
    sys.path.insert(0, str(tmp / "out" / "src"))
    try:
        yield importlib.import_module("streamsdk")
    finally:
        sys.path.remove(str(tmp / "out" / "src"))
        for name in [m for m in sys.modules if m == "streamsdk" or m.startswith("streamsdk.")]:
            del sys.modules[name]


@pytest.fixture()
def client(sdk):
    with LoopbackServer(handler) as srv:
        with sdk.Streams(server_url=srv.url) as c:
            yield c, srv


def test_json_or_sse_on_one_operation_gives_two_typed_methods(sdk, client):
    c, srv = client
    res = c.chat.create_chat(model="m")
    assert isinstance(res, sdk.models.Chat) and res.id == "c1"
    with c.chat.create_chat_stream(model="m") as events:
        deltas = [e.delta for e in events]
    assert deltas == ["a", "b"]  # stopped at the [DONE] sentinel
    assert [r.json()["stream"] for r in srv.requests] == [False, True]
    assert srv.requests[1].headers["accept"] == "text/event-stream"


def test_x_fern_streaming(sdk, client):
    c, srv = client
    assert c.gen.generate(prompt="p").text == "whole"
    with c.gen.generate_stream(prompt="p") as events:
        got = [(e.event_type, e.text) for e in events]
    assert got == [("text", "x"), ("end", "")]
    assert [r.json()["stream"] for r in srv.requests] == [False, True]


def test_ndjson_stream(sdk, client):
    c, _ = client
    with c.models.pull(prompt="p") as events:
        assert [e.status for e in events] == ["pulling", "verifying", "success"]


def test_query_path_key(client):
    c, srv = client
    assert c.assistants.list_assistants() == ["a1"]
    assert srv.requests[0].path == "/assistants" and srv.requests[0].query == {"beta": ["true"]}


def test_event_union_with_discriminator(sdk, client):
    c, _ = client
    with c.events.events() as events:
        got = list(events)
    assert isinstance(got[0], sdk.models.TextDelta) and got[0].delta == "hi"
    assert isinstance(got[1], sdk.models.Done) and got[1].tokens == 3
