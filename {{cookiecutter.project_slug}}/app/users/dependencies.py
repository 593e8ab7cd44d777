"""FastAPI wiring for users: the service, on the session the route asks for by name."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import on_read_session, on_write_session
from app.users.service import UserService

UserReader = Annotated[UserService, Depends(on_read_session(UserService))]
UserWriter = Annotated[UserService, Depends(on_write_session(UserService))]
