"""The AI provider's settings (`AI_*` variables), read apart from the service's own."""

from typing import Literal, Self

from limits import parse
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.config import Settings, SettingsError

# Values that mean "nobody set a real key". Refused, like an empty key, outside development.
PLACEHOLDER_KEYS = frozenset({"changethis", "change-me", "changeme", "your-api-key", "sk-..."})
RELAXED_ENVIRONMENTS = frozenset({"development", "test"})


class AISettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AI_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    api_key: SecretStr = SecretStr("")
    # Empty: the provider module's DEFAULT_MODEL (app/ai/provider.py).
    model: str = ""
    # Each call waits this long at most, and is tried 1 + max_retries times (the SDK retries
    # connection errors, 429s and 5xx with a backoff): keep both low, a client is waiting.
    timeout_seconds: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=1, ge=0, le=5)
    max_output_tokens: int = Field(default=512, ge=16)
    # Summaries allowed per caller (user, or client address without users) in a moving window.
    summaries_per_caller: str = "10/minute"
    environment: Literal["development", "test", "staging", "production"] = Field(
        default="development", validation_alias=AliasChoices("environment", "ENVIRONMENT")
    )

    @field_validator("summaries_per_caller")
    @classmethod
    def parse_rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError:
            raise ValueError("write a rate such as '10/minute' or '100/hour'") from None
        return value

    @model_validator(mode="after")
    def require_real_key(self) -> Self:
        if self.environment in RELAXED_ENVIRONMENTS:
            return self
        key = self.api_key.get_secret_value().strip()
        if not key or key.lower() in PLACEHOLDER_KEYS:
            raise ValueError(
                f"AI_API_KEY must be your provider's API key in {self.environment} "
                "(it is empty or a placeholder)"
            )
        return self


def get_ai_settings() -> AISettings:
    """The AI settings from the environment and the `.env` the service's settings read (none in
    the tests); a problem is reported by name, never with the value."""
    try:
        return AISettings(_env_file=Settings.model_config.get("env_file"))
    except ValidationError as exc:
        problems = "; ".join(
            ": ".join(filter(None, (".".join(str(part) for part in error["loc"]), error["msg"])))
            for error in exc.errors(include_input=False)
        )
        raise SettingsError(f"invalid AI settings: {problems}") from None
