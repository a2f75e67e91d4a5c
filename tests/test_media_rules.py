"""The media-type rules (generator/media.py) that build, streaming and validate share."""

from __future__ import annotations

import pytest

from sdkgen.media import (
    DEFAULT_JSONL,
    JSONL,
    SSE,
    error_content_type,
    essence,
    examples_are_json,
    is_error_status,
    is_json,
    is_jsonl,
    is_stream,
    is_success_status,
    request_content_type,
    response_at,
    response_content_type,
    status_codes,
    success_body,
    success_code,
)


def test_essence_drops_parameters_and_case():
    assert essence("Application/JSON; charset=utf-8") == "application/json"
    assert essence(" text/event-stream ") == SSE


@pytest.mark.parametrize("ct", ["application/json", "application/problem+json",
                                "APPLICATION/JSON;charset=utf-8", "application/vnd.api+json"])
def test_json_documents(ct: str):
    assert is_json(ct) and examples_are_json(ct) and not is_stream(ct)


@pytest.mark.parametrize("ct", JSONL)
def test_every_json_lines_type_is_a_stream_not_a_document(ct: str):
    assert is_jsonl(ct) and is_stream(ct) and not is_json(ct)


def test_stream_json_is_json_lines_not_one_document():
    # `+json` by name, but one JSON value per line (Fern's default stream format)
    assert not is_json("application/stream+json")
    assert is_jsonl("application/stream+json")


@pytest.mark.parametrize("ct", ["*/*", "text/x-custom+json"])
def test_validate_checks_more_examples_than_the_sdk_parses_as_json(ct: str):
    assert examples_are_json(ct) and not is_json(ct)


@pytest.mark.parametrize("ct", ["text/plain", "application/octet-stream", "multipart/form-data",
                                "application/xml", "text/json"])
def test_not_json(ct: str):
    assert not is_json(ct) and not examples_are_json(ct) and not is_stream(ct)


def test_request_content_type_prefers_json_then_forms_then_bytes_then_text():
    assert request_content_type({"text/plain": {}, "application/problem+json": {}}) == (
        "application/problem+json")
    assert request_content_type({"text/plain": {}, "application/octet-stream": {},
                                 "multipart/form-data": {}}) == "multipart/form-data"
    assert request_content_type({"text/plain": {}, "application/x-www-form-urlencoded": {}}
                                ) == "application/x-www-form-urlencoded"
    assert request_content_type({"application/xml": {}, "text/csv": {}}) == "application/xml"


def test_response_content_type_prefers_json_then_a_stream():
    assert response_content_type({}) == ""
    assert response_content_type({SSE: {}, "application/json": {}}) == "application/json"
    assert response_content_type({"text/plain": {}, "application/x-ndjson": {}}) == (
        "application/x-ndjson")
    assert response_content_type({"application/stream+json": {}}) == "application/stream+json"
    assert response_content_type({"text/plain": {}, "image/png": {}}) == "text/plain"


def test_success_code_is_the_first_2xx_in_string_order():
    assert success_code({"default": {}, "404": {}, "201": {}, 200: {}}) == "200"
    assert success_code({"2XX": {}, "204": {}}) == "204"
    assert success_code({"2XX": {}, "400": {}}) == "2XX"
    assert success_code({"400": {}, "default": {}}) is None
    assert success_code({}) is None


def test_response_at_reads_string_and_integer_keys():
    assert response_at({200: "int"}, "200") == "int"
    assert response_at({"200": "str"}, "200") == "str"
    assert response_at({"2XX": "x"}, "2XX") == "x"
    assert response_at({}, "default") is None


@pytest.mark.parametrize("ct,reading", [
    ("text/event-stream; charset=utf-8", "sse"), ("application/x-ndjson", "jsonl"),
    ("application/stream+json", "jsonl"), ("application/problem+json", "json"),
    ("Text/Plain", "text"), ("application/octet-stream", "bytes"), ("image/png", "bytes"),
    ("*/*", "bytes")])
def test_success_body_says_how_the_sdk_reads_a_success(ct: str, reading: str):
    assert success_body(ct) == reading


def test_status_codes_successes_first_and_error_codes():
    assert status_codes({"default": {}, 404: {}, "2XX": {}, "201": {}, 200: {}}) == [
        "200", "201", "2XX", "404", "default"]
    assert [c for c in ("200", "2XX", "302", "404", "5XX", "default") if is_error_status(c)] == [
        "404", "5XX", "default"]
    assert [c for c in ("200", "2XX", "302", "default") if is_success_status(c)] == [
        "200", "2XX"]


def test_error_content_type_is_chosen_like_a_request_body():
    assert error_content_type({}) == ""
    assert error_content_type({"text/html": {}, "application/problem+json": {}}) == (
        "application/problem+json")
    assert error_content_type({"text/plain": {}}) == "text/plain"
    assert is_jsonl(DEFAULT_JSONL)
