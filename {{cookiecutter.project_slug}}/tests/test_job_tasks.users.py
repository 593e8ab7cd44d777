"""The service's jobs, end to end: a registration sends a welcome that the real worker delivers
once the account is committed; a registration that fails sends nothing; one made while Redis is
down still succeeds; the scheduler sends the purge of spent refresh tokens, which deletes them."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import RefreshToken
from app.core.config import Settings
from app.core.extension import replacing
from app.db.base import utcnow
from app.extensions import baked_extensions
from app.jobs import tasks
from app.jobs.config import JobsSettings
from app.jobs.context import WorkerContext
from app.jobs.extension import JobsExtension
from app.jobs.notifier import LoggingNotifier, Notification
from app.jobs.scheduler import PeriodicJobs, create_scheduler
from app.main import create_app
from app.redis.config import RedisSettings
from app.users.models import User
from tests.conftest import PASSWORD, UserFactory, database_of, make_client
from tests.jobs_support import Process, queue_length, service_environment

REGISTER = "/api/v1/auth/register"
# The scheduler's command as README.md gives it.
SCHEDULER_COMMAND = [
    *("taskiq", "scheduler", "app.jobs.scheduler:create_scheduler"),
    "--no-configure-logging",
]


class Recorder:
    """A notifier that keeps what it is given (a `Notifier`, as a real sender would be)."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def send(self, notification: Notification) -> None:
        self.sent.append(notification)


@pytest.fixture
async def remove_job_users(settings: Settings, jobs_app: FastAPI) -> AsyncIterator[str]:
    """An address of its own for the test; the account it made (committed) goes afterwards."""
    email = f"jobs-{uuid.uuid4().hex[:12]}@example.com"
    yield email
    async with database_of(jobs_app).transaction() as session:
        await session.execute(delete(User).where(User.email == email))


async def test_registration_sends_a_welcome_the_worker_delivers(
    worker: Process, jobs_app: FastAPI, remove_job_users: str
) -> None:
    email = remove_job_users
    async with make_client(jobs_app) as client:
        response = await client.post(REGISTER, json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    # The worker read the account from the database: it was committed before the job was sent.
    worker.wait_for(lambda out: f"Notification to {email}: Welcome" in out)


async def test_a_registration_that_fails_sends_nothing(
    app: FastAPI, client: AsyncClient, user: User
) -> None:
    redis: RedisSettings = app.state.redis_settings
    before = await queue_length(redis)
    taken = await client.post(REGISTER, json={"email": user.email, "password": PASSWORD})
    assert taken.status_code == 409
    assert await queue_length(redis) == before, "a rolled-back registration sends no job"
    made = await client.post(REGISTER, json={"email": "new@example.com", "password": PASSWORD})
    assert made.status_code == 201
    assert await queue_length(redis) == before + 1


async def test_a_registration_while_redis_is_down_succeeds_and_logs_the_lost_job(
    settings: Settings,
    remove_job_users: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Nothing listens on port 1: sending the job fails at once.
    down = RedisSettings(url="redis://127.0.0.1:1/0")
    json_logs = settings.model_copy(update={"log_json": True})
    app = create_app(json_logs, replacing(baked_extensions(), JobsExtension(down, JobsSettings())))
    async with app.router.lifespan_context(app), make_client(app) as client:
        response = await client.post(
            REGISTER, json={"email": remove_job_users, "password": PASSWORD}
        )
    assert response.status_code == 201, "the account is committed: the user has it"
    # The app logs JSON lines to standard output (app/core/logging.py).
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (record,) = [line for line in lines if line["name"] == "app.jobs.dependencies"]
    assert record["level"] == "ERROR"
    message = record["message"]
    assert message.startswith("Job users.send_welcome was not sent; args=(UUID(")
    assert response.json()["id"] in message


async def test_the_welcome_goes_to_active_accounts_only(
    app: FastAPI, session: AsyncSession, make_user: UserFactory
) -> None:
    active = await make_user(email="welcome@example.com")
    inactive = await make_user(email="gone@example.com", is_active=False)
    recorder = Recorder()
    context = WorkerContext(database_of(app), recorder)
    for user in (active, inactive):
        await tasks.send_welcome(user.id, context=context)
    await tasks.send_welcome(uuid.uuid4(), context=context)
    (sent,) = recorder.sent
    assert sent.recipient == "welcome@example.com"
    assert sent.subject == "Welcome: your account is ready"
    assert "welcome@example.com" in sent.body


async def test_the_purge_deletes_expired_and_revoked_tokens(
    app: FastAPI, session: AsyncSession, user: User
) -> None:
    now = utcnow()
    for expires_at, revoked_at in (
        (now - timedelta(days=1), None),  # expired
        (now + timedelta(days=1), now),  # revoked
        (now + timedelta(days=1), None),  # live
    ):
        session.add(
            RefreshToken(
                user_id=user.id,
                family_id=uuid.uuid4(),
                expires_at=expires_at,
                revoked_at=revoked_at,
            )
        )
    await session.flush()
    context = WorkerContext(database_of(app), LoggingNotifier())
    assert await tasks.purge_tokens(context=context) == 2
    left = await session.scalar(select(func.count()).where(RefreshToken.user_id == user.id))
    assert left == 1


def test_the_scheduler_sends_the_purge_on_the_interval_from_the_settings() -> None:
    scheduler = create_scheduler()
    (source,) = scheduler.sources
    assert isinstance(source, PeriodicJobs)
    settings = JobsSettings(purge_tokens_interval_minutes=90)
    (schedule,) = PeriodicJobs(settings).schedules
    assert schedule.task_name == tasks.purge_tokens.task_name == "auth.purge_spent_tokens"
    assert schedule.interval == 90 * 60


@pytest.mark.served  # a scheduler process of its own: seconds to start
async def test_the_scheduler_process_sends_the_purge_and_the_worker_runs_it(
    settings: Settings, worker: Process, jobs_redis: RedisSettings
) -> None:
    # An interval's first run is when the scheduler starts.
    scheduler = Process(SCHEDULER_COMMAND, service_environment(settings, jobs_redis))
    try:
        worker.wait_for(lambda out: "expired or revoked refresh tokens" in out, timeout=20)
    finally:
        scheduler.stop()
    assert "Sending task auth.purge_spent_tokens" in scheduler.output()
