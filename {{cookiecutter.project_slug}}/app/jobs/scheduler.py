"""The scheduler: `taskiq scheduler app.jobs.scheduler:create_scheduler --no-configure-logging`.

It sends the periodic jobs to the queue when they are due; the workers run them. Run one
scheduler per deployment: two would send each job twice (harmless for the purge, wasted work).
"""

from taskiq import ScheduledTask, ScheduleSource, TaskiqScheduler

from app.core.config import get_settings
from app.core.logging import configure_logging
from app.jobs import tasks
from app.jobs.broker import build_broker
from app.jobs.config import JobsSettings
from app.redis.config import RedisSettings


class PeriodicJobs(ScheduleSource):
    """The periodic jobs, on the intervals the settings give."""

    def __init__(self, settings: JobsSettings) -> None:
        super().__init__()
        self.schedules = [
            ScheduledTask(
                task_name=tasks.purge_tokens.task_name,
                labels={},
                args=[],
                kwargs={},
                schedule_id="purge-spent-tokens",
                # The first run is when the scheduler starts, then one per interval.
                interval=settings.purge_tokens_interval_minutes * 60,
            )
        ]

    async def get_schedules(self) -> list[ScheduledTask]:
        return self.schedules


def create_scheduler() -> TaskiqScheduler:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    jobs = JobsSettings()
    return TaskiqScheduler(build_broker(RedisSettings(), jobs), sources=[PeriodicJobs(jobs)])
