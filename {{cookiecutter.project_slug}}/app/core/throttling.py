"""Events (failed logins, requests) counted per key (an account, a client address), in a storage
that RATE_LIMIT_STORAGE_URL names: in-process memory by default, `redis://...` to share the
counts between replicas (the `limits` library's storage URLs)."""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


def open_storage(url: str) -> Storage:
    """The counters' storage for a `limits` URL such as `memory://` or `redis://host:6379`."""
    storage = storage_from_string(url if url.startswith("async+") else f"async+{url}")
    if not isinstance(storage, Storage):  # pragma: no cover - the async+ prefix makes one
        raise TypeError(f"{url!r} does not name an asynchronous storage")
    return storage


class KeyedLimit:
    """At most `limit` events (for example "10/15 minutes") per key, over a moving window."""

    def __init__(self, storage: Storage, limit: str, namespace: str) -> None:
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.item: RateLimitItem = parse(limit)
        self.namespace = namespace

    async def wait(self, key: str) -> int:
        """Whole seconds (at least one) until the key's oldest event leaves the window."""
        stats = await self.limiter.get_window_stats(self.item, self.namespace, key)
        return max(1, math.ceil(stats.reset_time - time.time()))


class FailureLimit(KeyedLimit):
    """Failures are counted when they happen; a key over its limit may not try again."""

    async def retry_after(self, key: str) -> int | None:
        """Seconds until the key may try again, or None when it is under its limit."""
        if await self.limiter.test(self.item, self.namespace, key):
            return None
        return await self.wait(key)

    async def failed(self, key: str) -> None:
        await self.limiter.hit(self.item, self.namespace, key)

    async def forget(self, key: str) -> None:
        await self.limiter.clear(self.item, self.namespace, key)


class RequestLimit(KeyedLimit):
    """Every request is counted, and one over the limit is refused (and not counted)."""

    async def acquire(self, key: str) -> int | None:
        """Count a request: None when it may go ahead, else seconds until the key may retry."""
        if await self.limiter.hit(self.item, self.namespace, key):
            return None
        return await self.wait(key)
