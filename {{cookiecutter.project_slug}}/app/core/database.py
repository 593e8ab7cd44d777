"""The database: its engine and the two kinds of session.

A write session runs in one transaction, committed when the work succeeds and rolled back on
any error; what must happen only once its writes are committed (sending a job that reads
them) is registered with `after_commit`. A read session runs each statement on its own (no
transaction to begin or commit) and refuses to write. Routes ask for one or the other by name
(`app/core/dependencies.py`).
"""

from collections.abc import AsyncIterator, Awaitable, Callable
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


AFTER_COMMIT = "after_commit"
AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run `action` once the session's transaction has committed; never if it rolls back.

    The actions run in order, after the commit and before the work that opened the session
    goes on (a route's response is sent after them). They handle their own errors: the
    writes are committed by then, and an action that raises fails the work all the same.
    """
    session.info.setdefault(AFTER_COMMIT, []).append(action)


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
        """A write session in one transaction: committed on success, rolled back on error;
        then the session's `after_commit` actions run."""
        async with self.write_sessions() as session:
            async with session.begin():
                yield session
            for action in session.info.pop(AFTER_COMMIT, []):
                await action()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read session: no transaction, and any attempt to write raises."""
        async with self.read_sessions() as session:
            yield session

    async def schema_revision(self) -> str | None:
        """The migration the database is at, in one round trip outside any transaction.

        Raises DatabaseUnavailableError when the database cannot be reached or has no schema.
        """
        async with self.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        return str(revision) if revision is not None else None

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


# What the database says when DATABASE_URL names a database that does not exist, and when the
# schema has not been migrated (PostgreSQL's SQLSTATEs; SQLite says it in words).
MISSING_DATABASE = "3D000"
MISSING_TABLE = "42P01"
SQLITE_MISSING_TABLE = "no such table"
NOT_MIGRATED = "the schema is not migrated: run `alembic upgrade head`"


def unavailable_for(error: BaseException) -> DatabaseUnavailableError | None:
    """The outage a driver error stands for, or None when it is not one."""
    if isinstance(error, OSError | TimeoutError):
        return DatabaseUnavailableError(f"{type(error).__name__}: the server cannot be reached")
    code = getattr(error, "sqlstate", None)
    if code == MISSING_DATABASE:
        return DatabaseUnavailableError("the database named in DATABASE_URL does not exist")
    if code == MISSING_TABLE or str(error).startswith(SQLITE_MISSING_TABLE):
        return DatabaseUnavailableError(NOT_MIGRATED)
    return None


def translate_driver_errors(engine: AsyncEngine) -> None:
    """Report what makes the database unusable as the database being unavailable (a 503).

    SQLAlchemy wraps the driver's own exceptions, but a refused connection or a timed-out
    query can surface as a bare OSError or TimeoutError, and a missing database or table as an
    error no handler would call an outage. Translating them here, where the database is called,
    keeps an unrelated timeout elsewhere (an outbound HTTP call) from being reported as one.
    """

    def on_connect(
        dialect: Dialect, record: object, cargs: list[Any], cparams: dict[str, Any]
    ) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as exc:
            outage = unavailable_for(exc)
            if outage is None:
                raise
            raise outage from exc

    def on_error(context: ExceptionContext) -> BaseException | None:
        return unavailable_for(context.original_exception)

    event.listen(engine.sync_engine, "do_connect", on_connect)
    event.listen(engine.sync_engine, "handle_error", on_error)
