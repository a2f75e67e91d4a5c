"""Stage 7: write. Regeneration keeps what is not ours and carries hand edits.

The SDK folder's `.sdkgen/` (generator/sdkdir.py) records what the last run wrote and the
pristine generated content. For every generated file:

* not on disk: created; on disk and unedited (same as the last pristine): replaced;
* edited by the user: three-way merge (base = last pristine, ours = the file on disk,
  theirs = the new pristine, both sides already formatted); where both changed the same
  lines, git-style conflict markers labelled with the spec of each side, listed as
  `file:line` (the rest of the tree is written all the same);
* deleted by the user: stays deleted, unless the new generation changes it (then it is
  written again and reported);
* no longer generated: removed when unedited; an edited one carries its edits to the file
  it was renamed to when the evidence is clear (generator/merge.py), else it is moved to
  `sdkgen-dropped/` and reported.

Files sdkgen did not write, build products and `.genignore` paths are never touched.
`force` overwrites every generated file with the new pristine content after saving the
edits it discards as `sdkgen-edits-N.patch`.

The write is transactional (generator/transaction.py): everything is computed here first,
then staged and applied all together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .merge import match_renames, merge_text, unified
from .sdkdir import (
    MANIFEST,
    PRISTINE,
    SDKDIR,
    TXN,
    Ignore,
    SpecInfo,
    State,
    StateError,
    conflict_lines,
    manifest_bytes,
    pristine_bytes,
    read_bytes,
    read_state,
    scan,
    sha256,
)
from .transaction import WriteError, apply_writes, locked, recover, step

DROPPED = "sdkgen-dropped"
# sdkgen's own state in the SDK folder (generator/lock.py LOCK): written even when the user
# deleted it (deleting the lock starts a new history; it must not stop versioning)
ALWAYS_WRITTEN = frozenset({"sdkgen.lock"})


@dataclass
class Outcome:
    """What a write did, for the run's report."""

    out: Path
    changed: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # hand edits carried onto new content
    kept_edits: list[str] = field(default_factory=list)  # edited; generation unchanged
    conflicts: list[str] = field(default_factory=list)  # "path:line"
    deleted_kept: list[str] = field(default_factory=list)  # user-deleted, still deleted
    restored: list[str] = field(default_factory=list)  # user-deleted, changed: written again
    renamed: list[tuple[str, str]] = field(default_factory=list)
    dropped_saved: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # generated, but in .genignore
    legacy_kept: list[str] = field(default_factory=list)  # old-marker tree, not produced now
    patch: str | None = None  # the --force / migration patch, relative to out

    def notes(self) -> list[str]:
        """One line per thing the user should know (conflicts come separately)."""
        lines = []
        if self.merged:
            lines.append(f"carried hand edits in {len(self.merged)} file(s): "
                         + _some(self.merged))
        for old, new in self.renamed:
            lines.append(f"{old} -> {new}: generated file renamed; your edits moved with it")
        for old, saved in self.dropped_saved:
            lines.append(f"{old}: no longer generated; your edited copy is kept as {saved}")
        for rel in self.restored:
            lines.append(f"{rel}: you deleted it, but the new generation changes it: "
                         "written again (list it in .genignore to keep it away)")
        if self.deleted_kept:
            lines.append(f"{len(self.deleted_kept)} generated file(s) you deleted stay "
                         "deleted: " + _some(self.deleted_kept))
        if self.ignored:
            lines.append(f"{len(self.ignored)} generated file(s) left alone (.genignore): "
                         + _some(self.ignored))
        if self.legacy_kept:
            lines.append(f"{len(self.legacy_kept)} file(s) this generation does not produce "
                         "were kept (the old .sdkgen marker did not say who wrote them; "
                         "delete any that are leftovers): " + _some(self.legacy_kept))
        if self.patch:
            lines.append(f"edits that were overwritten are saved in {self.out / self.patch} "
                         f"(to re-apply: {_apply_hint(self.out, self.patch)})")
        return lines


def _apply_hint(out: Path, patch: str) -> str:
    """How to apply a patch whose paths are relative to the SDK folder: `git apply` takes
    them relative to the repository's top, so a folder below it needs --directory."""
    for top in (out, *out.parents):
        if (top / ".git").exists():
            if top == out:
                return f"git apply {patch} in {out}"
            rel = out.relative_to(top).as_posix()
            return f"git apply --directory={rel} {rel}/{patch} in {top}"
    return f"patch -p1 < {patch} in {out}"


