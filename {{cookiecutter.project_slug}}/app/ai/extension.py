"""The AI provider as an extension: the summary route, and the model and rate limit it uses
for the app's lifetime."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.ai.client import KeylessModel
from app.ai.config import AISettings, get_ai_settings
from app.ai.provider import ProviderModel
from app.ai.rate_limit import RequestLimit
from app.ai.router import router
from app.core.extension import Extension
from app.core.routing import API_PREFIX
from app.core.throttle_storage import throttle_storage


class AIExtension(Extension):
    """No readiness check: a provider outage must not take the service out of rotation; the
    summary route answers 502 or 504 instead while the rest of the API works."""

    def __init__(self, settings: AISettings | None = None) -> None:
        self.settings = settings or get_ai_settings()

    def install(self, app: FastAPI) -> None:
        app.include_router(router, prefix=API_PREFIX)

    @asynccontextmanager
    async def running(self, app: FastAPI) -> AsyncIterator[None]:
        settings = self.settings
        model: ProviderModel | KeylessModel = (
            ProviderModel(settings) if settings.api_key.get_secret_value() else KeylessModel()
        )
        app.state.text_model = model
        app.state.summary_limit = RequestLimit(
            throttle_storage(app),
            settings.summaries_per_caller,
            "ai-summaries",
        )
        try:
            yield
        finally:
            await model.close()
