"""Business rules for items: an item's project must exist."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import PageParams, Paginated
from app.db.repository import MissingReferenceError
from app.items.errors import ItemNotFound
from app.items.models import Item, ItemStatus
from app.items.repository import ItemRepository
from app.items.schemas import ItemCreate, ItemUpdate
from app.projects.errors import ProjectNotFound
from app.projects.models import Project
from app.projects.service import ProjectService


class ItemService:
    def __init__(self, session: AsyncSession) -> None:
        self.items = ItemRepository(session)
        # Another domain is reached through its service, never its repository: its rules
        # (here, which projects exist) stay in one place.
        self.projects = ProjectService(session)

    async def create(self, data: ItemCreate) -> Item:
        values = data.model_dump(exclude={"project_id"})
        project = await self._project(data.project_id)
        try:
            return await self.items.add(Item(project=project, **values))
        except MissingReferenceError:
            # The project was deleted after the check above, by a concurrent request.
            raise ProjectNotFound from None

    async def get(self, item_id: uuid.UUID) -> Item:
        item = await self.items.get_with_project(item_id)
        if item is None:
            raise ItemNotFound
        return item

    async def list_page(
        self,
        params: PageParams,
        *,
        project_id: uuid.UUID | None = None,
        status: ItemStatus | None = None,
        tag: str | None = None,
        search: str | None = None,
    ) -> Paginated[Item]:
        return await self.items.list_page(
            params, project_id=project_id, status=status, tag=tag, search=search
        )

    async def update(self, item_id: uuid.UUID, data: ItemUpdate) -> Item:
        item = await self.get(item_id)
        # Only the fields the client sent; a null project_id is sent, and clears the project.
        changes: dict[str, object] = data.model_dump(exclude_unset=True, exclude={"project_id"})
        if "project_id" in data.model_fields_set:
            changes["project"] = await self._project(data.project_id)
        try:
            return await self.items.update(item, changes)
        except MissingReferenceError:
            raise ProjectNotFound from None

    async def delete(self, item_id: uuid.UUID) -> None:
        await self.items.delete(await self.get(item_id))

    async def _project(self, project_id: uuid.UUID | None) -> Project | None:
        if project_id is None:
            return None
        return await self.projects.get(project_id)
