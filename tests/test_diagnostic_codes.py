"""Diagnostics as values: severity and code are enums, every code the generator reports is a
member, docs/diagnostics.md lists exactly the members, `--strict` is one function."""

from __future__ import annotations

import ast
import json
import marshal
import re
import subprocess
import sys
from pathlib import Path

from sdkgen.diagnostics import ERROR, WARNING, Code, Diagnostic, Report, Severity, strictly
from sdkgen.load import load
from sdkgen.validate import validate

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "generator"
# functions whose last positional argument is a diagnostic code (parse.report.Problems and
# BuildContext warn/error, Problems._add, Spec.diag, Diagnostic(...); pagination's
# `unsupported` helper has none)
CODE_LAST = {"warn", "error", "diag", "_add", "Diagnostic"}
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _member(node: ast.expr) -> str | None:
    """The value of `Code.NAME` (None for anything else; an unknown NAME is an error)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
            node.value.id == "Code"):
        return Code[node.attr].value
    return None


def _member_or_none(node: ast.AST) -> str | None:
    return _member(node) if isinstance(node, ast.Attribute) else None


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module constants that hold a string or a Code member (`CODE = Code.GEN_YAML`)."""
    out = {}
    for n in tree.body:
        if not isinstance(n, ast.Assign):
            continue
        value = n.value.value if isinstance(n.value, ast.Constant) else _member(n.value)
        if isinstance(value, str):
            out.update({t.id: value for t in n.targets if isinstance(t, ast.Name)})
    return out


def _code_of(node: ast.expr, consts: dict[str, str], strict: bool) -> str | None:
    """The code (as a regular expression) an argument spells, if any; `strict`: only what
    looks like a code (kebab-case), for positional arguments that may be a message."""
    if isinstance(node, ast.JoinedStr):
        parts = ["{}" if isinstance(v, ast.FormattedValue) else str(v.value) for v in node.values]
        literal = "".join(p for p in parts if p != "{}")
        if strict and not re.fullmatch(r"[a-z0-9-]*", literal):
            return None
        return "".join("[a-z]+" if p == "{}" else re.escape(p) for p in parts)
    value = node.value if isinstance(node, ast.Constant) else consts.get(
        node.id) if isinstance(node, ast.Name) else _member(node)
    if isinstance(value, str) and (not strict or KEBAB.fullmatch(value)):
        return re.escape(value)
    return None


def codes_in_generator() -> dict[str, str]:
    """{code as a regular expression: where} for every code passed to a diagnostic in
    generator/: a `code=` keyword, the last positional argument of warn/error/diag/
    Diagnostic (a string, a `Code.NAME`, or a module constant such as `CODE = "gen-yaml"`),
    and `d.code == "..."` comparisons. An f-string code (`f"{what}-mismatch"`) matches any
    lowercase word where it has a placeholder."""
    out: dict[str, str] = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = _module_strings(tree)
        found: list[tuple[str | None, int]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                    node.func, "id", "")
                keyword = [kw.value for kw in node.keywords if kw.arg == "code"]
                if keyword:
                    found.append((_code_of(keyword[0], consts, False), node.lineno))
                elif name in CODE_LAST and node.args:
                    found.append((_code_of(node.args[-1], consts, True), node.lineno))
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and (
                    node.left.attr == "code"):
                for c in node.comparators:
                    for e in c.elts if isinstance(c, (ast.Tuple, ast.List, ast.Set)) else [c]:
                        found.append((_code_of(e, consts, False), node.lineno))
            elif path.name != "diagnostics.py" and _member_or_none(node) is not None:
                # a member used anywhere else (e.g. a table of codes by kind of value)
                found.append((re.escape(_member_or_none(node) or ""), node.lineno))
        for code, line in found:
            if code is not None:
                out[code] = f"{path.relative_to(ROOT)}:{line}"
    return out


