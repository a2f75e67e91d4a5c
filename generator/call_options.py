"""The options every generated method takes after the operation's own arguments, listed
once: the method signatures (templates/sdk/_macros/operation.j2), the arguments they pass to
the runtime's `SyncCore.call` / `AsyncCore.call` (templates/sdk/src/__pkg__/_core.py, which
must accept each as a keyword argument with this default: tests/test_runtime_checks.py),
the page iterators' pass-through (render/opviews.py) and the argument names a method must
not take (plan/methods.py). Outside render/ because the plan reads it too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallOption:
    name: str
    annotation: str  # as the generated method declares it
    default: str  # Python expression, also the runtime's default


CALL_OPTIONS = (
    CallOption("retries", "OptionalNullable[RetryConfig]", "UNSET"),
    CallOption("server_url", "Optional[str]", "None"),
    CallOption("timeout_ms", "Optional[int]", "None"),
    CallOption("http_headers", "Optional[Mapping[str, str]]", "None"),
)
CALL_OPTION_NAMES = tuple(o.name for o in CALL_OPTIONS)
