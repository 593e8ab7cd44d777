"""The summary route with users: a signed-in caller only, and only items they may read."""

import uuid

import pytest
from httpx import AsyncClient

from app.ai.config import AISettings
from tests.ai.conftest import AI_SETTINGS, ProviderAPI, make_item, summary_url


async def test_without_a_token_it_is_a_401(client: AsyncClient, provider: ProviderAPI) -> None:
    response = await client.post(summary_url(uuid.uuid4()))
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"
    assert provider.requests == []


async def test_another_users_item_is_a_404_and_asks_no_model(
    client: AsyncClient,
    provider: ProviderAPI,
    user_headers: dict[str, str],
    other_headers: dict[str, str],
) -> None:
    item_id = await make_item(client, user_headers)
    response = await client.post(summary_url(item_id), headers=other_headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found.", "code": "NOT_FOUND"}
    assert provider.requests == []


@pytest.mark.parametrize(
    "ai_settings", [AI_SETTINGS.model_copy(update={"summaries_per_caller": "1/minute"})]
)
async def test_each_user_has_a_rate_of_their_own(
    client: AsyncClient,
    provider: ProviderAPI,
    user_headers: dict[str, str],
    other_headers: dict[str, str],
    ai_settings: AISettings,
) -> None:
    unknown = summary_url(uuid.uuid4())
    assert (await client.post(unknown, headers=user_headers)).status_code == 404
    assert (await client.post(unknown, headers=user_headers)).status_code == 429
    assert (await client.post(unknown, headers=other_headers)).status_code == 404
