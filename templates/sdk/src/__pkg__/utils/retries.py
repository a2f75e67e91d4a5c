"""Retry policy: exponential backoff with jitter, ``Retry-After`` aware.

Times in ``BackoffStrategy`` are milliseconds. ``RetryConfig.status_codes``
accepts exact codes (``"429"``) and ranges (``"5XX"``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

__all__ = [
    "BackoffStrategy",
    "RetryConfig",
    "RetryPolicy",
    "retry_after_seconds",
    "retry_sync",
    "retry_async",
    "transient",
]


@dataclass
class BackoffStrategy:
    initial_interval: int = 500
    max_interval: int = 60000
    exponent: float = 1.5
    max_elapsed_time: int = 3600000


@dataclass
class RetryConfig:
    strategy: str
    backoff: Optional[BackoffStrategy] = None
    retry_connection_errors: bool = False
    status_codes: tuple[str, ...] = ("429", "500", "502", "503", "504")
    jitter: float = 0.5


def retry_after_seconds(headers: Any) -> Optional[float]:
    """Delay requested by the server (``retry-after-ms`` or ``Retry-After``), in seconds."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    ra = headers.get("retry-after")
    if ra:
        ra = ra.strip()
        try:
            return max(0.0, float(ra))
        except ValueError:
            pass
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(ra)  # (3.9 raises TypeError, later ValueError)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return None


def transient(exc: BaseException) -> bool:
    """A transport error worth retrying: a timeout (connect, read, write, pool), a
    connection refused, reset or closed early. Misconfiguration (an unsupported scheme, an
    invalid header or URL, a proxy error) is not: retrying cannot fix it."""
    import httpx

    return isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


class RetryPolicy:
    """A ``RetryConfig`` compiled for fast checks (built once per config)."""

    __slots__ = ("enabled", "backoff", "connection_errors", "exact", "ranges", "jitter")

    def __init__(self, config: Optional[RetryConfig]) -> None:
        self.enabled = bool(config is not None and config.strategy == "backoff")
        self.backoff = (config.backoff if config is not None else None) or BackoffStrategy()
        self.connection_errors = bool(config is not None and config.retry_connection_errors)
        exact: set[int] = set()
        ranges: set[int] = set()
        for code in (config.status_codes if config is not None else ()) or ():
            c = str(code).strip().upper()
            if len(c) == 3 and c.endswith("XX") and c[0].isdigit():
                ranges.add(int(c[0]))
            elif c.isdigit():
                exact.add(int(c))
        self.exact = frozenset(exact)
        self.ranges = frozenset(ranges)
        self.jitter = float(config.jitter) if config is not None else 0.0

    def retry_status(self, status: int) -> bool:
        return status in self.exact or (status // 100) in self.ranges

    def delay(self, attempt: int, headers: Any = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (attempt is 0-based)."""
        server = retry_after_seconds(headers)
        if server is not None:
            return server
        b = self.backoff
        base = min(b.initial_interval * (b.exponent**attempt), b.max_interval) / 1000.0
        if self.jitter:
            base *= 1.0 - self.jitter * random.random()
        return max(0.0, base)

    def budget_end(self, start: float) -> float:
        return start + self.backoff.max_elapsed_time / 1000.0


def retry_sync(
    policy: RetryPolicy,
    attempt_fn: Callable[[], Any],
    *,
    status_of: Callable[[Any], int] = lambda r: r.status_code,
    discard: Callable[[Any], None] = lambda r: r.close(),
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Run ``attempt_fn`` until it returns a non-retryable response or the budget is spent.

    ``attempt_fn`` returns a response or raises; a transient ``httpx.TransportError``
    (see :func:`transient`) counts as a connection error, any other is raised at once.
    When the budget is spent the last response is returned / the last exception
    re-raised, without sleeping past the budget.
    """
    if not policy.enabled:
        return attempt_fn()
    import httpx

    end = policy.budget_end(time.monotonic())
    attempt = 0
    while True:
        try:
            resp = attempt_fn()
        except httpx.TransportError as exc:
            if not policy.connection_errors or not transient(exc):
                raise
            delay = policy.delay(attempt)
            if time.monotonic() + delay > end:
                raise
        else:
            if not policy.retry_status(status_of(resp)):
                return resp
            delay = policy.delay(attempt, resp.headers)
            if time.monotonic() + delay > end:
                return resp
            discard(resp)
        sleep(delay)
        attempt += 1


async def retry_async(
    policy: RetryPolicy,
    attempt_fn: Callable[[], Any],
    *,
    status_of: Callable[[Any], int] = lambda r: r.status_code,
    discard: Optional[Callable[[Any], Any]] = None,
) -> Any:
    """Async twin of :func:`retry_sync`; ``attempt_fn`` is a coroutine function."""
    import asyncio

    if not policy.enabled:
        return await attempt_fn()
    import httpx

    end = policy.budget_end(time.monotonic())
    attempt = 0
    while True:
        try:
            resp = await attempt_fn()
        except httpx.TransportError as exc:
            if not policy.connection_errors or not transient(exc):
                raise
            delay = policy.delay(attempt)
            if time.monotonic() + delay > end:
                raise
        else:
            if not policy.retry_status(status_of(resp)):
                return resp
            delay = policy.delay(attempt, resp.headers)
            if time.monotonic() + delay > end:
                return resp
            if discard is not None:
                await discard(resp)
            else:
                await resp.aclose()
        await asyncio.sleep(delay)
        attempt += 1
