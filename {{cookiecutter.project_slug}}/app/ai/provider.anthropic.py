"""TextModel on Anthropic's Messages API, through its official async SDK.

The reply is asked for as JSON in the schema's shape (structured outputs) and validated into
it here; the SDK's own retries (AI_MAX_RETRIES) and timeout (AI_TIMEOUT_SECONDS) apply.
"""

import logging

import anthropic
from pydantic import ValidationError

from app.ai.client import ReplyT
from app.ai.config import AISettings
from app.ai.errors import AIProviderError, AIProviderTimeout, AIReplyInvalid

logger = logging.getLogger(__name__)
# At DEBUG the SDK logs every request's options, the prompt among them: it stays at INFO.
logging.getLogger("anthropic").setLevel(logging.INFO)

# A small, fast model suits short summaries; AI_MODEL names another.
DEFAULT_MODEL = "claude-haiku-5-5"


class ProviderModel:
    """Every call has the settings' model, output token limit, timeout and retries."""

    def __init__(
        self, settings: AISettings, *, http_client: anthropic.DefaultAsyncHttpxClient | None = None
    ) -> None:
        self.model = settings.model or DEFAULT_MODEL
        self.max_output_tokens = settings.max_output_tokens
        self.client = anthropic.AsyncAnthropic(
            api_key=settings.api_key.get_secret_value(),
            timeout=settings.timeout_seconds,
            max_retries=settings.max_retries,
            http_client=http_client,
        )

    async def complete(self, system: str, prompt: str, *, schema: type[ReplyT]) -> ReplyT:
        try:
            message = await self.client.messages.parse(
                model=self.model,
                max_tokens=self.max_output_tokens,
                system=system,
                messages=[{"role": "user", "content": prompt}],
                output_format=schema,
            )
        except anthropic.APITimeoutError as exc:
            log_failure(exc)
            raise AIProviderTimeout from exc
        except anthropic.APIError as exc:
            log_failure(exc)
            raise AIProviderError from exc
        except ValidationError as exc:
            # The error quotes the reply: only its size goes to the log.
            logger.warning("AI reply invalid: %d validation errors", exc.error_count())
            raise AIReplyInvalid from exc
        reply = message.parsed_output
        if reply is None:
            logger.warning("AI reply invalid: no text (stop reason %s)", message.stop_reason)
            raise AIReplyInvalid
        return reply

    async def close(self) -> None:
        await self.client.close()


def log_failure(exc: anthropic.APIError) -> None:
    """The error's type, status and the provider's request id: never the prompt or the key."""
    status = exc.status_code if isinstance(exc, anthropic.APIStatusError) else None
    request_id = exc.request_id if isinstance(exc, anthropic.APIStatusError) else None
    logger.warning(
        "AI provider failed: %s (status %s, request id %s)", type(exc).__name__, status, request_id
    )
