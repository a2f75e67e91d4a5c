"""Stage 2: validate. openapi-spec-validator's schema check plus the generator's own checks.

Schema violations that still allow a correct SDK are warnings (real-world specs are
often slightly invalid, yet vendors ship SDKs from them); `strict=True` makes them
errors. Problems that make a correct SDK impossible are errors.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from .diagnostics import ERROR, WARNING, Diagnostic
from .load import Spec, path_template_names, pointer_join, split_path_key

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_SCHEMA_DIAGNOSTICS = 200


def validate(spec: Spec, strict: bool = False) -> list[Diagnostic]:
    return Validation(spec, strict).join()


class Validation:
    """`validate()`, started: the own checks run now, openapi-spec-validator's schema check
    (tens of seconds on big specs) in a forked worker process while the caller goes on
    (build, render, format use the other core); `join()` returns exactly what `validate()`
    returns, in the same order. Without fork (or with one CPU, a small spec, or
    SDKGEN_VALIDATE_WORKER=off), or if the worker fails, the check runs in-process."""

    def __init__(self, spec: Spec, strict: bool = False):
        self.spec, self.strict = spec, strict
        self._key = _schema_check_key(spec)
        self._schema: list[Diagnostic] | None = _cached_findings(self._key)
        self._worker: tuple[int, int] | None = None  # (pid, read end of the pipe)
        if self._schema is None and _worth_a_worker(spec):
            self._worker = _fork_schema_check(spec)
        self.own = list(_own_checks(spec))
        self._joined: list[Diagnostic] | None = None

    @property
    def own_errors(self) -> bool:
        """The own checks found a spec that build cannot take (join and stop)."""
        return any(d.severity == ERROR or self.strict for d in self.own)

    def close(self) -> None:
        """Stop and reap a worker that was not joined (the run failed elsewhere)."""
        if self._worker is not None:
            pid, read_end = self._worker
            self._worker = None
            try:
                os.kill(pid, 9)
            except OSError:
                pass
            os.close(read_end)
            os.waitpid(pid, 0)

    def join(self) -> list[Diagnostic]:
        if self._joined is not None:
            return self._joined
        if self._schema is None:
            found = _join_worker(self._worker) if self._worker is not None else None
            self._worker = None
            if found is None:
                found = list(_schema_check(self.spec))
            _store_findings(self._key, found)
            self._schema = found
        out = [*self._schema, *self.own]
        if self.strict:
            out = [Diagnostic(ERROR, d.pointer, d.message, d.file, d.line, d.code) for d in out]
        self._joined = out
        return out


def _schema_check_key(spec: Spec) -> str:
    """openapi-spec-validator takes tens of seconds on big specs: its findings are kept,
    keyed by the content of every loaded document and the validator's version."""
    from importlib.metadata import PackageNotFoundError, version

    from .cache import digest

    try:
        validator_version = version("openapi-spec-validator")
    except PackageNotFoundError:  # pragma: no cover
        validator_version = "?"
    docs = sorted(spec.documents.items())
    key = digest("schema-check-1", validator_version, str(MAX_SCHEMA_DIAGNOSTICS), os.getcwd(),
                 *(f"{p}\n{d.text}" for p, d in docs), *spec.overlays)
    return key


def _cached_findings(key: str) -> list[Diagnostic] | None:
    from .cache import DataCache

    hit = DataCache("validate").get(key)
    return [Diagnostic(*row) for row in hit] if isinstance(hit, list) else None


def _store_findings(key: str, found: list[Diagnostic]) -> None:
    from .cache import DataCache

    DataCache("validate").put(key, [_row(d) for d in found])


def _row(d: Diagnostic) -> list[Any]:
    return [d.severity, d.pointer, d.message, d.file, d.line, d.code]


def _worth_a_worker(spec: Spec) -> bool:
    if os.environ.get("SDKGEN_VALIDATE_WORKER", "").lower() == "off" or not hasattr(os, "fork"):
        return False
    if (os.cpu_count() or 1) < 2:
        return False
    return sum(len(d.text) for d in spec.documents.values()) >= 200_000


