"""Stage 4: names. Python identifiers for everything the spec names, and class names
for every named type, chosen deterministically and free of collisions.

Collision policy (stable and explained): each type carries its candidate names, best
first (a component's own name; an inline schema's bare property name, then parent +
property). The first free candidate wins, in discovery order (components first, in
document order). When every candidate is taken, the last one gets the smallest
numeric suffix that is free, and the naming stage records why.
"""

from __future__ import annotations

import hashlib
import keyword
import re
from dataclasses import dataclass, field

from .model import Api, NamedType, Namespace
from .reach import named_after_value, naming_order, reachable_keys, twin_numbers

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])|([A-Z])([A-Z][a-z])")

# Attributes of pydantic.BaseModel that a field must not shadow.
_RESERVED_FIELDS = {
    "model_config", "model_fields", "model_computed_fields", "model_extra", "model_fields_set",
    "model_construct", "model_copy", "model_dump", "model_dump_json", "model_json_schema",
    "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
    "model_validate_json", "model_validate_strings", "dict", "json", "copy", "parse_obj",
    "parse_raw", "parse_file", "from_orm", "construct", "schema", "schema_json", "validate",
    "update_forward_refs", "fields", "register",
    # names the generated model modules use in annotations: a field must not hide them
    "str", "int", "float", "bool", "bytes", "list", "date", "datetime", "pydantic",
    "UNSET", "open_enum", "Nullable", "OptionalNullable", "BaseModel", "Any", "List", "Dict",
    "Optional", "Union", "Literal", "Annotated", "NotRequired", "TypedDict", "Enum",
}
# Names every generated `models` package already defines.
_RUNTIME_MODEL_NAMES = {"BaseModel", "ResponseValidationError", "NoResponseError", "Any",
                        "List", "Dict", "Optional", "Union", "Literal", "Enum",
                        "StreamTruncatedError", "OAuth2Error"}  # re-exported from errors


def pascal(text: str) -> str:
    """`tool_choice` -> `ToolChoice`, `serverlessChatComplete` -> `ServerlessChatComplete`."""
    parts = _WORD.findall(text)
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    if not out:
        return "Unnamed"
    if out[0].isdigit():
        out = "T" + out
    return out


def snake(text: str) -> str:
    """`X-Friendli-Team` -> `x_friendli_team`, `ToolAssistedChat` -> `tool_assisted_chat`."""
    text = _CAMEL.sub(lambda m: (m.group(1) or m.group(3)) + "_" + (m.group(2) or m.group(4)), text)
    parts = _WORD.findall(text)
    return "_".join(p.lower() for p in parts)


