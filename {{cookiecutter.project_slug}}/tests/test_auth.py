"""Registration, login, refresh-token rotation and logout."""

import json
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import RefreshToken
from app.auth.throttle import LoginThrottle
from app.core.config import Settings
from app.users.models import User
from tests.conftest import PASSWORD, UserFactory

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"


async def login(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(LOGIN, data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def test_register_creates_a_user(client: AsyncClient) -> None:
    response = await client.post(
        REGISTER,
        json={"email": "New.User@Example.com", "password": PASSWORD, "full_name": "New User"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.user@example.com"
    assert body["role"] == "user"
    assert body["is_active"] is True
    assert "password" not in response.text
    assert "hashed_password" not in body


async def test_register_refuses_a_taken_email(client: AsyncClient, user: User) -> None:
    response = await client.post(
        REGISTER, json={"email": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A user with this e-mail already exists.",
        "code": "CONFLICT",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "short@example.com", "password": "short"},
        {"email": "long@example.com", "password": "x" * 129},
        {"password": PASSWORD},
        {"email": "role@example.com", "password": PASSWORD, "role": "admin"},
        {"email": "active@example.com", "password": PASSWORD, "is_active": False},
    ],
    ids=["bad-email", "short-password", "long-password", "no-email", "role", "is-active"],
)
async def test_register_validates_input(client: AsyncClient, body: dict[str, object]) -> None:
    response = await client.post(REGISTER, json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "VALIDATION_ERROR"
    assert error["errors"]
    assert PASSWORD not in response.text


async def test_login_returns_a_token_pair(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["email"] == "alice@example.com"


async def test_login_ignores_email_case(client: AsyncClient, user: User) -> None:
    await login(client, "  Alice@EXAMPLE.com ")


@pytest.mark.parametrize(
    ("email", "password"),
    [("alice@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
async def test_login_failures_look_the_same(
    client: AsyncClient, user: User, email: str, password: str
) -> None:
    response = await client.post(LOGIN, data={"username": email, "password": password})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "Incorrect e-mail or password.",
        "code": "NOT_AUTHENTICATED",
    }


async def test_login_refuses_a_deactivated_user(
    client: AsyncClient, make_user: UserFactory
) -> None:
    await make_user(email="gone@example.com", is_active=False)
    response = await client.post(LOGIN, data={"username": "gone@example.com", "password": PASSWORD})
    assert response.status_code == 401


async def test_login_requires_form_fields(client: AsyncClient) -> None:
    response = await client.post(LOGIN, data={"username": "alice@example.com"})
    assert response.status_code == 422


async def test_refresh_rotates_the_token(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    response = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    again = await client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 200


async def test_reused_refresh_token_revokes_the_family(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    rotated = (await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})).json()

    reuse = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert reuse.status_code == 401
    assert "reuse" in reuse.json()["detail"]

    # The thief's replay also ended the legitimate holder's newer token.
    latest = await client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]})
    assert latest.status_code == 401


async def test_other_logins_survive_a_revoked_family(client: AsyncClient, user: User) -> None:
    first = await login(client, "alice@example.com")
    second = await login(client, "alice@example.com")
    await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    response = await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert response.status_code == 200


async def test_access_token_is_not_a_refresh_token(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    response = await client.post(REFRESH, json={"refresh_token": tokens["access_token"]})
    assert response.status_code == 401


async def test_refresh_token_is_not_an_access_token(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    response = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""], ids=["garbage", "bad-jwt", "empty"])
async def test_refresh_rejects_invalid_tokens(client: AsyncClient, token: str) -> None:
    response = await client.post(REFRESH, json={"refresh_token": token})
    assert response.status_code in {401, 422}
    assert response.json()["code"] in {"NOT_AUTHENTICATED", "VALIDATION_ERROR"}


async def test_refresh_refuses_a_deactivated_user(
    client: AsyncClient, user: User, admin_headers: dict[str, str]
) -> None:
    tokens = await login(client, "alice@example.com")
    await client.post(f"/api/v1/users/{user.id}/deactivate", headers=admin_headers)
    response = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401


async def test_logout_revokes_the_refresh_token(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    response = await client.post(LOGOUT, json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    refused = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This session has ended; please log in again."


async def test_a_new_password_ends_every_session_at_once(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    changed = await client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"password": "a brand new password", "current_password": PASSWORD},
    )
    assert changed.status_code == 200
    # The access token is refused at once, not when it expires; so is the refresh token.
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401
    refresh = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    fresh = await login(client, "alice@example.com", "a brand new password")
    fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert (await client.get("/api/v1/users/me", headers=fresh_headers)).status_code == 200


async def test_logout_is_idempotent(client: AsyncClient, user: User) -> None:
    tokens = await login(client, "alice@example.com")
    for _ in range(2):
        response = await client.post(LOGOUT, json={"refresh_token": tokens["refresh_token"]})
        assert response.status_code == 204


async def test_logout_rejects_an_invalid_token(client: AsyncClient) -> None:
    response = await client.post(LOGOUT, json={"refresh_token": "not-a-token"})
    assert response.status_code == 401


async def test_token_responses_are_not_stored(client: AsyncClient, user: User) -> None:
    response = await client.post(
        LOGIN, data={"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    rotated = await client.post(REFRESH, json={"refresh_token": response.json()["refresh_token"]})
    assert rotated.headers["cache-control"] == "no-store"


async def test_logout_everywhere_ends_every_session_at_once(
    client: AsyncClient, user: User
) -> None:
    first = await login(client, "alice@example.com")
    second = await login(client, "alice@example.com")
    headers = {"Authorization": f"Bearer {first['access_token']}"}
    assert (await client.post("/api/v1/auth/logout-all", headers=headers)).status_code == 204
    for tokens in (first, second):
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (await client.get("/api/v1/users/me", headers=bearer)).status_code == 401
        refresh = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
        assert refresh.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"email": "lone@example.com", "password": "abcdefgh\ud800"},
        {"email": "lone@example.com", "password": "\udfffabcdefgh"},
    ],
    ids=["high", "low"],
)
async def test_a_lone_surrogate_in_a_password_is_a_422(
    client: AsyncClient, body: dict[str, str]
) -> None:
    # json.dumps writes the surrogate as a \u escape: the only way one reaches the service.
    raw = json.dumps(body)
    response = await client.post(
        REGISTER, content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "password"]


async def test_a_lone_surrogate_as_the_current_password_is_a_422(
    client: AsyncClient, user_headers: dict[str, str]
) -> None:
    raw = '{"password": "a brand new password", "current_password": "x\\ud800"}'
    response = await client.patch(
        "/api/v1/users/me",
        content=raw,
        headers={**user_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


async def test_passwords_match_in_any_unicode_form(client: AsyncClient) -> None:
    composed, decomposed = "caf\u00e9 au lait", "cafe\u0301 au lait"
    registered = await client.post(
        REGISTER, json={"email": "nfc@example.com", "password": composed}
    )
    assert registered.status_code == 201
    await login(client, "nfc@example.com", decomposed)


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ("reader@xn--bcher-kva.de", "reader@xn--bcher-kva.de"),
        ("reader@xn--bcher-kva.de", "READER@b\u00fccher.de"),
        ("jose\u0301@example.com", "jos\u00e9@example.com"),
    ],
    ids=["idn-as-registered", "idn-unicode", "nfd-local-part"],
)
async def test_an_address_logs_in_as_it_was_registered(
    client: AsyncClient, registered: str, typed: str
) -> None:
    response = await client.post(REGISTER, json={"email": registered, "password": PASSWORD})
    assert response.status_code == 201, response.text
    await login(client, typed)


async def test_wrong_guesses_then_the_right_password_do_not_pass(
    client: AsyncClient, user: User, settings: Settings
) -> None:
    allowed = int(settings.login_failures_per_account.split("/")[0])
    for _ in range(30):
        await client.post(LOGIN, data={"username": "alice@example.com", "password": "guess"})
    response = await client.post(
        LOGIN, data={"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed logins; try again later.",
        "code": "TOO_MANY_REQUESTS",
    }
    assert 0 < int(response.headers["retry-after"]) <= 15 * 60
    assert allowed < 30


async def test_a_success_clears_the_accounts_failures(client: AsyncClient, user: User) -> None:
    for _ in range(9):
        await client.post(LOGIN, data={"username": "alice@example.com", "password": "guess"})
    await login(client, "alice@example.com")
    for _ in range(9):
        await client.post(LOGIN, data={"username": "alice@example.com", "password": "guess"})
    await login(client, "alice@example.com")


async def test_one_address_guessing_many_accounts_is_throttled(
    app: FastAPI, client: AsyncClient, user: User
) -> None:
    throttle: LoginThrottle = app.state.login_throttle
    for index in range(100):  # as many failures as one address may have
        await throttle.failed(f"someone-{index}@example.com", "127.0.0.1")
    response = await client.post(
        LOGIN, data={"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429


async def test_rotation_keeps_one_row_per_chain(
    client: AsyncClient, user: User, session: AsyncSession
) -> None:
    first = await login(client, "alice@example.com")
    latest = first
    for _ in range(20):
        response = await client.post(REFRESH, json={"refresh_token": latest["refresh_token"]})
        latest = response.json()
    rows = await session.scalar(select(func.count()).where(RefreshToken.user_id == user.id))
    assert rows == 1
    # The first token's row is gone, but a replay of it is still caught, and ends the chain.
    replay = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert "reuse" in replay.json()["detail"]
    ended = await client.post(REFRESH, json={"refresh_token": latest["refresh_token"]})
    assert ended.status_code == 401
