"""FastAPI wiring for users: the service, bound to the session the route asks for."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import ReadSession, WriteSession
from app.users.service import UserService


def user_reader(session: ReadSession) -> UserService:
    return UserService(session)


def user_writer(session: WriteSession) -> UserService:
    return UserService(session)


# The same service; the name says which session it runs in.
UserReader = Annotated[UserService, Depends(user_reader)]
UserWriter = Annotated[UserService, Depends(user_writer)]
