"""Application settings, read from the environment and `.env`, validated at start-up."""

import os
from functools import lru_cache
from typing import Annotated, Literal, Self

from limits import parse
from pydantic import (
    EmailStr,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that mean "nobody set a real secret". Refused outside development and tests.
PLACEHOLDER_SECRETS = frozenset({"changethis", "change-me", "changeme", "secret", "secret-key"})
MIN_SECRET_LENGTH = 32
RELAXED_ENVIRONMENTS = frozenset({"development", "test"})


class Settings(BaseSettings):
    """Every setting the service reads. Environment variables win over `.env`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    project_name: str = {{ cookiecutter.__project_name_literal }}
    version: str = "{{ cookiecutter.version }}"
    environment: Literal["development", "test", "staging", "production"] = "development"

{%- if cookiecutter.database == "postgresql" %}
    database_url: str = "postgresql+asyncpg://postgres:postgres@localhost:5432/{{ cookiecutter.__db_name }}"
    # A query that runs longer fails instead of piling up.
    db_statement_timeout_seconds: float = Field(default=10.0, gt=0)
{%- else %}
    database_url: str = "sqlite+aiosqlite:///./{{ cookiecutter.__db_name }}.db"
{%- endif %}
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    db_health_timeout_seconds: float = Field(default=2.0, gt=0)
    # A pooled connection unused for this long is pinged before use, so that a database outage
    # nobody noticed costs no request once it is over.
    db_ping_idle_seconds: float = Field(default=1.0, ge=0)

    secret_key: SecretStr
    jwt_issuer: str = "{{ cookiecutter.project_slug }}"
    access_token_expire_minutes: int = Field(default=15, ge=1)
    # Failed logins allowed per account and per client address in a moving window, then 429s
    # (`limits` notation), counted where app/core/throttle_storage.py says.
    login_failures_per_account: str = "10/15 minutes"
    login_failures_per_address: str = "100/15 minutes"
    password_hashing_concurrency: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    refresh_token_expire_days: int = Field(default=14, ge=1)

    max_request_body_bytes: int = Field(default=1_048_576, ge=1024)
    # The served protocol's limits on a request's head (app/server.py).
    server_max_head_bytes: int = Field(default=32_768, ge=1024)
    server_head_timeout_seconds: float = Field(default=10.0, gt=0)
    cors_origins: Annotated[list[str], NoDecode] = []
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True

    first_admin_email: EmailStr | None = None
    first_admin_password: SecretStr | None = None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        """Accept `CORS_ORIGINS=https://a.example,https://b.example` as well as a list."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def refuse_wildcard(cls, origins: list[str]) -> list[str]:
        # Browsers send credentials cross-origin only to listed origins; `*` would defeat that.
        if "*" in origins:
            raise ValueError("list the allowed origins explicitly; '*' is not accepted")
        return origins

    @field_validator("login_failures_per_account", "login_failures_per_address")
    @classmethod
    def parse_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError:
            raise ValueError("write a rate such as '10/15 minutes' or '100/hour'") from None
        return value

    @model_validator(mode="after")
    def require_real_secret(self) -> Self:
        if self.environment in RELAXED_ENVIRONMENTS:
            return self
        secret = self.secret_key.get_secret_value()
        if secret.lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} characters "
                f"in {self.environment}; generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return self

    @property
    def is_test(self) -> bool:
        return self.environment == "test"


class SettingsError(Exception):
    """Settings that cannot start the service; the message names them, never their values."""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    try:
        return Settings()
    except ValidationError as exc:
        # Pydantic's own message quotes the input, SECRET_KEY included: say only what is wrong.
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        raise SettingsError(f"invalid settings: {problems}") from None
