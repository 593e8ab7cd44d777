"""The database: its engine and the two kinds of session.

A write session runs in one transaction, committed when the work succeeds and rolled back on
any error. A read session runs each statement on its own (no transaction to begin or commit)
and refuses to write. Routes ask for one or the other by name (`app/core/dependencies.py`).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from app.core.config import Settings
from app.core.engine import create_engine
from app.core.errors import DatabaseUnavailableError


class ReadOnlySessionError(RuntimeError):
    """A read session was asked to write: the route should ask for a write session."""


class Database:
    """One engine and its session factories; built at start-up, disposed at shutdown.

    Plain Python: the API, the CLI, a job worker or a test builds one from settings.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Objects stay readable after commit, so responses are built without a reload.
        self.write_sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False,
            sync_session_class=ReadOnlySession,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "Database":
        engine = create_engine(settings)
        translate_driver_errors(engine)
        return cls(engine)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write session in one transaction: committed on success, rolled back on error."""
        async with self.write_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read session: no transaction, and any attempt to write raises."""
        async with self.read_sessions() as session:
            yield session

    async def ping(self) -> None:
        """One round trip outside any transaction: no BEGIN, no lock to wait for."""
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class ReadOnlySession(Session):
    """The session class of read sessions: a flush or a DML statement raises."""


def refuse_write(*_: object) -> None:
    raise ReadOnlySessionError("a read session cannot write; ask for a write session")


@event.listens_for(ReadOnlySession, "before_flush")
def refuse_flush(session: Session, *_: object) -> None:
    if session.new or session.dirty or session.deleted:
        refuse_write()


@event.listens_for(ReadOnlySession, "do_orm_execute")
def refuse_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        refuse_write()


def translate_driver_errors(engine: AsyncEngine) -> None:
    """Report the driver's socket errors and timeouts as the database being unavailable.

    SQLAlchemy wraps the driver's own exceptions (OperationalError, InterfaceError), but a
    refused connection or a timed-out query can surface as a bare OSError or TimeoutError.
    Translating them here, where the database is called, keeps an unrelated timeout elsewhere
    (an outbound HTTP call) from being reported as a database outage.
    """

    def on_connect(
        dialect: Dialect, record: object, cargs: list[Any], cparams: dict[str, Any]
    ) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except (OSError, TimeoutError) as exc:
            raise DatabaseUnavailableError from exc

    def on_error(context: ExceptionContext) -> BaseException | None:
        if isinstance(context.original_exception, OSError | TimeoutError):
            return DatabaseUnavailableError()
        return None

    event.listen(engine.sync_engine, "do_connect", on_connect)
    event.listen(engine.sync_engine, "handle_error", on_error)
