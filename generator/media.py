"""Media-type rules, in one place: which content types are JSON documents, JSON lines or
server-sent events, which one of a content map an operation uses, how the SDK reads a
success body, which status codes are successes and errors, and which 2xx response is an
operation's success.

Two notions of "JSON" exist on purpose:

* `is_json`: a body the SDK sends or parses as one JSON document (`application/json`,
  `application/*+json`, but not a JSON-lines type such as `application/stream+json`);
* `examples_are_json`: a media type whose examples the validate stage checks against the
  schema; it also takes `*/*` and any `<type>/<subtype>+json` (an example there is given
  as JSON too, even if the SDK does not parse such a body).
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"
SSE = "text/event-stream"
# JSON lines: one JSON document per line (or per record, for json-seq)
JSONL = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
         "application/json-seq", "application/stream+json")
# the JSON-lines type a stream is requested with when the spec names none (x-fern-streaming)
DEFAULT_JSONL = "application/stream+json"
# request bodies that are not JSON, in order of preference
_OTHER_REQUEST_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded",
                        "application/octet-stream", "text/plain")


def essence(content_type: str) -> str:
    """The media type without parameters, lowercased: `Application/JSON; charset=utf-8` ->
    `application/json`."""
    return content_type.split(";")[0].strip().lower()


def is_jsonl(content_type: str) -> bool:
    return essence(content_type) in JSONL


def is_stream(content_type: str) -> bool:
    """Server-sent events or JSON lines: a response read event by event."""
    base = essence(content_type)
    return base == SSE or base in JSONL


def is_json(content_type: str) -> bool:
    """One JSON document: `application/json` or `application/<x>+json`, JSON lines excepted."""
    base = essence(content_type)
    return base == JSON or (base.startswith("application/") and base.endswith("+json")
                            and base not in JSONL)


def examples_are_json(content_type: str) -> bool:
    """Does the validate stage check this media type's examples against its schema."""
    base = essence(content_type)
    return base == JSON or base.endswith("+json") or base == "*/*"


def request_content_type(content: dict) -> str:
    """The content type of a request body the SDK sends: the first JSON one, else the
    first of form data, URL-encoded form, octet stream, plain text, else the first listed."""
    keys = list(content)
    for k in keys:
        if is_json(k):
            return k
    for pref in _OTHER_REQUEST_TYPES:
        for k in keys:
            if essence(k) == pref:
                return k
    return keys[0]


def error_content_type(content: dict) -> str:
    """The content type of an error response the SDK reads ("" when there is none): chosen
    as a request body's is."""
    return request_content_type(content) if content else ""


def response_content_type(content: dict) -> str:
    """The content type of a success response the SDK reads: the first JSON one, else the
    first stream (events or JSON lines), else the first listed ("" when there is none)."""
    if not content:
        return ""
    keys = list(content)
    for k in keys:
        if is_json(k):
            return k
    for k in keys:
        if is_stream(k):
            return k
    return keys[0]


def success_body(content_type: str) -> str:
    """How the SDK reads a success response of this content type: "sse" (server-sent
    events), "jsonl" (JSON lines), "json" (one document, parsed into its type), "text"
    (`text/plain`, a str) or "bytes" (anything else, returned as is)."""
    base = essence(content_type)
    if base == SSE:
        return "sse"
    if is_jsonl(base):
        return "jsonl"
    if is_json(base):
        return "json"
    return "text" if base == "text/plain" else "bytes"


def is_success_status(code: str) -> bool:
    """`200`, `201`..., `2XX`."""
    return code.startswith("2")


def is_error_status(code: str) -> bool:
    """`4xx`, `5xx` (or `4XX`, `5XX`) and `default`."""
    return code.startswith(("4", "5")) or code == "default"


def status_codes(responses: dict) -> list[str]:
    """The response codes as strings, successes first, each group in string order."""
    return sorted((str(c) for c in responses), key=lambda c: (not is_success_status(c), c))


def success_code(responses: dict) -> str | None:
    """The response code that is the operation's success: the first 2xx code (`200`,
    `201`..., `2XX`) in string order, or None."""
    return next((c for c in sorted(str(c) for c in responses) if is_success_status(c)), None)


def response_at(responses: dict, code: str) -> Any:
    """The response under `code`, whether the document's key is the string or (YAML) the
    integer."""
    if code in responses:
        return responses[code]
    return responses.get(int(code)) if code.isdigit() else None