def string_codes_in_generator() -> dict[str, list[int]]:
    """{file: lines} where a diagnostic code is written as a string (a literal, an f-string, or
    a module constant holding a string) instead of a `Code` member."""
    out: dict[str, list[int]] = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        if path.name == "diagnostics.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = {name for name, value in _module_strings(tree).items()
                   if value in {c.value for c in Code}} - _module_members(tree)
        lines: list[int] = []

        def is_string(node: ast.expr, strict: bool, strings: set[str] = strings) -> bool:
            if isinstance(node, ast.Name):
                return node.id in strings
            return (isinstance(node, (ast.Constant, ast.JoinedStr))
                    and _code_of(node, {}, strict) is not None)

        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                    node.func, "id", "")
                keyword = [kw.value for kw in node.keywords if kw.arg == "code"]
                if keyword and is_string(keyword[0], False):
                    lines.append(node.lineno)
                elif not keyword and name in CODE_LAST and len(node.args) >= 3 and is_string(
                        node.args[-1], True):
                    lines.append(node.lineno)
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and (
                    node.left.attr == "code"):
                for c in node.comparators:
                    for e in c.elts if isinstance(c, (ast.Tuple, ast.List, ast.Set)) else [c]:
                        if is_string(e, False):
                            lines.append(node.lineno)
        if lines:
            out[path.relative_to(ROOT).as_posix()] = sorted(set(lines))
    return out


def _module_members(tree: ast.Module) -> set[str]:
    """Module constants bound to a Code member (`CODE = Code.GEN_YAML`)."""
    return {t.id for n in tree.body if isinstance(n, ast.Assign) and _member(n.value)
            for t in n.targets if isinstance(t, ast.Name)}


def test_codes_are_written_as_members_not_strings():
    found = string_codes_in_generator()
    assert not found, f"codes written as strings (use Code.NAME): {found}"


def test_the_string_code_finder_finds_them(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "m.py").write_text(
        'CODE = "gen-yaml"\nOK = Code.LOCK\n'
        'a = Diagnostic(ERROR, "#", "a message", code="io")\n'
        'b = spec.diag(ERROR, f, "#", "a message", "structure")\n'
        'c = Diagnostic(ERROR, "#", "m", code=CODE)\n'
        'd = Diagnostic(ERROR, "#", "m", code=OK)\n'
        'e = spec.diag(ERROR, f, "#", "a message", Code.IO)\n'
        'g = [x for x in y if x.code == "parse"]\n')
    monkeypatch.setattr(__import__(__name__), "GENERATOR", tmp_path)
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert string_codes_in_generator() == {"m.py": [3, 4, 5, 8]}


def docs_table_codes(path: Path, heading: str | None = None) -> list[str]:
    """The backticked codes in the first column of the markdown table(s) of `path` (after
    `heading`, up to the next heading, when given)."""
    text = path.read_text(encoding="utf-8")
    if heading is not None:
        text = text[text.index(heading):]
        nxt = re.search(r"^#", text[len(heading):], re.M)
        text = text[:len(heading) + nxt.start()] if nxt else text
    codes = []
    for line in text.splitlines():
        if line.startswith("| `"):
            codes += re.findall(r"`([^`]+)`", line.split("|")[1])
    return codes


def test_every_code_the_generator_reports_is_a_member():
    found = codes_in_generator()
    assert re.escape("speakeasy-extension") in found and re.escape("gen-yaml") in found
    members = {c.value for c in Code}
    stray = {pattern: where for pattern, where in found.items()
             if not any(re.fullmatch(pattern, m) for m in members)}
    assert not stray, f"codes not in sdkgen.diagnostics.Code: {stray}"


def test_every_member_is_reported_somewhere():
    patterns = list(codes_in_generator())
    unused = [c.value for c in Code if not any(re.fullmatch(p, c.value) for p in patterns)]
    assert not unused, f"Code members no generator module reports: {unused}"


def test_docs_table_lists_exactly_the_members():
    listed = docs_table_codes(ROOT / "docs" / "diagnostics.md")
    assert len(listed) == len(set(listed)), "a code listed twice"
    members = {c.value for c in Code}
    assert set(listed) - members == set(), "docs/diagnostics.md lists codes that do not exist"
    assert members - set(listed) == set(), "codes missing from docs/diagnostics.md"


