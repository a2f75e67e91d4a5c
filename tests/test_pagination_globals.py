"""`x-speakeasy-pagination`, `x-speakeasy-globals` and `x-speakeasy-server-id`: a spec using
all three, generated, imported and called against a live loopback server (sync and async),
plus the build warnings for what is not supported."""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

from sdkgen.build import build
from sdkgen.config import TargetConfig
from sdkgen.load import load
from sdkgen.pipeline import generate_to


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: str) -> dict:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": ref(schema)}}}}


def offset_limit(where: str, first: str, limit: str, outputs: dict) -> dict:
    return {"type": "offsetLimit", "outputs": outputs, "inputs": [
        {"in": where, "name": first, "type": "page" if first == "page" else "offset"},
        {"in": where, "name": limit, "type": "limit"}]}


def cursor(where: str, outputs: dict) -> dict:
    return {"type": "cursor", "outputs": outputs,
            "inputs": [{"in": where, "name": "cursor", "type": "cursor"}]}


SEARCH_PAGING = offset_limit("requestBody", "page", "per_page",
                             {"results": "$.result.items", "numPages": "$.result.total_pages"})


def spec(base: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Paged", "version": "1"},
        "servers": [{"url": base + "/prod", "x-speakeasy-server-id": "production"},
                    {"url": base + "/staging", "x-speakeasy-server-id": "staging"},
                    {"url": base + "/eu"}],
        "x-speakeasy-globals": {"parameters": [{"$ref": "#/components/parameters/AppTitle"},
                                               {"$ref": "#/components/parameters/Region"}]},
        "paths": {
            "/items": {
                "parameters": [{"$ref": "#/components/parameters/AppTitle"}],
                "get": {
                    "operationId": "listItems", "tags": ["items"],
                    "parameters": [
                        {"name": "offset", "in": "query", "example": 0,
                         "schema": {"type": ["integer", "null"]}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"$ref": "#/components/parameters/Region"}],
                    "x-speakeasy-pagination": offset_limit("parameters", "offset", "limit",
                                                           {"results": "$.data"}),
                    "responses": ok("ItemPage"),
                },
            },
            "/search": {"post": {
                "operationId": "searchItems", "tags": ["items"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("Search")}}},
                "x-speakeasy-pagination": SEARCH_PAGING,
                "responses": ok("SearchPage"),
            }},
            "/search/bulk": {"post": {  # the body taken as one `request` argument
                "operationId": "searchBulk", "tags": ["items"],
                "x-speakeasy-max-method-params": 0,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("Search")}}},
                "x-speakeasy-pagination": SEARCH_PAGING,
                "responses": ok("SearchPage"),
            }},
            "/files": {"get": {
                "operationId": "listFiles", "tags": ["files"],
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                               {"$ref": "#/components/parameters/AppTitle"}],
                "x-speakeasy-pagination": cursor("parameters", {"nextCursor": "$.next_cursor",
                                                                "results": "$.data"}),
                "responses": ok("FilePage"),
            }},
            "/events": {"post": {  # cursor in the body, read from the last item
                "operationId": "listEvents", "tags": ["files"],
                "requestBody": {"content": {"application/json": {"schema": ref("EventQuery")}}},
                "x-speakeasy-pagination": cursor("requestBody",
                                                 {"nextCursor": "$.events[-1].id"}),
                "responses": ok("EventPage"),
            }},
            "/health": {"get": {"operationId": "health", "responses": ok("Health")}},
        },
        "components": {
            "parameters": {
                "AppTitle": {"name": "X-App-Title", "in": "header", "schema": {"type": "string"},
                             "x-speakeasy-name-override": "appTitle",
                             "description": "Your app's name."},
                "Region": {"name": "region", "in": "query", "schema": {"type": "string"}},
            },
            "schemas": {
                "Item": {"type": "object", "required": ["id"],
                         "properties": {"id": {"type": "integer"}}},
                "ItemPage": {"type": "object", "required": ["data"], "properties": {
                    "data": {"type": "array", "items": ref("Item")}}},
                "Search": {"type": "object", "required": ["q"], "properties": {
                    "q": {"type": "string"}, "page": {"type": "integer"},
                    "per_page": {"type": "integer"}}},
                "SearchPage": {"type": "object", "properties": {"result": {
                    "type": "object", "properties": {
                        "items": {"type": "array", "items": ref("Item")},
                        "total_pages": {"type": "integer"}}}}},
                "FilePage": {"type": "object", "properties": {
                    "data": {"type": "array", "items": {"type": "string"}},
                    "next_cursor": {"type": ["string", "null"]}}},
                "EventQuery": {"type": "object", "properties": {
                    "cursor": {"type": "string"}, "kind": {"type": "string"}}},
                "EventPage": {"type": "object", "required": ["events"], "properties": {
                    "events": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}}}}}},
                "Health": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            },
        },
    }


