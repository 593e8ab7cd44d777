"""HTTP endpoints for the current user and for user administration."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import AdminUser, CurrentUser
from app.core.dependencies import PageParamsDep
from app.core.errors import error_responses
from app.core.pagination import Page, Paginated
from app.users.dependencies import UserReader, UserWriter
from app.users.models import Role, User
from app.users.schemas import UserAdminUpdate, UserRead, UserSelfUpdate

router = APIRouter(prefix="/users", tags=["users"])

AUTHENTICATED = (status.HTTP_401_UNAUTHORIZED,)
ADMIN_ONLY = (status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN)


@router.get("/me", response_model=UserRead, responses=error_responses(*AUTHENTICATED))
async def read_me(user: CurrentUser) -> User:
    return user


@router.patch(
    "/me",
    response_model=UserRead,
    responses=error_responses(*AUTHENTICATED, status.HTTP_403_FORBIDDEN, status.HTTP_409_CONFLICT),
)
async def update_me(data: UserSelfUpdate, user: CurrentUser, users: UserWriter) -> User:
    """Change your e-mail, name or password (a new password needs `current_password`)."""
    return await users.update_self(user, data)


@router.get("", response_model=Page[UserRead], responses=error_responses(*ADMIN_ONLY))
async def list_users(
    _: AdminUser,
    users: UserReader,
    page: PageParamsDep,
    role: Annotated[Role | None, Query()] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Paginated[User]:
    return await users.list_page(page, role=role, is_active=is_active)


@router.get(
    "/{user_id}",
    response_model=UserRead,
    responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND),
)
async def read_user(user_id: uuid.UUID, _: AdminUser, users: UserReader) -> User:
    return await users.get(user_id)


@router.patch(
    "/{user_id}",
    response_model=UserRead,
    responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND, status.HTTP_409_CONFLICT),
)
async def update_user(
    user_id: uuid.UUID, data: UserAdminUpdate, admin: AdminUser, users: UserWriter
) -> User:
    return await users.update(admin, user_id, data)


@router.post(
    "/{user_id}/deactivate",
    response_model=UserRead,
    responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND, status.HTTP_409_CONFLICT),
)
async def deactivate_user(user_id: uuid.UUID, admin: AdminUser, users: UserWriter) -> User:
    """Block the account from logging in and end its sessions; nothing is deleted."""
    return await users.deactivate(admin, user_id)
