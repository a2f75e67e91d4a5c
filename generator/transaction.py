"""The write stage's transaction: a generation's file writes and removals applied to an SDK
folder all together or not at all.

Everything is staged first (`.sdkgen-txn/` in the SDK folder: the new bytes, hard-linked
backups of what is replaced or removed, and a journal), then applied; an exception rolls
back, and a run killed half-way is rolled back by the next run (`recover`) before it starts.
A first generation is built in a sibling folder and renamed into place in one step. Files are
created 0666 and folders 0777 less the umask (0644/0755 by default). What to write is decided
by generator/write.py.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .diagnostics import ERROR, Code, Diagnostic, SpecError
from .sdkdir import SDKDIR, TXN


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One write at a time per SDK folder (a second run waits): a run that found another
    one's transaction would otherwise roll it back under its feet."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        yield
        return
    if not out.is_dir():
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


class WriteError(SpecError):
    """The SDK folder cannot be written as asked: one located `write` diagnostic (the path,
    what was being done, the OS's own message). Raised before anything is touched, or after
    the transaction was rolled back: the folder is as it was."""

    def __init__(self, message: str, path: Path | str = ""):
        # (the pointer "#": the place is the file; every error line keeps one format)
        super().__init__([Diagnostic(ERROR, "#", message, file=str(path), code=Code.WRITE)])
        self.message = message

    def __str__(self) -> str:
        return f"{self.diagnostics[0].file}: {self.message}" if self.diagnostics[0].file else (
            self.message)

    @classmethod
    def from_os(cls, doing: str, path: Path | str, exc: OSError) -> WriteError:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return cls(f"cannot {doing}: {reason}", path)


@contextmanager
def step(doing: str, path: Path | str | None = None) -> Iterator[None]:
    """An OSError inside (file name too long, permission denied, disk full, a path component
    that is a file...) becomes a WriteError naming `path` (else the OSError's own file) and
    what was being done."""
    try:
        yield
    except OSError as exc:
        where = path if path is not None else (exc.filename or "")
        raise WriteError.from_os(doing, os.fsdecode(where), exc) from exc


def apply_writes(out: Path, writes: dict[str, bytes], removes: list[str], legacy: bool) -> None:
    if not out.exists():
        _fresh(out, writes)
        return
    txn = out / TXN
    journal: dict[str, list[list[Any]]] = {"writes": [], "removes": [], "dirs": []}
    try:
        if legacy:
            with step("change the folder's mode", out):
                os.chmod(out, 0o777 & ~_umask())  # old sdkgen made it 0700 (mkdtemp)
        shutil.rmtree(txn, ignore_errors=True)
        with step("make the transaction folder", txn):
            (txn / "new").mkdir(parents=True)
            (txn / "old").mkdir()
        # the record last: until the files are in, it still describes the previous tree
        order = sorted(writes, key=lambda rel: (rel.startswith(SDKDIR + "/"), rel))
        for i, (rel, data) in enumerate((rel, writes[rel]) for rel in order):
            with step("stage the new content of the file", out / rel), \
                    open(txn / "new" / str(i), "wb") as fh:
                fh.write(data)
            journal["writes"].append([rel, i])
        for i, rel in enumerate(removes):
            journal["removes"].append([rel, i])
        # back up everything that is replaced or removed (hard links: no copy of the bytes)
        for kind in ("writes", "removes"):
            for rel, i in journal[kind]:
                target = out / str(rel)
                with step("back up the file", target):
                    if target.is_file() or target.is_symlink():
                        _link(target, txn / "old" / f"{kind[0]}{i}")
        with step("save the transaction's journal", txn / "journal.json"):
            _save_journal(txn, journal)
    except BaseException:
        shutil.rmtree(txn, ignore_errors=True)
        raise
    try:
        for rel, _ in journal["removes"]:
            target = out / str(rel)
            with step("remove the file", target):
                if target.is_file() or target.is_symlink():
                    os.unlink(target)
        missing: set[Path] = set()
        for folder in {(out / str(rel)).parent for rel, _ in journal["writes"]}:
            with step("make the folder", folder):
                while folder != out and folder not in missing and not folder.is_dir():
                    missing.add(folder)
                    folder = folder.parent
        if missing:  # recorded before they are made: a rollback removes them again
            journal["dirs"] = [[f.relative_to(out).as_posix(), 0] for f in sorted(missing)]
            with step("save the transaction's journal", txn / "journal.json"):
                _save_journal(txn, journal)
            for f in sorted(missing):  # parents sort before their children
                with step("make the folder", f):
                    f.mkdir()
        for rel, i in journal["writes"]:
            with step("write the file", out / str(rel)):
                os.replace(txn / "new" / str(i), out / str(rel))
        with step("commit the transaction", txn / "COMMITTED"):
            (txn / "COMMITTED").write_text("")
    except BaseException as exc:
        undone = _rollback(out, txn)
        if isinstance(exc, WriteError) and not undone:
            raise WriteError(f"{exc.message}; the roll-back is incomplete (the next run of "
                             f"sdkgen finishes it from {TXN}/)", exc.diagnostics[0].file) from exc
        raise
    _finish(out, txn, [str(r) for r, _ in journal["removes"]])


def _fresh(out: Path, writes: dict[str, bytes]) -> None:
    """A first generation: built in a sibling folder, renamed into place in one step. The
    folders made above it are removed again when that fails."""
    made_above = [p for p in (out.parent, *out.parent.parents) if not os.path.lexists(p)]
    with step("make the folder", out.parent):
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp: Path | None = None
    try:
        with step("make the temporary folder beside it", out):
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
            os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0700
        made: set[Path] = {tmp}
        for rel, data in writes.items():
            target = tmp / rel
            if target.parent not in made:
                with step("make the folder", (out / rel).parent):  # named as it will be
                    target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with step("write the file", out / rel), open(target, "wb") as fh:
                fh.write(data)
        with step("move the new SDK folder into place", out):
            os.rename(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for folder in made_above:  # innermost first
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _save_journal(txn: Path, journal: dict[str, list[list[Any]]]) -> None:
    tmp = txn / "journal.json.tmp"
    tmp.write_text(json.dumps(journal), encoding="utf-8")
    os.replace(tmp, txn / "journal.json")


def _finish(out: Path, txn: Path, removed: list[str]) -> None:
    shutil.rmtree(txn, ignore_errors=True)
    for rel in removed:  # folders emptied by removing generated files
        parent = (out / rel).parent
        while parent != out:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


def _rollback(out: Path, txn: Path) -> bool:
    """Put back every file the unfinished transaction replaced, created or removed. False
    when a step failed: the transaction folder is kept, and the next run tries again."""
    try:
        journal = json.loads((txn / "journal.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(txn, ignore_errors=True)  # never got to touch the tree
        return True
    complete = True
    for rel, i in journal["writes"]:
        target, backup = out / rel, txn / "old" / f"w{i}"
        try:
            if os.path.lexists(backup):
                os.replace(backup, target)
            elif os.path.lexists(target):
                os.unlink(target)  # created by the transaction
        except OSError:
            complete = False
    for rel, _ in sorted(journal.get("dirs", []), reverse=True):
        try:
            (out / rel).rmdir()  # folders the transaction made (a file may go back there)
        except OSError:
            pass
    for rel, i in journal["removes"]:
        target, backup = out / rel, txn / "old" / f"r{i}"
        try:
            if os.path.lexists(backup) and not os.path.lexists(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(backup, target)
        except OSError:
            complete = False
    if complete:
        shutil.rmtree(txn, ignore_errors=True)
    return complete


def recover(out: Path) -> bool:
    """Finish or undo a transaction a killed run left behind; True if there was one."""
    txn = out / TXN
    if not txn.is_dir():
        return False
    if (txn / "COMMITTED").exists():
        try:
            journal = json.loads((txn / "journal.json").read_text(encoding="utf-8"))
            removed = [str(r) for r, _ in journal["removes"]]
        except (OSError, ValueError, KeyError):
            removed = []
        _finish(out, txn, removed)
    else:
        _rollback(out, txn)
    return True