def stage_codes(stage: str) -> set[str]:
    """The codes docs/diagnostics.md gives `stage` in its stage column."""
    out = set()
    for line in (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if line.startswith("| `") and stage in [s.strip() for s in cells[3].split(",")]:
            out.update(re.findall(r"`([^`]+)`", cells[1]))
    return out


def test_readme_validate_table_lists_exactly_the_validate_codes():
    listed = docs_table_codes(ROOT / "README.md", "### What `sdkgen validate` reports")
    assert listed, "the README's validate table has no code rows"
    assert set(listed) <= {c.value for c in Code}
    validate_stage = stage_codes("validate")
    assert "structure" in validate_stage and "parse" not in validate_stage
    assert set(listed) == validate_stage, set(listed) ^ validate_stage


def test_severity_and_code_are_enums_that_still_compare_and_print_as_strings():
    d = Diagnostic("warning", "#/paths", "m", "spec.yaml", 3, "dangling-ref")
    assert d.severity is Severity.WARNING and d.severity == "warning" == WARNING
    assert d.code is Code.DANGLING_REF and d.code == "dangling-ref"
    assert d.format() == "spec.yaml:3: warning: #/paths: m"
    assert f"{d.code}: {d.severity}" == "dangling-ref: warning"
    assert Report([d]).summary() == "0 error(s), 1 warning(s) (dangling-ref: 1)"
    # an unknown code (another branch's new one) stays a plain string, no crash
    assert Diagnostic(ERROR, "#", "m", code="brand-new").code == "brand-new"


def test_row_is_plain_data_that_reads_back():
    d = Diagnostic(ERROR, "#", "m", "f", None, Code.REF_CYCLE)
    row = marshal.loads(marshal.dumps(d.row()))  # marshal takes no enum member
    assert Diagnostic(*row) == d and Diagnostic(*row).code is Code.REF_CYCLE


def test_strictly_makes_warnings_errors_and_keeps_everything_else():
    ds = [Diagnostic(WARNING, "#/a", "w", "f", 1, "servers"),
          Diagnostic(ERROR, "#/b", "e", code="ref-cycle")]
    promoted = strictly(ds)
    assert [d.severity for d in promoted] == [ERROR, ERROR]
    assert [(d.pointer, d.message, d.file, d.line, d.code) for d in promoted] == [
        (d.pointer, d.message, d.file, d.line, d.code) for d in ds]
    assert strictly(ds, strict=False) == ds


def test_strict_is_applied_in_the_pipeline_only():
    """`strictly` is called in generator/pipeline.py and nowhere else (no stage promotes its
    own warnings)."""
    callers = set()
    for path in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "strictly":
                callers.add(path.relative_to(ROOT).as_posix())
    assert callers == {"generator/pipeline.py"}


def test_validate_strict_is_strictly(tmp_path: Path):
    from sdkgen.pipeline import check_spec

    spec = tmp_path / "s.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n"
                    "    get:\n      responses: {'200': {description: ok}}\n")
    lenient = validate(load(spec))
    assert lenient and any(d.severity == WARNING for d in lenient)
    assert check_spec(spec) == lenient  # (build adds nothing here)
    assert check_spec(spec, strict=True) == strictly(lenient)


SDKGEN = [sys.executable, "-m", "sdkgen.cli"]


def test_strict_stops_on_a_numbered_class_name(tmp_path: Path) -> None:
    """`name-suffixed` is a warning like any other: located at the schema, and `--strict`
    (every warning stops the run) stops on it instead of listing it after the gate."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(json.dumps({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "a": {"$ref": "#/components/schemas/pet"},
                    "b": {"$ref": "#/components/schemas/Pet"}}}}}}}}}},
        "components": {"schemas": {
            "pet": {"type": "object", "properties": {"n": {"type": "string"}}},
            "Pet": {"type": "object", "properties": {"m": {"type": "integer"}}}}}}))
    lenient = subprocess.run([*SDKGEN, "generate", "--spec", str(spec), "--out",
                              str(tmp_path / "a")], capture_output=True, text=True)
    assert lenient.returncode == 0, lenient.stderr
    said = lenient.stdout + lenient.stderr
    assert "warning: #/components/schemas/Pet: " in said
    assert "(name-suffixed: 1)" in said
    strict = subprocess.run([*SDKGEN, "generate", "--strict", "--quiet", "--spec", str(spec),
                             "--out", str(tmp_path / "b")], capture_output=True, text=True)
    assert strict.returncode == 1
    said = strict.stdout + strict.stderr
    assert f"{spec}:1: error: #/components/schemas/Pet: " in said  # (JSON on one line)
    assert not (tmp_path / "b").exists()
