"""Compare sdkgen's docs with the commercial generator's on the parity corpus.

For each SDK of ../shared/corpus/parity/ (a spec, the gen.yaml it was generated with, and
the generator's `docs/`, `README.md`, `USAGE.md`), sdkgen generates the SDK from the same
two inputs and the docs trees are compared table row by table row: a row is a line that
starts with `|`, compared after collapsing runs of whitespace and of dashes. A reference
row is matched when the page at the same path has the same row (as a multiset). README and
USAGE are compared the same way, section by section (the text between the generator's
`<!-- Start <Title> ... -->` and `<!-- End <Title> ... -->` markers).

Every unmatched row gets a cause (see `_cause`), so the output says what to work on next.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "parity"
SDKS = ("openrouter-python", "bolt-python", "agentset-python", "emissary-python",
        "fastapi-burgers-python")

_WS = re.compile(r"\s+")
_DASH = re.compile(r"-+")
_SECTION = re.compile(r"<!-- Start (.+?)(?: \[[^\]]*\])? -->\n(.*?)<!-- End \1(?: \[[^\]]*\])? -->",
                      re.S)


def norm(row: str) -> str:
    return _DASH.sub("-", _WS.sub(" ", row.strip()))


def table_rows(text: str) -> list[str]:
    return [norm(line) for line in text.splitlines() if line.lstrip().startswith("|")]


def cells(row: str) -> list[str]:
    inner = row.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def sections(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in _SECTION.finditer(text)}


def norm_text(text: str) -> str:
    return _DASH.sub("-", _WS.sub(" ", text)).strip()


@dataclass
class Result:
    name: str
    pages_ref: int = 0
    pages_present: int = 0
    pages_identical: int = 0
    rows_ref: int = 0
    rows_matched: int = 0
    defects: int = 0  # reference rows that are wrong, which sdkgen writes correctly
    sections_ref: int = 0
    sections_present: int = 0
    sections_identical: int = 0
    section_rows_ref: int = 0
    section_rows_matched: int = 0
    causes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    missing_pages: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.rows_matched / self.rows_ref if self.rows_ref else 100.0

    @property
    def percent_with_defects(self) -> float:
        """Rows matched, counting the reference's own defects that sdkgen fixes."""
        done = self.rows_matched + self.defects
        return 100.0 * done / self.rows_ref if self.rows_ref else 100.0

    def add(self, cause: str, example: str) -> None:
        self.causes[cause] += 1
        ex = self.examples.setdefault(cause, [])
        if len(ex) < 3:
            ex.append(example)


def _page_kind(rel: str) -> str:
    """What a missing page is, for grouping (request wrappers, errors, ...)."""
    top = rel.split("/")[0] if "/" in rel else ""
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("sdks/"):
        return "sdks page"
    if top == "errors":
        return "errors/ page"
    if name.endswith("security.md") and name != "security.md":
        return "per-operation security model page"
    if name.endswith("request.md"):
        return "request wrapper page"
    if name.endswith("response.md"):
        return "response wrapper page"
    return f"{top or 'models'}/ page"


