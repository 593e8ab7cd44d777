"""FastAPI wiring for projects: the service, on the session the route asks for by name, and
through the response cache (`app/projects/caching.py`)."""

from typing import Annotated

from fastapi import Depends, Request

from app.caching.dependencies import InvalidationsDep, state_cache
from app.core.dependencies import ReadSession, WriteSession
from app.projects.caching import CachedProjectReader, InvalidatingProjectWriter
from app.projects.service import ProjectService


async def project_reader(request: Request, session: ReadSession) -> ProjectService:
    return CachedProjectReader(session, state_cache(request))


async def project_writer(invalidations: InvalidationsDep, session: WriteSession) -> ProjectService:
    # `invalidations` first: it is released after the session, so after the commit.
    return InvalidatingProjectWriter(session, invalidations)


ProjectReader = Annotated[ProjectService, Depends(project_reader)]
ProjectWriter = Annotated[ProjectService, Depends(project_writer)]
