"""Live tests of AsyncCore / EventStreamAsync (plain asyncio.run, no plugin)."""

from __future__ import annotations

import asyncio
import gc
import json
import time

import httpx
import pytest
from support.loopback import LoopbackServer, Reply, Script, closed_port, json_reply, sse

from ._helpers import PET_JSON, chunk, fast_retries


def make_core(rt, srv_url, **kw):
    C = rt.core
    kw.setdefault("security", C.SecuritySpec("bearer", "Authorization", "header", "RTPKG_TOKEN"))
    return C.AsyncCore(servers=[srv_url], **kw)


def test_async_call_and_request_shape(rt, ops):
    n = iter(range(10))

    async def main(url):
        core = make_core(rt, url, credential=lambda: f"tok-{next(n)}")
        body = rt.models.PetCreate.model_validate({"name": "a", "kind": "cat", "tag": None})
        p1 = await core.call(ops.create_pet, body=body, query={"q": [1, 2]})
        p2 = await core.call(ops.get_pet, path_params={"petId": "x/y"})
        await core.aclose()
        assert core.client.is_closed
        return p1, p2

    with LoopbackServer(json_reply({**PET_JSON, "kind": "axolotl"})) as srv:
        p1, p2 = asyncio.run(main(srv.url))
    assert p1.kind == "axolotl" and p2.name == "rex"
    r1, r2 = srv.requests
    assert r1.json() == {"name": "a", "kind": "cat", "tag": None} and r1.query == {"q": ["1", "2"]}
    assert (
        r1.headers["authorization"] == "Bearer tok-0"
        and r2.headers["authorization"] == "Bearer tok-1"
    )
    assert r2.path == "/pets/x%2Fy"


def test_async_retry_and_hooks(rt, ops):
    seen = []

    async def before(req):  # coroutine hooks are awaited
        seen.append("before")

    async def main(url):
        core = make_core(rt, url, retry_config=fast_retries(rt))
        core.hooks.register_before_request(before)
        core.hooks.register_after_error(lambda resp, exc: seen.append(resp.status_code))
        core.hooks.register_after_success(lambda resp: seen.append("ok"))
        pet = await core.call(ops.get_pet, path_params={"petId": 1})
        await core.aclose()
        return pet

    script = Script([Reply(500), Reply(429, {"retry-after-ms": "100"}), json_reply(PET_JSON)])
    with LoopbackServer(script) as srv:
        t = time.monotonic()
        pet = asyncio.run(main(srv.url))
        took = time.monotonic() - t
    assert pet.id == 1 and script.calls == 3 and took >= 0.1
    assert seen == ["before", 500, "before", 429, "before", "ok"]


def test_async_errors(rt, ops):
    hve = {"detail": [{"loc": ["body"], "msg": "bad"}]}

    async def main(url):
        core = make_core(rt, url, credential="tok-async-secret")
        out = []
        for _ in range(3):
            try:
                await core.call(ops.create_pet, body=rt.models.PetCreate(name="a", kind="dog"))
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        await core.aclose()
        return out

    script = Script([json_reply(hve, 422), Reply(502, {}, b"gateway"), json_reply({"id": "x"})])
    with LoopbackServer(script) as srv:
        e1, e2, e3 = asyncio.run(main(srv.url))
    assert isinstance(e1, rt.models.HTTPValidationError) and e1.data.detail[0].msg == "bad"
    assert type(e2) is rt.errors.SDKError and e2.status_code == 502 and e2.body == "gateway"
    assert isinstance(e3, rt.errors.ResponseValidationError) and json.loads(e3.body) == {"id": "x"}
    for e in (e1, e2, e3):
        assert "tok-async-secret" not in str(e) + repr(e)


def test_async_no_response_and_timeout(rt, ops):
    async def main(url, **kw):
        core = make_core(rt, url, **kw)
        try:
            await core.call(ops.get_pet, path_params={"petId": 1})
        finally:
            await core.aclose()

    with pytest.raises(rt.errors.NoResponseError) as ei:
        asyncio.run(main(f"http://127.0.0.1:{closed_port()}"))
    assert isinstance(ei.value.cause, httpx.ConnectError)
    with LoopbackServer(Reply(200, {}, b"{}", sleep=3)) as srv:
        t = time.monotonic()
        with pytest.raises(rt.errors.NoResponseError) as ei:
            asyncio.run(main(srv.url, timeout_ms=200))
        assert isinstance(ei.value.cause, httpx.TimeoutException) and time.monotonic() - t < 1.5
    body = json.dumps(PET_JSON).encode()
    with (
        LoopbackServer(Reply(200, {}, body, reset_after=5)) as srv,
        pytest.raises(rt.errors.NoResponseError),
    ):
        asyncio.run(main(srv.url))


def test_async_stream_until_sentinel_and_error_event(rt, ops):
    events = [f"event: chunk\ndata: {chunk(i)}\n\n" for i in range(4)] + [
        "data: [DONE]\n\n",
        "data: junk\n\n",
    ]

    async def main(url):
        core = make_core(rt, url)
        stream = await core.call(ops.chat)
        assert isinstance(stream, rt.es.EventStreamAsync)
        got = [e async for e in stream]
        closed = stream.response.is_closed
        await core.aclose()
        return got, closed

    with LoopbackServer(sse(events)) as srv:
        got, closed = asyncio.run(main(srv.url))
    assert [e.data.index for e in got] == [0, 1, 2, 3] and got[0].event == "chunk" and closed

    async def err(url):
        core = make_core(rt, url)
        stream = await core.call(ops.chat)
        first = await stream.__anext__()
        with pytest.raises(rt.errors.SDKError) as ei:
            await stream.__anext__()
        assert stream.response.is_closed
        await core.aclose()
        return first, ei.value

    with LoopbackServer(
        sse([f"data: {chunk(0)}\n\n", 'data: {"error": {"message": "quota"}}\n\n'])
    ) as srv:
        first, e = asyncio.run(err(srv.url))
    assert first.data.index == 0 and e.data == {"error": {"message": "quota"}}

    async def status(url):
        core = make_core(rt, url)
        try:
            await core.call(ops.chat)
        finally:
            await core.aclose()

    with (
        LoopbackServer(json_reply({"error": "nope"}, 503)) as srv,
        pytest.raises(rt.errors.SDKError) as ei,
    ):
        asyncio.run(status(srv.url))
    assert ei.value.status_code == 503 and "nope" in ei.value.body


def test_async_streams_closed_on_break_aclose_and_abandon(rt, ops):
    def reply(req):
        return Reply(
            200,
            {"Content-Type": "text/event-stream"},
            [f"data: {chunk(0)}\n\n".encode()] * 100,
            delay=0.01,
        )

    async def main(url):
        client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=2), timeout=httpx.Timeout(5, pool=2)
        )
        core = make_core(rt, url, client=client)
        async with await core.call(ops.chat) as s1:
            async for _ in s1:
                break
        assert s1.response.is_closed
        s2 = await core.call(ops.chat)
        await s2.__anext__()
        await s2.aclose()
        assert s2.response.is_closed
        for i in range(200):  # abandoned streams: partially read, never closed explicitly
            s = await core.call(ops.chat)
            async for _ev in s:
                break
            del s
            if i % 50 == 0:
                gc.collect()
            await asyncio.sleep(0)
        async with await core.call(ops.chat) as s3:
            assert (await s3.__anext__()).data.index == 0
        await client.aclose()

    with LoopbackServer(reply) as srv:
        t = time.monotonic()
        asyncio.run(main(srv.url))
        assert time.monotonic() - t < 15
