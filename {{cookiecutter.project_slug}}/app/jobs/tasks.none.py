"""The jobs this service runs: a notification for each new project.

Each is a shared task (bound to no broker), so the API sends it on its broker and every
worker process runs it on its own. Arguments are ids, never secrets: they sit in Redis.
"""

import logging
import uuid

from taskiq import TaskiqDepends, async_shared_broker

from app.jobs.context import WorkerContext, worker_context
from app.jobs.notifier import Notification
from app.projects.repository import ProjectRepository

logger = logging.getLogger(__name__)

# Where news of the projects goes: a channel whoever watches the service reads.
PROJECTS_CHANNEL = "projects"


@async_shared_broker.task(task_name="projects.announce_project")
async def announce_project(
    project_id: uuid.UUID, context: WorkerContext = TaskiqDepends(worker_context)
) -> None:
    """Tell the projects channel about a new project; nothing if it is gone by then."""
    async with context.database.reading() as session:
        project = await ProjectRepository(session).get(project_id)
    if project is None:
        logger.info("No announcement for project %s: it is gone", project_id)
        return
    await context.notifier.send(
        Notification(
            recipient=PROJECTS_CHANNEL,
            subject=f"New project: {project.name}",
            body=project.description,
        )
    )


# What a worker runs (it imports this module, which registers them).
TASKS = (announce_project,)
