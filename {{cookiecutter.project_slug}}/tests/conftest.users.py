"""Fixtures: a database made for this test run and migrated with Alembic, and a transaction
around every test that is rolled back afterwards, so tests never see each other's rows."""

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp

from app.auth.throttle import LoginThrottle
from app.core import security
from app.core.config import Settings, get_settings
from app.core.database import Database, ReadOnlySession
from app.main import create_app
from app.users.models import Role, User
from tests.database import temporary_database
{%- if cookiecutter.redis == "yes" %}

# Fixtures of the extensions this service was baked with.
pytest_plugins = ("tests.redis_support",{% if cookiecutter.background_jobs == "yes" %} "tests.jobs_support"{% endif %})
{%- endif %}

# Before any settings are read: test mode, a key for signing test tokens, and no `.env`:
# the suite depends on the environment it is given, not on a developer's local file.
os.environ["ENVIRONMENT"] = "test"
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
Settings.model_config["env_file"] = None

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    scratch = tmp_path_factory.mktemp("db")
    async with temporary_database(get_settings().database_url, scratch) as url:
        yield url


@pytest.fixture(scope="session")
async def settings(database_url: str) -> Settings:
    os.environ["DATABASE_URL"] = database_url
    get_settings.cache_clear()
    # Alembic's env.py runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(command.upgrade, Config("alembic.ini"), "head")
    return get_settings()


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def database_of(app: FastAPI) -> Database:
    database: Database = app.state.database
    return database


@asynccontextmanager
async def rolled_back(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """Run the app's sessions in savepoints of one transaction that is rolled back at the end."""
    database = database_of(app)
    factories = database.write_sessions, database.read_sessions
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        database.write_sessions = async_sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        database.read_sessions = async_sessionmaker(
            connection,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
            sync_session_class=ReadOnlySession,
        )
        try:
            async with database.write_sessions() as test_session:
                yield test_session
        finally:
            await transaction.rollback()
            database.write_sessions, database.read_sessions = factories


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """The session of this test; the app's requests share its transaction."""
    async with rolled_back(app) as test_session:
        yield test_session


@asynccontextmanager
async def running_app(settings: Settings, **changes: object) -> AsyncIterator[FastAPI]:
    """An app of its own, with these settings changed, between its start-up and shutdown."""
    application = create_app(settings.model_copy(update=changes))
    async with application.router.lifespan_context(application):
        yield application


def make_client(app: ASGIApp) -> AsyncClient:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://test")


async def forget_failed_logins(app: FastAPI) -> None:
    """Each test starts with no failed logins counted (the app lives for the whole run)."""
    throttle: LoginThrottle = app.state.login_throttle
    await throttle.storage.reset()


@pytest.fixture
async def client(app: FastAPI, session: AsyncSession) -> AsyncIterator[AsyncClient]:
    await forget_failed_logins(app)
    async with make_client(app) as http_client:
        yield http_client


@pytest.fixture
async def committed_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client whose requests each get their own sessions and really commit, as in production.

    For tests of concurrent requests, which one shared test transaction cannot show. Every user
    it leaves behind is deleted afterwards (their rows go with them by cascade).
    """
    await forget_failed_logins(app)
    try:
        async with make_client(app) as http_client:
            yield http_client
    finally:
        async with database_of(app).transaction() as cleanup:
            await cleanup.execute(delete(User))


UserFactory = Callable[..., Awaitable[User]]


@pytest.fixture
def make_user(session: AsyncSession) -> UserFactory:
    counter = 0

    async def factory(
        *, email: str | None = None, role: Role = Role.USER, is_active: bool = True
    ) -> User:
        nonlocal counter
        counter += 1
        user = User(
            email=email or f"user{counter}@example.com",
            full_name=f"User {counter}",
            hashed_password=await security.hash_password(PASSWORD),
            role=role,
            is_active=is_active,
        )
        session.add(user)
        await session.flush()
        return user

    return factory


def auth_headers(settings: Settings, user: User) -> dict[str, str]:
    token, _ = security.create_token(
        settings,
        subject=user.id,
        kind="access",
        lifetime=timedelta(minutes=5),
        version=user.token_version,
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def user(make_user: UserFactory) -> User:
    return await make_user(email="alice@example.com")


@pytest.fixture
async def other_user(make_user: UserFactory) -> User:
    return await make_user(email="bob@example.com")


@pytest.fixture
async def admin(make_user: UserFactory) -> User:
    return await make_user(email="admin@example.com", role=Role.ADMIN)


@pytest.fixture
def user_headers(settings: Settings, user: User) -> dict[str, str]:
    return auth_headers(settings, user)


@pytest.fixture
def other_headers(settings: Settings, other_user: User) -> dict[str, str]:
    return auth_headers(settings, other_user)


@pytest.fixture
def admin_headers(settings: Settings, admin: User) -> dict[str, str]:
    return auth_headers(settings, admin)
