"""Application settings, read from the environment and `.env`, validated at start-up."""

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the service reads. Environment variables win over `.env`.

    No secret of its own: the service has no users and signs nothing; the gateway in front of
    it authenticates callers. Only DATABASE_URL may hold a password.
    """

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

    max_request_body_bytes: int = Field(default=1_048_576, ge=1024)
    # The served protocol's limits on a request's head (app/server.py).
    server_max_head_bytes: int = Field(default=32_768, ge=1024)
    server_head_timeout_seconds: float = Field(default=10.0, gt=0)
    cors_origins: Annotated[list[str], NoDecode] = []
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True

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


class SettingsError(Exception):
    """Settings that cannot start the service; the message names them, never their values."""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    try:
        return Settings()
    except ValidationError as exc:
        # Pydantic's own message quotes the input, a DATABASE_URL's password included: say
        # only what is wrong.
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        raise SettingsError(f"invalid settings: {problems}") from None
