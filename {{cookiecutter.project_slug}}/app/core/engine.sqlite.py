"""The async engine for SQLite (aiosqlite): real transactions, savepoints and foreign keys."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.core.config import Settings
from app.core.pool import pool_options


def create_engine(settings: Settings) -> AsyncEngine:
    engine = create_async_engine(
        settings.database_url,
        **pool_options(settings),
        # Keep bound values (password hashes, tokens) out of logs and error messages.
        hide_parameters=True,
        connect_args={"timeout": settings.db_pool_timeout_seconds},
    )
    event.listen(engine.sync_engine, "connect", on_connect)
    event.listen(engine.sync_engine, "begin", on_begin)
    return engine


def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.

    The sqlite3 module opens transactions lazily and breaks SAVEPOINT; WAL lets readers
    work while one writer writes.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def on_begin(connection: Connection) -> None:
    # `BEGIN IMMEDIATE` takes the write lock up front, so concurrent writers queue instead of
    # failing midway. AUTOCOMMIT connections (read sessions) run each statement on its own.
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
