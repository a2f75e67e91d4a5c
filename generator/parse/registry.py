"""The named types built so far, by key (the schema's pointer, prefixed with its file when
that is not the root document), and the marks of the types still being built, which tell
a recursive reference from a cycle no Python type could express."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..model import NamedType, Ref, TypeRef
from .shapes import canonical


class TypeRegistry:
    def __init__(self, root_path: Path):
        self.root_path = root_path
        self.types: dict[str, NamedType] = {}
        self._nullable: set[str] = set()  # keys of named types whose schema admits null
        self._building: dict[str, TypeRef] = {}  # key -> the reference to a type being built
        self._objects_open = 0  # object types being built (model classes break type cycles)
        self._open_unions: dict[str, int] = {}  # union being built -> _objects_open then
        self._titled: dict[tuple[Path, str], str] = {}  # (file, canonical JSON) -> type key

    def key(self, file: Path, pointer: str) -> str:
        if file == self.root_path:
            return pointer
        try:
            rel = file.relative_to(self.root_path.parent)
        except ValueError:
            rel = file
        return f"{rel.as_posix()}{pointer}"

    def add(self, named: NamedType) -> None:
        self.types[named.key] = named

    def ref(self, key: str) -> TypeRef:
        """A reference to the named type built under `key`."""
        return Ref(key, nullable=key in self._nullable)

    def mark_nullable(self, key: str) -> None:
        self._nullable.add(key)

    def open_count(self) -> int:
        """How many types are being built (a `$ref` followed twice with no new one in
        between goes round without defining a type)."""
        return len(self._building)

    def in_progress(self, key: str) -> TypeRef | None:
        """The reference to the type being built under `key` (None when it is not)."""
        return self._building.get(key)

    def union_contains_itself(self, key: str) -> bool:
        """Reached a union being built again with no model class in between."""
        return self._open_unions.get(key) == self._objects_open

    @contextmanager
    def building_object(self, key: str, ref: TypeRef) -> Iterator[None]:
        self._building[key] = ref
        self._objects_open += 1
        try:
            yield
        finally:
            self._building.pop(key, None)
            self._objects_open -= 1

    @contextmanager
    def building_union(self, key: str, ref: TypeRef) -> Iterator[None]:
        self._building[key] = ref
        self._open_unions[key] = self._objects_open
        try:
            yield
        finally:
            self._building.pop(key, None)
            self._open_unions.pop(key, None)

    def titled_twin(self, file: Path, node: dict, key: str) -> str:
        """The key of the first titled inline schema identical to `node` (`key` itself when
        it is the first)."""
        return self._titled.setdefault((file, canonical(node)), key)


def pointer_of(key: str) -> str:
    """The pointer part of a type key (keys of the root document are bare pointers)."""
    return key[key.index("#"):]
