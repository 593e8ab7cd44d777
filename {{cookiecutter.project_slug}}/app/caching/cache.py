"""Entries in Redis under versioned keys; writes invalidate them once their transaction commits.

A read looks up the entry and the key's version in one round trip; on a miss it loads from the
database and stores the result under the version it saw. A committed write bumps the version,
so an entry stored under an older one is never served, even one that a read which loaded the old
row before the commit stores after the bump. Every entry also expires (CACHE_TTL_SECONDS): the
bound on staleness should an invalidation be lost.

Redis being down costs no request: a failed lookup is a miss, a failed store or invalidation is
logged, and the database answers.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def version_key(key: str) -> str:
    return f"{key}:version"


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True)
class Lookup:
    """What a read found: the entry's body (None on a miss) and the key's version at the time
    (None when Redis did not answer: nothing is stored then)."""

    key: str
    version: str | None
    body: str | None


class ResponseCache:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    def key(self, *parts: str) -> str:
        """`key("projects", "42")` -> `<prefix>projects:42`."""
        return self.prefix + ":".join(parts)

    async def lookup(self, *parts: str) -> Lookup:
        key = self.key(*parts)
        try:
            version, entry = await self.redis.mget(version_key(key), key)
        except RedisError as exc:
            logger.warning("Cache lookup failed (%s); reading the database", type(exc).__name__)
            return Lookup(key, None, None)
        current = text(version) if version is not None else "0"
        if entry is not None:
            stored_version, _, body = text(entry).partition(" ")
            if stored_version == current:
                return Lookup(key, current, body)
        return Lookup(key, current, None)

    async def store(self, lookup: Lookup, body: str) -> None:
        """Keep what a missed lookup loaded, under the version that lookup saw."""
        if lookup.version is None:
            return
        try:
            await self.redis.set(lookup.key, f"{lookup.version} {body}", ex=self.ttl_seconds)
        except RedisError as exc:
            logger.warning("Cache store failed (%s)", type(exc).__name__)

    async def invalidate(self, keys: Iterable[str]) -> None:
        """Bump each key's version and drop its entry. Call it after the commit."""
        try:
            async with self.redis.pipeline(transaction=False) as pipeline:
                for key in keys:
                    pipeline.incr(version_key(key))
                    # Outlives every entry stored under an older version, so none comes back.
                    pipeline.expire(version_key(key), 2 * self.ttl_seconds)
                    pipeline.delete(key)
                await pipeline.execute()
        except RedisError as exc:
            logger.error(
                "Cache invalidation failed (%s); entries may be stale for up to %s s",
                type(exc).__name__,
                self.ttl_seconds,
            )


class Invalidations:
    """The entries a transaction's writes make stale, invalidated once it has committed.

    A service adds keys as it writes; whoever commits calls `apply()` after the commit, and
    nothing when the transaction rolls back (it changed nothing).
    """

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache
        self.keys: set[str] = set()

    def add(self, *parts: str) -> None:
        self.keys.add(self.cache.key(*parts))

    async def apply(self) -> None:
        if self.keys:
            await self.cache.invalidate(sorted(self.keys))
            self.keys.clear()
