"""Generated modules import exactly what they use: ruff's F401 (unused import) is clean on
the bundled SDKs and on SDKs generated from the corpus specs, and the pruning pass
(generator/render/imports.py) keeps every name that code, a string annotation or
`__all__` uses, while a name mentioned only in prose goes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from corpus.checks import CORPUS, corpus_specs, generate, short_name, spec_facts
from support.checkers import ruff

from sdkgen.render.imports import prune_unused_imports

REPO = Path(__file__).resolve().parent.parent
OUT = Path("/tmp") / "sdkgen-test-imports"


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


def _corpus_f401(spec: Path) -> list[str]:
    out = OUT / short_name(spec)
    gen = generate(spec, out)
    assert gen.ok, gen.message
    return _f401(out)


@pytest.mark.parametrize("spec", [CORPUS / "llm" / n for n in SMALL], ids=short_name)
def test_corpus_sdks_have_no_unused_import(spec: Path) -> None:
    assert _corpus_f401(spec) == []


@pytest.mark.slow
@pytest.mark.parametrize("spec", [s for s in OPENAPI if s.name not in SMALL], ids=short_name)
def test_every_other_corpus_sdk_has_no_unused_import(spec: Path) -> None:
    assert _corpus_f401(spec) == []


def test_strings_that_are_values_inside_annotations_are_not_names() -> None:
    src = ("from datetime import date\nfrom typing import Literal\n\n"
           "class M:\n    date_: Annotated[str, Field(alias=\"date\")]\n"
           "    kind: Literal[\"date\"]\n")
    assert "import date" not in prune_unused_imports(src)
