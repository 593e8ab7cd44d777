"""Business rules for projects: owners see and change their own, admins everything."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import PageParams, Paginated
from app.db.repository import DuplicateError
from app.projects.errors import ProjectNameTaken, ProjectNotFound
from app.projects.models import Project
from app.projects.repository import ProjectRepository
from app.projects.schemas import ProjectCreate, ProjectUpdate
from app.users.models import User


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.projects = ProjectRepository(session)

    async def create(self, owner: User, data: ProjectCreate) -> Project:
        try:
            return await self.projects.add(Project(owner_id=owner.id, **data.model_dump()))
        except DuplicateError as exc:
            raise ProjectNameTaken from exc

    async def get(self, user: User, project_id: uuid.UUID) -> Project:
        project = await self.projects.get(project_id)
        # Another user's project is reported as missing, so its existence does not leak.
        if project is None or not user.can_access(project.owner_id):
            raise ProjectNotFound
        return project

    async def get_for_owner(self, owner_id: uuid.UUID, project_id: uuid.UUID) -> Project:
        """The project, if it belongs to this owner: what other domains call before linking."""
        project = await self.projects.get(project_id)
        if project is None or project.owner_id != owner_id:
            raise ProjectNotFound
        return project

    async def list_page(
        self, user: User, params: PageParams, *, owner_id: uuid.UUID | None
    ) -> Paginated[Project]:
        return await self.projects.list_page(params, owner_id=user.listing_scope(owner_id))

    async def update(self, user: User, project_id: uuid.UUID, data: ProjectUpdate) -> Project:
        project = await self.get(user, project_id)
        try:
            return await self.projects.update(project, data.model_dump(exclude_unset=True))
        except DuplicateError as exc:
            raise ProjectNameTaken from exc

    async def delete(self, user: User, project_id: uuid.UUID) -> None:
        """Its items stay, without a project (the foreign key says ON DELETE SET NULL)."""
        await self.projects.delete(await self.get(user, project_id))
