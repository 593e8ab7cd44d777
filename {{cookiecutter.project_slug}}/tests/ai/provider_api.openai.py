"""OpenAI's Responses API as the AI tests' mock serves it, and what the SDK sent it."""

import json
from typing import Any, NamedTuple

import httpx2

PATH = "/v1/responses"
OVERLOADED = 503  # what OpenAI answers when its servers are overloaded


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
        max_tokens=body["max_output_tokens"],
        system=body["instructions"],
        prompt=body["input"],
        schema=body["text"]["format"]["schema"],
        api_key=request.headers.get("authorization", "").removeprefix("Bearer ") or None,
    )


def reply(text: str) -> httpx2.Response:
    """A completed response whose one output message is `text`."""
    return response([{"type": "output_text", "text": text, "annotations": []}])


def refusal() -> httpx2.Response:
    """The model declined: a message with a refusal and no text."""
    return response([{"type": "refusal", "refusal": "I cannot help with that."}])


def response(content: list[dict[str, Any]]) -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "resp_test",
            "object": "response",
            "created_at": 1_790_000_000,
            "model": "test-model",
            "status": "completed",
            "output": [
                {
                    "type": "message",
                    "id": "msg_test",
                    "role": "assistant",
                    "status": "completed",
                    "content": content,
                }
            ],
            "parallel_tool_calls": False,
            "tool_choice": "auto",
            "tools": [],
        },
    )


def error(status: int) -> httpx2.Response:
    """An error as the API sends it; `retry-after-ms` keeps the SDK's retry instant."""
    return httpx2.Response(
        status,
        json={"error": {"message": "Provider trouble.", "type": "server_error", "code": None}},
        headers={"retry-after-ms": "1", "x-request-id": "req_test"},
    )
