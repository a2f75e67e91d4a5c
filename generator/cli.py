"""`sdkgen` command line: init, generate, check, validate.

Exit codes: 0 success (`check`: everything up to date); 1 `generate` failed on a spec,
`check` found stale or missing output, `validate` found errors; 2 usage or configuration
error (bad arguments, no config found, an unreadable config, a spec that cannot be fetched;
for `check`, also a spec that cannot be generated).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import functools
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import __version__
from .config import (
    TargetConfig,
    default_config_for,
    find_config,
    load_config,
    load_targets,
    read_toml,
    toml_module,
    with_names,
)
from .diagnostics import Diagnostic, Report, SpecError, strictly
from .fetch import FetchError, fetch_to_file, is_url
from .format import FormatError
from .sdkdir import SDKDIR
from .transaction import WriteError
from .write import Outcome, edits

DIFF_LINES = 400  # `check --diff` prints at most this many diff lines in all


class UsageError(Exception):
    pass


@dataclass
class Job:
    """One SDK to build: a target of the config file, or the one given by --spec."""

    name: str
    cfg: TargetConfig
    spec: str  # as the user gave it: a path or an http(s) URL
    path: Path  # the local file (a URL's download)
    out: Path
    overlays: list[Path]

    @property
    def remote(self) -> bool:
        return is_url(self.spec)

    def relabel(self, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics about a downloaded spec name its URL, not the download."""
        if not self.remote:
            return list(diags)
        local = {str(self.path), str(_shown(self.path))}
        return [dataclasses.replace(d, file=self.spec) if d.file in local else d for d in diags]


def _shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


@functools.lru_cache(maxsize=None)  # a URL is fetched once per run
def _local(spec: str) -> Path:
    try:
        return fetch_to_file(spec) if is_url(spec) else Path(spec)
    except FetchError as exc:
        raise UsageError(str(exc)) from None


def config_file(args: argparse.Namespace) -> Path:
    if args.targets:
        path = Path(args.targets)
        if not path.is_file():
            raise UsageError(f"{path} not found")
        return path
    found = find_config(Path.cwd())
    if found is None:
        raise UsageError(
            f"no sdkgen.yaml, nor a pyproject.toml with [tool.sdkgen], in {Path.cwd()} or its "
            "parents; create one with `sdkgen init --spec FILE`, or pass --spec FILE --out DIR")
    return found


def jobs(args: argparse.Namespace) -> list[Job]:
    notes: list[Diagnostic] = []  # a gen.yaml's ignored keys
    if args.spec:
        if not args.out:
            raise UsageError("--out DIR is required with --spec (the folder of the SDK)")
        path = _local(args.spec)
        base = default_config_for(path, args.name)
        cfg = load_config(Path(args.config), base, notes) if args.config else base
        if args.name and args.config:
            cfg = with_names(cfg, args.name)
        found = [Job(Path(args.spec).name if not is_url(args.spec) else path.name, cfg,
                     args.spec, path, Path(args.out), [Path(p) for p in args.overlay])]
    else:
        for flag in ("overlay", "config", "out", "name"):
            if getattr(args, flag, None):
                raise UsageError(f"--{flag} goes with --spec (targets in a config file give "
                                 f"it in the target)")
        source = config_file(args)
        found = []
        for t in load_targets(source):
            cfg, spec = t.load(notes, _local)
            found.append(Job(t.name, cfg, spec, _local(spec), t.out, list(t.overlays)))
    if notes:
        print(Report(notes).render(), file=sys.stderr)
    return found


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


def _names_line(cfg: TargetConfig) -> str:
    return (f"names: dist {cfg.dist_name}, import {cfg.import_name}, classes {cfg.sync_client}/"
            f"{cfg.async_client}, env vars {cfg.env_prefix}_*; set them with --name or "
            "dist_name in the config")


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
            print(f"sdkgen: {job.name}: not written; {_shown(job.out)} left unchanged",
                  file=sys.stderr)
            failed += 1
            continue
        except SpecError as exc:
            print(Report(job.relabel(exc.diagnostics)).render(), file=sys.stderr)
            print(f"sdkgen: {job.name}: not generated; {_shown(job.out)} left unchanged",
                  file=sys.stderr)
            failed += 1
            continue
        except FormatError as exc:
            print(f"sdkgen: {job.name}: {exc}; {_shown(job.out)} left unchanged", file=sys.stderr)
            failed += 1
            continue
        if result.report.items and not args.quiet:
            print(Report(job.relabel(result.report.items)).render(limit_per_code=args.show),
                  file=sys.stderr)
        print(f"{job.name}: {len(result.files)} files, {_count_ops(result)} operations -> "
              f"{_shown(job.out)} ({time.perf_counter() - start:.2f}s, "
              f"{len(result.report.warnings)} warnings)")
        if first:
            print(_names_line(job.cfg))
        _print_versioning(job.name, result.versioning)
        failed += _report_write(job.name, _shown(job.out), result.written)
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


