"""The examples the SDK shows (docs, usage snippets): the first one given that conforms to
its schema; one that does not is never used, and reported where validate did not."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..conformance import value_checker
from ..diagnostics import Code
from ..load import Spec, pointer_join
from .report import Problems


class Examples:
    def __init__(self, spec: Spec, problems: Problems):
        self.spec = spec
        self.problems = problems
        self._fits: Callable[[Any, Any, Path, str], bool] | None = None  # made on first use

    def example(self, node: dict, file: Path, pointer: str, schema: Any = None,
                schema_ptr: str = "", reported: bool = True) -> tuple[bool, Any]:
        """The first example of `node` (its `example`, then each of its `examples` list)
        that conforms to its schema: `node` itself, unless `schema` (at `schema_ptr`) is
        given. A value that fails its schema is never shown or used (a usage snippet with
        it would raise); the validate stage reports it where it checks it (`reported`),
        this stage elsewhere."""
        values = [(node["example"], pointer_join(pointer, "example"), reported)] if (
            "example" in node) else []
        listed = node.get("examples")
        if isinstance(listed, list):
            # 3.0 schemas have no `examples` keyword: validate leaves such a list alone
            listed_reported = reported and not (schema is None and str(self.spec.root.get(
                "openapi", "")).startswith("3.0"))
            values += [(v, pointer_join(pointer, "examples", i), listed_reported)
                       for i, v in enumerate(listed)]
        if schema is None:
            schema, schema_ptr = node, pointer
        return self.first_fitting(values, file, schema, schema_ptr)

    def first_fitting(self, values: list[tuple[Any, str, bool]], file: Path, schema: Any,
                      schema_ptr: str) -> tuple[bool, Any]:
        """The first value that fits the schema; (value, where, validate reports it)."""
        for value, where, reported in values:
            if not isinstance(schema, (dict, bool)):
                return True, value
            if self._fits is None:
                self._fits = value_checker(self.spec)
            if self._fits(value, schema, file, schema_ptr):
                return True, value
            if not reported:
                self.problems.warn(file, where, "example does not match its schema; it is not "
                                   "used in the docs or usage snippets", Code.EXAMPLE_MISMATCH)
        return False, None
