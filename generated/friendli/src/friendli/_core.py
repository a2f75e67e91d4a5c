"""Generic request core shared by every generated operation.

Generated code describes an operation as data (:class:`Operation`) and calls
``SyncCore.call`` / ``AsyncCore.call``::

    _OP = Operation(
        operation_id="createPet", method="POST", path="/pets/{petId}",
        success=TypeAdapter(models.Pet),
        errors=(
            ErrorSpec(
                "422", errors.HTTPValidationError, TypeAdapter(models.HTTPValidationErrorData)
            ),
        ),
        retries=RetryConfig("backoff", BackoffStrategy(500, 60000, 1.5, 3600000), True),
    )
    core.call(_OP, path_params={"petId": pet_id}, body=models.PetCreate.model_validate(kw))

``call`` builds the URL (server, percent-encoded path parameters), query string
and headers (``UNSET``/``None`` dropped, ``true``/``false``, lists exploded in the
query and comma-joined in headers), applies security, serialises the body with
``types.dump_json``, sends with retries and hooks, and maps the response:
2xx -> ``op.success.validate_json(content, context=RESPONSE_CONTEXT)`` (or an
``EventStream``/``EventStreamAsync`` for streaming operations, or ``None`` when
the operation has no success body); non-2xx -> the matching ``ErrorSpec``
(exact status, then ``4XX`` range, then ``default``) or ``SDKError``;
transport failure after retries -> ``NoResponseError``.

Per-operation work (method, path template, static headers, error table, retry
policy) is computed once and cached by operation identity.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union, cast
from collections.abc import Mapping, Sequence
from urllib.parse import quote

import httpx

from .errors import FriendliCoreError, SDKError, NoResponseError
from .errors import ResponseValidationError
from .errors import _scrub  # pyright: ignore[reportPrivateUsage]  (the SDK's own)
from .types.unset import UNSET, Unset
from .utils.retries import RetryConfig, RetryPolicy, retry_async, retry_sync
from .utils.idempotency import HEADERS as _IDEMPOTENCY_HEADERS
from .utils.idempotency import new_key as new_idempotency_key
from .utils.raw import CAPTURE as _CAPTURE

__all__ = [
    "SecuritySpec",
    "ErrorSpec",
    "StreamSpec",
    "Operation",
    "Hooks",
    "SyncCore",
    "AsyncCore",
    "USER_AGENT",
    "DEFAULT_TIMEOUT",
]

USER_AGENT = "friendli/0.2.0 python sdkgen/0.1.0"
_ENV_PREFIX = "FRIENDLI"
_LOGGER_NAME = "friendli"

#: Timeouts of the httpx client the SDK creates (a client you pass keeps its own):
#: 5 s to connect, 600 s for each read, write and wait for a pooled connection.
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class SecuritySpec:
    """One security scheme."""

    kind: str  # "bearer" | "basic" | "apiKey"
    name: str  # header/query/cookie name ("Authorization" for bearer/basic)
    location: str  # "header" | "query" | "cookie"
    env_var: Optional[str]  # read when no credential is passed
    token_url: str = ""  # oauth2 client credentials: where tokens are fetched (utils/oauth2.py)
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    status: str  # "422", "4XX", "default"
    error: Callable[..., FriendliCoreError]  # called as error(raw_response=, body=, data=)
    data: Any  # TypeAdapter for the body, or None


@dataclass(frozen=True, slots=True)
class StreamSpec:
    event: Any  # TypeAdapter of one event
    format: str = "sse"  # "sse" | "jsonl"
    sentinel: Optional[str] = None
    wrap: bool = True
    data_is_json: bool = True


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str
    path: str
    success: Any  # TypeAdapter for a 2xx JSON body; None -> returns None
    accept: str = "application/json"
    request_content_type: Optional[str] = "application/json"
    stream: Optional[StreamSpec] = None
    errors: tuple[ErrorSpec, ...] = ()
    retries: Optional[RetryConfig] = None  # the spec's default
    secured: bool = True
    # the operation's own server (OpenAPI operation or path `servers`): used unless the call
    # or the client names a server URL
    server: Optional[str] = None


class LazyAdapter:
    """A pydantic ``TypeAdapter`` built on first use, then kept.

    Generated operations describe their types as ``LazyAdapter(lambda: models.X)`` so
    that importing an SDK and creating a client builds no validator; each adapter is
    still built once per type, never per call.
    """

    __slots__ = ("_thunk", "_adapter")

    def __init__(self, thunk: Callable[[], Any]) -> None:
        self._thunk = thunk
        self._adapter: Any = None

    def get(self) -> Any:
        adapter = self._adapter
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = self._adapter = TypeAdapter(self._thunk())
        return adapter

    def validate_json(self, data: Any, **kwargs: Any) -> Any:
        return (self._adapter or self.get()).validate_json(data, **kwargs)

    def validate_python(self, data: Any, **kwargs: Any) -> Any:
        return (self._adapter or self.get()).validate_python(data, **kwargs)


class Hooks:
    """Request/response hooks, run around every attempt.

    * ``before_request(request) -> request | None`` (``None`` keeps the request)
    * ``after_success(response) -> response | None`` (2xx responses)
    * ``after_error(response | None, exception | None)`` (non-2xx or transport error)

    ``AsyncCore`` also accepts coroutine functions.
    """

    __slots__ = ("before_request", "after_success", "after_error")

    def __init__(self) -> None:
        self.before_request: list[Callable[..., Any]] = []
        self.after_success: list[Callable[..., Any]] = []
        self.after_error: list[Callable[..., Any]] = []

    def register_before_request(self, fn: Callable[[httpx.Request], Any]) -> None:
        self.before_request.append(fn)

    def register_after_success(self, fn: Callable[[httpx.Response], Any]) -> None:
        self.after_success.append(fn)

    def register_after_error(self, fn: Callable[[Any, Any], Any]) -> None:
        self.after_error.append(fn)

    def __bool__(self) -> bool:
        return bool(self.before_request or self.after_success or self.after_error)


# --------------------------------------------------------------------------- helpers

_PARAM_RE = re.compile(r"\{([^{}]+)\}")
_NO_RETRY = RetryPolicy(None)
_REDACT_HEADERS = frozenset(("authorization", "proxy-authorization", "cookie", "set-cookie"))
_lazy: dict[str, Any] = {}


def _load_lazy() -> None:
    # pydantic-backed pieces are only needed once a request is made.
    from pydantic_core import ValidationError

    from .types.basemodel import RESPONSE_CONTEXT, dump_json

    _lazy["ValidationError"] = ValidationError
    _lazy["RESPONSE_CONTEXT"] = RESPONSE_CONTEXT
    _lazy["dump_json"] = dump_json


def _s(v: Any) -> Any:
    """A parameter value as sent: text, or bytes (`format: binary`) as their content."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (str, bytes)):
        return v
    if isinstance(v, bytearray):
        return bytes(v)
    value = getattr(v, "value", None)  # Enum members
    if value is not None and not callable(value):
        return _s(value)
    return str(v)


