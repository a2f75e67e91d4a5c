"""Per-call features of a generated SDK, live on loopback (issue 13, items 3-5): raw
responses (`with_raw_response`, `with_streaming_response`), idempotency keys and OAuth2
client credentials. The SDK is generated from a small spec in this file."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import threading
import time
import traceback
import uuid
from urllib.parse import parse_qs

import pytest
from support.generated_sdk import generated_sdk
from support.loopback import LoopbackServer, RecordedRequest, Reply, Script, json_reply

ORDER = {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.example"}],
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/oauth/token",  # relative: to the server URL
                        "scopes": {"orders": "read and write orders"},
                    }
                },
            }
        },
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id", "item"],
                "properties": {"id": {"type": "integer"}, "item": {"type": "string"}},
            }
        },
    },
    "security": [{"oauth": ["orders"]}],
    "paths": {
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "tags": ["orders"],
                "parameters": [
                    {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["item"],
                                "properties": {"item": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": ORDER}},
            }
        },
        "/orders/{id}": {
            "get": {
                "operationId": "getOrder",
                "tags": ["orders"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok", "content": ORDER}},
            }
        },
        "/events": {
            "get": {
                "operationId": "orderEvents",
                "tags": ["orders"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    }
                },
            }
        },
    },
}
ORDER_JSON = {"id": 7, "item": "tea"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    with generated_sdk(
        SPEC,
        tmp_path_factory.mktemp("shop"),
        dist_name="shop",
        import_name="shop",
        sdk_class_name="Shop",
        sync_client="Shop",
        async_client="AsyncShop",
        env_prefix="SHOP",
    ) as module:
        yield module


def fast_retries(shop):
    return shop.RetryConfig("backoff", shop.BackoffStrategy(5, 5, 1.0, 3000), True)


# ------------------------------------------------------------------ idempotency keys


def test_one_idempotency_key_per_call_reused_by_its_retries(shop):
    script = Script(
        [
            Reply(503),  # call 1, attempt 1
            Reply(200, {}, b"{}", reset_after=0),  # call 1, attempt 2: reset mid-body
            json_reply(ORDER_JSON),  # call 1, attempt 3
            Reply(500),  # call 2, attempt 1
            json_reply(ORDER_JSON),  # call 2, attempt 2
            json_reply(ORDER_JSON),  # call 3 (key given)
        ]
    )
    with LoopbackServer(script) as srv:
        with shop.Shop("tok", server_url=srv.url, retry_config=fast_retries(shop)) as client:
            assert client.orders.create_order(item="tea").id == 7
            client.orders.create_order(item="tea")
            client.orders.create_order(item="tea", idempotency_key="my-key-1")
            client.orders.get_order(id=7)  # declares no key: gets none
    keys = [r.headers.get("idempotency-key") for r in srv.requests]
    assert len(keys) == 7
    assert keys[0] == keys[1] == keys[2] and keys[3] == keys[4]
    assert keys[0] != keys[3] and keys[5] == "my-key-1" and keys[6] is None
    assert uuid.UUID(keys[0]).version == 4


def test_async_idempotency_key_reused_by_retries(shop):
    async def main(url):
        async with shop.AsyncShop("tok", server_url=url, retry_config=fast_retries(shop)) as c:
            await c.orders.create_order(item="tea")
            await c.orders.create_order(item="tea")

    script = Script([Reply(503), json_reply(ORDER_JSON), Reply(502), json_reply(ORDER_JSON)])
    with LoopbackServer(script) as srv:
        asyncio.run(main(srv.url))
    keys = [r.headers["idempotency-key"] for r in srv.requests]
    assert keys[0] == keys[1] != keys[2] == keys[3]


# ------------------------------------------------------------------ raw responses


def order_reply(req: RecordedRequest) -> Reply:
    if req.path == "/events":
        events = [f"data: {json.dumps({'id': i, 'item': 'x'})}\n\n".encode() for i in range(3)]
        return Reply(200, {"Content-Type": "text/event-stream", "X-Request-Id": "req-ev"}, events)
    if req.path == "/orders/404":
        return json_reply({"detail": "no such order"}, 404, {"X-Request-Id": "req-404"})
    if req.path == "/orders/slow":
        body = json.dumps(ORDER_JSON).encode()
        chunks = [body[:5], body[5:]]
        return Reply(
            200, {"Content-Type": "application/json", "X-Request-Id": "req-slow"}, chunks, delay=0.6
        )
    return json_reply(ORDER_JSON, headers={"X-Request-Id": "req-1"})


def test_with_raw_response(shop):
    with LoopbackServer(order_reply) as srv, shop.Shop("tok", server_url=srv.url) as client:
        raw = client.with_raw_response.orders.get_order(id=7)
        assert raw.status_code == 200 and raw.headers["x-request-id"] == "req-1"
        assert raw.request_id == "req-1" and raw.http_response.request.url.path == "/orders/7"
        order = raw.parse()
        assert isinstance(order, shop.models.Order) and order.id == 7 and raw.data is order
        with pytest.raises(shop.models.SDKError) as ei:  # errors raise as usual
            client.with_raw_response.orders.get_order(id=404)
        assert ei.value.status_code == 404 and ei.value.headers["x-request-id"] == "req-404"
        # a stream operation: the parsed result is the event stream
        raw = client.with_raw_response.orders.order_events()
        with raw.parse() as events:
            assert [e.id for e in events] == [0, 1, 2]
        assert raw.request_id == "req-ev"
        assert client.orders.get_order(id=7).id == 7  # the plain client is unchanged


def test_with_streaming_response_does_not_read_eagerly(shop):
    def get_order(client, id):  # the generated signature types `id` as int
        return client.with_streaming_response.orders.get_order(id=id)

    with LoopbackServer(order_reply) as srv, shop.Shop("tok", server_url=srv.url) as client:
        t = time.monotonic()
        with get_order(client, "slow") as resp:
            assert time.monotonic() - t < 0.5, "returned before the body arrived"
            assert resp.status_code == 200 and resp.request_id == "req-slow"
            assert not resp.http_response.is_stream_consumed
            order = resp.parse()
        assert time.monotonic() - t >= 0.5 and order.id == 7
        assert resp.http_response.is_closed
        with get_order(client, 7) as resp:
            assert json.loads(b"".join(resp.iter_bytes())) == ORDER_JSON
        with client.with_streaming_response.orders.order_events() as resp:
            assert [e.id for e in resp.parse()] == [0, 1, 2]
        with pytest.raises(shop.models.SDKError):
            get_order(client, 404)


def test_async_raw_and_streaming_response(shop):
    async def main(url):
        async with shop.AsyncShop("tok", server_url=url) as client:
            raw = await client.with_raw_response.orders.get_order(id=7)
            order = raw.parse()
            t = time.monotonic()
            async with client.with_streaming_response.orders.get_order(id="slow") as resp:
                early = time.monotonic() - t
                rid = resp.request_id
                slow = await resp.parse()
            closed = resp.http_response.is_closed
            async with client.with_streaming_response.orders.order_events() as resp:
                ids = [e.id async for e in await resp.parse()]
            return raw.request_id, order, early, rid, slow, closed, ids

    with LoopbackServer(order_reply) as srv:
        rid1, order, early, rid, slow, closed, ids = asyncio.run(main(srv.url))
    assert rid1 == "req-1" and order.id == 7
    assert early < 0.5 and rid == "req-slow" and slow.id == 7 and closed
    assert ids == [0, 1, 2]


# ------------------------------------------------------------------ OAuth2 client credentials

SECRET = "cs_Sw33pSecret"


class AuthServer:
    """A token endpoint and the orders API on one loopback server: tokens tok-1, tok-2...;
    `revoked` tokens get a 401 from the API; `expires_in` is what the endpoint grants."""

    def __init__(self, expires_in=3600, bad_client=False):
        self.expires_in = expires_in
        self.bad_client = bad_client
        self.issued = 0
        self.revoked = set()
        self.token_requests = []
        self.lock = threading.Lock()

    def __call__(self, req: RecordedRequest) -> Reply:
        if req.path == "/oauth/token":
            form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
            self.token_requests.append(form)
            if self.bad_client or form.get("client_secret") != SECRET:
                return json_reply(
                    {"error": "invalid_client", "error_description": f"bad secret {form}"}, 401
                )
            time.sleep(0.05)  # slow enough for concurrent callers to overlap
            with self.lock:
                self.issued += 1
                token = f"tok-{self.issued}"
            return json_reply(
                {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
            )
        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer tok-") or auth[7:] in self.revoked:
            return json_reply({"detail": "invalid token"}, 401)
        return json_reply(ORDER_JSON)


def test_oauth2_client_credentials_fetch_cache_and_401_refresh(shop):
    auth = AuthServer()
    with LoopbackServer(auth) as srv:
        with shop.Shop(client_id="cid", client_secret=SECRET, server_url=srv.url) as client:
            for i in range(3):
                assert client.orders.get_order(id=i).id == 7
            assert auth.issued == 1  # fetched once, then cached
            assert auth.token_requests[0] == {
                "grant_type": "client_credentials",
                "client_id": "cid",
                "client_secret": SECRET,
                "scope": "orders",
            }
            auth.revoked.add("tok-1")  # the server drops the token early: one 401
            assert client.orders.get_order(id=9).id == 7
            assert auth.issued == 2
            auth.revoked.add("tok-2")
            auth.bad_client = True  # and now the refresh fails too: a typed error, no loop
            with pytest.raises(shop.models.SDKBaseError) as ei:
                client.orders.get_order(id=10)
    api = [r.headers["authorization"] for r in srv.requests if r.path != "/oauth/token"]
    assert api == ["Bearer tok-1"] * 4 + ["Bearer tok-2", "Bearer tok-2"]
    assert ei.value.status_code == 401 and SECRET[3:] not in "".join(
        traceback.format_exception(ei.value)
    )


def test_oauth2_token_refreshed_shortly_before_expiry(shop):
    auth = AuthServer(expires_in=2)
    with LoopbackServer(auth) as srv:
        with shop.Shop(client_id="cid", client_secret=SECRET, server_url=srv.url) as client:
            client.orders.get_order(id=1)
            client.orders.get_order(id=2)
            assert auth.issued == 1
            time.sleep(1.2)  # 0.8 s before expiry, within the safety margin: refreshed
            client.orders.get_order(id=3)
            assert auth.issued == 2


def test_oauth2_bad_credentials_typed_error_without_the_secret(shop, caplog):
    auth = AuthServer(bad_client=True)
    logger = logging.getLogger("shop-oauth-test")
    with LoopbackServer(auth) as srv, caplog.at_level(logging.DEBUG):
        client = shop.Shop(
            client_id="cid", client_secret=SECRET, server_url=srv.url, debug_logger=logger
        )
        with pytest.raises(shop.models.OAuth2Error) as ei:
            client.orders.get_order(id=1)
        client.close()
    e = ei.value
    assert isinstance(e, shop.models.SDKBaseError) and e.status_code == 401
    assert "invalid_client" in str(e)
    assert SECRET[3:] not in "".join(traceback.format_exception(e)) + repr(e)
    assert SECRET[3:] not in caplog.text
    assert [r.path for r in srv.requests] == ["/oauth/token"]  # the API was not called


def test_oauth2_env_vars_and_plain_token_still_accepted(shop, monkeypatch):
    auth = AuthServer()
    with LoopbackServer(auth) as srv:
        monkeypatch.setenv("SHOP_OAUTH_CLIENT_ID", "cid")
        monkeypatch.setenv("SHOP_OAUTH_CLIENT_SECRET", SECRET)
        with shop.Shop(server_url=srv.url) as client:
            client.orders.get_order(id=1)
        with shop.Shop("tok-99", server_url=srv.url) as client:  # an access token you got
            client.orders.get_order(id=2)
    assert auth.issued == 1
    assert srv.requests[-1].headers["authorization"] == "Bearer tok-99"


def test_oauth2_one_token_for_many_threads_and_tasks(shop):
    auth = AuthServer()
    n = 20
    barrier = threading.Barrier(n)
    with LoopbackServer(auth) as srv:
        client = shop.Shop(client_id="cid", client_secret=SECRET, server_url=srv.url)

        def worker():
            barrier.wait()
            client.orders.get_order(id=1)

        threads = [threading.Thread(target=worker) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        client.close()
        assert auth.issued == 1

        async def main():
            async with shop.AsyncShop(
                client_id="cid", client_secret=SECRET, server_url=srv.url
            ) as c:
                await asyncio.gather(*(c.orders.get_order(id=i) for i in range(50)))
                auth.revoked.add("tok-2")
                await asyncio.gather(*(c.orders.get_order(id=i) for i in range(10)))

        asyncio.run(main())
    assert auth.issued == 3  # one for the threads, one for the tasks, one after the 401
    api = [r.headers["authorization"] for r in srv.requests if r.path != "/oauth/token"]
    assert len(api) >= n + 60 and all(a.startswith("Bearer tok-") for a in api)


def test_client_credentials_object_with_several_schemes(rt, ops):
    """With several schemes (utils/security.py), a ClientCredentials passed as a scheme's
    credential fetches its token the same way, sync and async."""
    oauth2 = importlib.import_module("rtpkg.utils.oauth2")
    security = importlib.import_module("rtpkg.utils.security")
    C = rt.core
    auth = AuthServer()
    schemes = {
        "oauth": C.SecuritySpec("bearer", "Authorization", "header", None, "/oauth/token"),
        "key": C.SecuritySpec("apiKey", "X-API-Key", "header", None),
    }
    op = C.Operation("getOrder", "GET", "/orders/1", None, security=(("oauth",), ("key",)))
    with LoopbackServer(auth) as srv:
        creds = oauth2.ClientCredentials("cid", SECRET, "/oauth/token", ("orders",))
        assert SECRET not in repr(creds)
        core = security.SyncSecurityCore(
            servers=[srv.url], security=schemes, credentials={"oauth": creds}
        )
        for _ in range(3):
            core.call(op)
        core.close()
        auth.revoked.add("tok-1")

        async def main():
            acore = security.AsyncSecurityCore(
                servers=[srv.url], security=schemes, credentials={"oauth": creds}
            )
            await asyncio.gather(*(acore.call(op) for _ in range(5)))
            await acore.aclose()

        asyncio.run(main())
    assert auth.issued == 2  # shared by both cores; refreshed once after the 401
    assert [r.path for r in srv.requests].count("/oauth/token") == 2
