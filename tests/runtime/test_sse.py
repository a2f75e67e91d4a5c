"""Unit tests of the byte-level SSE / JSONL decoders."""

from __future__ import annotations

import pytest


def decode(rt, chunks, cls="SSEDecoder"):
    dec = getattr(rt.es, cls)()
    out = []
    for c in chunks:
        out.extend(dec.feed(c))
    out.extend(dec.flush())
    return [(e.data, e.event, e.id, e.retry) for e in out]


SAMPLE = (
    b"\xef\xbb\xbf: comment line\r\n"
    b"event: add\r\n"
    b"id: 1\r\n"
    b"retry: 3000\r\n"
    b'data: {"a": 1}\r\n'
    b"\r\n"
    b"data: line1\r"
    b"data:line2\r"
    b"data:  indented\r"
    b"\r"
    b"event: error\n"
    b"data\n"
    b"\n"
    b"id: 7\n"
    b"data: x\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    (b'{"a": 1}', "add", "1", 3000),
    (b"line1\nline2\n indented", None, None, None),
    (b"", "error", None, None),
    (b"x", None, "7", None),
    (b"[DONE]", None, None, None),
]


def test_sample_whole(rt):
    assert decode(rt, [SAMPLE]) == EXPECTED


def test_sample_split_at_every_offset(rt):
    for i in range(len(SAMPLE) + 1):
        assert decode(rt, [SAMPLE[:i], SAMPLE[i:]]) == EXPECTED, i


def test_sample_split_at_every_pair_of_offsets(rt):
    n = len(SAMPLE)
    for i in range(0, n + 1, 3):
        for j in range(i, n + 1, 5):
            assert decode(rt, [SAMPLE[:i], SAMPLE[i:j], SAMPLE[j:]]) == EXPECTED, (i, j)


def test_byte_by_byte(rt):
    assert decode(rt, [SAMPLE[i : i + 1] for i in range(len(SAMPLE))]) == EXPECTED


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"])
def test_line_endings(rt, eol):
    s = eol.join([b"event: e", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    assert decode(rt, [s]) == [(b"a\nb", "e", None, None), (b"c", None, None, None)]


def test_cr_at_chunk_end_then_lf_is_one_line_end(rt):
    # "data: a\r" | "\ndata: b\r\n\r\n": a CRLF split across chunks must not create a blank line
    got = decode(rt, [b"data: a\r", b"\ndata: b\r\n\r\n"])
    assert got == [(b"a\nb", None, None, None)]
    # a lone CR followed by a chunk starting with CR is two line ends (blank line -> dispatch)
    got = decode(rt, [b"data: a\r", b"\rdata: b\r\r"])
    assert got == [(b"a", None, None, None), (b"b", None, None, None)]


def test_bom_only_stripped_at_start_and_when_split(rt):
    bom = b"\xef\xbb\xbf"
    assert decode(rt, [bom[:1], bom[1:2], bom[2:] + b"data: x\n\n"]) == [(b"x", None, None, None)]
    # a BOM later in the stream is not stripped: the field name is then unknown
    assert decode(rt, [b"data: x\n\n", bom + b"data: y\n\n"]) == [(b"x", None, None, None)]


def test_comments_and_unknown_fields_ignored(rt):
    got = decode(rt, [b": ping\n\nfoo: bar\ndata: z\n:another\n\n"])
    assert got == [(b"z", None, None, None)]


def test_no_dispatch_without_data_and_incomplete_tail_dropped(rt):
    got = decode(rt, [b"event: x\n\n", b"data: kept\n\n", b"data: tail-without-blank-line\n"])
    assert got == [(b"kept", None, None, None)]


def test_field_without_colon_and_space_rules(rt):
    got = decode(rt, [b"data\n\ndata:no-space\n\ndata:  two\n\n"])
    assert got == [
        (b"", None, None, None),
        (b"no-space", None, None, None),
        (b" two", None, None, None),
    ]


def test_retry_must_be_digits_and_id_without_nul(rt):
    got = decode(rt, [b"retry: 1x\nid: a\x00b\ndata: d\n\n"])
    assert got == [(b"d", None, None, None)]


def test_large_data_in_many_chunks(rt):
    payload = b"x" * 100_000
    s = b"data: " + payload + b"\n\n"
    chunks = [s[i : i + 997] for i in range(0, len(s), 997)]
    assert decode(rt, chunks) == [(payload, None, None, None)]


def test_jsonl(rt):
    s = b'{"a":1}\n\n{"a":2}\r\n{"a":3}\r{"a":4}'
    for i in range(len(s) + 1):
        got = decode(rt, [s[:i], s[i:]], "JSONLDecoder")
        assert [g[0] for g in got] == [b'{"a":1}', b'{"a":2}', b'{"a":3}', b'{"a":4}'], i
