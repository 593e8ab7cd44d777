"""Business rules for projects: a name names one project."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import PageParams, Paginated
from app.db.repository import DuplicateError
from app.projects.errors import ProjectNameTaken, ProjectNotFound
from app.projects.models import Project
from app.projects.repository import ProjectRepository
from app.projects.schemas import ProjectCreate, ProjectUpdate


class ProjectService:
    def __init__(self, session: AsyncSession) -> None:
        self.projects = ProjectRepository(session)

    async def create(self, data: ProjectCreate) -> Project:
        try:
            return await self.projects.add(Project(**data.model_dump()))
        except DuplicateError as exc:
            raise ProjectNameTaken from exc

    async def get(self, project_id: uuid.UUID) -> Project:
        """The project, or ProjectNotFound: what other domains call before linking to one."""
        project = await self.projects.get(project_id)
        if project is None:
            raise ProjectNotFound
        return project

    async def list_page(self, params: PageParams) -> Paginated[Project]:
        return await self.projects.list_page(params)

    async def update(self, project_id: uuid.UUID, data: ProjectUpdate) -> Project:
        project = await self.get(project_id)
        try:
            return await self.projects.update(project, data.model_dump(exclude_unset=True))
        except DuplicateError as exc:
            raise ProjectNameTaken from exc

    async def delete(self, project_id: uuid.UUID) -> None:
        """Its items stay, without a project (the foreign key says ON DELETE SET NULL)."""
        await self.projects.delete(await self.get(project_id))
