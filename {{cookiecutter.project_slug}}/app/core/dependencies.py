"""FastAPI wiring of the shared parts: settings, the database sessions, page parameters.

Routes ask for a session by name. `WriteSession`: one transaction, committed before the
response is sent (a commit that fails is an error response, never a 2xx for a lost write) and
rolled back on any error. `ReadSession`: no transaction, and writing through it raises.

FastAPI solves a request's dependencies anew on every request, walking each one's own
dependencies before it looks in its cache, so every level costs every request that uses it.
The sessions, which nearly every route asks for, therefore read the database from the app
state themselves instead of depending on `DatabaseDep`.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.database import Database
from app.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE, PageParams


def state_settings(request: Request) -> Settings:
    """The settings the running app was created with (tests create apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


def state_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def app_settings(request: Request) -> Settings:
    return state_settings(request)


async def app_database(request: Request) -> Database:
    return state_database(request)


SettingsDep = Annotated[Settings, Depends(app_settings)]
DatabaseDep = Annotated[Database, Depends(app_database)]


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with state_database(request).reading() as session:
        yield session


# scope="function": closed when the handler returns, before the response is sent.
ReadSession = Annotated[AsyncSession, Depends(get_read_session, scope="function")]

# Marks the request's read session once the request has a write session too.
WRITING = "request_writes"


async def get_write_session(request: Request, reading: ReadSession) -> AsyncIterator[AsyncSession]:
    # One connection at a time per request: a read session a dependency used before (to look
    # the caller up, say) gives its connection back before the write session takes one.
    reading.info[WRITING] = True
    await reading.close()
    async with state_database(request).transaction() as session:
        yield session


WriteSession = Annotated[AsyncSession, Depends(get_write_session, scope="function")]


ServiceT = TypeVar("ServiceT")


def on_write_session(
    service: Callable[[AsyncSession], ServiceT],
) -> Callable[[AsyncSession], Awaitable[ServiceT]]:
    """A dependency that builds `service` on the request's write session."""

    async def build(session: WriteSession) -> ServiceT:
        return service(session)

    return build


def on_read_session(
    service: Callable[[AsyncSession], ServiceT],
) -> Callable[[AsyncSession], Awaitable[ServiceT]]:
    """A dependency that builds `service` on the request's read session."""

    async def build(session: ReadSession) -> ServiceT:
        return service(session)

    return build


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageParamsDep = Annotated[PageParams, Depends(page_params)]
