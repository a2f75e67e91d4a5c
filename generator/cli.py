"""`sdkgen` command line: generate, check, validate."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .config import TargetConfig, default_config_for, load_config, load_targets
from .diagnostics import Diagnostic, Report, SpecError
from .format import FormatError
from .load import load
from .overlay import apply_overlays
from .pipeline import check_full, generate_to
from .validate import validate
from .write import Outcome, WriteError, edits

DEFAULT_TARGETS = Path("sdkgen.yaml")


def _targets(args: argparse.Namespace) -> list[tuple[str, TargetConfig, Path, Path]]:
    if getattr(args, "spec", None):
        spec = Path(args.spec)
        notes: list[Diagnostic] = []  # a gen.yaml's ignored keys
        cfg = (load_config(Path(args.config), default_config_for(spec), notes) if args.config
               else default_config_for(spec))
        if notes:
            print(Report(notes).render(), file=sys.stderr)
        if not args.out:
            raise SystemExit("sdkgen: --out is required with --spec")
        return [(spec.name, cfg, spec, Path(args.out))]
    if getattr(args, "overlay", None):
        raise SystemExit("sdkgen: --overlay needs --spec (an overlay is written for one spec)")
    targets_file = Path(args.targets)
    if not targets_file.exists():
        raise SystemExit(f"sdkgen: {targets_file} not found (run from the project root, "
                         "or use --spec FILE --out DIR)")
    out = []
    for t in load_targets(targets_file):
        cfg, spec = t.load()
        out.append((t.name, cfg, spec, t.out))
    return out


def _overlays(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "overlay", None) or []]


def cmd_generate(args: argparse.Namespace) -> int:
    failed = 0
    for name, cfg, spec, out in _targets(args):
        start = time.perf_counter()
        try:
            result = generate_to(spec, cfg, out, strict=args.strict, overlays=_overlays(args),
                                 force=args.force)
        except SpecError as exc:
            report = Report(list(exc.diagnostics))
            print(report.render(), file=sys.stderr)
            print(f"sdkgen: {name}: not generated; {out} left unchanged", file=sys.stderr)
            failed += 1
            continue
        except (FormatError, WriteError) as exc:
            print(f"sdkgen: {name}: {exc}; {out} left unchanged", file=sys.stderr)
            failed += 1
            continue
        if result.report.items and not args.quiet:
            print(result.report.render(limit_per_code=args.show), file=sys.stderr)
        ops = _count_ops(result)
        print(f"{name}: {len(result.files)} files, {ops} operations -> {out} "
              f"({time.perf_counter() - start:.2f}s, {len(result.report.warnings)} warnings)")
        failed += _report_write(name, out, result.written)
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


def _count_ops(result) -> int:  # type: ignore[no-untyped-def]
    if result.api is None:
        return int(result.operations)  # a whole-output cache hit
    total, stack = 0, [result.api.root]
    while stack:
        ns = stack.pop()
        total += len(ns.operations)
        stack.extend(ns.children)
    return total


def cmd_check(args: argparse.Namespace) -> int:
    stale_total = conflict_total = 0
    for name, cfg, spec, out in _targets(args):
        try:
            res = check_full(spec, cfg, out, overlays=_overlays(args))
        except SpecError as exc:
            print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
            return 1
        stale = res.stale
        for path in stale:
            print(f"stale: {out / path}")
        for where in res.conflicts:  # generator/write.py: left by a merge
            print(f"conflict: {out / where}: unresolved conflict markers")
        if res.interrupted:
            print(f"interrupted: {out}: a `sdkgen generate` was killed while writing; the "
                  "next `sdkgen generate` rolls it back first")
            stale_total += 1
        stale_total += len(stale)
        conflict_total += len(res.conflicts)
        if res.fresh:
            edited = f", {len(res.edited)} file(s) with hand edits (`sdkgen edits`)" \
                if res.edited else ""
            print(f"{name}: up to date ({out}){edited}")
    if stale_total:
        print(f"sdkgen check: {stale_total} file(s) differ from what the specs produce; "
              "run `sdkgen generate`", file=sys.stderr)
    if conflict_total:
        print(f"sdkgen check: {conflict_total} conflict(s) left by a regeneration; resolve "
              "each <<<<<<< ... >>>>>>> block (keep what you want, delete the markers)",
              file=sys.stderr)
    return 1 if stale_total or conflict_total else 0


def cmd_edits(args: argparse.Namespace) -> int:
    """Print the hand edits of SDK folders as unified diffs against the pristine output."""
    if not args.out and not Path(args.targets).exists():
        raise SystemExit(f"sdkgen: {args.targets} not found (run from the project root, "
                         "or use --out DIR)")
    outs = [Path(args.out)] if args.out else [t.out for t in load_targets(Path(args.targets))]
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


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        spec = load(Path(args.file))
        diags = apply_overlays(spec, _overlays(args))
        diags += validate(spec, strict=args.strict)
        from .build import build

        try:
            _, more = build(spec)
            diags += more
        except SpecError as exc:
            diags += exc.diagnostics
    except SpecError as exc:
        diags = list(exc.diagnostics)
    report = Report(diags)
    if args.strict:
        report = Report([d if d.severity == "error" else type(d)(
            "error", d.pointer, d.message, d.file, d.line, d.code) for d in diags])
    print(report.render(limit_per_code=args.show))
    return 1 if report.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sdkgen",
        description="Generate a typed Python SDK and markdown reference docs from OpenAPI 3.x.")
    parser.add_argument("--version", action="version", version=f"sdkgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--spec", help="one spec file (instead of the targets in sdkgen.yaml)")
        p.add_argument("--config", help="target config for --spec (names, env prefix...)")
        p.add_argument("--out", help="output folder for --spec")
        p.add_argument("--targets", default=str(DEFAULT_TARGETS),
                       help="targets file (default: sdkgen.yaml)")
        overlay_option(p)

    def overlay_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--overlay", action="append", default=[], metavar="FILE",
                       help="OpenAPI Overlay 1.0 document applied to the spec before "
                            "validation (repeatable, applied in order)")

    g = sub.add_parser("generate", help="generate SDKs (all targets, or one --spec)",
                       description="Generate SDK packages and docs. Without --spec, builds every "
                                   "target listed in sdkgen.yaml into its folder.")
    common(g)
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")
    g.add_argument("--quiet", action="store_true", help="do not print warnings")
    g.add_argument("--show", type=int, default=5, help="warnings shown per category")
    g.add_argument("--force", "--no-merge", dest="force", action="store_true",
                   help="overwrite every generated file (hand edits are saved as "
                        "sdkgen-edits-N.patch in the output folder first)")
    g.set_defaults(func=cmd_generate)

    c = sub.add_parser("check", help="fail if generated output is stale (CI codegen step)",
                       description="Regenerate in memory and compare with the output folders; "
                                   "exit 1 and list each stale file if anything differs.")
    common(c)
    c.set_defaults(func=cmd_check)

    e = sub.add_parser("edits", help="show hand edits in generated SDKs (unified diff)",
                       description="Print what was changed by hand in each generated file, "
                                   "as a unified diff against the pristine output the last "
                                   "`sdkgen generate` recorded in the SDK's .sdkgen/ folder.")
    e.add_argument("--out", help="SDK folder (default: every target's folder)")
    e.add_argument("--targets", default=str(DEFAULT_TARGETS),
                   help="targets file (default: sdkgen.yaml)")
    e.add_argument("--stat", action="store_true", help="also print the count per folder")
    e.set_defaults(func=cmd_edits)

    v = sub.add_parser("validate", help="validate a spec and print diagnostics",
                       description="Check a spec against the OpenAPI schema, its Schema Objects "
                                   "against their dialect, defaults and examples against their "
                                   "schemas, plus the generator's own checks and build's "
                                   "findings; prints file:line: severity: pointer: message.")
    v.add_argument("file")
    overlay_option(v)
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.add_argument("--show", type=int, default=20, help="diagnostics shown per category")
    v.set_defaults(func=cmd_validate)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SpecError as exc:
        print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
