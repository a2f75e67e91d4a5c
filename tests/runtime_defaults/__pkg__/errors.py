"""Exceptions raised by the sdk SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, cast
from collections.abc import Iterable

if TYPE_CHECKING:
    import httpx

__all__ = [
    "SDKBaseError",
    "SDKError",
    "ResponseValidationError",
    "NoResponseError",
    "StreamTruncatedError",
    "OAuth2Error",
]

_MAX_BODY = 500


_FORMS: dict[tuple[str, ...], tuple[str, ...]] = {}
_PREFIXES = ("bearer ", "basic ", "token ")


def secret_forms(secrets: Iterable[str]) -> tuple[str, ...]:
    """Every form in which a credential can show up in text, longest first.

    For each secret: as given, stripped, without a ``Bearer``/``Basic``/``Token`` prefix,
    and each of those JSON-escaped (ASCII or not, ``/`` escaped or not), ``repr``-escaped
    (str and bytes) and percent-encoded. Forms shorter than 3 characters are left alone.
    """
    key = tuple(secrets)
    forms = _FORMS.get(key)
    if forms is not None:
        return forms
    import json
    from urllib.parse import quote, quote_plus

    out: set[str] = set()
    for secret in key:
        if not secret:
            continue
        bases = {secret, secret.strip()}
        for b in list(bases):
            if b[:7].lower() in _PREFIXES or b[:6].lower() in _PREFIXES:
                bases.add(b.split(" ", 1)[1].strip())
        for b in bases:
            if len(b) < 3:
                continue
            js = json.dumps(b)[1:-1]
            out.update(
                (
                    b,
                    js,
                    js.replace("/", "\\/"),
                    json.dumps(b, ensure_ascii=False)[1:-1],
                    repr(b)[1:-1],
                    repr(b.encode("utf-8", "backslashreplace"))[2:-1],
                    quote(b, safe=""),
                    quote(b),
                    quote_plus(b, safe=""),
                )
            )
    forms = tuple(sorted((f for f in out if len(f) >= 3), key=len, reverse=True))
    if len(_FORMS) > 256:
        _FORMS.clear()
    _FORMS[key] = forms
    return forms


def _scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every form of every secret replaced by ``[REDACTED]``."""
    if not secrets:
        return text
    for form in secret_forms(secrets):
        if form in text:
            text = text.replace(form, "[REDACTED]")
    return text


def _scrub_chain(exc: Optional[BaseException], secrets: Iterable[str]) -> None:
    """Redact the secrets from the arguments of ``exc`` and of every exception chained to
    it (``__cause__``/``__context__``), which tracebacks print."""
    secrets = tuple(secrets)
    if not secrets:
        return
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        try:
            args = exc.args
            new = tuple(
                _scrub(a, secrets)
                if isinstance(a, str)
                else _scrub(a.decode("utf-8", "replace"), secrets).encode()
                if isinstance(a, bytes)
                else a
                for a in args
            )
            if new != args:
                exc.args = new
        except Exception:
            pass
        exc = exc.__cause__ or exc.__context__


def _without_input(exc: BaseException) -> Optional[BaseException]:
    """A copy of a pydantic ``ValidationError`` whose text leaves out the input values
    (they may hold anything the server echoed, credentials included); ``errors()`` still
    gives them. ``None`` when this pydantic cannot build one."""
    try:
        from pydantic_core import ValidationError

        verr = cast(ValidationError, exc)  # anything else fails here and gives None
        details: list[Any] = [  # InitErrorDetails
            {k: v for k, v in e.items() if k in ("type", "loc", "input", "ctx")}
            for e in verr.errors(include_url=False)
        ]
        return ValidationError.from_exception_data(verr.title, details, hide_input=True)
    except Exception:
        return None


