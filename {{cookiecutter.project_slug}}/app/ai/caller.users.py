"""Who asks for a summary: a signed-in user, counted per account, who may summarise the items
they may read (their own; an admin's, everyone's)."""

import uuid

from app.auth.dependencies import CurrentUser
from app.core.errors import OWNED_RESOURCE_ERRORS
from app.items.dependencies import ItemReader
from app.items.models import Item

CALLER_ERRORS = OWNED_RESOURCE_ERRORS


async def caller_key(user: CurrentUser) -> str:
    return f"user:{user.id}"


async def readable_item(item_id: uuid.UUID, user: CurrentUser, items: ItemReader) -> Item:
    """The item, if the caller may read it: another user's item is a 404, as on `GET`."""
    return await items.get(user, item_id)
