"""Live tests of SyncCore against the loopback server."""

from __future__ import annotations

import gc
import json
import logging
import time

import httpx
import pytest
from support.loopback import LoopbackServer, Reply, Script, closed_port, json_reply, sse

from ._helpers import PET_JSON, chunk, fast_retries


def make_core(rt, srv, **kw):
    C = rt.core
    kw.setdefault("security", C.SecuritySpec("bearer", "Authorization", "header", "RTPKG_TOKEN"))
    return C.SyncCore(servers=[srv.url], **kw)


def test_request_shape_and_parsing(rt, ops):
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = make_core(rt, srv, credential="tok-123")
        pet = core.call(
            ops.get_pet,
            path_params={"petId": "a b/c"},
            query={
                "limit": 5,
                "deep": True,
                "off": False,
                "tags": ["x", "y"],
                "skip": None,
                "u": rt.types.UNSET,
            },
            headers={"X-List": [1, 2], "X-Bool": True, "X-None": None},
            http_headers={"X-Extra": "1"},
        )
        core.close()
    assert (
        isinstance(pet, rt.models.Pet)
        and pet.name == "rex"
        and pet.tag is None
        and pet.x_trace == "abc"
    )
    r = srv.requests[0]
    assert r.method == "GET" and r.path == "/pets/a%20b%2Fc"
    assert r.query == {"limit": ["5"], "deep": ["true"], "off": ["false"], "tags": ["x", "y"]}
    assert r.headers["authorization"] == "Bearer tok-123"
    assert (
        r.headers["x-list"] == "1,2" and r.headers["x-bool"] == "true" and "x-none" not in r.headers
    )
    assert r.headers["x-extra"] == "1" and r.headers["accept"] == "application/json"
    assert r.headers["user-agent"] == "rtpkg-dist/0.1.0 python sdkgen/0.1.0"
    assert r.body == b"" and "content-type" not in r.headers


def test_server_selection_and_env(rt, ops, monkeypatch):
    with LoopbackServer(json_reply(PET_JSON)) as srv, LoopbackServer(json_reply(PET_JSON)) as other:
        core = rt.core.SyncCore(servers=["http://unused.invalid", srv.url], server_idx=1)
        core.call(ops.get_pet, path_params={"petId": 1})
        core.call(ops.get_pet, path_params={"petId": 2}, server_url=other.url + "/")
        monkeypatch.setenv("RTPKG_SERVER_URL", other.url)
        monkeypatch.setenv("RTPKG_TOKEN", "env-token")
        core2 = make_core(rt, srv)
        core2.call(ops.get_pet, path_params={"petId": 3})
        core.close()
        core2.close()
    assert [r.path for r in srv.requests] == ["/pets/1"]
    assert [r.path for r in other.requests] == ["/pets/2", "/pets/3"]
    assert "authorization" not in other.requests[0].headers
    assert other.requests[1].headers["authorization"] == "Bearer env-token"


def test_unset_vs_none_on_the_wire(rt, ops):
    m = rt.models
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = make_core(rt, srv)
        core.call(ops.create_pet, body=m.PetCreate.model_validate({"name": "a", "kind": "cat"}))
        core.call(
            ops.create_pet,
            body=m.PetCreate.model_validate({"name": "a", "kind": "cat", "tag": None}),
        )
        core.call(
            ops.create_pet,
            body=m.PetCreate.model_validate(
                {"name": "a", "kind": "cat", "tag": rt.types.UNSET, "x_trace": "t"}
            ),
        )
        core.close()
    bodies = [r.json() for r in srv.requests]
    assert bodies == [
        {"name": "a", "kind": "cat"},
        {"name": "a", "kind": "cat", "tag": None},
        {"name": "a", "kind": "cat", "x-trace": "t"},
    ]
    assert srv.requests[0].headers["content-type"] == "application/json"


