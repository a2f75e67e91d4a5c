"""`make corpus`: one row per corpus spec.

    python -m corpus [--out DIR] [--only NAME]   (run from tests/, or with tests/ on sys.path)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .checks import corpus_specs, generate, import_check, short_name, spec_facts

SWAGGER_HINT = "convert it to OpenAPI 3 first"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpus", description=__doc__)
    parser.add_argument("--out", default="/tmp/sdkgen-corpus", help="where SDKs are written")
    parser.add_argument("--only", action="append", default=[], help="spec short name(s)")
    parser.add_argument("--cache", default="", help="SDKGEN_CACHE for the runs (default: per out)")
    args = parser.parse_args(argv)
    out_root = Path(args.out)
    cache = Path(args.cache) if args.cache else out_root / ".sdkgen-cache"
    header = ("spec", "openapi", "ops", "generated", "warnings", "errors", "import", "seconds")
    fmt = "{:<28} {:>11} {:>5} {:>9} {:>8} {:>6} {:>6} {:>7}"
    print(fmt.format(*header))
    bad = 0
    for spec in corpus_specs():
        name = short_name(spec)
        if args.only and name not in args.only:
            continue
        facts = spec_facts(spec)
        gen = generate(spec, out_root / name, cache)
        if facts.version.startswith("swagger"):
            refused = not gen.ok and SWAGGER_HINT in gen.message
            print(fmt.format(name, facts.version, facts.operations, "-", "-", gen.errors,
                             "refused" if refused else "NOT REFUSED", f"{gen.seconds:.1f}"))
            bad += not refused
            continue
        generated, imported = 0, "-"
        notes: list[str] = []
        if gen.ok:
            from sdkgen.config import default_config_for

            cfg = default_config_for(spec)
            imp = import_check(out_root / name, cfg.import_name, cfg.sync_client)
            generated = len(imp.operation_ids)
            imported = "ok" if imp.ok else "FAIL"
            notes += imp.failed[:3] + imp.incomplete[:3] + ([imp.message] if imp.message else [])
        else:
            notes.append(gen.message)
        row_ok = gen.ok and imported == "ok" and generated == facts.operations
        bad += not row_ok
        print(fmt.format(name, facts.version, facts.operations, generated, gen.warnings,
                         gen.errors, imported, f"{gen.seconds:.1f}"))
        for n in notes:
            print("    " + n.replace("\n", "\n    "))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
