"""Typed event streams over a streaming ``httpx.Response``.

``SSEDecoder`` is an incremental decoder for the WHATWG ``text/event-stream``
format working on bytes (CR / LF / CRLF line ends, also split across chunks;
leading BOM; comments; ``data``/``event``/``id``/``retry``). ``JSONLDecoder``
splits newline-delimited JSON. ``EventStream`` / ``EventStreamAsync`` turn the
decoded events into typed models, stop at the sentinel, raise on error
payloads and always close the response (end, sentinel, ``break`` out of a
``for`` loop, exception, leaving ``with``, ``close()``, garbage collection).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import Any, Generic, Optional, TypeVar, cast

import httpx

from .._settings import DefaultError
from ..errors import NoResponseError, ResponseValidationError, StreamTruncatedError

__all__ = [
    "ServerSentEvent",
    "SSEDecoder",
    "JSONLDecoder",
    "EventStream",
    "EventStreamAsync",
]

T = TypeVar("T")

_BOM = b"\xef\xbb\xbf"


class ServerSentEvent:
    """One dispatched event; ``data`` is raw bytes (lines joined with ``\\n``)."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self,
        data: bytes,
        event: Optional[str] = None,
        id: Optional[str] = None,
        retry: Optional[int] = None,
    ) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def __repr__(self) -> str:
        return (
            f"ServerSentEvent(data={self.data!r}, event={self.event!r}, id={self.id!r}, "
            f"retry={self.retry!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.data, self.event, self.id, self.retry) == (
            other.data,
            other.event,
            other.id,
            other.retry,
        )


class _LineSplitter:
    """Byte-level line splitting with CR, LF and CRLF (CRLF may straddle chunks)."""

    __slots__ = ("_buf", "_cr", "_head")

    def __init__(self) -> None:
        self._buf = b""
        self._cr = False
        self._head: Optional[bytes] = b""  # None once the BOM check is done

    def lines(self, chunk: bytes) -> list[bytes]:
        head = self._head
        if head is not None:
            chunk = head + chunk
            if len(chunk) < 3 and _BOM.startswith(chunk):
                self._head = chunk
                return []
            if chunk[:3] == _BOM:
                chunk = chunk[3:]
            self._head = None
        if not chunk:
            return []
        if self._cr:
            self._cr = False
            if chunk[0] == 10:
                chunk = chunk[1:]
                if not chunk:
                    return []
        if b"\r" in chunk:
            self._cr = chunk[-1] == 13
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if b"\n" not in chunk:
            self._buf += chunk
            return []
        buf = self._buf
        lines = (buf + chunk if buf else chunk).split(b"\n")
        self._buf = lines.pop()
        return lines

    def rest(self) -> bytes:
        rest = self._buf
        if self._head:
            rest = self._head + rest
        self._buf = b""
        self._head = None
        return rest


