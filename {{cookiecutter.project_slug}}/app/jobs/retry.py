"""Retries with a growing delay, then the dead letters: a job that keeps failing is logged and
kept in a Redis list under the service's prefix, never dropped without a trace."""

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from taskiq import TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq.kicker import AsyncKicker

from app.jobs.config import JobsSettings

logger = logging.getLogger(__name__)

# The label that counts a job's runs; the first run has none.
ATTEMPT = "attempt"
# Enough of an error's message to tell failures apart in the dead letters.
ERROR_CHARS = 500


class DeadLetters:
    """The jobs that failed on every attempt, newest first, `limit` of them at most."""

    def __init__(self, pool: BlockingConnectionPool, key: str, limit: int) -> None:
        self.pool, self.key, self.limit = pool, key, limit

    async def add(self, entry: dict[str, Any]) -> None:
        async with Redis(connection_pool=self.pool) as redis, redis.pipeline() as pipe:
            pipe.lpush(self.key, json.dumps(entry))
            pipe.ltrim(self.key, 0, self.limit - 1)
            await pipe.execute()


class RetryWithBackoff(TaskiqMiddleware):
    """Sends a failed job again after `JobsSettings.retry_delay`, up to `max_attempts` runs.

    The worker waits out the delay itself (an asyncio sleep: it keeps running other jobs) and
    acknowledges the failed job only after sending it again, so a worker stopped while it
    waits leaves the job to be handed on, not lost.
    """

    def __init__(self, settings: JobsSettings, dead_letters: DeadLetters) -> None:
        super().__init__()
        self.settings = settings
        self.dead_letters = dead_letters

    async def on_error(
        self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException
    ) -> None:
        attempt = int(message.labels.get(ATTEMPT, 1))
        error = f"{type(exception).__name__}: {exception}"[:ERROR_CHARS]
        if attempt >= self.settings.max_attempts:
            await self.give_up(message, error, attempt)
            return
        delay = self.settings.retry_delay(attempt)
        logger.warning(
            "Job %s (%s) failed on attempt %d of %d (%s); it runs again in %.1f s",
            message.task_id,
            message.task_name,
            attempt,
            self.settings.max_attempts,
            type(exception).__name__,
            delay,
        )
        await asyncio.sleep(delay)
        kicker: AsyncKicker[Any, Any] = AsyncKicker(
            task_name=message.task_name, broker=self.broker, labels=message.labels
        )
        await (
            kicker.with_task_id(message.task_id)
            .with_labels(**{ATTEMPT: attempt + 1})
            .kiq(*message.args, **message.kwargs)
        )

    async def give_up(self, message: TaskiqMessage, error: str, attempts: int) -> None:
        # Job arguments are ids, never secrets (see CONTRIBUTING.md): they may be logged.
        logger.error(
            "Job %s (%s) failed %d times and goes to the dead letters; args=%r kwargs=%r: %s",
            message.task_id,
            message.task_name,
            attempts,
            message.args,
            message.kwargs,
            error,
        )
        entry = {
            "job_id": message.task_id,
            "task": message.task_name,
            "args": message.args,
            "kwargs": message.kwargs,
            "attempts": attempts,
            "error": error,
            "failed_at": datetime.now(UTC).isoformat(),
        }
        try:
            await self.dead_letters.add(entry)
        except Exception:
            logger.exception("Job %s: its dead letter could not be written", message.task_id)
