"""Fixtures: a database made for this test run and migrated with Alembic, and a transaction
around every test that is rolled back afterwards, so tests never see each other's rows."""

import asyncio
import os
{%- if cookiecutter.database == "postgresql" %}
import uuid
{%- endif %}
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
{%- if cookiecutter.database == "sqlite" %}
from pathlib import Path
{%- endif %}

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
{%- if cookiecutter.database == "postgresql" %}
from sqlalchemy import delete, make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
{%- else %}
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
{%- endif %}
from starlette.types import ASGIApp

from app.core import security
from app.core.config import Settings, get_settings
from app.core.database import create_read_sessionmaker, create_sessionmaker
from app.main import create_app
from app.users.models import Role, User

# Before any settings are read: test mode, a key for signing test tokens, and no `.env`:
# the suite depends on the environment it is given, not on a developer's local file.
os.environ["ENVIRONMENT"] = "test"
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
Settings.model_config["env_file"] = None

PASSWORD = "correct horse battery staple"
{% if cookiecutter.database == "postgresql" %}

@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A fresh database beside the one DATABASE_URL names, dropped when the run ends."""
    base = make_url(get_settings().database_url)
    # PostgreSQL truncates names at 63 bytes: keep the random suffix whole.
    test_url = base.set(database=f"{(base.database or 'app')[:40]}_test_{uuid.uuid4().hex[:8]}")
    admin = create_async_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{test_url.database}"'))
    try:
        yield test_url.render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(
                text(f'DROP DATABASE IF EXISTS "{test_url.database}" WITH (FORCE)')
            )
        await admin.dispose()
{%- else %}

@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite file for this run."""
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    return f"sqlite+aiosqlite:///{path}"
{%- endif %}


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


@asynccontextmanager
async def rolled_back(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """Run the app's requests in savepoints of one transaction that is rolled back at the end."""
    async with app.state.engine.connect() as connection:
        transaction = await connection.begin()
        app.state.sessionmaker = app.state.read_sessionmaker = async_sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        async with app.state.sessionmaker() as test_session:
            yield test_session
        await transaction.rollback()


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """The session of this test; the app's requests share its transaction."""
    async with rolled_back(app) as test_session:
        yield test_session


def make_client(app: ASGIApp) -> AsyncClient:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def client(app: FastAPI, session: AsyncSession) -> AsyncIterator[AsyncClient]:
    async with make_client(app) as http_client:
        yield http_client


@pytest.fixture
async def committed_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client whose requests each get their own session and really commit, as in production.

    For tests of concurrent requests, which one shared test transaction cannot show. Every user
    it leaves behind is deleted afterwards (items and tokens go with them by cascade).
    """
    app.state.sessionmaker = create_sessionmaker(app.state.engine)
    app.state.read_sessionmaker = create_read_sessionmaker(app.state.engine)
    try:
        async with make_client(app) as http_client:
            yield http_client
    finally:
        async with app.state.sessionmaker() as cleanup, cleanup.begin():
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
        settings, subject=user.id, kind="access", lifetime=timedelta(minutes=5)
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
