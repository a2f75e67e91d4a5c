"""On-disk caches keyed by content hash (in the user cache folder, or `$SDKGEN_CACHE`;
`off` disables them). Entries are immutable: a key names exactly one input, so a cache is
never stale, only unused. Writes are atomic (temp file + rename)."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any


def cache_root() -> Path | None:
    """`$SDKGEN_CACHE` (`off`: no cache), else the user cache folder (platformdirs:
    ~/.cache/sdkgen on Linux, ~/Library/Caches/sdkgen on macOS, %LOCALAPPDATA%\\sdkgen\\
    Cache on Windows), never the folder sdkgen runs from."""
    folder = os.environ.get("SDKGEN_CACHE")
    if folder == "off":
        return None
    if folder:
        return Path(folder)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sdkgen", appauthor=False))


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


class DataCache:
    """Plain data (dicts, lists, strings, numbers) stored with `marshal`: fast, no code."""

    def __init__(self, kind: str):
        root = cache_root()
        self.folder = root / kind if root is not None else None

    def get(self, key: str) -> Any:
        if self.folder is None:
            return None
        try:
            return marshal.loads((self.folder / key[:2] / key).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        path = self.folder / key[:2] / key
        try:
            data = marshal.dumps(value)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written is just a slower run
