"""Where the throttles keep their counts: in Redis, on the app's client pool, under
REDIS_KEY_PREFIX, so every replica sees the same counts and a restart forgets none."""

from typing import Any

from fastapi import FastAPI
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from redis.asyncio import Redis

from app.redis.config import RedisSettings


def throttle_storage(app: FastAPI) -> Storage:
    """`limits`' Redis storage over the client the Redis extension opened (so its timeouts
    hold here too). An app built without that extension (a test's own list) counts in memory."""
    client: Redis | None = getattr(app.state, "redis", None)
    if client is None:
        return MemoryStorage()
    settings: RedisSettings = app.state.redis_settings
    # Handed on to redis-py's client (`limits` types its pass-through options as scalars).
    pool: dict[str, Any] = {"connection_pool": client.connection_pool}
    return RedisStorage(
        # The connections come from the pool; the URL only names the client library's kind.
        "async+redis://",
        implementation="redispy",
        key_prefix=settings.key("throttle"),
        wrap_exceptions=True,
        **pool,
    )
