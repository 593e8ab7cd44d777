"""Queries for projects."""

from sqlalchemy import select

from app.core.pagination import PageParams, Paginated
from app.db.repository import Repository
from app.projects.models import Project


class ProjectRepository(Repository[Project]):
    model = Project

    async def list_page(self, params: PageParams) -> Paginated[Project]:
        statement = select(Project).order_by(Project.name, Project.id)
        return await self.paginate(statement, params)
