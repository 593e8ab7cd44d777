"""Concurrent requests, each in its own committed transaction, as under real load."""

import asyncio

from httpx import AsyncClient

from tests.conftest import PASSWORD

REGISTER = "/api/v1/auth/register"


async def register_and_login(client: AsyncClient, email: str) -> dict[str, str]:
    await client.post(REGISTER, json={"email": email, "password": PASSWORD})
    response = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


async def test_one_email_registered_fifty_times_at_once(committed_client: AsyncClient) -> None:
    body = {"email": "race@example.com", "password": PASSWORD}
    responses = await asyncio.gather(
        *(committed_client.post(REGISTER, json=body) for _ in range(50))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 49
    assert all(r.json()["code"] == "CONFLICT" for r in responses if r.status_code == 409)


async def test_one_refresh_token_used_twice_at_once(committed_client: AsyncClient) -> None:
    tokens = await register_and_login(committed_client, "refresh-race@example.com")
    body = {"refresh_token": tokens["refresh_token"]}
    responses = await asyncio.gather(
        *(committed_client.post("/api/v1/auth/refresh", json=body) for _ in range(2))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 401]
    # The second use was a replay: the pair the first one got is revoked with the family.
    winner = next(response for response in responses if response.status_code == 200)
    follow_up = await committed_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": winner.json()["refresh_token"]}
    )
    assert follow_up.status_code == 401


async def test_concurrent_updates_leave_an_item_consistent(
    committed_client: AsyncClient,
) -> None:
    tokens = await register_and_login(committed_client, "writer@example.com")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    created = await committed_client.post(
        "/api/v1/items", headers=headers, json={"title": "start", "tags": ["start"]}
    )
    url = f"/api/v1/items/{created.json()['id']}"

    responses = await asyncio.gather(
        *(
            committed_client.patch(url, headers=headers, json={"title": f"v{n}", "tags": [f"v{n}"]})
            for n in range(20)
        )
    )
    assert {response.status_code for response in responses} == {200}
    final = (await committed_client.get(url, headers=headers)).json()
    # One writer won entirely: title and tags come from the same update.
    assert final["tags"] == [final["title"]]
    assert final["title"] in {f"v{n}" for n in range(20)}
