"""PostgreSQL, through asyncpg: the benchmark's database, created, seeded and dropped.

asyncpg is imported where it is first needed, so that the rest of the package (and its tests,
in the template's own environment) does without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from bench.config import PG_HOST, PG_PORT, PG_USER, SetupError


def pg_dsn(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def sqlalchemy_url(database: str) -> str:
    return f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def _connect(database: str) -> Any:
    import asyncpg

    return await asyncpg.connect(pg_dsn(database), timeout=10)


async def _admin(statements: Sequence[str]) -> list[Any]:
    connection = await _connect("postgres")
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def check_server() -> None:
    """Raises SetupError unless PostgreSQL answers a query."""
    import asyncpg

    try:
        asyncio.run(_admin(["SELECT 1"]))
    except (OSError, asyncpg.PostgresError) as exc:
        raise SetupError(f"PostgreSQL is not answering on {PG_HOST}:{PG_PORT}: {exc}") from exc


def create_database(name: str) -> str:
    """Create the database; returns the server's version."""
    rows = asyncio.run(_admin([f'CREATE DATABASE "{name}"', "SHOW server_version"]))
    return str(rows[1][0][0])


def drop_databases(name: str) -> None:
    """Drop the benchmark's database and any the baked suite left beside it."""

    async def drop() -> None:
        connection = await _connect("postgres")
        try:
            rows = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2",
                name,
                name.replace("_", r"\_") + r"\_test\_%",
            )
            for row in rows:
                await connection.execute(f'DROP DATABASE IF EXISTS "{row[0]}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


def seed_items(database: str, email: str, count: int) -> str:
    """Insert `count` items for the user with `email`, distinct created_at; returns the user id."""

    async def seed() -> str:
        connection = await _connect(database)
        try:
            owner = await connection.fetchval("SELECT id FROM user_account WHERE email = $1", email)
            if owner is None:
                raise SetupError(f"the registered user {email} is not in the database")
            await connection.execute(
                """
                INSERT INTO item (id, owner_id, title, description, tags, status, created_at,
                                  updated_at)
                SELECT gen_random_uuid(), $1, 'Item ' || g,
                       'Benchmark item number ' || g || ', seeded for the list endpoint.',
                       ARRAY['tag-' || (g % 10), 'bench']::varchar(50)[], 'todo',
                       now() - g * interval '1 second', now() - g * interval '1 second'
                FROM generate_series(1, $2::int) AS g
                """,
                owner,
                count,
            )
            # Planner statistics for the fresh rows, as autovacuum would soon provide.
            await connection.execute("VACUUM ANALYZE item")
            await connection.execute("VACUUM ANALYZE user_account")
            return str(owner)
        finally:
            await connection.close()

    return asyncio.run(seed())
