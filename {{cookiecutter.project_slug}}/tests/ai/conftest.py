"""The AI tests' fixtures: the provider's SDK runs for real against a mock of the provider's
HTTP API (an httpx2 MockTransport given to the SDK as its HTTP client), so its request
building, retries and error types are what the tests see. Nothing reaches the network."""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx2
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from limits.aio.storage import MemoryStorage
from pydantic import SecretStr

from app.ai.client import TextModel
from app.ai.config import AISettings
from app.ai.provider import ProviderModel
from app.ai.rate_limit import RequestLimit
from tests.ai.caller_headers import caller_headers  # noqa: F401 - the fixture, for the tests here

AI_SETTINGS = AISettings(
    _env_file=None,
    api_key=SecretStr("test-key"),
    model="test-model",
    timeout_seconds=5.0,
    max_retries=1,
    max_output_tokens=321,
    summaries_per_caller="100/minute",
    environment="test",
)
TITLE = "Quarterly report"
DESCRIPTION = "Collect the sales figures of every region and send them to finance by Friday."

# What the mock answers with, in order: a response, or a transport error to raise.
Answer = httpx2.Response | type[httpx2.TransportError]


class ProviderAPI:
    """The provider's API as the SDK reaches it: each request gets the next answer queued,
    and is recorded."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.requests: list[httpx2.Request] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        assert self.answers, f"unexpected request to the provider: {request.url}"
        answer = self.answers.pop(0)
        if isinstance(answer, httpx2.Response):
            return answer
        raise answer("raised by the test's provider mock", request=request)


@pytest.fixture
def ai_settings() -> AISettings:
    """The AI settings of the test; a test parametrizes `ai_settings` to change them."""
    return AI_SETTINGS


@contextmanager
def summaries_through(app: FastAPI, model: TextModel, settings: AISettings) -> Iterator[None]:
    """The app's summaries use this model, and a rate limit of their own with no counts yet,
    in place of what the app's AI extension holds."""
    held = app.state.text_model, app.state.summary_limit
    app.state.text_model = model
    app.state.summary_limit = RequestLimit(MemoryStorage(), settings.summaries_per_caller, "test")
    try:
        yield
    finally:
        app.state.text_model, app.state.summary_limit = held


@pytest.fixture
async def provider(app: FastAPI, ai_settings: AISettings) -> AsyncIterator[ProviderAPI]:
    """The provider's API, mocked, behind the real provider client of the baked app."""
    api = ProviderAPI()
    http_client = httpx2.AsyncClient(transport=httpx2.MockTransport(api.handle))
    model = ProviderModel(ai_settings, http_client=http_client)
    try:
        with summaries_through(app, model, ai_settings):
            yield api
    finally:
        await model.close()


async def make_item(client: AsyncClient, headers: dict[str, str]) -> str:
    body = {"title": TITLE, "description": DESCRIPTION, "tags": ["finance", "q3"]}
    response = await client.post("/api/v1/items", json=body, headers=headers)
    assert response.status_code == 201, response.text
    item_id: str = response.json()["id"]
    return item_id


def summary_url(item_id: object) -> str:
    return f"/api/v1/items/{item_id}/summary"
