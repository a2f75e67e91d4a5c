"""The lock file, versioning and CHANGELOG on `generate`, and `check --breaking`, on a
temporary SDK folder (real generation, real files; the generated package is imported in a
subprocess to read its version and User-Agent)."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from test_changes import base, schema

from sdkgen import frontmemo
from sdkgen.cli import main
from sdkgen.lock import CHANGELOG, LOCK, announces, bumped, dumps

EPOCH = "1714000000"  # 2024-04-24 (UTC)


def write_spec(folder: Path, spec: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pets.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def write_config(folder: Path, **extra: Any) -> Path:
    data = {"dist_name": "pets-sdk", "import_name": "pets_sdk", "sdk_class_name": "Pets",
            "sync_client": "Pets", "async_client": "AsyncPets", "env_prefix": "PETS",
            **extra}
    path = folder / "sdkgen-pets.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


class Project:
    """A spec, a config and an SDK folder in tmp_path, driven through the CLI."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch):
        self.tmp, self.out = tmp, tmp / "sdk"
        self.spec = base()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        monkeypatch.setenv("SDKGEN_CACHE", str(tmp / "cache"))
        self.config = write_config(tmp)

    def edit(self, change: Callable[[dict[str, Any]], Any]) -> None:
        self.spec = copy.deepcopy(self.spec)
        change(self.spec)

    def args(self) -> list[str]:
        path = write_spec(self.tmp / "spec", self.spec)
        return ["--spec", str(path), "--out", str(self.out), "--config", str(self.config)]

    def generate(self) -> int:
        return main(["generate", *self.args(), "--quiet"])

    def check(self, *extra: str) -> int:
        return main(["check", *self.args(), *extra])

    def lock(self) -> dict[str, Any]:
        return json.loads((self.out / LOCK).read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    def package_facts(self) -> tuple[str, str]:
        code = ("import pets_sdk, pets_sdk._core as c; print(pets_sdk.__version__); "
                "print(c.USER_AGENT)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=self.out / "src", check=True)
        version, agent = done.stdout.splitlines()
        return version, agent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return Project(tmp_path, monkeypatch)


def remove_tag(s: dict[str, Any]) -> None:
    del schema(s, "Pet")["properties"]["tag"]


def add_age(s: dict[str, Any]) -> None:
    schema(s, "Pet")["properties"]["age"] = {"type": "integer"}


def test_lock_written_deterministic_and_checked(project: Project, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert project.generate() == 0
    lock = project.lock()
    spec_bytes = (tmp_path / "spec" / "pets.json").read_bytes()
    assert lock["inputs"]["spec"] == hashlib.sha256(spec_bytes).hexdigest()
    assert lock["version"] == "0.1.0" and lock["history"] == [] and lock["generator"]
    assert "pets.create_pet" in lock["surface"]["methods"]
    assert lock["surface"]["models"]["Pet"]["usage"] == ["response"]
    text = (project.out / LOCK).read_text(encoding="utf-8")
    assert text == dumps(lock)
    # one line per field, argument or change: a reviewer's diff names the item
    tag_lines = [line for line in text.splitlines() if '"wire": "tag"' in line]
    assert len(tag_lines) == 3  # NewPet.tag, Pet.tag, create_pet(tag): one line each
    assert all(line.startswith('     {"annotation": ') and line.rstrip(",").endswith("}")
               for line in tag_lines)
    assert not (project.out / CHANGELOG).exists()  # nothing changed yet
    # a second folder from the same inputs has the same lock, byte for byte
    other = Project(tmp_path / "again", monkeypatch)
    other.spec, other.config = project.spec, project.config
    assert other.generate() == 0
    assert (other.out / LOCK).read_bytes() == text.encode("utf-8")
    assert project.check() == 0
    project.edit(add_age)  # the spec changes, the SDK is not regenerated: the lock is stale
    capsys.readouterr()
    assert project.check() == 1
    assert f"stale: {project.out / LOCK}" in capsys.readouterr().out


def test_breaking_change_bumps_minor_before_1_0(project: Project,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert project.generate() == 0
    project.edit(remove_tag)
    capsys.readouterr()
    assert project.generate() == 0
    out = capsys.readouterr().out
    assert "API changes since 0.1.0: bump: major (1 breaking" in out
    assert "version 0.1.0 -> 0.2.0" in out and "breaking: field `Pet.tag` removed" in out
    lock = project.lock()
    assert lock["version"] == "0.2.0"
    assert [(e["version"], e["previous"], e["date"]) for e in lock["history"]] == [
        ("0.2.0", "0.1.0", "2024-04-24")]
    changelog = (project.out / CHANGELOG).read_text(encoding="utf-8")
    assert "## 0.2.0 - 2024-04-24\n\nSince 0.1.0.\n\n### Breaking\n\n- field `Pet.tag` " \
        "removed ([docs](docs/models/pet.md))\n" in changelog
    assert (project.out / "docs/models/pet.md").exists()
    assert 'version = "0.2.0"' in (project.out / "pyproject.toml").read_text(encoding="utf-8")
    version, agent = project.package_facts()
    assert version == "0.2.0" and agent.startswith("pets-sdk/0.2.0 ")
    assert project.check("--breaking", "fail") == 0  # automatic versioning announced it


def test_feature_then_rerun_is_stable(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert project.generate() == 0
    project.edit(add_age)
    assert project.generate() == 0
    assert project.lock()["version"] == "0.1.1"  # a feature before 1.0.0: the patch
    changelog = (project.out / CHANGELOG).read_text(encoding="utf-8")
    assert "### Added\n\n- new field `Pet.age` ([docs](docs/models/pet.md))" in changelog
    before = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # another day: nothing changes
    assert project.generate() == 0
    after = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if "__pycache__" not in str(p)} == {
        p: b for p, b in before.items() if "__pycache__" not in str(p)}
    # a second change adds an entry on top, with links to the method's docs page
    project.edit(lambda s: s["paths"]["/pets"]["get"]["parameters"].append(
        {"name": "offset", "in": "query", "schema": {"type": "integer"}}))
    assert project.generate() == 0
    lock = project.lock()
    assert [e["version"] for e in lock["history"]] == ["0.1.2", "0.1.1"]
    changelog = (project.out / CHANGELOG).read_text(encoding="utf-8")
    assert changelog.index("## 0.1.2 - 2030-03-17") < changelog.index("## 0.1.1 - 2024-04-24")
    assert "new argument `offset` of `pets.list_pets` ([docs](docs/sdks/petsresource/" \
        "README.md#list_pets))" in changelog
    page = (project.out / "docs/sdks/petsresource/README.md").read_text(encoding="utf-8")
    assert "\n## list_pets\n" in page


def test_pinned_version_wins(project: Project, tmp_path: Path) -> None:
    assert project.generate() == 0
    project.config = write_config(tmp_path, version="1.0.0")
    project.edit(add_age)
    assert project.generate() == 0
    assert project.lock()["version"] == "1.0.0"
    assert project.package_facts()[0] == "1.0.0"
    project.edit(remove_tag)  # at 1.x a breaking change bumps the major
    assert project.generate() == 0
    assert project.lock()["version"] == "2.0.0"


def test_check_breaking_gate_with_manual_versioning(project: Project, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project.config = write_config(tmp_path, versioning="manual", version="1.2.0")
    assert project.generate() == 0
    project.edit(remove_tag)
    assert project.generate() == 0
    assert project.lock()["version"] == "1.2.0"  # manual: not bumped
    capsys.readouterr()
    assert project.check("--breaking", "fail") == 1
    err = capsys.readouterr().err
    assert "version 1.2.0 does not announce 1 breaking change(s) since 1.2.0" in err
    assert "models.Pet.tag: field `Pet.tag` removed" in err
    assert project.check("--breaking", "warn") == 0
    assert "warning" in capsys.readouterr().err
    assert project.check("--breaking", "allow") == 0
    assert project.check() == 1  # fail is the default
    # a minor bump does not announce it; the major does
    project.config = write_config(tmp_path, versioning="manual", version="1.3.0")
    assert project.generate() == 0
    assert project.check("--breaking", "fail") == 1
    project.config = write_config(tmp_path, versioning="manual", version="2.0.0")
    assert project.generate() == 0
    assert project.check("--breaking", "fail") == 0
    lock = project.lock()
    assert [(e["previous"], e["version"]) for e in lock["history"]] == [("1.2.0", "2.0.0")]
    assert "## 2.0.0 - 2024-04-24" in (project.out / CHANGELOG).read_text(encoding="utf-8")


def test_bad_versioning_value_is_a_located_error(project: Project, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project.config = write_config(tmp_path, versioning="sometimes")
    assert project.generate() == 2  # a configuration error
    assert "versioning must be 'automatic' or 'manual'" in capsys.readouterr().err
    assert not project.out.exists()


@pytest.mark.parametrize("version,bump,expected", [
    ("0.1.0", "major", "0.2.0"), ("0.1.0", "minor", "0.1.1"), ("0.1.0", "patch", "0.1.1"),
    ("1.4.2", "major", "2.0.0"), ("1.4.2", "minor", "1.5.0"), ("1.4.2", "patch", "1.4.3"),
    ("1.4.2", "none", "1.4.2")])
def test_bumped(version: str, bump: str, expected: str) -> None:
    assert bumped(version, bump) == expected


def test_announces() -> None:
    assert announces("0.1.0", "0.2.0", "major") and not announces("0.1.0", "0.1.1", "major")
    assert announces("1.2.0", "2.0.0", "major") and not announces("1.2.0", "1.3.0", "major")
    assert announces("1.2.0", "1.2.1", "minor") and not announces("1.2.0", "1.2.0", "minor")


@pytest.mark.parametrize("text,why", [
    ("{not json", "the lock is not valid JSON"),
    ('{"lock": 1, "surface": {"package": "x"}}', "surface or history is incomplete"),
    ('{"lock": 99}', "not an sdkgen lock of format 1")])
def test_a_broken_lock_is_a_located_error_and_nothing_is_lost(
        project: Project, text: str, why: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.generate() == 0
    (project.out / LOCK).write_text(text, encoding="utf-8")
    before = (project.out / "pyproject.toml").read_bytes()
    capsys.readouterr()
    assert project.generate() == 1
    err = capsys.readouterr().err
    assert f"{project.out / LOCK}" in err and why in err and "delete it" in err
    assert (project.out / LOCK).read_text(encoding="utf-8") == text  # left as it was
    assert (project.out / "pyproject.toml").read_bytes() == before
    assert project.check() != 0


def test_diff_against_an_sdk_folder_uses_its_lock(project: Project, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert project.generate() == 0
    project.edit(remove_tag)
    args = project.args()  # writes the edited spec
    spec = args[1]
    capsys.readouterr()
    assert main(["diff", str(project.out), spec, "--config", str(project.config),
                 "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bump"] == "major"
    assert [(c["kind"], c["path"]) for c in report["changes"]] == [
        ("field-removed", "models.Pet.tag")]
    assert main(["diff", str(tmp_path), spec]) == 2  # a folder without a lock
    assert "without an sdkgen.lock" in capsys.readouterr().err


def test_diff_of_a_spec_with_errors_exits_1_with_located_errors(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_spec(tmp_path / "good", project.spec)
    bad = copy.deepcopy(project.spec)
    schema(bad, "Pet")["properties"]["tag"] = {"$ref": "#/components/schemas/Nope"}
    broken = write_spec(tmp_path / "bad", bad)
    assert main(["diff", str(good), str(broken)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "#/components/schemas/Nope" in err
    assert "a spec has errors; nothing compared" in err


def test_a_deleted_lock_is_written_again_with_a_new_history(project: Project) -> None:
    """Generated files a user deletes stay deleted (generator/write.py), but not the lock:
    deleting it starts a new history instead of silently ending versioning."""
    from sdkgen.write import ALWAYS_WRITTEN

    assert ALWAYS_WRITTEN == {LOCK}
    assert project.generate() == 0
    project.edit(add_age)
    assert project.generate() == 0
    assert project.lock()["version"] == "0.1.1"
    (project.out / LOCK).unlink()
    assert project.generate() == 0
    lock = project.lock()  # back, from scratch: the config's version, no history
    assert lock["version"] == "0.1.0" and lock["history"] == []


def test_a_version_bump_runs_the_front_end_once(project: Project,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The second run (with the bumped version) reuses load..naming of the first."""
    import sdkgen.pipeline as pipeline

    assert project.generate() == 0
    project.edit(add_age)
    monkeypatch.setenv("SDKGEN_CACHE", "off")  # no whole-output cache: both runs render
    calls: list[Path] = []
    real = pipeline._front

    def counting(spec_path: Path, *args: Any) -> Any:
        calls.append(spec_path)
        return real(spec_path, *args)

    monkeypatch.setattr(pipeline, "_front", counting)
    assert project.generate() == 0
    assert project.lock()["version"] == "0.1.1" and len(calls) == 1
    assert frontmemo.current() is None  # only inside finish()
