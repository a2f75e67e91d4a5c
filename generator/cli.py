"""`sdkgen` command line: the arguments of every command, and the exit codes. The commands
live one group per module: cli_init (init), cli_generate (generate), cli_check (check,
edits), cli_inspect (validate, diff); cli_jobs resolves what they act on.

Exit codes: 0 success (`check`: everything up to date); 1 `generate` failed on a spec or
could not write its SDK folder (a located `write` error; the folder is left as it was),
`check` found stale or missing output, `validate` found errors; 2 usage or configuration
error (bad arguments, no config found, an unreadable config, a spec that cannot be fetched;
for `check`, also a spec that cannot be generated).
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .cli_check import DIFF_LINES, cmd_check, cmd_edits
from .cli_generate import cmd_generate
from .cli_init import cmd_init
from .cli_inspect import cmd_diff, cmd_validate
from .cli_jobs import UsageError
from .diagnostics import Report, SpecError


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
