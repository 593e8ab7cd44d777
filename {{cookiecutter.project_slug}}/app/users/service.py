"""Business rules for user accounts."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import security
from app.core.pagination import PageParams, Paginated
from app.db.repository import DuplicateError
from app.users.errors import (
    CannotDemoteSelf,
    EmailAlreadyRegistered,
    LastActiveAdmin,
    UserNotFound,
    WrongCurrentPassword,
)
from app.users.models import Role, User
from app.users.repository import UserRepository
from app.users.schemas import UserAdminUpdate, UserCreate, UserSelfUpdate


class UserService:
    def __init__(self, session: AsyncSession) -> None:
        self.users = UserRepository(session)

    async def register(self, data: UserCreate, *, role: Role = Role.USER) -> User:
        # Hash first: the session has not touched the database yet, and a taken e-mail
        # costs the same time as a free one.
        hashed_password = await security.hash_password(data.password.get_secret_value())
        if await self.users.get_by_email(data.email) is not None:
            raise EmailAlreadyRegistered
        user = User(
            email=data.email, full_name=data.full_name, hashed_password=hashed_password, role=role
        )
        try:
            return await self.users.add(user)
        except DuplicateError as exc:  # a concurrent registration won the race
            raise EmailAlreadyRegistered from exc

    async def get(self, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id)
        if user is None:
            raise UserNotFound
        return user

    async def list_page(
        self, params: PageParams, *, role: Role | None, is_active: bool | None
    ) -> Paginated[User]:
        return await self.users.list_page(params, role=role, is_active=is_active)

    async def update_self(self, current: User, data: UserSelfUpdate) -> User:
        changes = data.model_dump(exclude_unset=True, exclude={"password", "current_password"})
        if data.password is not None:
            # Checked and hashed before the session touches the database.
            sent = data.current_password
            if sent is None or not await security.verify_password(
                sent.get_secret_value(), current.hashed_password
            ):
                raise WrongCurrentPassword
            changes["hashed_password"] = await security.hash_password(
                data.password.get_secret_value()
            )
        user = await self.get(current.id)
        if "hashed_password" in changes:
            # Every token carries the version it was issued under: this ends them all.
            changes["token_version"] = user.token_version + 1
        return await self._update(user, changes)

    async def end_sessions(self, current: User) -> None:
        """Raise the token version: every token issued before stops working at once."""
        user = await self.users.get_for_update(current.id)
        if user is not None:
            await self.users.update(user, {"token_version": user.token_version + 1})

    async def update(self, acting_admin: User, user_id: uuid.UUID, data: UserAdminUpdate) -> User:
        user = await self.get(user_id)
        changes = data.model_dump(exclude_unset=True)
        removes_admin = changes.get("role", Role.ADMIN) is not Role.ADMIN or (
            changes.get("is_active") is False
        )
        if user.id == acting_admin.id and removes_admin:
            raise CannotDemoteSelf
        if removes_admin and user.is_admin and user.is_active:
            # Locks every active admin, so two admins removing each other at once are decided
            # one after the other, and the second sees that only one is left.
            active_admins = await self.users.lock_active_admins()
            if [admin.id for admin in active_admins] == [user.id] or not active_admins:
                raise LastActiveAdmin
        if changes.get("is_active") is False:
            changes["token_version"] = user.token_version + 1
        return await self._update(user, changes)

    async def deactivate(self, acting_admin: User, user_id: uuid.UUID) -> User:
        return await self.update(acting_admin, user_id, UserAdminUpdate(is_active=False))

    async def _update(self, user: User, changes: dict[str, object]) -> User:
        try:
            return await self.users.update(user, changes)
        except DuplicateError as exc:
            raise EmailAlreadyRegistered from exc
