"""The Redis client pool: opened with the app, closed at shutdown, asked by readiness."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis.asyncio import Redis

from app.core.errors import ServiceUnavailableError
from app.core.extension import Extension
from app.redis.config import RedisSettings

logger = logging.getLogger(__name__)


def open_client(settings: RedisSettings) -> Redis:
    """A client on a pool of its own; it connects on first use, so a Redis that is down delays
    nothing at start-up (readiness reports it)."""
    return Redis.from_url(
        settings.url,
        socket_timeout=settings.socket_timeout_seconds,
        socket_connect_timeout=settings.connect_timeout_seconds,
        max_connections=settings.max_connections,
        # A connection idle this long is checked before use, so an outage that is over costs
        # no request.
        health_check_interval=30,
        # Names the connections in Redis' CLIENT LIST, for whoever looks at who is connected.
        client_name=f"{settings.key_prefix}api",
    )


class RedisExtension(Extension):
    """Puts `app.state.redis` (the client) and `app.state.redis_settings` on the app."""

    def __init__(self, settings: RedisSettings | None = None) -> None:
        self.settings = settings or RedisSettings()

    def install(self, app: FastAPI) -> None:
        app.state.redis_settings = self.settings

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        client = open_client(self.settings)
        app.state.redis = client
        try:
            yield
        finally:
            await client.aclose()

    async def check_ready(self, app: FastAPI) -> None:
        client: Redis = app.state.redis
        try:
            async with asyncio.timeout(self.settings.health_timeout_seconds):
                await client.ping()
        except Exception as exc:
            # The reason goes to the log, not to the client.
            logger.warning("Not ready: %s from Redis", type(exc).__name__)
            raise ServiceUnavailableError("Redis is not ready.") from exc
