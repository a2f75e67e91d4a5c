"""Raw HTTP responses, per call.

``client.with_raw_response`` is the client again, but each call returns a
:class:`RawResponse`: the ``httpx.Response`` (status, headers, request id) with the parsed
result, read as usual::

    raw = client.with_raw_response.orders.get_order(id=7)
    raw.status_code, raw.headers["x-request-id"], raw.request_id
    order = raw.parse()                      # the usual typed result (also `raw.data`)

``client.with_streaming_response`` returns a :class:`StreamedResponse` before the body is
read (for a streaming operation too), to be used in a ``with`` block, which releases the
connection::

    with client.with_streaming_response.orders.get_order(id=7) as resp:
        resp.headers                         # the body has not been read yet
        order = resp.parse()                 # reads and validates; or resp.iter_bytes()...

On the async client: ``await client.with_raw_response...(...)`` and
``async with client.with_streaming_response...(...) as resp`` (``await resp.parse()``).
Error responses raise the usual errors (each has ``raw_response``).

The mode travels in a context variable set around the one call, so a client shared by
threads or tasks is not affected.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Iterator
from typing import Any, Callable, Generic, Optional, TypeVar

from .._settings import IMPORT_NAME

__all__ = ["RawResponse", "StreamedResponse", "AsyncStreamedResponse", "RawClient", "Capture"]

T = TypeVar("T")


class Capture:
    """What the core records for the call in progress (see ``CAPTURE``)."""

    __slots__ = ("streaming", "response")

    def __init__(self, streaming: bool) -> None:
        self.streaming = streaming
        self.response: Any = None


#: Set around one call by :class:`RawClient`; read by the core once per call.
CAPTURE: contextvars.ContextVar[Optional[Capture]] = contextvars.ContextVar(
    IMPORT_NAME + "_capture", default=None
)

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray")


class _ResponseInfo:
    http_response: Any

    @property
    def status_code(self) -> int:
        return int(self.http_response.status_code)

    @property
    def headers(self) -> Any:
        """The response headers (an ``httpx.Headers``, case-insensitive)."""
        return self.http_response.headers

    @property
    def request_id(self) -> Optional[str]:
        """The server's request id header (``x-request-id`` and common variants), if any."""
        headers = self.http_response.headers
        for name in _REQUEST_ID_HEADERS:
            value = headers.get(name)
            if value:
                return str(value)
        return None


class RawResponse(_ResponseInfo, Generic[T]):
    """A parsed result together with the ``httpx.Response`` it came from."""

    def __init__(self, http_response: Any, data: T) -> None:
        self.http_response = http_response
        self.data = data

    def parse(self) -> T:
        """The typed result (already parsed)."""
        return self.data

    def __repr__(self) -> str:
        return f"RawResponse(status_code={self.status_code}, data={type(self.data).__name__})"


class StreamedResponse(_ResponseInfo, Generic[T]):
    """A response whose body has not been read; use it in a ``with`` block."""

    def __init__(self, http_response: Any, parse: Callable[[], T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: Any = _UNPARSED

    def parse(self) -> T:
        """Read the body and return the typed result (a streaming operation's event stream
        is returned unread). Parsed once; later calls return the same value."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return self._parsed  # type: ignore[no-any-return]

    def read(self) -> bytes:
        return bytes(self.http_response.read())

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)  # type: ignore[no-any-return]

    def iter_text(self, chunk_size: Optional[int] = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)  # type: ignore[no-any-return]

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()  # type: ignore[no-any-return]

    def close(self) -> None:
        parsed = self._parsed
        if parsed is not _UNPARSED and hasattr(parsed, "close"):
            parsed.close()
        self.http_response.close()

    def __enter__(self) -> StreamedResponse[T]:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncStreamedResponse(_ResponseInfo, Generic[T]):
    """Async twin of :class:`StreamedResponse`; use it in an ``async with`` block."""

    def __init__(self, http_response: Any, parse: Callable[[], Any]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: Any = _UNPARSED

    async def parse(self) -> T:
        if self._parsed is _UNPARSED:
            self._parsed = await self._parse()
        return self._parsed  # type: ignore[no-any-return]

    async def read(self) -> bytes:
        return bytes(await self.http_response.aread())

    def iter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)  # type: ignore[no-any-return]

    def iter_text(self, chunk_size: Optional[int] = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)  # type: ignore[no-any-return]

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()  # type: ignore[no-any-return]

    async def aclose(self) -> None:
        parsed = self._parsed
        if parsed is not _UNPARSED and hasattr(parsed, "aclose"):
            await parsed.aclose()
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncStreamedResponse[T]:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


_UNPARSED = object()


class _AsyncStreamCall:
    """``async with client.with_streaming_response.x.y(...) as resp`` (or ``await``)."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._call = call
        self._resp: Any = None

    def __await__(self) -> Any:
        return self._call().__await__()

    async def __aenter__(self) -> Any:
        self._resp = await self._call()
        return self._resp

    async def __aexit__(self, *exc: Any) -> None:
        if self._resp is not None:
            await self._resp.aclose()


class RawClient:
    """A view of a client (or of one of its resources) whose methods return raw responses.

    Attributes that are resources are wrapped in turn; methods are called with the
    capture mode set for that call only.
    """

    __slots__ = ("_target", "_streaming")

    def __init__(self, target: Any, streaming: bool) -> None:
        self._target = target
        self._streaming = streaming

    def __getattr__(self, name: str) -> Any:
        import inspect

        value = getattr(self._target, name)
        if hasattr(value, "_core") and not callable(value):
            return RawClient(value, self._streaming)
        if not inspect.ismethod(value):
            return value
        if inspect.iscoroutinefunction(value):
            return self._async_method(value)
        return self._sync_method(value)

    def _sync_method(self, method: Callable[..., Any]) -> Callable[..., Any]:
        streaming = self._streaming

        def call(*args: Any, **kwargs: Any) -> Any:
            capture = Capture(streaming)
            token = CAPTURE.set(capture)
            try:
                result = method(*args, **kwargs)
            finally:
                CAPTURE.reset(token)
            if streaming:
                return result  # the core returned a StreamedResponse
            return RawResponse(capture.response, result)

        call.__doc__ = method.__doc__
        return call

    def _async_method(self, method: Callable[..., Any]) -> Callable[..., Any]:
        streaming = self._streaming

        async def run(*args: Any, **kwargs: Any) -> Any:
            capture = Capture(streaming)
            token = CAPTURE.set(capture)
            try:
                result = await method(*args, **kwargs)
            finally:
                CAPTURE.reset(token)
            if streaming:
                return result
            return RawResponse(capture.response, result)

        if streaming:

            def stream_call(*args: Any, **kwargs: Any) -> Any:
                return _AsyncStreamCall(lambda: run(*args, **kwargs))

            stream_call.__doc__ = method.__doc__
            return stream_call
        run.__doc__ = method.__doc__
        return run

    def __repr__(self) -> str:
        kind = "with_streaming_response" if self._streaming else "with_raw_response"
        return f"<{kind} view of {self._target!r}>"
