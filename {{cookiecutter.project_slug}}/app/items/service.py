"""Business rules for items: owners see and change their own, admins everything."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.core.errors import NotFoundError
from app.core.pagination import Page, PageParams
from app.items.models import Item
from app.items.repository import ItemRepository, ItemRepositoryDep
from app.items.schemas import ItemCreate, ItemRead, ItemUpdate
from app.users.models import User


class ItemService:
    def __init__(self, items: ItemRepository) -> None:
        self.items = items

    async def create(self, owner: User, data: ItemCreate) -> Item:
        return await self.items.add(Item(owner_id=owner.id, **data.model_dump()))

    async def get(self, user: User, item_id: uuid.UUID) -> Item:
        item = await self.items.get(item_id)
        # Another user's item is reported as missing, so its existence does not leak.
        if item is None or (item.owner_id != user.id and not user.is_admin):
            raise NotFoundError("Item not found.")
        return item

    async def list(
        self,
        user: User,
        page: PageParams,
        *,
        owner_id: uuid.UUID | None,
        tag: str | None,
        search: str | None,
    ) -> Page[ItemRead]:
        # Users always see only their own items; admins may narrow to one owner or see all.
        scope = owner_id if user.is_admin else user.id
        items, total = await self.items.list(
            limit=page.limit, offset=page.offset, owner_id=scope, tag=tag, search=search
        )
        return Page(
            items=[ItemRead.model_validate(item) for item in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def update(self, user: User, item_id: uuid.UUID, data: ItemUpdate) -> Item:
        item = await self.get(user, item_id)
        for field, value in data.model_dump(exclude_unset=True).items():
            if value is not None:
                setattr(item, field, value)
        await self.items.save(item)
        return item

    async def delete(self, user: User, item_id: uuid.UUID) -> None:
        await self.items.delete(await self.get(user, item_id))


async def get_item_service(items: ItemRepositoryDep) -> ItemService:
    return ItemService(items)


ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]
