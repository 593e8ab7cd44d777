"""Response cache settings, read from the environment and `.env` with the `CACHE_` prefix."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CacheSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CACHE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # How long an entry lives: the longest a reader could see a change late if an
    # invalidation is lost (Redis unreachable just after the commit).
    ttl_seconds: int = Field(default=60, ge=1)
