"""FastAPI wiring for the response cache."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from app.caching.cache import Invalidations, ResponseCache


def state_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.cache
    return cache


async def invalidations_after_commit(request: Request) -> AsyncIterator[Invalidations]:
    """Ask for it before the write session: dependencies are released in reverse order, so this
    one resumes after the session has committed, and not at all when the request failed."""
    invalidations = Invalidations(state_cache(request))
    yield invalidations
    await invalidations.apply()


# scope="function": applied before the response is sent, so a client's next read sees its write.
InvalidationsDep = Annotated[Invalidations, Depends(invalidations_after_commit, scope="function")]
