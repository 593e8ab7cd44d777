"""Sentry settings, from the environment or `.env` (Sentry's own variable names)."""

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SentrySettings(BaseSettings):
    """Reporting is on only when `SENTRY_DSN` is set."""

    model_config = SettingsConfigDict(
        env_prefix="SENTRY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    dsn: SecretStr | None = None
    # Both default to the service's own settings: ENVIRONMENT and VERSION.
    environment: str | None = None
    release: str | None = None
