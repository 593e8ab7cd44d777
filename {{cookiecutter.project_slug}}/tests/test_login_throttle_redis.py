"""Login throttling with its counts in Redis: shared by replicas, kept across restarts, and
logins refused (503, fail closed) while Redis cannot count them."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from httpx import AsyncClient

from app.auth.errors import LoginUnavailable
from app.core.config import Settings
from app.core.extension import replacing
from app.extensions import baked_extensions
from app.main import create_app
from app.redis.config import RedisSettings
from app.redis.extension import RedisExtension, open_client
from tests.conftest import make_client

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def strict(settings: Settings) -> Settings:
    return settings.model_copy(update={"login_failures_per_account": "3/15 minutes"})


@pytest.fixture
def email() -> str:
    """An account of this test's own, so no other test's failures count against it."""
    return f"{uuid.uuid4().hex[:12]}@example.com"


@asynccontextmanager
async def replica(
    settings: Settings, redis: RedisSettings | None = None
) -> AsyncIterator[AsyncClient]:
    """One replica of the service, from start-up to shutdown."""
    app = create_app(settings, replacing(baked_extensions(), RedisExtension(redis)))
    async with app.router.lifespan_context(app), make_client(app) as client:
        yield client


async def guess(client: AsyncClient, email: str) -> int:
    response = await client.post(LOGIN, data={"username": email, "password": "a wrong guess"})
    return response.status_code


async def test_replicas_share_the_counts(strict: Settings, email: str) -> None:
    async with replica(strict) as first, replica(strict) as second:
        assert [await guess(first, email), await guess(second, email)] == [401, 401]
        assert await guess(first, email) == 401
        # The third failure was counted by the other replica: this one refuses all the same.
        response = await second.post(LOGIN, data={"username": email, "password": "x"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["code"] == "TOO_MANY_REQUESTS"


async def test_the_counts_survive_a_restart(strict: Settings, email: str) -> None:
    async with replica(strict) as before:
        for _ in range(3):
            assert await guess(before, email) == 401
    async with replica(strict) as after:
        assert await guess(after, email) == 429


async def test_the_counts_are_under_the_key_prefix(strict: Settings, email: str) -> None:
    async with replica(strict) as client:
        assert await guess(client, email) == 401
    settings = RedisSettings()
    observer = open_client(settings)
    try:
        keys = [key async for key in observer.scan_iter(match=settings.key("throttle", "*"))]
    finally:
        await observer.aclose()
    assert any(email.encode() in key for key in keys)


async def test_logins_fail_closed_while_redis_is_down(
    settings: Settings, email: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing listens on port 1: every count is refused at once.
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    async with replica(settings, down) as client:
        response = await client.post(LOGIN, data={"username": email, "password": "x"})
    assert response.status_code == 503
    assert response.json() == {"detail": LoginUnavailable.detail, "code": "SERVICE_UNAVAILABLE"}
    assert "Logins refused" in capsys.readouterr().out
