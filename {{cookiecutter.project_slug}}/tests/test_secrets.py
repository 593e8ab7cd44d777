"""Passwords, hashes and tokens never reach a response body or a log line."""

import logging
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import security
from app.core.config import Settings
from app.main import create_app
from app.users.models import User
from tests.conftest import PASSWORD, UserFactory, make_client, rolled_back

NEW_PASSWORD = "another long password"


@pytest.fixture
async def verbose_client(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[tuple[AsyncClient, AsyncSession]]:
    """An app whose engine logs every SQL statement, as if a developer turned echo on."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        rolled_back(app) as session,
        make_client(app) as client,
    ):
        yield client, session


async def test_auth_flow_keeps_secrets_out_of_logs_and_bodies(
    verbose_client: tuple[AsyncClient, AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    client, session = verbose_client
    email = "secretive@example.com"

    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    login = await client.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    tokens = login.json()
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    changed = await client.patch(
        "/api/v1/users/me",
        headers=headers,
        json={"password": NEW_PASSWORD, "current_password": PASSWORD},
    )
    bad_login = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": "wrong " + PASSWORD}
    )
    user = await session.scalar(select(User).where(User.email == email))
    assert user is not None

    secrets = [
        PASSWORD,
        NEW_PASSWORD,
        user.hashed_password,
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed.json()["refresh_token"],
    ]
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert "INSERT INTO user_account" in caplog.text  # the SQL was logged...
    for secret in secrets:
        assert secret not in logged  # ...but none of its values
    for response in (registered, changed, bad_login):
        for secret in secrets:
            assert secret not in response.text


async def test_unknown_email_costs_the_same_work_as_a_wrong_password(
    client: AsyncClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal work, not equal wall time: a timing test would be flaky, a count is exact."""
    await make_user(email="known@example.com")
    checks: list[str] = []
    real_verify = security.verify_password

    async def counting_verify(password: str, hashed: str) -> bool:
        checks.append(hashed)
        return await real_verify(password, hashed)

    monkeypatch.setattr(security, "verify_password", counting_verify)
    bodies = []
    for email in ("known@example.com", "unknown@example.com"):
        checks.clear()
        response = await client.post(
            "/api/v1/auth/login", data={"username": email, "password": "wrong password"}
        )
        assert response.status_code == 401
        bodies.append(response.json())
        assert len(checks) == 1
        assert checks[0].startswith("$argon2id$")
    assert bodies[0] == bodies[1]
