"""Queries for refresh tokens."""

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update

from app.auth.models import RefreshToken
from app.db.base import utcnow
from app.db.repository import Repository


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken

    async def get_for_update(self, token_id: uuid.UUID) -> RefreshToken | None:
        """Lock the row, so that two concurrent uses of one token are decided one at a time."""
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
        )

    async def family_exists(self, family_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(RefreshToken.id).where(RefreshToken.family_id == family_id).limit(1)
        )
        return found is not None

    async def delete_spent(self, family_id: uuid.UUID) -> None:
        """Drop the family's used tokens: only the newest of a chain is ever needed again."""
        await self.session.execute(
            delete(RefreshToken).where(
                RefreshToken.family_id == family_id, RefreshToken.used_at.is_not(None)
            )
        )

    async def purge(self, now: datetime) -> int:
        """Delete expired and revoked tokens; returns how many went."""
        result = await self.session.execute(
            delete(RefreshToken).where(
                (RefreshToken.expires_at <= now) | RefreshToken.revoked_at.is_not(None)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def revoke_family(self, family_id: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
