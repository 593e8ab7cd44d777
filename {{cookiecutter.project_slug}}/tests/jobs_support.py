"""A real worker for the job tests: the production command in a process of its own, on this
run's database and on a queue of its own under this run's Redis prefix (so the jobs the other
tests send are not its business), with short retry delays. Its output is kept for the tests
to read; every wait is bounded."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.extension import replacing
from app.extensions import baked_extensions
from app.jobs.broker import queue_name
from app.jobs.config import JobsSettings
from app.jobs.extension import JobsExtension
from app.main import create_app
from app.redis.config import RedisSettings
from app.redis.extension import RedisExtension, open_client

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The commands README.md gives (its "Background jobs"), as production runs them.
WORKER_COMMAND = [
    *("taskiq", "worker", "app.jobs.worker:create_broker"),
    *("--workers", "1", "--no-configure-logging"),
]
TEST_JOBS = "tests.failing_job"
# Fast retries: three runs, 0.1 s then 0.2 s apart.
FAST_RETRIES = JobsSettings(max_attempts=3, retry_delay_seconds=0.1, retry_max_delay_seconds=0.2)
START_TIMEOUT = 30.0


class Process:
    """A process of the service's, with its output (stdout and stderr) collected line by line."""

    def __init__(self, command: list[str], environment: dict[str, str]) -> None:
        executable = str(Path(sys.executable).parent / command[0])
        self.popen = subprocess.Popen(  # noqa: S603 - the service's own command
            [executable, *command[1:]],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, found: Callable[[str], bool], timeout: float = 10.0) -> str:
        """The output once `found` says it holds what the test waits for; fails after timeout."""
        deadline = time.monotonic() + timeout
        while not found(self.output()):
            if self.popen.poll() is not None:
                pytest.fail(f"the process ended ({self.popen.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"not seen within {timeout} s; the output:\n{self.output()}")
            time.sleep(0.05)
        return self.output()

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)
        self.reader.join(timeout=5)
        if self.popen.stdout is not None:
            self.popen.stdout.close()


@pytest.fixture(scope="session")
def jobs_redis() -> RedisSettings:
    """A prefix of its own under this run's, so its keys go with the run's at the end."""
    return RedisSettings(key_prefix=RedisSettings().key("jobs-test", ""))


def service_environment(settings: Settings, redis: RedisSettings) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis.url,
        "REDIS_KEY_PREFIX": redis.key_prefix,
        "JOBS_MAX_ATTEMPTS": str(FAST_RETRIES.max_attempts),
        "JOBS_RETRY_DELAY_SECONDS": str(FAST_RETRIES.retry_delay_seconds),
        "JOBS_RETRY_MAX_DELAY_SECONDS": str(FAST_RETRIES.retry_max_delay_seconds),
        "LOG_LEVEL": "INFO",
        "LOG_JSON": "false",
    }


@pytest.fixture(scope="session")
def worker(settings: Settings, jobs_redis: RedisSettings) -> Iterator[Process]:
    # The test jobs' module goes right after the broker, where taskiq takes modules to import.
    command = [*WORKER_COMMAND[:3], TEST_JOBS, *WORKER_COMMAND[3:]]
    process = Process(command, service_environment(settings, jobs_redis))
    try:
        process.wait_for(lambda out: "Worker started on" in out, timeout=START_TIMEOUT)
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
async def jobs_app(settings: Settings, jobs_redis: RedisSettings) -> AsyncIterator[FastAPI]:
    """An app that sends its jobs to the worker's queue, with sessions that really commit."""
    extensions = replacing(
        baked_extensions(), RedisExtension(jobs_redis), JobsExtension(jobs_redis, FAST_RETRIES)
    )
    app = create_app(settings, extensions)
    async with app.router.lifespan_context(app):
        yield app


async def queue_length(redis: RedisSettings) -> int:
    """How many jobs were ever sent to the queue of these settings (it is not trimmed here)."""
    client: Redis = open_client(redis)
    try:
        return int(await client.xlen(queue_name(redis)))
    finally:
        await client.aclose()
