"""The Python usage snippets sdkgen writes into an SDK's docs (README.md, USAGE.md and each
operation's "Example Usage" under docs/sdks/), extracted as files pyright can check or
Python can run. The models pages' `value: T = /* values here */` lines are placeholders in
the reference style, not code, and are not collected."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Snippet:
    page: Path  # the markdown file
    line: int  # 1-based line of the fence in the page
    code: str


def snippets(sdk_root: Path) -> list[Snippet]:
    pages = [sdk_root / "README.md", sdk_root / "USAGE.md",
             *sorted((sdk_root / "docs" / "sdks").rglob("*.md"))]
    out = []
    for page in pages:
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        for m in _FENCE.finditer(text):
            out.append(Snippet(page, text.count("\n", 0, m.start()) + 1, m.group(1)))
    return out


def write_snippets(items: list[Snippet], folder: Path) -> dict[Path, Snippet]:
    """One module per snippet (`snippet_0001.py`...), for a checker to read."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for i, s in enumerate(items):
        path = folder / f"snippet_{i:04d}.py"
        path.write_text(s.code, encoding="utf-8")
        files[path] = s
    return files
