"""What app/core/engine.py sets up for SQLite: enforced foreign keys, WAL, and recovery from a
missing file."""

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.health.router import migration_head
from app.items.models import Item
from app.main import create_app
from tests.conftest import database_of, make_client


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    session.add(Item(project_id=uuid.uuid4(), title="orphan"))
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.flush()


async def test_journal_is_write_ahead(session: AsyncSession) -> None:
    assert await session.scalar(text("PRAGMA journal_mode")) == "wal"


async def test_readiness_recovers_when_the_file_can_be_opened(
    settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "not-yet"
    url = f"sqlite+aiosqlite:///{directory / 'app.db'}"
    app = create_app(settings.model_copy(update={"database_url": url}))
    async with app.router.lifespan_context(app), make_client(app) as client:
        assert (await client.get("/health/ready")).status_code == 503
        directory.mkdir()  # the file can be made now, but it holds no schema yet
        assert (await client.get("/health/ready")).status_code == 503
        async with database_of(app).transaction() as session:  # as `alembic upgrade` leaves it
            await session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            await session.execute(
                text("INSERT INTO alembic_version VALUES (:head)"), {"head": migration_head()}
            )
        assert (await client.get("/health/ready")).status_code == 200
