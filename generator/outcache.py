"""The whole-output cache: a second run on an unchanged spec reads the rendered and
formatted files (and the diagnostics) back instead of running the pipeline.

One entry per *slot*: (working folder, root spec path, TargetConfig, strict, the paths
of any extra input files such as overlays, the formatter choice). The entry records what
the output was computed from, and is used only when all of it still holds:

* the generator's fingerprint: the bytes of every generator/**/*.py and
  every file under templates/, the sdkgen version, and the versions of the libraries
  that decide the output's bytes or the diagnostics (black, ruff, pydantic, jinja2,
  PyYAML, the OpenAPI validators and jsonschema-rs, Python);
* the SHA-256 of every document the run loaded (root spec, every file reached through a
  `$ref`) and of every extra input file, and the absence of every referenced file that
  did not exist.

So checking an entry costs hashing a few megabytes, no YAML parsing. A new spec version
overwrites its slot's entry (the cache does not grow with every edit). Entries are one
file each: a small marshal'ed header (what to check) followed by the zlib-compressed
marshal'ed payload (files + diagnostics), written atomically (temp file + rename).
Only successful runs are stored; anything unreadable is a miss.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import __version__
from .cache import cache_root, digest
from .config import TargetConfig
from .diagnostics import Diagnostic

FORMAT = b"sdkgen-out-2\n"
_LEN = struct.Struct("<I")
_PACKAGES = ("black", "ruff", "pydantic", "jinja2", "PyYAML", "openapi-spec-validator",
             "openapi-schema-validator", "jsonschema-rs")


def _file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in _PACKAGES:
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return out


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """Changes whenever anything that decides the output's bytes may have changed.
    Computed once per process (~30 ms)."""
    from .render import templates_dir

    return fingerprint_of(Path(__file__).resolve().parent, templates_dir())


def fingerprint_of(package: Path, templates: Path) -> str:
    files = [(p.relative_to(package).as_posix(), p) for p in sorted(package.rglob("*.py"))
             if "__pycache__" not in p.parts]  # (generator/*.py, render/, parse/...)
    files += [("templates/" + p.relative_to(templates).as_posix(), p)
              for p in sorted(templates.rglob("*"))
              if p.is_file() and "__pycache__" not in p.parts]
    h = hashlib.sha256()
    for part in [FORMAT.decode(), __version__, sys.version.split()[0], *_versions()]:
        h.update(part.encode() + b"\0")
    for name, p in files:
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@dataclass
class Inputs:
    """What one run read: documents with their hashes, referenced files that were absent."""

    files: dict[str, str] = field(default_factory=dict)  # resolved path -> sha256
    missing: list[str] = field(default_factory=list)


@dataclass
class Entry:
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    operations: int


class OutputCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    @classmethod
    def default(cls) -> "OutputCache":
        root = cache_root()
        return cls(root / "output" if root is not None else None)

    def slot(self, spec_path: Path, cfg: TargetConfig, strict: bool,
             extra_inputs: Sequence[Path] = ()) -> str:
        return digest("output-slot-1", os.getcwd(), str(spec_path.resolve()), repr(cfg),
                      str(bool(strict)), os.environ.get("SDKGEN_FORMATTER", "").lower(),
                      *(str(Path(p).resolve()) for p in extra_inputs))

    def _path(self, slot: str) -> Path | None:
        return self.folder / slot[:2] / slot if self.folder is not None else None

    def get(self, slot: str) -> Entry | None:
        path = self._path(slot)
        if path is None:
            return None
        try:
            with open(path, "rb") as fh:
                if fh.read(len(FORMAT)) != FORMAT:
                    return None
                (n,) = _LEN.unpack(fh.read(_LEN.size))
                header = marshal.loads(fh.read(n))
                if header.get("fingerprint") != generator_fingerprint():
                    return None
                if not _inputs_unchanged(header):
                    return None
                payload = marshal.loads(zlib.decompress(fh.read()))
            files = payload["files"]
            diagnostics = [Diagnostic(*row) for row in payload["diagnostics"]]
            return Entry(files, diagnostics, int(payload["operations"]))
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError,
                struct.error, zlib.error):
            return None

    def put(self, slot: str, inputs: Inputs, entry: Entry) -> None:
        path = self._path(slot)
        if path is None:
            return
        header = {"fingerprint": generator_fingerprint(), "files": dict(inputs.files),
                  "missing": list(inputs.missing)}
        payload = {"files": dict(entry.files),
                   "diagnostics": [list(d.row()) for d in entry.diagnostics],
                   "operations": entry.operations}
        try:
            head = marshal.dumps(header)
            body = zlib.compress(marshal.dumps(payload), 1)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(FORMAT + _LEN.pack(len(head)) + head + body)
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written is just a slower next run


def _inputs_unchanged(header: dict[str, Any]) -> bool:
    for name, sha in header["files"].items():
        if _file_sha(Path(name)) != sha:
            return False
    return not any(os.path.exists(name) for name in header["missing"])


def file_hashes(paths: Sequence[Path]) -> dict[str, str] | None:
    """SHA-256 of each file by resolved path (None if one cannot be read: do not cache).
    Extra inputs (overlays) are hashed *before* the run reads them, so a file edited
    during the run makes the next run miss rather than reuse output from older bytes."""
    out = {}
    for p in paths:
        name = str(Path(p).resolve())
        sha = _file_sha(Path(name))
        if sha is None:
            return None
        out[name] = sha
    return out


def inputs_of(documents: dict[Path, str], missing: Iterable[Path],
              extra: dict[str, str] | None = None) -> Inputs:
    """What a run read: every loaded document with the hash of the bytes the loader read,
    the extra inputs hashed before the run, the referenced files that were absent."""
    files = {str(p): sha for p, sha in documents.items()}
    files.update(extra or {})
    return Inputs(files, sorted({str(Path(p).resolve()) for p in missing}))
