"""GET /projects/{id} through the response cache: a hit answers as the miss did, and every write
that changes the project invalidates it after its commit."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.caching.cache import ResponseCache
from app.core.config import Settings
from app.core.extension import replacing
from app.extensions import baked_extensions
from app.main import create_app
from app.projects.caching import project_key
from app.projects.models import Project
from app.redis.config import RedisSettings
from app.redis.extension import RedisExtension
from tests.conftest import database_of, make_client, rolled_back
from tests.test_projects import PROJECTS, create_project


async def entry(app: FastAPI, project_id: object) -> str | None:
    cache: ResponseCache = app.state.cache
    return (await cache.lookup(*project_key(uuid.UUID(str(project_id))))).body


async def cached_project(
    app: FastAPI, client: AsyncClient, name: str = "Garden"
) -> tuple[str, dict[str, Any]]:
    """A new project, read once so that it is cached; its URL and that first (missed) read."""
    project = await create_project(client, name)
    url = f"{PROJECTS}/{project['id']}"
    miss = await client.get(url)
    assert miss.status_code == 200
    assert await entry(app, project["id"]) is not None
    body: dict[str, Any] = miss.json()
    assert body == project
    return url, body


async def test_a_hit_answers_what_the_miss_did(
    app: FastAPI, client: AsyncClient, session: AsyncSession
) -> None:
    url, miss = await cached_project(app, client)
    # Changed behind the service's back (nothing invalidated): only a hit still shows "Garden".
    project_id = uuid.UUID(miss["id"])
    await session.execute(update(Project).where(Project.id == project_id).values(name="Behind"))
    hit = await client.get(url)
    assert hit.status_code == 200
    assert hit.json() == miss


async def test_an_update_invalidates(app: FastAPI, client: AsyncClient) -> None:
    url, _ = await cached_project(app, client)
    patched = await client.patch(url, json={"name": "Pantry"})
    assert patched.status_code == 200
    after = await client.get(url)
    assert after.json() == patched.json()
    assert after.json()["name"] == "Pantry"


async def test_a_delete_invalidates(app: FastAPI, client: AsyncClient) -> None:
    url, _ = await cached_project(app, client)
    assert (await client.delete(url)).status_code == 204
    assert (await client.get(url)).status_code == 404


async def test_a_refused_write_leaves_the_entry(app: FastAPI, client: AsyncClient) -> None:
    await create_project(client, "Kitchen")
    url, miss = await cached_project(app, client)
    assert (await client.patch(url, json={"name": "Kitchen"})).status_code == 409
    assert (await client.get(url)).json() == miss
    assert await entry(app, miss["id"]) is not None


async def test_a_write_whose_commit_fails_leaves_the_cache_right(
    app: FastAPI, client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, miss = await cached_project(app, client)
    database = database_of(app)
    sessions = database.write_sessions

    def refuse(*_: object) -> None:
        raise RuntimeError("the commit fails")

    def failing_sessions() -> AsyncSession:
        write = sessions()
        event.listen(write.sync_session, "before_commit", refuse)
        return write

    monkeypatch.setattr(database, "write_sessions", failing_sessions)
    failed = await client.patch(url, json={"name": "Lost"})
    monkeypatch.undo()
    assert failed.status_code == 500
    # Rolled back, so nothing to invalidate: the entry stays, and says what the database says.
    assert await entry(app, miss["id"]) is not None
    assert (await client.get(url)).json() == miss


async def test_the_invalidation_comes_after_the_commit(
    app: FastAPI, committed_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, miss = await cached_project(app, committed_client, f"Garden {uuid.uuid4().hex[:8]}")
    database = database_of(app)
    cache: ResponseCache = app.state.cache
    invalidate = cache.invalidate
    seen: list[str | None] = []

    async def observed(keys: list[str]) -> None:
        # What another connection reads at the moment the entry is invalidated.
        async with database.reading() as other:
            name = select(Project.name).where(Project.id == uuid.UUID(miss["id"]))
            seen.append(await other.scalar(name))
        await invalidate(keys)

    monkeypatch.setattr(cache, "invalidate", observed)
    patched = await committed_client.patch(url, json={"name": "Committed"})
    assert patched.status_code == 200
    assert seen == ["Committed"]


async def test_redis_down_reads_and_writes_go_to_the_database(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing listens on port 1: every cache call is refused at once.
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    app = create_app(settings, replacing(baked_extensions(), RedisExtension(down)))
    async with app.router.lifespan_context(app), rolled_back(app), make_client(app) as client:
        project = await create_project(client)
        url = f"{PROJECTS}/{project['id']}"
        assert (await client.get(url)).json() == project
        patched = await client.patch(url, json={"name": "Pantry"})
        assert patched.status_code == 200
        assert (await client.get(url)).json()["name"] == "Pantry"
    # The app logs to standard output (app/core/logging.py).
    logged = capsys.readouterr().out
    assert "Cache lookup failed" in logged
    assert "Cache invalidation failed" in logged
