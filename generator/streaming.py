"""Operations that answer either with one JSON document or with a stream of events.

Real specs describe this in two ways, and the SDK exposes both as two methods (the
plain one returning the model, `<name>_stream` returning a typed event stream):

* a 2xx response offering `application/json` and `text/event-stream` (or JSON lines:
  `application/x-ndjson`, ...) side by side, usually switched by a boolean `stream` field
  in the request body (OpenAI, Together, TGI, llama-stack, OpenRouter, Ollama);
* Fern's `x-fern-streaming` (Cohere): `stream-condition: $request.<field>`, `response`
  (the non-streamed schema), `response-stream` (one event), `format` (`sse`, or JSON
  lines by default) and `terminator` (the sentinel that ends the stream).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from .context import BuildContext
from .diagnostics import Code
from .load import pointer_join
from .media import DEFAULT_JSONL, SSE, essence, is_stream, response_at, success_code
from .model import NamedType, ObjectType, Ref, RequestBody, Scalar, StreamInfo, TypeRef
from .naming import pascal

DONE = "[DONE]"


def stream_info(types: Mapping[str, NamedType], t: TypeRef, media: dict,
                fmt: str) -> StreamInfo:
    """The stream of events of type `t` (`fmt`: "sse" or "jsonl"); an event model with a
    `data` field is an SSE envelope whose `data` is decoded (as JSON unless typed str)."""
    sentinel = media.get("x-speakeasy-sse-sentinel")
    named = types.get(t.key) if isinstance(t, Ref) else None
    if isinstance(named, ObjectType) and any(f.wire_name == "data" for f in named.fields):
        data = next(f for f in named.fields if f.wire_name == "data")
        data_is_json = not (isinstance(data.type, Scalar) and data.type.name == "str")
        return StreamInfo(t, fmt, str(sentinel) if sentinel else None, True, data_is_json)
    return StreamInfo(t, fmt, str(sentinel) if sentinel else None, False, True)


def stream_flag(b: BuildContext, body: RequestBody | None, wanted: str = "stream") -> str:
    """The boolean body field that selects streaming, or "" when the body has none."""
    if body is None or not body.flattened or not isinstance(body.type, Ref):
        return ""
    obj = b.types.get(body.type.key)
    if not isinstance(obj, ObjectType):
        return ""
    for f in obj.fields:
        if f.wire_name == wanted and isinstance(f.type, Scalar) and f.type.name == "bool":
            return f.wire_name
    return ""


def _mentions_done(b: BuildContext, body: RequestBody | None, flag: str, *texts: Any) -> bool:
    """OpenAI-style streams end with `data: [DONE]`; specs say so in prose only."""
    if any(isinstance(t, str) and DONE in t for t in texts):
        return True
    obj = b.types.get(body.type.key) if body is not None and isinstance(body.type, Ref) else None
    if isinstance(obj, ObjectType):
        return any(f.wire_name == flag and DONE in f.description for f in obj.fields)
    return False


def success_content(b: BuildContext, op: dict, file: Path,
                    pointer: str) -> tuple[dict, Path, str, dict]:
    """(content map, file, pointer, response node) of the first 2xx response."""
    responses = op.get("responses") or {}
    code = success_code(responses)
    if code is None:
        return {}, file, pointer, {}
    try:
        resp, rfile, rptr = b.spec.deref(response_at(responses, code), file,
                                         pointer_join(pointer, "responses", code))
    except KeyError:
        return {}, file, pointer, {}
    content = resp.get("content") if isinstance(resp, dict) else None
    return (content if isinstance(content, dict) else {}), rfile, rptr, resp


def alternate_stream(b: BuildContext, op: dict, file: Path, pointer: str, pascal_id: str,
                     body: RequestBody | None, success: TypeRef | None,
                     success_ct: str) -> tuple[TypeRef | None, StreamInfo | None, str]:
    """(plain success type, the stream the same operation also offers, flag field)."""
    fern = op.get("x-fern-streaming")
    if isinstance(fern, dict):
        return _fern(b, fern, file, pointer_join(pointer, "x-fern-streaming"), pascal_id, body,
                     success)
    if success is None or not success_ct:
        return success, None, ""
    content, rfile, rptr, resp = success_content(b, op, file, pointer)
    for ct, media in content.items():
        if not is_stream(ct):
            continue
        base = essence(ct)
        media = media if isinstance(media, dict) else {}
        t = b.schema_type(media.get("schema"), rfile, pointer_join(rptr, "content", ct, "schema"),
                          (pascal_id + "StreamEvent",))
        # x-speakeasy-stream-request-field names the switch when it is not `stream`
        flag = stream_flag(b, body, str(op.get("x-speakeasy-stream-request-field") or "stream"))
        if base == SSE:
            info = stream_info(b.types, t, media, "sse")
            if info.sentinel is None and _mentions_done(b, body, flag, resp.get("description"),
                                                        media.get("description")):
                info = replace(info, sentinel=DONE)
        else:
            info = StreamInfo(t, "jsonl", None, False, True)
        return success, replace(info, content_type=ct), flag
    return success, None, ""


def _fern(b: BuildContext, fern: dict, file: Path, pointer: str, pascal_id: str,
          body: RequestBody | None, success: TypeRef | None
          ) -> tuple[TypeRef | None, StreamInfo | None, str]:
    cond = str(fern.get("stream-condition", "") or "")
    wanted = cond.split(".", 1)[1] if cond.startswith("$request.") else "stream"
    flag = stream_flag(b, body, wanted)
    if cond and not flag:
        b.warn(file, pointer_join(pointer, "stream-condition"),
               f"{cond!r} names no boolean field of the request body; the stream method "
               "does not set it", Code.STREAM_CONDITION)
    plain = success
    if "response" in fern:
        plain = _fern_schema(b, fern["response"], file, pointer_join(pointer, "response"),
                             pascal_id + "Response")
    stream_node = fern.get("response-stream")
    if stream_node is None:
        b.warn(file, pointer, "x-fern-streaming without response-stream; no stream method",
               Code.FERN_STREAMING)
        return plain, None, ""
    event = _fern_schema(b, stream_node, file, pointer_join(pointer, "response-stream"),
                         pascal_id + "StreamEvent")
    fmt = "sse" if str(fern.get("format", "json")).lower() == "sse" else "jsonl"
    terminator = fern.get("terminator")
    content_type = SSE if fmt == "sse" else DEFAULT_JSONL
    info = StreamInfo(event, fmt, str(terminator) if terminator else None, False, True,
                      content_type)
    return plain, info, flag


def _fern_schema(b: BuildContext, node: Any, file: Path, pointer: str, fallback: str) -> TypeRef:
    """`x-fern-type-name` names the schema; when a component has that name, it is that one
    (Cohere repeats the component inline), so the SDK has one class, not two."""
    name = node.get("x-fern-type-name") if isinstance(node, dict) else None
    if name:
        schemas = (b.spec.root.get("components") or {}).get("schemas") or {}
        if name in schemas:
            ref = pointer_join("#/components/schemas", name)
            return b.schema_type({"$ref": ref}, b.spec.root_path, pointer, (pascal(name),))
    return b.schema_type(node, file, pointer, (pascal(str(name)),) if name else (fallback,))
