"""UNSET, dump_json, open enums, errors and retry policy (no network)."""

from __future__ import annotations

import copy
import json
import time
from email.utils import formatdate

import httpx
import pydantic
import pytest


def test_unset_singleton(rt):
    U = rt.types
    assert U.Unset() is U.UNSET
    assert not U.UNSET
    assert repr(U.UNSET) == "UNSET"
    assert copy.deepcopy(U.UNSET) is U.UNSET and copy.copy(U.UNSET) is U.UNSET


def test_optional_nullable_accepts_unset(rt):
    U = rt.types

    class M(U.BaseModel):
        a: U.OptionalNullable[int] = U.UNSET
        b: U.Nullable[int] = None

    assert M.model_validate({"a": U.UNSET}).a is U.UNSET
    assert M.model_validate({"a": None}).a is None
    assert M.model_validate({"a": 3}).a == 3
    assert M.model_validate_json('{"a": null}').a is None
    with pytest.raises(pydantic.ValidationError):
        M.model_validate({"a": "x"})


def test_dump_json_unset_vs_none(rt):
    m = rt.models
    dump = rt.types.dump_json
    # only the provided keys are sent; explicit None -> null; aliases used
    p = m.PetCreate.model_validate({"name": "rex", "kind": "dog", "tag": None, "x-trace": "t"})
    assert json.loads(dump(p)) == {"name": "rex", "kind": "dog", "tag": None, "x-trace": "t"}
    # populate by name works too
    p = m.PetCreate.model_validate({"name": "rex", "kind": "dog", "x_trace": "t"})
    assert json.loads(dump(p)) == {"name": "rex", "kind": "dog", "x-trace": "t"}
    # explicit UNSET is dropped, also nested and inside lists
    p = m.PetCreate.model_validate(
        {
            "name": "rex",
            "kind": "dog",
            "tag": rt.types.UNSET,
            "owner": {"name": "o", "email": rt.types.UNSET},
            "owners": [{"name": "a", "email": None}, {"name": "b", "email": rt.types.UNSET}],
        }
    )
    assert json.loads(dump(p)) == {
        "name": "rex",
        "kind": "dog",
        "owner": {"name": "o"},
        "owners": [{"name": "a", "email": None}, {"name": "b"}],
    }
    assert isinstance(dump(p), bytes)


def test_dump_json_enum_member_and_open_enum_in_request(rt):
    m = rt.models
    p = m.PetCreate.model_validate({"name": "r", "kind": "cat", "color": m.Color.GREEN})
    assert json.loads(rt.types.dump_json(p))["color"] == "green"
    with pytest.raises(pydantic.ValidationError):
        m.PetCreate.model_validate({"name": "r", "kind": "hamster"})
    with pytest.raises(pydantic.ValidationError):
        m.PetCreate.model_validate({"name": "r", "kind": "cat", "color": "blue"})


def test_open_enum_in_response_only(rt):
    m = rt.models
    ctx = rt.types.RESPONSE_CONTEXT
    raw = b'{"id": 1, "name": "n", "kind": "hamster", "color": "blue"}'
    pet = m.PET.validate_json(raw, context=ctx)
    assert pet.kind == "hamster" and pet.color == "blue"
    known = m.PET.validate_json(
        b'{"id": 1, "name": "n", "kind": "cat", "color": "red"}', context=ctx
    )
    assert known.color is m.Color.RED
    with pytest.raises(pydantic.ValidationError):
        m.PET.validate_json(raw)
    # non str/int values still fail in responses
    with pytest.raises(pydantic.ValidationError):
        m.PET.validate_json(b'{"id": 1, "name": "n", "kind": [1]}', context=ctx)
    # serialising an unknown value does not warn or fail
    assert json.loads(pet.model_dump_json())["kind"] == "hamster"


def test_error_str_repr_and_attributes(rt):
    E = rt.errors
    req = httpx.Request("GET", "http://x/", headers={"Authorization": "Bearer sekret-token"})
    resp = httpx.Response(
        503, headers={"content-type": "text/plain"}, content=b"y" * 2000, request=req
    )
    err = E.SDKError(raw_response=resp, body=resp.text)
    assert isinstance(err, E.RtpkgError)
    assert err.status_code == 503 and err.body == "y" * 2000 and err.raw_response is resp
    s = str(err)
    assert "503" in s and "text/plain" in s and "more chars" in s and len(s) < 800
    assert "sekret" not in s and "sekret" not in repr(err)
    err._secrets = ("yyyy",)
    assert "yyyy" not in str(err)
    v = E.ResponseValidationError("bad", raw_response=resp, body="raw", cause=ValueError("boom"))
    assert v.cause.args == ("boom",) and "boom" in str(v) and v.body == "raw"
    n = E.NoResponseError("GET http://x failed", cause=httpx.ConnectError("refused"))
    assert isinstance(n.cause, httpx.ConnectError) and "refused" in str(n)
    assert not issubclass(E.NoResponseError, E.RtpkgError)


def test_retry_policy(rt):
    R = rt.retries
    p = R.RetryPolicy(
        R.RetryConfig(
            "backoff", R.BackoffStrategy(100, 1000, 2.0, 5000), status_codes=("429", "5XX")
        )
    )
    assert p.enabled and p.retry_status(429) and p.retry_status(503) and not p.retry_status(404)
    p.jitter = 0
    assert [p.delay(i) for i in range(5)] == [0.1, 0.2, 0.4, 0.8, 1.0]
    assert p.delay(0, httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert p.delay(0, httpx.Headers({"retry-after": "3"})) == 3.0
    d = p.delay(0, httpx.Headers({"retry-after": formatdate(time.time() + 10, usegmt=True)}))
    assert 8 <= d <= 10.5
    assert not R.RetryPolicy(R.RetryConfig("none")).enabled
    assert not R.RetryPolicy(None).enabled
    j = R.RetryPolicy(
        R.RetryConfig("backoff", R.BackoffStrategy(1000, 1000, 1.0, 5000), jitter=0.5)
    )
    assert all(0.5 <= j.delay(0) <= 1.0 for _ in range(50))


def test_retry_sync_respects_budget(rt):
    R = rt.retries
    p = R.RetryPolicy(R.RetryConfig("backoff", R.BackoffStrategy(40, 40, 1.0, 100), jitter=0))
    calls = []
    slept = []

    def attempt():
        calls.append(1)
        return httpx.Response(503)

    t = time.monotonic()
    resp = R.retry_sync(p, attempt, sleep=lambda s: (slept.append(s), time.sleep(s)))
    assert resp.status_code == 503
    assert time.monotonic() - t < 0.2 and sum(slept) <= 0.1
    assert 2 <= len(calls) <= 3
    # a Retry-After beyond the budget gives up at once
    calls.clear()
    p2 = R.RetryPolicy(R.RetryConfig("backoff", R.BackoffStrategy(10, 10, 1.0, 500)))
    resp = R.retry_sync(
        p2, lambda: calls.append(1) or httpx.Response(429, headers={"retry-after": "60"})
    )
    assert resp.status_code == 429 and len(calls) == 1


def test_runtime_imports_without_pydantic(rt):
    import subprocess
    import sys

    code = (
        f"import sys; sys.path.insert(0, {str(rt.root.parent)!r}); "
        "import rtpkg._core, rtpkg.types, rtpkg.errors; print('pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
