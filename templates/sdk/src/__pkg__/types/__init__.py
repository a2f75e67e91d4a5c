"""Runtime types shared by the generated models.

``UNSET``/``Unset``/``Nullable``/``OptionalNullable`` are light; everything pydantic-backed is
loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .unset import UNSET, Nullable, OptionalNullable, Unset

if TYPE_CHECKING:
    from .basemodel import (
        RESPONSE_CONTEXT,
        BaseModel,
        OpenEnumMarker,
        dump_json,
        open_enum,
    )

__all__ = [
    "UNSET",
    "Unset",
    "BaseModel",
    "Nullable",
    "OptionalNullable",
    "RESPONSE_CONTEXT",
    "OpenEnumMarker",
    "open_enum",
    "dump_json",
]

_LAZY = frozenset(
    (
        "BaseModel",
        "RESPONSE_CONTEXT",
        "OpenEnumMarker",
        "open_enum",
        "dump_json",
    )
)


if not TYPE_CHECKING:  # type checkers see the imports above

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            from . import basemodel

            value = getattr(basemodel, name)
            globals()[name] = value
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
