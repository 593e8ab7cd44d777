"""HTTP endpoints for items."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import CurrentUser
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.validation import NO_NUL_PATTERN
from app.items.schemas import ItemCreate, ItemRead, ItemUpdate
from app.items.service import ItemServiceDep

router = APIRouter(prefix="/items", tags=["items"])

NOT_FOUND = (status.HTTP_401_UNAUTHORIZED, status.HTTP_404_NOT_FOUND)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(status.HTTP_401_UNAUTHORIZED),
)
async def create_item(data: ItemCreate, user: CurrentUser, items: ItemServiceDep) -> ItemRead:
    return ItemRead.model_validate(await items.create(user, data))


@router.get("", responses=error_responses(status.HTTP_401_UNAUTHORIZED))
async def list_items(
    user: CurrentUser,
    items: ItemServiceDep,
    page: PageParamsDep,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, pattern=NO_NUL_PATTERN, description="Search text."),
    ] = None,
    tag: Annotated[str | None, Query(min_length=1, max_length=50, pattern=NO_NUL_PATTERN)] = None,
    owner_id: Annotated[uuid.UUID | None, Query(description="Admins only: one owner.")] = None,
) -> Page[ItemRead]:
    """Your items, newest first. Admins see everyone's."""
    return await items.list(user, page, owner_id=owner_id, tag=tag, search=q)


@router.get("/{item_id}", responses=error_responses(*NOT_FOUND))
async def read_item(item_id: uuid.UUID, user: CurrentUser, items: ItemServiceDep) -> ItemRead:
    return ItemRead.model_validate(await items.get(user, item_id))


@router.patch("/{item_id}", responses=error_responses(*NOT_FOUND))
async def update_item(
    item_id: uuid.UUID, data: ItemUpdate, user: CurrentUser, items: ItemServiceDep
) -> ItemRead:
    return ItemRead.model_validate(await items.update(user, item_id, data))


@router.delete(
    "/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(*NOT_FOUND)
)
async def delete_item(item_id: uuid.UUID, user: CurrentUser, items: ItemServiceDep) -> None:
    await items.delete(user, item_id)
