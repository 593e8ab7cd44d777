"""Events counted per key (an account, a client address), in any `limits` storage. Each use
(login throttling, a route's rate limit) builds its rule on KeyedLimit."""

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter


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
