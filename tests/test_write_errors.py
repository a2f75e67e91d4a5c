"""Issue 9: an OSError in the write stage (file name too long, permission denied, disk full,
a path component that is a file) is a located `write` diagnostic (which file, which
operation, the OS's message), exit 1, no traceback, and nothing half-written.

Each of these was a traceback before (`FileExistsError` from `mkdir`, `OSError: [Errno 36]
File name too long` from `stat`)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sdkgen.transaction import WriteError
from sdkgen.write import write_tree

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "servers": [{"url": "https://pets.example.com"}],
    "paths": {"/pets": {"get": {
        "operationId": "listPets",
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}}}},
    "components": {"schemas": {"Pet": {"type": "object", "properties": {
        "name": {"type": "string"}}}}},
}
LONG_NAME = "a" * 300  # a package folder of 300 characters: over any file system's 255


def sdkgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sdkgen.cli", "generate", *args],
                          capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, SDKGEN_CACHE="off"))


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>",
                                             stat.S_IMODE(p.stat().st_mode))
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(SPEC))
    return path


def error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "(write: 1)" in proc.stderr and "left unchanged" in proc.stderr
    return next(x for x in proc.stderr.splitlines() if ": error: " in x)


def assert_located(proc: subprocess.CompletedProcess[str], path: str, doing: str,
                   reason: str) -> None:
    line = error_line(proc)
    assert line == f"{path}: error: #: cannot {doing}: {reason}", line


def assert_long_name(proc: subprocess.CompletedProcess[str], out: Path, doing: str) -> None:
    """The path named is the one with the 300-character component, inside the SDK folder."""
    line = error_line(proc)
    path, _, rest = line.partition(": error: ")
    assert path.startswith(f"{out}/") and f"/{LONG_NAME}" in path, line
    assert rest == f"#: cannot {doing}: File name too long", line


def test_output_folder_under_a_file(tmp_path: Path, spec: Path) -> None:
    (tmp_path / "afile").write_text("mine\n")
    proc = sdkgen(tmp_path, "--spec", str(spec), "--out", "afile/sub/sdk")
    assert_located(proc, str(tmp_path / "afile" / "sub"), "make the folder", "Not a directory")
    assert (tmp_path / "afile").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "pets.json"]


def test_folders_made_above_a_failed_first_write_are_removed(tmp_path: Path, spec: Path) -> None:
    proc = sdkgen(tmp_path, "--spec", str(spec), "--out", "new/deeper/sdk", "--name", LONG_NAME)
    assert proc.returncode == 1 and "File name too long" in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pets.json"]


def test_name_too_long_on_a_first_generation(tmp_path: Path, spec: Path) -> None:
    proc = sdkgen(tmp_path, "--spec", str(spec), "--out", "sdk", "--name", LONG_NAME)
    assert_long_name(proc, tmp_path / "sdk", "make the folder")
    # no SDK folder, and no temporary folder left beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pets.json"]


def test_name_too_long_on_a_regeneration_leaves_the_sdk_as_it_was(tmp_path: Path,
                                                                   spec: Path) -> None:
    assert sdkgen(tmp_path, "--spec", str(spec), "--out", "sdk").returncode == 0
    before = snapshot(tmp_path / "sdk")
    proc = sdkgen(tmp_path, "--spec", str(spec), "--out", "sdk", "--name", LONG_NAME)
    assert_long_name(proc, tmp_path / "sdk", "read the SDK folder")
    assert snapshot(tmp_path / "sdk") == before


def test_disk_full_while_staging_rolls_back(tmp_path: Path, spec: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "sdk"
    write_tree({"a.py": "a = 1\n", "pkg/b.py": "b = 1\n"}, out)
    before = snapshot(out)
    real_open = open

    def full_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "w" in mode and ".sdkgen-txn" in str(file) and str(file).endswith("/new/1"):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_open)
    with pytest.raises(WriteError) as failed:
        write_tree({"a.py": "a = 2\n", "pkg/b.py": "b = 2\n", "c.py": "c = 2\n"}, out)
    monkeypatch.undo()
    (diag,) = failed.value.diagnostics
    # the file whose new content could not be staged, named where it goes
    assert (diag.file, diag.message) == (
        str(out.resolve() / "c.py"),
        "cannot stage the new content of the file: No space left on device")
    assert snapshot(out) == before  # no .sdkgen-txn/ left, nothing replaced


def test_no_temporary_folder_can_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent folder is read-only (simulated: the tests may run as root, whom a mode
    does not stop; see the next test for the real thing)."""

    def refused(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(WriteError) as failed:
        write_tree({"a.py": "a = 1\n"}, tmp_path / "sdk")
    (diag,) = failed.value.diagnostics
    assert (diag.file, diag.message) == (
        str((tmp_path / "sdk").resolve()),
        "cannot make the temporary folder beside it: Permission denied")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="file modes do not stop root")
def test_read_only_output_folder(tmp_path: Path, spec: Path) -> None:
    assert sdkgen(tmp_path, "--spec", str(spec), "--out", "sdk").returncode == 0
    before = snapshot(tmp_path / "sdk")
    os.chmod(tmp_path / "sdk", 0o555)
    try:
        proc = sdkgen(tmp_path, "--spec", str(spec), "--out", "sdk", "--name", "other-name")
    finally:
        os.chmod(tmp_path / "sdk", 0o755)
    assert_located(proc, str(tmp_path / "sdk" / ".sdkgen-txn"), "make the transaction folder",
                   "Permission denied")
    assert snapshot(tmp_path / "sdk") == before