def test_unknown_enum_accepted_in_response_rejected_in_request(rt, ops):
    import pydantic

    with LoopbackServer(json_reply({**PET_JSON, "kind": "axolotl", "color": "ultraviolet"})) as srv:
        core = make_core(rt, srv)
        pet = core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert pet.kind == "axolotl" and pet.color == "ultraviolet"
    with pytest.raises(pydantic.ValidationError):
        rt.models.PetCreate.model_validate({"name": "a", "kind": "axolotl"})


def test_no_body_success_returns_none(rt, ops):
    with LoopbackServer(Reply(204)) as srv:
        core = make_core(rt, srv)
        assert core.call(ops.delete_pet, path_params={"petId": 9}) is None
        core.close()
    assert srv.requests[0].method == "DELETE"


def test_response_validation_error_keeps_raw_body(rt, ops):
    with LoopbackServer(json_reply({"id": "not-an-int", "name": 3})) as srv:
        core = make_core(rt, srv)
        with pytest.raises(rt.errors.ResponseValidationError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    e = ei.value
    assert e.status_code == 200 and json.loads(e.body) == {"id": "not-an-int", "name": 3}
    import pydantic

    assert isinstance(e.cause, pydantic.ValidationError)
    assert isinstance(e, rt.errors.RtpkgError)


def test_typed_error_range_and_default(rt, ops):
    hve = {"detail": [{"loc": ["body", "name"], "msg": "required"}]}
    script = Script(
        [
            json_reply(hve, 422),
            json_reply({"unexpected": 1}, 422),
            Reply(404, {"Content-Type": "text/plain"}, b"nope"),
            Reply(500, {"Content-Type": "text/plain"}, b"boom"),
        ]
    )
    with LoopbackServer(script) as srv:
        core = make_core(rt, srv, credential="tok-secret-xyz")
        with pytest.raises(rt.models.HTTPValidationError) as e1:
            core.call(ops.create_pet, body=rt.models.PetCreate(name="a", kind="dog"))
        with pytest.raises(rt.errors.SDKError) as e2:  # typed body that does not parse -> default
            core.call(ops.create_pet, body=rt.models.PetCreate(name="a", kind="dog"))
        with pytest.raises(rt.errors.SDKError) as e3:  # 4XX range
            core.call(ops.create_pet, body=rt.models.PetCreate(name="a", kind="dog"))
        with pytest.raises(rt.errors.SDKError) as e4:  # undocumented 500
            core.call(ops.create_pet, body=rt.models.PetCreate(name="a", kind="dog"))
        core.close()
    assert e1.value.status_code == 422 and e1.value.data.detail[0].msg == "required"
    assert json.loads(e1.value.body) == hve
    assert not isinstance(e2.value, rt.models.HTTPValidationError) and e2.value.status_code == 422
    assert e3.value.status_code == 404 and e3.value.body == "nope"
    assert e4.value.status_code == 500 and "boom" in str(e4.value) and "500" in str(e4.value)
    for e in (e1, e2, e3, e4):
        assert "tok-secret-xyz" not in str(e.value) and "tok-secret-xyz" not in repr(e.value)


def test_token_never_in_error_even_if_echoed(rt, ops):
    with LoopbackServer(
        lambda req: Reply(401, {}, b"bad token " + req.headers["authorization"].encode())
    ) as srv:
        core = make_core(rt, srv, credential="tok-echo-777")
        with pytest.raises(rt.errors.SDKError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert ei.value.status_code == 401
    assert "tok-echo-777" not in str(ei.value) and "tok-echo-777" not in repr(ei.value)


def test_500_then_200_is_retried(rt, ops):
    script = Script([Reply(500), Reply(503), json_reply(PET_JSON)])
    with LoopbackServer(script) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt))
        pet = core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert pet.id == 1 and script.calls == 3


