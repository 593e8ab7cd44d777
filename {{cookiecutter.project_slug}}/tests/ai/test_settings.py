"""The AI settings refuse a missing or placeholder key outside development, and the extension
holds the provider's client for the app's lifetime."""

import pytest
from pydantic import SecretStr, ValidationError

from app.ai.client import KeylessModel
from app.ai.config import AISettings, get_ai_settings
from app.ai.extension import AIExtension
from app.ai.provider import DEFAULT_MODEL, ProviderModel
from app.ai.rate_limit import RequestLimit
from app.core.config import Settings, SettingsError
from app.main import create_app
from tests.ai.conftest import AI_SETTINGS


def make(**values: object) -> AISettings:
    return AISettings.model_validate({"api_key": "a-real-looking-key", **values})


@pytest.mark.parametrize("environment", ["staging", "production"])
@pytest.mark.parametrize("key", ["", "   ", "changethis", "CHANGETHIS", "your-api-key"])
def test_a_missing_or_placeholder_key_is_refused_outside_development(
    environment: str, key: str
) -> None:
    with pytest.raises(ValidationError, match="AI_API_KEY must be your provider's API key"):
        make(environment=environment, api_key=key)


@pytest.mark.parametrize("environment", ["development", "test"])
def test_development_starts_without_a_key(environment: str) -> None:
    assert make(environment=environment, api_key="").environment == environment


def test_a_real_key_is_accepted_in_production() -> None:
    assert make(environment="production").api_key.get_secret_value() == "a-real-looking-key"


def test_a_bad_rate_is_refused() -> None:
    with pytest.raises(ValidationError, match="write a rate such as"):
        make(summaries_per_caller="often")


def test_the_settings_come_from_ai_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_API_KEY", "from-the-environment")
    monkeypatch.setenv("AI_MAX_OUTPUT_TOKENS", "64")
    settings = get_ai_settings()
    assert settings.api_key.get_secret_value() == "from-the-environment"
    assert settings.max_output_tokens == 64


def test_a_refused_key_is_named_never_quoted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("AI_API_KEY", "changeme")
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "soon")
    with pytest.raises(SettingsError) as raised:
        get_ai_settings()
    message = str(raised.value)
    assert "timeout_seconds" in message
    assert "soon" not in message
    assert raised.value.__suppress_context__
    monkeypatch.delenv("AI_TIMEOUT_SECONDS")
    with pytest.raises(SettingsError, match="AI_API_KEY must be") as raised:
        get_ai_settings()
    assert "changeme" not in str(raised.value)


def test_no_model_named_is_the_providers_default() -> None:
    assert ProviderModel(make()).model == DEFAULT_MODEL
    assert ProviderModel(make(model="another-model")).model == "another-model"


@pytest.mark.parametrize(("key", "kind"), [("test-key", ProviderModel), ("", KeylessModel)])
async def test_the_extension_holds_the_model_while_the_app_runs(
    settings: Settings, key: str, kind: type[object]
) -> None:
    extension = AIExtension(AI_SETTINGS.model_copy(update={"api_key": SecretStr(key)}))
    app = create_app(settings, [extension])
    assert "/api/v1/items/{item_id}/summary" in app.openapi()["paths"]
    async with app.router.lifespan_context(app):
        model = app.state.text_model
        assert isinstance(model, kind)
        assert isinstance(app.state.summary_limit, RequestLimit)
    if isinstance(model, ProviderModel):
        assert model.client.is_closed()
