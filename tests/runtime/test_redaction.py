"""Secrets never leak: every error text, chained exception and log line of failing calls,
for any form the credential is passed in or echoed back (issue 15, group 1)."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import traceback

import pytest
from support.chat_server import echo_auth
from support.loopback import LoopbackServer, Reply, closed_port

from ._helpers import PET_JSON, chunk, fast_retries

# Distinctive: every form of it (JSON-escaped, repr-escaped, percent-encoded) keeps "Sw33p".
TOKEN = 'sk_Sw33p/tok+en"q\\z'
MARK = "Sw33p"
FORMS = {
    "bare": TOKEN,
    "bearer": "Bearer " + TOKEN,
    "json-escaped": json.dumps(TOKEN)[1:-1],
}


def error_texts(exc: BaseException) -> str:
    """Everything a user or a log handler can print of an error: str, repr, args and the
    formatted traceback, for the error and every exception chained to it."""
    out = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        out += [str(e), repr(e), repr(e.args)]
        todo += [e.__cause__, e.__context__, getattr(e, "cause", None)]
    return "\n".join(out)


def bearer_core(rt, url, credential, **kw):
    C = rt.core
    return C.SyncCore(
        servers=[url],
        security=C.SecuritySpec("bearer", "Authorization", "header", None),
        credential=credential,
        **kw,
    )


@pytest.mark.parametrize("form", ["bare", "bearer", "json-escaped"])
def test_validation_error_redacted_and_without_pydantic_input(rt, ops, form):
    with LoopbackServer(echo_auth("valid_json")) as srv:
        core = bearer_core(rt, srv.url, FORMS[form])
        with pytest.raises(rt.errors.ResponseValidationError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    e = ei.value
    assert MARK not in error_texts(e)
    assert "input_value" not in error_texts(e)  # the chained pydantic error hides inputs
    assert e.__cause__ is not None and "id" in str(e.__cause__)  # ... but says what failed
    assert MARK in e.body  # the raw body is kept as data, unredacted


@pytest.mark.parametrize("mode", ["error_event", "invalid_event", "error_payload"])
@pytest.mark.parametrize("form", ["bare", "bearer"])
def test_stream_errors_redacted(rt, ops, mode, form):
    with LoopbackServer(echo_auth(mode)) as srv:
        core = bearer_core(rt, srv.url, FORMS[form])
        stream = core.call(ops.chat_raw)
        assert next(stream).index == 0
        with pytest.raises(rt.errors.RtpkgError) as ei:
            next(stream)
        core.close()
    assert MARK not in error_texts(ei.value)


@pytest.mark.parametrize("echo", ["body", "json"])
def test_bearer_prefixed_credential_redacts_bare_and_escaped_echo(rt, ops, echo):
    def handler(req):  # echoes the token without its "Bearer " prefix
        value = req.headers["authorization"].removeprefix("Bearer ")
        if echo == "json":
            return Reply(401, {"Content-Type": "application/json"}, json.dumps({"t": value}))
        return Reply(401, {"Content-Type": "text/plain"}, f"unknown key {value}")

    with LoopbackServer(handler) as srv:
        core = bearer_core(rt, srv.url, "Bearer " + TOKEN)
        with pytest.raises(rt.errors.SDKError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert srv.requests[0].headers["authorization"] == "Bearer " + TOKEN
    assert MARK not in error_texts(ei.value)


@pytest.mark.parametrize(
    "bad", [TOKEN + "\n", TOKEN + "\r\n", " " + TOKEN, "sk_Sw33p tok", "sk\x00Sw33p"]
)
def test_credential_with_whitespace_or_control_chars_rejected_before_sending(rt, ops, bad):
    with LoopbackServer(Reply(200, {}, json.dumps(PET_JSON))) as srv:
        core = bearer_core(rt, srv.url, bad, retry_config=fast_retries(rt, conn=True))
        with pytest.raises(ValueError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert srv.requests == []  # nothing sent, nothing retried
    text = error_texts(ei.value)
    assert MARK not in text and "Authorization" in str(ei.value)
    assert "whitespace or control" in str(ei.value)


def test_debug_log_redacts_query_key_and_escaped_forms(rt, ops, caplog):
    C = rt.core
    logger = logging.getLogger("rt-redaction-test")
    with LoopbackServer(echo_auth("json", 500)) as srv, caplog.at_level(logging.DEBUG):
        core = C.SyncCore(
            servers=[srv.url],
            security=C.SecuritySpec("apiKey", "api_key", "query", None),
            credential=TOKEN,
            debug_logger=logger,
        )
        with pytest.raises(rt.errors.SDKError) as ei:
            core.call(ops.get_pet, path_params={"petId": 1})
        core.close()
    assert "api_key=" in srv.requests[0].raw_path
    assert "Request: GET" in caplog.text and "Response: 500" in caplog.text
    assert MARK not in caplog.text
    assert MARK not in error_texts(ei.value)


# ------------------------------------------------------------------ the sweep


def _failing_calls(rt, ops):
    """(name, handler, call kwargs, how to run) for a full set of failing calls."""
    retry = fast_retries(rt, conn=True, elapsed=300)
    pet = {"path_params": {"petId": 1}}
    return [
        ("401 echo", echo_auth("body"), ops.get_pet, pet),
        ("401 json echo", echo_auth("json"), ops.get_pet, pet),
        ("500 echo retried", echo_auth("body", 500), ops.get_pet, {**pet, "retries": retry}),
        ("invalid 2xx", echo_auth("valid_json"), ops.get_pet, pet),
        ("error event", echo_auth("error_event"), ops.chat_raw, {}),
        ("invalid event", echo_auth("invalid_event"), ops.chat_raw, {}),
        ("error payload", echo_auth("error_payload"), ops.chat_raw, {}),
        ("reset", Reply(200, {}, b"{}", reset_after=0), ops.get_pet, {**pet, "retries": retry}),
        (
            "stall",
            Reply(200, {}, b'{"id": 1', stall_after=3),
            ops.get_pet,
            {**pet, "timeout_ms": 150},
        ),
        (
            "reset mid-stream",
            Reply(
                200,
                {"Content-Type": "text/event-stream"},
                [f"data: {chunk(0)}\n\n".encode(), f"data: {chunk(1)}\n\n".encode()],
                reset_after=40,
            ),
            ops.chat_raw,
            {},
        ),
        (
            "truncated stream",
            Reply(200, {"Content-Type": "text/event-stream"}, [f"data: {chunk(0)}\n\n".encode()]),
            ops.chat_raw,
            {},
        ),
        ("refused", None, ops.get_pet, pet),
    ]


def _schemes(rt):
    C = rt.core
    return {
        "bearer": C.SecuritySpec("bearer", "Authorization", "header", None),
        "header key": C.SecuritySpec("apiKey", "X-API-Key", "header", None),
        "query key": C.SecuritySpec("apiKey", "api_key", "query", None),
    }


def _run(core, op, kw):
    """Make the call (and read its stream to the end), then close the core."""
    if hasattr(core, "aclose"):

        async def main():
            try:
                result = await core.call(op, **kw)
                if hasattr(result, "__aiter__"):
                    async for _ in result:
                        pass
            finally:
                await core.aclose()

        asyncio.run(main())
        return
    try:
        for _ in core.call(op, **kw) or ():
            pass
    finally:
        core.close()


def test_secrets_sweep(rt, ops, caplog):
    """Every failing call, every credential form, sync and async: no error text, chained
    error, traceback or log line (the SDK's and httpx's, at DEBUG) contains the token."""
    C = rt.core
    sec = importlib.import_module("rtpkg.utils.security")
    forms = {**FORMS, "newline-suffixed": TOKEN + "\n"}
    logger = logging.getLogger("rt-sweep")
    texts: list[str] = []
    counts = {"errors": 0, "value errors": 0}
    caplog.set_level(logging.DEBUG)
    for name, handler, op, kw in _failing_calls(rt, ops):
        srv = LoopbackServer(handler) if handler is not None else None
        url = srv.start().url if srv is not None else f"http://127.0.0.1:{closed_port()}"
        try:
            for scheme_name, scheme in _schemes(rt).items():
                for form, cred in forms.items():
                    if scheme_name != "bearer" and form == "bearer":
                        continue
                    calls = [
                        (
                            C.SyncCore(
                                servers=[url], security=scheme, credential=cred, debug_logger=logger
                            ),
                            op,
                        ),
                        (
                            C.AsyncCore(
                                servers=[url], security=scheme, credential=cred, debug_logger=logger
                            ),
                            op,
                        ),
                    ]
                    if scheme_name == "bearer":
                        calls.append(
                            (
                                sec.SyncSecurityCore(
                                    servers=[url],
                                    security={"token": scheme},
                                    credentials={"token": cred},
                                    debug_logger=logger,
                                ),
                                C.Operation(
                                    op.operation_id,
                                    op.method,
                                    op.path,
                                    op.success,
                                    accept=op.accept,
                                    stream=op.stream,
                                    security=(("token",),),
                                ),
                            )
                        )
                    for core, this_op in calls:
                        try:
                            _run(core, this_op, kw)
                        except ValueError as e:
                            if not isinstance(e, rt.errors.RtpkgError):
                                assert form == "newline-suffixed", (name, form, e)
                                counts["value errors"] += 1
                            texts.append(f"[{name}/{scheme_name}/{form}] " + error_texts(e))
                        except Exception as e:  # noqa: BLE001 - any error is inspected
                            counts["errors"] += 1
                            texts.append(f"[{name}/{scheme_name}/{form}] " + error_texts(e))
                        else:
                            pytest.fail(f"{name}/{scheme_name}/{form}: call did not fail")
        finally:
            if srv is not None:
                srv.stop()
    leaks = [
        t.splitlines()[0] + " ..." + t[t.find(MARK) - 80 : t.find(MARK) + 40]
        for t in texts
        if MARK in t
    ]
    assert not leaks, leaks[:5]
    log = caplog.text
    assert "Request:" in log and "Response:" in log
    i = log.find(MARK)
    assert i < 0, log[max(0, i - 300) : i + 80]
    assert counts == {"errors": 204, "value errors": 84}, counts  # 12 calls x 24 runs
