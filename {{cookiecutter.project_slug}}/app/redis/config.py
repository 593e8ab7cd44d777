"""Redis settings, read from the environment and `.env` with the `REDIS_` prefix."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RedisSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDIS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    url: str = "redis://localhost:6379/0"
    # Every key this service writes starts with it, so services (and test runs) can share a
    # Redis without reading each other's keys.
    key_prefix: str = Field(default="{{ cookiecutter.project_slug }}:", min_length=1)
    # A Redis that stops answering costs a request this long, not the client's default forever.
    socket_timeout_seconds: float = Field(default=0.5, gt=0)
    connect_timeout_seconds: float = Field(default=0.5, gt=0)
    max_connections: int = Field(default=50, ge=1)
    health_timeout_seconds: float = Field(default=1.0, gt=0)

    def key(self, *parts: str) -> str:
        """The full name of a key: `key("cache", "items", "42")` -> `<prefix>cache:items:42`."""
        return self.key_prefix + ":".join(parts)
