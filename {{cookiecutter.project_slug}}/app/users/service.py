"""Business rules for user accounts."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.repository import RefreshTokenRepository, RefreshTokenRepositoryDep
from app.core import security
from app.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from app.core.pagination import Page, PageParams
from app.users.models import Role, User
from app.users.repository import UserRepository, UserRepositoryDep
from app.users.schemas import UserAdminUpdate, UserCreate, UserRead, UserSelfUpdate


def normalise_email(email: str) -> str:
    return email.strip().lower()


class UserService:
    def __init__(self, users: UserRepository, tokens: RefreshTokenRepository) -> None:
        self.users = users
        self.tokens = tokens

    async def create(self, data: UserCreate, *, role: Role = Role.USER) -> User:
        # Hash first: no transaction is open during the slow part, and a taken e-mail
        # costs the same time as a free one.
        hashed_password = await security.hash_password(data.password.get_secret_value())
        email = normalise_email(data.email)
        if await self.users.get_by_email(email) is not None:
            raise ConflictError("A user with this e-mail already exists.")
        user = User(
            email=email, full_name=data.full_name, hashed_password=hashed_password, role=role
        )
        return await self.users.add(user)

    async def get(self, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id)
        if user is None:
            raise NotFoundError("User not found.")
        return user

    async def list(
        self, page: PageParams, *, role: Role | None, is_active: bool | None
    ) -> Page[UserRead]:
        users, total = await self.users.list(
            limit=page.limit, offset=page.offset, role=role, is_active=is_active
        )
        return Page(
            items=[UserRead.model_validate(user) for user in users],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def update_self(self, user: User, data: UserSelfUpdate) -> User:
        changes = data.model_dump(exclude_unset=True, exclude={"password", "current_password"})
        if data.password is not None:
            current = data.current_password
            if current is None or not await security.verify_password(
                current.get_secret_value(), user.hashed_password
            ):
                raise PermissionDeniedError("The current password is incorrect.")
            user.hashed_password = await security.hash_password(data.password.get_secret_value())
            # A new password ends every session opened with the old one.
            await self.tokens.revoke_all_for_user(user.id)
        return await self._apply(user, changes)

    async def update(self, acting_admin: User, user_id: uuid.UUID, data: UserAdminUpdate) -> User:
        user = await self.get(user_id)
        changes = data.model_dump(exclude_unset=True)
        if user.id == acting_admin.id and (
            changes.get("role", Role.ADMIN) is not Role.ADMIN or changes.get("is_active") is False
        ):
            raise ConflictError("Admins cannot demote or deactivate themselves.")
        if changes.get("is_active") is False:
            await self.tokens.revoke_all_for_user(user.id)
        return await self._apply(user, changes)

    async def deactivate(self, acting_admin: User, user_id: uuid.UUID) -> User:
        return await self.update(acting_admin, user_id, UserAdminUpdate(is_active=False))

    async def _apply(self, user: User, changes: dict[str, object]) -> User:
        for field in ("full_name", "role", "is_active"):
            if changes.get(field) is not None:
                setattr(user, field, changes[field])
        email = changes.get("email")
        if isinstance(email, str):
            user.email = normalise_email(email)
        await self.users.save(user)
        return user


async def get_user_service(
    users: UserRepositoryDep, tokens: RefreshTokenRepositoryDep
) -> UserService:
    return UserService(users, tokens)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
