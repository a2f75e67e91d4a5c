"""The runtime under transport faults: every failure a call meets is one of the SDK's
documented errors, sync and async, before and during a stream (issue 15)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from support.loopback import LoopbackServer, Reply, Script, json_reply

from ._helpers import PET_JSON, chunk, fast_retries

EVENTS = [f"data: {chunk(i)}\n\n".encode() for i in range(3)]
# each fault cuts the stream inside the second event
CUT = len(EVENTS[0]) + 10
FAULTS = {
    "reset": dict(reset_after=CUT),
    "cut mid-chunk": dict(cut_after=CUT),
    "stall": dict(stall_after=CUT),
}


def stream_reply(**fault):
    return Reply(200, {"Content-Type": "text/event-stream"}, EVENTS, **fault)


def bearer(rt):
    return rt.core.SecuritySpec("bearer", "Authorization", "header", None)


def check_no_response(rt, err, cause_type=httpx.TransportError):
    assert isinstance(err, rt.errors.NoResponseError), type(err)
    assert isinstance(err.__cause__, cause_type) and err.cause is err.__cause__
    assert str(err.__cause__).strip(), "the httpx error carries a message"
    text = str(err)
    assert "/chat" in text or "/pets" in text
    assert not text.rstrip().endswith(":")


@pytest.mark.parametrize("fault", FAULTS)
def test_sync_transport_error_mid_stream_is_no_response_error(rt, ops, fault):
    with LoopbackServer(stream_reply(**FAULTS[fault])) as srv:
        core = rt.core.SyncCore(
            servers=[srv.url], security=bearer(rt), credential="tok-mid-1", timeout_ms=300
        )
        stream = core.call(ops.chat_raw)
        got = []
        t = time.monotonic()
        with pytest.raises((rt.errors.NoResponseError, httpx.TransportError)) as ei:
            for ev in stream:
                got.append(ev.index)
        assert time.monotonic() - t < 3
        assert stream.response.is_closed
        core.close()
    assert got == [0]
    check_no_response(rt, ei.value)
    if fault == "stall":
        assert isinstance(ei.value.__cause__, httpx.ReadTimeout)
    assert "tok-mid-1" not in str(ei.value)


@pytest.mark.parametrize("fault", FAULTS)
def test_async_transport_error_mid_stream_is_no_response_error(rt, ops, fault):
    async def main(url):
        core = rt.core.AsyncCore(servers=[url], security=bearer(rt), timeout_ms=300)
        got = []
        try:
            stream = await core.call(ops.chat_raw)
            try:
                async for ev in stream:
                    got.append(ev.index)
            except Exception as e:  # noqa: BLE001 - inspected below
                return got, e, stream.response.is_closed
        finally:
            await core.aclose()
        return got, None, True

    with LoopbackServer(stream_reply(**FAULTS[fault])) as srv:
        got, err, closed = asyncio.run(main(srv.url))
    assert got == [0] and closed
    check_no_response(rt, err)
    if fault == "stall":
        assert isinstance(err.__cause__, httpx.ReadTimeout)


def test_async_timeout_before_response_has_a_message(rt, ops):
    async def main(url):
        core = rt.core.AsyncCore(servers=[url], timeout_ms=200)
        try:
            await core.call(ops.get_pet, path_params={"petId": 1})
        finally:
            await core.aclose()

    with LoopbackServer(Reply(200, {}, b"{}", sleep=3)) as srv:
        with pytest.raises(rt.errors.NoResponseError) as ei:
            asyncio.run(main(srv.url))
    check_no_response(rt, ei.value, httpx.TimeoutException)
    assert "timed out" in str(ei.value)


# ------------------------------------------------------------------ misconfiguration


@pytest.mark.parametrize(
    "bad", ["127.0.0.1:8080", "api.example.com/v1", "ftp://example.com", "http://"]
)
def test_invalid_server_url_rejected_at_once(rt, ops, bad, monkeypatch):
    C = rt.core
    with pytest.raises(ValueError, match="server_url") as ei:
        C.SyncCore(servers=["http://unused.invalid"], server_url=bad)
    assert repr(bad) in str(ei.value) and "http://" in str(ei.value)
    monkeypatch.setenv("RTPKG_SERVER_URL", bad)
    with pytest.raises(ValueError, match="RTPKG_SERVER_URL"):
        C.AsyncCore(servers=["http://unused.invalid"])
    monkeypatch.delenv("RTPKG_SERVER_URL")
    with LoopbackServer(Reply(204)) as srv:
        core = C.SyncCore(servers=[srv.url], retry_config=fast_retries(rt, conn=True))
        with pytest.raises(ValueError, match="server_url"):  # per call
            core.call(ops.delete_pet, path_params={"petId": 1}, server_url=bad)
        # a spec server that is not usable (relative, templated) fails on the first call
        spec_core = C.SyncCore(servers=["/v1"])
        with pytest.raises(ValueError, match="pass server_url"):
            spec_core.call(ops.delete_pet, path_params={"petId": 1})
        core.close()
    assert srv.requests == []


@pytest.mark.parametrize(
    "how,cause",
    [
        ("hook sets ftp://", httpx.UnsupportedProtocol),
        ("header with a newline", httpx.LocalProtocolError),
    ],
)
def test_misconfiguration_is_not_retried(rt, ops, how, cause):
    attempts = []
    with LoopbackServer(Reply(204)) as srv:
        core = rt.core.SyncCore(
            servers=[srv.url], retry_config=fast_retries(rt, conn=True, elapsed=5000)
        )
        core.hooks.register_after_error(lambda resp, exc: attempts.append(exc))
        extra = {}
        if how.startswith("hook"):
            core.hooks.register_before_request(
                lambda req: httpx.Request(req.method, str(req.url).replace("http://", "ftp://"))
            )
        else:
            extra = {"http_headers": {"X-Bad": "a\nb"}}
        t = time.monotonic()
        with pytest.raises(rt.errors.NoResponseError) as ei:
            core.call(ops.delete_pet, path_params={"petId": 1}, **extra)
        assert time.monotonic() - t < 1
        core.close()
    assert isinstance(ei.value.__cause__, cause) and len(attempts) == 1
    assert srv.requests == []


def test_transient_errors_still_retried(rt, ops):
    script = Script([Reply(200, {}, b"{}", reset_after=0), Reply(204)])
    with LoopbackServer(script) as srv:
        core = rt.core.SyncCore(servers=[srv.url], retry_config=fast_retries(rt, conn=True))
        assert core.call(ops.delete_pet, path_params={"petId": 1}) is None
        core.close()
    assert script.calls == 2


def test_default_timeout_600s_read_5s_connect(rt, ops):
    with LoopbackServer(Reply(204)) as srv:
        core = rt.core.SyncCore(servers=[srv.url])
        core.call(ops.delete_pet, path_params={"petId": 1})
        t = core.client.timeout
        assert (t.connect, t.read, t.write, t.pool) == (5.0, 600.0, 600.0, 600.0)
        core.close()
        mine = httpx.Client(timeout=7)
        core = rt.core.SyncCore(servers=[srv.url], client=mine)
        assert core.client.timeout.read == 7  # a client you pass keeps its own
        mine.close()

    async def main():
        core = rt.core.AsyncCore(servers=["http://127.0.0.1:1"])
        t = core.client.timeout
        await core.aclose()
        return t

    t = asyncio.run(main())
    assert (t.connect, t.read) == (5.0, 600.0)
    assert rt.core.DEFAULT_TIMEOUT.read == 600.0


# ------------------------------------------------------------------ the lazy client


def counting(base):
    """A core class whose client factory counts the real httpx clients it creates."""

    class Counting(base):
        made: list = []

        def _new_client(self):
            client = super()._new_client()
            type(self).made.append(client)
            return client

    Counting.made = []
    return Counting


def test_lazy_client_created_once_by_50_threads(rt, ops):
    Core = counting(rt.core.SyncCore)
    n = 50
    barrier = threading.Barrier(n)
    results = []

    def worker(core):
        barrier.wait()
        results.append(core.call(ops.get_pet, path_params={"petId": 1}).id)

    with LoopbackServer(json_reply(PET_JSON)) as srv:
        for _round in range(3):  # a fresh client each round
            before = len(Core.made)
            core = Core(servers=[srv.url])
            threads = [threading.Thread(target=worker, args=(core,)) for _ in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert len(Core.made) - before == 1, "one httpx client per core"
            core.close()
            assert all(c.is_closed for c in Core.made), "close() closes the client it made"
    assert results == [1] * (3 * n)


def test_async_lazy_client_once_per_event_loop(rt, ops):
    Core = counting(rt.core.AsyncCore)

    async def main(core, k):
        pets = await asyncio.gather(
            *(core.call(ops.get_pet, path_params={"petId": i}) for i in range(k))
        )
        return [p.id for p in pets]

    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = Core(servers=[srv.url])
        assert asyncio.run(main(core, 200)) == [1] * 200
        assert len(Core.made) == 1
        # another event loop (a second asyncio.run) gets a client of its own: the first
        # one's connections belong to a closed loop
        assert asyncio.run(main(core, 20)) == [1] * 20
        assert len(Core.made) == 2

        async def close():
            await core.aclose()

        asyncio.run(close())
    assert Core.made[1].is_closed


# ------------------------------------------------------------------ closing


def test_closed_client_fails_every_call_clearly(rt, ops):
    Core = counting(rt.core.SyncCore)
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        never_used = Core(servers=[srv.url])
        never_used.close()  # before any call
        used = Core(servers=[srv.url])
        used.call(ops.get_pet, path_params={"petId": 1})
        used.close()
        mine = httpx.Client()
        given = Core(servers=[srv.url], client=mine)
        given.close()
        for core in (never_used, used, given):
            for _ in range(2):
                with pytest.raises(RuntimeError, match="closed") as ei:
                    core.call(ops.get_pet, path_params={"petId": 2})
                assert "create a new client" in str(ei.value)
            with pytest.raises(RuntimeError, match="closed"):
                core.call(ops.chat)
        assert not mine.is_closed  # a client you pass is yours to close
        mine.close()
    assert len(Core.made) == 1, "no httpx client is built after close()"
    assert [r.path for r in srv.requests] == ["/pets/1"]


def test_async_closed_client_fails_every_call_clearly(rt, ops):
    Core = counting(rt.core.AsyncCore)

    async def main(url):
        never_used = Core(servers=[url])
        await never_used.aclose()
        used = Core(servers=[url])
        await used.call(ops.get_pet, path_params={"petId": 1})
        await used.aclose()
        for core in (never_used, used):
            with pytest.raises(RuntimeError, match="closed"):
                await core.call(ops.get_pet, path_params={"petId": 2})

    with LoopbackServer(json_reply(PET_JSON)) as srv:
        asyncio.run(main(srv.url))
    assert len(Core.made) == 1 and Core.made[0].is_closed
    assert len(srv.requests) == 1


def endless_stream(req):
    def events():
        for i in range(10_000):
            yield f"data: {chunk(i)}\n\n".encode()

    return Reply(200, {"Content-Type": "text/event-stream"}, events(), delay=0.01)


def test_break_releases_the_stream_even_when_it_is_still_referenced(rt, ops):
    with LoopbackServer(endless_stream) as srv:
        core = rt.core.SyncCore(servers=[srv.url])
        stream = core.call(ops.chat_raw)
        for ev in stream:
            assert ev.index == 0
            break
        assert stream.response.is_closed  # `stream` still holds it: released by the break
        assert list(stream) == []  # a stream broken out of is over
        # reading part of a stream and carrying on is what next() is for
        s2 = core.call(ops.chat_raw)
        assert [next(s2).index, next(s2).index] == [0, 1]
        assert not s2.response.is_closed
        s2.close()
        core.close()


def test_async_break_releases_the_stream_soon(rt, ops):
    async def main(url):
        core = rt.core.AsyncCore(servers=[url])
        stream = await core.call(ops.chat_raw)
        async for ev in stream:
            assert ev.index == 0
            break
        for _ in range(5):  # the loop finalises the abandoned iterator on its next turns
            await asyncio.sleep(0)
        closed = stream.response.is_closed
        await core.aclose()
        return closed

    with LoopbackServer(endless_stream) as srv:
        assert asyncio.run(main(srv.url))


# ------------------------------------------------------------------ truncated streams


def test_missing_sentinel_is_a_truncated_stream(rt, ops):
    # the server closes the stream cleanly (final chunk sent) before `data: [DONE]`
    with LoopbackServer(stream_reply()) as srv:
        core = rt.core.SyncCore(servers=[srv.url])
        got = []
        with pytest.raises(rt.errors.StreamTruncatedError) as ei:
            for ev in core.call(ops.chat_raw):
                got.append(ev.index)
        assert got == [0, 1, 2]
        assert isinstance(ei.value, rt.errors.NoResponseError)  # caught with the others
        assert "[DONE]" in str(ei.value) and "/chat" in str(ei.value)
        # with its sentinel the same stream is complete; without a declared one, too
        srv.handler = Reply(
            200, {"Content-Type": "text/event-stream"}, [*EVENTS, b"data: [DONE]\n\n"]
        )
        assert [ev.index for ev in core.call(ops.chat_raw)] == [0, 1, 2]
        srv.handler = Reply(200, {}, [chunk(i).encode() + b"\n" for i in range(3)])
        assert [ev.index for ev in core.call(ops.jsonl)] == [0, 1, 2]
        core.close()
    assert "StreamTruncatedError" in rt.errors.__all__


def test_async_missing_sentinel_is_a_truncated_stream(rt, ops):
    async def main(url):
        core = rt.core.AsyncCore(servers=[url])
        got = []
        try:
            async for ev in await core.call(ops.chat_raw):
                got.append(ev.index)
        except rt.errors.StreamTruncatedError as e:
            return got, e
        finally:
            await core.aclose()
        return got, None

    with LoopbackServer(stream_reply()) as srv:
        got, err = asyncio.run(main(srv.url))
    assert got == [0, 1, 2] and err is not None and "[DONE]" in str(err)
