"""Stage 6: format. Generated Python (and the python blocks in the docs) is formatted in
black's style (line length 100). Results are cached by content hash, so an unchanged spec
re-formats nothing.

Black costs ~6 us per byte; a big spec renders 20-30 MB of Python (Stripe: 5,500 modules),
which is minutes of black. So the bulk goes through `ruff format` (black-compatible, in
one batch of files), after a small normalisation for the two places where the two styles
differ on our output (see `_for_ruff`); files where they could still differ go to black.
`SDKGEN_FORMATTER=black` formats everything with black (slow, the reference).

Black is the slow part even for the few files it gets (Stripe: 111 files, 7 s, 4 s of it
one 300 KB module), so a big batch is formatted by forked worker processes, one per core,
while ruff runs (`SDKGEN_FORMAT_WORKERS=off` keeps it in-process). Either way a text's
result is the same: black's, or the error black reports in-process.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import subprocess
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from concurrent.futures import Future

    import black

LINE_LENGTH = 100
# Markdown whose python blocks are formatted (llms-full.txt gathers the docs pages)
_MARKDOWN = (".md", "llms-full.txt")


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
    """Every uncached Python text is formatted up front into the cache (ruff in one batch,
    black in workers meanwhile); `format_python`/`format_markdown` then find the results
    and run black in-process only on what is left, the texts a formatter failed on (black
    then reports the error, or a doc snippet stays as written)."""
    ruff = _ruff_binary()
    for_ruff, for_black = _uncached_snippets(files, cache, ruff is not None)
    with _black_meanwhile(for_black, cache):
        if ruff is not None and for_ruff:
            _ruff_batch(for_ruff, cache, ruff)
    out = {}
    for path, text in files.items():
        if path.endswith(".py"):
            out[path] = format_python(path, text, cache)
        elif path.endswith(_MARKDOWN):
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


def _uncached_snippets(files: dict[str, str], cache: FormatCache,
                       ruff: bool) -> tuple[dict[str, str], list[str]]:
    """The Python texts (modules and doc snippets) not in the cache, each once: those ruff
    can format (original text -> text handed to ruff) and those black must format."""
    for_ruff: dict[str, str] = {}
    for_black: dict[str, None] = {}  # (a dict: ordered and without duplicates)
    for path, text in files.items():
        if path.endswith(".py"):
            snippets = [text]
        elif path.endswith(_MARKDOWN):
            snippets = [m.group(1) for m in _FENCE.finditer(text)]
        else:
            continue
        for snippet in snippets:
            if snippet in for_ruff or snippet in for_black or cache.get(snippet) is not None:
                continue
            prepared = _for_ruff(snippet) if ruff else None
            if prepared is not None:
                for_ruff[snippet] = prepared
            else:
                for_black[snippet] = None
    return for_ruff, list(for_black)


def _ruff_batch(todo: dict[str, str], cache: FormatCache, ruff: str) -> None:
    """Format the texts of `todo` (original text -> text handed to ruff) with one ruff run
    and store the results in the cache under the original texts."""
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


# ---- black in worker processes --------------------------------------------------------------

_BYTES_PER_WORKER = 50_000  # ~0.5 s of black


@contextmanager
def _black_meanwhile(texts: list[str], cache: FormatCache) -> Iterator[None]:
    """Black formats `texts` in worker processes while the block runs; the results are in
    the cache when it ends. A text black fails on is left out (the caller formats it
    in-process, which raises or keeps it exactly as before), as is every text when
    workers are not worth it: the caller then formats them all in-process."""
    workers = _black_workers(texts)
    if not workers:
        yield
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=gc.freeze)
    try:
        # longest first, so that no worker is left with a big file at the end
        ordered = sorted(texts, key=len, reverse=True)
        futures: list[Future[str | None]] = []
        try:
            futures = [pool.submit(_black_or_none, t) for t in ordered]
        except (OSError, BrokenProcessPool):
            pass  # no worker could be started: the caller formats the rest in-process
        yield
        for text, future in zip(ordered, futures):
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker died (killed?): the same
                break
            if result is not None:
                cache.put(text, result)
    finally:
        pool.shutdown(cancel_futures=True)


def _black_workers(texts: list[str]) -> int:
    """How many worker processes to format `texts` with (0: in-process)."""
    if os.environ.get("SDKGEN_FORMAT_WORKERS", "").lower() == "off" or not hasattr(os, "fork"):
        return 0
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 0  # nothing would run meanwhile
    # one per ~0.5 s of work (none for less than half of that: not worth a fork)
    return min(cpus, round(sum(len(t) for t in texts) / _BYTES_PER_WORKER))


def _black_or_none(text: str) -> str | None:
    """In a worker (whose `gc.freeze()` keeps the collector off the inherited heap)."""
    import black

    try:
        return black.format_str(text, mode=_mode())
    except Exception:  # InvalidInput or worse: the caller's in-process run reports it
        return None
