"""Queries for items."""

import uuid
from typing import Annotated

from fastapi import Depends
{% if cookiecutter.database == "postgresql" -%}
from sqlalchemy import ColumnElement, func, select
{%- else -%}
from sqlalchemy import ColumnElement, exists, func, or_, select
{%- endif %}
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import SessionDep
from app.items.models import Item


class ItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, item_id: uuid.UUID) -> Item | None:
        return await self.session.get(Item, item_id)

    async def add(self, item: Item) -> Item:
        self.session.add(item)
        await self.session.flush()
        await self.session.refresh(item)
        return item

    async def save(self, item: Item) -> None:
        await self.session.flush()
        await self.session.refresh(item)

    async def delete(self, item: Item) -> None:
        await self.session.delete(item)
        await self.session.flush()

    async def list(
        self,
        *,
        limit: int,
        offset: int,
        owner_id: uuid.UUID | None,
        tag: str | None,
        search: str | None,
    ) -> tuple[list[Item], int]:
        filters: list[ColumnElement[bool]] = []
        if owner_id is not None:
            filters.append(Item.owner_id == owner_id)
{%- if cookiecutter.database == "postgresql" %}
        if tag is not None:
            filters.append(Item.tags.contains([tag]))
        if search is not None:
            filters.append(
                Item.search_vector.bool_op("@@")(func.websearch_to_tsquery("english", search))
            )
{%- else %}
        if tag is not None:
            tag_values = func.json_each(Item.tags).table_valued("value")
            filters.append(exists().select_from(tag_values).where(tag_values.c.value == tag))
        if search is not None:
            # autoescape: a `%` or `_` in the search is a character to find, not a wildcard.
            filters.append(
                or_(
                    Item.title.icontains(search, autoescape=True),
                    Item.description.icontains(search, autoescape=True),
                )
            )
{%- endif %}
        total = await self.session.scalar(select(func.count(Item.id)).where(*filters))
        items = await self.session.scalars(
            select(Item)
            .where(*filters)
            .order_by(Item.created_at.desc(), Item.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(items), total or 0


async def get_item_repository(session: SessionDep) -> ItemRepository:
    return ItemRepository(session)


ItemRepositoryDep = Annotated[ItemRepository, Depends(get_item_repository)]
