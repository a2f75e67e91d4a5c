"""Problems found in a spec, reported as values with a location (never a traceback)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # ERROR | WARNING
    pointer: str  # JSON pointer inside the spec, e.g. "#/paths/~1pets/get"
    message: str
    file: str = ""
    line: int | None = None
    code: str = ""  # short stable category, used for grouping and counting

    def format(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.severity}: {self.pointer}: {self.message}"


@dataclass
class Report:
    """Collects diagnostics across stages; `errors` stop the run, warnings do not."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def extend(self, ds: Iterable[Diagnostic]) -> None:
        self.items.extend(ds)

    def error(self, pointer: str, message: str, code: str = "error", file: str = "") -> None:
        self.add(Diagnostic(ERROR, pointer, message, file=file, code=code))

    def warn(self, pointer: str, message: str, code: str = "warning", file: str = "") -> None:
        self.add(Diagnostic(WARNING, pointer, message, file=file, code=code))

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


class SpecError(Exception):
    """Raised by a stage when the spec cannot be turned into an SDK."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))
