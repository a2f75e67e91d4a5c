"""`sdkgen diff` on every consecutive pair of the OpenAI history corpus (17 published
versions, April-May 2024): the bump and the changes agree with each commit's message.

Where a message is vague ("update spec", "Update openai.yaml") the assertions name what the
spec diff really holds; where a version also changes what the message does not say (01:
Batch timestamps become integers; 11 and 15: inline schemas added before existing ones,
which shifts the generated class names of those), the report says so and the test pins it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any

import pytest
from conftest import SHARED

from sdkgen.cli import main

HISTORY = SHARED / "corpus" / "history" / "openai"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not HISTORY.is_dir(), reason="history corpus not present")]

B, F, X = "breaking", "feature", "fix"

# index of the new version -> (bump, [(severity, kind, path, new value or None)], no breaking?)
EXPECTED: dict[int, tuple[str, list[tuple[str, str, str, Any]], bool]] = {
    # "remove vector store bytes field"
    1: ("major", [(B, "field-removed", "models.VectorStoreObject.bytes_", None),
                  # (also in this commit: Batch timestamps typed string -> integer)
                  (B, "field-type-changed", "models.Batch.created_at", "int")], False),
    # "add required as an option for tool_choice in chat/completions api": request side
    2: ("minor", [(F, "enum-value-added", "models.ChatCompletionToolChoiceOption1",
                   "required")], True),
    # "update with assistants change": the same option for the Assistants API
    3: ("minor", [(F, "enum-value-added", "models.AssistantsAPIToolChoiceOption1",
                   "required")], True),
    4: ("patch", [(X, "docs-changed", "", None)], True),  # "update description text"
    5: ("patch", [(X, "docs-changed", "", None)], True),  # "update description for tool_choice"
    # Revert "add required as an option for tool_choice": breaking for callers sending it
    6: ("major", [(B, "enum-value-removed", "models.ChatCompletionToolChoiceOption1", None),
                  (B, "enum-value-removed", "models.AssistantsAPIToolChoiceOption1", None)],
        False),
    # Revert "Revert ...": a feature again
    7: ("minor", [(F, "enum-value-added", "models.ChatCompletionToolChoiceOption1",
                   "required")], True),
    # "add delete message endpoint"
    8: ("minor", [(F, "method-added", "assistants.delete_message", "assistants.delete_message")],
        True),
    # "Add stream_options param; add usage in ChatCompletionChunk": features only. (Before
    # the inline naming rule of issue 14 counted only inline schemas that define a type and
    # that operations reach, the new chunk `usage` took `models.Usage` away from the
    # embeddings response: a break of sdkgen's own making, gone now.)
    9: ("minor", [(F, "argument-added", "chat.create_chat_completion(stream_options)", None),
                  (F, "field-added", "models.CreateChatCompletionStreamResponse.usage", None)],
        True),
    # "Batch API file purpose (#251)"
    10: ("minor", [(F, "enum-value-added", "models.CreateFileRequestPurpose", "batch"),
                   (F, "enum-value-added", "models.OpenAIFilePurpose", "batch")], True),
    # "update spec": message content may be image parts (a widening on the request side);
    # the new inline `image_url` schemas take the short names older classes had
    11: ("major", [(F, "argument-type-widened", "assistants.create_message(content)",
                    None),
                   (B, "model-renamed", "models.ImageURL",
                    "ChatCompletionRequestMessageContentPartImageImageURL")], False),
    12: ("patch", [(X, "docs-changed", "", None)], True),  # "fix description"
    # "Add gpt-4o"
    13: ("minor", [(F, "enum-value-added", "models.CreateChatCompletionRequestModel2",
                    "gpt-4o")], True),
    # "Update openai.yaml": runs may end `incomplete` (an open response enum: a feature)
    14: ("minor", [(F, "enum-value-added", "models.RunObjectStatus", "incomplete")], True),
    # "add new purpose"; and a new run event (thread.run.incomplete): the streamed event
    # union, which the caller receives, gains a member (breaking for exhaustive handling).
    # Union members are named after their tag, so no other event class shifts.
    15: ("major", [(F, "enum-value-added", "models.CreateFileRequestPurpose", "vision"),
                   (B, "union-member-added", "models.RunStreamEvent",
                    "RunStreamEventThreadRunIncomplete")], False),
    # "Mark `function_call` as nullable in chat completion requests": request side
    16: ("minor", [(F, "field-nullable",
                    "models.ChatCompletionRequestAssistantMessage.function_call", True)], True),
}


def _versions() -> list[dict[str, str]]:
    with open(HISTORY / "history.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="module")
def reports() -> dict[int, dict[str, Any]]:
    """`sdkgen diff --format json` on every consecutive pair, by the new version's index."""
    rows = _versions()
    files = [HISTORY / r["file"] for r in rows]  # (some define an anchor twice: YAML 1.2)
    out: dict[int, dict[str, Any]] = {}
    for i in range(1, len(files)):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(["diff", str(files[i - 1]), str(files[i]), "--format", "json"])
        assert code == 0
        out[i] = json.loads(buf.getvalue())
    return out


def test_corpus_has_the_expected_versions() -> None:
    rows = _versions()
    assert len(rows) == 17 and sorted(EXPECTED) == list(range(1, 17))


@pytest.mark.parametrize("index", sorted(EXPECTED))
def test_pair_agrees_with_commit_message(index: int,
                                         reports: dict[int, dict[str, Any]]) -> None:
    message = _versions()[index]["message"]
    bump, wanted, no_breaking = EXPECTED[index]
    report = reports[index]
    assert report["bump"] == bump, (message, report["bump"])
    for sev, kind, path, new in wanted:
        hits = [c for c in report["changes"] if c["severity"] == sev and c["kind"] == kind
                and (not path or c["path"] == path)]
        if new is not None:
            hits = [c for c in hits if c["new"] == new or str(new) in str(c["new"])]
        assert hits, (message, sev, kind, path, new)
        assert all(c["pointer"].startswith("#") and c["message"] for c in hits)
    if no_breaking:
        assert not [c for c in report["changes"] if c["severity"] == B], message
    if bump == "patch":  # a docs-only commit changes nothing else
        assert {c["severity"] for c in report["changes"]} == {X}, message


def test_text_and_markdown_reports(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _versions()
    old, new = HISTORY / rows[7]["file"], HISTORY / rows[8]["file"]
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("bump: minor (0 breaking, ")
    assert "Features:\n" in text and "new method `assistants.delete_message` (DELETE " \
        "/threads/{thread_id}/messages/{message_id})" in text
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### SDK changes: **minor** bump") and "<details>" in md
    assert "`method-added` · `#/paths/~1threads~1{thread_id}~1messages~1{message_id}/delete`" in md
