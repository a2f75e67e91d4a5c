"""What an operation sends and answers: its request body (content type, schema, example) and
its responses (the success type or stream, the typed error bodies). Which content type and
which response are used is decided by the media-type rules of `media.py`."""

from __future__ import annotations

from pathlib import Path

from ..context import BuildContext
from ..load import pointer_join
from ..media import (
    error_content_type,
    examples_are_json,
    is_error_status,
    is_json,
    is_success_status,
    request_content_type,
    response_at,
    response_content_type,
    status_codes,
    success_body,
    success_code,
)
from ..model import ErrorResponse, ObjectType, Ref, RequestBody, Scalar, StreamInfo, TypeRef
from ..streaming import stream_info
from .examples import Examples
from .names import shared_name
from .report import Problems
from .shapes import as_mapping


class Bodies:
    def __init__(self, ctx: BuildContext, problems: Problems, examples: Examples):
        self.ctx = ctx
        self.problems = problems
        self.examples = examples
        self.error_keys: set[str] = set()  # keys of the object types that are error bodies

    def request_body(self, op: dict, file: Path, pointer: str,
                     pascal_id: str) -> RequestBody | None:
        rb = op.get("requestBody")
        if rb is None:
            return None
        found = self.problems.follow(rb, file, pointer_join(pointer, "requestBody"))
        if found is None:
            return None
        rb, file, rptr = found
        content = rb.get("content") if isinstance(rb, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        ct = request_content_type(content)
        media = content[ct] if isinstance(content[ct], dict) else {}
        t = self.ctx.schema_type(media.get("schema"), file,
                                 pointer_join(rptr, "content", ct, "schema"),
                                 ((shared_name(rptr, "requestBodies") or pascal_id)
                                  + "RequestBody",))
        mptr = pointer_join(rptr, "content", ct)
        checked = examples_are_json(ct)  # validate checks these examples
        values = [(media["example"], pointer_join(mptr, "example"), checked)] if (
            "example" in media) else []
        for name, named in as_mapping(media.get("examples")).items():
            try:
                named, _, eptr = self.ctx.spec.deref(named, file,
                                                     pointer_join(mptr, "examples", name))
            except KeyError:
                continue
            if isinstance(named, dict) and "value" in named:
                values.append((named["value"], pointer_join(eptr, "value"), checked))
        has_ex, ex = self.examples.first_fitting(values, file, media.get("schema"),
                                                 pointer_join(mptr, "schema"))
        if not has_ex and isinstance(media.get("schema"), dict):
            # no example of the body's own: its schema's (as the reference shows it)
            target = self.problems.follow(media["schema"], file, pointer_join(mptr, "schema"))
            if target is not None and isinstance(target[0], dict):
                has_ex, ex = self.examples.example(target[0], target[1], target[2])
        flattened = isinstance(t, Ref) and isinstance(self.ctx.types.get(t.key), ObjectType)
        return RequestBody(t, ct, bool(rb.get("required")), str(rb.get("description", "") or ""),
                           has_ex, ex, flattened)

    def responses(self, op: dict, file: Path, pointer: str, pascal_id: str
                  ) -> tuple[TypeRef | None, str, StreamInfo | None, tuple[ErrorResponse, ...]]:
        """(success type, its content type, the success stream, the error responses)."""
        responses = op.get("responses") or {}
        success: TypeRef | None = None
        success_ct = ""
        stream: StreamInfo | None = None
        errors: list[ErrorResponse] = []
        chosen = success_code(responses)  # one success response (other 2xx: references
        # still followed, so a broken one is reported)
        for code in status_codes(responses):
            found = self.problems.follow(response_at(responses, code), file,
                                         pointer_join(pointer, "responses", code))
            if found is None:
                continue
            resp, rfile, rptr = found
            content = resp.get("content") if isinstance(resp, dict) else None
            content = content if isinstance(content, dict) else {}
            if is_success_status(code):
                if code != chosen:
                    continue
                suffix = "ResponseBody"
                ct = response_content_type(content)
                if not ct:
                    continue
                media = content[ct] if isinstance(content[ct], dict) else {}
                mptr = pointer_join(rptr, "content", ct, "schema")
                t = self.ctx.schema_type(media.get("schema"), rfile, mptr,
                                         ((shared_name(rptr, "responses") or pascal_id)
                                          + suffix,))
                success_ct = ct
                reading = success_body(ct)
                if reading == "sse":
                    stream = stream_info(self.ctx.types, t, media, "sse")
                elif reading == "jsonl":
                    stream = StreamInfo(t, "jsonl", None, False, True)
                elif reading == "json":
                    success = t
                else:
                    success = Scalar("str" if reading == "text" else "bytes")
            elif is_error_status(code):
                ct = error_content_type(content)
                et = None
                if ct and is_json(ct):
                    media = content[ct] if isinstance(content[ct], dict) else {}
                    if media.get("schema") is not None:
                        et = self.ctx.schema_type(media.get("schema"), rfile,
                                                  pointer_join(rptr, "content", ct, "schema"),
                                                  (pascal_id + code.upper() + "Error",))
                        if isinstance(et, Ref) and isinstance(self.ctx.types.get(et.key), ObjectType):
                            self.error_keys.add(et.key)
                        else:
                            et = None  # non-object error bodies stay on the default error
                errors.append(ErrorResponse(code.upper(), ct, et))
        return success, success_ct, stream, tuple(errors)
