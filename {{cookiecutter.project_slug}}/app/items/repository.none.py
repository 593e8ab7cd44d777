"""Queries for items."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from app.core.pagination import PageParams, Paginated
from app.db.repository import Repository
from app.items.models import Item, ItemStatus
from app.projects.models import Project

# Every read loads the item's project in the same query (many-to-one, so a join adds no rows),
# and only the columns an item shows of it.
WITH_PROJECT: Sequence[ORMOption] = (joinedload(Item.project).load_only(Project.id, Project.name),)


class ItemRepository(Repository[Item]):
    model = Item

    async def get_with_project(self, item_id: uuid.UUID) -> Item | None:
        return await self.get(item_id, options=WITH_PROJECT)

    async def list_page(
        self,
        params: PageParams,
        *,
        project_id: uuid.UUID | None,
        status: ItemStatus | None,
        tag: str | None,
        search: str | None,
    ) -> Paginated[Item]:
        statement = select(Item).order_by(Item.created_at.desc(), Item.id.desc())
        if project_id is not None:
            statement = statement.where(Item.project_id == project_id)
        if status is not None:
            statement = statement.where(Item.status == status)
        if tag is not None:
            statement = statement.where(Item.has_tag(tag))
        if search is not None:
            statement = statement.where(Item.matches(search))
        return await self.paginate(statement, params, options=WITH_PROJECT)
