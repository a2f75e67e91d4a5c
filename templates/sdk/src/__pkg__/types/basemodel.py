"""Base model, nullable aliases, wire serialisation and open enums.

Open enums
----------
Generated models mark enum-typed fields with the ``open_enum`` marker as
``Annotated`` metadata::

    finish_reason: Annotated[FinishReason, open_enum]
    finish_reason: Optional[Annotated[FinishReason, open_enum]] = None

(``open_enum(FinishReason)`` is shorthand for ``Annotated[FinishReason, open_enum]``.)
``FinishReason`` may be a ``Literal[...]`` union or a ``class X(str, Enum)``.
When a response is parsed (validation ``context=RESPONSE_CONTEXT``) a value
outside the enum is kept as the raw ``str``/``int``; when a request is built
(no context) it is rejected as usual.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, cast

import pydantic
from pydantic import ConfigDict
from pydantic_core import PydanticSerializationError, core_schema

from .unset import UNSET, Nullable, OptionalNullable, Unset  # noqa: F401

__all__ = [
    "BaseModel",
    "Nullable",
    "OptionalNullable",
    "RESPONSE_CONTEXT",
    "OpenEnumMarker",
    "open_enum",
    "dump_json",
]

#: Validation context used for every response body / stream event.
RESPONSE_CONTEXT: dict[str, Any] = {"sdk_response": True}
_REQUEST_CONTEXT: dict[str, Any] = {"sdk_request": True}


class BaseModel(pydantic.BaseModel):
    model_config = ConfigDict(
        populate_by_name=True,
        arbitrary_types_allowed=True,
        protected_namespaces=(),
        # validators are built when a model is first used, not when its module is imported
        defer_build=True,
    )


class OpenEnumMarker:
    """``Annotated`` metadata that opens an enum for responses only."""

    __slots__ = ()

    def __call__(self, tp: Any) -> Any:
        return Annotated[tp, self]

    def __repr__(self) -> str:
        return "open_enum"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        inner = handler(source)
        # An unknown value is kept only if it has the JSON type of the enum's own values:
        # a new string for a string enum, a new integer for an integer enum.
        kinds = _value_types(source)

        def _validate(value: Any, nxt: Any, info: Any) -> Any:
            try:
                return nxt(value)
            except pydantic.ValidationError:
                ctx = info.context
                if (
                    ctx is not None
                    and ctx.get("sdk_response")
                    and isinstance(value, kinds)
                    and not isinstance(value, bool)
                ):
                    return value
                raise

        return core_schema.with_info_wrap_validator_function(
            _validate,
            inner,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _ser_enum, info_arg=True, when_used="always"
            ),
        )


def _value_types(tp: Any) -> tuple[type, ...]:
    """The Python types of an enum's values (Literal[...] args or Enum member values)."""
    values = getattr(tp, "__args__", None)
    if values is None and isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = [m.value for m in tp]
    kinds = tuple({type(v) for v in values or () if isinstance(v, (str, int))})
    return kinds or (str,)


def _ser_enum(value: Any, info: Any) -> Any:
    # Known members serialise to their value on the wire; unknown raw values as-is.
    if info.mode_is_json():
        return getattr(value, "value", value)
    return value


open_enum = OpenEnumMarker()


def _unset_excludes(obj: Any) -> Any:
    """Build a pydantic ``exclude`` spec for every field explicitly set to UNSET."""
    out: dict[Any, Any] = {}
    if isinstance(obj, pydantic.BaseModel):
        d = obj.__dict__
        for name in obj.model_fields_set:
            v = d.get(name, None)
            if v is UNSET:
                out[name] = True
            else:
                sub = _unset_excludes(v)
                if sub:
                    out[name] = sub
        return out
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(cast("list[object]", obj)):
            sub = _unset_excludes(v)
            if sub:
                out[i] = sub
        return out
    if isinstance(obj, dict):
        for k, v in cast("dict[object, object]", obj).items():
            if v is UNSET:
                out[k] = True
            else:
                sub = _unset_excludes(v)
                if sub:
                    out[k] = sub
        return out
    return None


def dump_json(model: pydantic.BaseModel) -> bytes:
    """Serialise a request model for the wire.

    By alias; fields the caller never set are omitted, fields explicitly set to
    ``UNSET`` are omitted (recursively), explicit ``None`` is sent as ``null``.
    """
    try:
        return model.model_dump_json(
            by_alias=True, exclude_unset=True, context=_REQUEST_CONTEXT
        ).encode()
    except PydanticSerializationError:
        excl = _unset_excludes(model)
        if not excl:
            raise
    return model.model_dump_json(
        by_alias=True, exclude_unset=True, exclude=excl, context=_REQUEST_CONTEXT
    ).encode()
