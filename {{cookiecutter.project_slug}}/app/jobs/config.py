"""Job queue settings, read from the environment and `.env` with the `JOBS_` prefix.

Where the queue lives (the Redis URL, and the key prefix every name starts with) comes from
`RedisSettings`: the queue is one more thing this service keeps in its Redis.
"""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class JobsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="JOBS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # A failing job runs again after a delay that doubles each time (1 s, 2 s, 4 s, ... up to
    # the maximum), at most `max_attempts` times in all; then it goes to the dead letters.
    max_attempts: int = Field(default=5, ge=1, le=25)
    retry_delay_seconds: float = Field(default=1.0, ge=0)
    retry_max_delay_seconds: float = Field(default=60.0, ge=0)
    # How many failed jobs the dead-letter list keeps (the newest); older ones are dropped.
    dead_letter_limit: int = Field(default=1000, ge=1)
    # The queue is trimmed to about this many entries as jobs are added (done ones included).
    queue_max_length: int = Field(default=100_000, ge=1000)
{%- if cookiecutter.auth == "users" %}
    # How often the scheduler sends the purge of spent refresh tokens (app/jobs/scheduler.py).
    purge_tokens_interval_minutes: int = Field(default=24 * 60, ge=1)
{%- endif %}

    def retry_delay(self, attempt: int) -> float:
        """Seconds to wait before running a job again after its `attempt`-th failure."""
        return min(self.retry_delay_seconds * 2.0 ** (attempt - 1), self.retry_max_delay_seconds)
