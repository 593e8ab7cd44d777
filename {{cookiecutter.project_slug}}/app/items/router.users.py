"""HTTP endpoints for items."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import CurrentUser
from app.core.dependencies import PageParamsDep
from app.core.errors import OWNED_RESOURCE_ERRORS, error_responses
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
    responses=error_responses(*OWNED_RESOURCE_ERRORS),
)
async def create_item(data: ItemCreate, user: CurrentUser, items: ItemWriter) -> Item:
    return await items.create(user, data)


@router.get(
    "", response_model=Page[ItemRead], responses=error_responses(status.HTTP_401_UNAUTHORIZED)
)
async def list_items(
    user: CurrentUser,
    items: ItemReader,
    page: PageParamsDep,
    q: Annotated[
        StorableText | None, Query(min_length=1, max_length=200, description="Search text.")
    ] = None,
    tag: Annotated[StorableText | None, Query(min_length=1, max_length=50)] = None,
    status: Annotated[ItemStatus | None, Query()] = None,
    project_id: Annotated[uuid.UUID | None, Query()] = None,
    owner_id: Annotated[uuid.UUID | None, Query(description="Admins only: one owner.")] = None,
) -> Paginated[Item]:
    """Your items, newest first. Admins see everyone's."""
    return await items.list_page(
        user, page, owner_id=owner_id, project_id=project_id, status=status, tag=tag, search=q
    )


@router.get(
    "/{item_id}", response_model=ItemRead, responses=error_responses(*OWNED_RESOURCE_ERRORS)
)
async def read_item(item_id: uuid.UUID, user: CurrentUser, items: ItemReader) -> Item:
    return await items.get(user, item_id)


@router.patch(
    "/{item_id}", response_model=ItemRead, responses=error_responses(*OWNED_RESOURCE_ERRORS)
)
async def update_item(
    item_id: uuid.UUID, data: ItemUpdate, user: CurrentUser, items: ItemWriter
) -> Item:
    return await items.update(user, item_id, data)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*OWNED_RESOURCE_ERRORS),
)
async def delete_item(item_id: uuid.UUID, user: CurrentUser, items: ItemWriter) -> None:
    await items.delete(user, item_id)
