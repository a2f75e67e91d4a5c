"""Client-level parameters (``x-speakeasy-globals``).

The client takes each global parameter as a constructor argument and builds its core
with :class:`GlobalsMixin`: every call of an operation that declares the parameter
(the generated method puts its argument in the call's ``query``/``headers``) sends the
client's value when the call leaves the argument unset (``None``/``UNSET``). An
operation that does not declare the parameter never sends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .._core import AsyncCore, SyncCore
from ..types.unset import UNSET

__all__ = ["GlobalsMixin", "SyncGlobalsCore", "AsyncGlobalsCore"]


class GlobalsMixin:
    """Fills the client's global parameters into each call before the core builds it."""

    def __init__(
        self, *, global_params: Optional[Mapping[tuple[str, str], Any]] = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        #: {(location, wire name): value}; locations are "query", "header" and "path"
        self.globals: dict[tuple[str, str], Any] = {
            k: v for k, v in (global_params or {}).items() if v is not None and v is not UNSET
        }

    def _build(
        self,
        op: Any,
        path_params: Optional[Mapping[str, Any]],
        query: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, Any]],
        *rest: Any,
    ) -> Any:
        if self.globals:
            filled = {"query": query, "header": headers, "path": path_params}
            for (location, name), value in self.globals.items():
                given = filled.get(location)
                if given is not None and name in given:
                    current = given[name]
                    if current is None or current is UNSET:
                        given = dict(given)
                        given[name] = value
                        filled[location] = given
            query, headers, path_params = filled["query"], filled["header"], filled["path"]
        return super()._build(op, path_params, query, headers, *rest)  # type: ignore[misc]


class SyncGlobalsCore(GlobalsMixin, SyncCore):  # pyright: ignore[reportIncompatibleMethodOverride]
    """``SyncCore`` with client-level parameters."""


class AsyncGlobalsCore(GlobalsMixin, AsyncCore):  # pyright: ignore[reportIncompatibleMethodOverride]
    """``AsyncCore`` with client-level parameters."""