def _fork_schema_check(spec: Spec) -> tuple[int, int] | None:
    """Fork a child that runs the schema check on the (inherited, copy-on-write) spec and
    writes its findings, marshal'ed, to a pipe."""
    import marshal

    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(read_end)
            _memoize_registry_crawl()
            data = marshal.dumps([_row(d) for d in _schema_check(spec)])
            with os.fdopen(write_end, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _memoize_registry_crawl() -> None:
    """In the worker only: `referencing.Registry.crawl()` is a pure function of an immutable
    registry, yet jsonschema re-crawls the same registry on every anchor lookup that misses
    ($dynamicRef in the OAS 3.1 meta-schemas): ~1/3 of the check's time on OpenAI's spec.
    Remember each registry's crawl (same findings; the worker exits afterwards)."""
    try:
        from referencing import _core
    except ImportError:  # pragma: no cover
        return
    original = getattr(_core.Registry, "crawl", None)
    if original is None:  # pragma: no cover - another referencing
        return
    memo: dict[int, tuple[Any, Any]] = {}

    def crawl(self: Any) -> Any:
        hit = memo.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        out = original(self)
        memo[id(self)] = (self, out)  # keeps `self` alive, so its id is not reused
        return out

    _core.Registry.crawl = crawl  # type: ignore[method-assign]


def _join_worker(worker: tuple[int, int]) -> list[Diagnostic] | None:
    import marshal

    pid, read_end = worker
    try:
        with os.fdopen(read_end, "rb") as fh:
            data = fh.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        return [Diagnostic(*row) for row in marshal.loads(data)]
    except (EOFError, ValueError, TypeError):
        return None


def _schema_check(spec: Spec) -> Iterator[Diagnostic]:
    try:
        from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    except ImportError:  # pragma: no cover
        return
    root = spec.root
    version = str(root.get("openapi", ""))
    cls: Any = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        validator = cls(root, base_uri=spec.root_path.as_uri())
        errors = validator.iter_errors()
        count = 0
        for err in errors:
            count += 1
            if count > MAX_SCHEMA_DIAGNOSTICS:
                yield spec.diag(WARNING, spec.root_path, "#", "further schema problems not shown",
                                "openapi-schema")
                break
            pointer = pointer_join("#", *list(getattr(err, "absolute_path", []) or []))
            message = getattr(err, "message", str(err)).splitlines()[0]
            if len(message) > 300:
                message = message[:300] + "..."
            yield spec.diag(WARNING, spec.root_path, pointer,
                            f"does not conform to the OpenAPI schema: {message}", "openapi-schema")
    except Exception as exc:  # the validator itself can choke on odd input (e.g. bad refs)
        yield spec.diag(WARNING, spec.root_path, "#",
                        f"openapi-spec-validator could not check this document: "
                        f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                        "openapi-schema")


def _own_checks(spec: Spec) -> Iterator[Diagnostic]:
    root = spec.root
    paths = root.get("paths") or {}
    if not isinstance(paths, dict):
        yield spec.diag(ERROR, spec.root_path, "#/paths", "paths must be a mapping", "structure")
        return
    seen_ids: dict[str, str] = {}
    for key, item in paths.items():
        item_ptr = pointer_join("#/paths", key)
        if not isinstance(item, dict):
            yield spec.diag(ERROR, spec.root_path, item_ptr, "path item must be a mapping",
                            "structure")
            continue
        url, _, _ = split_path_key(str(key))
        template_params = set(path_template_names(url))
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_ptr = pointer_join(item_ptr, method)
            if not isinstance(op, dict):
                yield spec.diag(ERROR, spec.root_path, op_ptr, "operation must be a mapping",
                                "structure")
                continue
            op_id = op.get("operationId")
            if isinstance(op_id, str):
                if op_id in seen_ids:
                    yield spec.diag(ERROR, spec.root_path, pointer_join(op_ptr, "operationId"),
                                    f"operationId {op_id!r} is also used at {seen_ids[op_id]}",
                                    "duplicate-operation-id")
                else:
                    seen_ids[op_id] = op_ptr
            declared = set()
            for plist in (item.get("parameters") or [], op.get("parameters") or []):
                for p in plist if isinstance(plist, list) else []:
                    try:
                        node, _, _ = spec.deref(p, spec.root_path, "#")
                    except KeyError:
                        continue
                    if isinstance(node, dict) and node.get("in") == "path":
                        declared.add(node.get("name"))
            for name in sorted(template_params - declared):
                yield spec.diag(WARNING, spec.root_path, op_ptr,
                                f"path parameter {{{name}}} is not declared; treated as a "
                                "required string", "undeclared-path-param")


