"""The generated docs include `llms.txt` (the llms.txt convention: an H1, a blockquote
summary, then H2 sections of `- [name](link): notes` lists, `## Optional` last) indexing
every operation and model, and `llms-full.txt`, the docs pages in one file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_LINK = re.compile(r"^- \[([^\]]+)\]\(([^)#]+)(?:#([^)]+))?\)(?:: (.+))?$")


def _parse(text: str) -> tuple[str, str, dict[str, list[tuple[str, str, str]]]]:
    lines = text.splitlines()
    assert lines[0].startswith("# ") and not lines[0].startswith("## ")
    quote = next(ln for ln in lines[1:] if ln.strip())  # the first block after the title
    assert quote.startswith("> "), quote
    sections: dict[str, list[tuple[str, str, str]]] = {}
    current = None
    for ln in lines:
        if ln.startswith("## "):
            current = ln[3:]
            sections[current] = []
        elif current is not None and ln.startswith("- "):
            m = _LINK.match(ln)
            assert m, f"not a llms.txt list item: {ln}"
            sections[current].append((m.group(1), m.group(2), m.group(3) or ""))
        elif current is not None:
            assert not ln.strip(), f"only link lists under the H2 sections: {ln}"
    return lines[0][2:], quote, sections


@pytest.mark.parametrize("target", ["friendli", "atoma"])
def test_llms_txt_indexes_every_operation_and_model(target: str) -> None:
    root = REPO / "generated" / target
    title, _, sections = _parse((root / "llms.txt").read_text(encoding="utf-8"))
    assert title == {"friendli": "friendli", "atoma": "atoma-sdk"}[target]  # the dist name
    assert list(sections)[-1] == "Optional"
    ops = [i for name, items in sections.items() if name.startswith("Operations") for i in items]
    pages = sorted((root / "docs" / "sdks").rglob("README.md"))
    # each page lists its operations under "Available Operations" as `* [name](#anchor)`
    headings = {(p.relative_to(root).as_posix(), a) for p in pages
                for a in re.findall(r"^\* \[\w+\]\(#(\w+)\)", p.read_text(encoding="utf-8"), re.M)}
    assert len(headings) >= 2
    assert {(link, anchor) for _, link, anchor in ops} == headings
    models = {link for _, link, _ in sections["Optional"]}
    assert models == {p.relative_to(root).as_posix()
                      for p in (root / "docs" / "models").glob("*.md")}
    for items in sections.values():
        for _, link, _ in items:
            assert (root / link).is_file(), link


@pytest.mark.parametrize("target", ["friendli", "atoma"])
def test_llms_full_txt_holds_every_docs_page(target: str) -> None:
    root = REPO / "generated" / target
    full = (root / "llms-full.txt").read_text(encoding="utf-8")
    pages = [root / "README.md", root / "USAGE.md", *sorted((root / "docs").rglob("*.md"))]
    for p in pages:
        rel = p.relative_to(root).as_posix()
        assert f"<!-- {rel} -->\n\n" + p.read_text(encoding="utf-8").strip() in full, rel
