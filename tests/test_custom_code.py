"""Hand edits survive regeneration (generator/write.py, merge.py, sdkdir.py).

The SDK folder lives in a real temporary git repository; the user edits generated files,
the spec changes, `sdkgen generate` (the real CLI, in a subprocess) merges. The edited SDK
is imported and driven against a loopback HTTP server in a subprocess of its own.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

from sdkgen.transaction import WriteError
from sdkgen.write import edits, recover, write_tree

SDKGEN = [sys.executable, "-m", "sdkgen.cli"]
CFG = """\
dist_name: petsdk
import_name: petsdk
sdk_class_name: Pets
sync_client: Pets
async_client: AsyncPets
env_prefix: PETS
"""
RESOURCE = "src/petsdk/resources/pets_resource.py"
MODEL = "src/petsdk/models/pet.py"
OPS_PAGE = "docs/sdks/petsresource/README.md"


def pets_spec(version: str, *, tag: bool = False, list_op: bool = False,
              get_description: str = "Returns one pet by id.",
              kinds: tuple[str, ...] = ("cat", "dog"), pet_name: str = "Pet",
              owner: bool = False, greeting: str | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {"type": "integer"},
        "name": {"type": "string", "description": "The pet's name."},
        "kind": {"type": "string", "enum": list(kinds)},
        "age": {"type": "integer", "description": "Age in years."},
    }
    if tag:
        props["tag"] = {"type": "string", "description": "A tag."}
    if greeting is not None:
        props["greeting"] = {"type": "string", "default": greeting, "description": "What it says."}
    ref = {"$ref": f"#/components/schemas/{pet_name}"}
    schemas: dict[str, Any] = {pet_name: {
        "type": "object", "required": ["id", "name"], "description": "A pet.",
        "properties": props}}
    if owner:
        schemas["Owner"] = {"type": "object", "description": "Who owns pets.",
                            "properties": {"email": {"type": "string"}}}
    paths: dict[str, Any] = {"/pets/{petId}": {"get": {
        "operationId": "getPet", "tags": ["pets"], "summary": "Get a pet",
        "description": get_description,
        "parameters": [{"name": "petId", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok",
                              "content": {"application/json": {"schema": ref}}}}}}}
    if list_op:
        paths["/pets"] = {"get": {
            "operationId": "listPets", "tags": ["pets"], "summary": "List pets",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "array", "items": ref}}}}}}}
    if owner:
        paths["/owners/{ownerId}"] = {"get": {
            "operationId": "getOwner", "tags": ["pets"],
            "parameters": [{"name": "ownerId", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Owner"}}}}}}}
    return {"openapi": "3.0.3", "info": {"title": "Pets", "version": version},
            "servers": [{"url": "https://pets.example"}],
            "components": {"schemas": schemas}, "paths": paths}


def sdkgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*SDKGEN, *args], cwd=cwd or REPO, capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, PYTHONPATH=str(REPO)))


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


class Project:
    """A git repository with the spec, the config and the SDK folder `sdk/`."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q")
        self.spec = root / "pets.json"
        self.cfg = root / "sdkgen.yaml"
        self.cfg.write_text(CFG)
        self.sdk = root / "sdk"

    def generate(self, spec: dict[str, Any], *extra: str) -> subprocess.CompletedProcess:
        self.spec.write_text(json.dumps(spec, indent=1))
        return sdkgen("generate", "--spec", str(self.spec), "--config", str(self.cfg),
                      "--out", str(self.sdk), *extra)

    def check(self) -> subprocess.CompletedProcess:
        return sdkgen("check", "--spec", str(self.spec), "--config", str(self.cfg),
                      "--out", str(self.sdk))

    def commit(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)

    def read(self, rel: str) -> str:
        return (self.sdk / rel).read_text()

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> None:
        text = self.read(rel)
        assert text.count(old) >= 1, f"{old!r} not in {rel}"
        (self.sdk / rel).write_text(text.replace(old, new, count))

    def tree(self) -> dict[str, bytes]:
        return {p.relative_to(self.sdk).as_posix(): p.read_bytes()
                for p in sorted(self.sdk.rglob("*")) if p.is_file()}


def run_sdk(src: Path, code: str, **values: Any) -> str:
    """Run `code` in a fresh interpreter that imports the SDK from `src`."""
    script = f"import sys\nsys.path.insert(0, {str(src)!r})\n" + textwrap.dedent(code)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **{k: str(v) for k, v in values.items()}))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


HELPER = '''
    def shout_name(self, pet_id: int) -> str:
        """Hand-written helper: the pet's name in capitals."""
        return self.get_pet(pet_id=pet_id).name.upper()
'''
END_OF_GET_PET = '''                http_headers=http_headers,
            ),
        )
'''  # the end of get_pet (its result is cast() to the return type)
PARAGRAPH = "Team note: call `shout_name()` for the kennel display board.\n"


