"""A connection pool that serves sessions in their order of arrival, and checks a connection
that has sat idle before handing it out."""

import asyncio
import time
from typing import Any, cast

from sqlalchemy import AsyncAdaptedQueuePool
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

from app.core.config import Settings

RETURNED_AT = "returned_at"


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    """SQLAlchemy's async queue pool, handing out connections in order of arrival.

    The stock pool gives a connection that comes back to whoever asks next, ahead of those
    already waiting, so under load some sessions lose that race again and again: seconds at
    p99. Here a FIFO queue with one place per connection the pool may open comes first; a
    session waits at most the pool timeout. A session takes its place at its first statement
    and gives it back at its end, so slow work done before its first statement holds none.
    """

    def __init__(
        self,
        creator: Any,
        pool_size: int = 5,
        max_overflow: int = 10,
        timeout: float = 30.0,
        ping_idle_after: float = 1.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            creator, pool_size=pool_size, max_overflow=max_overflow, timeout=timeout, **kwargs
        )
        self._turns = asyncio.Semaphore(pool_size + max(max_overflow, 0))
        self._turn_timeout = timeout
        self._ping_idle_after = ping_idle_after

    def recreate(self) -> "FairAsyncQueuePool":
        # SQLAlchemy rebuilds the pool after a disconnect; keep this pool's own setting.
        pool = super().recreate()
        assert isinstance(pool, FairAsyncQueuePool)  # noqa: S101 - built from self.__class__
        pool._ping_idle_after = self._ping_idle_after
        return pool

    def _do_get(self) -> ConnectionPoolEntry:
        await_(self._take_turn())
        try:
            record = super()._do_get()
        except BaseException:
            self._turns.release()
            raise
        self._check_if_idle(record)
        return record

    def _check_if_idle(self, record: ConnectionPoolEntry) -> None:
        """Ping a connection that has not been used for a while; replace it if it is dead.

        After a quiet outage every pooled connection is dead, and without this the first
        request to use each would fail. Connections in steady use are never pinged: the pool
        hands out the most recently returned one first (LIFO), so the rest age out.
        """
        returned_at = record.info.get(RETURNED_AT)
        connection = record.dbapi_connection
        if returned_at is None or connection is None:
            return
        if time.monotonic() - returned_at < self._ping_idle_after:
            return
        dialect = cast(Dialect, self._dialect)  # the engine's dialect, set by create_engine
        try:
            dialect.do_ping(connection)
        except Exception as exc:  # any failure means the connection is gone
            record.invalidate(exc)  # a fresh connection is opened as the record is checked out

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
        record.info[RETURNED_AT] = time.monotonic()
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
        # The most recently used connection first, so the idle ones are the ones pinged.
        "pool_use_lifo": True,
        "ping_idle_after": settings.db_ping_idle_seconds,
    }
