"""The jobs this service runs: a welcome notification for each new account, and the purge of
spent refresh tokens that the scheduler sends (app/jobs/scheduler.py).

Each is a shared task (bound to no broker), so the API sends it on its broker and every
worker process runs it on its own. Arguments are ids, never secrets: they sit in Redis.
"""

import logging
import uuid

from taskiq import TaskiqDepends, async_shared_broker

from app.auth.service import purge_spent_tokens
from app.jobs.context import WorkerContext, worker_context
from app.jobs.notifier import Notification
from app.users.repository import UserRepository

logger = logging.getLogger(__name__)


@async_shared_broker.task(task_name="users.send_welcome")
async def send_welcome(
    user_id: uuid.UUID, context: WorkerContext = TaskiqDepends(worker_context)
) -> None:
    """Welcome a new user; nothing for an account that is gone or inactive by then."""
    async with context.database.reading() as session:
        user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        logger.info("No welcome for user %s: the account is gone or inactive", user_id)
        return
    greeting = f"Hello {user.full_name}," if user.full_name else "Hello,"
    await context.notifier.send(
        Notification(
            recipient=user.email,
            subject="Welcome: your account is ready",
            body=f"{greeting}\n\nyou can now log in with {user.email}.",
        )
    )


@async_shared_broker.task(task_name="auth.purge_spent_tokens")
async def purge_tokens(context: WorkerContext = TaskiqDepends(worker_context)) -> int:
    """Delete expired and revoked refresh tokens, as `python -m app.cli purge-tokens` does."""
    removed = await purge_spent_tokens(context.database)
    logger.info("Removed %d expired or revoked refresh tokens", removed)
    return removed


# What a worker runs (it imports this module, which registers them).
TASKS = (send_welcome, purge_tokens)
