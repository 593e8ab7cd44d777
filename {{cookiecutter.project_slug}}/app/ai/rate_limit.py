"""The summaries' rate limit: every request counted per caller, where login throttling counts
too (`app/core/throttle_storage.py`)."""

from app.core.throttling import KeyedLimit


class RequestLimit(KeyedLimit):
    """A request over the limit is refused, and not counted."""

    async def acquire(self, key: str) -> int | None:
        """Count a request: None when it may go ahead, else seconds until the key may retry."""
        if await self.limiter.hit(self.item, self.namespace, key):
            return None
        return await self.wait(key)
