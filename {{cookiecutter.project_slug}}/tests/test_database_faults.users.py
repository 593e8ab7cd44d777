"""The database goes away and comes back: 503s in the error shape, then recovery, no restart;
and a row goes away under a request that links to it: that row's 404."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import suppress

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, make_url

from app.core.config import Settings
from app.projects.models import Project
from app.projects.service import ProjectService
from app.users.models import User
from tests.conftest import PASSWORD, auth_headers, database_of, make_client, running_app

REGISTER, LOGIN = "/api/v1/auth/register", "/api/v1/auth/login"


class FlakyProxy:
    """A TCP proxy to PostgreSQL that the test can cut (connections refused) and restore."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.server: asyncio.Server | None = None
        self.port = 0
        self.pipes: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """Close the listening socket and every open connection, as a crashed server would."""
        assert self.server is not None
        self.server.close()
        for pipe in self.pipes:
            pipe.cancel()
        await asyncio.gather(*self.pipes, return_exceptions=True)
        await self.server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        pipes = [
            asyncio.create_task(self._pipe(reader, upstream_writer)),
            asyncio.create_task(self._pipe(upstream_reader, writer)),
        ]
        self.pipes.update(pipes)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()
            with suppress(Exception):
                await writer.wait_closed()


@pytest.fixture
async def proxy(settings: Settings) -> AsyncIterator[FlakyProxy]:
    url = make_url(settings.database_url)
    flaky = FlakyProxy(url.host or "127.0.0.1", url.port or 5432)
    await flaky.start()
    yield flaky
    with suppress(Exception):
        await flaky.cut()


@pytest.fixture
async def proxied_app(settings: Settings, proxy: FlakyProxy) -> AsyncIterator[FastAPI]:
    url = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port)
    async with running_app(
        settings,
        database_url=url.render_as_string(hide_password=False),
        db_pool_timeout_seconds=1.0,
        db_statement_timeout_seconds=1.0,
        db_ping_idle_seconds=0.2,
    ) as application:
        yield application


async def test_outage_gives_503s_and_recovery_needs_no_restart(
    proxied_app: FastAPI, proxy: FlakyProxy, settings: Settings, user: User
) -> None:
    # `user` lives in the test transaction, invisible to this app: a 401 proves the query ran.
    headers = auth_headers(settings, user)
    async with make_client(proxied_app) as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401

        await proxy.cut()
        started = time.monotonic()
        for path in ("/health/ready", "/api/v1/users/me", "/api/v1/items"):
            response = await client.get(path, headers=headers)
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "SERVICE_UNAVAILABLE"
            assert "Traceback" not in response.text
        assert time.monotonic() - started < 5  # within the configured 1 s timeouts, not hung

        await proxy.start()  # the database is back, on the same address
        assert await eventually_ready(client)
        assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401


async def eventually_ready(client: AsyncClient, attempts: int = 20) -> bool:
    for _ in range(attempts):
        if (await client.get("/health/ready")).status_code == 200:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_the_first_request_after_a_quiet_outage_succeeds(
    proxied_app: FastAPI, proxy: FlakyProxy, settings: Settings, user: User
) -> None:
    """The link is cut while nobody asks, then restored: no request pays for it."""
    headers = auth_headers(settings, user)
    async with make_client(proxied_app) as client:
        assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401
        await proxy.cut()  # every pooled connection dies with it
        await asyncio.sleep(0.5)
        await proxy.start()
        for _ in range(3):  # the first request and the ones after it
            response = await client.get("/api/v1/users/me", headers=headers)
            assert response.status_code == 401, response.text  # the query ran: not a 503


async def test_a_database_that_does_not_exist_is_a_503_that_says_so(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    url = make_url(settings.database_url).set(database="no_such_database_here")
    async with (
        running_app(settings, database_url=url.render_as_string(hide_password=False)) as app,
        make_client(app) as client,
    ):
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": "nowhere@example.com", "password": "long enough password"},
        )
        ready = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert ready.status_code == 503
    # The app's own log handler (it replaces pytest's) writes to standard output.
    assert "the database named in DATABASE_URL does not exist" in capsys.readouterr().out


async def test_a_project_deleted_while_an_item_links_to_it_is_a_404(
    app: FastAPI, committed_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project passes the check, then a concurrent request deletes it before the item is
    written: the foreign key catches it, and the client gets the project's 404, never a 500."""
    email = "linker@example.com"
    await committed_client.post(REGISTER, json={"email": email, "password": PASSWORD})
    login = await committed_client.post(LOGIN, data={"username": email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    item = await committed_client.post("/api/v1/items", headers=headers, json={"title": "t"})
    checked = ProjectService.get_for_owner

    async def checked_then_deleted(
        service: ProjectService, owner_id: uuid.UUID, project_id: uuid.UUID
    ) -> Project:
        project = await checked(service, owner_id, project_id)
        async with database_of(app).transaction() as concurrent:
            await concurrent.execute(delete(Project).where(Project.id == project.id))
        return project

    monkeypatch.setattr(ProjectService, "get_for_owner", checked_then_deleted)
    for method, url in (("POST", "/api/v1/items"), ("PATCH", f"/api/v1/items/{item.json()['id']}")):
        project = await committed_client.post(
            "/api/v1/projects", headers=headers, json={"name": f"doomed {method}"}
        )
        body = {"title": "late", "project_id": project.json()["id"]}
        response = await committed_client.request(method, url, headers=headers, json=body)
        assert response.status_code == 404, response.text
        assert response.json() == {"detail": "Project not found.", "code": "NOT_FOUND"}
