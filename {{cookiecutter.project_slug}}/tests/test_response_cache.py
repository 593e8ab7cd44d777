"""The response cache against the real Redis: versions that keep a slow read from bringing
back an old value, TTLs, invalidation only when applied, and Redis down costing no request."""

import logging
import uuid
from collections.abc import AsyncIterator

import pytest

from app.caching.cache import Invalidations, Lookup, ResponseCache
from app.redis.config import RedisSettings
from app.redis.extension import open_client


@pytest.fixture
async def cache() -> AsyncIterator[ResponseCache]:
    settings = RedisSettings()
    client = open_client(settings)
    try:
        yield ResponseCache(client, settings.key("cache-test", uuid.uuid4().hex, ""), 30)
    finally:
        await client.aclose()


async def invalidate(cache: ResponseCache, *parts: str) -> None:
    """What a committed write does."""
    invalidations = Invalidations(cache)
    invalidations.add(*parts)
    await invalidations.apply()


async def test_a_stored_body_is_found_until_invalidated(cache: ResponseCache) -> None:
    miss = await cache.lookup("things", "1")
    assert miss.body is None
    await cache.store(miss, '{"name": "one"}')
    assert (await cache.lookup("things", "1")).body == '{"name": "one"}'
    assert (await cache.lookup("things", "2")).body is None
    await invalidate(cache, "things", "1")
    assert (await cache.lookup("things", "1")).body is None


async def test_a_slow_read_cannot_bring_back_what_a_write_replaced(cache: ResponseCache) -> None:
    slow = await cache.lookup("things", "1")  # a read misses and loads the old row...
    await invalidate(cache, "things", "1")  # ...a write commits and invalidates...
    await cache.store(slow, "old")  # ...then the read stores what it loaded.
    assert (await cache.lookup("things", "1")).body is None
    fresh = await cache.lookup("things", "1")
    await cache.store(fresh, "new")
    assert (await cache.lookup("things", "1")).body == "new"


async def test_entries_expire(cache: ResponseCache) -> None:
    lookup = await cache.lookup("things", "1")
    await cache.store(lookup, "body")
    assert 0 < await cache.redis.ttl(lookup.key) <= 30


async def test_invalidations_not_applied_change_nothing(cache: ResponseCache) -> None:
    # A write whose transaction rolled back: its keys were marked, never applied.
    lookup = await cache.lookup("things", "1")
    await cache.store(lookup, "current")
    Invalidations(cache).add("things", "1")
    assert (await cache.lookup("things", "1")).body == "current"


async def test_redis_down_is_a_miss_and_raises_nothing(caplog: pytest.LogCaptureFixture) -> None:
    client = open_client(RedisSettings(url="redis://127.0.0.1:1/0"))
    cache = ResponseCache(client, "down:", 30)
    try:
        with caplog.at_level(logging.WARNING, logger="app.caching.cache"):
            assert await cache.lookup("things", "1") == Lookup("down:things:1", None, None)
            await cache.store(Lookup("down:things:1", "0", None), "body")
            await cache.invalidate(["down:things:1"])
    finally:
        await client.aclose()
    assert "Cache lookup failed" in caplog.text
    assert "Cache store failed" in caplog.text
    assert "Cache invalidation failed" in caplog.text
