"""FastAPI wiring for items: the service, on the session the route asks for by name."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import on_read_session, on_write_session
from app.items.service import ItemService

ItemReader = Annotated[ItemService, Depends(on_read_session(ItemService))]
ItemWriter = Annotated[ItemService, Depends(on_write_session(ItemService))]
