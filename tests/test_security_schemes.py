"""Several security schemes: basic and bearer as alternatives at the root, an operation
needing an API key header AND an API key query parameter, a cookie key, an unsecured
operation (`security: []`) and one with an optional (`{}`) alternative. The generated SDK
is imported and called against a real loopback server, sync and async; the test asserts
exactly which credentials arrive for each combination of credentials given (arguments,
callables, environment variables). Stripe (basic | bearer) generates, imports and takes
both credentials."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import inspect
import json
import sys
from pathlib import Path

import pytest
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

from sdkgen.build import build
from sdkgen.config import TargetConfig, default_config_for
from sdkgen.load import load
from sdkgen.pipeline import generate_to

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"ok": {"type": "boolean"}}}}}}}


def _op(op_id: str, **extra: object) -> dict:
    return {"get": {"operationId": op_id, "tags": ["auth"], "responses": OK, **extra}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Authy", "version": "1"},
    "servers": [{"url": "https://authy.example"}],
    "components": {"securitySchemes": {
        "basicAuth": {"type": "http", "scheme": "basic"},
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
        "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
        "oauth": {"type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": "https://authy.example/token", "scopes": {}}}},
        "unused": {"type": "apiKey", "in": "header", "name": "X-Unused"},
    }},
    "security": [{"basicAuth": []}, {"bearerAuth": []}],
    "paths": {
        "/default": _op("rootDefault"),
        "/both": _op("bothKeys", security=[{"headerKey": [], "queryKey": []}]),
        "/public": _op("publicOp", security=[]),
        "/optional": _op("optionalAuth", security=[{}, {"bearerAuth": []}]),
        "/cookie": _op("cookieOp", security=[{"cookieKey": []}, {"oauth": ["read"]}]),
        "/ghost": _op("ghostOp", security=[{"ghost": []}, {"bearerAuth": []}]),
    },
}
OPS = ["root_default", "both_keys", "public_op", "optional_auth", "cookie_op"]
ENV = ["AUTHY_BASIC_AUTH", "AUTHY_BEARER_AUTH", "AUTHY_HEADER_KEY", "AUTHY_QUERY_KEY",
       "AUTHY_COOKIE_KEY", "AUTHY_OAUTH"]


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture(scope="module")
def authy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authy")
    spec = tmp / "authy.json"
    spec.write_text(json.dumps(SPEC))
    cfg = TargetConfig(dist_name="authy", import_name="authy", sdk_class_name="Authy",
                       sync_client="Authy", async_client="AsyncAuthy", env_prefix="AUTHY")
    generate_to(spec, cfg, tmp / "out")
    sys.path.insert(0, str(tmp / "out" / "src"))
    try:
        yield importlib.import_module("authy"), tmp / "out"
    finally:
        sys.path.remove(str(tmp / "out" / "src"))
        for name in [m for m in sys.modules if m == "authy" or m.startswith("authy.")]:
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    for var in ENV:
        monkeypatch.delenv(var, raising=False)


def _auth(req: RecordedRequest) -> dict:
    """Every credential the request carried."""
    seen = {k: req.headers[k] for k in ("authorization", "x-api-key", "cookie")
            if k in req.headers}
    if "api_key" in req.query:
        seen["api_key"] = req.query["api_key"]
    return seen


def _call_all(sdk, srv, is_async: bool, **creds) -> dict[str, dict]:
    """Calls every operation once; {operation path: credentials received}."""
    if is_async:
        async def run() -> None:
            async with sdk.AsyncAuthy(server_url=srv.url, **creds) as client:
                for name in OPS:
                    await getattr(client.auth, name)()
        asyncio.run(run())
    else:
        with sdk.Authy(server_url=srv.url, **creds) as client:
            for name in OPS:
                getattr(client.auth, name)()
    out = {r.path.strip("/"): _auth(r) for r in srv.requests}
    srv.requests.clear()
    return out


BASIC = _basic("ann", "pw")
NOTHING = {"default": {}, "both": {}, "public": {}, "optional": {}, "cookie": {}}
CASES = [
    ({}, NOTHING),
    ({"basic_auth": ("ann", "pw")}, {**NOTHING, "default": {"authorization": BASIC}}),
    ({"basic_auth": "ann:pw"}, {**NOTHING, "default": {"authorization": BASIC}}),
    ({"bearer_auth": "tok"}, {**NOTHING, "default": {"authorization": "Bearer tok"},
                              "optional": {"authorization": "Bearer tok"}}),
    # both alternatives satisfiable: the first (basic) wins
    ({"basic_auth": ("ann", "pw"), "bearer_auth": "Bearer tok"},
     {**NOTHING, "default": {"authorization": BASIC},
      "optional": {"authorization": "Bearer tok"}}),
    # AND: one key of the pair is not enough
    ({"header_key": "h1"}, NOTHING),
    ({"query_key": "q1"}, NOTHING),
    ({"header_key": "h1", "query_key": "q1"},
     {**NOTHING, "both": {"x-api-key": "h1", "api_key": ["q1"]}}),
    ({"cookie_key": "c1"}, {**NOTHING, "cookie": {"cookie": "session=c1"}}),
    # oauth2 is a bearer token (second alternative of /cookie)
    ({"oauth": "at"}, {**NOTHING, "cookie": {"authorization": "Bearer at"}}),
    ({"basic_auth": ("ann", "pw"), "bearer_auth": "tok", "header_key": "h1",
      "query_key": "q1", "cookie_key": "c1", "oauth": "at"},
     {"default": {"authorization": BASIC}, "both": {"x-api-key": "h1", "api_key": ["q1"]},
      "public": {}, "optional": {"authorization": "Bearer tok"},
      "cookie": {"cookie": "session=c1"}}),
]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_credentials_sent_per_operation(authy, is_async):
    sdk, _ = authy
    with LoopbackServer(json_reply({"ok": True})) as srv:
        for creds, expected in CASES:
            assert _call_all(sdk, srv, is_async, **creds) == expected, creds


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_environment_variables_are_the_defaults(authy, monkeypatch, is_async):
    sdk, _ = authy
    monkeypatch.setenv("AUTHY_BASIC_AUTH", "env-user:env-pw")
    monkeypatch.setenv("AUTHY_BEARER_AUTH", "env-tok")
    monkeypatch.setenv("AUTHY_HEADER_KEY", "env-h")
    monkeypatch.setenv("AUTHY_QUERY_KEY", "env-q")
    with LoopbackServer(json_reply({"ok": True})) as srv:
        got = _call_all(sdk, srv, is_async)
        assert got == {"default": {"authorization": _basic("env-user", "env-pw")},
                       "both": {"x-api-key": "env-h", "api_key": ["env-q"]}, "public": {},
                       "optional": {"authorization": "Bearer env-tok"}, "cookie": {}}
        # an argument beats its variable; the other variables still apply
        got = _call_all(sdk, srv, is_async, bearer_auth="arg-tok", query_key="arg-q")
        assert got["optional"] == {"authorization": "Bearer arg-tok"}
        assert got["both"] == {"x-api-key": "env-h", "api_key": ["arg-q"]}
        monkeypatch.delenv("AUTHY_BASIC_AUTH")
        assert _call_all(sdk, srv, is_async)["default"] == {"authorization": "Bearer env-tok"}


def test_callables_are_called_per_request_and_may_return_nothing(authy):
    sdk, _ = authy
    tokens = iter(["t1", "t2", None])
    with LoopbackServer(json_reply({"ok": True})) as srv:
        with sdk.Authy(server_url=srv.url, bearer_auth=lambda: next(tokens),
                       basic_auth=lambda: None) as client:
            for _ in range(3):
                client.auth.root_default()
        got = [_auth(r) for r in srv.requests]
    assert got == [{"authorization": "Bearer t1"}, {"authorization": "Bearer t2"}, {}]


def test_a_call_passes_its_own_headers_and_errors_hide_every_credential(authy):
    sdk, _ = authy

    def echo(req: RecordedRequest) -> Reply:  # a server that echoes what it got
        return json_reply({"detail": f"{req.raw_path} {req.headers.get('x-api-key')}"}, 401)

    with LoopbackServer(echo) as srv:
        with sdk.Authy(server_url=srv.url, header_key="hkey-123", query_key="qkey-456") as c:
            with pytest.raises(sdk.errors.SDKError) as info:
                c.auth.both_keys()
    text = str(info.value)
    assert info.value.status_code == 401
    assert "hkey-123" not in text and "qkey-456" not in text and "[REDACTED]" in text


def test_model_and_generated_code(authy, tmp_path):
    sdk, out = authy
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(SPEC))
    api, diags = build(load(spec))
    assert [(d.code, d.pointer) for d in diags if d.code == "security-scheme"] == [
        ("security-scheme", "#/paths/~1ghost/get/security/0")]
    ops = {o.operation_id: o for ns in [api.root, *api.root.children] for o in ns.operations}
    assert ops["rootDefault"].security == (("basicAuth",), ("bearerAuth",))
    assert ops["bothKeys"].security == (("headerKey", "queryKey"),)
    assert ops["publicOp"].security == () and not ops["publicOp"].secured
    assert ops["optionalAuth"].security == (("bearerAuth",), ())  # `{}` goes last
    assert ops["ghostOp"].security == (("bearerAuth",),)  # undeclared scheme: dropped
    assert [s.name for s in api.security_schemes] == [
        "basicAuth", "bearerAuth", "headerKey", "queryKey", "cookieKey", "oauth"]  # not "unused"
    params = inspect.signature(sdk.Authy).parameters
    for arg in ("basic_auth", "bearer_auth", "header_key", "query_key", "cookie_key", "oauth"):
        assert params[arg].kind is inspect.Parameter.KEYWORD_ONLY and params[arg].default is None
    readme = (out / "README.md").read_text()
    for row in ("| `basic_auth` | http | HTTP Basic | `AUTHY_BASIC_AUTH` |",
                "| `query_key` | apiKey | API key (query `api_key`) | `AUTHY_QUERY_KEY` |",
                "| `cookie_key` | apiKey | API key (cookie `session`) | `AUTHY_COOKIE_KEY` |",
                "| `oauth` | oauth2 | OAuth2 (access token, sent as HTTP Bearer) | `AUTHY_OAUTH` |"):
        assert row in readme
    page = (out / "docs" / "sdks" / "auth" / "README.md").read_text()
    assert "* `header_key` and `query_key`" in page
    assert "None: this operation is called without credentials." in page


def test_one_bearer_scheme_keeps_the_single_credential_core(tmp_path):
    spec = dict(SPEC, security=[{"bearerAuth": []}], paths={"/default": _op("rootDefault")})
    path = tmp_path / "one.json"
    path.write_text(json.dumps(spec))
    cfg = TargetConfig(dist_name="onesec", import_name="onesec", sync_client="One",
                       async_client="AsyncOne", env_prefix="ONE")
    generate_to(path, cfg, tmp_path / "out")
    src = tmp_path / "out" / "src" / "onesec"
    assert not (src / "utils" / "security.py").exists()
    assert "bearer_auth: Optional[Union[str, Callable[[], str]]] = None,\n        *," in (
        src / "sdk.py").read_text()


def test_security_with_client_globals(tmp_path):
    team = {"name": "X-Team", "in": "header", "schema": {"type": "string"}}
    spec = dict(SPEC, paths={"/default": _op("rootDefault", parameters=[team])})
    spec["x-speakeasy-globals"] = {"parameters": [team]}
    path = tmp_path / "glob.json"
    path.write_text(json.dumps(spec))
    cfg = TargetConfig(dist_name="globsec", import_name="globsec", sync_client="G",
                       async_client="AsyncG", env_prefix="GLOB")
    generate_to(path, cfg, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out" / "src"))
    try:
        sdk = importlib.import_module("globsec")
        with LoopbackServer(json_reply({"ok": True})) as srv:
            with sdk.G(server_url=srv.url, bearer_auth="tok", x_team="t1") as client:
                client.auth.root_default()
                client.auth.root_default(x_team="t2")
            got = [(r.headers.get("authorization"), r.headers.get("x-team"))
                   for r in srv.requests]
        assert got == [("Bearer tok", "t1"), ("Bearer tok", "t2")]
    finally:
        sys.path.remove(str(tmp_path / "out" / "src"))
        for name in [m for m in sys.modules if m == "globsec" or m.startswith("globsec.")]:
            del sys.modules[name]


@pytest.mark.slow
def test_stripe_takes_basic_and_bearer(tmp_path):
    spec = Path(__file__).resolve().parents[2] / "shared/corpus/scale/stripe.spec3-2023-09.yaml"
    if not spec.exists():
        pytest.skip("corpus not available")
    cfg = default_config_for(spec)
    generate_to(spec, cfg, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out" / "src"))
    try:
        stripe = importlib.import_module(cfg.import_name)
        client_cls = getattr(stripe, cfg.sync_client)
        params = inspect.signature(client_cls).parameters
        assert {"basic_auth", "bearer_auth"} <= set(params)
        with LoopbackServer(json_reply({"ok": True})) as srv:
            for creds in ({"bearer_auth": "sk_test_1"}, {"basic_auth": ("sk_test_2", "")}):
                with client_cls(server_url=srv.url, **creds) as client:
                    with contextlib.suppress(Exception):  # {"ok": true} is no Balance
                        client.get_balance()
            assert [r.headers["authorization"] for r in srv.requests] == [
                "Bearer sk_test_1", _basic("sk_test_2", "")]
    finally:
        sys.path.remove(str(tmp_path / "out" / "src"))
        for name in [m for m in sys.modules
                     if m == cfg.import_name or m.startswith(cfg.import_name + ".")]:
            del sys.modules[name]
