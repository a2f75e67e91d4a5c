"""A real HTTP/1.1 server on 127.0.0.1 for live tests (stdlib only).

    def handler(req: RecordedRequest) -> Reply: ...

    with LoopbackServer(handler) as srv:          # or a Reply, or Script([...])
        httpx.get(srv.url + "/x")
        srv.requests[0].headers["user-agent"]

A ``Reply`` is a status, headers and a body: ``bytes`` (sent with
Content-Length) or an iterable of chunks (sent with chunked encoding, each
flushed separately, ``delay`` seconds apart). Special actions: ``sleep``
before answering (e.g. longer than the client timeout), ``reset_after=N``
(send the headers and N body bytes, then reset the connection), ``stall_after=N``
(send N body bytes, then go silent until the server stops), ``cut_after=N`` (send N
body bytes, possibly inside a chunk, then close the connection cleanly with a FIN). All waits
end when the server stops, handler threads are daemons and every socket has a
timeout, so a test can never hang on the server.
"""

from __future__ import annotations

import json as _json
import socket
import struct
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["LoopbackServer", "RecordedRequest", "Reply", "Script", "json_reply", "sse"]


@dataclass
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str | Iterable[bytes] = b""
    delay: float = 0.0  # seconds between chunks of an iterable body
    sleep: float = 0.0  # seconds to wait before sending anything
    reset_after: int | None = None  # reset the connection after N body bytes
    stall_after: int | None = None  # send N body bytes, then stall until the server stops
    cut_after: int | None = None  # send N body bytes, then close cleanly (FIN, no RST)


@dataclass
class RecordedRequest:
    method: str
    path: str  # path without the query string, still percent-encoded
    raw_path: str  # path + query as sent
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return _json.loads(self.body)


def json_reply(obj: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return Reply(status, h, _json.dumps(obj).encode())


def sse(events: Sequence[str | bytes], *, delay: float = 0.0, status: int = 200) -> Reply:
    """A text/event-stream reply; each item is sent as its own chunk."""
    chunks = [e.encode() if isinstance(e, str) else e for e in events]
    return Reply(
        status,
        {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
        chunks,
        delay=delay,
    )


class Script:
    """Replies in order (``Script([Reply(500), Reply(200)])``); the last one repeats."""

    def __init__(self, replies: Sequence[Reply | Callable[[RecordedRequest], Reply]]) -> None:
        if not replies:
            raise ValueError("empty script")
        self._replies = list(replies)
        self._i = 0
        self._lock = threading.Lock()

    def __call__(self, req: RecordedRequest) -> Reply:
        with self._lock:
            r = self._replies[min(self._i, len(self._replies) - 1)]
            self._i += 1
        return r(req) if callable(r) else r

    @property
    def calls(self) -> int:
        return self._i


Handler = Reply | Script | Callable[[RecordedRequest], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256  # bursts of concurrent connections (default 5)

    owner: LoopbackServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # socket timeout for every connection
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        try:  # no Nagle: headers and body are separate writes
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):
            pass

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    def _serve(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        req = RecordedRequest(
            method=self.command,
            path=parts.path,
            raw_path=self.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        with owner._lock:
            owner.requests.append(req)
        h = owner.handler
        reply = h if isinstance(h, Reply) else h(req)
        if reply.sleep and owner._stop.wait(reply.sleep):
            return
        self._send(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _reset(self) -> None:
        try:
            self.wfile.flush()
        except (OSError, ValueError):
            pass
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    def _end_early(self, reply: Reply) -> None:
        """After the cut-off point of a fault reply: reset, stall or close cleanly."""
        if reply.stall_after is not None:
            self.wfile.flush()
            self.server.owner._stop.wait(60)
            self._reset()
            return
        if reply.cut_after is not None:
            self.wfile.flush()
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True
            return
        self._reset()

    def _send(self, reply: Reply) -> None:
        stop = self.server.owner._stop
        limit = next(
            (n for n in (reply.reset_after, reply.stall_after, reply.cut_after) if n is not None),
            None,
        )
        body = reply.body
        if isinstance(body, str):
            body = body.encode()
        self.send_response(reply.status)
        names = {k.lower() for k in reply.headers}
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if isinstance(body, (bytes, bytearray)):
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if limit is not None:
                self.wfile.write(body[:limit])
                self._end_early(reply)
                return
            self.wfile.write(body)
            self.wfile.flush()
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        sent = 0
        first = True
        for chunk in body:
            if not first and reply.delay and stop.wait(reply.delay):
                self._reset()
                return
            first = False
            if not chunk:
                continue
            if limit is not None and sent + len(chunk) >= limit:
                part = chunk[: limit - sent]
                # the chunk header announces the whole chunk: the body is cut mid-chunk
                self.wfile.write(b"%x\r\n%s" % (len(chunk), part))
                self._end_early(reply)
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            sent += len(chunk)
        if limit is not None:
            self._end_early(reply)
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class LoopbackServer:
    """Context manager running a threaded HTTP/1.1 server on 127.0.0.1:<free port>."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler if handler is not None else Reply()
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LoopbackServer:
        srv = _Server(("127.0.0.1", 0), _Handler)
        srv.owner = self
        self._server = srv
        self._thread = threading.Thread(
            target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        srv = self._server
        if srv is not None:
            srv.shutdown()
            srv.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def closed_port() -> int:
    """A local port with nothing listening (for connection-refused tests)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
