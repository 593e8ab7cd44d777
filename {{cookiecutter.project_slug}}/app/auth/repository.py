"""Queries for refresh tokens."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import RefreshToken
from app.core.database import SessionDep
from app.db.base import utcnow


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> RefreshToken:
        self.session.add(token)
        await self.session.flush()
        return token

    async def get_for_update(self, token_id: uuid.UUID) -> RefreshToken | None:
        """Lock the row, so that two concurrent uses of one token are decided one at a time."""
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
        )

    async def mark_used(self, token: RefreshToken, at: datetime) -> None:
        token.used_at = at
        await self.session.flush()

    async def revoke_family(self, family_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    async def revoke_all_for_user(self, user_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    async def commit(self) -> None:
        """Make a revocation durable even though the request goes on to fail with a 401."""
        await self.session.commit()


async def get_refresh_token_repository(session: SessionDep) -> RefreshTokenRepository:
    return RefreshTokenRepository(session)


RefreshTokenRepositoryDep = Annotated[RefreshTokenRepository, Depends(get_refresh_token_repository)]
