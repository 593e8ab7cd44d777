"""Sending jobs from a route, once the route's writes are committed."""

import logging
from typing import Annotated, Any, ParamSpec

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask

from app.core.database import after_commit
from app.core.dependencies import WriteSession

logger = logging.getLogger(__name__)

P = ParamSpec("P")


class JobQueue:
    """The request's way to send jobs: each is sent after its write session commits, so a job
    never reads a row that was rolled back (or not yet committed)."""

    def __init__(self, broker: AsyncBroker, session: AsyncSession) -> None:
        self.broker = broker
        self.session = session

    def send_after_commit(
        self, task: AsyncTaskiqDecoratedTask[P, Any], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        kicker = task.kicker().with_broker(self.broker)

        async def send() -> None:
            try:
                sent = await kicker.kiq(*args, **kwargs)
            except Exception:
                # The write is committed and the response stands: a job that could not be
                # sent (Redis down) is logged, with its arguments (ids), for whoever re-sends it.
                logger.exception(
                    "Job %s was not sent; args=%r kwargs=%r", task.task_name, args, kwargs
                )
            else:
                logger.info("Sent job %s (%s)", sent.task_id, task.task_name)

        after_commit(self.session, send)


async def job_queue(request: Request, session: WriteSession) -> JobQueue:
    return JobQueue(request.app.state.jobs, session)


JobQueueDep = Annotated[JobQueue, Depends(job_queue)]
