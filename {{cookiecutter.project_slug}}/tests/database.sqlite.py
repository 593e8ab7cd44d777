"""The test run's database: a SQLite file in a temporary directory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

# A file in a directory that does not exist cannot be opened.
UNREACHABLE_DATABASE_URL = "sqlite+aiosqlite:////nonexistent-directory/unreachable.db"


@asynccontextmanager
async def temporary_database(configured_url: str, scratch: Path) -> AsyncIterator[str]:
    """A fresh file for this run; the temporary directory goes with it."""
    yield f"sqlite+aiosqlite:///{scratch / 'test.db'}"
