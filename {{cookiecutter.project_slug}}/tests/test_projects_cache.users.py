"""GET /projects/{id} through the response cache: a hit answers as the miss did, every write
that changes the project invalidates it after its commit, and nobody sees another's entry."""

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
from app.users.models import User
from tests.conftest import auth_headers, database_of, make_client, rolled_back
from tests.test_projects import PROJECTS, create_project

Headers = dict[str, str]


async def entry(app: FastAPI, owner_id: object, project_id: object) -> str | None:
    cache: ResponseCache = app.state.cache
    lookup = await cache.lookup(*project_key(uuid.UUID(str(owner_id)), uuid.UUID(str(project_id))))
    return lookup.body


async def cached_project(
    app: FastAPI, client: AsyncClient, headers: Headers
) -> tuple[str, dict[str, Any]]:
    """A new project, read once so that it is cached; its URL and that first (missed) read."""
    project = await create_project(client, headers)
    url = f"{PROJECTS}/{project['id']}"
    miss = await client.get(url, headers=headers)
    assert miss.status_code == 200
    assert await entry(app, project["owner_id"], project["id"]) is not None
    body: dict[str, Any] = miss.json()
    assert body == project
    return url, body


async def test_a_hit_answers_what_the_miss_did(
    app: FastAPI, client: AsyncClient, session: AsyncSession, user_headers: Headers
) -> None:
    url, miss = await cached_project(app, client, user_headers)
    # Changed behind the service's back (nothing invalidated): only a hit still shows "Garden".
    await session.execute(
        update(Project).where(Project.id == uuid.UUID(miss["id"])).values(name="Behind")
    )
    hit = await client.get(url, headers=user_headers)
    assert hit.status_code == 200
    assert hit.json() == miss


async def test_an_update_invalidates(
    app: FastAPI, client: AsyncClient, user_headers: Headers
) -> None:
    url, _ = await cached_project(app, client, user_headers)
    patched = await client.patch(url, headers=user_headers, json={"name": "Pantry"})
    assert patched.status_code == 200
    after = await client.get(url, headers=user_headers)
    assert after.json() == patched.json()
    assert after.json()["name"] == "Pantry"


async def test_a_delete_invalidates(
    app: FastAPI, client: AsyncClient, user_headers: Headers
) -> None:
    url, _ = await cached_project(app, client, user_headers)
    assert (await client.delete(url, headers=user_headers)).status_code == 204
    gone = await client.get(url, headers=user_headers)
    assert gone.status_code == 404


async def test_nobody_else_is_served_a_cached_project(
    app: FastAPI,
    client: AsyncClient,
    user_headers: Headers,
    other_user: User,
    other_headers: Headers,
) -> None:
    url, miss = await cached_project(app, client, user_headers)
    theirs = await client.get(url, headers=other_headers)
    assert theirs.status_code == 404
    assert theirs.json() == {"detail": "Project not found.", "code": "NOT_FOUND"}
    listing = await client.get(PROJECTS, headers=other_headers)
    assert miss["id"] not in {project["id"] for project in listing.json()["items"]}
    assert await entry(app, other_user.id, miss["id"]) is None


async def test_an_admins_reads_are_not_cached_and_their_writes_invalidate(
    app: FastAPI, client: AsyncClient, user_headers: Headers, settings: Settings, admin: User
) -> None:
    url, miss = await cached_project(app, client, user_headers)
    admin_headers = auth_headers(settings, admin)
    assert (await client.get(url, headers=admin_headers)).json() == miss
    assert await entry(app, admin.id, miss["id"]) is None
    renamed = await client.patch(url, headers=admin_headers, json={"name": "Renamed"})
    assert renamed.status_code == 200
    assert (await client.get(url, headers=user_headers)).json()["name"] == "Renamed"


async def test_a_refused_write_leaves_the_entry(
    app: FastAPI, client: AsyncClient, user_headers: Headers
) -> None:
    await create_project(client, user_headers, "Kitchen")
    url, miss = await cached_project(app, client, user_headers)
    refused = await client.patch(url, headers=user_headers, json={"name": "Kitchen"})
    assert refused.status_code == 409
    assert (await client.get(url, headers=user_headers)).json() == miss
    assert await entry(app, miss["owner_id"], miss["id"]) is not None


async def test_a_write_whose_commit_fails_leaves_the_cache_right(
    app: FastAPI, client: AsyncClient, user_headers: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, miss = await cached_project(app, client, user_headers)
    database = database_of(app)
    sessions = database.write_sessions

    def refuse(*_: object) -> None:
        raise RuntimeError("the commit fails")

    def failing_sessions() -> AsyncSession:
        write = sessions()
        event.listen(write.sync_session, "before_commit", refuse)
        return write

    monkeypatch.setattr(database, "write_sessions", failing_sessions)
    failed = await client.patch(url, headers=user_headers, json={"name": "Lost"})
    monkeypatch.undo()
    assert failed.status_code == 500
    # Rolled back, so nothing to invalidate: the entry stays, and says what the database says.
    assert await entry(app, miss["owner_id"], miss["id"]) is not None
    assert (await client.get(url, headers=user_headers)).json() == miss


async def test_the_invalidation_comes_after_the_commit(
    app: FastAPI, settings: Settings, committed_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = database_of(app)
    async with database.transaction() as write:
        owner = User(
            email=f"{uuid.uuid4().hex[:12]}@example.com", full_name="O", hashed_password="-"
        )
        write.add(owner)
    headers = auth_headers(settings, owner)
    url, miss = await cached_project(app, committed_client, headers)
    cache: ResponseCache = app.state.cache
    invalidate = cache.invalidate
    seen: list[str | None] = []

    async def observed(keys: list[str]) -> None:
        # What another connection reads at the moment the entry is invalidated.
        async with database.reading() as other:
            seen.append(
                await other.scalar(select(Project.name).where(Project.id == uuid.UUID(miss["id"])))
            )
        await invalidate(keys)

    monkeypatch.setattr(cache, "invalidate", observed)
    patched = await committed_client.patch(url, headers=headers, json={"name": "Committed"})
    assert patched.status_code == 200
    assert seen == ["Committed"]


async def test_redis_down_reads_and_writes_go_to_the_database(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing listens on port 1: every cache call is refused at once.
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    app = create_app(settings, replacing(baked_extensions(), RedisExtension(down)))
    async with app.router.lifespan_context(app), rolled_back(app) as session:
        owner = User(email="down@example.com", full_name="O", hashed_password="-")
        session.add(owner)
        await session.flush()
        headers = auth_headers(settings, owner)
        async with make_client(app) as client:
            url, _ = await create_and_read_without_cache(client, headers)
            patched = await client.patch(url, headers=headers, json={"name": "Pantry"})
            assert patched.status_code == 200
            assert (await client.get(url, headers=headers)).json()["name"] == "Pantry"
    # The app logs to standard output (app/core/logging.py).
    logged = capsys.readouterr().out
    assert "Cache lookup failed" in logged
    assert "Cache invalidation failed" in logged


async def create_and_read_without_cache(
    client: AsyncClient, headers: Headers
) -> tuple[str, dict[str, Any]]:
    project = await create_project(client, headers)
    url = f"{PROJECTS}/{project['id']}"
    read = await client.get(url, headers=headers)
    assert read.status_code == 200
    assert read.json() == project
    return url, project
