"""What the worker's tasks share, opened when a worker process starts (app/jobs/worker.py)."""

from dataclasses import dataclass

from taskiq import TaskiqDepends, TaskiqState

from app.core.database import Database
from app.jobs.notifier import Notifier


@dataclass(frozen=True)
class WorkerContext:
    database: Database
    notifier: Notifier


def worker_context(state: TaskiqState = TaskiqDepends()) -> WorkerContext:
    """A task's parameter `context: WorkerContext = TaskiqDepends(worker_context)`."""
    context: WorkerContext = state.context
    return context
