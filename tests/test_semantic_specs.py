"""Semantic bugs found on real specs (issue 9, items 1-6), each from a small spec: allOf
override order, nullability kept when a type is reused, operation- and path-level `servers`,
`format: binary` parameters on the wire, invalid examples kept out of docs and snippets, and
`prefixItems` as a tuple. The generated SDK is called against a live loopback server."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from support.gensdk import imported_sdk
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

from sdkgen.build import build
from sdkgen.config import TargetConfig
from sdkgen.load import load
from sdkgen.model import EnumType, ListOf, ObjectType, Ref, Scalar, TupleOf, UnionType

ROOT_SERVER = "https://api.example.invalid"  # never reached: every call goes to loopback


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict) -> dict:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def spec(base: str) -> dict:
    binary = {"type": "string", "format": "binary"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sem", "version": "1"},
        "servers": [{"url": ROOT_SERVER}],
        "paths": {
            "/chat": {"post": {"operationId": "chat", "requestBody": body(ref("Req")),
                               "responses": ok(ref("Out"))}},
            "/seed": {"get": {"operationId": "getSeed", "responses": ok(ref("Out"))}},
            "/holder": {"post": {"operationId": "putHolder", "requestBody": body(ref("Holder2")),
                                 "responses": ok(ref("Holder1"))}},
            # item 3: servers on the operation, and on the path item
            "/local": {"get": {"operationId": "local", "servers": [{"url": base + "/op"}],
                               "responses": ok(ref("Out"))}},
            "/pathlevel": {"servers": [{"url": base + "/pi"}],
                           "get": {"operationId": "pathLevel", "responses": ok(ref("Out"))}},
            # item 4: binary path, query and header parameters; a binary cursor
            "/blobs/{key}": {"get": {
                "operationId": "getBlob",
                "parameters": [
                    {"name": "key", "in": "path", "required": True, "schema": binary},
                    {"name": "tag", "in": "query", "schema": binary},
                    {"name": "X-Token", "in": "header", "schema": binary}],
                "responses": ok(ref("Out"))}},
            "/files": {"get": {
                "operationId": "listFiles",
                "parameters": [{"name": "cursor", "in": "query", "schema": binary}],
                "x-speakeasy-pagination": {
                    "type": "cursor", "inputs": [{"in": "parameters", "name": "cursor",
                                                  "type": "cursor"}],
                    "outputs": {"nextCursor": "$.next_cursor", "results": "$.data"}},
                "responses": ok(ref("FilePage"))}},
            # item 5: invalid examples (a field's, a parameter's)
            "/stats": {"post": {
                "operationId": "postStats",
                "parameters": [{"name": "limit", "in": "query", "example": "ten",
                                "schema": {"type": "integer"}}],
                "requestBody": body(ref("Stats")), "responses": ok(ref("Stats"))}},
            "/form": {"post": {  # validate checks JSON examples only: build reports this one
                "operationId": "postForm",
                "requestBody": {"content": {"application/x-www-form-urlencoded": {
                    "schema": ref("Stats"), "example": {"name": 5}}}},
                "responses": ok(ref("Stats"))}},
            # item 6: prefixItems
            "/where": {"post": {"operationId": "where", "requestBody": body(ref("Located")),
                                "responses": ok(ref("Located"))}},
        },
        "components": {"schemas": {
            "Base": {"type": "object", "properties": {
                "stream": {"type": ["boolean", "null"], "description": "base", "example": False},
                "note": {"type": "string", "description": "base note"},
                "model": {"type": "string"}}},
            "Req": {"allOf": [ref("Base"), {"required": ["stream"], "properties": {
                "stream": {"type": "boolean", "default": True, "description": "over"},
                "note": {"description": "over note"}}}]},
            "Seed": {"anyOf": [{"type": "array", "items": {"type": "integer"}},
                               {"type": "integer"}, {"type": "null"}]},
            "Mode": {"type": ["string", "null"], "enum": ["a", "b", None]},
            "Out": {"type": "object", "required": ["seed", "mode"], "properties": {
                "seed": ref("Seed"), "mode": ref("Mode")}},
            "Holder1": {"type": "object", "properties": {"choice": {
                "title": "Choice", "anyOf": [{"type": "string"}, {"type": "integer"},
                                             {"type": "null"}]}}},
            "Holder2": {"type": "object", "properties": {"choice": {
                "title": "Choice", "anyOf": [{"type": "string"}, {"type": "integer"},
                                             {"type": "null"}]}}},
            "Node": {"type": ["object", "null"], "properties": {"next": ref("Node")}},
            "FilePage": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"type": "string"}},
                "next_cursor": {"type": ["string", "null"], "format": "binary"}}},
            "Stats": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "example": "daily"},
                "counts": {"type": "array", "items": {"type": "integer"},
                           "examples": [72, 1563]},
                "sizes": {"type": "array", "items": {"type": "integer"},
                          "examples": [3, [1, 2]]}}},
            "Point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}],
                      "items": False},
            "Located": {"type": "object", "required": ["at"], "properties": {
                "at": {"$ref": "#/components/schemas/Point", "example": [1.5, "north"]},
                "open": {"type": "array", "prefixItems": [{"type": "integer"}]}}},
        }},
    }


CFG = TargetConfig(dist_name="semsdk", import_name="semsdk", sdk_class_name="Sem",
                   sync_client="Sem", async_client="AsyncSem", env_prefix="SEM")


def _api(tmp_path: Path) -> Any:
    (tmp_path / "sem.json").write_text(json.dumps(spec("http://127.0.0.1:9")))
    api, diags = build(load(tmp_path / "sem.json"))
    return api, diags, {t.key: t for t in api.types}


def _field(types: dict, comp: str, name: str) -> Any:
    obj = types[f"#/components/schemas/{comp}"]
    assert isinstance(obj, ObjectType)
    return next(f for f in obj.fields if f.wire_name == name)


# ---- the model ------------------------------------------------------------------------------

def test_a_later_allof_member_overrides_a_property(tmp_path: Path) -> None:
    _, _, types = _api(tmp_path)
    stream = _field(types, "Req", "stream")
    assert isinstance(stream.type, Scalar) and stream.type.name == "bool"
    assert not stream.type.nullable and stream.required
    assert (stream.description, stream.has_default, stream.default) == ("over", True, True)
    assert not stream.has_example
    # an override that only annotates keeps the earlier type and takes the new description
    note = _field(types, "Req", "note")
    assert (note.type.name, note.description) == ("str", "over note")
    order = [f.wire_name for f in types["#/components/schemas/Req"].fields]
    assert order == ["stream", "note", "model"]  # the first declaration's position


def test_a_reused_nullable_type_stays_nullable(tmp_path: Path) -> None:
    _, _, types = _api(tmp_path)
    seed, mode = _field(types, "Out", "seed"), _field(types, "Out", "mode")
    assert isinstance(seed.type, Ref) and isinstance(types[seed.type.key], UnionType)
    assert isinstance(mode.type, Ref) and isinstance(types[mode.type.key], EnumType)
    assert seed.type.nullable and mode.type.nullable
    c1, c2 = _field(types, "Holder1", "choice"), _field(types, "Holder2", "choice")
    assert c1.type == c2.type and c2.type.nullable  # one shared type, nullable in both
    assert _field(types, "Node", "next").type.nullable  # met while Node is being built


def test_operation_and_path_servers_are_in_the_model(tmp_path: Path) -> None:
    api, _, _ = _api(tmp_path)
    ops = {o.operation_id: o for o in api.root.operations}
    assert ops["local"].servers == ("http://127.0.0.1:9/op",)
    assert ops["pathLevel"].servers == ("http://127.0.0.1:9/pi",)
    assert ops["chat"].servers == ()


def test_invalid_examples_are_not_used(tmp_path: Path) -> None:
    api, diags, types = _api(tmp_path)
    counts, sizes = _field(types, "Stats", "counts"), _field(types, "Stats", "sizes")
    assert not counts.has_example
    assert (sizes.has_example, sizes.example) == (True, [1, 2])  # the first that fits
    form = next(o for o in api.root.operations if o.operation_id == "postForm")
    assert form.body is not None and not form.body.has_example
    assert [d.pointer for d in diags if d.code == "example-mismatch"] == [
        "#/paths/~1form/post/requestBody/content/application~1x-www-form-urlencoded/example"]


def test_prefix_items_is_a_tuple(tmp_path: Path) -> None:
    _, diags, types = _api(tmp_path)
    at, open_ = _field(types, "Located", "at"), _field(types, "Located", "open")
    assert isinstance(at.type, TupleOf)
    assert at.type.items == (Scalar("float"), Scalar("str"))
    assert isinstance(open_.type, ListOf)  # an open tail cannot be a pydantic tuple: a warning says so
    assert any(d.code == "prefix-items" and "open" in d.pointer for d in diags)


# ---- the generated SDK, live ------------------------------------------------------------------

class Api:
    def __init__(self) -> None:
        self.cursors: dict[str, tuple[list[str], str | None]] = {}

    def __call__(self, req: RecordedRequest) -> Reply:
        if req.path.endswith("/seed") or req.path.endswith(("/local", "/pathlevel")):
            return json_reply({"seed": None, "mode": None})
        if "/blobs/" in req.path:
            return json_reply({"seed": [1], "mode": "a"})
        if req.path.endswith("/files"):
            data, nxt = self.cursors[req.query.get("cursor", [""])[0]]
            return json_reply({"data": data, "next_cursor": nxt})
        if req.path.endswith("/chat"):
            return json_reply({"seed": 3, "mode": "b"})
        if req.path.endswith("/holder"):
            return json_reply(req.json())
        if req.path.endswith(("/stats", "/where")):
            return json_reply(req.json())
        return json_reply({"detail": req.path}, status=404)


@pytest.fixture(scope="module")
def live(tmp_path_factory):  # type: ignore[no-untyped-def]
    api = Api()
    with LoopbackServer(api) as srv, imported_sdk(spec(srv.url), CFG, tmp_path_factory.mktemp(
            "semantic")) as (sdk, out, result):
        yield sdk, srv, api, out, result


@pytest.fixture()
def env(live):  # type: ignore[no-untyped-def]
    sdk, srv, api, out, _ = live
    srv.requests.clear()
    api.__init__()
    return sdk, srv, api


def test_allof_override_on_the_wire(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem(server_url=srv.url) as client:
        client.chat(stream=False, model="m")
        with pytest.raises(ValidationError):
            client.chat(stream=None)  # type: ignore[arg-type]  # not nullable any more
    assert srv.requests[0].json() == {"stream": False, "model": "m"}
    assert len(srv.requests) == 1


def test_a_null_seed_validates(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem(server_url=srv.url) as client:
        out = client.get_seed()
    assert out.seed is None and out.mode is None


def test_the_second_holder_can_send_null(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem(server_url=srv.url) as client:
        res = client.put_holder(choice=None)
        client.put_holder()
    assert srv.requests[0].json() == {"choice": None}  # null is sent ...
    assert srv.requests[1].json() == {}  # ... and an omitted field is not
    assert res.choice is None


def test_operation_servers_are_the_default(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem() as client:  # the root server is unreachable: never used here
        client.local()
        client.path_level()
        client.local(server_url=srv.url + "/call")  # a per-call URL wins
    with sdk.Sem(server_url=srv.url + "/client") as client:  # so does the client's
        client.local()
        client.path_level()
    assert [r.path for r in srv.requests] == [
        "/op/local", "/pi/pathlevel", "/call/local", "/client/local", "/client/pathlevel"]


def test_async_operation_servers(env) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    sdk, srv, _ = env

    async def main() -> None:
        async with sdk.AsyncSem() as client:
            await client.local()

    asyncio.run(main())
    assert [r.path for r in srv.requests] == ["/op/local"]


def test_server_url_row_in_the_docs(live) -> None:  # type: ignore[no-untyped-def]
    _, srv, _, out, _ = live
    page = (out / "docs" / "sdks" / "sem" / "README.md").read_text()
    section = page.split("\n## local\n")[1].split("\n## ")[0]
    rows = [r for r in section.splitlines() if r.startswith("| `server_url`")]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells == ["`server_url`", "*Optional[str]*", ":heavy_minus_sign:",
                     "An optional server URL to use.", srv.url + "/op"]
    chat = page.split("\n## chat\n")[1].split("\n## ")[0]
    assert "`server_url`" not in chat  # only operations with their own servers


def test_binary_parameters_go_on_the_wire_as_their_content(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem(server_url=srv.url) as client:
        client.get_blob(key=b"k/1", tag=b"t\xff", x_token=b"tok")
    req = srv.requests[0]
    assert req.path == "/blobs/k%2F1"
    assert req.raw_path.split("?", 1)[1] == "tag=t%FF"
    assert req.headers["x-token"] == "tok"


def test_binary_cursor_pagination(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.cursors = {"start": (["a"], "c1"), "c1": (["b"], "c2"), "c2": (["c"], None)}
    with sdk.Sem(server_url=srv.url) as client:
        pages = list(client.list_files_pages(cursor=b"start"))
    assert [p.data for p in pages] == [["a"], ["b"], ["c"]]
    assert [r.query["cursor"] for r in srv.requests] == [["start"], ["c1"], ["c2"]]


def run_snippet(out: Path, method: str, srv: LoopbackServer, monkeypatch: Any) -> str:
    """Run the usage snippet of `method`'s docs against the server; the snippet."""
    page = (out / "docs" / "sdks" / "sem" / "README.md").read_text()
    section = page.split(f"\n## {method}\n")[1]
    snippet = section.split("```python\n")[1].split("```")[0]
    monkeypatch.setenv("SEM_SERVER_URL", srv.url)
    srv.requests.clear()
    script = out / f"snippet_{method}.py"
    script.write_text(snippet)
    runpy.run_path(str(script))
    return snippet


