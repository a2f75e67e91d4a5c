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
            result = generate_to(spec, cfg, out, strict=args.strict, overlays=_overlays(args),
                                 allow_ref_outside=args.allow_ref_outside)
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
    return 1 if failed else 0


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
    for name, cfg, spec, out in _targets(args):
        try:
            stale = check(spec, cfg, out, overlays=_overlays(args),
                          allow_ref_outside=args.allow_ref_outside)
        except SpecError as exc:
            print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
            return 1
        for path in stale:
            print(f"stale: {out / path}")
        stale_total += len(stale)
        if not stale:
            print(f"{name}: up to date ({out})")
    if stale_total:
        print(f"sdkgen check: {stale_total} file(s) differ from what the specs produce; "
              "run `sdkgen generate`", file=sys.stderr)
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        spec = load(Path(args.file), allow_ref_outside=args.allow_ref_outside)
        diags = apply_overlays(spec, _overlays(args))
        diags += validate(spec)  # (--strict turns every finding into an error below)
        from .build import build

        try:
            if not any(d.severity == "error" for d in diags):  # (build reads a valid shape)
                _, more = build(spec)
                diags += more
        except SpecError as exc:
            diags += exc.diagnostics
        except Exception as exc:  # a bug: say so, with where, not a traceback
            from .pipeline import internal_error

            diags.append(internal_error(exc, Path(args.file)))
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

    def ref_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--allow-ref-outside", action="store_true",
                       help="let $refs read files outside the spec's folder (refused by default: "
                            "a spec is untrusted input and what it reads ends up in the docs)")

    g = sub.add_parser("generate", help="generate SDKs (all targets, or one --spec)",
                       description="Generate SDK packages and docs. Without --spec, builds every "
                                   "target listed in sdkgen.yaml into its folder.")
    common(g)
    ref_option(g)
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")
    g.add_argument("--quiet", action="store_true", help="do not print warnings")
    g.add_argument("--show", type=int, default=5, help="warnings shown per category")
    g.set_defaults(func=cmd_generate)

    c = sub.add_parser("check", help="fail if generated output is stale (CI codegen step)",
                       description="Regenerate in memory and compare with the output folders; "
                                   "exit 1 and list each stale file if anything differs.")
    common(c)
    ref_option(c)
    c.set_defaults(func=cmd_check)

    v = sub.add_parser("validate", help="validate a spec and print diagnostics",
                       description="Check a spec against the OpenAPI schema, its Schema Objects "
                                   "against their dialect, defaults and examples against their "
                                   "schemas, plus the generator's own checks and build's "
                                   "findings; prints file:line: severity: pointer: message.")
    v.add_argument("file")
    overlay_option(v)
    ref_option(v)
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
