"""Anthropic's Messages API as the AI tests' mock serves it, and what the SDK sent it."""

import json
from typing import Any, NamedTuple

import httpx2

PATH = "/v1/messages"
OVERLOADED = 529  # Anthropic's own status for an overloaded API


class Sent(NamedTuple):
    model: str
    max_tokens: int
    system: str
    prompt: str
    schema: dict[str, Any]
    api_key: str | None


def sent(request: httpx2.Request) -> Sent:
    body = json.loads(request.content)
    return Sent(
        model=body["model"],
        max_tokens=body["max_tokens"],
        system=body["system"],
        prompt=body["messages"][0]["content"],
        schema=body["output_config"]["format"]["schema"],
        # As `x-api-key`, or as a bearer token (what this SDK's releases since 2.x send).
        api_key=request.headers.get("x-api-key")
        or request.headers.get("authorization", "").removeprefix("Bearer ")
        or None,
    )


def reply(text: str) -> httpx2.Response:
    """A finished message whose one text block is `text`."""
    return message([{"type": "text", "text": text}], "end_turn")


def refusal() -> httpx2.Response:
    """The model declined: a message with no text."""
    return message([], "refusal")


def message(content: list[dict[str, Any]], stop_reason: str) -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "msg_test",
            "type": "message",
            "role": "assistant",
            "model": "test-model",
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": 50, "output_tokens": 20},
        },
    )


def error(status: int) -> httpx2.Response:
    """An error as the API sends it; `retry-after-ms` keeps the SDK's retry instant."""
    return httpx2.Response(
        status,
        json={"type": "error", "error": {"type": "api_error", "message": "Provider trouble."}},
        headers={"retry-after-ms": "1", "request-id": "req_test"},
    )
