"""The front end's diagnostics sink: problems are collected as values while the document is
walked, and located (file and line) once at the end."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..diagnostics import ERROR, WARNING, Code, Diagnostic
from ..load import Spec, pointer_join


class Problems:
    """The problems found in one spec, in the order found (repeats reported once)."""

    def __init__(self, spec: Spec):
        self.spec = spec
        # (severity, file, pointer, message, code), located once the walk is done (`located`)
        self.items: list[tuple[str, Path, str, str, Code]] = []
        self._quiet = 0  # > 0: building a copy of a schema whose problems are reported already

    def _add(self, severity: str, file: Path, pointer: str, message: str, code: Code) -> None:
        if self._quiet:
            return
        self.items.append((severity, file, pointer, message, code))

    def warn(self, file: Path, pointer: str, message: str, code: Code) -> None:
        self._add(WARNING, file, pointer, message, code)

    def error(self, file: Path, pointer: str, message: str, code: Code) -> None:
        self._add(ERROR, file, pointer, message, code)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Nothing is reported inside (a second copy of a schema reported where written)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def has_errors(self) -> bool:
        return any(severity == ERROR for severity, *_ in self.items)

    def follow(self, node: Any, file: Path, pointer: str) -> tuple[Any, Path, str] | None:
        """`$ref`s followed to the node they name; a dangling one is an error (None)."""
        try:
            return self.spec.deref(node, file, pointer)
        except KeyError as exc:
            self.error(file, pointer_join(pointer, "$ref"), str(exc), Code.DANGLING_REF)
            return None

    def located(self) -> list[Diagnostic]:
        """The problems found, as diagnostics with their file and line.

        Lines are looked up here, from a shallow stack, not where a problem is found deep in
        the recursion over schemas: the first lookup may compose the YAML node tree, for
        which libyaml calls into Python for every node; from a deep stack that ends right
        at a boundary of CPython's frame-stack chunks, every such call allocates and frees
        a chunk (composing Stripe's spec then took 9 s instead of 1)."""
        return [self.spec.diag(*problem) for problem in dict.fromkeys(self.items)]
