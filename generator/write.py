"""Stage 7: write. The whole output folder is replaced atomically: files go to a sibling
temporary folder which is then swapped in, so a failed run leaves the previous output
untouched and a reader never sees a half-written package."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".sdkgen"  # present in every folder sdkgen owns; we never replace a folder without it


class WriteError(Exception):
    pass


def owned(out: Path) -> bool:
    return not out.exists() or (out / MARKER).exists() or (out.is_dir() and not any(out.iterdir()))


def write_tree(files: dict[str, str], out: Path, marker_text: str) -> None:
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out}: exists and is not a folder")
    if not owned(out):
        raise WriteError(
            f"{out}: refusing to replace a non-empty folder that sdkgen did not create "
            f"(no {MARKER} file in it); choose an empty or new --out folder")
    if out.is_dir() and (out / MARKER).exists() and not stale_files(files, out) and (
            out / MARKER).read_text(encoding="utf-8") == marker_text:
        return  # unchanged: nothing to replace (and no slow delete of thousands of files)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        for rel, text in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        (tmp / MARKER).write_text(marker_text, encoding="utf-8")
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old.{os.getpid()}"
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_tree(out: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not out.is_dir():
        return files
    for p in sorted(out.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.name != MARKER and not any(
                part.endswith(".egg-info") for part in p.parts):
            files[p.relative_to(out).as_posix()] = p.read_bytes()
    return files


def stale_files(files: dict[str, str], out: Path) -> list[str]:
    """Paths that differ between the expected output and what is on disk."""
    on_disk = read_tree(out)
    expected = {k: v.encode("utf-8") for k, v in files.items()}
    stale = [k for k in sorted(set(expected) | set(on_disk)) if expected.get(k) != on_disk.get(k)]
    return stale