def _cause(ref_row: str, ours: list[str], page: str) -> str:
    """Why a reference row has no identical row on our page."""
    rc = cells(ref_row)
    if all(set(c) <= {"-", ":", " "} for c in rc):
        return "table shape (separator row: column count)"
    key = rc[0]
    same_key = [cells(o) for o in ours if cells(o)[0] == key]
    if not same_key:
        if rc[0] in ("Field", "Parameter", "Name", "Error Type", "Type", "Error Object"):
            return "table shape (header row)"
        if page.startswith("sdks/"):
            return "operation argument missing (or named differently)"
        return "field/value row missing (or named differently)"
    oc = min(same_key, key=lambda c: sum(a != b for a, b in zip(c, rc)) + abs(len(c) - len(rc)))
    if len(oc) != len(rc):
        return "column count (Example column present on one side only)"
    labels = ("Name", "Type", "Required", "Description", "Example")
    diff = [labels[i] if i < len(labels) else f"col{i}" for i, (a, b) in enumerate(zip(oc, rc))
            if a != b]
    if not diff:
        return "row repeated more often in the reference (e.g. a table header)"
    if diff == ["Description"] and rc[3] == "N/A":
        return "description: sdkgen shows the property's own description beside its $ref"
    if diff == ["Type"]:
        a, b = oc[1], rc[1]
        ta, tb = re.sub(r"\(.*?\)", "", a), re.sub(r"\(.*?\)", "", b)
        if ta == tb:
            return "type cell: link target differs"
        if re.sub(r"\w+\.", "", ta).replace("*", "") == re.sub(r"\w+\.", "", tb).replace("*", ""):
            return "type cell: module prefix/emphasis"
        return "type cell: type differs"
    return "cell differs: " + "+".join(diff)


_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def _defect(ref_row: str, pool: Counter, page: Path, docs_root: Path) -> str:
    """Why a reference row is wrong and sdkgen's is right, or "" (see docs/parity.md)."""
    if "<nil>" in ref_row and pool[ref_row.replace("<nil>", "null")] > 0:
        pool[ref_row.replace("<nil>", "null")] -= 1
        return "reference defect: null example printed as Go's <nil>"
    date = "[date](https://docs.python.org/3/library/datetime.html#date-objects)"
    if date in ref_row:
        link = "](https://docs.python.org/3/library/datetime.html#datetime-objects)"
        for wrapped in ("datetime", "Optional[datetime]", "Nullable[datetime]",
                        "OptionalNullable[datetime]"):
            fixed = ref_row.replace(date, f"[{wrapped}{link}")
            if pool[fixed] > 0:
                pool[fixed] -= 1
                return "reference defect: a date-time value documented as a date"
    for target in _LINK.findall(ref_row):
        if not target.startswith("http") and not (page.parent / target).resolve().is_file():
            return "reference defect: dead link"
    return ""


def compare_tree(name: str, ref_root: Path, ours: dict[str, str],
                 invalid_examples: frozenset[str] = frozenset()) -> Result:
    """`invalid_examples`: the spec's examples that fail their own schema, as Example cells
    (normalized rows' cells): sdkgen never shows them, the reference does."""
    res = Result(name)
    ref_docs = sorted(p for p in (ref_root / "docs").rglob("*.md"))
    for path in ref_docs:
        rel = path.relative_to(ref_root / "docs").as_posix()
        text = path.read_text(encoding="utf-8")
        rows = table_rows(text)
        res.pages_ref += 1
        res.rows_ref += len(rows)
        mine = ours.get("docs/" + rel)
        if mine is None:
            res.missing_pages.append(rel)
            for r in rows:
                res.add("page missing: " + _page_kind(rel), f"{rel}: {r}")
            continue
        res.pages_present += 1
        if norm_text(mine) == norm_text(text):
            res.pages_identical += 1
        my_rows = table_rows(mine)
        pool = Counter(my_rows)
        unmatched = []
        for r in rows:
            if pool[r] > 0:
                pool[r] -= 1
                res.rows_matched += 1
            else:
                unmatched.append(r)
        unmatched = _invalid_example_rows(unmatched, pool, invalid_examples, res, rel)
        for r in unmatched:
            defect = _defect(r, pool, path, ref_root / "docs")
            if defect:
                res.defects += 1
                res.add(defect, f"{rel}: {r}")
            else:
                res.add(_cause(r, my_rows, rel), f"{rel}: {r}\n      ours: " + " / ".join(
                    o for o in my_rows if cells(o)[0] == cells(r)[0])[:300])
    for doc in ("README.md", "USAGE.md"):
        ref_path = ref_root / doc
        if not ref_path.exists():
            continue
        ref_secs = sections(ref_path.read_text(encoding="utf-8"))
        my_secs = sections(ours.get(doc, ""))
        for title, body in ref_secs.items():
            res.sections_ref += 1
            rows = table_rows(body)
            res.section_rows_ref += len(rows)
            mine = my_secs.get(title)
            if mine is None:
                continue
            res.sections_present += 1
            if norm_text(mine) == norm_text(body):
                res.sections_identical += 1
            pool = Counter(table_rows(mine))
            for r in rows:
                if pool[r] > 0:
                    pool[r] -= 1
                    res.section_rows_matched += 1
    return res


