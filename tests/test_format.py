"""Stage 6: format. Black in worker processes gives exactly what black in-process gives."""

from __future__ import annotations

import pytest

from sdkgen import format as fmt

# a docstring line this long sends the module to black (see format._for_ruff)
LONG = "x" * 90
MODULE = f'def f(a,b):\n    """{LONG}\n    {LONG}"""\n    return {{ "a":a, "b" :b }}\n'
NOT_PYTHON = f'def f(:\n    """{LONG}\n    {LONG}"""\n'


def _format(files: dict[str, str], workers: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    with monkeypatch.context() as m:
        m.setattr(fmt.os, "cpu_count", lambda: 2)
        m.setattr(fmt, "_BYTES_PER_WORKER", 1)  # every text is worth a worker
        if not workers:
            m.setenv("SDKGEN_FORMAT_WORKERS", "off")
        assert bool(fmt._black_workers(list(files.values()))) == workers
        return fmt.format_files(files, fmt.FormatCache(None))


def test_black_in_workers_is_black_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        **{f"m{i}.py": MODULE.replace("f(", f"f{i}(") for i in range(4)},
        # a snippet black cannot parse stays as written in the docs
        "README.md": f"# x\n\n```python\n{MODULE}```\n\n```python\n{NOT_PYTHON}```\n",
        "data.txt": "left alone\n",
    }
    in_workers = _format(files, True, monkeypatch)
    assert in_workers == _format(files, False, monkeypatch)
    assert in_workers["m0.py"].count('"a": a, "b": b') == 1 and NOT_PYTHON in in_workers["README.md"]


def test_a_module_black_cannot_parse_is_reported_either_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"a.py": MODULE, "b.py": NOT_PYTHON}
    for workers in (True, False):
        with pytest.raises(fmt.FormatError) as exc:
            _format(files, workers, monkeypatch)
        assert exc.value.path == "b.py"
