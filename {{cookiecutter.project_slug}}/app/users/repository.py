"""Queries for users."""

import uuid

from sqlalchemy import select

from app.core.pagination import PageParams, Paginated
from app.db.repository import Repository
from app.users.models import Role, User


class UserRepository(Repository[User]):
    model = User

    async def get_for_update(self, user_id: uuid.UUID) -> User | None:
        """Lock the row: changes that depend on its current values are made one at a time."""
        return await self.session.scalar(select(User).where(User.id == user_id).with_for_update())

    async def lock_active_admins(self) -> list[User]:
        """The active admins, locked until the transaction ends (on SQLite the write lock
        every write transaction takes serialises the same way)."""
        statement = (
            select(User)
            .where(User.role == Role.ADMIN, User.is_active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
        return list(await self.session.scalars(statement))

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def list_page(
        self, params: PageParams, *, role: Role | None, is_active: bool | None
    ) -> Paginated[User]:
        statement = select(User).order_by(User.created_at, User.id)
        if role is not None:
            statement = statement.where(User.role == role)
        if is_active is not None:
            statement = statement.where(User.is_active == is_active)
        return await self.paginate(statement, params)
