"""More sessions than connections: they queue in order of arrival, within the pool timeout."""

import asyncio
import time
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI
from sqlalchemy import text

from app.core.config import Settings
from app.core.database import Database
from app.users.models import User
from tests.conftest import auth_headers, database_of, make_client, running_app


def one_connection_app(
    settings: Settings, pool_timeout: float
) -> AbstractAsyncContextManager[FastAPI]:
    return running_app(
        settings, db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=pool_timeout
    )


async def test_requests_beyond_the_pool_queue_instead_of_failing(
    settings: Settings, user: User
) -> None:
    headers = auth_headers(settings, user)
    async with one_connection_app(settings, 30.0) as app, make_client(app) as client:
        responses = await asyncio.gather(
            *(client.get("/api/v1/items", headers=headers) for _ in range(10))
        )
    # 401: `user` is in the test transaction, invisible to this app, so every query ran.
    assert [response.status_code for response in responses] == [401] * 10


async def test_a_request_needs_one_connection_at_a_time(settings: Settings) -> None:
    """The user lookup's connection is back in the pool before the route's session needs one."""
    async with one_connection_app(settings, 1.0) as app, make_client(app) as client:
        try:
            created = await client.post(
                "/api/v1/auth/register",
                json={"email": "pool-user@example.com", "password": "long enough password"},
            )
            assert created.status_code == 201
            login = await client.post(
                "/api/v1/auth/login",
                data={"username": "pool-user@example.com", "password": "long enough password"},
            )
            token = login.json()["access_token"]
            listed = await client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
            assert listed.status_code == 200
        finally:
            async with database_of(app).transaction() as session:
                await session.execute(
                    text("DELETE FROM user_account WHERE email LIKE 'pool-%@example.com'")
                )


async def test_waiting_longer_than_the_pool_timeout_is_a_503(
    settings: Settings, user: User
) -> None:
    async with (
        one_connection_app(settings, 0.2) as app,
        make_client(app) as client,
        database_of(app).engine.connect() as busy,
    ):
        # The only connection is taken (outside a transaction: SQLite would lock the file).
        await busy.execution_options(isolation_level="AUTOCOMMIT")
        await busy.execute(text("SELECT 1"))
        started = time.monotonic()
        response = await client.get("/api/v1/users/me", headers=auth_headers(settings, user))
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert time.monotonic() - started < 2  # the 0.2 s pool timeout, not a hang


async def test_connections_go_to_sessions_in_their_order_of_arrival(settings: Settings) -> None:
    database = Database.from_settings(
        settings.model_copy(update={"db_pool_size": 1, "db_max_overflow": 0})
    )
    order: list[str] = []

    async def waiter(name: str) -> None:
        async with database.reading() as session:
            await session.execute(text("SELECT 1"))
            order.append(name)

    try:
        async with database.engine.connect() as held:
            await held.execute(text("SELECT 1"))
            first = asyncio.create_task(waiter("first"))
            second = asyncio.create_task(waiter("second"))
            await asyncio.sleep(0.05)  # both are queued now
        # Asking at once, as a request arriving right when a connection comes back does:
        # SQLAlchemy's own pool would hand it over ahead of the two that have been waiting.
        await waiter("late")
        await asyncio.gather(first, second)
    finally:
        await database.dispose()
    assert order == ["first", "second", "late"]
