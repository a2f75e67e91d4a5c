"""The SDK as its user sees it: frozen records built once by the plan stage (see
`plan/__init__.py`) and read by rendering (code and docs views) and by the public surface.

Every decision about the SDK's shape is already made here: final Python names (keyword
escaping, `_` suffixes), which bodies are flattened, the stream twin of an operation, the
page iterator, the annotations a caller reads. IR records (`TypeRef`, `Operation`, ...) are
kept where a renderer needs the spec's details (examples, descriptions); `to_json` writes
an operation as its pointer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Field, NamedType, Operation, Parameter, SecurityScheme, TypeRef
from ..naming import Names

# how a method takes its request body
FLATTENED = "flattened"  # one keyword argument per body field
WHOLE = "whole"  # one argument holding the whole body
NO_BODY = ""


@dataclass(frozen=True)
class Argument:
    """One argument of a generated method (a parameter or a flattened body field)."""

    name: str  # final Python name
    wire_name: str
    type: TypeRef
    required: bool
    description: str
    deprecated: bool
    has_example: bool
    example: Any
    is_body_field: bool
    location: str  # path | query | header | cookie | body
    default: str = ""  # Python literal of the spec's default (always sent), "" if none
    annotation: str = ""  # in the method's signature
    # what follows ` = ` in the signature ("" when required)
    omitted: str = ""
    # "True"/"False": the boolean body field that switches the response to a stream, typed
    # `Literal[...]` in a method that returns only one kind
    switch: str = ""

    @property
    def signature(self) -> str:
        """`name: Annotation` or `name: Annotation = default`."""
        return f"{self.name}: {self.annotation}" + (f" = {self.omitted}" if self.omitted else "")


@dataclass(frozen=True)
class ErrorCase:
    status: str  # "422", "4XX", "default"
    exception: str  # exception class
    module: str  # "_typed_errors" | "models": where the exception class is defined
    data: str  # model class of the parsed body


@dataclass(frozen=True)
class PageArgument:
    """Where a page iterator writes one of its inputs: an argument of the method, or an
    attribute of the whole-body argument."""

    argument: str
    attribute: str = ""  # "" when the argument itself is the input
    wire_name: str = ""  # the body field's wire name (with `attribute`)


@dataclass(frozen=True)
class Pages:
    """The page iterator twin of a paginated method (x-speakeasy-pagination)."""

    name: str
    role: str  # offset | page | cursor
    position: PageArgument
    limit: PageArgument | None
    results: tuple[str | int, ...] | None
    next_cursor: tuple[str | int, ...] | None
    num_pages: tuple[str | int, ...] | None
    returns: str
    returns_async: str


@dataclass(frozen=True)
class Method:
    name: str
    variant: str  # "" | "stream" (the `<name>_stream` twin of an operation)
    # the operation as this method calls it: the body as the method takes it, and for a
    # stream twin the stream as the response (the IR's `stream_alt` is resolved here)
    operation: Operation
    arguments: tuple[Argument, ...]
    forced: tuple[tuple[str, str], ...]  # body fields the method sets: (wire name, literal)
    body: str  # FLATTENED | WHOLE | NO_BODY
    body_class: str  # model class of a flattened body
    body_keys: tuple[tuple[str, str], ...]  # flattened body: (wire name, model attribute)
    returns: str  # sync return annotation
    returns_async: str
    errors: tuple[ErrorCase, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives, as client argument names
    hidden_globals: tuple[tuple[str, str], ...]  # (location, wire name), filled in by the client
    pages: Pages | None = None

    @property
    def servers(self) -> tuple[str, ...]:
        return self.operation.servers


@dataclass(frozen=True)
class Namespace:
    path: tuple[str, ...]
    class_name: str
    async_class_name: str
    module: str
    attr: str  # attribute on the parent ("" for the client itself)
    description: str
    methods: tuple[Method, ...]
    children: tuple["Namespace", ...]


@dataclass(frozen=True)
class Scheme:
    """A security scheme as the client takes it: one constructor argument each."""

    scheme: SecurityScheme
    argument: str  # also the scheme's key in the runtime (Operation.security)
    env: str  # environment variable read when the argument is not passed
    annotation: str


@dataclass(frozen=True)
class Global:
    """A client constructor argument from x-speakeasy-globals."""

    name: str
    parameter: Parameter
    annotation: str


@dataclass(frozen=True)
class Client:
    name: str
    async_name: str
    schemes: tuple[Scheme, ...]
    # several schemes, or HTTP basic: the runtime's utils/security.py applies them
    security_module: bool
    globals: tuple[Global, ...]
    servers: tuple[str, ...]
    server_ids: tuple[str, ...]


@dataclass(frozen=True)
class ModelField:
    name: str  # Python attribute
    wire_name: str
    annotation: str  # incl. the Optional/Nullable wrapper and the alias
    default: str  # "" when required
    td_annotation: str  # in the TypedDict
    td_required: bool
    field: Field


@dataclass(frozen=True)
class Model:
    class_name: str
    key: str
    fields: tuple[ModelField, ...]
    additional: str  # annotation of extra properties ("" when closed)
    always_sent: tuple[str, ...]  # fields with a spec default, required constants
    omit_if_none: tuple[str, ...]  # optional, not nullable, in a request
    td_functional: bool  # the TypedDict needs the functional syntax (non-identifier keys)


@dataclass(frozen=True)
class Union:
    class_name: str
    key: str
    members: tuple[str, ...]  # member annotations
    td_members: tuple[str, ...]
    discriminator: str  # the tag pydantic dispatches on ("" when tried in turn)


@dataclass(frozen=True)
class Enum:
    class_name: str
    key: str
    members: tuple[tuple[str, str], ...]  # (NAME, repr(value))
    values: tuple[Any, ...]
    value_kind: str


Type = Model | Union | Enum


@dataclass(frozen=True)
class Module:
    """One module of the models package: a strongly connected group of types."""

    name: str
    types: tuple[Type, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, names)
    rebuild: tuple[str, ...]  # classes to model_rebuild() after the module is defined


@dataclass(frozen=True)
class Plan:
    package: str
    client: Client
    root: Namespace
    modules: tuple[Module, ...]
    names: Names  # the names as the SDK spells them (see plan/names.py)
    types: dict[str, NamedType]  # the IR's named types by key (read by renderers)

    def namespaces(self) -> list[Namespace]:
        """Every namespace, the client's first, depth first."""
        out: list[Namespace] = []
        stack = [self.root]
        while stack:
            ns = stack.pop()
            out.append(ns)
            stack.extend(reversed(ns.children))
        return out
