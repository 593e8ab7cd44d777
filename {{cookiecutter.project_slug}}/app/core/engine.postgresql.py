"""The async engine for PostgreSQL (asyncpg)."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.core.config import Settings
from app.core.pool import pool_options


def create_engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(
        settings.database_url,
        **pool_options(settings),
        # A dead connection is detected on use and the pool is refreshed, so no ping per checkout.
        pool_pre_ping=False,
        # Keep bound values (password hashes, tokens) out of logs and error messages.
        hide_parameters=True,
        connect_args={
            "timeout": settings.db_pool_timeout_seconds,
            # A query that hangs (a stalled server, a lost network) fails instead of piling up.
            "command_timeout": settings.db_statement_timeout_seconds,
        },
    )
