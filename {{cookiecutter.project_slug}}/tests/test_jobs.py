"""The job queue against a real worker process and the real Redis: retries with a growing
delay, then the dead letters; queues kept apart by their prefix; the settings."""

import asyncio
import json
import time
import uuid
from typing import cast

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from taskiq import AsyncBroker, TaskiqMessage, TaskiqResult

from app.core.config import Settings
from app.jobs.broker import build_broker, dead_letter_key, queue_name
from app.jobs.config import JobsSettings
from app.jobs.context import WorkerContext
from app.jobs.retry import RetryWithBackoff
from app.jobs.worker import create_broker
from app.redis.config import RedisSettings
from app.redis.extension import open_client
from tests.failing_job import always_fails
from tests.jobs_support import FAST_RETRIES, Process, queue_length


def test_retry_delays_double_up_to_the_maximum() -> None:
    settings = JobsSettings(retry_delay_seconds=1, retry_max_delay_seconds=5)
    assert [settings.retry_delay(attempt) for attempt in range(1, 6)] == [1, 2, 4, 5, 5]


async def dead_letters(redis: RedisSettings) -> list[dict[str, object]]:
    client = open_client(redis)
    try:
        raw = await client.lrange(dead_letter_key(redis), 0, -1)
    finally:
        await client.aclose()
    return [json.loads(item) for item in raw]


async def dead_letter_of(redis: RedisSettings, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for entry in await dead_letters(redis):
            if entry["job_id"] == job_id:
                return entry
        await asyncio.sleep(0.05)
    pytest.fail(f"job {job_id} never reached the dead letters")


async def test_a_failing_job_is_retried_then_kept_in_the_dead_letters(
    worker: Process, jobs_app: FastAPI, jobs_redis: RedisSettings
) -> None:
    broker: AsyncBroker = jobs_app.state.jobs
    marker = uuid.uuid4().hex
    started = time.monotonic()
    sent = await always_fails.kicker().with_broker(broker).kiq(marker)

    entry = await dead_letter_of(jobs_redis, sent.task_id)
    elapsed = time.monotonic() - started
    assert entry["task"] == "tests.always_fails"
    assert entry["args"] == [marker]
    assert entry["attempts"] == FAST_RETRIES.max_attempts == 3
    assert entry["error"] == f"RuntimeError: failing on purpose ({marker})"
    # Two waits before the runs after the first: 0.1 s, then twice that.
    assert elapsed >= FAST_RETRIES.retry_delay(1) + FAST_RETRIES.retry_delay(2)

    output = worker.wait_for(lambda out: f"{sent.task_id} (tests.always_fails) failed 3" in out)
    for attempt in (1, 2):
        assert f"{sent.task_id} (tests.always_fails) failed on attempt {attempt} of 3" in output
    assert "failed on attempt 3 of 3" not in output
    final = next(line for line in output.splitlines() if "goes to the dead letters" in line)
    assert "ERROR" in final
    assert f"args=['{marker}']" in final


async def test_a_worker_takes_only_the_jobs_of_its_own_prefix(
    worker: Process, jobs_app: FastAPI, jobs_redis: RedisSettings
) -> None:
    # Another service (or test run) on the same Redis: a prefix beside the worker's.
    other = RedisSettings(key_prefix=RedisSettings().key("other-service", ""))
    other_broker = build_broker(other, FAST_RETRIES)
    try:
        stray = await always_fails.kicker().with_broker(other_broker).kiq("not-yours")
    finally:
        await other_broker.shutdown()
    own = await always_fails.kicker().with_broker(jobs_app.state.jobs).kiq("yours")

    # By the time the worker has given up on its own job, it has read its queue past the
    # moment the other one was sent.
    await dead_letter_of(jobs_redis, own.task_id)
    assert stray.task_id not in worker.output()
    assert await queue_length(other) == 1, "the other service's job waits for its own workers"
    assert await dead_letters(other) == []


# The same pieces in this process, where coverage sees them (the worker above runs them too).


async def test_the_worker_opens_the_database_when_it_starts(settings: Settings) -> None:
    broker = create_broker()
    broker.is_worker_process = True
    await broker.startup()
    try:
        context: WorkerContext = broker.state.context
        async with context.database.reading() as session:
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await broker.shutdown()
    assert broker.queue_name == queue_name(RedisSettings())


# A stream's entries as redis-py returns them: (id, fields).
Entries = list[tuple[bytes, dict[bytes, bytes]]]


def failed_message(attempt: int | None) -> TaskiqMessage:
    labels = {} if attempt is None else {"attempt": str(attempt)}
    return TaskiqMessage(
        task_id=uuid.uuid4().hex,
        task_name="tests.always_fails",
        labels=labels,
        args=["in-process"],
        kwargs={},
    )


async def test_the_retry_sends_the_job_again_with_its_attempt_counted() -> None:
    redis = RedisSettings(key_prefix=RedisSettings().key("retry-test", uuid.uuid4().hex, ""))
    broker = build_broker(redis, FAST_RETRIES)
    (retry,) = broker.middlewares
    assert isinstance(retry, RetryWithBackoff)
    message = failed_message(attempt=None)
    result: TaskiqResult[None] = TaskiqResult(is_err=True, return_value=None, execution_time=0)
    try:
        await retry.on_error(message, result, RuntimeError("first"))
        assert await queue_length(redis) == 1
        client = open_client(redis)
        try:
            entries = cast(Entries, await client.xrange(queue_name(redis)))
        finally:
            await client.aclose()
        ((_, fields),) = entries
        sent = json.loads(fields[b"data"])
        # Labels travel as text.
        assert (sent["task_id"], sent["labels"]["attempt"]) == (message.task_id, "2")

        last = failed_message(attempt=FAST_RETRIES.max_attempts)
        await retry.on_error(last, result, RuntimeError("last"))
        assert await queue_length(redis) == 1, "no run after the last attempt"
        (entry,) = await dead_letters(redis)
        assert entry["job_id"] == last.task_id
        assert entry["error"] == "RuntimeError: last"
    finally:
        await broker.shutdown()


async def test_a_dead_letter_that_cannot_be_written_is_still_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The worker logged the failure first; then Redis (on port 1: nobody) refuses the entry.
    broker = build_broker(RedisSettings(url="redis://127.0.0.1:1/0"), FAST_RETRIES)
    (retry,) = broker.middlewares
    assert isinstance(retry, RetryWithBackoff)
    message = failed_message(attempt=FAST_RETRIES.max_attempts)
    result: TaskiqResult[None] = TaskiqResult(is_err=True, return_value=None, execution_time=0)
    try:
        await retry.on_error(message, result, RuntimeError("gone"))
    finally:
        await broker.shutdown()
    output = caplog.text
    assert f"Job {message.task_id} (tests.always_fails) failed 3 times" in output
    assert f"Job {message.task_id}: its dead letter could not be written" in output