def _diff(expected: str | None, out: Path, rel: str) -> list[str]:
    try:
        on_disk = (out / rel).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        on_disk = None
    a = on_disk.splitlines(keepends=True) if on_disk is not None else []
    b = expected.splitlines(keepends=True) if expected is not None else []
    lines = list(difflib.unified_diff(
        a, b, fromfile=f"{_shown(out / rel)} (on disk)" if on_disk is not None else "/dev/null",
        tofile=f"{_shown(out / rel)} (generated)" if expected is not None else "/dev/null"))
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
            print(f"{job.name}: {_shown(job.out)} not generated yet")
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
            print(f"stale: {_shown(job.out / rel)}")
        for where in res.conflicts:  # file:line of each conflict block left by a merge
            print(f"conflict: {_shown(job.out)}/{where}: unresolved conflict markers")
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
            print(f"interrupted: {_shown(job.out)}: a `sdkgen generate` was killed while "
                  "writing; the next `sdkgen generate` rolls it back first")
            stale_total += 1
        stale_total += len(stale)
        conflict_total += len(res.conflicts)
        if res.fresh:
            edited = (f", {len(res.edited)} file(s) with hand edits (`sdkgen edits`)"
                      if res.edited else "")
            print(f"{job.name}: up to date ({_shown(job.out)}){edited}")
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


def cmd_validate(args: argparse.Namespace) -> int:
    if args.file and args.spec:
        raise UsageError("give the spec once: `sdkgen validate FILE` or `--spec FILE`")
    given = args.spec or args.file
    if given:
        job = Job(given, TargetConfig(), given, _local(given), Path(),
                  [Path(p) for p in args.overlay])
        return _validate_one(job, args)
    if args.overlay:
        raise UsageError("--overlay goes with --spec (targets in a config file give it in "
                         "the target)")
    failed = 0
    source = config_file(args)  # no spec given: every target of the config
    for t in load_targets(source):
        _, spec = t.load(None, _local)
        print(f"{t.name}: {spec}")
        job = Job(t.name, TargetConfig(), spec, _local(spec), t.out, list(t.overlays))
        failed += _validate_one(job, args)
    return 1 if failed else 0


def _validate_one(job: Job, args: argparse.Namespace) -> int:
    from .build import build
    from .load import load
    from .overlay import apply_overlays
    from .validate import validate

    try:
        spec = load(job.path, allow_local_refs=not job.remote,
                    allow_ref_outside=args.allow_ref_outside)
        diags = apply_overlays(spec, job.overlays)
        diags += validate(spec)  # --strict promotes the warnings below, after build
        try:
            if not any(d.severity == "error" for d in diags):  # (build reads a valid shape)
                _, more = build(spec)
                diags += more
        except SpecError as exc:
            diags += exc.diagnostics
        except Exception as exc:  # a bug: say so, with where, not a traceback
            from .pipeline import internal_error

            diags.append(internal_error(exc, job.path))
    except SpecError as exc:
        diags = list(exc.diagnostics)
    diags = job.relabel(diags)
    report = Report(strictly(diags, args.strict))
    print(report.render(limit_per_code=args.show))
    return 1 if report.errors else 0


def cmd_diff(args: argparse.Namespace) -> int:
    """`sdkgen diff OLD NEW`: what the spec change does to the SDK; writes nothing."""
    from .changes import diff, render_markdown, render_text
    from .lock import read_lock
    from .pipeline import spec_surface
    from .surface import Surface

    old, new = Path(args.old), Path(args.new)
    notes: list[Diagnostic] = []
    cfg = (load_config(Path(args.config), default_config_for(new), notes) if args.config
           else default_config_for(new))
    if notes:
        print(Report(notes).render(), file=sys.stderr)
    overlays = [Path(p) for p in args.overlay]
    if old.is_dir():  # an SDK folder: its lock's surface is the old side
        lock = read_lock(old)
        if lock is None:
            raise UsageError(f"{old}: a folder without an sdkgen.lock (give a spec, or an SDK "
                             "folder generated by this sdkgen)")
        before = Surface.from_json(lock["surface"])
    try:
        if not old.is_dir():
            before = spec_surface(old, cfg, overlays)
        after = spec_surface(new, cfg, overlays)
    except SpecError as exc:  # a spec that cannot be generated: as `generate`, exit 1
        print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
        print("sdkgen diff: a spec has errors; nothing compared", file=sys.stderr)
        return 1
    report = diff(before, after)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(render_markdown(report), end="")
    else:
        print(render_text(report), end="")
    return 0


