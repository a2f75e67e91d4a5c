# ruff: noqa
# Type-checked by tests/test_typing_probe.py with pyright --strict, never run.
# A line ending in `# E` must be flagged by pyright; a reveal_type line states the type
# pyright must reveal;
# every other line must be clean.
import asyncio

from friendli import AsyncFriendli, SyncFriendli, UNSET
from friendli.models import ContainerChatCompleteSuccess, Message, UserMessage

KEEP: type[ContainerChatCompleteSuccess] = ContainerChatCompleteSuccess
from friendli import SyncFriendlii  # E
from friendli.models import UserMesage  # E
from friendli.models import MessageTypedDict


def sync_usage() -> None:
    with SyncFriendli(token="t") as friendli:
        res = friendli.serverless.chat.complete(
            messages=[
                {"content": "You are a helpful assistant.", "role": "system"},
                {"content": "Hello!", "role": "user"},
            ],
            model="meta-llama-3.1-8b-instruct",
            max_tokens=200,
        )
        reveal_type(res)  # T: ContainerChatCompleteSuccess
        reveal_type(res.choices[0].message.content)  # T: str | None
        reveal_type(res.choices[0].finish_reason)  # T: Literal['stop', 'length', 'tool_calls']
        reveal_type(res.usage.total_tokens)  # T: int
        with friendli.serverless.chat.stream(
            messages=[UserMessage(content="Hello!")], model="m"
        ) as events:
            for event in events:
                reveal_type(event)  # T: ContainerChatCompletionStreamSuccess
                reveal_type(event.data.choices[0].delta.content)  # T: str | None
        msg: MessageTypedDict = {"content": "hi", "role": "user"}
        friendli.serverless.chat.complete(messages=[msg], model="m", stream=False)
        typed: list[Message] = [UserMessage(content="hi")]
        friendli.serverless.chat.complete(messages=typed, model="m", max_tokens=UNSET)


def misuses(friendli: SyncFriendli) -> None:
    friendli.serverless.chat.complete(messages=[], model="m", stream=True)  # E
    friendli.serverless.chat.stream(messages=[], model="m", stream=False)  # E
    friendli.serverless.chat.complete(messages=[{"content": "hi", "rol": "user"}], model="m")  # E
    friendli.serverless.chat.complete(messages=[{"content": "hi", "role": "usr"}], model="m")  # E
    friendli.serverless.tool_assisted_chat.complete(messages=[], model="m", tools=[{"type": "math:calculater"}])  # E
    friendli.serverless.chat.complete(messages=[], model="m", max_tokens="200")  # E
    friendli.serverless.chat.complet(messages=[], model="m")  # E
    res = friendli.serverless.chat.complete(messages=[], model="m")
    res.choices[0].message.content.upper()  # E
    res.usage.total_tokns  # E


async def async_usage() -> None:
    async with AsyncFriendli(token="t") as friendli:
        res = await friendli.serverless.chat.complete(
            messages=[{"content": "Hello!", "role": "user"}], model="m"
        )
        reveal_type(res)  # T: ContainerChatCompleteSuccess
        stream = await friendli.serverless.chat.stream(
            messages=[{"content": "Hello!", "role": "user"}], model="m"
        )
        async with stream as events:
            async for event in events:
                reveal_type(event)  # T: ContainerChatCompletionStreamSuccess
        await friendli.serverless.chat.complete(messages=[], model="m", stream=True)  # E


asyncio.run(async_usage())
