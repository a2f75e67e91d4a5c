"""Stage 6: format. Generated Python (and the python blocks in the docs) is formatted in
black's style (line length 100). Results are cached by content hash, so an unchanged spec
re-formats nothing.

Black costs ~6 us per byte; a big spec renders 20-30 MB of Python (Stripe: 5,500 modules),
which is minutes of black. So the bulk goes through `ruff format` (black-compatible, in
one batch of files), after a small normalisation for the two places where the two styles
differ on our output (see `_for_ruff`); files where they could still differ go to black.
`SDKGEN_FORMATTER=black` formats everything with black (slow, the reference).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import black

LINE_LENGTH = 100


@lru_cache(maxsize=1)
def _mode() -> "black.Mode":
    """black's mode; black is imported on first use (~0.2 s, not needed on a cache hit)."""
    import black

    return black.Mode(target_versions={black.TargetVersion.PY39}, line_length=LINE_LENGTH)
_FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _ruff_version() -> str:
    if _ruff_binary() is None:
        return "no-ruff"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return "ruff " + version("ruff")
    except PackageNotFoundError:  # pragma: no cover
        return "ruff ?"


class FormatCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        import black

        self._salt = f"black {black.__version__} {_ruff_version()} {_mode()!r}".encode()
        self._memory: dict[str, str] = {}  # results of this run (also when folder is None)

    def _path(self, text: str) -> Path | None:
        if self.folder is None:
            return None
        h = hashlib.sha256(self._salt + text.encode("utf-8")).hexdigest()
        return self.folder / h[:2] / h

    def get(self, text: str) -> str | None:
        hit = self._memory.get(text)
        if hit is not None:
            return hit
        p = self._path(text)
        if p is not None and p.exists():
            return p.read_text(encoding="utf-8")
        return None

    def put(self, text: str, result: str) -> None:
        self._memory[text] = result
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
    import black

    try:
        result = black.format_str(text, mode=_mode())
    except black.InvalidInput as exc:
        raise FormatError(path, str(exc).splitlines()[0]) from None
    cache.put(text, result)
    return result


def format_markdown(text: str, cache: FormatCache) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        cached = cache.get(code)
        if cached is None:
            import black

            try:
                cached = black.format_str(code, mode=_mode())
            except black.InvalidInput:
                cached = code  # illustrative snippets (e.g. `/* values here */`) stay as written
            cache.put(code, cached)
        return "```python\n" + cached + "```"

    return _FENCE.sub(one, text)


def format_files(files: dict[str, str], cache: FormatCache) -> dict[str, str]:
    ruff = _ruff_binary()
    if ruff is not None:
        _prefill(files, cache, ruff)
    out = {}
    for path, text in files.items():
        if path.endswith(".py"):
            out[path] = format_python(path, text, cache)
        elif path.endswith(".md"):
            out[path] = format_markdown(text, cache)
        else:
            out[path] = text
    return out


# ---- the fast path: ruff format in one batch -------------------------------------------------

_IMPORT = re.compile(r"^(?:import |from \S+ import )")
_NOT_AFTER_IMPORT = ("class ", "def ", "async def ", "@", "#", "import ", "from ", "if TYPE_CHECKING")


def _ruff_binary() -> str | None:
    if os.environ.get("SDKGEN_FORMATTER", "").lower() == "black":
        return None
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-not-found]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return None


def _for_ruff(text: str) -> str | None:
    """The source ruff formats exactly as black would, or None (black must do it).

    * black (26+) keeps exactly one blank line after the imports when a plain statement
      follows; ruff keeps two: we write one.
    * black moves the closing quotes of a multi-line docstring to their own line when they
      would overflow; ruff does not: such files go to black.
    """
    lines = text.split("\n")
    for line in lines:  # docstrings get re-indented (by up to 12 here): be conservative
        if line.endswith('"""') and len(line.strip()) > 84 and not line.lstrip().startswith('"""'):
            return None
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if _IMPORT.match(line) or (line.startswith(")") and out and _in_import(out)):
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            nxt = lines[j] if j < len(lines) else ""
            if j > i and nxt and not nxt.startswith((" ", ")") + _NOT_AFTER_IMPORT):
                out.append("")
                i = j
    return "\n".join(out)


def _in_import(out: list[str]) -> bool:
    """The `)` just added closes a parenthesised `from x import (...)`."""
    for line in reversed(out[:-1]):
        if not line.startswith(" "):
            return bool(_IMPORT.match(line))
    return False


def _prefill(files: dict[str, str], cache: FormatCache, ruff: str) -> None:
    """Format every uncached Python text (modules and doc snippets) with one ruff run and
    store the results in the cache; `format_python`/`format_markdown` then find them."""
    todo: dict[str, str] = {}  # original text -> text handed to ruff
    for path, text in files.items():
        if path.endswith(".py"):
            snippets = [text]
        elif path.endswith(".md"):
            snippets = [m.group(1) for m in _FENCE.finditer(text)]
        else:
            continue
        for snippet in snippets:
            if snippet in todo or cache.get(snippet) is not None:
                continue
            prepared = _for_ruff(snippet)
            if prepared is not None:
                todo[snippet] = prepared
    if not todo:
        return
    shm = Path("/dev/shm")  # unlinking thousands of files is slow on some disks
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="sdkgen-fmt-", dir=where) as tmp:
        folder = Path(tmp)
        names = {}
        for i, (original, prepared) in enumerate(todo.items()):
            name = f"m{i}.py"
            names[name] = original
            (folder / name).write_text(prepared, encoding="utf-8")
        proc = subprocess.run(
            [ruff, "format", "--isolated", "--no-cache", "--quiet", "--line-length",
             str(LINE_LENGTH), "--target-version", "py39", "."],
            cwd=folder, capture_output=True, text=True)
        failed = set(re.findall(r"(m\d+\.py)", proc.stderr)) if proc.returncode else set()
        for name, original in names.items():
            if name not in failed:  # parse errors: left to black, which reports them
                cache.put(original, (folder / name).read_text(encoding="utf-8"))
