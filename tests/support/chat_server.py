"""A fake chat-completions API (Friendli/Atoma/OpenAI shaped) for live tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .loopback import RecordedRequest, Reply, json_reply

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "meta-llama-3.1-8b-instruct",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I help?"},
                 "finish_reason": "stop", "logprobs": None}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 7, "total_tokens": 17},
}


def chunk(i: int, text: str, finish: Any = None) -> dict:
    return {
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000 + i,
        "model": "meta-llama-3.1-8b-instruct",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": text},
                     "finish_reason": finish, "logprobs": None}],
    }


def stream_body(n: int = 3) -> list[bytes]:
    events = [f"data: {json.dumps(chunk(i, f'tok{i} '))}\n\n".encode() for i in range(n)]
    events.append(f"data: {json.dumps(chunk(n, '', 'stop'))}\n\n".encode())
    events.append(b"data: [DONE]\n\n")
    return events


def chat_handler(req: RecordedRequest) -> Reply:
    """Answers POST .../chat/completions: SSE when the body asks for a stream or the client
    accepts only text/event-stream, JSON otherwise."""
    if req.method != "POST" or not req.path.endswith("/chat/completions"):
        return json_reply({"detail": "not found"}, status=404)
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        return json_reply({"detail": "invalid JSON"}, status=400)
    if not isinstance(body.get("messages"), list) or not isinstance(body.get("model"), str):
        return json_reply({"detail": "messages and model are required"}, status=422)
    wants_stream = body.get("stream") is True or req.headers.get("accept") == "text/event-stream"
    if wants_stream:
        return Reply(200, {"Content-Type": "text/event-stream"}, stream_body())
    return json_reply(COMPLETION)


# ------------------------------------------------------------------ fault modes

ECHO_MODES = ("body", "json", "valid_json", "error_event", "invalid_event", "error_payload")


def echo_auth(mode: str, status: int = 401) -> Callable[[RecordedRequest], Reply]:
    """A handler that echoes the request's credential back (Authorization, else X-API-Key,
    else the query string, else the cookie), as careless servers do:

    * ``body``: a ``status`` text/plain body with the raw header value;
    * ``json``: a ``status`` JSON body with the value JSON-escaped in a string;
    * ``valid_json``: a 200 JSON body where the value sits in a field of the wrong type
      (``{"id": "<value>", ...}``: fails a model whose ``id`` is an int);
    * ``error_event``: a 200 event stream whose second event is ``event: error`` with it;
    * ``invalid_event``: a 200 event stream whose event carries it but fails the model;
    * ``error_payload``: a 200 event stream with ``data: {"error": "<value>"}``.
    """

    def handler(req: RecordedRequest) -> Reply:
        value = (
            req.headers.get("authorization")
            or req.headers.get("x-api-key")
            or req.raw_path.partition("?")[2]
            or req.headers.get("cookie")
            or ""
        )
        quoted = json.dumps(value)
        if mode == "body":
            return Reply(status, {"Content-Type": "text/plain"}, f"bad credential {value}")
        if mode == "json":
            return json_reply({"detail": f"bad credential {value}", "raw": value}, status)
        if mode == "valid_json":
            return json_reply({"id": value, "name": value, "kind": value})
        first = 'data: {"id": "c0", "index": 0, "delta": {"content": "hi"}}\n\n'
        if mode == "error_event":
            last = f"event: error\ndata: {{\"message\": {quoted}}}\n\n"
        elif mode == "invalid_event":
            last = f'data: {{"id": {quoted}, "index": {quoted}}}\n\n'
        elif mode == "error_payload":
            last = f'data: {{"error": {quoted}}}\n\n'
        else:
            raise ValueError(f"unknown echo mode {mode!r}")
        return Reply(200, {"Content-Type": "text/event-stream"}, [first.encode(), last.encode()])

    return handler
