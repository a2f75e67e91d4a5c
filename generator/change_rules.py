"""The change classifier's data: the severities, the `RULES` table (one rule per kind of
change, its severity on the request and on the response side, its CHANGELOG section;
docs/changes.md prints it), and the `Change` and `Report` records generator/changes.py
produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .surface import REQUEST, RESPONSE

BREAKING, FEATURE, FIX = "breaking", "feature", "fix"


_RANK = {FIX: 0, FEATURE: 1, BREAKING: 2}


SEVERITIES = (BREAKING, FEATURE, FIX)


@dataclass(frozen=True)
class Rule:
    request: str  # severity when the change is on what the caller sends
    response: str  # ... and on what the caller receives
    section: str  # CHANGELOG section: Breaking | Added | Changed | Fixed (for non-breaking)
    text: str  # what the rule covers (docs/changes.md prints this table)


def _r(request: str, response: str | None = None, section: str = "Changed",
       text: str = "") -> Rule:
    return Rule(request, response or request, section, text)


B, F, X = BREAKING, FEATURE, FIX


RULES: dict[str, Rule] = {
    # methods
    "method-added": _r(F, section="Added", text="a new method"),
    "method-removed": _r(B, text="a method is gone"),
    "method-renamed": _r(B, text="same HTTP method, path and variant under a new name"),
    "method-deprecated": _r(F, text="a method is marked deprecated (note)"),
    "method-undeprecated": _r(F, text="a method is no longer deprecated"),
    "argument-added": _r(F, section="Added", text="a new optional argument"),
    "argument-added-required": _r(B, text="a new required argument"),
    "argument-removed": _r(B, text="an argument is gone"),
    "argument-renamed": _r(B, text="same wire name and location, new Python name"),
    "argument-required": _r(B, text="an optional argument becomes required"),
    "argument-optional": _r(F, text="a required argument becomes optional"),
    "argument-nullable": _r(F, text="an argument accepts null"),
    "argument-not-nullable": _r(B, text="an argument no longer accepts null"),
    "argument-type-widened": _r(F, text="an argument accepts more (e.g. int -> float, -> Any)"),
    "argument-type-narrowed": _r(B, text="an argument accepts less"),
    "argument-type-changed": _r(B, text="an argument's type changes incompatibly"),
    "argument-default-changed": _r(F, text="the default sent for an omitted argument changes"),
    "argument-deprecated": _r(F, text="an argument is marked deprecated (note)"),
    "argument-moved": _r(B, text="an argument moves between path, query, header and body"),
    "return-type-widened": _r(B, B, text="a method may return more than before"),
    "return-type-narrowed": _r(F, F, text="a method returns less than before"),
    "return-type-changed": _r(B, B, text="a method's return type changes incompatibly"),
    "error-added": _r(F, text="a method documents a new error (raised as a typed exception)"),
    "error-removed": _r(F, text="a method no longer documents an error"),
    "method-security-changed": _r(B, text="the credentials a method needs change"),
    # named types
    "model-added": _r(F, section="Added", text="a new model"),
    "model-removed": _r(B, text="a model is gone"),
    "model-renamed": _r(B, text="same schema (or shape), new class name"),
    "model-deprecated": _r(F, text="a model is marked deprecated (note)"),
    "field-added": _r(F, F, section="Added", text="a new optional request field / any "
                                                 "new response field"),
    "field-added-required": _r(B, F, section="Added",
                               text="a new required field (request: breaking)"),
    "field-removed": _r(B, B, text="a field is gone"),
    "field-renamed": _r(B, B, text="same wire name, new Python attribute"),
    "field-required": _r(B, F, text="an optional field becomes required"),
    "field-optional": _r(F, B, text="a required field becomes optional"),
    "field-nullable": _r(F, B, text="a field may be null"),
    "field-not-nullable": _r(B, F, text="a field may no longer be null"),
    "field-type-widened": _r(F, B, text="a field's type widens"),
    "field-type-narrowed": _r(B, F, text="a field's type narrows"),
    "field-type-changed": _r(B, B, text="a field's type changes incompatibly"),
    "field-default-changed": _r(F, F, text="a field's default changes"),
    "field-deprecated": _r(F, F, text="a field is marked deprecated (note)"),
    "additional-properties-changed": _r(B, B, text="extra keys are (no longer) accepted"),
    "enum-added": _r(F, section="Added", text="a new enum"),
    "enum-removed": _r(B, text="an enum is gone"),
    "enum-renamed": _r(B, text="same schema (or values), new class name"),
    "enum-value-added": _r(F, F, section="Added",
                           text="a new value (response: breaking when the enum is closed)"),
    "enum-value-added-closed": _r(F, B, section="Added",
                                  text="a new value of an enum the SDK keeps closed in "
                                       "responses"),
    "enum-value-removed": _r(B, F, text="a value is gone"),
    "enum-closed": _r(F, B, text="a response enum no longer accepts unknown values"),
    "enum-opened": _r(F, F, text="a response enum accepts unknown values"),
    "union-added": _r(F, section="Added", text="a new union"),
    "union-removed": _r(B, text="a union is gone"),
    "union-renamed": _r(B, text="same schema (or members), new class name"),
    "union-member-added": _r(F, B, text="a union accepts one more member type"),
    "union-member-removed": _r(B, F, text="a union loses a member type"),
    "union-discriminator-changed": _r(B, B, text="a union's discriminator changes"),
    "exception-added": _r(F, section="Added", text="a new exception class"),
    "exception-removed": _r(B, text="an exception class is gone"),
    # client
    "server-default-changed": _r(B, text="the default server URL changes"),
    "server-added": _r(F, section="Added", text="a new server (by index or id)"),
    "server-removed": _r(B, text="a server is gone"),
    "security-scheme-added": _r(F, section="Added", text="a new credential argument"),
    "security-scheme-removed": _r(B, text="a credential argument is gone"),
    "security-scheme-changed": _r(B, text="how a credential is sent changes"),
    "client-argument-added": _r(F, section="Added", text="a new global client argument"),
    "client-argument-removed": _r(B, text="a global client argument is gone"),
    "client-argument-changed": _r(B, text="a global client argument's type changes"),
    "client-renamed": _r(B, text="the client class is renamed"),
    "package-renamed": _r(B, text="the import package is renamed"),
    "namespace-added": _r(F, section="Added", text="a new namespace (client attribute)"),
    "namespace-removed": _r(B, text="a namespace is gone"),
    # documentation only
    "docs-changed": _r(X, X, section="Fixed", text="descriptions or examples change"),
}


@dataclass(frozen=True)
class Change:
    severity: str
    kind: str
    path: str  # "chat.create_chat_completion(tool_choice)", "models.Foo.bar", ...
    pointer: str  # JSON pointer on the new side (the old one when the item is gone)
    old: Any
    new: Any
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "kind": self.kind, "path": self.path,
                "pointer": self.pointer, "old": self.old, "new": self.new,
                "message": self.message}


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity == BREAKING]

    @property
    def bump(self) -> str:
        """The semver bump the changes call for ("none" when nothing changed)."""
        sev = {c.severity for c in self.changes}
        if BREAKING in sev:
            return "major"
        if FEATURE in sev:
            return "minor"
        return "patch" if sev else "none"

    def to_json(self) -> dict[str, Any]:
        return {"bump": self.bump, "changes": [c.to_json() for c in self.changes]}


def severity(kind: str, usage: Iterable[str]) -> str:
    """The rule's severity for a change on the given sides (the worst when both; a named
    type no operation reaches is judged as if on both)."""
    rule = RULES[kind]
    sides = set(usage) or {REQUEST, RESPONSE}
    found = [rule.request if s == REQUEST else rule.response for s in sides]
    return max(found, key=_RANK.__getitem__)
