"""Webhooks (3.1) and callbacks are documented: one page listing each request the API sends,
linking the model of its body, which the package exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sdkgen.config import default_config_for
from sdkgen.pipeline import generate_to

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "conformance"


@pytest.mark.parametrize("spec, title, line, model", [
    ("oai-3.0-pass/callback-example.yaml", "## post_streams → onData",
     "*Callback*: `POST {$request.query.callbackUrl}/data`", "PostOnDataRequestBody"),
    ("oai-3.1-pass/webhook-example.yaml", "## newPet", "*Webhook*: `POST newPet`", "Pet"),
])
def test_each_incoming_request_is_documented(tmp_path: Path, spec: str, title: str, line: str,
                                              model: str) -> None:
    path = CONFORMANCE / spec
    cfg = default_config_for(path)
    out = tmp_path / "sdk"
    generate_to(path, cfg, out)
    page = (out / "docs" / "webhooks" / "README.md").read_text()
    assert title in page and line in page
    link = f"(../models/{model.lower()}.md)"
    assert f"models.{model}]]{link}" in page  # (Optional[...]: the body is not required)
    assert (out / "docs" / "models" / f"{model.lower()}.md").is_file()
    assert "(docs/webhooks/README.md)" in (out / "README.md").read_text()
    probe = f"from {cfg.import_name} import models; print(models.{model}.__name__)"
    proc = subprocess.run([sys.executable, "-c", probe], cwd=out / "src", capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == model, proc.stderr


def test_no_page_without_webhooks(tmp_path: Path) -> None:
    path = CONFORMANCE / "oai-3.0-pass" / "petstore.yaml"
    generate_to(path, default_config_for(path), tmp_path / "sdk")
    assert not (tmp_path / "sdk" / "docs" / "webhooks").exists()
    assert "webhooks" not in (tmp_path / "sdk" / "README.md").read_text().lower()
