"""The one interface services use to ask a model for a structured reply.

`app/ai/provider.py` implements it with the provider's SDK; services depend on `TextModel`
only, so the provider can change without them, and tests can replace it.
"""

from typing import Protocol, TypeVar

from pydantic import BaseModel

from app.ai.errors import AINotConfigured

ReplyT = TypeVar("ReplyT", bound=BaseModel)


class TextModel(Protocol):
    async def complete(self, system: str, prompt: str, *, schema: type[ReplyT]) -> ReplyT:
        """The model's reply to `prompt` under the `system` instructions, validated into
        `schema`. Raises AIProviderTimeout when the provider does not answer in time,
        AIProviderError when it fails, and AIReplyInvalid when the reply does not validate."""
        ...


class KeylessModel:
    """Stands in for the provider while AI_API_KEY is empty (allowed in development and tests
    only): every call is a 503 that names the setting, and nothing is sent anywhere."""

    async def complete(self, system: str, prompt: str, *, schema: type[ReplyT]) -> ReplyT:
        raise AINotConfigured

    async def close(self) -> None:
        """Nothing to close."""
