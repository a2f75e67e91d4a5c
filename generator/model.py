"""The intermediate model: plain, immutable data. No Jinja, no I/O, no formatting here.

Named types are keyed by a stable `key` (the JSON pointer of the schema that defined
them, with the file when it is not the root document); `Ref` points at a
key. Class names are assigned by the naming stage (`naming.py`), not here, so a rename
never has to rewrite references.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional, Union

# One class per kind of type a value can have. Named types (objects, unions, enums) are
# reached through `Ref`; how each kind is written in Python and in the docs lives in
# `pytypes.py`, not here.


@dataclass(frozen=True)
class Scalar:
    name: str  # str | int | float | bool | any | date | datetime | bytes | none
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> Scalar:
        return replace(self, nullable=nullable)


@dataclass(frozen=True)
class ListOf:
    item: TypeRef
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> ListOf:
        return replace(self, nullable=nullable)


@dataclass(frozen=True)
class MapOf:
    item: TypeRef  # the type of the values; keys are strings
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> MapOf:
        return replace(self, nullable=nullable)


@dataclass(frozen=True)
class Ref:
    key: str  # key of a named type in `Api.types`
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> Ref:
        return replace(self, nullable=nullable)


@dataclass(frozen=True)
class Const:
    value: Any
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> Const:
        return replace(self, nullable=nullable)


@dataclass(frozen=True)
class TupleOf:
    items: tuple[TypeRef, ...]  # one type per position (JSON Schema prefixItems), no others
    nullable: bool = False

    def with_nullable(self, nullable: bool = True) -> TupleOf:
        return replace(self, nullable=nullable)


TypeRef = Union[Scalar, ListOf, MapOf, Ref, Const, TupleOf]

ANY = Scalar("any")

@dataclass(frozen=True)
class Field:
    wire_name: str
    type: TypeRef
    required: bool
    description: str = ""
    has_example: bool = False
    example: Any = None
    deprecated: bool = False
    has_default: bool = False
    default: Any = None
    read_only: bool = False
    write_only: bool = False
    name_override: str = ""  # x-speakeasy-name-override: the Python attribute's name


@dataclass(frozen=True)
class ObjectType:
    key: str
    candidates: tuple[str, ...]  # preferred class names, best first
    description: str
    fields: tuple[Field, ...]
    additional: Optional[TypeRef] = None  # additionalProperties value type, if open
    deprecated: bool = False


@dataclass(frozen=True)
class UnionType:
    key: str
    candidates: tuple[str, ...]
    description: str
    members: tuple[TypeRef, ...]
    discriminator: str = ""
    mapping: tuple[tuple[str, str], ...] = ()  # (discriminator value, member key)


@dataclass(frozen=True)
class EnumType:
    key: str
    candidates: tuple[str, ...]
    description: str
    values: tuple[Any, ...]
    value_kind: str  # "str" | "int" | "float"
    # x-speakeasy-unknown-values: allow: values outside the enum are accepted everywhere
    # (requests too), typed `Union[Enum, str]`
    open: bool = False
    member_names: tuple[str, ...] = ()  # x-speakeasy-enums: one name per value


NamedType = ObjectType | UnionType | EnumType


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    location: str  # path | query | header | cookie
    type: TypeRef
    required: bool
    description: str = ""
    has_example: bool = False
    example: Any = None
    deprecated: bool = False
    explode: bool = True
    style: str = ""
    name_override: str = ""  # x-speakeasy-name-override: the Python argument's name
    # x-speakeasy-globals-hidden on the Parameter Object: as a global, set on the client only
    # (the methods take no argument for it)
    globals_hidden: bool = False


@dataclass(frozen=True)
class RequestBody:
    type: TypeRef
    content_type: str
    required: bool
    description: str = ""
    has_example: bool = False
    example: Any = None
    flattened: bool = True  # body fields become method arguments (object bodies)


@dataclass(frozen=True)
class StreamInfo:
    event: TypeRef
    format: str = "sse"  # sse | jsonl
    sentinel: Optional[str] = None
    wrap: bool = True  # the event type has a `data` field holding the payload
    data_is_json: bool = True
    content_type: str = ""  # the media type the stream is requested with (Accept)


@dataclass(frozen=True)
class ErrorResponse:
    status: str  # "422", "4XX", "default"
    content_type: str
    type: Optional[TypeRef]  # parsed body (None: documented without a schema)


@dataclass(frozen=True)
class Retries:
    strategy: str
    initial_interval: int
    max_interval: int
    exponent: float
    max_elapsed_time: int
    status_codes: tuple[str, ...]
    retry_connection_errors: bool


@dataclass(frozen=True)
class PageInput:
    """One `x-speakeasy-pagination` input: the argument the page iterator advances."""

    name: str  # wire name of the parameter or request body field
    location: str  # "parameters" | "requestBody"
    role: str  # "offset" | "page" | "limit" | "cursor"


@dataclass(frozen=True)
class Pagination:
    """`x-speakeasy-pagination` of an operation, checked: the iterator can step through it.

    Output paths are the segments of a simple JSONPath into the response body (`$.a.b[0]`
    -> ("a", "b", 0), `$` -> ()), by wire name; None when the output is not declared."""

    kind: str  # "offsetLimit" | "cursor"
    position: PageInput  # the offset, page or cursor input
    limit: Optional[PageInput] = None
    results: Optional[tuple[str | int, ...]] = None
    next_cursor: Optional[tuple[str | int, ...]] = None
    num_pages: Optional[tuple[str | int, ...]] = None


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method_name: str  # before keyword escaping
    namespace: tuple[str, ...]  # namespace path, e.g. ("serverless", "chat")
    http_method: str
    path: str
    fixed_query: tuple[tuple[str, str], ...]
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Optional[RequestBody]
    success: Optional[TypeRef]  # parsed 2xx body, or None
    success_content_type: str
    stream: Optional[StreamInfo]
    errors: tuple[ErrorResponse, ...]
    retries: Optional[Retries]
    secured: bool  # some requirement alternative needs a credential
    pointer: str
    usage_example: Any = None  # x-speakeasy-usage-example / request example, if any
    # The same operation also answers with a stream (a 2xx offering JSON and SSE/JSON lines,
    # or Cohere's `x-fern-streaming`): the SDK gets a second method `<name>_stream`.
    stream_alt: Optional[StreamInfo] = None
    stream_flag: str = ""  # boolean body field selecting the stream (forced in each method)
    max_method_params: Optional[int] = None  # x-speakeasy-max-method-params
    deprecation_message: str = ""  # x-speakeasy-deprecation-message
    pagination: Optional[Pagination] = None  # x-speakeasy-pagination (page iterator method)
    # Effective security requirement alternatives (the operation's `security`, else the
    # root's): scheme names per alternative, every scheme of one alternative applied together
    # (AND). `()` as an alternative (always last) means the call may go without credentials;
    # no alternatives at all: unsecured.
    security: tuple[tuple[str, ...], ...] = ()
    # the operation's own `servers` (else its path item's): the first is its default server
    servers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Callback:
    """A request the API makes back to the caller after `owner` (an operation's method
    name), to the URL the runtime `expression` names; documented, not called."""

    owner: str
    name: str
    expression: str
    operation: Operation


@dataclass(frozen=True)
class Namespace:
    path: tuple[str, ...]  # snake-case segments from the root
    class_candidates: tuple[str, ...]
    description: str
    operations: tuple[Operation, ...]
    children: tuple["Namespace", ...]


@dataclass(frozen=True)
class SecurityScheme:
    name: str  # as in components.securitySchemes
    kind: str  # bearer | basic | apiKey (oauth2 and openIdConnect are sent as bearer tokens)
    param_name: str  # header/query/cookie name
    location: str  # header | query | cookie
    description: str = ""
    type: str = ""  # the OpenAPI type: http | apiKey | oauth2 | openIdConnect
    # oauth2 with a clientCredentials flow: its tokenUrl (the SDK fetches tokens itself)
    token_url: str = ""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Api:
    title: str
    description: str
    version: str
    servers: tuple[str, ...]
    # every scheme some security requirement uses, in components.securitySchemes order
    security_schemes: tuple[SecurityScheme, ...]
    types: tuple[NamedType, ...]  # in discovery order (components first, document order)
    root: Namespace
    tags: tuple[str, ...] = ()  # every tag the spec names, declared or used
    error_keys: frozenset[str] = frozenset()  # named types used as error response bodies
    webhooks: tuple[Operation, ...] = ()  # path is "/<webhook name>"; documented only
    callbacks: tuple["Callback", ...] = ()  # documented only
    # x-speakeasy-globals: header/query parameters set once on the client and sent by every
    # operation that declares the same parameter (unless the call passes its own value)
    globals: tuple[Parameter, ...] = ()
    server_ids: tuple[str, ...] = ()  # x-speakeasy-server-id per server ("" when unnamed)