def singular(name: str) -> str:
    """`Plugins` -> `Plugin`, `Modalities` -> `Modality`, `Statuses` -> `Status`: the last
    word of a PascalCase name in the singular (plain English rules; unknown forms kept)."""
    low = name.lower()
    if low.endswith("ies") and len(name) > 4:
        return name[:-3] + ("Y" if name[-3].isupper() else "y")
    for tail in ("sses", "xes", "ches", "shes", "uses"):
        if low.endswith(tail):
            return name[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(name) > 2:
        return name[:-1]
    return name


def identifier(text: str, reserved: set[str] | frozenset[str] = frozenset()) -> str:
    """A safe Python identifier (snake case) for a wire name."""
    name = snake(text) or "field"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name += "_"
    return name


def field_identifier(text: str) -> str:
    return identifier(text, _RESERVED_FIELDS)


# Class names are also file names: `models/<name lower>.py`, `docs/models/<name lower>.md`,
# `docs/sdks/<name lower>/` (see `safe_file_stem`).
MAX_NAME = 64
# Names Windows reserves for devices, whatever the extension (`con.py` cannot be created).
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def safe_file_stem(name: str) -> str:
    """`name` made safe as a module and file name (lower-cased by the caller or not): not a
    Python keyword in lower case (`from .class import`), not a Windows device name (CON,
    NUL...), at most MAX_NAME characters (a longer one is cut and keeps a hash of the whole,
    so that two long names stay apart). Case-insensitive collisions are the namer's to
    avoid (`assign_names` compares lower-cased names)."""
    if len(name) > MAX_NAME:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        name = name[:MAX_NAME - 9] + "_" + digest
    lower = name.lower()
    if keyword.iskeyword(lower) or keyword.iskeyword(name) or lower in _WINDOWS_RESERVED:
        name += "_"
    return name


def class_identifier(text: str) -> str:
    """A class name from a spec's name, safe as a module and file name too."""
    return safe_file_stem(pascal(text))


def unique(names: list[str]) -> list[str]:
    """Make identifiers unique within one scope by suffixing later duplicates."""
    seen: set[str] = set()
    out = []
    for n in names:
        cand, i = n, 2
        while cand in seen:
            cand = f"{n}{i}"
            i += 1
        seen.add(cand)
        out.append(cand)
    return out


@dataclass
class Names:
    types: dict[str, str] = field(default_factory=dict)  # type key -> class name
    errors: dict[str, str] = field(default_factory=dict)  # error body key -> exception class
    namespaces: dict[tuple[str, ...], str] = field(default_factory=dict)  # path -> class name
    notes: list[tuple[str, str]] = field(default_factory=list)  # (type key, why suffixed)

    def of(self, key: str) -> str:
        return self.types[key]


def assign_names(api: Api, sdk_class_name: str, reserved_models: set[str],
                 client_names: tuple[str, ...] = (), legacy_namespaces: bool = False) -> Names:
    """`legacy_namespaces` (a gen.yaml written before the commercial generator's
    `nameResolutionFeb2025` fix): namespaces are named first, and a namespace whose last
    segment another one met earlier has is `<SDKClass><Segment>` (`EmissaryClientCompletions`
    beside `Completions`), as that generator named them; models give way to namespaces."""
    names = Names()
    taken_lower: set[str] = {n.lower() for n in _RUNTIME_MODEL_NAMES | reserved_models}
    if legacy_namespaces:
        _name_namespaces(api.root, sdk_class_name, names, api.tags, client_names, legacy=True)
        taken_lower |= {n.lower() for n in names.namespaces.values()}

    def free(name: str) -> bool:
        # Module and docs file names are the lower-cased class name: compare case-insensitively.
        return name.lower() not in taken_lower and (name + "TypedDict").lower() not in taken_lower

    reachable = reachable_keys(api)
    by_value = named_after_value(api, reachable)
    twins = twin_numbers(api, reachable, by_value)
    for t in naming_order(api, reachable):
        chosen = None
        cands = t.candidates[1:] if t.key in by_value else t.candidates
        if t.key in twins:
            # inline types no candidate tells apart are numbered from 1, all of them
            cands = (cands[0] + str(twins[t.key]),) + tuple(cands)
        for cand in cands:
            cand = class_identifier(cand)
            if free(cand):
                chosen = cand
                break
        if chosen is None:
            base = class_identifier(t.candidates[-1])
            i = 2
            while not free(f"{base}{i}"):
                i += 1
            chosen = f"{base}{i}"
            names.notes.append(
                (t.key, f"names {', '.join(t.candidates)} are taken; using {chosen}"))
        taken_lower.add(chosen.lower())
        taken_lower.add((chosen + "TypedDict").lower())
        names.types[t.key] = chosen
        if t.key in api.error_keys:
            # The exception takes the schema's name; its parsed body model becomes `<Name>Data`.
            data = chosen + "Data"
            i = 2
            while not free(data):
                data = f"{chosen}Data{i}"
                i += 1
            taken_lower.add(data.lower())
            taken_lower.add((data + "TypedDict").lower())
            names.types[t.key] = data
            names.errors[t.key] = chosen

    if not legacy_namespaces:
        _name_namespaces(api.root, sdk_class_name, names, api.tags, client_names)
    return names


def _name_namespaces(root: Namespace, sdk_class_name: str, names: Names,
                     tags: tuple[str, ...], client_names: tuple[str, ...] = (),
                     legacy: bool = False) -> None:
    all_nodes: list[Namespace] = []

    def walk(ns: Namespace) -> None:
        for child in ns.children:
            all_nodes.append(child)
            walk(child)

    walk(root)
    # Count every namespace the spec names (declared tags too), by its last segment.
    every_path = {ns.path for ns in all_nodes}
    for tag in tags:
        segs = tuple(snake(p) for p in tag.split(".") if snake(p))
        every_path.update(segs[:i] for i in range(1, len(segs) + 1))
    by_last: dict[str, int] = {}
    for path in every_path:
        by_last[pascal(path[-1])] = by_last.get(pascal(path[-1]), 0) + 1
    # A namespace class must not shadow a client class (`Pets` client, `pets` tag), nor
    # have an async twin (`Async` + name) that does.
    used: set[str] = set(client_names) | {n[5:] for n in client_names if n.startswith("Async")}
    used_lower: set[str] = set()
    met: set[str] = set()  # (legacy) last segments already named
    for ns in all_nodes:
        cands = list(ns.class_candidates)
        if legacy:
            if cands[0] in met:
                cands = [sdk_class_name + cands[0]] + cands
            met.add(cands[-1])
        elif by_last[cands[0]] > 1:
            # The tag's last segment is ambiguous: qualify it with the whole tag path.
            cands = [sdk_class_name + pascal("_".join(ns.path))] + cands
        cands.append(pascal("_".join(ns.path)) + "Resource")
        # (the module and docs folder are named after the class; compared case-insensitively)
        cands = [c for c in map(safe_file_stem, cands) if c.lower() not in used_lower]
        name = next((c for c in cands if c not in used), None)
        if name is None:
            base, i = safe_file_stem(pascal("_".join(ns.path)) + "Resource"), 2
            while f"{base}{i}" in used or f"{base}{i}".lower() in used_lower:
                i += 1
            name = f"{base}{i}"
        used.add(name)
        used_lower.add(name.lower())
        names.namespaces[ns.path] = name


def type_module(class_name: str) -> str:
    return class_name.lower()


def is_named(t: NamedType) -> bool:
    return bool(t.candidates)


def enum_members(values: tuple[object, ...] | list[object],
                 names: tuple[str, ...] = ()) -> list[tuple[str, object]]:
    """Enum member names: the upper-cased value (`system` -> `SYSTEM`), made unique; with
    `names` (x-speakeasy-enums, one per value) the upper snake case of each name."""
    raw = []
    use_names = len(names) == len(values)
    for i, v in enumerate(values):
        text = snake(names[i]) if use_names else str(v)
        # word boundaries of camelCase values count (`MasterCard` -> `MASTER_CARD`), as in
        # the reference generator's names
        base = re.sub(r"[^A-Za-z0-9]+", "_", snake(text) or text).strip("_").upper() or "EMPTY"
        if re.fullmatch(r"-?\d{1,15}", text.strip()):
            # numbers in words, as the reference generator names them (`ZERO`,
            # `ONE_HUNDRED_AND_THIRTY_SEVEN`, `MINUS_1`)
            digits = text.strip()
            base = f"MINUS_{digits[1:]}" if digits.startswith("-") else number_words(int(digits))
        if base[0].isdigit():
            base = "VALUE_" + base
        if base.startswith("_"):
            base = "V" + base
        raw.append(base)
    return list(zip(unique(raw), values))


_ONES = ("ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN "
         "FOURTEEN FIFTEEN SIXTEEN SEVENTEEN EIGHTEEN NINETEEN").split()
_TENS = "_ _ TWENTY THIRTY FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY".split()
_SCALES = ((10 ** 12, "TRILLION"), (10 ** 9, "BILLION"), (10 ** 6, "MILLION"),
           (1000, "THOUSAND"))


def number_words(n: int) -> str:
    """8453 -> `EIGHT_THOUSAND_FOUR_HUNDRED_AND_FIFTY_THREE` (British English, upper snake)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("_" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + "_HUNDRED" + ("_AND_" + number_words(rest) if rest else "")
    for size, word in _SCALES:
        if n >= size:
            rest = n % size
            tail = ("_AND_" if rest < 100 else "_") + number_words(rest) if rest else ""
            return number_words(n // size) + "_" + word + tail
    return str(n)


def enum_member_name(value: object, values: tuple[object, ...],
                     names: tuple[str, ...] = ()) -> str:
    for name, v in enum_members(values, names):
        if v == value:
            return name
    raise KeyError(value)
