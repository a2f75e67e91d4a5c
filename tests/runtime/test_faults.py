"""The runtime under transport faults: every failure a call meets is one of the SDK's
documented errors, sync and async, before and during a stream (issue 15)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from support.loopback import LoopbackServer, Reply

from ._helpers import chunk

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
