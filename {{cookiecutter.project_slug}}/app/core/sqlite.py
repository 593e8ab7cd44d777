"""SQLite connection set-up: real transactions, savepoints and foreign keys."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


def configure_sqlite(engine: AsyncEngine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.

    The sqlite3 module opens transactions lazily and breaks SAVEPOINT; `BEGIN IMMEDIATE`
    takes the write lock up front, so concurrent writers queue instead of failing midway.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        # AUTOCOMMIT connections (the readiness probe) run each statement on its own.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
