"""The spec fuzzer, bounded (tests/support/fuzz.py): a fixed seed, about a minute of
mutated real specs; every case must be refused with located errors (nothing written) or
give an SDK that compiles, imports, builds every validator and has whole tables.

`make fuzz` runs it longer with a random seed (FUZZ_SECONDS, FUZZ_SEED) and keeps each
minimised failure under tests/regressions/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.fuzz import fuzz, seed_groups

pytestmark = pytest.mark.slow
SEED = 20260912
SECONDS = float(os.environ.get("FUZZ_TEST_SECONDS", "60"))


def test_mutated_real_specs_are_refused_clearly_or_give_a_working_sdk(tmp_path: Path) -> None:
    lines: list[str] = []
    run = fuzz(SEED, SECONDS, tmp_path, log=lines.append)
    print("\n".join(lines))
    assert run.cases >= 5, f"only {run.cases} cases ran in {SECONDS:.0f}s"
    report = "\n\n".join(f"[{f.case.seed}] {'; '.join(f.case.steps)}\n{f.outcome.detail}\n"
                         f"spec kept at {f.spec}" for f in run.failures)
    assert not run.failures, (f"{len(run.failures)} of {run.cases} cases failed "
                              f"(replay: FUZZ_SEED={SEED} make fuzz)\n{report}")
    # the oracle saw both kinds of answer (a fuzzer that only ever hits one is not fuzzing)
    assert run.refused and run.sdks, (run.refused, run.sdks)


def test_every_seed_group_has_specs() -> None:
    groups = seed_groups()
    assert len(groups) == 4 and all(groups)
