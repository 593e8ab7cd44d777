"""Projects through the response cache: reads of one project are answered from Redis, and an
update or a deletion invalidates them once its transaction commits."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.caching.cache import Invalidations, ResponseCache
from app.projects.models import Project
from app.projects.schemas import ProjectRead, ProjectUpdate
from app.projects.service import ProjectService


def project_key(project_id: uuid.UUID) -> tuple[str, ...]:
    return ("projects", str(project_id))


class CachedProjectReader(ProjectService):
    """On a read session only: its `get` may return a project built from the cache."""

    def __init__(self, session: AsyncSession, cache: ResponseCache) -> None:
        super().__init__(session)
        self.cache = cache

    async def get(self, project_id: uuid.UUID) -> Project:
        lookup = await self.cache.lookup(*project_key(project_id))
        if lookup.body is not None:
            # Attached to no session: read, never written.
            return Project(**ProjectRead.model_validate_json(lookup.body).model_dump())
        project = await super().get(project_id)
        await self.cache.store(lookup, ProjectRead.model_validate(project).model_dump_json())
        return project


class InvalidatingProjectWriter(ProjectService):
    """Marks what its writes change, for `invalidations` to drop after the commit."""

    def __init__(self, session: AsyncSession, invalidations: Invalidations) -> None:
        super().__init__(session)
        self.invalidations = invalidations

    async def update(self, project_id: uuid.UUID, data: ProjectUpdate) -> Project:
        project = await super().update(project_id, data)
        self.invalidations.add(*project_key(project.id))
        return project

    async def delete(self, project_id: uuid.UUID) -> None:
        self.invalidations.add(*project_key(project_id))
        await super().delete(project_id)
