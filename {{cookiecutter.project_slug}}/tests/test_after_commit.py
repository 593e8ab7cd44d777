"""Actions registered with `after_commit` run once the write session has committed, and never
when it rolls back."""

import pytest
from sqlalchemy import text

from app.core.config import Settings
from app.core.database import Database, after_commit


class Failed(Exception):
    pass


async def test_actions_run_in_order_after_the_commit(settings: Settings) -> None:
    database = Database.from_settings(settings)
    ran: list[str] = []

    async def record(name: str) -> None:
        ran.append(name)

    try:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            after_commit(session, lambda: record("first"))
            after_commit(session, lambda: record("second"))
            assert ran == [], "nothing runs before the commit"
            assert session.in_transaction()
        assert ran == ["first", "second"]
    finally:
        await database.dispose()


async def test_actions_never_run_when_the_transaction_rolls_back(settings: Settings) -> None:
    database = Database.from_settings(settings)
    ran: list[str] = []

    async def record() -> None:
        ran.append("ran")

    async def fail_after_registering() -> None:
        async with database.transaction() as session:
            after_commit(session, record)
            raise Failed

    try:
        with pytest.raises(Failed):
            await fail_after_registering()
        # The next transaction starts with no actions left over.
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
        assert ran == []
    finally:
        await database.dispose()
