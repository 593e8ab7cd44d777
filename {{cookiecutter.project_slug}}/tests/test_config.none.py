"""Settings: unsafe CORS refused, and a bad setting reported without its value."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings, SettingsError, get_settings


def make(**values: object) -> Settings:
    return Settings.model_validate(values)


@pytest.mark.parametrize("environment", ["development", "test", "staging", "production"])
def test_no_secret_is_needed_in_any_environment(environment: str) -> None:
    """The service signs nothing: it starts in production with no secret set."""
    assert make(environment=environment).environment == environment


def test_settings_have_no_secret_fields() -> None:
    assert not {"secret_key", "first_admin_password"} & set(Settings.model_fields)


def test_cors_origins_from_a_comma_separated_value() -> None:
    settings = make(cors_origins="https://a.example, https://b.example,")
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


def test_cors_wildcard_is_refused() -> None:
    with pytest.raises(ValidationError, match="'\\*' is not accepted"):
        make(cors_origins="*")


def test_a_bad_setting_is_reported_without_any_value(monkeypatch: pytest.MonkeyPatch) -> None:
    password = "database-password-in-the-url"
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATABASE_URL", f"postgresql+asyncpg://app:{password}@db:5432/app")
    monkeypatch.setenv("DB_POOL_SIZE", "not-a-number")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as raised:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(raised.value)
    assert "db_pool_size" in message
    assert password not in message
    assert "not-a-number" not in message
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
