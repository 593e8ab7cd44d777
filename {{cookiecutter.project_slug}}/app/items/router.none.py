"""HTTP endpoints for items."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.core.dependencies import PageParamsDep
from app.core.errors import error_responses
from app.core.pagination import Page, Paginated
from app.core.schemas import StorableText
from app.items.dependencies import ItemReader, ItemWriter
from app.items.models import Item, ItemStatus
from app.items.schemas import ItemCreate, ItemRead, ItemUpdate

router = APIRouter(prefix="/items", tags=["items"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    responses=error_responses(status.HTTP_404_NOT_FOUND),
)
async def create_item(data: ItemCreate, items: ItemWriter) -> Item:
    return await items.create(data)


@router.get("", response_model=Page[ItemRead], responses=error_responses())
async def list_items(
    items: ItemReader,
    page: PageParamsDep,
    q: Annotated[
        StorableText | None, Query(min_length=1, max_length=200, description="Search text.")
    ] = None,
    tag: Annotated[StorableText | None, Query(min_length=1, max_length=50)] = None,
    status: Annotated[ItemStatus | None, Query()] = None,
    project_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Paginated[Item]:
    """Every item, newest first."""
    return await items.list_page(page, project_id=project_id, status=status, tag=tag, search=q)


@router.get(
    "/{item_id}", response_model=ItemRead, responses=error_responses(status.HTTP_404_NOT_FOUND)
)
async def read_item(item_id: uuid.UUID, items: ItemReader) -> Item:
    return await items.get(item_id)


@router.patch(
    "/{item_id}", response_model=ItemRead, responses=error_responses(status.HTTP_404_NOT_FOUND)
)
async def update_item(item_id: uuid.UUID, data: ItemUpdate, items: ItemWriter) -> Item:
    return await items.update(item_id, data)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(status.HTTP_404_NOT_FOUND),
)
async def delete_item(item_id: uuid.UUID, items: ItemWriter) -> None:
    await items.delete(item_id)
