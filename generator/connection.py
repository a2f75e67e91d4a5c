"""Where requests go and how they are retried: the servers of an operation (its own, else
its path item's), `x-speakeasy-server-id` names of the document's servers, and
`x-speakeasy-retries` (document-wide or per operation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .context import BuildContext
from .diagnostics import Code
from .load import pointer_join
from .model import Retries


def operation_servers(ctx: BuildContext, op: dict, item: dict, file: Path,
                      pointer: str) -> tuple[str, ...]:
    """The URLs of the operation's own `servers`, else of its path item's."""
    for node, ptr in ((op, pointer), (item, pointer.rsplit("/", 1)[0])):
        servers = node.get("servers")
        if servers is None:
            continue
        urls = tuple(str(s["url"]) for s in servers if isinstance(s, dict) and isinstance(
            s.get("url"), str) and s["url"]) if isinstance(servers, list) else ()
        if urls:
            return urls
        if servers:
            ctx.warn(file, pointer_join(ptr, "servers"), "`servers` names no server "
                     "URL; the client's server is used", Code.SERVERS)
    return ()


def server_ids(ctx: BuildContext) -> tuple[str, ...]:
    """x-speakeasy-server-id of each server ("" when unnamed), parallel to Api.servers."""
    out: list[str] = []
    for i, s in enumerate(ctx.spec.root.get("servers") or []):
        if not isinstance(s, dict) or not s.get("url"):
            continue
        sid = s.get("x-speakeasy-server-id")
        ptr = pointer_join("#/servers", i, "x-speakeasy-server-id")
        if sid is not None and (not isinstance(sid, str) or not sid.strip()):
            ctx.warn(ctx.spec.root_path, ptr, "x-speakeasy-server-id must be a non-empty "
                     "string; the server has no name", Code.SPEAKEASY_EXTENSION)
            sid = None
        elif sid in out:
            ctx.warn(ctx.spec.root_path, ptr, f"x-speakeasy-server-id {sid!r} names an "
                     "earlier server too; `server=` selects the first",
                     Code.SPEAKEASY_EXTENSION)
            sid = None
        out.append(str(sid or ""))
    return tuple(out)


def retries(ctx: BuildContext, node: Any, pointer: str) -> Retries | None:
    """x-speakeasy-retries (of the document or of an operation, at `pointer`), defaults
    filled in; None when absent or not a mapping. A backoff value of the wrong shape is
    reported and its default used (the extension is not worth failing a run for)."""
    if not isinstance(node, dict):
        return None
    b: dict = node["backoff"] if isinstance(node.get("backoff"), dict) else {}
    codes_node = node.get("statusCodes")
    codes = tuple(str(c) for c in codes_node if c is not None) if isinstance(
        codes_node, list) else ()

    def number(key: str, default: float, kind: type) -> Any:
        value = b.get(key, default)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return kind(value)
        ctx.warn(ctx.spec.root_path, pointer_join(pointer, "backoff", key),
                 f"x-speakeasy-retries: backoff.{key} must be a non-negative number; "
                 f"{default} is used", Code.SPEAKEASY_EXTENSION)
        return kind(default)

    return Retries(
        strategy=str(node.get("strategy", "backoff")),
        initial_interval=number("initialInterval", 500, int),
        max_interval=number("maxInterval", 60000, int),
        exponent=number("exponent", 1.5, float),
        max_elapsed_time=number("maxElapsedTime", 3600000, int),
        status_codes=codes, retry_connection_errors=bool(node.get("retryConnectionErrors")),
    )