def _some(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _lf(disk: str, generated: str) -> str:
    """The file's text with CRLF line ends turned to LF when the generated text has none
    (a checkout with git's autocrlf is not an edit)."""
    return disk.replace("\r\n", "\n") if "\r\n" in disk and "\r\n" not in generated else disk


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


@dataclass
class _Plan:
    writes: dict[str, bytes] = field(default_factory=dict)  # rel -> new bytes
    removes: list[str] = field(default_factory=list)
    record: dict[str, str] = field(default_factory=dict)  # rel -> pristine to record
    written: dict[str, str] = field(default_factory=dict)  # rel -> sha of bytes on disk
    patch: list[str] = field(default_factory=list)


def write_tree(files: dict[str, str], out: Path, spec: SpecInfo | None = None, *,
               force: bool = False) -> Outcome:
    """Write one generation into `out` (see the module docstring)."""
    out = out.resolve()
    with step("read the SDK folder"):  # (the writes themselves name their own step)
        if out.exists() and not out.is_dir():
            raise WriteError("exists and is not a folder", out)
        with locked(out):
            return _write_tree(files, out, spec, force)


def _write_tree(files: dict[str, str], out: Path, spec: SpecInfo | None,
                force: bool) -> Outcome:
    recover(out)
    try:
        state = read_state(out)
    except StateError as exc:
        if not force:
            raise WriteError(str(exc), out) from None
        state = State(folder=out)
    spec = spec or SpecInfo()
    ignore = Ignore(out)
    outcome = Outcome(out)
    try:
        base = state.pristine()
    except StateError as exc:
        if not force:
            raise WriteError(str(exc), out) from None
        base = {}
    adopting = not state.exists and out.is_dir() and any(out.iterdir())
    if adopting and not force:
        _refuse_collisions(files, out, ignore)
    plan = _Plan()
    before = state.spec.label() if state.spec.sha256 else "the last generation"
    labels = (f"your edits (on {before})", f"generated from {spec.label()}")
    dropped_edited: dict[str, str] = {}
    for rel in sorted(files):
        if ignore.user(rel):
            outcome.ignored.append(rel)
            continue
        _plan_file(rel, files[rel], base.get(rel), state, out, force, labels, plan, outcome)
    for rel in sorted(set(base) - set(files)):
        if ignore.user(rel):
            continue
        disk = read_bytes(out / rel)
        if disk is None:
            continue
        if _lf(_text(disk), base[rel]) == base[rel]:
            plan.removes.append(rel)
            outcome.removed.append(rel)
        elif force:
            plan.patch.append(unified(rel, base[rel], _text(disk)))
            plan.removes.append(rel)
            outcome.removed.append(rel)
        else:
            dropped_edited[rel] = _lf(_text(disk), base[rel])
    if dropped_edited:
        _carry_dropped(dropped_edited, base, files, out, labels, plan, outcome)
    if state.legacy:
        plan.removes.append(SDKDIR)  # the old marker file becomes the .sdkgen/ folder
        generated = set(files)
        outcome.legacy_kept = sorted(r for r in scan(out, ignore) if r not in generated)
    if plan.patch:
        name = _free_patch_name(out)
        plan.writes[name] = "".join(plan.patch).encode("utf-8")
        outcome.patch = name
    manifest = manifest_bytes(plan.written, plan.record, spec, f"sdkgen {__version__}",
                              list(outcome.conflicts))
    plan.writes[f"{SDKDIR}/{MANIFEST}"] = manifest
    if not (read_bytes(out / SDKDIR / MANIFEST) == manifest and state.pristine_sha
            and (out / SDKDIR / PRISTINE).is_file()):
        # the manifest lists every pristine file's hash: while it is unchanged, so is the
        # store (whose compression is the slow part of a no-op run)
        plan.writes[f"{SDKDIR}/{PRISTINE}"] = pristine_bytes(plan.record)
    # drop writes that change nothing (e.g. the pristine store of an unchanged generation)
    for rel in list(plan.writes):
        if read_bytes(out / rel) == plan.writes[rel]:
            del plan.writes[rel]
    if not plan.writes and not plan.removes:
        return outcome
    apply_writes(out, plan.writes, plan.removes, legacy=state.legacy)
    outcome.changed = True
    return outcome


def _refuse_collisions(files: dict[str, str], out: Path, ignore: Ignore) -> None:
    """A folder sdkgen never wrote to: generating there must not overwrite anything."""
    clash = []
    for rel in sorted(files):
        if ignore.user(rel) or _is_gitignore(rel):
            continue
        disk = read_bytes(out / rel)
        if disk is not None and _text(disk) != files[rel]:
            clash.append(rel)
        elif disk is None and (out / rel).exists():
            clash.append(rel + "/")  # a folder where a file goes
    if clash:
        raise WriteError(
            f"refusing to overwrite {len(clash)} file(s) in a folder sdkgen did not generate "
            f"(no {SDKDIR}/ in it): {_some(clash)}; choose an empty or new --out folder, list "
            "them in .genignore to keep yours, or use --force to overwrite them (their "
            "current content is saved as a patch first)", out)


def _is_gitignore(rel: str) -> bool:
    return rel.rsplit("/", 1)[-1] == ".gitignore"


def _gitignore_union(mine: str, generated: str) -> str:
    """A `.gitignore` the user wrote before sdkgen generated one: theirs, plus our lines."""
    have = {line.strip() for line in mine.splitlines()}
    extra = [line for line in generated.splitlines() if line.strip() not in have]
    if not extra:
        return mine
    sep = "" if not mine or mine.endswith("\n") else "\n"
    return mine + sep + "\n".join(["", "# added by sdkgen", *[x for x in extra if x]]) + "\n"


def _plan_file(rel: str, new: str, old: str | None, state: State, out: Path, force: bool,
               labels: tuple[str, str], plan: _Plan, outcome: Outcome) -> None:
    disk_bytes = read_bytes(out / rel)
    plan.record[rel] = new

    crlf = False

    def put(text: str, bucket: list[str]) -> None:
        data = _encode(text.replace("\n", "\r\n") if crlf else text)
        plan.writes[rel] = data
        plan.written[rel] = sha256(data)
        bucket.append(rel)

    if disk_bytes is None:
        if old is None or rel in ALWAYS_WRITTEN:
            put(new, outcome.created)
        elif force:  # the user's deletion is an edit too: in the patch
            plan.patch.append(unified(rel, old, None))
            put(new, outcome.updated)
        elif old == new:
            outcome.deleted_kept.append(rel)
            plan.written[rel] = state.written.get(rel, sha256(new))
        else:
            put(new, outcome.restored)
        return
    raw = _text(disk_bytes)
    disk = _lf(raw, new)
    # checked out with CRLF line ends (git's autocrlf on Windows): merged on LF lines,
    # written back with CRLF
    crlf = disk != raw
    if disk == new:
        plan.written[rel] = sha256(disk_bytes)
        return
    if force:
        plan.patch.append(unified(rel, old if old is not None else new, disk))
        crlf = False  # the generated bytes, exactly
        put(new, outcome.updated)
        return
    if old is None:
        if _is_gitignore(rel):
            put(_gitignore_union(disk, new), outcome.merged)
        elif state.legacy or not state.exists:
            # the old marker tree was all sdkgen's, but with no record of what it wrote an
            # edit cannot be told from an older generation: overwrite, keep it as a patch
            plan.patch.append(unified(rel, new, disk))
            put(new, outcome.updated)
        else:
            # a file of the user's where the generation now puts one: add/add conflict
            _merge_into(rel, "", disk, new, labels, plan, outcome, crlf=crlf, added=True)
        return
    if disk == old:
        put(new, outcome.updated)
        return
    if old == new:
        outcome.kept_edits.append(rel)
        plan.written[rel] = sha256(disk_bytes)
        lines = conflict_lines(disk_bytes)
        outcome.conflicts.extend(f"{rel}:{n}" for n in lines)
        return
    left = conflict_lines(disk_bytes)
    if left:
        # unresolved markers from an earlier run: merging again would nest them; keep the
        # file and its base as they are until the user resolves it
        plan.record[rel] = old
        plan.written[rel] = sha256(disk_bytes)
        outcome.conflicts.extend(f"{rel}:{n}" for n in left)
        return
    _merge_into(rel, old, disk, new, labels, plan, outcome, crlf=crlf)


def _merge_into(rel: str, base: str, ours: str, theirs: str, labels: tuple[str, str],
                plan: _Plan, outcome: Outcome, target: str | None = None,
                crlf: bool = False, added: bool = False) -> None:
    target = target or rel
    merged = merge_text(base, ours, theirs, *labels, keep_both_insertions=not added)
    data = _encode(merged.text.replace("\n", "\r\n") if crlf else merged.text)
    plan.writes[target] = data
    plan.written[target] = sha256(data)
    outcome.merged.append(target)
    outcome.conflicts.extend(f"{target}:{n}" for n in merged.conflicts)


def _carry_dropped(edited: dict[str, str], base: dict[str, str], files: dict[str, str],
                   out: Path, labels: tuple[str, str], plan: _Plan, outcome: Outcome) -> None:
    """Edited files the new generation no longer produces: follow a clear rename, else
    keep the user's copy under sdkgen-dropped/."""
    added = {rel: files[rel] for rel in files
             if rel not in base and rel in plan.writes and rel in outcome.created}
    renames = match_renames({rel: base[rel] for rel in edited}, added)
    for rel, disk in sorted(edited.items()):
        plan.removes.append(rel)
        target = renames.get(rel)
        if target is not None:
            outcome.created.remove(target)
            _merge_into(rel, base[rel], disk, files[target], labels, plan, outcome, target)
            outcome.merged.remove(target)
            outcome.renamed.append((rel, target))
            continue
        saved = f"{DROPPED}/{rel}"
        n = 1
        while (out / saved).exists() or saved in plan.writes:
            n += 1
            saved = f"{DROPPED}/{rel}.{n}"
        plan.writes[saved] = _encode(disk)
        outcome.dropped_saved.append((rel, saved))


def _free_patch_name(out: Path) -> str:
    n = 1
    while (out / f"sdkgen-edits-{n}.patch").exists():
        n += 1
    return f"sdkgen-edits-{n}.patch"


# --- check ----------------------------------------------------------------------------

@dataclass
class CheckResult:
    stale: list[str] = field(default_factory=list)  # generation differs from the last one
    conflicts: list[str] = field(default_factory=list)  # "path:line" markers left
    edited: list[str] = field(default_factory=list)  # hand edits (fresh)
    deleted: list[str] = field(default_factory=list)  # generated files the user deleted
    interrupted: bool = False  # a killed write left its transaction (the next run undoes it)

    @property
    def fresh(self) -> bool:
        return not self.stale and not self.conflicts and not self.interrupted


def check_tree(files: dict[str, str], out: Path) -> CheckResult:
    """Compare a new generation with an SDK folder. With a `.sdkgen/` record, the
    generation is compared with what the last run generated, so hand edits are not
    staleness; conflict markers left in generated files fail. Without one (a folder from
    an older sdkgen, or not generated yet), with the bytes on disk."""
    out = out.resolve()
    res = CheckResult(interrupted=(out / TXN).is_dir())
    try:
        state = read_state(out)
    except StateError:
        state = State()
    ignore = Ignore(out)
    if not state.pristine_sha:
        res.stale = _stale_bytes(files, out, ignore)
        return res
    wanted = {rel: text for rel, text in files.items() if not ignore.user(rel)}
    for rel in sorted(set(wanted) | set(state.pristine_sha)):
        if ignore.user(rel):
            continue
        text = wanted.get(rel)
        if text is None or state.pristine_sha.get(rel) != sha256(text):
            res.stale.append(rel)
    for rel in sorted(state.pristine_sha):
        if ignore.user(rel):
            continue
        data = read_bytes(out / rel)
        if data is None:
            res.deleted.append(rel)
            continue
        if sha256(data) != state.pristine_sha[rel]:
            res.edited.append(rel)
            res.conflicts.extend(f"{rel}:{n}" for n in conflict_lines(data))
    return res


def stale_files(files: dict[str, str], out: Path) -> list[str]:
    """Generated paths that are stale in `out` (see check_tree)."""
    return check_tree(files, out).stale


def _stale_bytes(files: dict[str, str], out: Path, ignore: Ignore) -> list[str]:
    """Paths that differ between the expected output and what is on disk (every file of
    the folder is taken as generated, build products and .genignore paths aside). A size
    that differs settles it from the stat; the bytes are read only when sizes agree."""
    on_disk = scan(out, ignore)
    stale = []
    for rel in sorted(set(files) | set(on_disk)):
        if ignore.user(rel):
            continue
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


def edits(out: Path) -> list[tuple[str, str]]:
    """(path, unified diff) of every hand edit in an SDK folder relative to the pristine
    output its `.sdkgen/` records (deleted files as deletions)."""
    out = out.resolve()
    try:
        state = read_state(out)
        base = state.pristine()
    except StateError as exc:
        raise WriteError(str(exc)) from None
    if not state.pristine_sha:
        raise WriteError(f"{out}: no {SDKDIR}/{MANIFEST} (not generated by this sdkgen yet)")
    result = []
    for rel in sorted(base):
        data = read_bytes(out / rel)
        after = None if data is None else _text(data)
        diff = unified(rel, base[rel], after)
        if diff:
            result.append((rel, diff))
    return result
