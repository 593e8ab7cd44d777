"""The test run's database: a PostgreSQL database of its own, created and dropped here."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

# Nothing listens on port 1: connections are refused at once.
UNREACHABLE_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/unreachable"


@asynccontextmanager
async def temporary_database(configured_url: str, scratch: Path) -> AsyncIterator[str]:
    """A fresh database beside the one DATABASE_URL names, dropped when the run ends."""
    base = make_url(configured_url)
    # PostgreSQL truncates names at 63 bytes: keep the random suffix whole.
    url = base.set(database=f"{(base.database or 'app')[:40]}_test_{uuid.uuid4().hex[:8]}")
    admin = create_async_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        await admin.dispose()
