"""Shared helpers for the runtime tests."""

from __future__ import annotations

import json

PET_JSON = {"id": 1, "name": "rex", "kind": "dog", "tag": None, "x-trace": "abc"}


def fast_retries(rt, *, elapsed=2000, conn=False, codes=("429", "5XX"), interval=10):
    R = rt.retries
    return R.RetryConfig(
        "backoff", R.BackoffStrategy(interval, interval, 1.0, elapsed), conn, codes, jitter=0
    )


def make_ops(rt):
    C, m = rt.core, rt.models
    return type(
        "Ops",
        (),
        dict(  # noqa: C408
            get_pet=C.Operation("getPet", "GET", "/pets/{petId}", m.PET),
            create_pet=C.Operation(
                "createPet",
                "POST",
                "/pets",
                m.PET,
                errors=(
                    C.ErrorSpec("422", m.HTTPValidationError, m.HVE_DATA),
                    C.ErrorSpec("4XX", rt.errors.SDKError, None),
                ),
            ),
            delete_pet=C.Operation(
                "deletePet", "DELETE", "/pets/{petId}", None, request_content_type=None
            ),
            chat=C.Operation(
                "chat",
                "POST",
                "/chat",
                None,
                accept="text/event-stream",
                stream=C.StreamSpec(m.CHAT_EVENT, sentinel="[DONE]"),
            ),
            chat_raw=C.Operation(
                "chatRaw",
                "POST",
                "/chat",
                None,
                accept="text/event-stream",
                stream=C.StreamSpec(m.CHAT_CHUNK, sentinel="[DONE]", wrap=False),
            ),
            text=C.Operation(
                "text", "GET", "/text", None, stream=C.StreamSpec(m.TEXT_EVENT, data_is_json=False)
            ),
            jsonl=C.Operation(
                "jsonl",
                "GET",
                "/jsonl",
                None,
                stream=C.StreamSpec(m.CHAT_CHUNK, format="jsonl", wrap=False),
            ),
        ),
    )


def chunk(i, finish=None):
    d = {"id": f"c{i}", "index": i, "delta": {"content": f"t{i}"}}
    if finish:
        d["delta"]["finish_reason"] = finish
    return json.dumps(d)
