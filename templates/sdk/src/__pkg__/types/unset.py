"""The ``UNSET`` sentinel: "the caller did not pass this value".

Kept free of pydantic so the core can import it cheaply.
"""

from __future__ import annotations

from typing import Any, TypeVar, Union

__all__ = ["Unset", "UNSET", "Nullable", "OptionalNullable"]


class Unset:
    """Type of the ``UNSET`` singleton (falsy, repr ``UNSET``)."""

    __slots__ = ()
    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        inst = cls._instance
        if inst is None:
            inst = object.__new__(cls)
            cls._instance = inst
        return inst

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    __str__ = __repr__

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: Any) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticCustomError, core_schema

        def _reject(value: Any) -> Any:
            raise PydanticCustomError("unset_in_json", "UNSET cannot come from JSON")

        def _ser(value: Any, info: Any) -> Any:
            ctx = info.context
            if ctx is not None and ctx.get("sdk_request"):
                # dump_json() catches this and retries with UNSET fields excluded.
                raise UnsetSerializationError("UNSET value must be excluded")
            return None

        return core_schema.json_or_python_schema(
            json_schema=core_schema.no_info_plain_validator_function(_reject),
            python_schema=core_schema.is_instance_schema(cls),
            serialization=core_schema.plain_serializer_function_ser_schema(_ser, info_arg=True),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        return {"not": {}}


class UnsetSerializationError(ValueError):
    pass


UNSET = Unset()

T = TypeVar("T")

#: ``Nullable[X]``: the value may be ``null`` on the wire.
Nullable = Union[T, None]
#: ``OptionalNullable[X]``: may be omitted (``UNSET``) or ``null``.
OptionalNullable = Union[T, None, Unset]