def add_helper_and_paragraph(p: Project) -> None:
    p.edit(RESOURCE, END_OF_GET_PET, END_OF_GET_PET + HELPER)
    p.edit("README.md", "Pets Python SDK\n", "Pets Python SDK\n\n" + PARAGRAPH)


def pets_server(req: RecordedRequest) -> Reply:
    if req.path == "/pets":
        return json_reply([{"id": 1, "name": "Rex", "tag": "good"}])
    return json_reply({"id": int(req.path.rsplit("/", 1)[1]), "name": "Rex", "tag": "good"})


def test_edits_survive_a_spec_that_adds_a_field_and_an_operation(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    first = p.generate(pets_spec("1.0.0"))
    assert first.returncode == 0, first.stderr
    p.commit("generate the SDK")
    add_helper_and_paragraph(p)
    (p.sdk / "LICENSE").write_text("MIT\n")
    p.commit("custom code")
    edited_resource, edited_readme = p.read(RESOURCE), p.read("README.md")

    proc = p.generate(pets_spec("1.1.0", tag=True, list_op=True))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "carried hand edits in 2 file(s)" in proc.stdout
    resource, readme, model = p.read(RESOURCE), p.read("README.md"), p.read(MODEL)
    # both edits...
    assert HELPER in resource and PARAGRAPH in readme
    # ...and both additions
    assert "def list_pets(" in resource and "async def list_pets(" in resource
    assert re.search(r"^    tag: Optional\[str\] = None$", model, re.M)
    assert "API version 1.1.0" in readme
    assert "<<<<<<<" not in resource + readme
    assert (p.sdk / "LICENSE").read_text() == "MIT\n"
    # git sees exactly the spec's changes on top of the committed edits
    diff = git(p.root, "diff", "-U0", "--", f"sdk/{RESOURCE}")
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == [], removed  # nothing of the user's file was taken away
    assert len(resource) > len(edited_resource) and len(readme) >= len(edited_readme)

    with LoopbackServer(pets_server) as srv:
        out = run_sdk(p.sdk / "src", """
            import os, petsdk
            with petsdk.Pets(server_url=os.environ["URL"]) as client:
                print(client.pets.shout_name(7))
                pets = client.pets.list_pets()
                print(pets[0].tag)
        """, URL=srv.url)
        paths = [r.path for r in srv.requests]
    assert out.split() == ["REX", "good"]
    assert paths == ["/pets/7", "/pets"]

    check = p.check()
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 file(s) with hand edits" in check.stdout
    shown = sdkgen("edits", "--out", str(p.sdk))
    assert shown.returncode == 0, shown.stderr
    assert f"+++ b/{RESOURCE}" in shown.stdout and "+++ b/README.md" in shown.stdout
    assert "+    def shout_name(self, pet_id: int) -> str:" in shown.stdout
    assert "+" + PARAGRAPH in shown.stdout
    assert "tag" not in shown.stdout  # the spec's changes are not edits
    tree = p.tree()
    again = p.generate(pets_spec("1.1.0", tag=True, list_op=True))
    assert again.returncode == 0 and "carried" not in again.stdout
    assert p.tree() == tree  # an unchanged spec: a no-op run


def test_conflict_markers_file_line_nonzero_exit_nothing_else_lost(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    p.commit("generate")
    add_helper_and_paragraph(p)
    # the user rewrites the operation's docstring line, which the new spec also changes
    p.edit(RESOURCE, '"""Returns one pet by id.', '"""Return one pet (cached by our proxy).', -1)
    p.commit("edits")

    proc = p.generate(pets_spec("2.0.0", tag=True, list_op=True,
                                get_description="Returns a single pet, looked up by its id."))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    text = p.read(RESOURCE)
    lines = text.splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if line.startswith("<<<<<<< ")]
    assert len(starts) == 2  # the sync and the async method
    for n in starts:
        assert f"{p.sdk / RESOURCE}:{n}: conflict" in proc.stderr
    assert "2 conflict(s)" in proc.stderr
    first = starts[0] - 1
    assert lines[first].startswith("<<<<<<< your edits") and "pets.json 1.0.0" in lines[first]
    block = lines[first:first + 6]
    assert '        """Return one pet (cached by our proxy).' in block
    assert '        """Returns a single pet, looked up by its id.' in block
    assert "=======" in block
    end = next(line for line in lines[first:] if line.startswith(">>>>>>> "))
    assert end.startswith(">>>>>>> generated from pets.json 2.0.0")
    # nothing else lost: the helper, the paragraph, the new field and operation are there
    assert HELPER in text and "def list_pets(" in text and PARAGRAPH in p.read("README.md")
    assert "tag: Optional[str] = None" in p.read(MODEL)

    check = p.check()
    assert check.returncode == 1
    for n in starts:
        assert f"conflict: {p.sdk / RESOURCE}:{n}" in check.stdout
    assert "2 conflict(s) left by a regeneration" in check.stderr
    assert "stale" not in check.stdout + check.stderr  # the spec's changes are all in
    # resolve like a git merge: keep the user's line, drop the markers
    resolved, skip = [], False
    for line in lines:
        if line.startswith("<<<<<<< "):
            continue
        if line == "=======":
            skip = True
            continue
        if line.startswith(">>>>>>> "):
            skip = False
            continue
        if not skip:
            resolved.append(line)
    (p.sdk / RESOURCE).write_text("\n".join(resolved) + "\n")
    check = p.check()
    assert check.returncode == 0, check.stdout + check.stderr
    compile(p.read(RESOURCE), RESOURCE, "exec")


def test_rerun_with_unresolved_markers_does_not_nest_them(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    p.edit(RESOURCE, '"""Returns one pet by id.', '"""Mine.', -1)
    assert p.generate(pets_spec("2.0.0", get_description="Theirs.")).returncode == 1
    marked = p.read(RESOURCE)
    proc = p.generate(pets_spec("3.0.0", get_description="Third.", tag=True))
    assert proc.returncode == 1 and f"{RESOURCE}:" in proc.stderr
    assert p.read(RESOURCE) == marked  # left as it was until resolved
    assert "tag: Optional[str] = None" in p.read(MODEL)  # the rest is written
    # once resolved, the next run merges from the base the markers were made against
    text = re.sub(r"<<<<<<< [^\n]*\n", "", p.read(RESOURCE))
    text = re.sub(r"=======\n.*?>>>>>>> [^\n]*\n", "", text, flags=re.S)
    (p.sdk / RESOURCE).write_text(text)
    assert "<<<<<<<" not in text and text.count('"""Mine.') == 2
    proc = p.generate(pets_spec("3.0.0", get_description="Third.", tag=True))
    assert proc.returncode == 1  # "Mine." vs "Third." on the same line, from a clean file
    assert p.read(RESOURCE).count("<<<<<<< ") == 2


def test_crlf_checkout_is_merged_on_lines_and_keeps_crlf(tmp_path: Path) -> None:
    """A working tree checked out with CRLF line ends (git's autocrlf on Windows) is not
    one big edit: the merge runs on lines and the file keeps its CRLF ends."""
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    add_helper_and_paragraph(p)
    for rel in (RESOURCE, MODEL):
        path = p.sdk / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    proc = p.generate(pets_spec("1.1.0", tag=True, list_op=True))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = (p.sdk / RESOURCE).read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")  # CRLF throughout
    text = data.decode().replace("\r\n", "\n")
    assert HELPER in text and "def list_pets(" in text
    model = (p.sdk / MODEL).read_bytes()
    assert b"    tag: Optional[str] = None\r\n" in model and b"\n" not in model.replace(b"\r\n", b"")


def test_a_second_run_waits_for_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs on one folder: the second must not take the first one's transaction for
    a killed run's leftovers and roll it back under its feet; it waits for the lock."""
    import threading
    import time

    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    add_helper_and_paragraph(p)
    from sdkgen.config import default_config_for, load_config
    from sdkgen.pipeline import generate

    p.spec.write_text(json.dumps(pets_spec("1.1.0", tag=True, list_op=True)))
    files = generate(p.spec, load_config(p.cfg, default_config_for(p.spec))).files
    real_replace, second_started = os.replace, threading.Event()

    def slow_replace(src: Any, dst: Any) -> None:
        if (threading.current_thread().name == "first" and ".sdkgen-txn" not in str(dst)
                and not second_started.is_set()):  # swapping files in: a write under way
            second_started.wait(10)
            time.sleep(0.5)  # the second run has long reached its start by now
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", slow_replace)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            if name == "second":
                second_started.set()
            write_tree(files, p.sdk)
        except BaseException as exc:  # reported below
            errors.append(exc)

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    while not (p.sdk / ".sdkgen-txn" / "journal.json").exists() and first.is_alive():
        time.sleep(0.01)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    text = p.read(RESOURCE)
    assert text.count("def shout_name(") == 1 and text.count("    def list_pets(") == 1
    assert not (p.sdk / ".sdkgen-txn").exists()
    assert p.check().returncode == 0


def test_formatter_rewrap_next_to_an_edit(tmp_path: Path) -> None:
    """The new spec lengthens a line (a longer default) so the formatter rewraps that
    statement over three lines; the user's edits around it still land: the merge runs on
    formatted code, base and new alike."""
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0", greeting="Woof")).returncode == 0
    assert '    greeting: Optional[str] = "Woof"\n' in p.read(MODEL)
    # (field descriptions are attribute docstrings under their field; name's is not next to
    # the greeting line that changes)
    p.edit(MODEL, '    """The pet\'s name."""\n', '    """The pet\'s name (as on its tag)."""\n')
    mine = '''
    def greet(self) -> str:
        """Hand-written."""
        return f"{self.name}: {self.greeting}"
'''
    p.edit(MODEL, 'self.__pydantic_fields_set__.update(("greeting",))\n',
           'self.__pydantic_fields_set__.update(("greeting",))\n' + mine)
    long = "Woof woof! (the default greeting printed on the kennel board when none is set)"
    proc = p.generate(pets_spec("1.1.0", greeting=long))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    model = p.read(MODEL)
    assert f'    greeting: Optional[str] = (\n        "{long}"\n    )\n' in model  # rewrapped
    assert '    name: str\n    """The pet\'s name (as on its tag)."""\n' in model
    assert mine in model
    out = run_sdk(p.sdk / "src", """
        import petsdk
        print(petsdk.models.Pet(id=1, name="Rex").greet())
    """)
    assert out.strip() == f"Rex: {long}"


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>",
                                             stat.S_IMODE(p.stat().st_mode))
            for p in sorted(root.rglob("*"))}


