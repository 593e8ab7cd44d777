"""Settings refuse to start with placeholder secrets or unsafe CORS outside development."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings, SettingsError, get_settings


def make(**values: object) -> Settings:
    return Settings.model_validate({"secret_key": "x" * 40, **values})


@pytest.mark.parametrize("environment", ["staging", "production"])
@pytest.mark.parametrize("secret", ["changethis", "CHANGETHIS", "secret", "too-short"])
def test_placeholder_secrets_are_refused_outside_development(environment: str, secret: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be a random value"):
        make(environment=environment, secret_key=secret)


@pytest.mark.parametrize("environment", ["development", "test"])
def test_placeholder_secrets_are_allowed_in_development(environment: str) -> None:
    assert make(environment=environment, secret_key="changethis").environment == environment


def test_a_real_secret_is_accepted_in_production() -> None:
    assert make(environment="production").environment == "production"


def test_cors_origins_from_a_comma_separated_value() -> None:
    settings = make(cors_origins="https://a.example, https://b.example,")
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


def test_cors_wildcard_is_refused() -> None:
    with pytest.raises(ValidationError, match="'\\*' is not accepted"):
        make(cors_origins="*")


def test_a_bad_setting_is_reported_without_any_value(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "short-but-secret-value"
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DB_POOL_SIZE", "not-a-number")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as raised:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(raised.value)
    assert "db_pool_size" in message
    assert secret not in message
    assert "not-a-number" not in message
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
