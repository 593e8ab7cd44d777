"""The worker: `taskiq worker app.jobs.worker:create_broker --workers 1 --no-configure-logging`.

taskiq calls `create_broker` in each worker process it starts: the process logs as the API
does (app/core/logging.py), opens the database when it starts and closes it when it stops,
and runs the tasks of app/jobs/tasks.py from this service's queue.
"""

import logging

from taskiq import TaskiqEvents, TaskiqState
from taskiq_redis import RedisStreamBroker

from app.core.config import get_settings
from app.core.database import Database
from app.core.logging import configure_logging
from app.jobs import tasks
from app.jobs.broker import build_broker
from app.jobs.config import JobsSettings
from app.jobs.context import WorkerContext
from app.jobs.notifier import LoggingNotifier
from app.redis.config import RedisSettings

logger = logging.getLogger(__name__)


def create_broker() -> RedisStreamBroker:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    redis = RedisSettings()
    broker = build_broker(redis, JobsSettings(), worker=True)

    async def start(state: TaskiqState) -> None:
        state.context = WorkerContext(Database.from_settings(settings), LoggingNotifier())
        names = ", ".join(task.task_name for task in tasks.TASKS)
        logger.info("Worker started on %s: %s", broker.queue_name, names)

    async def stop(state: TaskiqState) -> None:
        context: WorkerContext = state.context
        await context.database.dispose()
        logger.info("Worker stopped")

    broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, start)
    broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, stop)
    return broker
