"""HTTP endpoints for the current user and for user administration."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import AdminUser, CurrentUser
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.users.models import Role
from app.users.schemas import UserAdminUpdate, UserRead, UserSelfUpdate
from app.users.service import UserServiceDep

router = APIRouter(prefix="/users", tags=["users"])

AUTHENTICATED = (status.HTTP_401_UNAUTHORIZED,)
ADMIN_ONLY = (status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN)


@router.get("/me", responses=error_responses(*AUTHENTICATED))
async def read_me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@router.patch(
    "/me",
    responses=error_responses(*AUTHENTICATED, status.HTTP_403_FORBIDDEN, status.HTTP_409_CONFLICT),
)
async def update_me(data: UserSelfUpdate, user: CurrentUser, users: UserServiceDep) -> UserRead:
    """Change your e-mail, name or password (a new password needs `current_password`)."""
    return UserRead.model_validate(await users.update_self(user, data))


@router.get("", responses=error_responses(*ADMIN_ONLY))
async def list_users(
    _: AdminUser,
    users: UserServiceDep,
    page: PageParamsDep,
    role: Annotated[Role | None, Query()] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[UserRead]:
    return await users.list(page, role=role, is_active=is_active)


@router.get("/{user_id}", responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND))
async def read_user(user_id: uuid.UUID, _: AdminUser, users: UserServiceDep) -> UserRead:
    return UserRead.model_validate(await users.get(user_id))


@router.patch(
    "/{user_id}",
    responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND, status.HTTP_409_CONFLICT),
)
async def update_user(
    user_id: uuid.UUID, data: UserAdminUpdate, admin: AdminUser, users: UserServiceDep
) -> UserRead:
    return UserRead.model_validate(await users.update(admin, user_id, data))


@router.post(
    "/{user_id}/deactivate",
    responses=error_responses(*ADMIN_ONLY, status.HTTP_404_NOT_FOUND, status.HTTP_409_CONFLICT),
)
async def deactivate_user(user_id: uuid.UUID, admin: AdminUser, users: UserServiceDep) -> UserRead:
    """Block the account from logging in and revoke its refresh tokens; nothing is deleted."""
    return UserRead.model_validate(await users.deactivate(admin, user_id))
