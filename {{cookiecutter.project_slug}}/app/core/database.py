"""The async engine, the session factory, and the per-request session."""

{% if cookiecutter.database == "postgresql" -%}
import asyncio
{% endif -%}
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.core.config import Settings
{%- if cookiecutter.database == "sqlite" %}
from app.core.sqlite import configure_sqlite
{%- endif %}


def create_engine(settings: Settings) -> AsyncEngine:
{%- if cookiecutter.database == "postgresql" %}
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
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
{%- else %}
    engine = create_async_engine(
        settings.database_url,
        pool_timeout=settings.db_pool_timeout_seconds,
        # Keep bound values (password hashes, tokens) out of logs and error messages.
        hide_parameters=True,
        connect_args={"timeout": settings.db_pool_timeout_seconds},
    )
    configure_sqlite(engine)
    return engine
{%- endif %}


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit, so responses can be built from them without a reload.
    return async_sessionmaker(engine, expire_on_commit=False)


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read: each statement runs on its own (AUTOCOMMIT).

    A read has nothing to commit, so a transaction would only add a BEGIN and a COMMIT round
    trip to every request.
    """
    return create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))


{%- if cookiecutter.database == "postgresql" %}


def create_session_slots(settings: Settings) -> asyncio.Semaphore:
    """One slot per connection the pool may open, taken by requests in their order of arrival.

    SQLAlchemy's async pool gives a returned connection to whichever request asks next, ahead
    of those already waiting, so with more concurrent requests than connections some requests
    lose that race again and again: seconds at p99 and timeouts in the benchmark. Queuing here,
    first come first served, keeps the wait fair and leaves the pool with no waiters.
    """
    return asyncio.Semaphore(settings.db_pool_size + settings.db_max_overflow)


@asynccontextmanager
async def session_slot(request: Request) -> AsyncIterator[None]:
    """Wait for a slot at most as long as for a pooled connection; past that, a 503."""
    slots: asyncio.Semaphore = request.app.state.session_slots
    settings: Settings = request.app.state.settings
    async with asyncio.timeout(settings.db_pool_timeout_seconds):
        await slots.acquire()
    try:
        yield
    finally:
        slots.release()
{%- endif %}


@asynccontextmanager
async def open_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Writes run in one transaction: committed on success, rolled back on error. Reads (GET,
    HEAD, OPTIONS) run without one."""
    if request.method in READ_ONLY_METHODS:
        async with request.app.state.read_sessionmaker() as session:
            yield session
    else:
        async with request.app.state.sessionmaker() as session, session.begin():
            yield session


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request."""
{%- if cookiecutter.database == "postgresql" %}
    async with session_slot(request), open_session(request) as session:
{%- else %}
    async with open_session(request) as session:
{%- endif %}
        yield session


# scope="function" closes the transaction when the handler returns, before the response is
# sent: a commit that fails becomes an error response, never a 2xx for a lost write.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