def test_retry_precedence(rt, ops):
    C = rt.core
    op_with_retries = C.Operation(
        "getPet", "GET", "/pets/{petId}", rt.models.PET, retries=fast_retries(rt)
    )
    with LoopbackServer(Script([Reply(500), json_reply(PET_JSON)])) as srv:
        core = make_core(rt, srv)  # no client config -> op default retries
        assert core.call(op_with_retries, path_params={"petId": 1}).id == 1
        core.close()
    with LoopbackServer(Script([Reply(500), json_reply(PET_JSON)])) as srv:
        core = make_core(rt, srv, retry_config=None)  # client disables
        with pytest.raises(rt.errors.SDKError):
            core.call(op_with_retries, path_params={"petId": 1})
        core.close()
    with LoopbackServer(Script([Reply(500), json_reply(PET_JSON)])) as srv:
        core = make_core(rt, srv, retry_config=None)  # per call wins
        assert core.call(ops.get_pet, path_params={"petId": 1}, retries=fast_retries(rt)).id == 1
        core.close()
    with LoopbackServer(Script([Reply(500), json_reply(PET_JSON)])) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt))
        with pytest.raises(rt.errors.SDKError):  # per call None disables
            core.call(ops.get_pet, path_params={"petId": 1}, retries=None)
        core.close()


def test_retry_budget_spent_returns_last_error(rt, ops):
    script = Script([Reply(503)])
    with LoopbackServer(script) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt, elapsed=200, interval=50))
        t = time.monotonic()
        with pytest.raises(rt.errors.SDKError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        took = time.monotonic() - t
        core.close()
    assert ei.value.status_code == 503
    assert took < 0.5 and 2 <= script.calls <= 5


def test_429_retry_after_honoured(rt, ops):
    script = Script(
        [
            Reply(429, {"Retry-After": "1"}),
            Reply(429, {"retry-after-ms": "150"}),
            json_reply(PET_JSON),
        ]
    )
    with LoopbackServer(script) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt, elapsed=5000, interval=1))
        t = time.monotonic()
        assert core.call(ops.get_pet, path_params={"petId": 1}).id == 1
        took = time.monotonic() - t
        core.close()
    assert script.calls == 3
    assert 1.1 <= took < 2.0


def test_connection_refused_no_response_error(rt, ops):
    C = rt.core
    core = C.SyncCore(
        servers=[f"http://127.0.0.1:{closed_port()}"],
        credential="tok-conn-1",
        security=C.SecuritySpec("bearer", "Authorization", "header", None),
    )
    with pytest.raises(rt.errors.NoResponseError) as ei:
        core.call(ops.get_pet, path_params={"petId": 1})
    assert isinstance(ei.value.cause, httpx.ConnectError)
    assert "tok-conn-1" not in str(ei.value) and "tok-conn-1" not in repr(ei.value)
    # with retry_connection_errors it retries, then gives up within the budget
    seen = []
    core.hooks.register_after_error(lambda resp, exc: seen.append(type(exc).__name__))
    t = time.monotonic()
    with pytest.raises(rt.errors.NoResponseError):
        core.call(
            ops.get_pet,
            path_params={"petId": 1},
            retries=fast_retries(rt, elapsed=150, conn=True, interval=40),
        )
    assert len(seen) >= 3 and set(seen) == {"ConnectError"} and time.monotonic() - t < 1
    core.close()


def test_connection_error_then_success_when_retrying(rt, ops):
    script = Script(
        [Reply(200, {}, json.dumps(PET_JSON).encode(), reset_after=0), json_reply(PET_JSON)]
    )
    with LoopbackServer(script) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt, conn=True))
        assert core.call(ops.get_pet, path_params={"petId": 1}).id == 1
        core.close()


