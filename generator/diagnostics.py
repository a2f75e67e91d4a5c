"""Problems found in a spec, reported as values with a location (never a traceback)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Iterable, TypeVar


class _StrEnum(str, Enum):
    """A `str` whose members print as their value (comparisons with strings keep working)."""

    def __str__(self) -> str:
        return str(self.value)


class Severity(_StrEnum):
    ERROR = "error"  # stops the run
    WARNING = "warning"  # reported; the run goes on (`--strict` makes it an error)


ERROR = Severity.ERROR
WARNING = Severity.WARNING


class Code(_StrEnum):
    """Every diagnostic code sdkgen reports: a short stable category, used for grouping and
    counting. docs/diagnostics.md has a row for each (tests/test_diagnostic_codes.py checks
    both ways, and that every code the generator passes is a member)."""

    # reading the spec (load.py, overlay.py)
    PARSE = "parse"
    IO = "io"
    NOT_OPENAPI = "not-openapi"
    SWAGGER2 = "swagger2"
    ALIAS_CYCLE = "alias-cycle"
    ALIAS_EXPANSION = "alias-expansion"
    TOO_DEEP = "too-deep"
    OVERLAY = "overlay"
    GEN_YAML = "gen-yaml"
    CONFIG = "config"
    # validate (validate.py, conformance.py)
    STRUCTURE = "structure"
    OPENAPI_SCHEMA = "openapi-schema"
    JSON_SCHEMA = "json-schema"
    DEFAULT_MISMATCH = "default-mismatch"
    EXAMPLE_MISMATCH = "example-mismatch"
    DEFAULT_UNCHECKED = "default-unchecked"
    EXAMPLE_UNCHECKED = "example-unchecked"
    VERSION_SYNTAX = "version-syntax"
    BAD_PATTERN = "bad-pattern"
    BAD_REQUIRED = "bad-required"
    UNKNOWN_DIALECT = "unknown-dialect"
    EXAMPLE_AND_EXAMPLES = "example-and-examples"
    UNDECLARED_PATH_PARAM = "undeclared-path-param"
    UNUSED_PATH_PARAM = "unused-path-param"
    DUPLICATE_PARAMETER = "duplicate-parameter"
    DUPLICATE_TAG = "duplicate-tag"
    DUPLICATE_OPERATION_ID = "duplicate-operation-id"
    CHECKS_INCOMPLETE = "checks-incomplete"
    # build (parse/, streaming.py, pagination.py, security.py, connection.py, limits.py)
    DANGLING_REF = "dangling-ref"
    REF_NOT_SCHEMA = "ref-not-schema"
    REF_CYCLE = "ref-cycle"
    UNION_CYCLE = "union-cycle"
    SCHEMA_SHAPE = "schema-shape"
    UNKNOWN_TYPE = "unknown-type"
    EMPTY_UNION = "empty-union"
    ENUM_MIXED = "enum-mixed"
    TUPLE_ITEMS = "tuple-items"
    PREFIX_ITEMS = "prefix-items"
    DUPLICATE_REQUIRED = "duplicate-required"
    UNDECLARED_REQUIRED = "undeclared-required"
    BAD_PARAMETER = "bad-parameter"
    METHOD_COLLISION = "method-collision"
    SECURITY_SCHEME = "security-scheme"
    SERVERS = "servers"
    SPEAKEASY_EXTENSION = "speakeasy-extension"
    STREAM_CONDITION = "stream-condition"
    FERN_STREAMING = "fern-streaming"
    # naming, and sdkgen itself (pipeline.py)
    NAME_SUFFIXED = "name-suffixed"
    INTERNAL_ERROR = "internal-error"
    # the SDK folder's sdkgen.lock (lock.py)
    LOCK = "lock"
    # writing the SDK folder (write.py, transaction.py)
    WRITE = "write"


_CODES = frozenset(c.value for c in Code)


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # a Severity (a plain "error"/"warning" given is turned into one)
    pointer: str  # JSON pointer inside the spec, e.g. "#/paths/~1pets/get"
    message: str
    file: str = ""
    line: int | None = None
    code: str = ""  # a Code

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))
        if self.code in _CODES and not isinstance(self.code, Code):
            object.__setattr__(self, "code", Code(self.code))  # (an unknown one stays a str)

    def row(self) -> tuple[str, str, str, str, int | None, str]:
        """The fields as plain values (for marshal); `Diagnostic(*row)` reads them back."""
        return (Severity(self.severity).value, self.pointer, self.message, self.file, self.line,
                self.code.value if isinstance(self.code, Code) else self.code)

    def format(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.severity}: {shown_pointer(self.pointer)}: {self.message}"


_UNPRINTABLE_IN_POINTER = re.compile(r"[\s%]|[^\x21-\x7e\u00a0-\U0010ffff]")


def shown_pointer(pointer: str) -> str:
    """A pointer as a diagnostic line prints it: whitespace, control characters and `%`
    percent-encoded (the URI fragment form of RFC 6901), so that a key with a space or a
    newline in it can neither split the line nor blur where the pointer ends."""
    return _UNPRINTABLE_IN_POINTER.sub(
        lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), pointer)


@dataclass
class Report:
    """Collects diagnostics across stages; `errors` stop the run, warnings do not."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def extend(self, ds: Iterable[Diagnostic]) -> None:
        self.items.extend(ds)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def summary(self) -> str:
        counts = Counter(d.code for d in self.items)
        parts = ", ".join(f"{code}: {n}" for code, n in sorted(counts.items()))
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)" + (
            f" ({parts})" if parts else ""
        )

    def render(self, limit_per_code: int = 20) -> str:
        """Compiler-style listing, grouped by category, errors first."""
        lines: list[str] = []
        by_code: dict[tuple[str, str], list[Diagnostic]] = {}
        for d in self.items:
            by_code.setdefault((d.severity, d.code), []).append(d)
        order = sorted(by_code, key=lambda k: (k[0] != ERROR, k[1]))
        for key in order:
            group = by_code[key]
            for d in group[:limit_per_code]:
                lines.append(d.format())
            if len(group) > limit_per_code:
                lines.append(f"... and {len(group) - limit_per_code} more {key[0]}(s) [{key[1]}]")
        lines.append(self.summary())
        return "\n".join(lines)


def strictly(diags: Iterable[Diagnostic], strict: bool = True) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error (the one place this is done)."""
    if not strict:
        return list(diags)
    return [d if d.severity == ERROR else replace(d, severity=ERROR) for d in diags]


class SpecError(Exception):
    """The one exception that stops a run on a located problem: it carries the diagnostics
    (every one reported so far, errors among them). A stage returns its findings as values;
    this is raised where a run cannot go on: by `stop_on_errors` (the pipeline's gate) and
    `result_or_stop`, and still from inside the build, the lock's reader and the write
    (`transaction.WriteError`, raised after the rollback). docs/internals.md has the rule."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


def stop_on_errors(diags: list[Diagnostic]) -> None:
    """Raise SpecError with all of `diags` when one of them is an error."""
    if any(d.severity == ERROR for d in diags):
        raise SpecError(diags)


_T = TypeVar("_T")


def result_or_stop(result: _T | None, diags: list[Diagnostic]) -> _T:
    """A stage's `(result, diagnostics)` for a caller that cannot go on without the result:
    the result, or SpecError with the diagnostics (which then hold an error)."""
    if result is None:
        raise SpecError(diags)
    return result
