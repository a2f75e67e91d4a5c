"""Test-only workaround: the OpenAI history corpus defines some YAML anchors twice
(`&run_temperature_description`), which YAML 1.2 allows (an alias names the latest
definition) but PyYAML's composer refuses. `unique_anchors` renames each redefinition
and the aliases that follow it, so the text means the same and PyYAML loads it.

Drop this once generator/load.py accepts redefined anchors."""

from __future__ import annotations

import re
from pathlib import Path

_TOKEN = re.compile(r"(?<=[\s\[{,])([&*])([A-Za-z0-9_][A-Za-z0-9_.-]*)")


def unique_anchors(text: str) -> str:
    defined = re.findall(r"(?<=[\s\[{,])&([A-Za-z0-9_][A-Za-z0-9_.-]*)", text)
    twice = {n for n in defined if defined.count(n) > 1}
    if not twice:
        return text
    seen: dict[str, int] = {}

    def swap(m: re.Match[str]) -> str:
        sigil, name = m.group(1), m.group(2)
        if name not in twice:
            return m.group(0)
        if sigil == "&":
            seen[name] = seen.get(name, 0) + 1
        n = seen.get(name, 1)
        return f"{sigil}{name}" if n == 1 else f"{sigil}{name}__{n}"

    return _TOKEN.sub(swap, text)


def loadable_copy(src: Path, folder: Path) -> Path:
    """`src` with unique anchors, written into `folder` under the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / src.name
    out.write_text(unique_anchors(src.read_text(encoding="utf-8")), encoding="utf-8")
    return out
