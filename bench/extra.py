"""Print the requirements of one optional-dependency group of pyproject.toml, one a line.

    pip install $(python bench/extra.py bench)

Used by `make bench` to install the `bench` extra into bench/.venv *without* the sdkgen
project itself: the project's own dependencies (black pulls in click, which `import httpx`
then imports too) would make every import figure in the benchmark unrepresentative.
"""

from __future__ import annotations

import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def extra(name: str) -> list:
    try:
        import tomllib
    except ImportError:  # Python 3.10: tomli if present
        import tomli as tomllib  # type: ignore[no-redef]
    data = tomllib.loads(PYPROJECT.read_text())
    return list(data["project"]["optional-dependencies"][name])


if __name__ == "__main__":
    print("\n".join(extra(sys.argv[1] if len(sys.argv) > 1 else "bench")))
