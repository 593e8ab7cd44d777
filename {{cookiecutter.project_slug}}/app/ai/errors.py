"""What can go wrong when the AI model is asked, in words for the API's users.

The provider's own message never reaches the client (it may quote the request); the log gets
its error type and status.
"""

from http import HTTPStatus

from app.core.errors import AppError, ServiceUnavailableError, TooManyRequestsError


class AIProviderError(AppError):
    """The provider refused or failed the request, or could not be reached."""

    status_code = HTTPStatus.BAD_GATEWAY
    code = "AI_PROVIDER_ERROR"
    detail = "The AI provider could not answer; try again later."


class AIReplyInvalid(AIProviderError):
    """The model answered, but not in the shape asked for (not JSON, or the wrong fields)."""

    code = "AI_REPLY_INVALID"
    detail = "The AI model's reply was not in the expected form; try again."


class AIProviderTimeout(AppError):
    status_code = HTTPStatus.GATEWAY_TIMEOUT
    code = "AI_PROVIDER_TIMEOUT"
    detail = "The AI provider did not answer in time; try again later."


class AINotConfigured(ServiceUnavailableError):
    code = "AI_NOT_CONFIGURED"
    detail = "The AI provider is not configured: AI_API_KEY is empty."


class TooManySummaries(TooManyRequestsError):
    detail = "Too many summaries asked for; Retry-After says when to ask again."


class SummariesUnavailable(ServiceUnavailableError):
    detail = "Summaries are paused: their rate limit cannot be counted; try again later."
