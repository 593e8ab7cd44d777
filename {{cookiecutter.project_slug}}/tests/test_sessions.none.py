"""Read and write sessions on the real database: what commits, what rolls back, what refuses."""

import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, func, select, update

from app.core.config import Settings
from app.core.database import Database, ReadOnlySessionError
from app.core.dependencies import ReadSession, WriteSession
from app.core.errors import register_error_handlers
from app.projects.models import Project
from tests.conftest import make_client

NAME = "session-test"


def new_project(name: str = NAME) -> Project:
    return Project(name=name, description="")


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    """A database of its own, outside the test transaction: what commits here is real."""
    db = Database.from_settings(settings)
    try:
        yield db
    finally:
        async with db.transaction() as session:
            await session.execute(delete(Project).where(Project.name.startswith("session-")))
        await db.dispose()


async def count_projects(database: Database, name: str = NAME) -> int:
    async with database.reading() as session:
        return await session.scalar(select(func.count()).where(Project.name == name)) or 0


async def test_a_transaction_commits_on_success(database: Database) -> None:
    async with database.transaction() as session:
        session.add(new_project())
    assert await count_projects(database) == 1


async def write_then_fail(database: Database) -> None:
    async with database.transaction() as session:
        session.add(new_project())
        await session.flush()  # the row is written, inside the transaction
        raise RuntimeError("the second half fails")


async def test_a_write_that_fails_half_way_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError):
        await write_then_fail(database)
    assert await count_projects(database) == 0


async def test_a_read_session_refuses_orm_writes(database: Database) -> None:
    async with database.reading() as session:
        session.add(new_project())
        with pytest.raises(ReadOnlySessionError):
            await session.flush()
    assert await count_projects(database) == 0


async def test_a_read_session_refuses_dml(database: Database) -> None:
    async with database.reading() as session:
        with pytest.raises(ReadOnlySessionError):
            await session.execute(update(Project).values(description="changed"))


async def test_reads_run_without_a_transaction(database: Database) -> None:
    """No BEGIN/COMMIT round trips for reads; writes keep their transaction."""
    async with database.reading() as reading, database.transaction() as writing:
        for session, expected in ((reading, "AUTOCOMMIT"), (writing, None)):
            connection = (await session.connection()).sync_connection
            assert connection is not None
            assert connection.get_execution_options().get("isolation_level") == expected


def app_with_routes(settings: Settings, database: Database) -> FastAPI:
    """A bare app whose routes use the real session dependencies."""
    app = FastAPI()
    app.state.settings = settings
    app.state.database = database
    register_error_handlers(app)

    @app.post("/half-way")
    async def half_way(session: WriteSession) -> None:
        session.add(new_project())
        await session.flush()
        raise RuntimeError("fails after the insert")

    @app.post("/commits")
    async def commits(session: WriteSession) -> dict[str, str]:
        session.add(new_project())
        return {"status": "created"}

    @app.get("/writes-in-a-read")
    async def writes_in_a_read(session: ReadSession) -> None:
        session.add(new_project())
        await session.flush()

    return app


@pytest.fixture
async def routes(settings: Settings, database: Database) -> AsyncIterator[AsyncClient]:
    async with make_client(app_with_routes(settings, database)) as client:
        yield client


async def test_write_session_commits_before_the_response(
    routes: AsyncClient, database: Database
) -> None:
    assert (await routes.post("/commits")).status_code == 200
    assert await count_projects(database) == 1


async def test_write_session_rolls_back_a_request_that_fails_half_way(
    routes: AsyncClient, database: Database
) -> None:
    response = await routes.post("/half-way")
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    assert await count_projects(database) == 0


async def test_read_session_cannot_write(routes: AsyncClient, database: Database) -> None:
    response = await routes.get("/writes-in-a-read")
    assert response.status_code == 500
    assert await count_projects(database) == 0


async def test_an_unrelated_timeout_is_not_a_database_outage(
    settings: Settings, database: Database
) -> None:
    """Only errors raised where the database is called become 503s."""
    app = app_with_routes(settings, database)

    @app.get("/outbound-timeout")
    async def outbound_timeout() -> None:
        raise TimeoutError("an HTTP call elsewhere timed out")

    @app.get("/connection-reset")
    async def connection_reset() -> None:
        raise ConnectionResetError(str(uuid.uuid4()))

    async with make_client(app) as client:
        for path in ("/outbound-timeout", "/connection-reset"):
            response = await client.get(path)
            assert response.status_code == 500, path
            assert response.json()["code"] == "INTERNAL_ERROR"
