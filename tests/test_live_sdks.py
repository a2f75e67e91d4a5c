"""The generated SDKs (generated/friendli, generated/atoma) against a real HTTP server on
loopback: complete and stream, sync and async, headers, auth, UNSET vs None on the wire."""

from __future__ import annotations

import asyncio
import sys

import pytest
from conftest import GENERATED
from support.chat_server import chat_handler
from support.loopback import LoopbackServer

for _t in ("friendli", "atoma"):
    _p = str(GENERATED / _t / "src")
    if _p not in sys.path:
        sys.path.insert(0, _p)

import atoma_sdk  # noqa: E402
import friendli  # noqa: E402
from friendli import models as fmodels  # noqa: E402

MESSAGES = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Hello!"}]


@pytest.fixture()
def server():
    with LoopbackServer(chat_handler) as srv:
        yield srv


def test_complete_sync_sends_auth_header_and_body(server):
    with friendli.SyncFriendli(token="tok-123", server_url=server.url) as client:
        res = client.serverless.chat.complete(messages=MESSAGES, model="m",
                                              x_friendli_team="team-7", max_tokens=5)
    assert isinstance(res, fmodels.ContainerChatCompleteSuccess)
    assert res.choices[0].message.content == "Hello! How can I help?"
    req = server.requests[0]
    assert req.method == "POST" and req.path == "/serverless/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer tok-123"
    assert req.headers["x-friendli-team"] == "team-7"
    assert req.headers["content-type"].startswith("application/json")
    assert req.headers["accept"] == "application/json"
    assert "friendli" in req.headers["user-agent"] and "sdkgen" in req.headers["user-agent"]
    # `stream` has `default: false` in the spec: defaults are sent, as the reference SDK does
    assert req.json() == {"messages": MESSAGES, "model": "m", "max_tokens": 5, "stream": False}


def test_unset_is_omitted_and_none_is_sent_as_null(server):
    with friendli.SyncFriendli(token="t", server_url=server.url) as client:
        client.serverless.chat.complete(messages=MESSAGES, model="m", temperature=None,
                                        x_friendli_team=None)
    req = server.requests[0]
    body = req.json()
    assert body["temperature"] is None  # explicit None on a nullable field -> null
    assert "top_p" not in body and "seed" not in body  # untouched fields are not sent
    assert body["stream"] is False  # ... except those with a spec default
    assert "x-friendli-team" not in req.headers  # a header cannot be null: omitted


def test_models_and_typed_dicts_are_both_accepted(server):
    msgs = [fmodels.SystemMessage(content="sys", role="system"), {"role": "user", "content": "u"}]
    with friendli.SyncFriendli(token="t", server_url=server.url) as client:
        client.serverless.chat.complete(messages=msgs, model="m",
                                        stream_options=fmodels.StreamOptions(include_usage=True))
    body = server.requests[0].json()
    assert body["messages"] == [{"content": "sys", "role": "system"},
                                {"role": "user", "content": "u"}]
    assert body["stream_options"] == {"include_usage": True}


def test_invalid_request_is_rejected_before_sending(server):
    with friendli.SyncFriendli(token="t", server_url=server.url) as client:
        with pytest.raises(Exception) as exc:
            client.serverless.chat.complete(messages="not a list", model="m")  # type: ignore
    assert "messages" in str(exc.value)
    assert server.requests == []


def test_stream_sync_iterates_typed_events_until_sentinel(server):
    with friendli.SyncFriendli(token="t", server_url=server.url) as client:
        res = client.serverless.chat.stream(messages=MESSAGES, model="m", stream=True)
        with res as events:
            got = [e for e in events]
    assert len(got) == 4
    assert isinstance(got[0], fmodels.ContainerChatCompletionStreamSuccess)
    assert got[0].data.choices[0].delta.content == "tok0 "
    assert got[-1].data.choices[0].finish_reason == "stop"
    assert server.requests[0].headers["accept"] == "text/event-stream"
    assert server.requests[0].json()["stream"] is True


def test_tool_assisted_stream(server):
    with friendli.SyncFriendli(token="t", server_url=server.url) as client:
        with client.serverless.tool_assisted_chat.stream(
                messages=MESSAGES, model="m", tools=[{"type": "math:calculator"}]) as events:
            texts = [e.data.choices[0].delta.content for e in events]
    assert texts[:3] == ["tok0 ", "tok1 ", "tok2 "]
    assert server.requests[0].path == "/serverless/tools/v1/chat/completions"
    assert server.requests[0].json()["tools"] == [{"type": "math:calculator"}]


def test_async_complete_and_stream(server):
    async def run():
        async with friendli.AsyncFriendli(token="t", server_url=server.url) as client:
            res = await client.serverless.chat.complete(messages=MESSAGES, model="m")
            stream = await client.serverless.chat.stream(messages=MESSAGES, model="m")
            events = []
            async with stream as s:
                async for e in s:
                    events.append(e)
            return res, events

    res, events = asyncio.run(run())
    assert res.id == "chatcmpl-1"
    assert [e.data.choices[0].delta.content for e in events][:2] == ["tok0 ", "tok1 "]


def test_atoma_enum_messages_and_env_server_url(server, monkeypatch):
    monkeypatch.setenv("ATOMASDK_SERVER_URL", server.url)
    monkeypatch.setenv("ATOMASDK_BEARER_AUTH", "env-token")
    with atoma_sdk.AtomaSDK() as client:
        res = client.chat.create(messages=[
            {"content": "hi", "role": atoma_sdk.RoleUser.USER}], model="m", max_tokens=3)
    assert res.choices[0].finish_reason == "stop"
    req = server.requests[0]
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer env-token"
    assert req.json() == {"messages": [{"content": "hi", "role": "user"}], "model": "m",
                          "max_tokens": 3, "stream": False}


def test_atoma_async_stream(server):
    async def run():
        async with atoma_sdk.AsyncAtomaSDK(bearer_auth="t", server_url=server.url) as client:
            stream = await client.chat.stream(messages=[{"content": "hi", "role": "user"}],
                                              model="m")
            return [e async for e in stream]

    events = asyncio.run(run())
    assert len(events) == 4
    assert isinstance(events[0], atoma_sdk.models.ChatCompletionsCreateStreamResponseBody)


def test_per_call_server_url_and_headers(server):
    with friendli.SyncFriendli(token="t", server_url="http://127.0.0.1:9") as client:
        client.serverless.chat.complete(messages=MESSAGES, model="m", server_url=server.url,
                                        http_headers={"X-Trace": "abc"}, timeout_ms=5000)
    assert server.requests[0].headers["x-trace"] == "abc"
