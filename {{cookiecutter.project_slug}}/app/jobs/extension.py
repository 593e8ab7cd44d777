"""The API's side of the queue: a broker to send jobs with, closed at shutdown."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.core.extension import Extension
from app.jobs.broker import build_broker
from app.jobs.config import JobsSettings
from app.redis.config import RedisSettings


class JobsExtension(Extension):
    """Puts `app.state.jobs` (the broker) on the app. It connects on first use, so a Redis that
    is down delays no start-up; readiness asks Redis through the Redis extension."""

    def __init__(
        self, redis: RedisSettings | None = None, jobs: JobsSettings | None = None
    ) -> None:
        self.redis = redis or RedisSettings()
        self.jobs = jobs or JobsSettings()

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        broker = build_broker(self.redis, self.jobs)
        app.state.jobs = broker
        try:
            yield
        finally:
            await broker.shutdown()
