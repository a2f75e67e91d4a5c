"""What the front end's modules by concern (streaming, pagination, security, connection,
namespaces) may use of the build: the spec, the named types built so far, `schema_type` to
build one more, `warn` and `error`. `build.Builder` is one; they never see the rest of it,
nor import `build`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Protocol

from .diagnostics import Code
from .load import Spec
from .model import NamedType, TypeRef


class BuildContext(Protocol):
    @property
    def spec(self) -> Spec: ...

    @property
    def types(self) -> Mapping[str, NamedType]:
        """Named types by key (`TypeRef.name` of a REF)."""
        ...

    def schema_type(self, node: Any, file: Path, pointer: str,
                    hint: tuple[str, ...]) -> TypeRef:
        """The type of the schema `node` at `file`#`pointer` (`hint`: candidate names)."""
        ...

    def warn(self, file: Path, pointer: str, message: str, code: Code) -> None: ...

    def error(self, file: Path, pointer: str, message: str, code: Code) -> None: ...
