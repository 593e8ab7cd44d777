"""Liveness and readiness, with the database up and down."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.config import Settings
from tests.conftest import make_client, running_app
from tests.database import UNREACHABLE_DATABASE_URL


@pytest.fixture
async def app_without_database(settings: Settings) -> AsyncIterator[FastAPI]:
    async with running_app(settings, database_url=UNREACHABLE_DATABASE_URL) as application:
        yield application


@pytest.fixture
async def client_without_database(app_without_database: FastAPI) -> AsyncIterator[AsyncClient]:
    async with make_client(app_without_database) as http_client:
        yield http_client


async def test_live(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_live_without_database(client_without_database: AsyncClient) -> None:
    response = await client_without_database.get("/health/live")
    assert response.status_code == 200


async def test_ready_without_database(client_without_database: AsyncClient) -> None:
    response = await client_without_database.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database is not ready.",
        "code": "SERVICE_UNAVAILABLE",
    }


async def test_requests_without_database_get_503(client_without_database: AsyncClient) -> None:
    response = await client_without_database.get("/api/v1/items")
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert "Traceback" not in response.text