def test_failed_write_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0", owner=True)).returncode == 0
    add_helper_and_paragraph(p)
    (p.sdk / "LICENSE").write_text("MIT\n")
    before = _snapshot(p.sdk)
    # the next generation: a new file, a removed one, replaced and merged ones
    from sdkgen.config import default_config_for, load_config
    from sdkgen.pipeline import generate

    p.spec.write_text(json.dumps(pets_spec("1.1.0", tag=True, list_op=True)))
    cfg = load_config(p.cfg, default_config_for(p.spec))
    files = generate(p.spec, cfg).files
    real_replace, calls = os.replace, []

    def failing_replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 6:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteError, match="No space left") as failed:
        write_tree(files, p.sdk)
    monkeypatch.setattr(os, "replace", real_replace)
    # a located diagnostic: the file being written, the operation, the OS's message
    (diag,) = failed.value.diagnostics
    assert diag.code == "write" and diag.severity == "error"
    assert diag.file == str(calls[5]) and diag.file.startswith(str(p.sdk.resolve()))
    assert diag.message == "cannot write the file: No space left on device"
    assert not (p.sdk / ".sdkgen-txn").exists()
    assert len(calls) >= 6
    assert _snapshot(p.sdk) == before  # every file, folder and mode as it was
    outcome = write_tree(files, p.sdk)  # and the same write then goes through
    assert outcome.changed and "docs/models/owner.md" in outcome.removed
    assert HELPER in p.read(RESOURCE) and "def list_pets(" in p.read(RESOURCE)