class SDKBaseError(Exception):
    """Base class of every error raised for an HTTP response.

    Attributes: ``message``, ``status_code``, ``headers``, ``body`` (response
    text), ``raw_response`` (the ``httpx.Response``) and ``data`` (the parsed
    error body for typed errors, else ``None``).
    """

    message: str
    status_code: int
    headers: Any
    body: str
    raw_response: Optional[httpx.Response]
    data: Any
    _secrets: tuple[str, ...] = ()

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        raw_response: Optional[httpx.Response] = None,
        body: Optional[str] = None,
        data: object = None,
    ) -> None:
        self.raw_response = raw_response
        if raw_response is not None:
            self.status_code = raw_response.status_code
            self.headers = raw_response.headers
        else:
            self.status_code = 0
            self.headers = {}
        if body is None:
            body = ""
            if raw_response is not None:
                try:
                    body = raw_response.text
                except Exception:  # stream not read
                    body = ""
        self.body = body
        self.data = data
        if message is None:
            message = type(self)._default_message
        self.message = message
        super().__init__(message)

    _default_message = "API error occurred"

    @property
    def content_type(self) -> str:
        try:
            return self.headers.get("content-type", "") or ""
        except Exception:
            return ""

    def __str__(self) -> str:
        parts = [self.message]
        if self.status_code:
            parts.append(f"status {self.status_code}")
        ct = self.content_type
        if ct:
            parts.append(f"content-type {ct}")
        body = self.body or ""
        if len(body) > _MAX_BODY:
            body = body[:_MAX_BODY] + f"... [{len(self.body) - _MAX_BODY} more chars]"
        text = "; ".join(parts)
        if body:
            text += f"\n{body}"
        return _scrub(text, self._secrets)

    def __repr__(self) -> str:
        return _scrub(
            f"{type(self).__name__}(status_code={self.status_code!r}, message={self.message!r})",
            self._secrets,
        )


class SDKError(SDKBaseError):
    """An undocumented (or unparseable) 4XX/5XX response."""


class OAuth2Error(SDKBaseError):
    """The OAuth2 token endpoint refused the client credentials (or answered without an
    ``access_token``); ``status_code`` and ``body`` are the token endpoint's."""

    _default_message = "OAuth2 token request failed"


class ResponseValidationError(SDKBaseError):
    """A 2xx response (or stream event) whose body did not fit its model.

    ``body`` keeps the raw text, ``cause`` (also ``__cause__``) the pydantic
    ``ValidationError``, whose text leaves out the input values (``cause.errors()``
    has them).
    """

    _default_message = "Response validation failed"

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        raw_response: Optional[httpx.Response] = None,
        body: Optional[str] = None,
        data: object = None,
        cause: Optional[BaseException] = None,
    ) -> None:
        super().__init__(message, raw_response=raw_response, body=body, data=data)
        if cause is not None:
            cause = _without_input(cause) or cause
        self.cause = cause

    def __str__(self) -> str:
        text = super().__str__()
        if self.cause is not None:
            text += f"\ncaused by: {self.cause}"
        return _scrub(text, self._secrets)

    def raise_from_cause(self) -> None:
        """Raise this error chained to its (input-free) ``cause`` only."""
        raise self from self.cause


_EMPTY_CAUSE = {
    "ConnectTimeout": "timed out while connecting",
    "ReadTimeout": "timed out waiting for the server to send data",
    "WriteTimeout": "timed out while sending the request",
    "PoolTimeout": "timed out waiting for a free connection in the client's pool",
    "ConnectError": "could not connect",
    "ReadError": "the connection failed while reading the response",
    "WriteError": "the connection failed while sending the request",
    "RemoteProtocolError": "the server broke the HTTP protocol or closed the connection",
}


class NoResponseError(Exception):
    """No (complete) response: connection refused/reset or timed out, after retries.

    ``cause`` is the underlying ``httpx`` exception (also ``__cause__``).
    """

    def __init__(
        self,
        message: str = "No response received",
        *,
        cause: Optional[BaseException] = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.message = message
        self.cause = cause
        self._secrets = secrets
        if cause is not None:
            _scrub_chain(cause, secrets)
            if not str(cause).strip():  # e.g. httpx's async timeouts carry no text
                cause.args = (_EMPTY_CAUSE.get(type(cause).__name__, "no details given"),)
        super().__init__(message)

    def __str__(self) -> str:
        text = self.message
        if self.cause is not None:
            text = f"{self.message}: {type(self.cause).__name__}: {self.cause}"
        return _scrub(text, self._secrets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class StreamTruncatedError(NoResponseError):
    """An event stream that ended (the server closed it cleanly) before the end marker
    the API declares for it (such as ``data: [DONE]``): the events received may not be
    all of them. A ``NoResponseError``, so one ``except`` catches both."""
