"""The service's jobs, end to end: a new project is announced by the real worker once it is
committed; a creation that fails sends nothing; one made while Redis is down still succeeds."""

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from app.core.extension import replacing
from app.extensions import baked_extensions
from app.jobs import tasks
from app.jobs.config import JobsSettings
from app.jobs.context import WorkerContext
from app.jobs.extension import JobsExtension
from app.jobs.notifier import Notification
from app.main import create_app
from app.projects.models import Project
from app.redis.config import RedisSettings
from tests.conftest import database_of, make_client
from tests.jobs_support import Process, queue_length

PROJECTS = "/api/v1/projects"


class Recorder:
    """A notifier that keeps what it is given (a `Notifier`, as a real sender would be)."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def send(self, notification: Notification) -> None:
        self.sent.append(notification)


@pytest.fixture
async def project_name(jobs_app: FastAPI) -> AsyncIterator[str]:
    """A name of its own for the test; the project it made (committed) goes afterwards."""
    name = f"jobs-{uuid.uuid4().hex[:12]}"
    yield name
    async with database_of(jobs_app).transaction() as session:
        await session.execute(delete(Project).where(Project.name == name))


async def test_a_new_project_is_announced_by_the_worker(
    worker: Process, jobs_app: FastAPI, project_name: str
) -> None:
    async with make_client(jobs_app) as client:
        response = await client.post(PROJECTS, json={"name": project_name})
    assert response.status_code == 201
    # The worker read the project from the database: it was committed before the job was sent.
    worker.wait_for(lambda out: f"Notification to projects: New project: {project_name}" in out)


async def test_the_announcement_names_the_project_if_it_is_still_there(
    app: FastAPI, session: AsyncSession
) -> None:
    project = Project(name="Announced", description="What it is for.")
    session.add(project)
    await session.flush()
    recorder = Recorder()
    context = WorkerContext(database_of(app), recorder)
    await tasks.announce_project(project.id, context=context)
    await tasks.announce_project(uuid.uuid4(), context=context)
    assert recorder.sent == [
        Notification(recipient="projects", subject="New project: Announced", body="What it is for.")
    ]


async def test_a_creation_that_fails_sends_nothing(app: FastAPI, client: AsyncClient) -> None:
    redis: RedisSettings = app.state.redis_settings
    made = await client.post(PROJECTS, json={"name": "Taken"})
    assert made.status_code == 201
    before = await queue_length(redis)
    taken = await client.post(PROJECTS, json={"name": "Taken"})
    assert taken.status_code == 409
    assert await queue_length(redis) == before, "a rolled-back creation sends no job"


async def test_a_creation_while_redis_is_down_succeeds_and_logs_the_lost_job(
    settings: Settings, project_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing listens on port 1: sending the job fails at once.
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    json_logs = settings.model_copy(update={"log_json": True})
    app = create_app(json_logs, replacing(baked_extensions(), JobsExtension(down, JobsSettings())))
    async with app.router.lifespan_context(app), make_client(app) as client:
        response = await client.post(PROJECTS, json={"name": project_name})
    assert response.status_code == 201, "the project is committed"
    # The app logs JSON lines to standard output (app/core/logging.py).
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (record,) = [line for line in lines if line["name"] == "app.jobs.dependencies"]
    assert record["level"] == "ERROR"
    message = record["message"]
    assert message.startswith("Job projects.announce_project was not sent; args=(UUID(")
    assert response.json()["id"] in message