def test_reset_mid_body(rt, ops):
    body = json.dumps(PET_JSON).encode()
    with LoopbackServer(
        Reply(200, {"Content-Type": "application/json"}, body, reset_after=10)
    ) as srv:
        core = make_core(rt, srv)
        with pytest.raises(rt.errors.NoResponseError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert isinstance(ei.value.cause, httpx.TransportError)


def test_server_slower_than_timeout(rt, ops):
    with LoopbackServer(Reply(200, {}, b"{}", sleep=3)) as srv:
        core = make_core(rt, srv, timeout_ms=2000)
        t = time.monotonic()
        with pytest.raises(rt.errors.NoResponseError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1}, timeout_ms=200)  # per call wins
        assert isinstance(ei.value.cause, httpx.TimeoutException)
        assert time.monotonic() - t < 1.5
        core.close()
    with LoopbackServer(Reply(200, {}, b"{}", sleep=3)) as srv:
        core = make_core(rt, srv, timeout_ms=200)  # per client
        t = time.monotonic()
        with pytest.raises(rt.errors.NoResponseError):
            core.call(ops.get_pet, path_params={"petId": 1})
        assert time.monotonic() - t < 1.5
        core.close()


def test_callable_token_reevaluated(rt, ops):
    n = iter(range(100))
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = make_core(rt, srv, credential=lambda: f"tok-{next(n)}")
        for i in range(3):
            core.call(ops.get_pet, path_params={"petId": i})
        core.close()
    assert [r.headers["authorization"] for r in srv.requests] == [
        "Bearer tok-0",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


@pytest.mark.parametrize(
    "spec,where",
    [
        (("apiKey", "X-API-Key", "header"), lambda r: r.headers.get("x-api-key")),
        (("apiKey", "api_key", "query"), lambda r: r.query.get("api_key", [None])[0]),
        (
            ("apiKey", "session", "cookie"),
            lambda r: r.headers.get("cookie", "").removeprefix("session="),
        ),
    ],
)
def test_api_key_locations(rt, ops, spec, where):
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = rt.core.SyncCore(
            servers=[srv.url], security=rt.core.SecuritySpec(*spec, None), credential="k1"
        )
        core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert where(srv.requests[0]) == "k1"


def test_basic_auth_and_unsecured_op(rt, ops):
    C = rt.core
    open_op = C.Operation("health", "GET", "/health", None, secured=False)
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = C.SyncCore(
            servers=[srv.url],
            security=C.SecuritySpec("basic", "Authorization", "header", None),
            credential="user:pw",
        )
        core.call(ops.get_pet, path_params={"petId": 1})
        core.call(open_op)
        core.close()
    assert srv.requests[0].headers["authorization"] == "Basic dXNlcjpwdw=="
    assert "authorization" not in srv.requests[1].headers


def test_hooks_called_around_each_attempt(rt, ops):
    events = []

    def before(req):
        events.append(("before", req.url.path))
        req.headers["X-Hooked"] = "yes"

    def success(resp):
        events.append(("success", resp.status_code))

    def error(resp, exc):
        events.append(("error", resp.status_code if resp is not None else None, exc))

    with LoopbackServer(Script([Reply(500), json_reply(PET_JSON)])) as srv:
        core = make_core(rt, srv, retry_config=fast_retries(rt))
        core.hooks.register_before_request(before)
        core.hooks.register_after_success(success)
        core.hooks.register_after_error(error)
        core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert events == [
        ("before", "/pets/1"),
        ("error", 500, None),
        ("before", "/pets/1"),
        ("success", 200),
    ]
    assert all(r.headers["x-hooked"] == "yes" for r in srv.requests)


def test_before_request_hook_can_replace_request(rt, ops):
    def before(req):
        return httpx.Request(
            req.method, str(req.url).replace("/pets/1", "/pets/2"), headers=req.headers
        )

    with LoopbackServer(json_reply(PET_JSON)) as srv:
        core = make_core(rt, srv)
        core.hooks.register_before_request(before)
        core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert srv.requests[0].path == "/pets/2"


def test_debug_log_redacts_token(rt, ops, monkeypatch, caplog):
    with LoopbackServer(Script([Reply(500, {}, b"err"), json_reply(PET_JSON)])) as srv:
        logger = logging.getLogger("rt-debug-test")
        logger.setLevel(logging.DEBUG)
        with caplog.at_level(logging.DEBUG, logger="rt-debug-test"):
            core = make_core(
                rt,
                srv,
                credential="tok-very-secret",
                debug_logger=logger,
                retry_config=fast_retries(rt),
            )
            core.call(ops.create_pet, body=rt.models.PetCreate(name="tok-very-secret", kind="dog"))
            core.close()
        text = caplog.text
        assert (
            "Request: POST" in text
            and "/pets" in text
            and "Response: 500" in text
            and "Response: 200" in text
        )
        assert "tok-very-secret" not in text and "[REDACTED]" in text
        # env var switch
        monkeypatch.setenv("RTPKG_DEBUG", "1")
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="rtpkg"):
            core = make_core(rt, srv, credential="tok-very-secret")
            core.call(ops.get_pet, path_params={"petId": 1})
            core.close()
        assert "Request: GET" in caplog.text and "tok-very-secret" not in caplog.text