INVALID_EXAMPLE = "reference defect: prints an example that fails its own schema"
INVALID_EXAMPLE_COLUMN = ("reference defect: the Example column only an example that fails its "
                          "schema adds")


def _invalid_example_rows(unmatched: list[str], pool: Counter, invalid: frozenset[str],
                          res: Result, rel: str) -> list[str]:
    """Count the reference rows that differ from ours only by an Example that fails its
    schema (sdkgen never shows one: issue 9), and the rows of the same page that differ only
    by the Example column such an example adds; return the other unmatched rows."""
    left, dropped = [], False
    for r in unmatched:
        rc = cells(r)
        if len(rc) == 5 and rc[4] and rc[4] in invalid:
            without, emptied = _row(rc[:4]), _row(rc[:4] + [""])
            found = without if pool[without] > 0 else emptied if pool[emptied] > 0 else ""
            if found:
                pool[found] -= 1
                dropped = dropped or found == without
                res.defects += 1
                res.add(INVALID_EXAMPLE, f"{rel}: {r}")
                continue
        left.append(r)
    if not dropped:
        return left
    rest = []
    for r in left:
        rc = cells(r)
        without = _row(rc[:4])
        column_only = not rc[4] if len(rc) == 5 else False
        if len(rc) == 5 and (rc[4] == "Example" or set(rc[4]) <= {"-", ":"}):
            column_only = True  # the header row, the separator row
        if column_only and pool[without] > 0:
            pool[without] -= 1
            res.defects += 1
            res.add(INVALID_EXAMPLE_COLUMN, f"{rel}: {r}")
        else:
            rest.append(r)
    return rest


def _row(cs: list[str]) -> str:
    return norm("| " + " | ".join(cs) + " |")


def generate_docs(name: str) -> dict[str, str]:
    """sdkgen's output for one parity SDK, from its spec and gen.yaml (no cache)."""
    return generate_sdk(name)[0]


def generate_sdk(name: str) -> tuple[dict[str, str], frozenset[str]]:
    """sdkgen's docs for one parity SDK (no cache), and the spec's examples that fail their
    own schema, as Example cells (found by sdkgen's validator: `example-mismatch`)."""
    from sdkgen.config import default_config_for, load_config
    from sdkgen.format import FormatCache
    from sdkgen.load import load
    from sdkgen.pipeline import generate

    folder = CORPUS / name
    spec = next(p for p in sorted(folder.glob("openapi.*")))
    cfg = load_config(folder / "gen.yaml", default_config_for(spec), [])
    result = generate(spec, cfg, cache=FormatCache(None))
    docs = {k: v for k, v in result.files.items()
            if k.startswith("docs/") or k in ("README.md", "USAGE.md")}
    pointers = [d.pointer for d in result.report.items if d.code == "example-mismatch"]
    return docs, invalid_example_cells(load(spec).root, pointers)


def invalid_example_cells(root: Any, pointers: Iterable[str]) -> frozenset[str]:
    """The Example cells the reference prints for the examples at `pointers` (a pointer may
    go into the example, to the part that fails: the whole example is taken)."""
    from sdkgen.render.docs import example_cell

    out = set()
    for pointer in pointers:
        value = _example_at(root, pointer)
        if value is not _NONE:
            out.update(norm(example_cell(True, value, number=n)) for n in (False, True))
    return frozenset(out)


