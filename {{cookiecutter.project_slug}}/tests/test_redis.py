"""The Redis client pool against the real Redis: readiness, outages, shutdown, key names."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.core.extension import replacing
from app.extensions import baked_extensions
from app.main import create_app
from app.redis.config import RedisSettings
from app.redis.extension import RedisExtension, open_client
from tests.conftest import make_client

NOT_READY = {"detail": "Redis is not ready.", "code": "SERVICE_UNAVAILABLE"}


async def test_keys_carry_the_prefix(app: FastAPI) -> None:
    settings: RedisSettings = app.state.redis_settings
    assert settings.key("cache", "items", "7") == f"{settings.key_prefix}cache:items:7"
    # This run's prefix, not the service's: runs sharing a Redis never meet.
    assert settings.key_prefix.startswith("test-")


async def test_ready_with_redis(app: FastAPI) -> None:
    async with make_client(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200


async def ready_status(settings: Settings, redis: RedisSettings) -> tuple[int, object, int]:
    """Readiness and liveness of an app of its own on these Redis settings."""
    app = create_app(settings, replacing(baked_extensions(), RedisExtension(redis)))
    async with app.router.lifespan_context(app), make_client(app) as client:
        ready = await client.get("/health/ready")
        live = await client.get("/health/live")
    return ready.status_code, ready.json(), live.status_code


async def test_refused_connection_is_not_ready(settings: Settings) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    redis = RedisSettings(url="redis://127.0.0.1:1/0")
    assert await ready_status(settings, redis) == (503, NOT_READY, 200)


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A server that accepts connections and never answers: a Redis that hangs."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def test_hanging_redis_is_not_ready(settings: Settings, silent_server: int) -> None:
    # The health timeout ends the wait; the probe answers instead of hanging with Redis.
    redis = RedisSettings(url=f"redis://127.0.0.1:{silent_server}/0", health_timeout_seconds=0.2)
    assert await ready_status(settings, redis) == (503, NOT_READY, 200)


async def test_shutdown_closes_the_connections(settings: Settings) -> None:
    redis = RedisSettings(key_prefix=RedisSettings().key("shutdown-test", ""))
    app = create_app(settings, replacing(baked_extensions(), RedisExtension(redis)))

    async def names_connected() -> list[str]:
        observer = open_client(RedisSettings())
        try:
            clients = await observer.client_list()
        finally:
            await observer.aclose()
        return [entry["name"] for entry in clients]

    async with app.router.lifespan_context(app), make_client(app) as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert f"{redis.key_prefix}api" in await names_connected()
    assert f"{redis.key_prefix}api" not in await names_connected()
