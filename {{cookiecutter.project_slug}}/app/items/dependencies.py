"""FastAPI wiring for items: the service, bound to the session the route asks for."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import ReadSession, WriteSession
from app.items.service import ItemService


def item_reader(session: ReadSession) -> ItemService:
    return ItemService(session)


def item_writer(session: WriteSession) -> ItemService:
    return ItemService(session)


ItemReader = Annotated[ItemService, Depends(item_reader)]
ItemWriter = Annotated[ItemService, Depends(item_writer)]
