"""Copy the hand-written runtime (rendering its templates) into a throw-away package ``rtpkg``."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # for `support.loopback` (tests/conftest.py does it too)
    sys.path.insert(0, str(ROOT / "tests"))
PKG_TEMPLATES = ROOT / "templates" / "sdk" / "src" / "__pkg__"
RUNTIME_TEMPLATES = ("_core.py", "_settings.py.j2", "_version.py", "errors.py.j2", "types", "utils")

CFG = SimpleNamespace(
    import_name="rtpkg",
    dist_name="rtpkg-dist",
    version="0.1.0",
    env_prefix="RTPKG",
    default_error="SDKError",
    base_error="RtpkgError",
    sync_client="SyncRt",
    async_client="AsyncRt",
    generator_version="0.1.0",
    errors_path="models",  # gen.yaml imports.paths.errors: sdkgen's own layout
)

MODELS = """
from enum import Enum
from typing import Annotated, List, Literal, Optional

from pydantic import Field, TypeAdapter

from .errors import RtpkgError
from .types import UNSET, BaseModel, Nullable, OptionalNullable, open_enum


class Color(str, Enum):
    RED = "red"
    GREEN = "green"


Kind = Literal["dog", "cat"]


class Owner(BaseModel):
    name: str
    email: OptionalNullable[str] = UNSET


class Pet(BaseModel):
    id: int
    name: str
    kind: Annotated[Kind, open_enum]
    color: Optional[Annotated[Color, open_enum]] = None
    tag: OptionalNullable[str] = UNSET
    owner: Optional[Owner] = None
    x_trace: Optional[str] = Field(default=None, alias="x-trace")


class PetCreate(BaseModel):
    name: str
    kind: Annotated[Kind, open_enum]
    color: Optional[open_enum(Color)] = None
    tag: OptionalNullable[str] = UNSET
    nick: Nullable[str] = None
    owner: Optional[Owner] = None
    owners: Optional[List[Owner]] = None
    x_trace: Optional[str] = Field(default=None, alias="x-trace")


class Delta(BaseModel):
    content: str = ""
    finish_reason: Optional[Annotated[Literal["stop", "length"], open_enum]] = None


class ChatChunk(BaseModel):
    id: str
    index: int
    delta: Delta


class ChatEvent(BaseModel):
    data: ChatChunk
    event: Optional[str] = None
    id: Optional[str] = None
    retry: Optional[int] = None


class TextEvent(BaseModel):
    data: str
    event: Optional[str] = None


class ValidationErrorItem(BaseModel):
    loc: List[str]
    msg: str


class HTTPValidationErrorData(BaseModel):
    detail: List[ValidationErrorItem]


class HTTPValidationError(RtpkgError):
    data: HTTPValidationErrorData


PET = TypeAdapter(Pet)
CHAT_EVENT = TypeAdapter(ChatEvent)
CHAT_CHUNK = TypeAdapter(ChatChunk)
TEXT_EVENT = TypeAdapter(TextEvent)
HVE_DATA = TypeAdapter(HTTPValidationErrorData)
"""


def render_runtime(dest: Path, cfg: SimpleNamespace = CFG) -> Path:
    """Render the runtime templates into ``dest/<cfg.import_name>/`` and return that dir."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PKG_TEMPLATES)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["repr"] = repr  # as the generator's environment (generator/render)
    pkg = dest / cfg.import_name
    for entry in RUNTIME_TEMPLATES:
        src = PKG_TEMPLATES / entry
        files = [src] if src.is_file() else sorted(
            f for f in src.rglob("*") if f.suffix in (".j2", ".py"))
        for f in files:
            rel = f.relative_to(PKG_TEMPLATES)
            out = pkg / str(rel).removesuffix(".j2")
            out.parent.mkdir(parents=True, exist_ok=True)
            if f.suffix == ".py":  # plain runtime: copied as is, as the generator does
                out.write_text(f.read_text(encoding="utf-8"))
                continue
            # every optional part of the runtime on (utils/security.py standing alone)
            out.write_text(env.get_template(rel.as_posix()).render(
                cfg=cfg, security_module=True, client_globals=False))
    (pkg / "__init__.py").write_text('"""Runtime test package."""\n')
    (pkg / "models.py").write_text(textwrap.dedent(MODELS))
    return pkg


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    dest = tmp_path_factory.mktemp("rt")
    render_runtime(dest)
    sys.path.insert(0, str(dest))
    try:
        mods = {
            "core": importlib.import_module("rtpkg._core"),
            "types": importlib.import_module("rtpkg.types"),
            "errors": importlib.import_module("rtpkg.errors"),
            "models": importlib.import_module("rtpkg.models"),
            "es": importlib.import_module("rtpkg.utils.eventstreaming"),
            "retries": importlib.import_module("rtpkg.utils.retries"),
        }
    finally:
        sys.path.remove(str(dest))
    ns = SimpleNamespace(**mods, root=dest / "rtpkg")
    return ns


@pytest.fixture
def ops(rt: SimpleNamespace) -> type:
    """A handful of ``Operation`` objects against the test models."""
    from ._helpers import make_ops

    return make_ops(rt)
