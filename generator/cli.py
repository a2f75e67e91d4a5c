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
from .pipeline import check, generate_to
from .validate import validate
from .write import WriteError

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
            result = generate_to(spec, cfg, out, strict=args.strict, overlays=_overlays(args))
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
        _print_versioning(name, result.versioning)
    return 1 if failed else 0


def _print_versioning(name: str, versioning: object) -> None:
    """What changed in the SDK since its lock (generator/lock.py), after `generate`."""
    from .changes import BREAKING, summary

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
    stale_total = 0
    gate_failed = False
    for name, cfg, spec, out in _targets(args):
        try:
            stale = check(spec, cfg, out, overlays=_overlays(args))
        except SpecError as exc:
            print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
            return 1
        for path in stale:
            print(f"stale: {out / path}")
        stale_total += len(stale)
        if not stale:
            print(f"{name}: up to date ({out})")
        if not _breaking_gate(name, out, getattr(args, "breaking", "allow")):
            gate_failed = True
    if gate_failed and not stale_total:
        return 1
    if stale_total:
        print(f"sdkgen check: {stale_total} file(s) differ from what the specs produce; "
              "run `sdkgen generate`", file=sys.stderr)
        return 1
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


def cmd_diff(args: argparse.Namespace) -> int:
    """`sdkgen diff OLD NEW`: what the spec change does to the SDK; writes nothing."""
    import json

    from .changes import diff, render_markdown, render_text
    from .surface import spec_surface

    old, new = Path(args.old), Path(args.new)
    notes: list[Diagnostic] = []
    cfg = (load_config(Path(args.config), default_config_for(new), notes) if args.config
           else default_config_for(new))
    overlays = _overlays(args)
    report = diff(spec_surface(old, cfg, overlays), spec_surface(new, cfg, overlays))
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(render_markdown(report), end="")
    else:
        print(render_text(report), end="")
    return 0


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
    g.set_defaults(func=cmd_generate)

    c = sub.add_parser("check", help="fail if generated output is stale (CI codegen step)",
                       description="Regenerate in memory and compare with the output folders; "
                                   "exit 1 and list each stale file if anything differs.")
    common(c)
    c.add_argument("--breaking", choices=("fail", "warn", "allow"), default="fail",
                   help="when the SDK's lock records breaking changes its version does not "
                        "announce: fail (default), warn, or allow (see docs/changes.md)")
    c.set_defaults(func=cmd_check)

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

    d = sub.add_parser("diff", help="what changes in the SDK between two versions of a spec",
                       description="Compare the public surface of the SDKs two specs give "
                                   "(methods, arguments, models, enums, unions, errors, "
                                   "security, servers), classify each change as breaking, "
                                   "feature or fix, and propose the semver bump. Writes "
                                   "nothing. See docs/changes.md.")
    d.add_argument("old", help="the previous spec")
    d.add_argument("new", help="the new spec")
    d.add_argument("--config", help="target config (names) used for both specs")
    overlay_option(d)
    d.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (default), markdown (a pull-request comment) or json")
    d.set_defaults(func=cmd_diff)

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
