"""Concurrent requests, each in its own committed transaction, as under real load."""

import asyncio

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, func, select, update

from app.users.models import Role, User
from tests.conftest import PASSWORD, database_of

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


async def admin_headers_for(client: AsyncClient, app: FastAPI, email: str) -> dict[str, str]:
    tokens = await register_and_login(client, email)
    async with database_of(app).transaction() as session:
        await session.execute(update(User).where(User.email == email).values(role=Role.ADMIN))
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_two_admins_removing_each_other_at_once_leave_one(
    committed_client: AsyncClient, app: FastAPI
) -> None:
    """Both ask at once: one wins and the other is refused (409, the last active admin), or,
    when the winner finished before the other's request was authenticated, the other's token
    is already void (401). Either way one active admin is left; raced until a 409 is seen."""
    me = "/api/v1/users/me"
    for attempt in range(5):
        first = await admin_headers_for(committed_client, app, f"admin-one-{attempt}@example.com")
        second = await admin_headers_for(committed_client, app, f"admin-two-{attempt}@example.com")
        first_id = (await committed_client.get(me, headers=first)).json()["id"]
        second_id = (await committed_client.get(me, headers=second)).json()["id"]
        responses = await asyncio.gather(
            committed_client.post(f"/api/v1/users/{second_id}/deactivate", headers=first),
            committed_client.post(f"/api/v1/users/{first_id}/deactivate", headers=second),
        )
        statuses = sorted(response.status_code for response in responses)
        assert statuses in ([200, 409], [200, 401])
        async with database_of(app).transaction() as session:
            active = await session.scalar(
                select(func.count()).where(User.role == Role.ADMIN, User.is_active.is_(True))
            )
            # The next attempt starts with no admin, so that each of its pair is a last one.
            await session.execute(delete(User).where(User.email.startswith("admin-")))
        assert active == 1
        if statuses == [200, 409]:
            refused = next(response for response in responses if response.status_code == 409)
            detail = "This is the last active admin; make another admin first."
            assert refused.json()["detail"] == detail
            return
    pytest.fail("five races, and the second request never got past authentication in time")


async def rotate_until(client: AsyncClient, stolen: dict[str, str], changed: asyncio.Event) -> None:
    """The attacker: refresh the stolen copy again and again, keeping the newest pair."""
    while not changed.is_set():
        response = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
        )
        if response.status_code != 200:
            return
        stolen.update(response.json())


async def change_password(
    client: AsyncClient, headers: dict[str, str], delay: float, changed: asyncio.Event
) -> None:
    await asyncio.sleep(delay)
    response = await client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"password": "a brand new password", "current_password": PASSWORD},
    )
    assert response.status_code == 200
    changed.set()


async def test_a_password_change_ends_a_session_being_refreshed_meanwhile(
    committed_client: AsyncClient,
) -> None:
    """An attacker rotates a stolen copy of the session in a loop while the owner changes the
    password: whatever the attacker holds afterwards is refused."""
    for attempt in range(5):
        tokens = await register_and_login(committed_client, f"owner-{attempt}@example.com")
        owner = {"Authorization": f"Bearer {tokens['access_token']}"}
        stolen = dict(tokens)
        changed = asyncio.Event()
        await asyncio.gather(
            rotate_until(committed_client, stolen, changed),
            change_password(committed_client, owner, 0.005 * attempt, changed),
        )
        refresh = await committed_client.post(
            "/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]}
        )
        assert refresh.status_code == 401
        bearer = {"Authorization": f"Bearer {stolen['access_token']}"}
        assert (await committed_client.get("/api/v1/users/me", headers=bearer)).status_code == 401
