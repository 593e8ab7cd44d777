"""Who asks for a summary: any caller (the gateway in front decides who may), counted per
client address (behind a proxy, uvicorn's --proxy-headers makes it the client's)."""

import uuid

from fastapi import Request, status

from app.items.dependencies import ItemReader
from app.items.models import Item

CALLER_ERRORS = (status.HTTP_404_NOT_FOUND,)


async def caller_key(request: Request) -> str:
    return f"address:{request.client.host if request.client else 'unknown'}"


async def readable_item(item_id: uuid.UUID, items: ItemReader) -> Item:
    return await items.get(item_id)
