"""POST /api/v1/items/{id}/summary: the model's reply, validated, or an error in the common
shape; never a 500."""

import json
import logging
import time
import uuid

import httpx2
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from limits.aio.storage import MemoryStorage
from limits.errors import StorageError

from app.ai.client import KeylessModel
from app.ai.config import AISettings
from app.ai.errors import (
    AINotConfigured,
    AIProviderError,
    AIProviderTimeout,
    AIReplyInvalid,
    SummariesUnavailable,
)
from app.ai.rate_limit import RequestLimit
from app.ai.service import INSTRUCTIONS
from tests.ai.conftest import (
    AI_SETTINGS,
    DESCRIPTION,
    TITLE,
    ProviderAPI,
    make_item,
    summaries_through,
    summary_url,
)
from tests.ai.provider_api import OVERLOADED, PATH, error, refusal, reply, sent

# The loggers of the AI client, the providers' SDKs and their HTTP client.
AI_LOGGERS = ("app.ai", "anthropic", "openai", "httpx2")
SUMMARY = {
    "summary": "Gather every region's sales figures and send them to finance by Friday.",
    "keywords": ["sales", "finance", "deadline"],
}


async def test_the_summary_is_the_models_reply_validated(
    client: AsyncClient,
    provider: ProviderAPI,
    caller_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    item_id = await make_item(client, caller_headers)
    provider.answers = [reply(json.dumps(SUMMARY))]
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 200, response.text
    assert response.json() == SUMMARY
    # What the SDK sent: the settings' model, token limit, timeout and key, and the item.
    [request] = provider.requests
    assert request.url.path == PATH
    asked = sent(request)
    assert asked.model == "test-model"
    assert asked.max_tokens == 321
    assert request.extensions["timeout"]["read"] == 5.0
    assert asked.api_key == "test-key"
    assert asked.system == INSTRUCTIONS
    assert TITLE in asked.prompt
    assert DESCRIPTION in asked.prompt
    assert "finance, q3" in asked.prompt
    assert set(asked.schema["properties"]) == {"summary", "keywords"}
    # Even at DEBUG, the AI client and the SDK log neither the item's text nor the key.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(AI_LOGGERS))
    assert PATH in logged  # the SDK's HTTP client did log the request
    assert DESCRIPTION not in logged
    assert "test-key" not in logged


async def test_an_overloaded_provider_is_tried_again(
    client: AsyncClient, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [error(OVERLOADED), reply(json.dumps(SUMMARY))]
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 200
    assert len(provider.requests) == 2


@pytest.mark.parametrize("status", [500, OVERLOADED, 429])
async def test_a_provider_error_is_a_502_after_its_retries(
    client: AsyncClient,
    provider: ProviderAPI,
    caller_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [error(status), error(status)]  # AI_MAX_RETRIES=1: two attempts
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 502
    assert response.json() == {"detail": AIProviderError.detail, "code": "AI_PROVIDER_ERROR"}
    assert len(provider.requests) == 2
    # The error's type and status, once: not the provider's message, nor the item's text.
    [logged] = [r.getMessage() for r in caplog.records if r.name == "app.ai.provider"]
    assert logged.startswith("AI provider failed: ")
    assert logged.endswith(f"Error (status {status}, request id req_test)")
    assert DESCRIPTION not in caplog.text
    assert "Provider trouble" not in caplog.text


async def test_an_unreachable_provider_is_a_502(
    client: AsyncClient, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [httpx2.ConnectError, httpx2.ConnectError]
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 502
    assert response.json()["code"] == "AI_PROVIDER_ERROR"


@pytest.mark.parametrize(
    "ai_settings",
    [AI_SETTINGS.model_copy(update={"timeout_seconds": 0.05, "max_retries": 0})],
)
async def test_a_provider_timeout_is_a_504(
    client: AsyncClient,
    provider: ProviderAPI,
    caller_headers: dict[str, str],
    ai_settings: AISettings,
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [httpx2.ReadTimeout]
    started = time.monotonic()
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert time.monotonic() - started < 1
    assert response.status_code == 504
    assert response.json() == {"detail": AIProviderTimeout.detail, "code": "AI_PROVIDER_TIMEOUT"}
    [request] = provider.requests
    assert request.extensions["timeout"]["read"] == 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Here is your summary: the report is due on Friday.",
        json.dumps({"summary": "No keywords."}),
        json.dumps({"summary": 42, "keywords": []}),
        json.dumps({**SUMMARY, "sentiment": "positive"}),
        json.dumps({**SUMMARY, "keywords": ["a", "b", "c", "d", "e", "f"]}),
        json.dumps(SUMMARY)[:40],  # cut off at the token limit
    ],
    ids=["prose", "missing-field", "wrong-type", "extra-field", "six-keywords", "truncated"],
)
async def test_a_reply_that_does_not_validate_is_a_502(
    client: AsyncClient,
    provider: ProviderAPI,
    caller_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    text: str,
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [reply(text)]
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 502
    assert response.json() == {"detail": AIReplyInvalid.detail, "code": "AI_REPLY_INVALID"}
    assert "AI reply invalid" in caplog.text
    assert text not in caplog.text


async def test_a_reply_without_text_is_a_502(
    client: AsyncClient, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    item_id = await make_item(client, caller_headers)
    provider.answers = [refusal()]
    response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 502
    assert response.json()["code"] == "AI_REPLY_INVALID"


async def test_an_unknown_item_is_a_404_and_asks_no_model(
    client: AsyncClient, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    response = await client.post(summary_url(uuid.uuid4()), headers=caller_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found.", "code": "NOT_FOUND"}
    assert provider.requests == []


async def test_a_malformed_item_id_is_a_422(
    client: AsyncClient, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    response = await client.post(summary_url("not-a-uuid"), headers=caller_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize(
    "ai_settings", [AI_SETTINGS.model_copy(update={"summaries_per_caller": "2/minute"})]
)
async def test_summaries_over_the_rate_are_a_429_with_retry_after(
    client: AsyncClient,
    provider: ProviderAPI,
    caller_headers: dict[str, str],
    ai_settings: AISettings,
) -> None:
    unknown = summary_url(uuid.uuid4())
    for _ in range(2):  # counted before the item is read: 404s count too
        assert (await client.post(unknown, headers=caller_headers)).status_code == 404
    response = await client.post(unknown, headers=caller_headers)
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many summaries asked for; Retry-After says when to ask again.",
        "code": "TOO_MANY_REQUESTS",
    }
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert provider.requests == []


async def test_without_an_api_key_the_route_is_a_503_that_says_so(
    client: AsyncClient, app: FastAPI, caller_headers: dict[str, str]
) -> None:
    item_id = await make_item(client, caller_headers)
    with summaries_through(app, KeylessModel(), AI_SETTINGS):
        response = await client.post(summary_url(item_id), headers=caller_headers)
    assert response.status_code == 503
    assert response.json() == {"detail": AINotConfigured.detail, "code": "AI_NOT_CONFIGURED"}


async def test_the_route_documents_its_errors(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    operation = schema["paths"]["/api/v1/items/{item_id}/summary"]["post"]
    assert operation["operationId"] == "items-summarise"
    assert {"404", "422", "429", "502", "503", "504"} <= set(operation["responses"])


class UnreachableStorage(MemoryStorage):
    """Counts that cannot be kept: what `limits` raises when its storage (Redis) is down."""

    async def acquire_entry(self, *args: object, **kwargs: object) -> bool:
        raise StorageError(ConnectionError("the counts' storage is down"))


async def test_summaries_are_refused_while_their_counts_cannot_be_kept(
    client: AsyncClient, app: FastAPI, provider: ProviderAPI, caller_headers: dict[str, str]
) -> None:
    item_id = await make_item(client, caller_headers)
    held = app.state.summary_limit
    app.state.summary_limit = RequestLimit(UnreachableStorage(), "10/minute", "test")
    try:
        response = await client.post(summary_url(item_id), headers=caller_headers)
    finally:
        app.state.summary_limit = held
    assert response.status_code == 503
    assert response.json() == {"detail": SummariesUnavailable.detail, "code": "SERVICE_UNAVAILABLE"}
    assert provider.requests == []
