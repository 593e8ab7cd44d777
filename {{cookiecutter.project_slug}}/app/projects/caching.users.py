"""Projects through the response cache: an owner's reads of one project are answered from
Redis, and an update or a deletion invalidates them once its transaction commits.

Keys carry the owner's id, and an entry is stored only for the project's owner, so it is only
ever found by them: nobody is served another user's project. (An admin looking at someone
else's project reads the database each time.)
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.caching.cache import Invalidations, ResponseCache
from app.projects.models import Project
from app.projects.schemas import ProjectRead, ProjectUpdate
from app.projects.service import ProjectService
from app.users.models import User


def project_key(owner_id: uuid.UUID, project_id: uuid.UUID) -> tuple[str, ...]:
    return ("projects", str(owner_id), str(project_id))


class CachedProjectReader(ProjectService):
    """On a read session only: its `get` may return a project built from the cache."""

    def __init__(self, session: AsyncSession, cache: ResponseCache) -> None:
        super().__init__(session)
        self.cache = cache

    async def get(self, user: User, project_id: uuid.UUID) -> Project:
        lookup = await self.cache.lookup(*project_key(user.id, project_id))
        if lookup.body is not None:
            # Attached to no session: read, never written.
            return Project(**ProjectRead.model_validate_json(lookup.body).model_dump())
        project = await super().get(user, project_id)
        if project.owner_id == user.id:
            await self.cache.store(lookup, ProjectRead.model_validate(project).model_dump_json())
        return project


class InvalidatingProjectWriter(ProjectService):
    """Marks what its writes change, for `invalidations` to drop after the commit."""

    def __init__(self, session: AsyncSession, invalidations: Invalidations) -> None:
        super().__init__(session)
        self.invalidations = invalidations

    async def update(self, user: User, project_id: uuid.UUID, data: ProjectUpdate) -> Project:
        project = await super().update(user, project_id, data)
        self.invalidations.add(*project_key(project.owner_id, project.id))
        return project

    async def delete(self, user: User, project_id: uuid.UUID) -> None:
        project = await self.get(user, project_id)
        self.invalidations.add(*project_key(project.owner_id, project.id))
        await super().delete(user, project_id)