def test_client_ownership(rt, ops):
    with LoopbackServer(json_reply(PET_JSON)) as srv:
        mine = httpx.Client()
        core = make_core(rt, srv, client=mine)
        core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
        assert not mine.is_closed
        mine.close()
        unused = make_core(rt, srv)
        unused.close()
        assert unused._given_client is None  # never used: no httpx client was ever built
        core2 = make_core(rt, srv)
        core2.call(ops.get_pet, path_params={"petId": 1})
        core2.close()
        assert core2.client.is_closed


# ------------------------------------------------------------------ streaming


def test_stream_until_sentinel(rt, ops):
    events = [f"id: {i}\nevent: chunk\ndata: {chunk(i)}\n\n" for i in range(5)]
    events += ["data: [DONE]\n\n", "data: " + chunk(99) + "\n\n"]
    with LoopbackServer(sse(events)) as srv:
        core = make_core(rt, srv)
        stream = core.call(ops.chat, body=rt.models.PetCreate(name="a", kind="dog"))
        assert isinstance(stream, rt.es.EventStream)
        got = list(stream)
        assert stream.response.is_closed
        core.close()
    assert [e.data.index for e in got] == [0, 1, 2, 3, 4]
    assert got[0].event == "chunk" and got[3].id == "3" and got[4].data.delta.content == "t4"
    assert srv.requests[0].headers["accept"] == "text/event-stream"


def test_stream_unwrapped_text_and_jsonl(rt, ops):
    with LoopbackServer(
        sse([f"data: {chunk(i, 'weird_new_reason')}\n\n" for i in range(3)] + ["data: [DONE]\n\n"])
    ) as srv:
        core = make_core(rt, srv)
        got = list(core.call(ops.chat_raw))
        core.close()
    assert [c.index for c in got] == [0, 1, 2] and got[0].delta.finish_reason == "weird_new_reason"
    with LoopbackServer(
        sse(["event: note\ndata: hello\ndata: world\n\n", 'data: "quoted"\n\n'])
    ) as srv:
        core = make_core(rt, srv)
        got = list(core.call(ops.text))
        core.close()
    assert [(e.data, e.event) for e in got] == [("hello\nworld", "note"), ('"quoted"', None)]
    lines = "".join(chunk(i) + "\n" for i in range(4))
    with LoopbackServer(
        Reply(
            200, {"Content-Type": "application/jsonl"}, [lines[:17].encode(), lines[17:].encode()]
        )
    ) as srv:
        core = make_core(rt, srv)
        got = list(core.call(ops.jsonl))
        core.close()
    assert [c.index for c in got] == [0, 1, 2, 3]


def test_stream_error_status_raises_before_iteration(rt, ops):
    with LoopbackServer(json_reply({"error": {"message": "bad"}}, 400)) as srv:
        core = make_core(rt, srv)
        with pytest.raises(rt.errors.SDKError) as ei:
            core.call(ops.chat)
        core.close()
    assert ei.value.status_code == 400 and json.loads(ei.value.body)["error"]["message"] == "bad"


