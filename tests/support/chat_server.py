"""A fake chat-completions API (Friendli/Atoma/OpenAI shaped) for live tests."""

from __future__ import annotations

import json
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
