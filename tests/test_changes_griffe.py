"""Cross-check with griffe (PyPI `griffe`, its API breakage finder) on the Python side:
two SDKs generated from consecutive versions of the OpenAI history corpus, loaded by
griffe, compared with `griffe.find_breaking_changes`.

1. Every breakage griffe finds in the public API is among our breaking changes.
2. Every removal or rename we report (of a model, enum, union, field, method, argument or
   exception: changes that delete a Python name) is seen by griffe too.

Deliberate differences, where we report a breaking change griffe cannot see: griffe
compares names, signatures and attribute values, not annotations of model fields nor the
values a response may hold, so a response field whose type changes (01: `Batch.created_at`
str -> int), an enum losing a value (06) or a union gaining a member a caller must handle
(11) are ours alone. Conversely griffe's removals of a TypedDict's key and of a model's
module are the same change as our field or class removal (mapped below)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe
import pytest
from conftest import SHARED

from sdkgen.change_rules import BREAKING, Change
from sdkgen.changes import diff
from sdkgen.config import TargetConfig
from sdkgen.pipeline import generate_to, spec_surface
from sdkgen.surface import Surface

HISTORY = SHARED / "corpus" / "history" / "openai"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not HISTORY.is_dir(), reason="history corpus not present")]

CFG = TargetConfig(dist_name="openai-sdk", import_name="openai_sdk", sdk_class_name="OpenAI",
                   sync_client="OpenAI", async_client="AsyncOpenAI", env_prefix="OPENAI")
# what removes or renames a Python name: griffe must see each of these
REMOVALS = {"model-removed", "model-renamed", "enum-removed", "enum-renamed", "union-removed",
            "union-renamed", "field-removed", "field-renamed", "method-removed",
            "method-renamed", "argument-removed", "argument-renamed", "exception-removed"}


def _version(index: int) -> Path:
    return sorted(HISTORY.glob(f"{index:02d}-*.yaml"))[0]


def _generated(tmp: Path, index: int) -> tuple[Path, Surface]:
    spec = _version(index)
    out = tmp / f"sdk{index}"
    generate_to(spec, CFG, out)
    return out, spec_surface(spec, CFG)


def _ours_for(b: Any, old: Surface, breaking: list[Change]) -> list[Change]:
    """Our breaking changes that account for one griffe breakage."""
    parts = b.obj.path.split(".")[1:]  # without the package
    models = {m.name: m for m in old.models}
    if parts[0] == "models":
        rest = parts[1:]
        if rest and rest[0].islower() and len(rest) == 1:  # a removed module models/<x>.py
            return [c for c in breaking if c.path.startswith("models.")
                    and c.path.split(".")[1].lower() == rest[0]]
        if rest and rest[0].islower():
            rest = rest[1:]  # models.<module>.<Class>[.<attr>]
        cls = re.sub(r"TypedDict$", "", rest[0])
        if len(rest) == 1:
            return [c for c in breaking if c.path == f"models.{cls}"]
        attr = rest[1]
        names = {attr}
        if cls in models:  # a TypedDict key is the wire name; the model's attribute its own
            names |= {f.name for f in models[cls].fields if f.wire == attr}
        return [c for c in breaking if c.path in {f"models.{cls}.{n}" for n in names}]
    if parts[0] == "resources" and len(parts) >= 4:
        method = parts[3]
        param = getattr(b, "old_value", None)
        pname = getattr(param, "name", "")
        return [c for c in breaking if c.path.split("(")[0].endswith("." + method)
                and (not pname or c.path.endswith(f"({pname})") or "(" not in c.path)]
    return []


@pytest.mark.parametrize("old_index,new_index", [(0, 1), (10, 11)])
def test_griffe_breakages_are_ours(old_index: int, new_index: int, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE", str(tmp_path / "cache"))
    old_dir, old = _generated(tmp_path, old_index)
    new_dir, new = _generated(tmp_path, new_index)
    ours = [c for c in diff(old, new).changes if c.severity == BREAKING]
    old_pkg = griffe.GriffeLoader(search_paths=[str(old_dir / "src")]).load("openai_sdk")
    new_pkg = griffe.GriffeLoader(search_paths=[str(new_dir / "src")]).load("openai_sdk")
    found = list(griffe.find_breaking_changes(old_pkg, new_pkg))
    assert found, "griffe saw no breakage: the pair was chosen for having some"
    explained: set[Change] = set()
    for b in found:
        matches = _ours_for(b, old, ours)
        assert matches, f"griffe: {b.kind.name} {b.obj.path} is not among our breaking changes"
        explained.update(matches)
    # the other way: a removal or rename we report deletes a name griffe sees
    missing = [c for c in ours if c.kind in REMOVALS and c not in explained]
    assert not missing, missing
    # what only we report is of the kinds griffe does not compare (see the docstring)
    only_ours = {c.kind for c in ours if c not in explained}
    assert only_ours <= {"field-type-changed", "field-type-widened", "field-optional",
                         "field-nullable", "enum-value-removed", "enum-value-added-closed",
                         "union-member-added", "return-type-changed", "return-type-widened",
                         "argument-type-changed", "argument-type-narrowed"}, only_ours
