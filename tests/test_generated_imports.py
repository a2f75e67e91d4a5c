"""Generated modules import exactly what they use: ruff's F401 (unused import) is clean on
the bundled SDKs, and all of ruff's F, E, W, B, UP on SDKs generated from the corpus specs
(but for lines too long because of one over-long name or a docstring table row); the pruning pass
(generator/render/imports.py) keeps every name that code, a string annotation or
`__all__` uses, while a name mentioned only in prose goes."""

from __future__ import annotations

import ast
import atexit
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from corpus.checks import CORPUS, corpus_specs, generate, short_name, spec_facts
from support.checkers import ruff

from sdkgen.config import default_config_for
from sdkgen.render.imports import prune_unused_imports

REPO = Path(__file__).resolve().parent.parent
# a folder of this run's own (a fixed /tmp path is shared with concurrent and earlier runs,
# whose leftovers could be read); removed when the run ends
OUT = Path(tempfile.mkdtemp(prefix="sdkgen-test-imports-"))
atexit.register(shutil.rmtree, OUT, ignore_errors=True)


def test_names_used_by_code_annotations_and_all_are_kept() -> None:
    src = '''"""Mentions List, Dict and datetime in prose only."""
from __future__ import annotations

import os.path
from typing import TYPE_CHECKING, Any, Dict, List, Optional
import httpx
from .x import (
    A,
    B as C,
    D,
)

if TYPE_CHECKING:
    from .y import Y
    from .z import Z


# a comment naming Dict
def f(a: "Optional[A]") -> C:
    return os.path.join(models.D, "Any")


__all__ = ["Y"]
'''
    out = prune_unused_imports(src)
    tree = ast.parse(out)
    imported = {a.asname or a.name for n in ast.walk(tree)
                if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    assert imported == {"annotations", "os.path", "TYPE_CHECKING", "Optional", "A", "C", "Y"}
    assert "from .x import A, B as C" in out
    assert "from .z" not in out and "import httpx" not in out
    assert out.startswith('"""Mentions List, Dict and datetime in prose only."""')


def test_an_emptied_type_checking_block_goes_with_its_import() -> None:
    src = ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .y import Y\n\n"
           "x = 1\n")
    assert prune_unused_imports(src) == "\nx = 1\n"


def test_nothing_to_prune_returns_the_same_text_and_bad_code_is_left_to_the_formatter() -> None:
    src = "import os\n\nprint(os.sep)\n"
    assert prune_unused_imports(src) is src
    broken = "import os\ndef (:\n"
    assert prune_unused_imports(broken) is broken


def test_explicit_re_exports_and_star_imports_stay() -> None:
    src = "from .a import X as X\nfrom .b import *\nimport json as json\n"
    assert prune_unused_imports(src) == src


def _f401(root: Path) -> list[str]:
    return ruff([root], select="F401")


@pytest.mark.parametrize("target", ["friendli", "atoma"])
def test_bundled_sdks_have_no_unused_import(target: str) -> None:
    assert _f401(REPO / "generated" / target) == []


SMALL = ["hf-tgi.openapi.json", "ollama.openapi.yaml", "together.openapi.yaml"]
OPENAPI = [s for s in corpus_specs() if not spec_facts(s).version.startswith("swagger")]


def _corpus_ruff(spec: Path) -> list[str]:
    """Every ruff error (F, E, W, B, UP) on the SDK generated from `spec`, except a line too
    long only because one name on it is (Stripe's 90-character class names) or because it
    is a markdown table row in a docstring (kept whole so that editors render the table):
    those cannot be wrapped."""
    out = OUT / short_name(spec)
    gen = generate(spec, out)
    assert gen.ok, gen.message
    pkg = out / "src" / default_config_for(spec).import_name
    errors = []
    for line in ruff([pkg]):
        path, row, _, rest = line.split(":", 3)
        if " E501 " in f" {rest}":
            text = Path(path).read_text(encoding="utf-8").splitlines()[int(row) - 1]
            if max(map(len, re.findall(r"[\w.]+", text)), default=0) > 80:
                continue
            if text.lstrip().startswith("|"):  # a markdown table row of a docstring: whole
                continue
        errors.append(line)
    return errors


@pytest.mark.parametrize("spec", [CORPUS / "llm" / n for n in SMALL], ids=short_name)
def test_corpus_sdks_pass_ruff(spec: Path) -> None:
    assert _corpus_ruff(spec) == []


@pytest.mark.slow
@pytest.mark.parametrize("spec", [s for s in OPENAPI if s.name not in SMALL], ids=short_name)
def test_every_other_corpus_sdk_passes_ruff(spec: Path) -> None:
    assert _corpus_ruff(spec) == []


def test_strings_that_are_values_inside_annotations_are_not_names() -> None:
    src = ("from datetime import date\nfrom typing import Literal\n\n"
           "class M:\n    date_: Annotated[str, Field(alias=\"date\")]\n"
           "    kind: Literal[\"date\"]\n")
    assert "import date" not in prune_unused_imports(src)


def test_a_parameter_shadowing_an_import_does_not_use_it() -> None:
    src = ("from datetime import date, datetime\n\n\n"
           "def f(date: str, when: datetime) -> dict:\n    return {\"date\": date}\n")
    out = prune_unused_imports(src)
    assert "from datetime import datetime\n" in out


def test_a_global_used_inside_a_function_is_kept() -> None:
    src = "import os\n\n\ndef f(x: int) -> str:\n    y = os.sep\n    return y\n"
    assert prune_unused_imports(src) is src


def test_a_name_a_nested_function_assigns_does_not_hide_the_outer_use() -> None:
    src = ("import os\n\n\ndef f() -> str:\n    def g() -> None:\n        os = 1\n"
           "        print(os)\n\n    return os.sep\n")
    assert prune_unused_imports(src) is src


def test_field_types_of_a_functional_typeddict_are_names() -> None:
    """`TypedDict("X", {"wire": NotRequired["OtherTypedDict"]})`: the quoted field types are
    forward references (ruff reads them so: F821 once their import is pruned), while the
    keys and the class name are values."""
    src = ('from .a import A, ATypedDict, B, BTypedDict\n'
           'from typing_extensions import NotRequired, TypedDict\n'
           'XTypedDict = TypedDict("XTypedDict", {"A": "ATypedDict",'
           ' "b": NotRequired["list[BTypedDict]"]})\n')
    out = prune_unused_imports(src)
    assert out.splitlines()[0] == "from .a import ATypedDict, BTypedDict"