class SSEDecoder:
    """Incremental WHATWG event-stream decoder: ``feed(bytes) -> [ServerSentEvent]``."""

    __slots__ = ("_lines", "_data", "_event", "_id", "_retry", "last_event_id")

    def __init__(self) -> None:
        self._lines = _LineSplitter()
        self._data: list[bytes] = []
        self._event: Optional[str] = None
        self._id: Optional[str] = None
        self._retry: Optional[int] = None
        self.last_event_id: Optional[str] = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        lines = self._lines.lines(chunk)
        if not lines:
            return []
        out: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    out.append(
                        ServerSentEvent(
                            data[0] if len(data) == 1 else b"\n".join(data),
                            self._event,
                            self._id,
                            self._retry,
                        )
                    )
                    data = self._data = []
                self._event = None
                self._id = None
                self._retry = None
                continue
            if line[:5] == b"data:":
                value = line[5:]
                if value[:1] == b" ":
                    value = value[1:]
                data.append(value)
                continue
            if line[0] == 58:  # ':' comment
                continue
            i = line.find(b":")
            if i < 0:
                field, value = line, b""
            else:
                field, value = line[:i], line[i + 1 :]
                if value[:1] == b" ":
                    value = value[1:]
            if field == b"data":
                data.append(value)
            elif field == b"event":
                self._event = value.decode("utf-8", "replace")
            elif field == b"id":
                if b"\0" not in value:
                    self._id = self.last_event_id = value.decode("utf-8", "replace")
            elif field == b"retry":
                if value.isdigit():
                    self._retry = int(value)
        return out

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: an event without its terminating blank line is dropped."""
        self._lines.rest()
        self._data = []
        self._event = self._id = self._retry = None
        return []


class JSONLDecoder:
    """Newline-delimited JSON: one event per non-blank line."""

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines = _LineSplitter()

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        return [ServerSentEvent(line) for line in self._lines.lines(chunk) if line.strip()]

    def flush(self) -> list[ServerSentEvent]:
        rest = self._lines.rest()
        return [ServerSentEvent(rest)] if rest.strip() else []


_STOP = object()


def _error_payload(data: bytes) -> Any:
    """Return the parsed object when ``data`` is a JSON error object, else None."""
    head = data[:64].lstrip()
    if head[:1] != b"{" or head[1:].lstrip()[:7] != b'"error"':
        return None
    try:
        obj = json.loads(data)
    except ValueError:
        return None
    payload = cast("dict[str, object]", obj) if isinstance(obj, dict) else None
    if payload is not None and payload.get("error") is not None:
        return payload
    return None


class _Processor:
    """Turns decoded events into typed values (shared by sync and async streams)."""

    __slots__ = (
        "adapter",
        "sentinel",
        "wrap",
        "data_is_json",
        "response",
        "_verr",
        "decoder",
        "secrets",
    )

    def __init__(self, response: Any, spec: Any, secrets: tuple[str, ...] = ()) -> None:
        from pydantic import ValidationError

        self._verr = ValidationError
        self.response = response
        self.secrets = secrets  # credentials sent: redacted from the errors' text
        event = spec.event
        # resolve a LazyAdapter once per stream, not once per event
        self.adapter = event.get() if hasattr(event, "get") else event
        self.sentinel = spec.sentinel.encode() if spec.sentinel is not None else None
        self.wrap = spec.wrap
        self.data_is_json = spec.data_is_json
        self.decoder = JSONLDecoder() if spec.format == "jsonl" else SSEDecoder()

    def convert(self, ev: ServerSentEvent) -> Any:
        data = ev.data
        if self.sentinel is not None and data == self.sentinel:
            return _STOP
        if ev.event == "error":
            self._raise_error(data)
        if self.data_is_json:
            if _error_payload(data) is not None:
                self._raise_error(data)
            if self.wrap:
                payload = self._wrap(data if data.strip() else b"null", ev)
            else:
                payload = data
        else:
            text = json.dumps(data.decode("utf-8", "replace")).encode()
            payload = self._wrap(text, ev) if self.wrap else text
        try:
            return self.adapter.validate_json(payload, context=_response_context())
        except self._verr as exc:
            err = ResponseValidationError(
                "Stream event did not match its model",
                raw_response=self.response,
                body=data.decode("utf-8", "replace"),
                cause=exc,
            )
        # outside the except block: the pydantic error with its inputs is not chained
        err._secrets = self.secrets  # pyright: ignore[reportPrivateUsage]
        err.raise_from_cause()

    @staticmethod
    def _wrap(data: bytes, ev: ServerSentEvent) -> bytes:
        parts = [b'{"data":', data]
        if ev.event is not None:
            parts.append(b',"event":')
            parts.append(json.dumps(ev.event).encode())
        if ev.id is not None:
            parts.append(b',"id":')
            parts.append(json.dumps(ev.id).encode())
        if ev.retry is not None:
            parts.append(b',"retry":%d' % ev.retry)
        parts.append(b"}")
        return b"".join(parts)

    def _raise_error(self, data: bytes) -> None:
        text = data.decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        err = DefaultError(
            "Error event received in stream",
            raw_response=self.response,
            body=text,
            data=parsed,
        )
        err._secrets = self.secrets  # pyright: ignore[reportPrivateUsage]
        raise err


_ctx: Any = None


def _response_context() -> Any:
    global _ctx
    if _ctx is None:
        from ..types.basemodel import RESPONSE_CONTEXT

        _ctx = RESPONSE_CONTEXT
    return _ctx


def _interrupted(proc: _Processor, exc: BaseException) -> NoResponseError:
    request = proc.response.request
    url = request.url.copy_with(query=None)
    return NoResponseError(
        f"stream of {request.method} {url} interrupted", cause=exc, secrets=proc.secrets
    )


def _truncated(proc: _Processor) -> StreamTruncatedError:
    request = proc.response.request
    url = request.url.copy_with(query=None)
    marker = (proc.sentinel or b"").decode("utf-8", "replace")
    return StreamTruncatedError(
        f"stream of {request.method} {url} ended without its end marker {marker!r}:"
        " the events received may be incomplete",
        secrets=proc.secrets,
    )


def _iter_sync(proc: _Processor) -> Generator[Any, None, None]:
    response = proc.response
    decoder = proc.decoder
    convert = proc.convert
    try:
        chunks = response.iter_bytes()
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except httpx.TransportError as exc:
                err = _interrupted(proc, exc)
                raise err from exc
            for ev in decoder.feed(chunk):
                value = convert(ev)
                if value is _STOP:
                    return
                yield value
        for ev in decoder.flush():
            value = convert(ev)
            if value is _STOP:
                return
            yield value
        if proc.sentinel is not None:
            raise _truncated(proc)
    finally:
        response.close()


async def _iter_async(proc: _Processor) -> AsyncGenerator[Any, None]:
    response = proc.response
    decoder = proc.decoder
    convert = proc.convert
    try:
        chunks = response.aiter_bytes()
        while True:
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                break
            except httpx.TransportError as exc:
                err = _interrupted(proc, exc)
                raise err from exc
            for ev in decoder.feed(chunk):
                value = convert(ev)
                if value is _STOP:
                    return
                yield value
        for ev in decoder.flush():
            value = convert(ev)
            if value is _STOP:
                return
            yield value
        if proc.sentinel is not None:
            raise _truncated(proc)
    finally:
        await response.aclose()


class EventStream(Generic[T]):
    """Iterator of typed events. Use as a context manager or call ``close()``.

    A ``for`` loop over the stream releases the connection when it ends, also by
    ``break`` (when the loop's iterator is dropped, at once in CPython); ``next(stream)``
    reads one event at a time without that.
    """

    def __init__(self, response: Any, spec: Any, secrets: tuple[str, ...] = ()) -> None:
        self.response = response
        self._gen = _iter_sync(_Processor(response, spec, secrets))

    def __iter__(self) -> Iterator[T]:
        return self._loop()

    def _loop(self) -> Iterator[T]:
        try:
            yield from self._gen
        finally:  # also on GeneratorExit: the loop was left by break or an exception
            self.close()

    def __next__(self) -> T:
        return cast(T, next(self._gen))

    def __enter__(self) -> EventStream[T]:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._gen.close()
        finally:
            self.response.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class EventStreamAsync(Generic[T]):
    """Async iterator of typed events. Use ``async with`` or call ``aclose()``.

    An ``async for`` loop left by ``break`` releases the connection on the event loop's
    next turns (asyncio finalises the abandoned iterator); ``async with`` does it at once.
    """

    def __init__(self, response: Any, spec: Any, secrets: tuple[str, ...] = ()) -> None:
        self.response = response
        self._gen = _iter_async(_Processor(response, spec, secrets))

    def __aiter__(self) -> AsyncIterator[T]:
        return self._loop()

    async def _loop(self) -> AsyncIterator[T]:
        try:
            async for value in self._gen:
                yield value
        finally:  # also when the loop was left by break: asyncio finalises the iterator
            await self.aclose()

    async def __anext__(self) -> T:
        return cast(T, await self._gen.__anext__())

    async def __aenter__(self) -> EventStreamAsync[T]:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        try:
            await self._gen.aclose()
        finally:
            await self.response.aclose()

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        if response is None or response.is_closed:
            return
        try:
            import asyncio

            loop = asyncio.get_running_loop()
            loop.create_task(response.aclose())
        except Exception:
            pass
