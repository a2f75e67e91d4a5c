"""Exceptions raised by the atoma-sdk SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AtomaSDKError",
    "APIError",
    "ResponseValidationError",
    "NoResponseError",
]

_MAX_BODY = 500


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for s in secrets:
        if s and s in text:
            text = text.replace(s, "[REDACTED]")
    return text


class AtomaSDKError(Exception):
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


class APIError(AtomaSDKError):
    """An undocumented (or unparseable) 4XX/5XX response."""


class ResponseValidationError(AtomaSDKError):
    """A 2xx response (or stream event) whose body did not fit its model.

    ``body`` keeps the raw text, ``cause`` the pydantic ``ValidationError``.
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
        self.cause = cause

    def __str__(self) -> str:
        text = super().__str__()
        if self.cause is not None:
            text += f"\ncaused by: {self.cause}"
        return _scrub(text, self._secrets)


class NoResponseError(Exception):
    """No (complete) response: connection refused/reset or timed out, after retries.

    ``cause`` is the underlying ``httpx`` exception (also ``__cause__``).
    """

    def __init__(
        self, message: str = "No response received", *, cause: Optional[BaseException] = None
    ) -> None:
        self.message = message
        self.cause = cause
        super().__init__(message)

    def __str__(self) -> str:
        if self.cause is not None:
            return f"{self.message}: {type(self.cause).__name__}: {self.cause}"
        return self.message

    def __repr__(self) -> str:
        return f"NoResponseError({str(self)!r})"
