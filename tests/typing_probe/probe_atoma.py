# ruff: noqa
# Type-checked by tests/test_typing_probe.py with pyright --strict, never run.
# A line ending in `# E` must be flagged by pyright; a reveal_type line states the type
# pyright must reveal; every other line must be clean.
import asyncio

import atoma_sdk
from atoma_sdk import AsyncAtomaSDK, AtomaSDK
from atoma_sdk import AtomaSdk  # E
from atoma_sdk.models import RoleUser, User
from atoma_sdk.models import Usr  # E


def sync_usage() -> None:
    with AtomaSDK(bearer_auth="t") as client:
        res = client.chat.create(
            messages=[
                {"content": "You are a helpful AI assistant", "role": atoma_sdk.RoleSystem.SYSTEM},
                {"content": "Hello!", "name": "John Doe", "role": atoma_sdk.RoleUser.USER},
            ],
            model="meta-llama/Llama-3.3-70B-Instruct",
            max_tokens=100,
            tool_choice=atoma_sdk.ToolChoiceLiteral.AUTO,
        )
        reveal_type(res)  # T: ChatCompletionResponse
        reveal_type(res.choices[0].finish_reason)  # T: str | None
        reveal_type(res.usage)  # T: CompletionUsage | None
        if res.usage is not None:
            reveal_type(res.usage.total_tokens)  # T: int
        with client.chat.stream(messages=[User(content="Hi", role=RoleUser.USER)], model="m") as events:
            for event in events:
                reveal_type(event)  # T: ChatCompletionsCreateStreamResponseBody
                reveal_type(event.data.choices[0].delta.content)  # T: str | None


def misuses(client: AtomaSDK) -> None:
    client.chat.create(messages=[], model="m", stream=True)  # E
    client.chat.stream(messages=[], model="m", stream=False)  # E
    client.chat.create(messages=[{"content": "hi", "rol": RoleUser.USER}], model="m")  # E
    client.chat.create(messages=[], model="m", tool_choice=atoma_sdk.ToolChoiceLiteral.SOMETIMES)  # E
    client.chat.create(messages=[], model="m", max_tokens="100")  # E
    res = client.chat.create(messages=[], model="m")
    res.choices[0].finish_reason.upper()  # E
    res.usage.total_tokens  # E


async def async_usage() -> None:
    async with AsyncAtomaSDK(bearer_auth="t") as client:
        res = await client.chat.create(messages=[User(content="Hi", role=RoleUser.USER)], model="m")
        reveal_type(res)  # T: ChatCompletionResponse
        stream = await client.chat.stream(messages=[], model="m")
        async with stream as events:
            async for event in events:
                reveal_type(event)  # T: ChatCompletionsCreateStreamResponseBody
        await client.chat.create(messages=[], model="m", stream=True)  # E


asyncio.run(async_usage())