def _query_items(query: Mapping[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in query.items():
        if v is None or v is UNSET:
            continue
        if isinstance(v, (list, tuple)):
            for item in cast(Sequence[Any], v):
                if item is not None and item is not UNSET:
                    out.append((k, _s(item)))
        else:
            out.append((k, _s(v)))
    return out


def _header_value(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        items = [_s(x) for x in cast(Sequence[Any], v) if x is not None and x is not UNSET]
        if any(isinstance(x, bytes) for x in items):
            return b",".join(x if isinstance(x, bytes) else x.encode() for x in items)
        return ",".join(items)
    return _s(v)


def _query_string(params: list[tuple[str, Any]]) -> str:
    """The query of items some of which are bytes, percent-encoded byte for byte (httpx
    would send their repr)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)


def check_credential(value: str, where: str) -> None:
    """Refuse a credential that cannot go into a request as is: whitespace (a trailing
    newline read from a file...), control or non-ASCII characters. The message names where
    the credential goes, never the credential."""
    if value.isascii() and value.isprintable() and " " not in value:
        return
    raise ValueError(
        f"the credential for {where} contains whitespace or control characters (or "
        "non-ASCII ones); it was not sent. Remove them (e.g. a trailing newline read "
        "from a file or an environment variable)."
    )


class _RedactFilter(logging.Filter):
    """Redacts credentials sent in query strings from httpx's own log lines (which show
    the request URL). Knows the most recent such credentials."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[str, None] = {}

    def add(self, secret: str) -> None:
        if secret not in self.secrets:
            if len(self.secrets) >= 64:
                self.secrets.pop(next(iter(self.secrets)))
            self.secrets[secret] = None

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            try:
                msg = record.getMessage()
            except Exception:
                return True
            red = _scrub(msg, tuple(self.secrets))
            if red != msg:
                record.msg, record.args = red, ()
        return True


_query_filter: Optional[_RedactFilter] = None


def redact_in_httpx_logs(secret: str) -> None:
    """Keep ``secret`` (sent in a URL) out of the ``httpx`` logger's lines."""
    global _query_filter
    if _query_filter is None:
        _query_filter = _RedactFilter()
        logging.getLogger("httpx").addFilter(_query_filter)
    _query_filter.add(secret)


_CLOSED = "the client is closed (close() was called): create a new client to make calls"


def check_url(url: str, what: str) -> str:
    """``url`` without a trailing slash, or a ValueError saying why it cannot be used."""
    try:
        parsed = httpx.URL(url)
        ok = parsed.scheme in ("http", "https") and bool(parsed.host)
    except (httpx.InvalidURL, TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f"{what} {url!r} is not a usable URL: it needs http:// or https:// and a host"
            " (e.g. 'https://api.example.com')"
        )
    return url.rstrip("/")


def _truthy(value: Optional[str]) -> bool:
    return value is not None and value.strip().lower() not in ("0", "false", "no", "off", "")


class _Prepared:
    __slots__ = (
        "op",
        "method",
        "path",
        "parts",
        "headers",
        "content_type",
        "err_exact",
        "err_range",
        "err_default",
        "policy",
        "stream",
    )

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.method = op.method.upper()
        self.path = op.path
        pieces = _PARAM_RE.split(op.path)
        # even indices are literals, odd indices parameter names
        self.parts = pieces if len(pieces) > 1 else None
        self.headers = {"Accept": op.accept, "User-Agent": USER_AGENT}
        self.content_type = op.request_content_type
        self.err_exact: dict[int, ErrorSpec] = {}
        self.err_range: dict[int, ErrorSpec] = {}
        self.err_default: Optional[ErrorSpec] = None
        for spec in op.errors:
            code = str(spec.status).strip().upper()
            if code == "DEFAULT":
                self.err_default = spec
            elif len(code) == 3 and code.endswith("XX") and code[0].isdigit():
                self.err_range[int(code[0])] = spec
            elif code.isdigit():
                self.err_exact[int(code)] = spec
        self.policy = RetryPolicy(op.retries) if op.retries is not None else _NO_RETRY
        self.stream = op.stream

    def render_path(self, path_params: Optional[Mapping[str, Any]]) -> str:
        parts = self.parts
        if parts is None:
            return self.path
        params = path_params or {}
        out: list[str] = []
        for i, piece in enumerate(parts):
            if i % 2 == 0:
                out.append(piece)
            else:
                try:
                    value = params[piece]
                except KeyError:
                    raise ValueError(f"missing path parameter {piece!r} for {self.path}") from None
                if value is None or value is UNSET:
                    raise ValueError(f"path parameter {piece!r} must not be None")
                out.append(quote(_header_value(value), safe=""))
        return "".join(out)


class _TokenProvider(Protocol):
    """What the core uses of a token provider (utils/oauth2.ClientCredentials)."""

    def secrets(self) -> tuple[str, ...]: ...

    def issued(self, value: str) -> bool: ...

    def invalidate(self, token: str) -> None: ...

    def ensure(self, core: Any) -> Optional[str]: ...

    async def aensure(self, core: Any) -> Optional[str]: ...


class _BaseCore:
    if TYPE_CHECKING:  # for checkers only: each subclass defines its client

        @property
        def _client(self) -> Union[httpx.Client, httpx.AsyncClient]:
            raise NotImplementedError

    def __init__(
        self,
        *,
        servers: Sequence[str],
        server_url: Optional[str] = None,
        server_idx: Optional[int] = None,
        security: Optional[SecuritySpec] = None,
        credential: Union[str, Callable[[], str], None] = None,
        retry_config: Union[RetryConfig, None, Unset] = UNSET,
        timeout_ms: Optional[int] = None,
        debug_logger: Optional[logging.Logger] = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self._url_error: Optional[str] = None
        if server_url is not None:
            server_url = check_url(server_url, "server_url")
        elif os.environ.get(_ENV_PREFIX + "_SERVER_URL"):
            server_url = check_url(
                os.environ[_ENV_PREFIX + "_SERVER_URL"],
                "server_url from $" + _ENV_PREFIX + "_SERVER_URL",
            )
        # an operation's own server is its default unless the client was given one
        self._server_url_given = server_url is not None
        if server_url is None:
            if not servers:
                raise ValueError("no server URL: pass server_url")
            idx = server_idx or 0
            if not 0 <= idx < len(servers):
                raise ValueError(f"server_idx {idx} out of range (0..{len(servers) - 1})")
            server_url = servers[idx]
            try:
                check_url(server_url, "the spec's server URL")
            except ValueError as exc:  # relative or templated: only an error once used
                self._url_error = f"{exc}; pass server_url"
        self.server_url = server_url.rstrip("/")
        self.security = security
        self._credential = credential
        self.retry_config = retry_config
        if retry_config is UNSET:
            self._policy: Optional[RetryPolicy] = None
        elif retry_config is None:
            self._policy = _NO_RETRY
        else:
            self._policy = RetryPolicy(cast(RetryConfig, retry_config))
        self.timeout_ms = timeout_ms
        self.user_agent = user_agent
        self.hooks = Hooks()
        self._ops: dict[int, _Prepared] = {}
        self._closed = False
        # token providers (utils/oauth2.ClientCredentials) among the credentials
        self._providers: tuple[_TokenProvider, ...] = ()
        if getattr(credential, "_token_provider", False):
            self._providers = (cast(_TokenProvider, credential),)
        if debug_logger is None and _truthy(os.environ.get(_ENV_PREFIX + "_DEBUG")):
            debug_logger = logging.getLogger(_LOGGER_NAME)
            if not debug_logger.handlers:
                debug_logger.addHandler(logging.StreamHandler())
            debug_logger.setLevel(logging.DEBUG)
        self.debug_logger = debug_logger

    # -- per operation -----------------------------------------------------------

    def _prepare(self, op: Operation) -> _Prepared:
        if not _lazy:
            _load_lazy()
        prep = _Prepared(op)
        if self.user_agent != USER_AGENT:
            prep.headers["User-Agent"] = self.user_agent
        self._ops[id(op)] = prep
        return prep

    def _token(self) -> Optional[str]:
        cred = self._credential
        if cred is not None and callable(cred):
            cred = cred()
        if cred is None and self.security is not None and self.security.env_var:
            cred = os.environ.get(self.security.env_var) or None
        return cred

    def _build(
        self,
        op: Operation,
        path_params: Optional[Mapping[str, Any]],
        query: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, Any]],
        body: Any,
        retries: Any,
        server_url: Optional[str],
        timeout_ms: Optional[int],
        http_headers: Optional[Mapping[str, str]],
    ) -> tuple[_Prepared, httpx.Request, RetryPolicy, Optional[str]]:
        if self._closed:
            raise RuntimeError(_CLOSED)
        prep = self._ops.get(id(op))
        if prep is None or prep.op is not op:
            prep = self._prepare(op)
        if server_url:
            base = check_url(server_url, "server_url")
        elif op.server is not None and not self._server_url_given:
            base = op.server.rstrip("/")
        elif self._url_error is not None:
            raise ValueError(self._url_error)
        else:
            base = self.server_url
        url = base + (prep.render_path(path_params) if prep.parts is not None else prep.path)
        hdrs = prep.headers.copy()
        params: Any = _query_items(query) if query else None
        token = None
        if op.secured and self.security is not None:
            token = self._token()
            if token:
                params = self._apply_auth(token, hdrs, params)
        if headers:
            for k, v in headers.items():
                if v is not None and v is not UNSET:
                    hdrs[k] = _header_value(v)
                elif k.lower() in _IDEMPOTENCY_HEADERS:
                    # one key per call; the retries of the call resend this request
                    hdrs[k] = new_idempotency_key()
        content: Any = None
        if body is not None and body is not UNSET:
            content = self._encode_body(body, prep.content_type)
            if prep.content_type:
                hdrs["Content-Type"] = prep.content_type
        if http_headers:
            hdrs.update(http_headers)
        if params and any(isinstance(v, bytes) for _, v in params):
            url, params = url + "?" + _query_string(params), None
        if timeout_ms is None:
            timeout_ms = self.timeout_ms
        request = self._client.build_request(
            prep.method,
            url,
            params=params,
            headers=hdrs,
            content=content,
            timeout=timeout_ms / 1000.0 if timeout_ms is not None else httpx.USE_CLIENT_DEFAULT,
        )
        if retries is UNSET:
            policy = self._policy if self._policy is not None else prep.policy
        elif retries is None:
            policy = _NO_RETRY
        else:
            policy = RetryPolicy(retries)
        return prep, request, policy, token

    @staticmethod
    def _encode_body(body: Any, content_type: Optional[str]) -> Any:
        if isinstance(body, (bytes, bytearray, str)):
            return body
        if hasattr(body, "model_dump_json"):
            if content_type and "x-www-form-urlencoded" in content_type:
                from urllib.parse import urlencode

                data = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
                return urlencode(
                    [(k, _s(v)) for k, v in data.items() if v is not None], doseq=False
                )
            return _lazy["dump_json"](body)
        import json

        return json.dumps(body, separators=(",", ":")).encode()

    def _apply_auth(self, token: str, hdrs: dict[str, str], params: Any) -> Any:
        sec = self.security
        assert sec is not None
        kind = sec.kind.lower()
        if kind != "basic":
            check_credential(
                token[7:] if kind == "bearer" and token[:7].lower() == "bearer " else token,
                f"{sec.location} {sec.name!r}" if sec.name else "Authorization",
            )
        if kind == "bearer":
            value = token if token[:7].lower() == "bearer " else "Bearer " + token
            hdrs[sec.name or "Authorization"] = value
        elif kind == "basic":
            import base64

            value = token
            if not token[:6].lower() == "basic ":
                value = "Basic " + base64.b64encode(token.encode()).decode()
            hdrs[sec.name or "Authorization"] = value
        elif sec.location == "query":
            params = list(params or ())
            params.append((sec.name, token))
            redact_in_httpx_logs(token)
        elif sec.location == "cookie":
            prev = hdrs.get("Cookie")
            cookie = f"{sec.name}={token}"
            hdrs["Cookie"] = f"{prev}; {cookie}" if prev else cookie
        else:
            hdrs[sec.name] = token
        return params

    # -- responses ---------------------------------------------------------------

    def _success(self, op: Operation, resp: httpx.Response, token: Any = None) -> Any:
        success = op.success
        if success is None or resp.status_code == 204:
            return None
        content = resp.content
        try:
            return success.validate_json(content, context=_lazy["RESPONSE_CONTEXT"])
        except _lazy["ValidationError"] as exc:
            err = ResponseValidationError(
                "Response body did not match its model",
                raw_response=resp,
                body=resp.text,
                cause=exc,
            )
        # raised outside the except block: the original pydantic error (whose text shows
        # the input values) is neither the cause nor the context
        err._secrets = self._secrets(token)  # pyright: ignore[reportPrivateUsage]
        err.raise_from_cause()

    def _error(self, prep: _Prepared, resp: httpx.Response, token: Optional[str]) -> Exception:
        status = resp.status_code
        spec = prep.err_exact.get(status) or prep.err_range.get(status // 100) or prep.err_default
        text = resp.text
        err: FriendliCoreError
        if spec is not None:
            data = None
            ok = True
            if spec.data is not None:
                try:
                    data = spec.data.validate_json(resp.content, context=_lazy["RESPONSE_CONTEXT"])
                except Exception:
                    ok = False
            if ok:
                err = spec.error(raw_response=resp, body=text, data=data)
            else:
                err = SDKError(
                    "API error occurred (error body did not match its model)",
                    raw_response=resp,
                    body=text,
                )
        else:
            err = SDKError(raw_response=resp, body=text)
        secrets = self._secrets(token)
        if secrets:
            try:
                err._secrets = secrets  # pyright: ignore[reportPrivateUsage]
            except Exception:
                pass
        return err

    def _sent(self, token: Any) -> tuple[str, ...]:
        """The credentials sent with a request (``token`` as ``_build`` returned it)."""
        return (token,) if token else ()

    def _secrets(self, token: Any) -> tuple[str, ...]:
        """What to redact for a request: the credentials sent, and the token providers'."""
        sent = self._sent(token)
        if self._providers:
            return sent + tuple(s for p in self._providers for s in p.secrets())
        return sent

    def _reauthenticate(self, token: Any) -> bool:
        """After a 401: drop the provider tokens the request carried; True when it carried
        one (the call is then sent once more, with a new token)."""
        found = False
        for value in self._sent(token):
            for p in self._providers:
                if p.issued(value):
                    p.invalidate(value)
                    found = True
        return found

    @staticmethod
    def _same_call_headers(
        request: httpx.Request, http_headers: Optional[Mapping[str, str]]
    ) -> Any:
        """``http_headers`` for re-sending a call: its idempotency key is kept."""
        extra = {k: v for k, v in request.headers.items() if k.lower() in _IDEMPOTENCY_HEADERS}
        return {**(http_headers or {}), **extra} if extra else http_headers

    def _no_response(self, request: httpx.Request, exc: BaseException, tok: Any) -> NoResponseError:
        url = request.url.copy_with(query=None)
        msg = f"{request.method} {url} failed"
        return NoResponseError(msg, cause=exc, secrets=self._secrets(tok))

    # -- debug logging -----------------------------------------------------------

    def _redact(self, text: str, token: Any) -> str:
        return _scrub(text, self._secrets(token))

    def _log_request(self, request: httpx.Request, token: Optional[str]) -> None:
        log = self.debug_logger
        assert log is not None
        sec_name = self.security.name.lower() if self.security is not None else ""
        hdrs = {
            k: ("[REDACTED]" if k.lower() in _REDACT_HEADERS or k.lower() == sec_name else v)
            for k, v in request.headers.items()
        }
        body = b""
        try:
            body = request.content[:2000]
        except Exception:
            pass
        log.debug(
            self._redact(
                f"Request: {request.method} {request.url} headers={hdrs} "
                f"body={body.decode('utf-8', 'replace')}",
                token,
            )
        )

    def _log_response(self, resp: httpx.Response, token: Optional[str], streamed: bool) -> None:
        log = self.debug_logger
        assert log is not None
        hdrs = {
            k: ("[REDACTED]" if k.lower() in _REDACT_HEADERS else v)
            for k, v in resp.headers.items()
        }
        body = "<stream>" if streamed else resp.text[:2000]
        log.debug(self._redact(f"Response: {resp.status_code} headers={hdrs} body={body}", token))


class SyncCore(_BaseCore):
    """Blocking core over ``httpx.Client``."""

    def __init__(
        self,
        *,
        servers: Sequence[str],
        server_url: Optional[str] = None,
        server_idx: Optional[int] = None,
        security: Optional[SecuritySpec] = None,
        credential: Union[str, Callable[[], str], None] = None,
        client: Optional[httpx.Client] = None,
        retry_config: Union[RetryConfig, None, Unset] = UNSET,
        timeout_ms: Optional[int] = None,
        debug_logger: Optional[logging.Logger] = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        super().__init__(
            servers=servers,
            server_url=server_url,
            server_idx=server_idx,
            security=security,
            credential=credential,
            retry_config=retry_config,
            timeout_ms=timeout_ms,
            debug_logger=debug_logger,
            user_agent=user_agent,
        )
        self._owns_client = client is None
        self._given_client = client
        self._lock = threading.Lock()

    @property
    def _client(self) -> httpx.Client:
        # Created on first use: building an SSL context costs ~50 ms, and a client that
        # is constructed but never used should not pay it. Once, under a lock: threads
        # sharing a fresh client share one httpx client (and one connection pool).
        client = self._given_client
        if client is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError(_CLOSED)
                client = self._given_client
                if client is None:
                    client = self._given_client = self._new_client()
        return client

    def _new_client(self) -> httpx.Client:
        """The httpx client made on first use when none was passed (override to adjust)."""
        return httpx.Client(timeout=DEFAULT_TIMEOUT)

    @property
    def client(self) -> httpx.Client:
        return self._client

    def _attempt(
        self, request: httpx.Request, stream: bool, token: Optional[str]
    ) -> httpx.Response:
        hooks = self.hooks
        for fn in hooks.before_request:
            r = fn(request)
            if r is not None:
                request = r
        if self.debug_logger is not None:
            self._log_request(request, token)
        try:
            resp = self._client.send(request, stream=stream)
        except httpx.TransportError as exc:
            if self.debug_logger is not None:
                self.debug_logger.debug(self._redact(f"Transport error: {exc!r}", token))
            for fn in hooks.after_error:
                fn(None, exc)
            raise
        if self.debug_logger is not None:
            self._log_response(resp, token, stream)
        if 200 <= resp.status_code < 300:
            for fn in hooks.after_success:
                r = fn(resp)
                if r is not None:
                    resp = r
        else:
            for fn in hooks.after_error:
                fn(resp, None)
        return resp

    def call(
        self,
        op: Operation,
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        retries: Any = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        http_headers: Optional[Mapping[str, str]] = None,
        _reauth: bool = True,
    ) -> Any:
        for provider in self._providers:  # OAuth2 client credentials: a valid token first
            provider.ensure(self)
        prep, request, policy, token = self._build(
            op, path_params, query, headers, body, retries, server_url, timeout_ms, http_headers
        )
        capture = _CAPTURE.get()  # set by with_raw_response / with_streaming_response
        stream = prep.stream is not None or (capture is not None and capture.streaming)
        try:
            if policy.enabled:
                resp = retry_sync(policy, lambda: self._attempt(request, stream, token))
            elif self.hooks or self.debug_logger is not None:
                resp = self._attempt(request, stream, token)
            else:
                resp = self._client.send(request, stream=stream)
        except httpx.TransportError as exc:
            raise self._no_response(request, exc, token) from exc
        status = resp.status_code
        if 200 <= status < 300:
            if capture is not None:
                if capture.streaming:
                    from .utils.raw import StreamedResponse

                    return StreamedResponse(
                        resp, lambda: self._parse_later(prep, request, resp, token)
                    )
                capture.response = resp
            if prep.stream is not None:
                from .utils.eventstreaming import EventStream

                events: EventStream[Any] = EventStream(resp, prep.stream, self._secrets(token))
                return events
            return self._success(op, resp, token)
        if stream:
            try:
                resp.read()
            except httpx.TransportError as exc:
                raise self._no_response(request, exc, token) from exc
            finally:
                resp.close()
        if status == 401 and _reauth and self._providers and self._reauthenticate(token):
            return self.call(
                op,
                path_params=path_params,
                query=query,
                headers=headers,
                body=body,
                retries=retries,
                server_url=server_url,
                timeout_ms=timeout_ms,
                http_headers=self._same_call_headers(request, http_headers),
                _reauth=False,
            )
        raise self._error(prep, resp, token)

    def _parse_later(
        self, prep: _Prepared, request: httpx.Request, resp: httpx.Response, token: Any
    ) -> Any:
        """``StreamedResponse.parse()``: the event stream, or the body read and validated."""
        if prep.stream is not None:
            from .utils.eventstreaming import EventStream

            events: EventStream[Any] = EventStream(resp, prep.stream, self._secrets(token))
            return events
        try:
            resp.read()
        except httpx.TransportError as exc:
            raise self._no_response(request, exc, token) from exc
        finally:
            resp.close()
        return self._success(prep.op, resp, token)

    def close(self) -> None:
        """Close the HTTP client if this core created it; every later call raises."""
        with self._lock:
            self._closed = True
            client = self._given_client
        if self._owns_client and client is not None:
            client.close()

    def __enter__(self) -> SyncCore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


async def _maybe_await(value: Any) -> Any:
    if hasattr(value, "__await__"):
        return await value
    return value


class AsyncCore(_BaseCore):
    """Asyncio core over ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        servers: Sequence[str],
        server_url: Optional[str] = None,
        server_idx: Optional[int] = None,
        security: Optional[SecuritySpec] = None,
        credential: Union[str, Callable[[], str], None] = None,
        client: Optional[httpx.AsyncClient] = None,
        retry_config: Union[RetryConfig, None, Unset] = UNSET,
        timeout_ms: Optional[int] = None,
        debug_logger: Optional[logging.Logger] = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        super().__init__(
            servers=servers,
            server_url=server_url,
            server_idx=server_idx,
            security=security,
            credential=credential,
            retry_config=retry_config,
            timeout_ms=timeout_ms,
            debug_logger=debug_logger,
            user_agent=user_agent,
        )
        self._owns_client = client is None
        self._given_client = client
        # the clients this core made, one per event loop: an httpx.AsyncClient's
        # connections belong to the loop they were opened on
        self._loop_clients: dict[Any, httpx.AsyncClient] = {}
        self._lock = threading.Lock()
        import asyncio  # here, not at import time: sync users do not need it

        self._running_loop = asyncio.get_running_loop

    @property
    def _client(self) -> httpx.AsyncClient:
        client = self._given_client
        if client is not None:
            return client
        try:
            loop: Any = self._running_loop()
        except RuntimeError:  # outside a coroutine (e.g. reading `.client`)
            loop = None
        client = self._loop_clients.get(loop)
        if client is None:
            with self._lock:
                if self._closed:
                    raise RuntimeError(_CLOSED)
                client = self._loop_clients.get(loop)
                if client is None:
                    gone = [lp for lp in self._loop_clients if lp is not None and lp.is_closed()]
                    for old in gone:  # their loops are closed, their connections dead
                        del self._loop_clients[old]
                    client = self._loop_clients[loop] = self._new_client()
        return client

    def _new_client(self) -> httpx.AsyncClient:
        """The httpx client made on first use in each event loop when none was passed."""
        return httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)

    @property
    def client(self) -> httpx.AsyncClient:
        return self._client

    async def _attempt(
        self, request: httpx.Request, stream: bool, token: Optional[str]
    ) -> httpx.Response:
        hooks = self.hooks
        for fn in hooks.before_request:
            r = await _maybe_await(fn(request))
            if r is not None:
                request = r
        if self.debug_logger is not None:
            self._log_request(request, token)
        try:
            resp = await self._client.send(request, stream=stream)
        except httpx.TransportError as exc:
            if self.debug_logger is not None:
                self.debug_logger.debug(self._redact(f"Transport error: {exc!r}", token))
            for fn in hooks.after_error:
                await _maybe_await(fn(None, exc))
            raise
        if self.debug_logger is not None:
            self._log_response(resp, token, stream)
        if 200 <= resp.status_code < 300:
            for fn in hooks.after_success:
                r = await _maybe_await(fn(resp))
                if r is not None:
                    resp = r
        else:
            for fn in hooks.after_error:
                await _maybe_await(fn(resp, None))
        return resp

    async def call(
        self,
        op: Operation,
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        retries: Any = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        http_headers: Optional[Mapping[str, str]] = None,
        _reauth: bool = True,
    ) -> Any:
        for provider in self._providers:  # OAuth2 client credentials: a valid token first
            await provider.aensure(self)
        prep, request, policy, token = self._build(
            op, path_params, query, headers, body, retries, server_url, timeout_ms, http_headers
        )
        capture = _CAPTURE.get()  # set by with_raw_response / with_streaming_response
        stream = prep.stream is not None or (capture is not None and capture.streaming)
        try:
            if policy.enabled:
                resp = await retry_async(policy, lambda: self._attempt(request, stream, token))
            elif self.hooks or self.debug_logger is not None:
                resp = await self._attempt(request, stream, token)
            else:
                resp = await self._client.send(request, stream=stream)
        except httpx.TransportError as exc:
            raise self._no_response(request, exc, token) from exc
        status = resp.status_code
        if 200 <= status < 300:
            if capture is not None:
                if capture.streaming:
                    from .utils.raw import AsyncStreamedResponse

                    streamed: AsyncStreamedResponse[Any] = AsyncStreamedResponse(
                        resp, lambda: self._parse_later(prep, request, resp, token)
                    )
                    return streamed
                capture.response = resp
            if prep.stream is not None:
                from .utils.eventstreaming import EventStreamAsync

                aevents: EventStreamAsync[Any] = EventStreamAsync(
                    resp, prep.stream, self._secrets(token)
                )
                return aevents
            return self._success(op, resp, token)
        if stream:
            try:
                await resp.aread()
            except httpx.TransportError as exc:
                raise self._no_response(request, exc, token) from exc
            finally:
                await resp.aclose()
        if status == 401 and _reauth and self._providers and self._reauthenticate(token):
            return await self.call(
                op,
                path_params=path_params,
                query=query,
                headers=headers,
                body=body,
                retries=retries,
                server_url=server_url,
                timeout_ms=timeout_ms,
                http_headers=self._same_call_headers(request, http_headers),
                _reauth=False,
            )
        raise self._error(prep, resp, token)

    async def _parse_later(
        self, prep: _Prepared, request: httpx.Request, resp: httpx.Response, token: Any
    ) -> Any:
        """``AsyncStreamedResponse.parse()``: the event stream, or the body read and validated."""
        if prep.stream is not None:
            from .utils.eventstreaming import EventStreamAsync

            aevents: EventStreamAsync[Any] = EventStreamAsync(
                resp, prep.stream, self._secrets(token)
            )
            return aevents
        try:
            await resp.aread()
        except httpx.TransportError as exc:
            raise self._no_response(request, exc, token) from exc
        finally:
            await resp.aclose()
        return self._success(prep.op, resp, token)

    async def aclose(self) -> None:
        """Close the HTTP clients this core created; every later call raises."""
        with self._lock:
            self._closed = True
            clients = list(self._loop_clients.items())
        for _loop, client in clients:
            try:
                await client.aclose()
            except Exception:  # its connections belong to another (perhaps closed) loop
                pass

    async def __aenter__(self) -> AsyncCore:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()
