"""Migrations: the round trip works and the models and migrations agree."""

import asyncio

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import FastAPI

from tests.conftest import database_of


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(Config("alembic.ini")).get_heads()) == 1


async def test_upgrade_downgrade_upgrade_and_no_drift(app: FastAPI) -> None:
    config = Config("alembic.ini")

    def round_trip() -> None:
        command.downgrade(config, "base")
        command.upgrade(config, "head")
        # Raises if autogenerate finds a difference between the models and the schema.
        command.check(config)

    await asyncio.to_thread(round_trip)
    # The tables are new objects now: pooled connections must not reuse cached query plans.
    await database_of(app).engine.dispose()
