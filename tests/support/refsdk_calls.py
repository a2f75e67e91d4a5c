"""Run SDK calls described as JSON; stdlib only, so it runs under any interpreter.

Used two ways by tests/test_wire_compat.py:

* as a script under the reference venv's python (``.tools/refsdk/bin/python
  tests/support/refsdk_calls.py < calls.json``), where ``friendli``, ``friendli_core`` and
  ``atoma_sdk`` are the PyPI packages; it prints one JSON result per call on stdout;
* imported in-process (``run_calls(calls)``) with our generated SDKs on ``sys.path``.

A call is ``{"id", "client": "pkg:Class", "client_kwargs": {...}, "method": "a.b.c",
"kwargs": {...}, "mode": "sync" | "async", "stream": bool, "http_headers": {...}}``. A kwarg
that is absent stays unset; JSON ``null`` is passed as ``None``. A stream is consumed to the
end. The result is ``{"id", "ok", "error", "events", "result"}`` (``result`` is the type name
of what the call returned).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import sys
from typing import Any


def _client_class(spec: str) -> Any:
    mod, _, name = spec.partition(":")
    return getattr(importlib.import_module(mod), name)


def _resolve(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _call_kwargs(call: dict[str, Any]) -> dict[str, Any]:
    kwargs = dict(call.get("kwargs") or {})
    if call.get("http_headers"):
        kwargs["http_headers"] = dict(call["http_headers"])
    return kwargs


def _key(call: dict[str, Any]) -> str:
    return json.dumps([call["client"], call.get("client_kwargs", {})], sort_keys=True)


def _error(call: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    return {"id": call["id"], "ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000],
            "events": None, "result": None}


def _run_sync(calls: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # One client per (class, constructor kwargs): building an httpx client costs ~0.1 s here.
    results: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        clients: dict[str, Any] = {}
        for call in calls:
            try:
                key = _key(call)
                if key not in clients:
                    cls = _client_class(call["client"])
                    clients[key] = stack.enter_context(cls(**call.get("client_kwargs", {})))
                res = _resolve(clients[key], call["method"])(**_call_kwargs(call))
                out: dict[str, Any] = {"id": call["id"], "ok": True, "error": None,
                                       "result": type(res).__name__, "events": None}
                if call.get("stream"):
                    n = 0
                    with res as events:
                        for _ in events:
                            n += 1
                    out["events"] = n
                results[call["id"]] = out
            except Exception as exc:  # noqa: BLE001  (reported, compared by the test)
                results[call["id"]] = _error(call, exc)
    return results


async def _run_async(calls: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, Any] = {}
        for call in calls:
            try:
                key = _key(call)
                if key not in clients:
                    cls = _client_class(call["client"])
                    clients[key] = await stack.enter_async_context(
                        cls(**call.get("client_kwargs", {})))
                res = await _resolve(clients[key], call["method"])(**_call_kwargs(call))
                out: dict[str, Any] = {"id": call["id"], "ok": True, "error": None,
                                       "result": type(res).__name__, "events": None}
                if call.get("stream"):
                    n = 0
                    async with res as events:
                        async for _ in events:
                            n += 1
                    out["events"] = n
                results[call["id"]] = out
            except Exception as exc:  # noqa: BLE001
                results[call["id"]] = _error(call, exc)
    return results


def run_calls(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Results in the order of ``calls``."""
    results = _run_sync([c for c in calls if c.get("mode", "sync") == "sync"])
    async_calls = [c for c in calls if c.get("mode") == "async"]
    if async_calls:
        results.update(asyncio.run(_run_async(async_calls)))
    return [results[c["id"]] for c in calls]


def main() -> int:
    calls = json.load(sys.stdin)
    json.dump(run_calls(calls), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
