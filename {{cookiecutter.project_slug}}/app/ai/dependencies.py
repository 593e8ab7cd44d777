"""FastAPI wiring for the AI parts: the model and the summaries' rate limit the running app
holds (`app/ai/extension.py`), and the item to summarise."""

import logging
from typing import Annotated

from fastapi import Depends, Request
from limits.errors import StorageError

from app.ai.caller import caller_key, readable_item
from app.ai.client import TextModel
from app.ai.errors import SummariesUnavailable, TooManySummaries
from app.ai.rate_limit import RequestLimit
from app.ai.service import SummaryService
from app.core.dependencies import ReadSession
from app.items.models import Item

logger = logging.getLogger(__name__)


async def text_model(request: Request) -> TextModel:
    model: TextModel = request.app.state.text_model
    return model


async def summary_limit(request: Request) -> RequestLimit:
    limit: RequestLimit = request.app.state.summary_limit
    return limit


async def summary_service(model: Annotated[TextModel, Depends(text_model)]) -> SummaryService:
    return SummaryService(model)


SummaryServiceDep = Annotated[SummaryService, Depends(summary_service)]


async def within_summary_limit(
    caller: Annotated[str, Depends(caller_key)],
    limit: Annotated[RequestLimit, Depends(summary_limit)],
) -> None:
    """Count the caller's request; over AI_SUMMARIES_PER_CALLER it is a 429 with Retry-After.

    Counts that cannot be kept (their storage is down) refuse the request, as login throttling
    does: a summary costs money at the provider, and nobody would be counting.
    """
    try:
        retry_after = await limit.acquire(caller)
    except StorageError as exc:
        logger.error(
            "Summaries refused: the rate limit's counts are unavailable (%s)",
            type(exc.storage_error).__name__,
        )
        raise SummariesUnavailable from exc
    if retry_after is not None:
        raise TooManySummaries(retry_after=retry_after)


async def item_to_summarise(
    item: Annotated[Item, Depends(readable_item)], session: ReadSession
) -> Item:
    # The model takes seconds to answer: the connection goes back to the pool first.
    await session.close()
    return item


ItemToSummarise = Annotated[Item, Depends(item_to_summarise)]
