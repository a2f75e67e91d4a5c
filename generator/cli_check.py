"""`sdkgen check` (regenerate in memory, compare with the SDK folders, the breaking-change
gate) and `sdkgen edits` (the hand edits of SDK folders)."""

from __future__ import annotations

import argparse
import difflib
import functools
import shlex
import sys
from pathlib import Path

from .cli_jobs import config_file, jobs, shown
from .config import load_targets
from .diagnostics import Report, SpecError
from .transaction import WriteError
from .write import edits

DIFF_LINES = 400  # `check --diff` prints at most this many diff lines in all


def regenerate_command(args: argparse.Namespace) -> str:
    """The `sdkgen generate` that rewrites what `check` was given."""
    words = ["sdkgen", "generate"]
    if args.spec:
        words += ["--spec", args.spec]
        if args.config:
            words += ["--config", args.config]
        if args.name:
            words += ["--name", args.name]
        for o in args.overlay:
            words += ["--overlay", o]
        words += ["--out", args.out]
    elif args.targets:
        words += ["--targets", args.targets]
    return shlex.join(words)


def _breaking_gate(name: str, out: Path, mode: str) -> bool:
    """`check --breaking`: False when the SDK's lock records breaking changes that its
    version does not announce (and mode is fail)."""
    from .lock import read_lock, unannounced

    if mode == "allow":
        return True
    entry, breaking = unannounced(read_lock(out))
    if not breaking or entry is None:
        return True
    label = "error" if mode == "fail" else "warning"
    print(f"sdkgen check: {label}: {name}: version {entry['version']} does not announce "
          f"{len(breaking)} breaking change(s) since {entry['previous']} (needs a major "
          "bump, or a minor one before 1.0.0):", file=sys.stderr)
    for c in breaking:
        print(f"  {c['path']}: {c['message']}", file=sys.stderr)
    return mode != "fail"


def _diff(expected: str | None, out: Path, rel: str) -> list[str]:
    try:
        on_disk = (out / rel).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        on_disk = None
    a = on_disk.splitlines(keepends=True) if on_disk is not None else []
    b = expected.splitlines(keepends=True) if expected is not None else []
    lines = list(difflib.unified_diff(
        a, b, fromfile=f"{shown(out / rel)} (on disk)" if on_disk is not None else "/dev/null",
        tofile=f"{shown(out / rel)} (generated)" if expected is not None else "/dev/null"))
    return [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines]


def cmd_check(args: argparse.Namespace) -> int:
    from .lock import finish
    from .pipeline import generate
    from .write import check_tree

    stale_total = missing = conflict_total = 0
    gate_failed = False
    budget = DIFF_LINES
    cut_lines = cut_files = 0
    for job in jobs(args):
        if not job.out.is_dir():
            print(f"{job.name}: {shown(job.out)} not generated yet")
            missing += 1
            continue
        try:
            # over the SDK's lock: the expected version, lock and CHANGELOG (generator/lock.py)
            result, _ = finish(job.cfg, job.out, functools.partial(
                generate, job.path, overlays=job.overlays, local_refs=not job.remote,
                allow_ref_outside=args.allow_ref_outside))
            res = check_tree(result.files, job.out)
        except SpecError as exc:
            print(Report(job.relabel(exc.diagnostics)).render(), file=sys.stderr)
            print(f"sdkgen check: {job.name}: the spec cannot be generated", file=sys.stderr)
            return 2
        stale = res.stale
        for rel in stale:
            print(f"stale: {shown(job.out / rel)}")
        for where in res.conflicts:  # file:line of each conflict block left by a merge
            print(f"conflict: {shown(job.out)}/{where}: unresolved conflict markers")
        if args.diff:
            for rel in stale:
                diff = _diff(result.files.get(rel), job.out, rel)
                if len(diff) <= budget:
                    sys.stdout.write("".join(diff))
                    budget -= len(diff)
                else:
                    sys.stdout.write("".join(diff[:budget]))
                    cut_lines += len(diff) - budget
                    cut_files += 1
                    budget = 0
        if res.interrupted:
            print(f"interrupted: {shown(job.out)}: a `sdkgen generate` was killed while "
                  "writing; the next `sdkgen generate` rolls it back first")
            stale_total += 1
        stale_total += len(stale)
        conflict_total += len(res.conflicts)
        if res.fresh:
            edited = (f", {len(res.edited)} file(s) with hand edits (`sdkgen edits`)"
                      if res.edited else "")
            print(f"{job.name}: up to date ({shown(job.out)}){edited}")
        if not _breaking_gate(job.name, job.out, getattr(args, "breaking", "allow")):
            gate_failed = True
    if cut_lines:
        print(f"... diff cut at {DIFF_LINES} lines: {cut_lines} more line(s) in {cut_files} "
              "file(s) not shown")
    if stale_total or missing:
        what = []
        if stale_total:
            what.append(f"{stale_total} file(s) differ from what the specs produce")
        if missing:
            what.append(f"{missing} SDK folder(s) not generated yet")
        print(f"sdkgen check: {'; '.join(what)}; run `{regenerate_command(args)}`"
              + ("" if args.diff else " (or `sdkgen check --diff` to see the changes)"),
              file=sys.stderr)
    if conflict_total:
        print(f"sdkgen check: {conflict_total} conflict(s) left by a regeneration; resolve "
              "each <<<<<<< ... >>>>>>> block (keep what you want, delete the markers)",
              file=sys.stderr)
    return 1 if stale_total or missing or conflict_total or gate_failed else 0


def cmd_edits(args: argparse.Namespace) -> int:
    """Print the hand edits of SDK folders as unified diffs against the pristine output."""
    outs = [Path(args.out)] if args.out else [t.out for t in load_targets(config_file(args))]
    total = 0
    for out in outs:
        try:
            found = edits(out)
        except WriteError as exc:
            print(f"sdkgen: {exc}", file=sys.stderr)
            return 2
        for _, diff in found:
            sys.stdout.write(diff)
        total += len(found)
        if args.stat or not found:
            print(f"{out}: {len(found)} file(s) edited by hand", file=sys.stderr)
    return 0