def _yaml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid YAML and TOML string


def cmd_init(args: argparse.Namespace) -> int:
    here = Path.cwd()
    spec = args.spec
    path = _local(spec)
    if not is_url(spec):
        if not path.is_file():
            raise UsageError(f"{spec}: no such file")
        spec = os.path.relpath(path.resolve(), here)
    cfg = default_config_for(path, args.name)
    out = args.out or cfg.dist_name
    # the names are written down: a later change of the spec's title must not rename the SDK
    entry = {"name": cfg.dist_name, "spec": spec, "out": out, "dist_name": cfg.dist_name}
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        if "sdkgen" in (read_toml(pyproject).get("tool") or {}):
            raise UsageError(f"{pyproject} already has a [tool.sdkgen] table")
        text = pyproject.read_text(encoding="utf-8")
        table = "[[tool.sdkgen.targets]]\n" + "".join(
            f"{k} = {_yaml_str(v)}\n" for k, v in entry.items())
        new = text + ("" if text.endswith("\n") or not text else "\n") + "\n" + table
        tomllib = toml_module()
        try:  # never leave a pyproject.toml that no longer parses
            parsed = tomllib.loads(new)["tool"]["sdkgen"]["targets"]
            assert parsed == [entry]
        except (tomllib.TOMLDecodeError, KeyError, AssertionError):
            raise UsageError(f"{pyproject}: cannot add [tool.sdkgen] at its end; add it by "
                             "hand:\n" + table) from None
        pyproject.write_text(new, encoding="utf-8")
        written = pyproject
    else:
        written = here / "sdkgen.yaml"
        if written.exists():
            raise UsageError(f"{written} already exists")
        written.write_text(
            "# sdkgen targets: `sdkgen generate` builds each, `sdkgen check` verifies them.\n"
            "# Paths are relative to this file; see the sdkgen README for every key.\n"
            "targets:\n" + "".join(
                f"{'  - ' if i == 0 else '    '}{k}: {_yaml_str(v)}\n"
                for i, (k, v) in enumerate(entry.items())), encoding="utf-8")
    print(f"wrote {_shown(written)}: target {entry['name']} (spec {spec}, out {out})")
    print(_names_line(cfg))
    steps = [("sdkgen generate", f"writes the SDK into {out}/"),
             (f"pip install ./{out}", f"then `import {cfg.import_name}`"),
             ("sdkgen check", "in CI: exit 1 when the SDK no longer matches the spec")]
    width = max(len(cmd) for cmd, _ in steps) + 2
    print("next:\n" + "".join(f"  {cmd.ljust(width)}# {why}\n" for cmd, why in steps), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sdkgen",
        description="Generate a typed Python SDK and markdown reference docs from OpenAPI 3.x.",
        epilog="Exit codes: 0 ok; 1 generation failed, check found stale output, or validate "
               "found errors; 2 usage or configuration error.")
    parser.add_argument("--version", action="version", version=f"sdkgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--spec", metavar="FILE|URL",
                       help="one spec, a file or an http(s) URL (instead of the config's "
                            "targets); needs --out")
        p.add_argument("--out", metavar="DIR", help="output folder (required with --spec)")
        p.add_argument("--config", metavar="FILE",
                       help="target config for --spec (names, options; or a Speakeasy gen.yaml)")
        p.add_argument("--name", help="with --spec: dist, import, class and env-var names from "
                                      "this one name (e.g. acme-client)")
        p.add_argument("--targets", metavar="FILE",
                       help="config file with the targets (default: the nearest sdkgen.yaml or "
                            "pyproject.toml [tool.sdkgen], from this folder up)")
        overlay_option(p)

    def overlay_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--overlay", action="append", default=[], metavar="FILE",
                       help="OpenAPI Overlay 1.0 document applied to the spec before "
                            "validation (repeatable, applied in order)")

    def ref_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--allow-ref-outside", action="store_true",
                       help="let $refs read files outside the spec's folder (refused by default: "
                            "a spec is untrusted input and what it reads ends up in the docs)")


    i = sub.add_parser("init", help="write the config for one spec (sdkgen.yaml, or "
                                    "[tool.sdkgen] in pyproject.toml)",
                       description="Write the configuration for one spec: a [tool.sdkgen] table "
                                   "in ./pyproject.toml when there is one, else ./sdkgen.yaml. "
                                   "The SDK's names come from --name, else from the spec's "
                                   "info.title plus `client`.")
    req = i.add_argument_group("required")
    req.add_argument("--spec", required=True, metavar="FILE|URL", help="the OpenAPI spec")
    i.add_argument("--name", help="dist name; import, class and env-var names follow from it")
    i.add_argument("--out", metavar="DIR", help="SDK folder (default: the dist name)")
    i.set_defaults(func=cmd_init)

    g = sub.add_parser("generate", help="generate SDKs (every target of the config, or --spec)",
                       description="Generate SDK packages and docs: every target of the nearest "
                                   "sdkgen.yaml / pyproject.toml [tool.sdkgen], or one "
                                   "--spec FILE --out DIR.")
    common(g)
    ref_option(g)
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")
    g.add_argument("--quiet", action="store_true", help="do not print warnings")
    g.add_argument("--show", type=int, default=5, help="warnings shown per category")
    g.add_argument("--force", "--no-merge", dest="force", action="store_true",
                   help="overwrite every generated file (hand edits are saved as "
                        "sdkgen-edits-N.patch in the output folder first)")
    g.set_defaults(func=cmd_generate)

    c = sub.add_parser("check", help="fail if generated output is stale (CI codegen step)",
                       description="Regenerate in memory and compare with the output folders.",
                       epilog="Exit codes: 0 up to date; 1 stale files (listed) or an SDK not "
                              "generated yet; 2 usage, config or spec error.")
    common(c)
    c.add_argument("--diff", action="store_true",
                   help=f"print a unified diff of each stale file (at most {DIFF_LINES} lines)")
    ref_option(c)
    c.add_argument("--breaking", choices=("fail", "warn", "allow"), default="fail",
                   help="when the SDK's lock records breaking changes its version does not "
                        "announce: fail (default), warn, or allow (see docs/changes.md)")
    c.set_defaults(func=cmd_check)

    e = sub.add_parser("edits", help="show hand edits in generated SDKs (unified diff)",
                       description="Print what was changed by hand in each generated file, "
                                   "as a unified diff against the pristine output the last "
                                   "`sdkgen generate` recorded in the SDK's .sdkgen/ folder.")
    e.add_argument("--out", help="SDK folder (default: every target's folder)")
    e.add_argument("--targets", metavar="FILE",
                   help="config file with the targets (default: the nearest sdkgen.yaml or "
                        "pyproject.toml [tool.sdkgen], from this folder up)")
    e.add_argument("--stat", action="store_true", help="also print the count per folder")
    e.set_defaults(func=cmd_edits)

    v = sub.add_parser("validate", help="validate a spec and print diagnostics",
                       description="Check a spec against the OpenAPI schema, its Schema Objects "
                                   "against their dialect, defaults and examples against their "
                                   "schemas, plus the generator's own checks and build's "
                                   "findings; prints file:line: severity: pointer: message. "
                                   "Exit 1 when there are errors.")
    v.add_argument("file", nargs="?", metavar="FILE|URL",
                   help="the spec (or use --spec; neither: every target of the config)")
    v.add_argument("--spec", metavar="FILE|URL", help="the spec (same as FILE)")
    v.add_argument("--targets", metavar="FILE",
                   help="config file whose targets are validated when no spec is given "
                        "(default: the nearest sdkgen.yaml or pyproject.toml [tool.sdkgen])")
    overlay_option(v)
    ref_option(v)
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.add_argument("--show", type=int, default=20, help="diagnostics shown per category")
    v.set_defaults(func=cmd_validate)

    d = sub.add_parser("diff", help="what changes in the SDK between two versions of a spec",
                       description="Compare the public surface of the SDKs two specs give "
                                   "(methods, arguments, models, enums, unions, errors, "
                                   "security, servers), classify each change as breaking, "
                                   "feature or fix, and propose the semver bump. Writes "
                                   "nothing. See docs/changes.md.")
    d.add_argument("old", help="the previous spec, or an SDK folder (its sdkgen.lock)")
    d.add_argument("new", help="the new spec")
    d.add_argument("--config", help="target config (names) used for both specs")
    overlay_option(d)
    d.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (default), markdown (a pull-request comment) or json")
    d.set_defaults(func=cmd_diff)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"sdkgen {args.command}: {exc}", file=sys.stderr)
        return 2
    except SpecError as exc:  # a config that cannot be read
        print(Report(list(exc.diagnostics)).render(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