_NONE = object()


def _example_at(root: Any, pointer: str) -> Any:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("#/").split("/")]
    node: Any = root
    for i, tok in enumerate(tokens):
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return _NONE
        parent = tokens[i - 1] if i else ""
        if tok == "example" and parent != "properties":
            return node
        if parent == "examples" and tokens[i - 2:i - 1] != ["properties"]:
            # a list of examples (a schema's) or a map of Example Objects (a media type's)
            return node.get("value", _NONE) if isinstance(node, dict) and isinstance(
                _parent_of(root, tokens[:i]), dict) else node
    return _NONE


def _parent_of(root: Any, tokens: list[str]) -> Any:
    node = root
    for tok in tokens:
        node = node[int(tok)] if isinstance(node, list) else node[tok]
    return node


def run(names: Iterable[str] = SDKS) -> list[Result]:
    out = []
    for n in names:
        docs, invalid = generate_sdk(n)
        out.append(compare_tree(n, CORPUS / n / "speakeasy", docs, invalid))
    return out


# Causes grouped into the categories docs/parity.md explains.
CATEGORIES: list[tuple[str, Callable[[str], bool]]] = [
    ("inline model named differently: its page is missing",
     lambda c: c.startswith("page missing:") and "security" not in c and any(
         d in c for d in ("components/", "operations/", "models/"))),
    ("request/response wrapper, per-operation security or errors page missing",
     lambda c: c.startswith("page missing:") and (
         "wrapper" in c or "errors/" in c or "security" in c)),
    ("namespace page missing", lambda c: c == "page missing: sdks page"),
    ("type cell names another class, or nullability differs",
     lambda c: c.startswith(("type cell", "cell differs: Type"))),
    ("Example column on one side only (and the table rows that follow from it)",
     lambda c: c.startswith(("column count", "table shape", "row repeated"))),
    ("fields or enum values missing on a present page", lambda c: c.startswith("field/value")),
    ("operation arguments (op-level `security` argument, unflattened bodies)",
     lambda c: c.startswith("operation argument")),
    ("description/example cells", lambda c: c.startswith(("cell differs", "description:"))),
    ("reference defects sdkgen fixes", lambda c: c.startswith("reference defect")),
]


def category_table(results: list[Result]) -> str:
    out = ["| unmatched rows by category | " + " | ".join(r.name for r in results) + " |",
           "|---|" + "---:|" * len(results)]
    for name, test in CATEGORIES + [("other", lambda c: not any(t(c) for _, t in CATEGORIES))]:
        out.append(f"| {name} | " + " | ".join(
            str(sum(n for c, n in r.causes.items() if test(c))) for r in results) + " |")
    return "\n".join(out)


def report(results: list[Result], detail: int = 3) -> str:
    out = ["| SDK | pages (present/ref) | identical pages | rows matched | + reference defects "
           "fixed | README/USAGE sections (present/identical/ref) | section rows matched |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        srows = (f"{r.section_rows_matched}/{r.section_rows_ref}" if r.section_rows_ref else "-")
        out.append(f"| {r.name} | {r.pages_present}/{r.pages_ref} | {r.pages_identical} | "
                   f"{r.rows_matched}/{r.rows_ref} ({r.percent:.1f}%) | "
                   f"{r.defects} ({r.percent_with_defects:.1f}%) | "
                   f"{r.sections_present}/{r.sections_identical}/{r.sections_ref} | {srows} |")
    out += ["", category_table(results)]
    for r in results:
        out.append("")
        out.append(f"## {r.name}: {r.rows_ref - r.rows_matched} unmatched rows")
        for cause, n in r.causes.most_common():
            out.append(f"  {n:5d}  {cause}")
            for ex in r.examples[cause][:detail]:
                out.append(f"         e.g. {ex}")
    return "\n".join(out)
