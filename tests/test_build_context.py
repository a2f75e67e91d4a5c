"""The front end's modules by concern (pagination, security, connection, namespaces) work
over the small BuildContext interface (context.py): here with a context that is no schema parser,
holding just a loaded spec, a dict of types and a list of warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sdkgen.connection import operation_servers, retries, server_ids
from sdkgen.load import Spec, load
from sdkgen.model import ANY, MapOf, NamedType, Operation, Parameter, Scalar, TypeRef
from sdkgen.namespaces import check_method_names, namespace_tree
from sdkgen.pagination import pagination
from sdkgen.security import requirements, security_schemes

SPEC = """openapi: 3.1.0
info: {title: t, version: '1'}
servers:
  - {url: 'https://a.example', x-speakeasy-server-id: prod}
  - {url: 'https://b.example', x-speakeasy-server-id: prod}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    tls: {type: mutualTLS}
paths: {}
"""


class Context:
    """Just what BuildContext names."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.types: dict[str, NamedType] = {}
        self.problems: list[tuple[str, str, str]] = []

    def schema_type(self, node: Any, file: Path, pointer: str,
                    hint: tuple[str, ...]) -> TypeRef:
        return ANY

    def warn(self, file: Path, pointer: str, message: str, code: str) -> None:
        self.problems.append(("warning", pointer, code))

    def error(self, file: Path, pointer: str, message: str, code: str) -> None:
        self.problems.append(("error", pointer, code))


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    return Context(load(path))


def test_pagination_over_a_context(ctx: Context):
    file = ctx.spec.root_path
    cursor = Parameter("cursor", "query", Scalar("str"), False)
    op = {"x-speakeasy-pagination": {"type": "cursor", "inputs": [
        {"name": "cursor", "in": "parameters", "type": "cursor"}],
        "outputs": {"nextCursor": "$.next"}}}
    page = pagination(ctx, op, file, "#/paths/~1a/get", (cursor,), None, MapOf(ANY))
    assert page is not None and page.position.name == "cursor" and page.next_cursor == ("next",)
    assert ctx.problems == []
    op = {"x-speakeasy-pagination": {"type": "url"}}
    assert pagination(ctx, op, file, "#/paths/~1a/get", (), None, ANY) is None
    assert ctx.problems == [("warning", "#/paths/~1a/get/x-speakeasy-pagination/type",
                             "speakeasy-extension")]


def test_security_over_a_context(ctx: Context):
    schemes = security_schemes(ctx.spec)
    assert list(schemes) == ["key"]  # mutualTLS cannot be sent
    reqs = [{"key": []}, {}, {"tls": []}, {"nope": []}]
    assert requirements(ctx, schemes, reqs, ctx.spec.root_path, "#/security") == (("key",), ())
    assert ctx.problems == [("warning", "#/security/2", "security-scheme"),
                            ("warning", "#/security/3", "security-scheme")]


def test_servers_and_retries_over_a_context(ctx: Context):
    file = ctx.spec.root_path
    item = {"servers": [{"url": "https://item.example"}]}
    assert operation_servers(ctx, {}, item, file, "#/paths/~1a/get") == ("https://item.example",)
    assert operation_servers(ctx, {"servers": [{"url": "https://op.example"}]}, item, file,
                             "#/paths/~1a/get") == ("https://op.example",)
    assert operation_servers(ctx, {"servers": [{}]}, {}, file, "#/paths/~1a/get") == ()
    assert ctx.problems == [("warning", "#/paths/~1a/get/servers", "servers")]
    ctx.problems.clear()
    assert server_ids(ctx) == ("prod", "")  # the second `prod` names no server
    assert ctx.problems == [("warning", "#/servers/1/x-speakeasy-server-id",
                             "speakeasy-extension")]
    ctx.problems.clear()
    at = "#/x-speakeasy-retries"
    r = retries(ctx, {"strategy": "backoff", "backoff": {"initialInterval": 10},
                      "statusCodes": [503, "5XX"]}, at)
    assert r is not None and r.initial_interval == 10 and r.status_codes == ("503", "5XX")
    assert r.max_interval == 60000 and retries(ctx, None, at) is None
    assert retries(ctx, [], at) is None and ctx.problems == []
    # a value of the wrong shape is reported where it is, and its default used
    r = retries(ctx, {"backoff": {"maxInterval": "abc"}}, at)
    assert r is not None and r.max_interval == 60000
    assert ctx.problems == [("warning", "#/x-speakeasy-retries/backoff/maxInterval",
                             "speakeasy-extension")]


def _op(op_id: str, name: str, namespace: tuple[str, ...]) -> Operation:
    return Operation(operation_id=op_id, method_name=name, namespace=namespace,
                     http_method="GET", path="/" + op_id, fixed_query=(), summary="",
                     description="", deprecated=False, parameters=(), body=None,
                     success=None, success_content_type="", stream=None, errors=(),
                     retries=None, secured=False, pointer=f"#/paths/~1{op_id}/get")


def test_namespaces_over_a_context(ctx: Context):
    ops = [_op("a", "list", ("chat", "completions")), _op("b", "get", ()),
           _op("c", "list", ("chat", "completions"))]
    tree = namespace_tree({"tags": [{"name": "chat.completions", "description": "Talk"}]}, ops)
    assert [o.operation_id for o in tree.operations] == ["b"]
    chat = tree.children[0]
    assert chat.path == ("chat",) and chat.children[0].description == "Talk"
    assert [o.operation_id for o in chat.children[0].operations] == ["a", "c"]
    check_method_names(ctx, ops)
    assert ctx.problems == [("error", "#/paths/~1c/get", "method-collision")]
