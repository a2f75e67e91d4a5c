"""Our generated pydantic models checked against datamodel-code-generator's (issue 3, item 7).

For every component schema of specs/friendli and specs/atoma:

* ``datamodel-codegen`` (run for real, at test time, into a tmp dir) builds its own pydantic
  v2 models from the same spec; its class names are the component names.
* the component is turned into a self-contained JSON Schema (``$ref``s inlined; a recursive
  component would be skipped with its cycle named: the two specs have none today);
* hypothesis-jsonschema draws instances from it (derandomized, no example database);
* (a) every instance datamodel-codegen's model accepts must be accepted by ours, both as a
  response (``context=RESPONSE_CONTEXT``) and as a request (no context), and
  ``model_dump(mode="json", by_alias=True, exclude_unset=True)`` must give the input back;
* (b) every instance broken by giving one value a different JSON type (checked invalid
  against the JSON Schema with ``jsonschema``) that datamodel-codegen's model rejects for a
  type reason must be rejected by ours, as a request and as a response;
* (c) for the components that are (part of) a request body, the JSON Schema itself is the
  oracle where datamodel-codegen is too lax to be one (its optional properties are all
  ``X | None = None``): whatever broken instance ours accepts as a request, the JSON it
  would send (its dump) must be valid against the schema.

Differences that are ours by design are encoded below, each with its reason:

* unknown properties: hypothesis-jsonschema would add arbitrary extra keys to every object
  whose schema does not forbid them; both libraries' models *ignore* such keys (pydantic's
  ``extra="ignore"``) so the dump cannot give them back. Instances for the round trip are
  therefore drawn with ``additionalProperties: false`` added to such objects, and a
  separate check adds an unknown key to each drawn object instance and asserts ours
  accepts it and drops it (forward compatibility of responses);
* JSON numbers: a ``number`` field given the JSON integer ``5`` dumps ``5.0``; JSON does not
  tell the two apart, so an int in the input equals a float in the dump when the values are
  equal as floats (datamodel-codegen's ``float`` fields do the same);
* open enums: in a response our enum-typed fields accept a value outside the enum (a new
  ``finish_reason`` must not break the client), datamodel-codegen's enums do not; since (b)
  only ever changes a value's JSON *type*, the open-enum tolerance must not let a value of
  the wrong type through, and the test checks exactly that;
* 3.1 ``const``: ours spell it ``Literal["x"] = "x"`` (so a caller need not pass it),
  datamodel-codegen ``Literal["x"]`` required; so a missing tag (``union_tag_not_found``)
  is not a type error for (b), and (c) checks instead that ours then still *send* the tag;
* spec defaults sent always: a request body property with a spec ``default`` (``stream:
  false``) is marked set by our model even when the caller leaves it out, so the wire
  carries it as the reference SDKs' does (issue 3, item 5); the dump may therefore hold
  such a top-level key the input lacked, with exactly the spec's default as value;
* nullability spelled ``anyOf: [X, {type: null}]`` / ``type: [X, 'null']``: ours map both to
  ``Nullable``/``OptionalNullable``, datamodel-codegen to ``X | None``; same accepted set.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml
from conftest import GENERATED, REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from support.schema_oracle import (
    RecursiveSchema,
    bound_sizes,
    close_objects,
    component_json_schema,
    json_type,
    key_deletions,
    load_module,
    request_components,
    type_mutations,
)

# spec name -> import name of our generated SDK
TARGETS = {"friendli": "friendli", "atoma": "atoma_sdk"}
MAX_VALID = 12  # hypothesis examples per component for (a)
MAX_BROKEN = 8  # hypothesis examples per component for (b) ...
MUTATIONS_PER_EXAMPLE = 6  # ... each broken in up to this many ways
MAX_NULLED = 6  # hypothesis examples per request component for each (c) test

for _t in TARGETS:
    _p = str(GENERATED / _t / "src")
    if _p not in sys.path:
        sys.path.insert(0, _p)

SPECS = {name: yaml.safe_load((REPO / "specs" / name / "openapi.yaml").read_text())
         for name in TARGETS}
REQUEST_COMPONENTS = {spec: request_components(doc) for spec, doc in SPECS.items()}
CASES = [(spec, comp) for spec, doc in SPECS.items() for comp in doc["components"]["schemas"]]

# pydantic error types that are not about a value's type: a type-changing mutation that
# datamodel-codegen rejects only with these is not a "rejected for type reasons" case.
NON_TYPE_ERRORS = {
    "missing", "extra_forbidden", "greater_than", "greater_than_equal", "less_than",
    "less_than_equal", "multiple_of", "string_too_short", "string_too_long",
    "string_pattern_mismatch", "too_short", "too_long", "finite_number",
    # a discriminated union given an object without the tag: "missing", not a type error
    # (ours give 3.1 `const` tags a default, so they fill it in; (c) checks what is sent)
    "union_tag_not_found",
}

COMMON = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": False,
    # No shrinking: a failure reports the drawn instance as is (they are small), and the
    # run time stays bounded when something does disagree.
    "phases": (Phase.explicit, Phase.generate),
}


# --------------------------------------------------------------------------- oracles


@pytest.fixture(scope="session")
def dmcg(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """datamodel-codegen's models for each spec, generated now into a tmp dir."""
    exe = shutil.which("datamodel-codegen") or str(Path(sys.executable).parent / "datamodel-codegen")
    out_dir = tmp_path_factory.mktemp("dmcg")
    modules = {}
    for spec in TARGETS:
        out = out_dir / f"dmcg_{spec}.py"
        subprocess.run(
            [
                exe,
                "--input", str(REPO / "specs" / spec / "openapi.yaml"),
                "--input-file-type", "openapi",
                "--output-model-type", "pydantic_v2.BaseModel",
                "--output", str(out),
                "--target-python-version", "3.10",
                "--use-standard-collections",
                "--use-union-operator",
                # keep the spec's property names (a Python keyword/builtin clash such as
                # `schema` becomes `schema_` with alias="schema"); no snake-casing
                "--field-constraints",
                "--strict-nullable",
                "--disable-timestamp",
                "--formatters", "builtin",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        modules[spec] = load_module(out, f"_dmcg_models_{spec}")
    return modules


def _ours(spec: str, name: str) -> Any:
    import importlib

    models = importlib.import_module(f"{TARGETS[spec]}.models")
    types = importlib.import_module(f"{TARGETS[spec]}.types")
    # our class may write an initialism in capitals (JSONSchemaResponseFormat) where
    # datamodel-codegen does not: same name but for the case
    name = next((n for n in models.__all__ if n.lower() == name.lower()), name)
    return getattr(models, name), types.RESPONSE_CONTEXT


class Side:
    """Validate/dump through a model class or, for unions/enums, a TypeAdapter."""

    def __init__(self, tp: Any) -> None:
        self.tp = tp
        self.is_model = isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)
        self.adapter = None if self.is_model else pydantic.TypeAdapter(tp)
        self.defaults: dict = {}

    def validate(self, data: Any, context: dict | None = None) -> Any:
        if self.is_model:
            return self.tp.model_validate(data, context=context)
        return self.adapter.validate_python(data, context=context)

    def dump(self, value: Any) -> Any:
        if self.is_model:
            return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return self.adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


_SIDES: dict = {}


def sides(dmcg: dict, spec: str, name: str) -> tuple[Side, Side, dict, Any, Any]:
    """(ours, datamodel-codegen's, RESPONSE_CONTEXT, instance strategy, schema validator).

    ``Side.defaults`` of ours holds the component's top-level property defaults."""
    key = (spec, name)
    if key not in _SIDES:
        try:
            schema = component_json_schema(SPECS[spec], name)
        except RecursiveSchema as exc:  # none today; kept so a recursive spec is reported
            pytest.skip(f"recursive component schema ({exc}): hypothesis-jsonschema cannot draw it")
        ours, response_ctx = _ours(spec, name)
        ours = Side(ours)
        props = SPECS[spec]["components"]["schemas"][name].get("properties", {})
        ours.defaults = {k: v["default"] for k, v in props.items() if "default" in v}
        theirs = getattr(dmcg[spec], name, None)
        assert theirs is not None, f"datamodel-codegen produced no class named {name}"
        _SIDES[key] = (ours, Side(theirs), response_ctx,
                       from_schema(bound_sizes(close_objects(schema))),
                       jsonschema.Draft202012Validator(schema))
    return _SIDES[key]


def json_equal(expected: Any, got: Any) -> bool:
    """Equal as JSON values, ignoring key order.

    Encoded difference: a JSON integer given to a ``number`` field comes back as a float
    (``5`` -> ``5.0``); equal when equal as floats."""
    te, tg = json_type(expected), json_type(got)
    if te == "integer" and tg == "number":
        return math.isfinite(got) and float(expected) == got
    if te != tg:
        return False
    if te == "object":
        return expected.keys() == got.keys() and all(json_equal(expected[k], got[k]) for k in expected)
    if te == "array":
        return len(expected) == len(got) and all(json_equal(a, b) for a, b in zip(expected, got))
    return expected == got


def with_sent_defaults(instance: Any, dumped: Any, defaults: dict) -> Any:
    """The input plus the spec defaults ours send although the input left them out.

    Encoded difference (see the module docstring): only top-level keys, only keys with a
    spec ``default``, and only when the dumped value is exactly that default."""
    if not (isinstance(instance, dict) and isinstance(dumped, dict)):
        return instance
    extra = {k: dumped[k] for k, d in defaults.items()
             if k not in instance and k in dumped and json_equal(d, dumped[k])}
    return {**instance, **extra}


def _short(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, ensure_ascii=True, default=repr)
    return text if len(text) <= limit else text[:limit] + "...(cut)"


# --------------------------------------------------------------------------- checks


STATS: dict[str, int] = {"valid": 0, "valid_dmcg_rejected": 0, "broken": 0,
                         "broken_type_rejected": 0, "broken_dmcg_accepted": 0}


def check_valid(ours: Side, theirs: Side, ctx: dict, instance: Any) -> str | None:
    """(a) for one instance; returns a description of the disagreement, or None."""
    STATS["valid"] += 1
    try:
        theirs.validate(instance)
    except pydantic.ValidationError:
        STATS["valid_dmcg_rejected"] += 1
        return None  # nothing required of ours (datamodel-codegen rejected a valid instance)
    for mode, context in (("response", ctx), ("request", None)):
        try:
            value = ours.validate(instance, context)
        except pydantic.ValidationError as exc:
            return f"ours rejects ({mode}) what datamodel-codegen accepts: {_short(instance)}\n{exc}"
        dumped = ours.dump(value)
        if not json_equal(with_sent_defaults(instance, dumped, ours.defaults), dumped):
            return (f"ours dumps ({mode}) different JSON:\n  input {_short(instance)}\n"
                    f"  dump  {_short(dumped)}")
    if isinstance(instance, dict):
        # Encoded difference: unknown keys are accepted and dropped (extra="ignore").
        extra = {**instance, "zz_unknown_property": [1, "x"]}
        for mode, context in (("response", ctx), ("request", None)):
            try:
                theirs.validate(extra)
                value = ours.validate(extra, context)
            except pydantic.ValidationError as exc:
                if "extra_forbidden" in str(exc):  # the spec closes this object
                    break
                return f"ours rejects ({mode}) an unknown property: {_short(extra)}\n{exc}"
            dumped = ours.dump(value)
            if not json_equal(with_sent_defaults(instance, dumped, ours.defaults), dumped):
                return (f"ours dumps ({mode}) an unknown property wrongly:\n  input {_short(extra)}\n"
                        f"  dump  {_short(dumped)}")
    return None


def check_broken(ours: Side, theirs: Side, ctx: dict, validator: Any, path: tuple,
                 new_type: str, broken: Any) -> str | None:
    """(b) for one type-broken instance; returns a description of the disagreement, or None."""
    if validator.is_valid(broken):
        return None  # the location accepts that type too (e.g. an untyped `{}` schema)
    STATS["broken"] += 1
    try:
        theirs.validate(broken)
        STATS["broken_dmcg_accepted"] += 1
        return None  # datamodel-codegen accepts it (lax coercion / `X | None`): see (c)
    except pydantic.ValidationError as exc:
        kinds = {e["type"] for e in exc.errors()}
    if kinds <= NON_TYPE_ERRORS:
        return None
    STATS["broken_type_rejected"] += 1
    for mode, context in (("request", None), ("response", ctx)):
        try:
            value = ours.validate(broken, context)
        except pydantic.ValidationError:
            continue
        return (f"ours accepts ({mode}) a value of the wrong JSON type ({new_type} at "
                f"{list(path)}) that datamodel-codegen rejects ({sorted(kinds)}):\n"
                f"  instance {_short(broken)}\n  ours     {_short(ours.dump(value))}")
    return None


def check_request_dump(ours: Side, validator: Any, path: tuple, new_type: str,
                       broken: Any) -> str | None:
    """(c) for one type-broken instance of a request-body component.

    datamodel-codegen is too lax to judge all of these: every optional property becomes
    ``X | None = None`` (so ``null`` passes where the spec forbids it) and pydantic's lax
    mode coerces some values. Here the JSON Schema itself is the oracle: if ours accepts the
    instance as a request, what it would send (the dump) must be valid against the schema.
    Coercing ``True`` to ``1`` or filling in a ``const`` is fine; sending a forbidden
    ``null``, or an object without its required ``const`` tag, is not."""
    if validator.is_valid(broken):
        return None
    try:
        value = ours.validate(broken, None)
    except pydantic.ValidationError:
        return None
    dumped = ours.dump(value)
    if validator.is_valid(dumped):
        return None
    change = "without the key" if new_type == "deleted" else f"with a {new_type}"
    return (f"ours accepts as a request an instance {change} at {list(path)}, which the schema "
            f"forbids, and would send JSON the schema forbids: {_short(dumped)}\n  schema says: "
            f"{next(iter(validator.iter_errors(dumped))).message[:300]}")


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize(("spec", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_valid_instances_accepted_and_round_trip(dmcg: dict, spec: str, name: str) -> None:
    ours, theirs, ctx, instances, _validator = sides(dmcg, spec, name)

    @settings(max_examples=MAX_VALID, **COMMON)
    @given(instances)
    def run(instance: Any) -> None:
        problem = check_valid(ours, theirs, ctx, instance)
        if problem:
            raise AssertionError(f"{spec} {name}: {problem}")

    run()


@pytest.mark.parametrize(("spec", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_type_broken_instances_rejected(dmcg: dict, spec: str, name: str) -> None:
    ours, theirs, ctx, instances, validator = sides(dmcg, spec, name)

    @settings(max_examples=MAX_BROKEN, **COMMON)
    @given(instances, st.data())
    def run(instance: Any, data: st.DataObject) -> None:
        mutations = type_mutations(instance)
        picks = data.draw(st.lists(st.integers(0, len(mutations) - 1), min_size=1,
                                   max_size=MUTATIONS_PER_EXAMPLE, unique=True))
        for i in picks:
            path, new_type, broken = mutations[i]
            problem = check_broken(ours, theirs, ctx, validator, path, new_type, broken)
            if problem:
                raise AssertionError(f"{spec} {name}: {problem}")

    run()


def _request_case(spec: str, name: str, dmcg: dict) -> tuple[Side, Any, Any]:
    if name not in REQUEST_COMPONENTS[spec]:
        pytest.skip("response-only component: accepting more than the spec in a response "
                    "is harmless, nothing is sent")
    ours, _theirs, _ctx, instances, validator = sides(dmcg, spec, name)
    return ours, instances, validator


@pytest.mark.parametrize(("spec", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_request_models_never_send_what_the_schema_forbids(dmcg: dict, spec: str,
                                                           name: str) -> None:
    """(c): in a few drawn instances, every location set to ``null`` (the case datamodel-codegen
    cannot judge, see ``check_request_dump``), plus a few other wrong types."""
    ours, instances, validator = _request_case(spec, name, dmcg)

    @settings(max_examples=MAX_NULLED, **COMMON)
    @given(instances, st.data())
    def run(instance: Any, data: st.DataObject) -> None:
        mutations = type_mutations(instance)
        nulls = [i for i, m in enumerate(mutations) if m[1] == "null"]
        picks = data.draw(st.lists(st.integers(0, len(mutations) - 1), min_size=1,
                                   max_size=MUTATIONS_PER_EXAMPLE, unique=True))
        for i in dict.fromkeys(nulls + picks):
            problem = check_request_dump(ours, validator, *mutations[i])
            if problem:
                raise AssertionError(f"{spec} {name}: {problem}")

    run()


@pytest.mark.parametrize(("spec", "name"), CASES, ids=[f"{s}-{n}" for s, n in CASES])
def test_request_models_send_required_keys_they_default(dmcg: dict, spec: str,
                                                        name: str) -> None:
    """(c) too: every key of a few drawn instances left out in turn. Ours may accept the
    omission of a key that has a default or is a 3.1 ``const`` (by design: the caller need not
    spell ``role="user"``), but what it sends must still satisfy the schema."""
    ours, instances, validator = _request_case(spec, name, dmcg)

    @settings(max_examples=MAX_NULLED, **COMMON)
    @given(instances)
    def run(instance: Any) -> None:
        for mutation in key_deletions(instance):
            problem = check_request_dump(ours, validator, *mutation)
            if problem:
                raise AssertionError(f"{spec} {name}: {problem}")

    run()