@pytest.mark.parametrize(
    "payload",
    [
        'event: error\ndata: {"message": "overloaded"}\n\n',
        'data: {"error": {"message": "overloaded"}}\n\n',
    ],
)
def test_stream_error_event_mid_stream(rt, ops, payload):
    with LoopbackServer(sse([f"data: {chunk(0)}\n\n", payload, f"data: {chunk(1)}\n\n"])) as srv:
        core = make_core(rt, srv)
        stream = core.call(ops.chat)
        assert next(stream).data.index == 0
        with pytest.raises(rt.errors.SDKError) as ei:
            next(stream)
        assert stream.response.is_closed
        core.close()
    assert "overloaded" in ei.value.body and "overloaded" in json.dumps(ei.value.data)


def test_stream_malformed_json_event(rt, ops):
    with LoopbackServer(sse([f"data: {chunk(0)}\n\n", "data: {not json\n\n"])) as srv:
        core = make_core(rt, srv)
        stream = core.call(ops.chat)
        with pytest.raises(rt.errors.ResponseValidationError) as ei:
            list(stream)
        assert stream.response.is_closed
        core.close()
    assert ei.value.body == "{not json"


def test_stream_cut_mid_event(rt, ops):
    body = [f"data: {chunk(0)}\n\n".encode(), f"data: {chunk(1)}".encode()]
    with LoopbackServer(
        Reply(200, {"Content-Type": "text/event-stream"}, body, reset_after=len(body[0]) + 10)
    ) as srv:
        core = make_core(rt, srv)
        stream = core.call(ops.chat)
        got = []
        with pytest.raises(rt.errors.NoResponseError) as ei:
            for e in stream:
                got.append(e)  # noqa: PERF402
        assert stream.response.is_closed
        core.close()
    assert isinstance(ei.value.__cause__, httpx.TransportError)
    assert [e.data.index for e in got] == [0]


def test_stream_closed_on_break_exception_and_close(rt, ops):
    def forever():
        i = 0
        while True:
            yield f"data: {chunk(i)}\n\n".encode()
            i += 1

    with LoopbackServer(
        Reply(200, {"Content-Type": "text/event-stream"}, forever(), delay=0.005)
    ) as srv:
        core = make_core(rt, srv)
        with core.call(ops.chat) as s1:
            for _e in s1:
                break
        assert s1.response.is_closed
        s2 = core.call(ops.chat)
        with pytest.raises(RuntimeError), s2:
            for _e in s2:
                raise RuntimeError("user code failed")
        assert s2.response.is_closed
        s3 = core.call(ops.chat)
        next(s3)
        s3.close()
        assert s3.response.is_closed
        with pytest.raises(StopIteration):
            next(s3)
        core.close()


def test_thousand_abandoned_streams_do_not_exhaust_pool(rt, ops):
    def reply(req):
        return Reply(
            200,
            {"Content-Type": "text/event-stream"},
            [f"data: {chunk(0)}\n\n".encode(), b": keep\n\n"] * 50,
            delay=0.01,
        )

    client = httpx.Client(
        limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
        timeout=httpx.Timeout(5, pool=2),
    )
    with LoopbackServer(reply) as srv:
        core = make_core(rt, srv, client=client)
        t = time.monotonic()
        for _ in range(1000):
            for _ev in core.call(ops.chat):
                break  # abandoned: no with, no close()
        gc.collect()
        assert time.monotonic() - t < 20
        # pool still usable
        with core.call(ops.chat) as s:
            assert next(s).data.index == 0
        core.close()
    client.close()


def test_stream_2000_events_all_parsed(rt, ops):
    events = "".join(f"data: {chunk(i)}\n\n" for i in range(2000)) + "data: [DONE]\n\n"
    raw = events.encode()
    parts = [raw[i : i + 4096] for i in range(0, len(raw), 4096)]
    with LoopbackServer(Reply(200, {"Content-Type": "text/event-stream"}, parts)) as srv:
        core = make_core(rt, srv)
        with core.call(ops.chat_raw) as s:
            got = [e.index for e in s]
        core.close()
    assert got == list(range(2000))