class Api:
    """What the loopback server answers; tests set the data they page through."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.total_pages: int | None = None
        self.cursors: dict[str, Any] = {}  # cursor -> (data, next_cursor)
        self.events: dict[str, list[str]] = {}  # cursor -> event ids

    def __call__(self, req: RecordedRequest) -> Reply:
        path = req.path.split("/", 2)[2] if req.path.count("/") > 1 else ""
        q = {k: v[0] for k, v in req.query.items()}
        if path == "items":
            off, lim = int(q.get("offset", 0)), int(q.get("limit", 3))
            return json_reply({"data": [{"id": i} for i in self.items[off:off + lim]]})
        if path in ("search", "search/bulk"):
            body = req.json()
            page, per = body.get("page", 1), body.get("per_page", 3)
            chunk = self.items[(page - 1) * per:page * per]
            result: dict[str, Any] = {"items": [{"id": i} for i in chunk]}
            if self.total_pages is not None:
                result["total_pages"] = self.total_pages
            return json_reply({"result": result})
        if path == "files":
            data, nxt = self.cursors[q.get("cursor", "")]
            return json_reply({"data": data, "next_cursor": nxt})
        if path == "events":
            ids = self.events[req.json().get("cursor", "")]
            return json_reply({"events": [{"id": i} for i in ids]})
        if path == "health":
            return json_reply({"ok": True})
        return json_reply({"detail": req.path}, status=404)


@pytest.fixture(scope="module")
def live(tmp_path_factory):  # type: ignore[no-untyped-def]
    api = Api()
    tmp = tmp_path_factory.mktemp("paging")
    with LoopbackServer(api) as srv:
        (tmp / "paged.json").write_text(json.dumps(spec(srv.url)))
        cfg = TargetConfig(dist_name="pagedsdk", import_name="pagedsdk", sdk_class_name="Paged",
                           sync_client="Paged", async_client="AsyncPaged", env_prefix="PAGED")
        generate_to(tmp / "paged.json", cfg, tmp / "out")
        sys.path.insert(0, str(tmp / "out" / "src"))
        try:
            yield importlib.import_module("pagedsdk"), srv, api, tmp / "out"
        finally:
            sys.path.remove(str(tmp / "out" / "src"))
            for name in [m for m in sys.modules if m == "pagedsdk" or m.startswith("pagedsdk.")]:
                del sys.modules[name]


@pytest.fixture()
def env(live):  # type: ignore[no-untyped-def]
    sdk, srv, api, out = live
    srv.requests.clear()
    api.__init__()
    return sdk, srv, api


def sent(srv: LoopbackServer, key: str) -> list[Any]:
    """One query value (or JSON body field, for POSTs) per request, None when absent."""
    out = []
    for r in srv.requests:
        if r.method == "POST":
            body = r.json() if r.body else {}
            out.append(body.get(key))
        else:
            out.append(r.query.get(key, [None])[0])
    return out


def ids(pages: list[Any], attr: str = "data") -> list[list[int]]:
    got = []
    for p in pages:
        items = p.data if attr == "data" else p.result.items
        got.append([i.id for i in items])
    return got


# ---- offsetLimit via parameters ------------------------------------------------------------

def test_offset_walks_every_page_and_stops_on_a_short_page(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(5))
    with sdk.Paged() as client:
        pages = list(client.items.list_items_pages(limit=2))
    assert ids(pages) == [[0, 1], [2, 3], [4]]
    assert sent(srv, "offset") == [None, "2", "4"]  # the first call is the caller's own
    assert sent(srv, "limit") == ["2", "2", "2"]
    assert isinstance(pages[0], sdk.models.ItemPage)


def test_offset_stops_on_an_empty_page_which_is_not_yielded(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(4))
    with sdk.Paged() as client:
        pages = list(client.items.list_items_pages(offset=1, limit=2))
        assert ids(pages) == [[1, 2], [3]]  # short page
        srv.requests.clear()
        pages = list(client.items.list_items_pages())  # no limit: only an empty page stops
    assert ids(pages) == [[0, 1, 2], [3]]
    assert sent(srv, "offset") == [None, "3", "4"]
    with sdk.Paged() as client:
        api.items = []
        pages = list(client.items.list_items_pages(limit=2))
    assert ids(pages) == [[]]  # the first page is always yielded


def test_the_one_page_method_is_unchanged(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(5))
    with sdk.Paged() as client:
        page = client.items.list_items(offset=2, limit=2)
    assert [i.id for i in page.data] == [2, 3] and len(srv.requests) == 1


def test_async_offset_iterator(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(7))

    async def main() -> list[Any]:
        async with sdk.AsyncPaged() as client:
            return [p async for p in client.items.list_items_pages(limit=3)]

    assert ids(asyncio.run(main())) == [[0, 1, 2], [3, 4, 5], [6]]
    assert sent(srv, "offset") == [None, "3", "6"]


# ---- page number via the request body ------------------------------------------------------

def test_page_in_the_body_stops_on_a_short_page(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(5))
    with sdk.Paged() as client:
        pages = list(client.items.search_items_pages(q="x", per_page=2))
    assert ids(pages, "result") == [[0, 1], [2, 3], [4]]
    assert sent(srv, "page") == [None, 2, 3]  # an omitted page counts as page 1
    assert all(r.json()["q"] == "x" for r in srv.requests)


def test_page_stops_at_num_pages_even_when_pages_are_full(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items, api.total_pages = list(range(10)), 2
    with sdk.Paged() as client:
        pages = list(client.items.search_items_pages(q="x", page=1, per_page=3))
    assert ids(pages, "result") == [[0, 1, 2], [3, 4, 5]]
    assert sent(srv, "page") == [1, 2]


def test_page_in_a_request_argument_model_or_dict(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(5))
    with sdk.Paged() as client:
        as_dict = list(client.items.search_bulk_pages(request={"q": "d", "per_page": 2}))
        model = sdk.models.Search(q="m", per_page=2)
        as_model = list(client.items.search_bulk_pages(request=model))
    assert ids(as_dict, "result") == ids(as_model, "result") == [[0, 1], [2, 3], [4]]
    assert sent(srv, "page") == [None, 2, 3, None, 2, 3]
    assert [r.json()["q"] for r in srv.requests] == ["d"] * 3 + ["m"] * 3
    assert model.page is None  # the caller's model is not modified


def test_async_page_iterator(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = list(range(4))

    async def main() -> list[Any]:
        async with sdk.AsyncPaged() as client:
            return [p async for p in client.items.search_items_pages(q="x", per_page=2)]

    assert ids(asyncio.run(main()), "result") == [[0, 1], [2, 3]]
    assert sent(srv, "page") == [None, 2, 3]  # the empty third page ends it


# ---- cursor ----------------------------------------------------------------------------------

def test_cursor_follows_next_cursor_until_it_is_missing(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.cursors = {"": (["a"], "c1"), "c1": (["b"], "c2"), "c2": (["c"], None)}
    with sdk.Paged() as client:
        pages = list(client.files.list_files_pages())
    assert [p.data for p in pages] == [["a"], ["b"], ["c"]]
    assert sent(srv, "cursor") == [None, "c1", "c2"]


@pytest.mark.parametrize("last", ["", "c1"])  # empty, or the cursor just used
def test_cursor_stops_on_an_empty_or_repeated_cursor(env, last: str) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.cursors = {"": (["a"], "c1"), "c1": (["b"], last)}
    with sdk.Paged() as client:
        pages = list(client.files.list_files_pages())
    assert [p.data for p in pages] == [["a"], ["b"]] and len(srv.requests) == 2


def test_cursor_stops_on_empty_results(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.cursors = {"": (["a"], "c1"), "c1": ([], "c2"), "c2": (["never"], None)}
    with sdk.Paged() as client:
        assert [p.data for p in client.files.list_files_pages()] == [["a"]]
    assert len(srv.requests) == 2


def test_cursor_in_the_body_from_the_last_item_sync_and_async(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.events = {"": ["e1", "e2"], "e2": ["e3"], "e3": []}
    with sdk.Paged() as client:
        pages = list(client.files.list_events_pages(kind="k"))
    assert [[e.id for e in p.events] for p in pages] == [["e1", "e2"], ["e3"], []]
    assert sent(srv, "cursor") == [None, "e2", "e3"]  # ($.events[-1].id of an empty page: stop)

    async def main() -> list[Any]:
        async with sdk.AsyncPaged() as client:
            return [p async for p in client.files.list_events_pages(kind="k")]

    srv.requests.clear()
    assert len(asyncio.run(main())) == 3
    assert [r.json().get("kind") for r in srv.requests] == ["k"] * 3


# ---- globals ---------------------------------------------------------------------------------

def test_globals_are_sent_unless_the_call_passes_its_own(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    api.items = [1]
    api.cursors = {"": (["a"], None)}
    with sdk.Paged(app_title="My app", region="eu") as client:
        client.items.list_items()
        client.items.list_items(app_title="Per call", region="us")
        client.files.list_files()  # declares the header, not the region
        client.health()  # declares neither
        list(client.items.list_items_pages(limit=5))
    heads = [r.headers.get("x-app-title") for r in srv.requests]
    assert heads == ["My app", "Per call", "My app", None, "My app"]
    assert sent(srv, "region") == ["eu", "us", None, None, "eu"]


def test_without_globals_nothing_is_sent_and_async_sends_them_too(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, api = env
    with sdk.Paged() as client:
        client.items.list_items()
    assert "x-app-title" not in srv.requests[0].headers and "region" not in srv.requests[0].query

    async def main() -> None:
        async with sdk.AsyncPaged(app_title="Async app") as client:
            await client.items.list_items()

    asyncio.run(main())
    assert srv.requests[1].headers["x-app-title"] == "Async app"


# ---- server ids ------------------------------------------------------------------------------

def test_server_id_selects_the_named_server(env) -> None:  # type: ignore[no-untyped-def]
    sdk, srv, _ = env
    with sdk.Paged() as client:
        client.health()  # the first server by default
    with sdk.Paged(server="staging") as client:
        client.health()
    with sdk.Paged(server="production") as client:
        client.health()
    with sdk.Paged(server="staging", server_url=srv.url + "/eu") as client:
        client.health()  # server_url still wins

    async def main() -> None:
        async with sdk.AsyncPaged(server="staging") as client:
            await client.health()

    asyncio.run(main())
    assert [r.path for r in srv.requests] == ["/prod/health", "/staging/health", "/prod/health",
                                             "/eu/health", "/staging/health"]


def test_unknown_server_id_raises_a_value_error_naming_the_servers(live) -> None:  # type: ignore[no-untyped-def]
    sdk = live[0]
    for cls in (sdk.Paged, sdk.AsyncPaged):
        with pytest.raises(ValueError, match="unknown server 'prod'.*production, staging"):
            cls(server="prod")
    with pytest.raises(ValueError, match="server or server_idx"):
        sdk.Paged(server="staging", server_idx=1)


# ---- generated code and docs -----------------------------------------------------------------

def test_methods_docs_and_readme(live) -> None:  # type: ignore[no-untyped-def]
    sdk, _, _, out = live
    items = (out / "src/pagedsdk/resources/items.py").read_text()
    assert "-> Iterator[models.ItemPage]:" in items
    assert "-> AsyncIterator[models.ItemPage]:" in items
    assert "_OP_" not in items[items.index("def list_items_pages("):items.index("def search_items(")]
    page = (out / "docs/sdks/items/README.md").read_text()
    assert "### Pagination" in page and "for page in sdk.items.list_items_pages(" in page
    assert "`offset` is advanced by the number of items in `$.data`" in page
    readme = (out / "README.md").read_text()
    for heading in ("## Pagination", "## Global Parameters", "[Pagination](#pagination)"):
        assert heading in readme
    assert re.search(r"\| `app_title` +\| `str` +\| header `X-App-Title` +\|", readme)
    assert "`staging`" in readme and "server=" in readme
    import inspect

    sig = inspect.signature(sdk.Paged)
    assert {"server", "app_title", "region"} <= set(sig.parameters)


def test_sdks_without_the_extensions_do_not_get_them() -> None:
    friendli = GENERATED / "friendli/src/friendli"
    assert not (friendli / "utils/pagination.py").exists()
    assert not (friendli / "utils/globals.py").exists()
    text = (friendli / "sdk.py").read_text() + (friendli / "_core.py").read_text()
    assert "SERVER_NAMES" not in text and "globals" not in text


# ---- what is not supported: warnings with pointers ------------------------------------------

def test_unsupported_pagination_and_globals_are_reported_with_pointers(tmp_path: Path) -> None:
    s = spec("https://x.example")
    paths = s["paths"]

    def op(path: str, paging: Any, params: list | None = None) -> None:
        paths[path] = {"get": {"operationId": path.strip("/").replace("/", "_"),
                               "parameters": params or [
                                   {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                                   {"name": "token", "in": "query", "schema": {"type": "string"}}],
                               "x-speakeasy-pagination": paging, "responses": ok("ItemPage")}}

    op("/url", {"type": "url", "outputs": {"nextUrl": "$.next"}})
    op("/next-url", {**offset_limit("parameters", "offset", "limit", {"results": "$.data"}),
                     "inputs": [{"in": "parameters", "name": "offset", "type": "offset"}],
                     "outputs": {"results": "$.data", "nextUrl": "$.next"}})
    op("/missing", offset_limit("parameters", "offset", "limit", {"results": "$.data"}))
    op("/filter", {"type": "offsetLimit", "inputs": [
        {"in": "parameters", "name": "offset", "type": "offset"}],
        "outputs": {"results": "$.data[*].id"}})
    op("/string-offset", {"type": "offsetLimit", "inputs": [
        {"in": "parameters", "name": "token", "type": "offset"}], "outputs": {"results": "$.data"}})
    op("/no-results", {"type": "offsetLimit", "inputs": [
        {"in": "parameters", "name": "offset", "type": "offset"}], "outputs": {}})
    op("/typo", {"type": "offsetLimit", "inputs": [
        {"in": "parameters", "name": "offset", "type": "offset"}],
        "outputs": {"results": "$.items"}})  # not in the schema: a warning, still paged
    s["x-speakeasy-globals"]["parameters"].append(
        {"name": "session", "in": "cookie", "schema": {"type": "string"}})
    s["servers"].append({"url": "https://y.example", "x-speakeasy-server-id": "staging"})
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(s))
    api, diags = build(load(f))
    got = {(d.pointer, d.code) for d in diags}
    ext = "x-speakeasy-pagination"
    for pointer in (f"#/paths/~1url/get/{ext}/type",
                    f"#/paths/~1next-url/get/{ext}/outputs/nextUrl",
                    f"#/paths/~1missing/get/{ext}/inputs/1",
                    f"#/paths/~1filter/get/{ext}/outputs/results",
                    f"#/paths/~1string-offset/get/{ext}/inputs/0",
                    f"#/paths/~1no-results/get/{ext}/outputs",
                    f"#/paths/~1typo/get/{ext}/outputs/results",
                    "#/x-speakeasy-globals/parameters/2/in",
                    "#/servers/3/x-speakeasy-server-id"):
        assert (pointer, "speakeasy-extension") in got, (pointer, sorted(got))
    paged = {o.operation_id: o.pagination for o in _all_ops(api.root)}
    for unsupported in ("url", "next-url", "missing", "filter", "string-offset", "no-results"):
        assert paged[unsupported] is None, unsupported
    assert paged["typo"] is not None and paged["listItems"] is not None
    assert [g.wire_name for g in api.globals] == ["X-App-Title", "region"]
    assert api.server_ids == ("production", "staging", "", "")
    text = next(d.message for d in diags if d.pointer.endswith("~1url/get/" + ext + "/type"))
    assert "'url' is not supported" in text and "no page iterator" in text


def _all_ops(ns: Any) -> list[Any]:
    return list(ns.operations) + [o for c in ns.children for o in _all_ops(c)]