def test_killed_write_is_rolled_back_by_the_next_run(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0", owner=True)).returncode == 0
    add_helper_and_paragraph(p)
    before = _snapshot(p.sdk)
    p.spec.write_text(json.dumps(pets_spec("1.1.0", tag=True, list_op=True)))
    # a run killed (SIGKILL: no cleanup at all) in the middle of swapping files in
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from sdkgen import write
        from sdkgen.config import default_config_for, load_config
        from sdkgen.pipeline import generate
        spec, cfg_path, out = Path({str(p.spec)!r}), Path({str(p.cfg)!r}), Path({str(p.sdk)!r})
        files = generate(spec, load_config(cfg_path, default_config_for(spec))).files
        real, n = os.replace, [0]
        def dying(src, dst):
            n[0] += 1
            if n[0] == 5 and str(dst).startswith(str(out)) and ".sdkgen-txn" not in str(dst):
                os.kill(os.getpid(), signal.SIGKILL)
            real(src, dst)
        os.replace = dying
        write.write_tree(files, out)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert (p.sdk / ".sdkgen-txn").is_dir()  # it died half-way
    assert _snapshot(p.sdk) != before
    check = p.check()  # check does not touch the tree, and does not call it fresh
    assert check.returncode == 1 and f"interrupted: {p.sdk}" in check.stdout
    assert recover(p.sdk) is True
    assert _snapshot(p.sdk) == before
    proc = p.generate(pets_spec("1.1.0", tag=True, list_op=True))
    assert proc.returncode == 0 and HELPER in p.read(RESOURCE)


def test_modes_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_tree({"a.py": "x = 1\n", "pkg/sub/b.md": "# b\n"}, tmp_path / "sdk")
    finally:
        os.umask(old)
    out = tmp_path / "sdk"
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [out, *out.rglob("*")]}
    assert modes.pop(".") == 0o755
    for rel, mode in modes.items():
        assert mode == (0o755 if (out / rel).is_dir() else 0o644), (rel, oct(mode))


