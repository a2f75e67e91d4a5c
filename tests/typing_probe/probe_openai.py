# ruff: noqa
# Type-checked by tests/test_typing_probe.py with pyright --strict against an SDK generated
# from ../shared/corpus/llm/openai.openapi.yaml, never run.
# A line ending in `# E` must be flagged by pyright; a reveal_type line states the type
# pyright must reveal; every other line must be clean.
import asyncio

from openai_api_client import AsyncOpenaiApiClient, OpenaiApiClient
from openai_api_client import OpenAI  # E
from openai_api_client.models import ChatCompletionRequestUserMessage
from openai_api_client.models import ChatCompletionRequestUserMesage  # E


def sync_usage() -> None:
    with OpenaiApiClient(api_key_auth="k") as client:
        res = client.chat.create_chat_completion(
            messages=[
                {"role": "developer", "content": "You are a helpful assistant."},
                {"role": "user", "content": "Hello!"},
            ],
            model="gpt-4o",
            reasoning_effort="low",
        )
        reveal_type(res)  # T: CreateChatCompletionResponse
        reveal_type(res.choices[0].message.content)  # T: str | None
        reveal_type(res.usage)  # T: CompletionUsage | None
        with client.chat.create_chat_completion_stream(
            messages=[ChatCompletionRequestUserMessage(content="Hi", role="user")], model="gpt-4o"
        ) as events:
            for event in events:
                reveal_type(event)  # T: CreateChatCompletionStreamResponse
                reveal_type(event.choices[0].delta.content)  # T: str | None


def misuses(client: OpenaiApiClient) -> None:
    client.chat.create_chat_completion(messages=[], model="gpt-4o", stream=True)  # E
    client.chat.create_chat_completion(messages=[{"role": "user", "contnt": "hi"}], model="gpt-4o")  # E
    client.chat.create_chat_completion(messages=[{"role": "usr", "content": "hi"}], model="gpt-4o")  # E
    client.chat.create_chat_completion(messages=[], model="gpt-4o", reasoning_effort="lowest")  # E
    res = client.chat.create_chat_completion(messages=[], model="gpt-4o")
    res.choices[0].message.content.upper()  # E


async def async_usage() -> None:
    async with AsyncOpenaiApiClient(api_key_auth="k") as client:
        res = await client.chat.create_chat_completion(
            messages=[{"role": "user", "content": "Hello!"}], model="gpt-4o"
        )
        reveal_type(res)  # T: CreateChatCompletionResponse
        stream = await client.chat.create_chat_completion_stream(messages=[], model="gpt-4o")
        async with stream as events:
            async for event in events:
                reveal_type(event)  # T: CreateChatCompletionStreamResponse


asyncio.run(async_usage())
