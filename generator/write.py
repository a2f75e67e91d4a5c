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


def _scan(out: Path) -> dict[str, os.DirEntry[str]]:
    """Every output file under `out` by relative posix path (no __pycache__, *.egg-info or
    marker), found with scandir: the entries carry their stat, so no per-file lookups."""
    found: dict[str, os.DirEntry[str]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as it:
            for e in it:
                if e.is_dir():
                    if e.name != "__pycache__" and not e.name.endswith(".egg-info"):
                        walk(e.path, prefix + e.name + "/")
                elif e.is_file() and e.name != MARKER:
                    found[prefix + e.name] = e

    if out.is_dir():
        walk(str(out), "")
    return found


def read_tree(out: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for rel, entry in sorted(_scan(out).items()):
        with open(entry.path, "rb") as fh:
            files[rel] = fh.read()
    return files


def stale_files(files: dict[str, str], out: Path) -> list[str]:
    """Paths that differ between the expected output and what is on disk. A size that
    differs settles it from the stat; the bytes are read only when the sizes agree."""
    on_disk = _scan(out)
    stale = []
    for rel in sorted(set(files) | set(on_disk)):
        entry, text = on_disk.get(rel), files.get(rel)
        if entry is None or text is None:
            stale.append(rel)
            continue
        data = text.encode("utf-8")
        if entry.stat().st_size != len(data):
            stale.append(rel)
            continue
        with open(entry.path, "rb") as fh:
            if fh.read() != data:
                stale.append(rel)
    return stale