def test_renamed_model_carries_its_edits_and_dropped_edits_are_kept(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0", owner=True)).returncode == 0
    method = '''
    def label(self) -> str:
        """Hand-written: name and id."""
        return f"{self.name} #{self.id}"
'''
    name_field = '    name: str\n    """The pet\'s name."""\n'
    p.edit(MODEL, name_field, name_field + method)
    p.edit("docs/models/owner.md", "Who owns pets.", "Who owns pets. (Ours: see the CRM.)")
    p.commit("edits")
    proc = p.generate(pets_spec("1.1.0", pet_name="Animal"))  # Pet renamed, Owner gone
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new_model = "src/petsdk/models/animal.py"
    assert not (p.sdk / MODEL).exists()
    text = p.read(new_model)
    assert "class Animal(BaseModel):" in text and method in text and "class Pet(" not in text
    assert f"{MODEL} -> {new_model}: generated file renamed" in proc.stdout
    # an edited file the spec drops, with nothing it was renamed to: kept aside, reported
    assert not (p.sdk / "docs/models/owner.md").exists()
    saved = p.sdk / "sdkgen-dropped/docs/models/owner.md"
    assert "(Ours: see the CRM.)" in saved.read_text()
    assert "docs/models/owner.md: no longer generated; your edited copy is kept as " \
           "sdkgen-dropped/docs/models/owner.md" in proc.stdout
    assert not (p.sdk / "src/petsdk/models/owner.py").exists()  # unedited: just removed
    out = run_sdk(p.sdk / "src", """
        import petsdk
        print(petsdk.models.Animal(id=3, name="Rex").label())
    """)
    assert out.strip() == "Rex #3"
    assert p.check().returncode == 0


def test_force_overwrites_and_saves_a_patch_that_reapplies(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    p.commit("generate")
    add_helper_and_paragraph(p)
    (p.sdk / "docs/models/pet.md").unlink()
    edited = p.tree()
    proc = p.generate(pets_spec("1.0.0"), "--force")
    assert proc.returncode == 0, proc.stderr
    patch = p.sdk / "sdkgen-edits-1.patch"
    assert f"saved in {patch}" in proc.stdout
    assert HELPER not in p.read(RESOURCE) and PARAGRAPH not in p.read("README.md")
    assert (p.sdk / "docs/models/pet.md").exists()
    assert git(p.root, "status", "--porcelain", "--", "sdk/src", "sdk/README.md", "sdk/docs") == ""
    # the patch puts the edits back
    assert "git apply --directory=sdk sdk/sdkgen-edits-1.patch" in proc.stdout
    git(p.root, "apply", "--directory=sdk", "sdk/sdkgen-edits-1.patch")
    patch.unlink()
    assert p.tree() == {k: v for k, v in edited.items()}
    # --no-merge is the same switch; a second patch gets the next number
    proc = p.generate(pets_spec("1.0.0"), "--no-merge")
    assert proc.returncode == 0 and (p.sdk / "sdkgen-edits-1.patch").exists()
    p.edit("README.md", "Pets Python SDK\n", "Pets SDK\n")
    assert p.generate(pets_spec("1.0.0"), "--force").returncode == 0
    assert (p.sdk / "sdkgen-edits-2.patch").exists()


def test_edits_lists_changed_and_deleted_files(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    assert edits(p.sdk) == []
    add_helper_and_paragraph(p)
    (p.sdk / OPS_PAGE).unlink()
    (p.sdk / "notes.txt").write_text("not generated: not an edit\n")
    found = dict(edits(p.sdk))
    assert sorted(found) == ["README.md", OPS_PAGE, RESOURCE]
    assert "+++ /dev/null" in found[OPS_PAGE]
    proc = sdkgen("edits", "--out", str(p.sdk), "--stat")
    assert proc.returncode == 0 and "3 file(s) edited by hand" in proc.stderr
    assert proc.stdout == "".join(found[k] for k in sorted(found))
    # a deleted generated file stays deleted while the generation does not change it
    proc = p.generate(pets_spec("1.0.0", tag=True))
    assert proc.returncode == 0 and not (p.sdk / OPS_PAGE).exists()
    assert f"you deleted stay deleted: {OPS_PAGE}" in proc.stdout
    assert p.check().returncode == 0
    # and is written again (and reported) when it does
    proc = p.generate(pets_spec("1.1.0", tag=True, list_op=True))
    assert "list_pets" in p.read(OPS_PAGE)
    assert f"{OPS_PAGE}: you deleted it, but the new generation changes it" in proc.stdout
    assert sdkgen("edits", "--out", str(tmp_path)).returncode == 2  # not an SDK folder


def test_genignore_and_user_files_are_never_touched(tmp_path: Path) -> None:
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0", owner=True)).returncode == 0
    (p.sdk / ".genignore").write_text("# ours\nREADME.md\ndocs/models/*.md\n")
    (p.sdk / "README.md").write_text("# Our own README\n")
    (p.sdk / "docs/models/pet.md").unlink()
    user_files = {"LICENSE": "MIT\n", "tests/test_pets.py": "def test_x():\n    pass\n",
                  ".github/workflows/ci.yml": "on: push\n", "NOTES.md": "notes\n"}
    for rel, text in user_files.items():
        (p.sdk / rel).parent.mkdir(parents=True, exist_ok=True)
        (p.sdk / rel).write_text(text)
    p.edit(".gitignore", "/build/\n", "/build/\n/secrets.env\n")  # a hand edit, merged
    assert p.check().returncode == 0
    proc = p.generate(pets_spec("2.0.0", tag=True, list_op=True))  # Owner dropped
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert p.read("README.md") == "# Our own README\n"
    assert not (p.sdk / "docs/models/pet.md").exists()
    assert (p.sdk / "docs/models/owner.md").exists()  # ignored: not removed either
    assert not (p.sdk / "src/petsdk/models/owner.py").exists()  # ours, dropped: removed
    assert "left alone (.genignore)" in proc.stdout
    for rel, text in user_files.items():
        assert p.read(rel) == text
    assert "/secrets.env" in p.read(".gitignore")
    check = p.check()
    assert check.returncode == 0, check.stdout
    assert "README.md" not in check.stdout and "LICENSE" not in check.stdout


def test_pip_install_build_products_and_check(tmp_path: Path) -> None:
    """Following the generated README's `pip install ./sdk` leaves build/ and *.egg-info
    in the SDK folder: check stays fresh and generate leaves them be."""
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(tmp_path / "site"), str(p.sdk)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (p.sdk / "build").is_dir() and list((p.sdk / "src").glob("*.egg-info"))
    (p.sdk / "src/petsdk/__pycache__").mkdir(exist_ok=True)
    (p.sdk / "src/petsdk/__pycache__/x.cpython-311.pyc").write_bytes(b"\0")
    check = p.check()
    assert check.returncode == 0, check.stdout + check.stderr
    assert "hand edits" not in check.stdout
    assert p.generate(pets_spec("1.1.0", tag=True)).returncode == 0
    assert (p.sdk / "build").is_dir() and list((p.sdk / "src").glob("*.egg-info"))
    ignored = git(p.root, "status", "--porcelain", "--ignored", "--", "sdk")
    assert "!! sdk/build/" in ignored and "egg-info" in ignored  # the SDK's .gitignore


def test_folder_from_an_older_sdkgen_is_migrated(tmp_path: Path) -> None:
    """The old single `.sdkgen` marker file: the folder was all sdkgen's, but there is no
    record of what it wrote. Files it does not produce now are kept (and listed); files
    that differ are overwritten after being saved in a patch; then merging starts."""
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    import shutil

    shutil.rmtree(p.sdk / ".sdkgen")
    (p.sdk / ".sdkgen").write_text("generated by sdkgen 0.1.0 for petsdk; do not edit by hand\n")
    (p.sdk / ".gitignore").write_text("*.log\n")  # the user's, from before sdkgen made one
    (p.sdk / "LICENSE").write_text("MIT\n")
    os.chmod(p.sdk, 0o700)  # what the old write left
    add_helper_and_paragraph(p)
    proc = p.generate(pets_spec("1.1.0", tag=True))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (p.sdk / ".sdkgen").is_dir() and (p.sdk / "LICENSE").read_text() == "MIT\n"
    assert "LICENSE" in proc.stdout and "sdkgen-edits-1.patch" in proc.stdout
    assert "+    def shout_name(self, pet_id: int) -> str:\n" in (p.sdk / "sdkgen-edits-1.patch").read_text()
    gitignore = p.read(".gitignore")
    assert gitignore.startswith("*.log\n") and "/build/" in gitignore
    assert stat.S_IMODE(p.sdk.stat().st_mode) == 0o777 & ~_umask()
    assert p.check().returncode == 0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- three successive versions of the OpenAI spec --------------------------------------

HISTORY = REPO.parent / "shared" / "corpus" / "history" / "openai"
# 07 -> 08 adds the delete-message endpoint; 08 -> 09 adds stream_options and usage in
# stream chunks (see history.tsv)
VERSIONS = ("07-2954f15.yaml", "08-25675d6.yaml", "09-3bbc26b.yaml")
OPENAI_CFG = """\
dist_name: openai-client
import_name: openai_client
sdk_class_name: OpenAIClient
sync_client: OpenAIClient
async_client: AsyncOpenAIClient
env_prefix: OPENAI_CLIENT
"""


def yaml_with_unique_anchors(text: str) -> str:
    """YAML lets a document define an anchor again (later aliases mean the latest one);
    PyYAML refuses a second `&name` in some April-May 2024 OpenAI specs. Renaming each
    redefinition and the aliases after it keeps the document's meaning."""
    seen: dict[str, int] = {}
    current: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        sigil, name = m.group(1), m.group(2)
        if sigil == "&":
            seen[name] = seen.get(name, 0) + 1
            current[name] = name if seen[name] == 1 else f"{name}__{seen[name]}"
            return "&" + current[name]
        return "*" + current.get(name, name)

    return re.sub(r"(?<=[\s\[,])([&*])([A-Za-z_][\w-]*)", sub, text)


OA = "src/openai_client"
OA_EDITS = {  # file: (anchor, text inserted after it)
    f"{OA}/resources/chat.py": ("        self._core = core\n", '''
    def ask(self, prompt: str, model: str = "gpt-4o") -> str:
        """Hand-written: one user message in, the first answer's text out."""
        reply = self.create_chat_completion(
            model=model, messages=[{"role": "user", "content": prompt}]
        )
        return reply.choices[0].message.content or ""
'''),
    f"{OA}/resources/assistants.py": ("        self._core = core\n", '''
    def thread_link(self, thread_id: str) -> str:
        """Hand-written: where a thread is shown in the dashboard."""
        return f"https://platform.openai.com/playground?thread={thread_id}"
'''),
    f"{OA}/models/createchatcompletionrequest.py": ("    user: Optional[str] = None\n", '''
    def is_streaming(self) -> bool:
        """Hand-written."""
        return bool(self.stream)
'''),
    "README.md": ("# openai-client\n", "\nInternal fork: ask #platform-team before upgrading.\n"),
    "docs/sdks/chat/README.md": ("## Overview\n", "\n> Team note: prefer `chat.ask()` for one-off prompts.\n"),
}


@pytest.mark.slow
def test_edits_carried_over_three_openai_spec_versions(tmp_path: Path) -> None:
    import time

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    spec, cfg, sdk = root / "openai.yaml", root / "sdkgen.yaml", root / "sdk"
    cfg.write_text(OPENAI_CFG)

    def generate(version: str) -> tuple[subprocess.CompletedProcess, float]:
        spec.write_text(yaml_with_unique_anchors((HISTORY / version).read_text()))
        start = time.perf_counter()
        proc = sdkgen("generate", "--spec", str(spec), "--config", str(cfg), "--out", str(sdk))
        return proc, time.perf_counter() - start

    proc, first = generate(VERSIONS[0])
    assert proc.returncode == 0, proc.stderr[-3000:]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", VERSIONS[0])
    for rel, (anchor, text) in OA_EDITS.items():
        body = (sdk / rel).read_text()
        assert anchor in body, (rel, anchor)
        (sdk / rel).write_text(body.replace(anchor, anchor + text, 1))
    git(root, "commit", "-q", "-am", "custom code")

    timings = [first]
    expected_new = {VERSIONS[1]: (f"{OA}/resources/assistants.py", "def delete_message("),
                    VERSIONS[2]: (f"{OA}/models/createchatcompletionrequest.py",
                                  "stream_options: OptionalNullable[ChatCompletionStreamOptions]")}
    # edited files the new version changes too (the others are kept as they are)
    merged = {VERSIONS[1]: [f"{OA}/resources/assistants.py"],
              VERSIONS[2]: [f"{OA}/resources/chat.py", f"{OA}/models/createchatcompletionrequest.py",
                            "docs/sdks/chat/README.md"]}
    for version in VERSIONS[1:]:
        proc, took = generate(version)
        timings.append(took)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
        carried = next(line for line in proc.stdout.splitlines() if "carried hand edits" in line)
        for rel in merged[version]:
            assert rel in carried, (version, carried)
        for rel, (anchor, text) in OA_EDITS.items():
            assert anchor + text in (sdk / rel).read_text(), (version, rel)
        rel, new = expected_new[version]
        assert new in (sdk / rel).read_text(), (version, rel)
        check = sdkgen("check", "--spec", str(spec), "--config", str(cfg), "--out", str(sdk))
        assert check.returncode == 0, check.stdout[-2000:]
        assert f"{len(OA_EDITS)} file(s) with hand edits" in check.stdout
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", version)
    # the version before: also kept, and its additions (delete_message) are still there
    assert "def delete_message(" in (sdk / f"{OA}/resources/assistants.py").read_text()
    assert (sdk / f"{OA}/models/chatcompletionstreamoptions.py").exists()

    from support.chat_server import chat_handler

    with LoopbackServer(chat_handler) as srv:
        out = run_sdk(sdk / "src", """
            import os, openai_client
            from openai_client.models import CreateChatCompletionRequest
            with openai_client.OpenAIClient("k", server_url=os.environ["URL"]) as c:
                print(c.chat.ask("hi"))
                print(c.assistants.thread_link("t1"))
            req = CreateChatCompletionRequest(model="gpt-4o", messages=[], stream=True,
                                              stream_options={"include_usage": True})
            print(req.is_streaming())
        """, URL=srv.url)
        sent = srv.requests[0].json()
    assert out.splitlines() == ["Hello! How can I help?",
                                "https://platform.openai.com/playground?thread=t1", "True"]
    assert sent["messages"] == [{"role": "user", "content": "hi"}]
    print(f"openai generate+merge seconds per version: {[round(t, 2) for t in timings]}")


# --- the merge and rename rules, directly -----------------------------------------------

def test_merge_rules() -> None:
    from sdkgen.merge import merge_text

    base = "class A:\n    def f(self):\n        return 1\n\n\nclass B:\n    pass\n"
    mine = base.replace("        return 1\n", "        return 1\n\n    def mine(self):\n        return 2\n")
    gen = base.replace("        return 1\n", "        return 1\n\n    def gen(self):\n        return 3\n")
    # both insert at one place: both kept, the generated one first, no conflict
    merged = merge_text(base, mine, gen, "yours", "generated")
    assert merged.conflicts == []
    assert merged.text == base.replace(
        "        return 1\n",
        "        return 1\n\n    def gen(self):\n        return 3\n\n    def mine(self):\n        return 2\n")
    # one side only: taken
    assert merge_text(base, mine, base, "y", "g").text == mine
    assert merge_text(base, base, gen, "y", "g").text == gen
    # both change the same line: a conflict block, its first line recorded
    merged = merge_text(base, base.replace("return 1", "return 11"),
                        base.replace("return 1", "return 10"), "yours (v1)", "generated (v2)")
    assert merged.conflicts == [3]
    assert merged.text.splitlines()[2:7] == ["<<<<<<< yours (v1)", "        return 11", "=======",
                                             "        return 10", ">>>>>>> generated (v2)"]
    # the user deleted a line the generation changes: a conflict, not a silent choice
    merged = merge_text("a\nb\nc\n", "a\nc\n", "a\nB\nc\n", "y", "g")
    assert merged.conflicts == [2] and "B\n" in merged.text
    # a file without a final newline still gets its markers on lines of their own
    merged = merge_text("x", "y", "z", "y", "g")
    assert merged.text == "<<<<<<< y\ny\n=======\nz\n>>>>>>> g\n"


def test_rename_needs_clear_evidence() -> None:
    from sdkgen.merge import match_renames

    body = "".join(f"    field_{i}: int\n" for i in range(20))
    pet = "class Pet:\n" + body
    assert match_renames({"pet.py": pet}, {"animal.py": pet.replace("Pet", "Animal")}) == \
        {"pet.py": "animal.py"}
    # two equally good candidates: no guess
    assert match_renames({"pet.py": pet}, {"a.py": pet.replace("Pet", "A"),
                                           "b.py": pet.replace("Pet", "B")}) == {}
    # another file type, or too little alike: no rename
    assert match_renames({"pet.py": pet}, {"pet.md": pet}) == {}
    assert match_renames({"pet.py": pet}, {"other.py": "class Other:\n    x: str\n"}) == {}


def test_user_file_where_the_generation_now_puts_one(tmp_path: Path) -> None:
    """The user wrote docs/models/owner.md; the new spec adds an Owner model whose page
    has that path: both sides added a file, so it is a conflict, not an overwrite."""
    p = Project(tmp_path / "repo")
    assert p.generate(pets_spec("1.0.0")).returncode == 0
    (p.sdk / "docs/models/owner.md").write_text("# Owner\n\nOur own page.\n")
    proc = p.generate(pets_spec("1.1.0", owner=True))
    assert proc.returncode == 1
    assert f"{p.sdk / 'docs/models/owner.md'}:3: conflict" in proc.stderr
    text = p.read("docs/models/owner.md")
    assert "Our own page." in text and "Who owns pets." in text and "<<<<<<< your edits" in text
    assert (p.sdk / "src/petsdk/models/owner.py").exists()  # the rest is written
