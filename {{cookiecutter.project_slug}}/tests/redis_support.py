"""This run's Redis: a key prefix of its own, set before any settings are read, and none of its
keys left afterwards, so runs (and suites running side by side) on one Redis never meet."""

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from app.redis.config import RedisSettings
from app.redis.extension import open_client

# The suite depends on the environment it is given, not on a developer's `.env`.
RedisSettings.model_config["env_file"] = None
os.environ["REDIS_KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}:"


async def delete_keys(settings: RedisSettings) -> int:
    """Delete every key under the settings' prefix; return how many there were."""
    client = open_client(settings)
    try:
        pattern = settings.key_prefix + "*"
        keys = [key async for key in client.scan_iter(match=pattern, count=1000)]
        return await client.delete(*keys) if keys else 0
    finally:
        await client.aclose()


@pytest.fixture(scope="session", autouse=True)
async def redis_keys_of_this_run() -> AsyncIterator[None]:
    yield
    await delete_keys(RedisSettings())
