"""The example AI endpoint: an item's summary, written by the model."""

from typing import Any

from fastapi import APIRouter, Depends, status

from app.ai.caller import CALLER_ERRORS
from app.ai.dependencies import ItemToSummarise, SummaryServiceDep, within_summary_limit
from app.ai.schemas import ItemSummary
from app.core.errors import ErrorResponse, error_responses

router = APIRouter(prefix="/items", tags=["items"])

SUMMARY_ERRORS: dict[int | str, dict[str, Any]] = {
    **error_responses(*CALLER_ERRORS, status.HTTP_429_TOO_MANY_REQUESTS),
    status.HTTP_502_BAD_GATEWAY: {
        "model": ErrorResponse,
        "description": "The AI provider failed, or its reply was not a valid summary.",
    },
    status.HTTP_503_SERVICE_UNAVAILABLE: {
        "model": ErrorResponse,
        "description": "No AI provider is configured (development only).",
    },
    status.HTTP_504_GATEWAY_TIMEOUT: {
        "model": ErrorResponse,
        "description": "The AI provider did not answer in time.",
    },
}


@router.post(
    "/{item_id}/summary",  # noqa: FAST003 - read by ItemToSummarise's own dependency
    responses=SUMMARY_ERRORS,
    # Counted before the item is read or the model asked: a flood never reaches the provider.
    dependencies=[Depends(within_summary_limit)],
)
async def summarise_item(item: ItemToSummarise, summaries: SummaryServiceDep) -> ItemSummary:
    """A summary of the item and a few keywords, written by the AI model: each call is a paid
    request to the provider, limited per caller."""
    return await summaries.summarise(item)
