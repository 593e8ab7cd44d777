"""A connection pool that serves sessions in their order of arrival."""

import asyncio
from typing import Any

from sqlalchemy import AsyncAdaptedQueuePool
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from app.core.config import Settings


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    """SQLAlchemy's async queue pool, handing out connections in order of arrival.

    The stock pool gives a connection that comes back to whoever asks next, ahead of those
    already waiting, so under load some sessions lose that race again and again: seconds at
    p99. Here a FIFO queue with one place per connection the pool may open comes first; a
    session waits at most the pool timeout. A session takes its place at its first statement
    and gives it back at its end, so slow work done before (hashing a password) holds none.
    """

    def __init__(
        self,
        creator: Any,
        pool_size: int = 5,
        max_overflow: int = 10,
        timeout: float = 30.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            creator, pool_size=pool_size, max_overflow=max_overflow, timeout=timeout, **kwargs
        )
        self._turns = asyncio.Semaphore(pool_size + max(max_overflow, 0))
        self._turn_timeout = timeout

    def _do_get(self) -> ConnectionPoolEntry:
        await_(self._take_turn())
        try:
            return super()._do_get()
        except BaseException:
            self._turns.release()
            raise

    async def _take_turn(self) -> None:
        if not self._turns.locked():  # a free connection, and nobody waiting before us
            await self._turns.acquire()
            return
        try:
            async with asyncio.timeout(self._turn_timeout):
                await self._turns.acquire()
        except TimeoutError as exc:
            raise PoolTimeoutError(
                f"no connection was free within {self._turn_timeout} seconds"
            ) from exc

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            self._turns.release()


def pool_options(settings: Settings) -> dict[str, Any]:
    """The pool every engine of this project uses, sized by the settings."""
    return {
        "poolclass": FairAsyncQueuePool,
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }
