"""A database without the schema this code expects: 503s that say why in the log, not 500s."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from app.core.config import Settings
from tests.conftest import database_of, make_client, running_app
from tests.database import temporary_database


@pytest.fixture
async def empty_database_app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """An app on a database that exists but was never migrated."""
    async with (
        temporary_database(settings.database_url, tmp_path) as url,
        running_app(settings, database_url=url) as application,
    ):
        yield application


@pytest.fixture
async def client_of_empty(empty_database_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with make_client(empty_database_app) as client:
        yield client


async def test_an_unmigrated_schema_is_a_503_that_says_so(
    client_of_empty: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client_of_empty.post("/api/v1/projects", json={"name": "Early"})
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert "the schema is not migrated" in caplog.text


async def test_readiness_fails_until_the_schema_is_migrated(
    client_of_empty: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client_of_empty.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert "Not ready: the schema is not migrated" in caplog.text


async def test_readiness_fails_on_a_schema_at_another_revision(
    empty_database_app: FastAPI, client_of_empty: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_of(empty_database_app).transaction() as session:
        await session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        await session.execute(text("INSERT INTO alembic_version VALUES ('0123456789ab')"))
    response = await client_of_empty.get("/health/ready")
    assert response.status_code == 503
    assert "the schema is at 0123456789ab, this code expects" in caplog.text


async def test_readiness_passes_at_the_head(client: AsyncClient) -> None:
    assert (await client.get("/health/ready")).status_code == 200
