"""Stage 3: turn the loaded spec into the intermediate model (`model.py`).

Every schema reachable from an operation becomes a TypeRef; objects, enums and unions
become named types with candidate names (the naming stage picks the final ones).
Nothing is dropped silently: whatever cannot be represented exactly is reported with
its pointer and degraded to `Any`, and the operation is still generated. The work is done
by the modules of `generator/parse/`; this is the stage's entry point.

Diagnostics are values, collected while the document is walked (`parse.report.Problems`)
and returned with the Api. The one exception is the end of a walk that found an error: the
stage then raises `SpecError` carrying every diagnostic of the walk, located (errors and
warnings), and nothing else; nothing is raised while the walk goes on.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, TypeVar

from .diagnostics import Diagnostic, SpecError
from .load import Spec
from .model import Api
from .parse.document import parse_document
from .parse.report import Problems
from .parse.schemas import MAX_SCHEMA_DEPTH


def build(spec: Spec, names_by_module: bool = False) -> tuple[Api, list[Diagnostic]]:
    """The Api of the spec and the warnings found; raises SpecError (with every diagnostic)
    when an error was found. `names_by_module`: component schemas and operation-level models
    live in modules of their own (gen.yaml imports.paths): bare names are counted per
    module."""
    def run() -> tuple[Api, list[Diagnostic]]:
        problems = Problems(spec)
        api = parse_document(spec, problems, names_by_module)
        if api is None:
            raise SpecError(problems.located())
        return api, problems.located()

    return _with_deep_stack(run)


_T = TypeVar("_T")


def _with_deep_stack(fn: Callable[[], _T]) -> _T:
    """Run `fn` in a thread with a stack deep enough for schemas nested MAX_SCHEMA_DEPTH
    levels (the build recurses a few frames per level; Python's default limit is 1,000)."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append((True, fn()))
        except BaseException as exc:  # re-raised in the caller's thread
            out.append((False, exc))

    limit = sys.getrecursionlimit()
    size = threading.stack_size(256 * 1024 * 1024)
    sys.setrecursionlimit(max(limit, 20 * MAX_SCHEMA_DEPTH))
    try:
        worker = threading.Thread(target=run, name="sdkgen-build")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    ok, value = out[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]
