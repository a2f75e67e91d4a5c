"""Carrying hand edits onto a new generation: a line-based three-way merge (PyPI `merge3`,
the algorithm of bzr/breezy), rename matching for generated files that moved, and unified
diffs of the edits (`sdkgen edits`, the `--force` patch)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable

from merge3 import Merge3

START, MID, END = "<<<<<<<", "=======", ">>>>>>>"


@dataclass
class Merged:
    text: str
    conflicts: list[int] = field(default_factory=list)  # 1-based lines of `<<<<<<<` markers


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _closed(lines: list[str]) -> list[str]:
    """A chunk put before a marker line must end with a newline."""
    if lines and not lines[-1].endswith(("\n", "\r")):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def merge_text(base: str, ours: str, theirs: str, ours_label: str, theirs_label: str,
               keep_both_insertions: bool = True) -> Merged:
    """Three-way merge: `ours` (the file on disk, maybe edited) and `theirs` (the new
    generated content) both derived from `base` (the previous generated content). Changes
    on one side only are taken. Where both sides replace the same base lines differently,
    the result gets a git-style conflict block (its line recorded). Where both only insert
    at the same place (a method the user appended to a class where the spec appends an
    operation, a README paragraph at the end where a section is added), both insertions
    are kept, the generated one first: no base line is lost or contested (unless
    `keep_both_insertions` is false: two files added at one path are a conflict)."""
    b, o, t = _lines(base), _lines(ours), _lines(theirs)
    m3 = Merge3(b, o, t)
    out: list[str] = []
    conflicts: list[int] = []
    for reg in m3.merge_regions():
        region: tuple[Any, ...] = tuple(reg)
        kind = region[0]
        if kind == "unchanged":
            out.extend(b[region[1]:region[2]])
        elif kind in ("a", "same"):
            out.extend(o[region[1]:region[2]])
        elif kind == "b":
            out.extend(t[region[1]:region[2]])
        elif kind == "conflict":
            if region[1] == region[2] and keep_both_insertions:  # no base line contested
                out.extend(_closed(t[region[5]:region[6]]))
                out.extend(o[region[3]:region[4]])
                continue
            for sub in m3.reprocess_merge_regions(iter([reg])):
                part: tuple[Any, ...] = tuple(sub)
                if part[0] == "same":
                    out.extend(o[part[1]:part[2]])
                    continue
                a1, a2, b1, b2 = (int(x) for x in part[3:7])
                out[:] = _closed(out)
                conflicts.append(len(out) + 1)
                out.append(f"{START} {ours_label}\n")
                out.extend(_closed(o[a1:a2]))
                out.append(f"{MID}\n")
                out.extend(_closed(t[b1:b2]))
                out.append(f"{END} {theirs_label}\n")
        else:  # pragma: no cover - merge3 documents no other kinds
            raise ValueError(f"unknown merge region {kind!r}")
    return Merged("".join(out), conflicts)


def similarity(a: str, b: str) -> float:
    sm = difflib.SequenceMatcher(None, _lines(a), _lines(b), autojunk=False)
    if sm.real_quick_ratio() < 0.3 or sm.quick_ratio() < 0.3:
        return 0.0
    return sm.ratio()


def match_renames(dropped: dict[str, str], added: dict[str, str],
                  threshold: float = 0.6, margin: float = 0.15) -> dict[str, str]:
    """{dropped path: added path} where the evidence that a generated file moved is clear:
    same file type, the most similar candidate on both sides, at least `threshold` of the
    lines alike and ahead of the runner-up by `margin`. Anything less is not a rename."""
    def ext(p: str) -> str:
        name = p.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[-1] if "." in name else ""

    scores: dict[tuple[str, str], float] = {}
    for d, dtext in dropped.items():
        for a, atext in added.items():
            if ext(a) == ext(d):
                scores[d, a] = similarity(dtext, atext)

    def ranked(pairs: Iterable[tuple[tuple[str, str], float]]) -> list[float]:
        return sorted((s for _, s in pairs), reverse=True)

    out: dict[str, str] = {}
    for d in dropped:
        mine = [(k, s) for k, s in scores.items() if k[0] == d]
        if not mine:
            continue
        (_, best_a), best = max(mine, key=lambda kv: kv[1])
        rest = ranked(mine)[1:2]
        if best < threshold or (rest and best - rest[0] < margin):
            continue
        theirs = ranked((k, s) for k, s in scores.items() if k[1] == best_a)
        if len(theirs) > 1 and theirs[0] - theirs[1] < margin:
            continue
        if theirs[0] > best:
            continue  # another dropped file is a better match for it
        out[d] = best_a
    return out


def unified(rel: str, before: str | None, after: str | None) -> str:
    """A unified diff of one file (git-apply-able paths a/REL, b/REL; /dev/null for an
    absent side), '' when equal."""
    if before == after:
        return ""
    a, b = _lines(before or ""), _lines(after or "")
    head_a = f"a/{rel}" if before is not None else "/dev/null"
    head_b = f"b/{rel}" if after is not None else "/dev/null"
    out = []
    for line in difflib.unified_diff(a, b, head_a, head_b, n=3):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if not out:
        return ""
    mode = ("new file mode 100644\n" if before is None
            else "deleted file mode 100644\n" if after is None else "")
    return f"diff --git a/{rel} b/{rel}\n{mode}" + "".join(out)
