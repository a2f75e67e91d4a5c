"""`sdkgen generate`: every job through the pipeline and into its SDK folder; what the
write did (carried edits, conflicts) and what changed since the SDK's lock."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .cli_jobs import jobs, names_line, shown
from .diagnostics import Report, SpecError
from .format import FormatError
from .sdkdir import SDKDIR
from .transaction import WriteError
from .write import Outcome


def cmd_generate(args: argparse.Namespace) -> int:
    failed = 0
    for job in jobs(args):
        start = time.perf_counter()
        first = not (job.out / SDKDIR).exists()  # also the marker file of older versions
        from .pipeline import generate_to

        try:
            result = generate_to(job.path, job.cfg, job.out, strict=args.strict,
                                 overlays=job.overlays, local_refs=not job.remote,
                                 force=args.force, allow_ref_outside=args.allow_ref_outside)
        except WriteError as exc:  # (located: the path, the operation, the OS's message)
            print(Report(exc.diagnostics).render(), file=sys.stderr)
            print(f"sdkgen: {job.name}: not written; {shown(job.out)} left unchanged",
                  file=sys.stderr)
            failed += 1
            continue
        except SpecError as exc:
            print(Report(job.relabel(exc.diagnostics)).render(), file=sys.stderr)
            print(f"sdkgen: {job.name}: not generated; {shown(job.out)} left unchanged",
                  file=sys.stderr)
            failed += 1
            continue
        except FormatError as exc:
            print(f"sdkgen: {job.name}: {exc}; {shown(job.out)} left unchanged", file=sys.stderr)
            failed += 1
            continue
        if result.report.items and not args.quiet:
            print(Report(job.relabel(result.report.items)).render(limit_per_code=args.show),
                  file=sys.stderr)
        print(f"{job.name}: {len(result.files)} files, {_count_ops(result)} operations -> "
              f"{shown(job.out)} ({time.perf_counter() - start:.2f}s, "
              f"{len(result.report.warnings)} warnings)")
        if first:
            print(names_line(job.cfg))
        _print_versioning(job.name, result.versioning)
        failed += _report_write(job.name, shown(job.out), result.written)
    return 1 if failed else 0


def _report_write(name: str, out: Path, written: Outcome | None) -> int:
    """Hand edits carried, files kept, conflicts (as file:line, exit 1): generator/write.py."""
    if written is None:
        return 0
    for note in written.notes():
        print(f"{name}: {note}")
    if not written.conflicts:
        return 0
    for where in written.conflicts:
        print(f"{out / where}: conflict: your edit and the new generation change the same "
              "lines", file=sys.stderr)
    print(f"sdkgen: {name}: {len(written.conflicts)} conflict(s); the rest of {out} is "
          "written. Resolve each <<<<<<< ... >>>>>>> block like a git merge conflict (keep "
          "what you want, delete the markers); `sdkgen check` fails until then",
          file=sys.stderr)
    return 1


def _print_versioning(name: str, versioning: object) -> None:
    """What changed in the SDK since its lock (generator/lock.py), after `generate`."""
    from .change_report import summary
    from .change_rules import BREAKING

    report = getattr(versioning, "report", None)
    if report is None or not report.changes:
        return
    from .lock import announces

    old, new = versioning.old_version, versioning.version  # type: ignore[attr-defined]
    moved = f"version {old} -> {new}" if new != old else f"version stays {new}"
    print(f"{name}: API changes since {old}: {summary(report)}; {moved} (see CHANGELOG.md)")
    for c in report.changes:
        if c.severity == BREAKING:
            print(f"  breaking: {c.message}")
    if report.breaking and not announces(old, new, "major"):
        print(f"sdkgen: warning: {name}: version {new} does not announce these breaking "
              "changes; `sdkgen check --breaking fail` will refuse them until the version is "
              "bumped", file=sys.stderr)


def _count_ops(result) -> int:  # type: ignore[no-untyped-def]
    if result.api is None:
        return int(result.operations)  # a whole-output cache hit
    total, stack = 0, [result.api.root]
    while stack:
        ns = stack.pop()
        total += len(ns.operations)
        stack.extend(ns.children)
    return total
