"""The runtime's constructors as generated code writes them (templates/sdk/_macros/runtime.j2,
keyword arguments from data) build the objects they mean, in the real runtime."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from sdkgen.model import Ref, Retries, StreamInfo
from sdkgen.plan.records import PageArgument, Pages
from sdkgen.render import environment


def macros() -> Any:
    return environment().get_template("sdk/_macros/runtime.j2").module


def evaluate(code: str, rt: SimpleNamespace) -> Any:
    pagination = importlib.import_module("rtpkg.utils.pagination")
    names = {**vars(rt.core), **vars(rt.retries), **vars(pagination), "models": rt.models}
    return eval(code, names)  # noqa: S307  (the macro's output, in the runtime's names)


RETRIES = Retries("backoff", 500, 60000, 1.5, 3600000, ("429", "5XX"), True)


def test_retry_config(rt: SimpleNamespace) -> None:
    R = rt.retries
    want = R.RetryConfig(strategy="backoff", backoff=R.BackoffStrategy(500, 60000, 1.5, 3600000),
                         retry_connection_errors=True, status_codes=("429", "5XX"))
    code = str(macros().retry_config(RETRIES))
    assert code.startswith("RetryConfig(strategy='backoff', backoff=BackoffStrategy(")
    assert evaluate(code, rt) == want
    exploded = str(macros().retry_config(RETRIES, exploded=True))
    assert exploded.startswith('RetryConfig(\n    strategy="backoff",\n')
    assert evaluate(exploded, rt) == want
    # no status codes given: the runtime's default list
    plain = str(macros().retry_config(Retries("backoff", 1, 2, 1.0, 3, (), False)))
    assert "status_codes" not in plain
    assert evaluate(plain, rt).status_codes == R.RetryConfig("backoff").status_codes


def test_stream_spec(rt: SimpleNamespace) -> None:
    info = StreamInfo(Ref("#/x"), format="jsonl", sentinel="[DONE]", wrap=False,
                      data_is_json=False)
    spec = evaluate(str(macros().stream_spec(info, "models.CHAT_EVENT")), rt)
    assert spec == rt.core.StreamSpec(event=rt.models.CHAT_EVENT, format="jsonl",
                                      sentinel="[DONE]", wrap=False, data_is_json=False)


def test_error_spec(rt: SimpleNamespace) -> None:
    code = str(macros().error_spec("422", "models.HTTPValidationError", "models.HVE_DATA"))
    assert code == ("ErrorSpec(status='422', error=models.HTTPValidationError, "
                    "data=models.HVE_DATA)")
    assert evaluate(code, rt) == rt.core.ErrorSpec("422", rt.models.HTTPValidationError,
                                                   rt.models.HVE_DATA)


def test_pagination(rt: SimpleNamespace) -> None:
    P = importlib.import_module("rtpkg.utils.pagination")
    pages = Pages("list_pages", "cursor", PageArgument("request", "after", "after_id"),
                  PageArgument("limit"), ("data", 0), None, ("meta", "pages"),
                  "Iterator[models.Page]", "AsyncIterator[models.Page]")
    code = str(macros().pagination(pages))
    assert "next_cursor" not in code
    assert evaluate(code, rt) == P.Pagination(
        "cursor", P.PageInput("request", "after", "after_id"), limit=P.PageInput("limit"),
        results=("data", 0), num_pages=("meta", "pages"))
