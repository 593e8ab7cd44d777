"""Failed attempts counted per key (an account, a client address), in any `limits` storage
(`app/core/throttle_storage.py` opens the one this service uses)."""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter


class FailureLimit:
    """At most `limit` failures (for example "10/15 minutes") per key, over a moving window."""

    def __init__(self, storage: Storage, limit: str, namespace: str) -> None:
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.item: RateLimitItem = parse(limit)
        self.namespace = namespace

    async def retry_after(self, key: str) -> int | None:
        """Seconds until the key may try again, or None when it is under its limit."""
        if await self.limiter.test(self.item, self.namespace, key):
            return None
        stats = await self.limiter.get_window_stats(self.item, self.namespace, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def failed(self, key: str) -> None:
        await self.limiter.hit(self.item, self.namespace, key)

    async def forget(self, key: str) -> None:
        await self.limiter.clear(self.item, self.namespace, key)
