"""The response cache on the app's Redis client (the Redis extension must start before it)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis.asyncio import Redis

from app.caching.cache import ResponseCache
from app.caching.config import CacheSettings
from app.core.extension import Extension
from app.redis.config import RedisSettings


class CacheExtension(Extension):
    """Puts `app.state.cache` (a ResponseCache under `<REDIS_KEY_PREFIX>cache:`) on the app."""

    def __init__(self, settings: CacheSettings | None = None) -> None:
        self.settings = settings or CacheSettings()

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        client: Redis = app.state.redis
        redis_settings: RedisSettings = app.state.redis_settings
        app.state.cache = ResponseCache(
            client, redis_settings.key("cache", ""), self.settings.ttl_seconds
        )
        yield
