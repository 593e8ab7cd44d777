"""Login, refresh-token rotation with reuse detection, and logout."""

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from app.auth.models import RefreshToken
from app.auth.repository import RefreshTokenRepository, RefreshTokenRepositoryDep
from app.auth.schemas import TokenPair
from app.core import security
from app.core.config import Settings, SettingsDep
from app.core.errors import AuthenticationError
from app.db.base import utcnow
from app.users.models import User
from app.users.repository import UserRepository, UserRepositoryDep
from app.users.service import normalise_email

INVALID_LOGIN = "Incorrect e-mail or password."


class AuthService:
    def __init__(
        self, settings: Settings, users: UserRepository, tokens: RefreshTokenRepository
    ) -> None:
        self.settings = settings
        self.users = users
        self.tokens = tokens

    async def login(self, email: str, password: str) -> TokenPair:
        user = await self.users.get_by_email(normalise_email(email))
        if user is None:
            await security.burn_password_check(password)
            raise AuthenticationError(INVALID_LOGIN)
        if not await security.verify_password(password, user.hashed_password):
            raise AuthenticationError(INVALID_LOGIN)
        if not user.is_active:
            raise AuthenticationError(INVALID_LOGIN)
        return await self._issue(user, family_id=uuid.uuid4())

    async def refresh(self, refresh_token: str) -> TokenPair:
        payload = security.decode_token(self.settings, refresh_token, "refresh")
        stored = await self.tokens.get_for_update(payload.jti)
        if stored is None or stored.user_id != payload.sub:
            raise AuthenticationError
        if stored.used_at is not None or stored.revoked_at is not None:
            # A rotated-away token came back: someone holds a copy. End the whole family.
            await self.tokens.revoke_family(stored.family_id)
            await self.tokens.commit()
            raise AuthenticationError("Refresh token reuse detected; please log in again.")
        if stored.expires_at <= utcnow():
            raise AuthenticationError
        user = await self.users.get(stored.user_id)
        if user is None or not user.is_active:
            raise AuthenticationError
        await self.tokens.mark_used(stored, utcnow())
        return await self._issue(user, family_id=stored.family_id)

    async def logout(self, refresh_token: str) -> None:
        payload = security.decode_token(self.settings, refresh_token, "refresh")
        stored = await self.tokens.get_for_update(payload.jti)
        if stored is not None:
            await self.tokens.revoke_family(stored.family_id)

    async def _issue(self, user: User, *, family_id: uuid.UUID) -> TokenPair:
        access_lifetime = timedelta(minutes=self.settings.access_token_expire_minutes)
        access_token, _ = security.create_token(
            self.settings, subject=user.id, kind="access", lifetime=access_lifetime
        )
        jti = uuid.uuid4()
        refresh_token, expires_at = security.create_token(
            self.settings,
            subject=user.id,
            kind="refresh",
            lifetime=timedelta(days=self.settings.refresh_token_expire_days),
            jti=jti,
            family_id=family_id,
        )
        await self.tokens.add(
            RefreshToken(id=jti, user_id=user.id, family_id=family_id, expires_at=expires_at)
        )
        return TokenPair(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=int(access_lifetime.total_seconds()),
        )


async def get_auth_service(
    settings: SettingsDep, users: UserRepositoryDep, tokens: RefreshTokenRepositoryDep
) -> AuthService:
    return AuthService(settings, users, tokens)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]