def test_invalid_examples_stay_out_of_docs_and_snippets(live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _, out, result = live
    model_page = (out / "docs" / "models" / "stats.md").read_text()
    counts = next(r for r in model_page.splitlines() if r.startswith("| `counts`"))
    assert "72" not in counts and "1563" not in counts
    sizes = next(r for r in model_page.splitlines() if r.startswith("| `sizes`"))
    assert "[1, 2]" in sizes or "[<br/>1,<br/>2<br/>]" in sizes or "1" in sizes.split("|")[-2]
    snippet = run_snippet(out, "post_stats", srv, monkeypatch)  # it runs
    assert "counts=" not in snippet and "'ten'" not in snippet and "limit=" not in snippet
    assert srv.requests[-1].json()["sizes"] == [1, 2]
    # each example not used is reported where it is
    warned = {d.pointer for d in result.report.items if "example" in d.code}
    assert "#/components/schemas/Stats/properties/counts/examples/0" in warned
    assert "#/paths/~1stats/post/parameters/0/example" in warned


def test_prefix_items_tuple_round_trip(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Sem(server_url=srv.url) as client:
        res = client.where(at=(1.5, "x"), open=[1, "two", 3])
        with pytest.raises(ValidationError):
            client.where(at=(1.5, "x", "extra"))
    assert srv.requests[0].json() == {"at": [1.5, "x"], "open": [1, "two", 3]}
    assert res.at == (1.5, "x")


def test_prefix_items_docs_and_snippet(live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, srv, _, out, _ = live
    page = (out / "docs" / "models" / "located.md").read_text()
    at = next(r for r in page.splitlines() if r.startswith("| `at`"))
    assert "Tuple[*float*, *str*]" in at
    snippet = run_snippet(out, "where", srv, monkeypatch)
    assert "at=(" in snippet  # a tuple literal
    assert srv.requests[-1].json() == {"at": [1.5, "north"]}
