"""Request inputs shared by tests/test_wire_compat.py and tests/test_prism_contract.py:
messages of every role, every optional field set, every nullable field None."""

from __future__ import annotations

# Only parameters both SDKs have (the reference `friendli` 0.9.0 has no
# `chat_template_kwargs`; the reference `atoma-sdk` 0.1.3 has no `max_completion_tokens`,
# `parallel_tool_calls`, `service_tier`, `stream_options`, `top_logprobs`).

F_MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant.", "name": "sys"},
    {"role": "user", "content": "What is the weather in Paris?"},
    {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function",
         "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}}]},
    {"role": "tool", "content": "{\"temp\": 21}", "tool_call_id": "call_1", "name": "get_weather"},
]
F_FUNCTION_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "Weather of a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]}}}

F_CHAT_FULL = {
    "x_friendli_team": "team-7",
    "eos_token": [2, 3],
    "frequency_penalty": 0.5,
    "logit_bias": {"42": 1.5},
    "logprobs": True,
    "max_tokens": 200,
    "min_p": 0.05,
    "min_tokens": 1,
    "n": 2,
    "parallel_tool_calls": False,
    "presence_penalty": -0.5,
    "repetition_penalty": 1.1,
    "response_format": {"type": "json_schema",
                        "json_schema": {"schema": {"type": "object", "properties": {}}}},
    "seed": [1, 2],
    "stop": ["\n\n", "END"],
    "stream_options": {"include_usage": True},
    "temperature": 0.7,
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "tools": [F_FUNCTION_TOOL],
    "top_k": 40,
    "top_logprobs": 3,
    "top_p": 0.9,
}
F_CHAT_FULL_B = {  # the other branch of each union
    "response_format": {"type": "regex", "schema": "[a-z]+"},
    "seed": 7,
    "tool_choice": "auto",
    "tools": [F_FUNCTION_TOOL],
}
F_CHAT_NULLS = {k: None for k in (
    "x_friendli_team", "eos_token", "frequency_penalty", "logit_bias", "logprobs", "max_tokens",
    "min_p", "min_tokens", "n", "parallel_tool_calls", "presence_penalty", "repetition_penalty",
    "response_format", "seed", "stop", "stream_options", "temperature", "tools", "top_k",
    "top_logprobs", "top_p")}

F_TAC_FULL = {
    "x_friendli_team": "team-7",
    "max_tokens": 200,
    "temperature": 0.2,
    "resume_generation": True,
    "tool_choice": "required",
    "tools": [{"type": "math:calculator"}, {"type": "web:search"},
              {"type": "file:text", "files": ["file-1"]}, F_FUNCTION_TOOL],
    "seed": 3,
    "stop": ["END"],
}
F_TAC_NULLS = {k: None for k in (
    "x_friendli_team", "max_tokens", "temperature", "tools", "seed", "stop", "top_p", "n")}

A_MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant.", "name": "sys"},
    {"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "content": "Let me check.", "tool_calls": [
        {"id": "call_1", "type": "function",
         "function": {"name": "get_current_weather", "arguments": "{}"}}]},
    {"role": "tool", "content": "21C", "tool_call_id": "call_1"},
]
A_FULL = {
    "frequency_penalty": 0.1,
    "logit_bias": {"1234567890": 0.5},
    "max_tokens": 64,
    "n": 1,
    "presence_penalty": 0.0,
    "response_format": {"type": "json_object"},
    "seed": 123,
    "stop": ["stop", "halt"],
    "temperature": 0.7,
    "tool_choice": {"type": "function", "function": {"name": "get_current_weather"}},
    "tools": [{"type": "function", "function": {
        "name": "get_current_weather", "description": "Get the current weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}}],
    "top_p": 1.0,
    "user": "user-1234",
}
A_FULL_B = {"tool_choice": "auto", "response_format": {"type": "text"}}
A_NULLS = {k: None for k in (
    "frequency_penalty", "logit_bias", "max_tokens", "n", "presence_penalty", "seed", "stop",
    "temperature", "top_p", "user", "tools", "response_format", "tool_choice")}
