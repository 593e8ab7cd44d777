"""Queries for projects."""

import uuid

from sqlalchemy import select

from app.core.pagination import PageParams, Paginated
from app.db.repository import Repository
from app.projects.models import Project


class ProjectRepository(Repository[Project]):
    model = Project

    async def list_page(
        self, params: PageParams, *, owner_id: uuid.UUID | None
    ) -> Paginated[Project]:
        statement = select(Project).order_by(Project.name, Project.id)
        if owner_id is not None:
            statement = statement.where(Project.owner_id == owner_id)
        return await self.paginate(statement, params)
