"""Queries for users."""

import uuid
from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import SessionDep
from app.core.errors import ConflictError
from app.users.models import Role, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.save(user)
        return user

    async def save(self, user: User) -> None:
        """Flush pending changes; a duplicate e-mail (even from a concurrent request) is a 409."""
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as exc:
            raise ConflictError("A user with this e-mail already exists.") from exc
        await self.session.refresh(user)

    async def list(
        self, *, limit: int, offset: int, role: Role | None, is_active: bool | None
    ) -> tuple[list[User], int]:
        filters: list[ColumnElement[bool]] = []
        if role is not None:
            filters.append(User.role == role)
        if is_active is not None:
            filters.append(User.is_active == is_active)
        total = await self.session.scalar(select(func.count(User.id)).where(*filters))
        users = await self.session.scalars(
            select(User)
            .where(*filters)
            .order_by(User.created_at, User.id)
            .limit(limit)
            .offset(offset)
        )
        return list(users), total or 0


async def get_user_repository(session: SessionDep) -> UserRepository:
    return UserRepository(session)


UserRepositoryDep = Annotated[UserRepository, Depends(get_user_repository)]
