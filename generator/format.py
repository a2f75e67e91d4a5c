"""Stage 6: format. Generated Python (and the python blocks in the docs) go through black
in-process. Results are cached by content hash, so an unchanged spec re-formats nothing."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY39}, line_length=100)
_FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


class FormatCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self._salt = f"black {black.__version__} {MODE!r}".encode()

    def _path(self, text: str) -> Path | None:
        if self.folder is None:
            return None
        h = hashlib.sha256(self._salt + text.encode("utf-8")).hexdigest()
        return self.folder / h[:2] / h

    def get(self, text: str) -> str | None:
        p = self._path(text)
        if p is not None and p.exists():
            return p.read_text(encoding="utf-8")
        return None

    def put(self, text: str, result: str) -> None:
        p = self._path(text)
        if p is None:
            return
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(result, encoding="utf-8")
        os.replace(tmp, p)


class FormatError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: generated code does not parse: {message}")
        self.path = path


def format_python(path: str, text: str, cache: FormatCache) -> str:
    cached = cache.get(text)
    if cached is not None:
        return cached
    try:
        result = black.format_str(text, mode=MODE)
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc).splitlines()[0]) from None
    cache.put(text, result)
    return result


def format_markdown(text: str, cache: FormatCache) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        cached = cache.get(code)
        if cached is None:
            try:
                cached = black.format_str(code, mode=MODE)
            except black.InvalidInput:
                cached = code  # illustrative snippets (e.g. `/* values here */`) stay as written
            cache.put(code, cached)
        return "```python\n" + cached + "```"

    return _FENCE.sub(one, text)


def format_files(files: dict[str, str], cache: FormatCache) -> dict[str, str]:
    out = {}
    for path, text in files.items():
        if path.endswith(".py"):
            out[path] = format_python(path, text, cache)
        elif path.endswith(".md"):
            out[path] = format_markdown(text, cache)
        else:
            out[path] = text
    return out
