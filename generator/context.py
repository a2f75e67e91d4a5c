"""The small interfaces the front end's pieces are given instead of the whole front end.

`BuildContext`: what the modules by concern (streaming, pagination, security, connection,
namespaces, and parse/operations.py, parse/bodies.py) may use: the spec, the named types
built so far, `schema_type` to build one more, `warn` and `error`. The schema parser
(`parse.schemas.SchemaParser`) is one; they never see the rest of it, nor import `parse`.
`SchemaType`: `schema_type` alone, what the builders of objects and unions recurse with."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

from .diagnostics import Code
from .load import Spec
from .model import NamedType, TypeRef

# (schema node, file, pointer, candidate names) -> its type
SchemaType = Callable[[Any, Path, str, tuple[str, ...]], TypeRef]


class BuildContext(Protocol):
    @property
    def spec(self) -> Spec: ...

    @property
    def types(self) -> Mapping[str, NamedType]:
        """Named types by key (`Ref.key`)."""
        ...

    def schema_type(self, node: Any, file: Path, pointer: str,
                    hint: tuple[str, ...]) -> TypeRef:
        """The type of the schema `node` at `file`#`pointer` (`hint`: candidate names)."""
        ...

    def warn(self, file: Path, pointer: str, message: str, code: Code) -> None: ...

    def error(self, file: Path, pointer: str, message: str, code: Code) -> None: ...
