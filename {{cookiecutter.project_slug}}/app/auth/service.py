"""Who an access token belongs to; login, refresh-token rotation with reuse detection, logout.

The service opens its own short transactions: a refresh token that comes back after use
revokes its family in a transaction that commits, although the request then fails.
"""

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import InvalidLogin, RefreshTokenReused, SessionEnded
from app.auth.models import RefreshToken
from app.auth.repository import RefreshTokenRepository
from app.auth.schemas import TokenPair
from app.auth.throttle import LoginThrottle
from app.core import security
from app.core.config import Settings
from app.core.database import Database
from app.core.errors import AuthenticationError
from app.db.base import utcnow
from app.users.models import User
from app.users.repository import UserRepository


async def authenticate(settings: Settings, access_token: str, session: AsyncSession) -> User:
    """The active user an access token was issued to, under their current token version."""
    payload = security.decode_token(settings, access_token, "access")
    user = await UserRepository(session).get(payload.sub)
    if user is None or not user.is_active or user.token_version != payload.ver:
        raise AuthenticationError
    return user


async def purge_spent_tokens(database: Database) -> int:
    """Delete expired and revoked refresh tokens; returns how many went."""
    async with database.transaction() as session:
        return await RefreshTokenRepository(session).purge(utcnow())


class AuthService:
    def __init__(self, database: Database, settings: Settings, throttle: LoginThrottle) -> None:
        self.database = database
        self.settings = settings
        self.throttle = throttle

    async def login(self, email: str, password: str, address: str) -> TokenPair:
        """Tokens for the right password; past too many failures, a 429 before any work."""
        await self.throttle.check(email, address)
        async with self.database.reading() as session:
            user = await UserRepository(session).get_by_email(email)
        # No connection is held while the hash is checked.
        if user is None:
            await security.burn_password_check(password)
            verified = False
        else:
            verified = await security.verify_password(password, user.hashed_password)
        if user is None or not verified or not user.is_active:
            await self.throttle.failed(email, address)
            raise InvalidLogin
        await self.throttle.succeeded(email)
        async with self.database.transaction() as session:
            return await self._issue(RefreshTokenRepository(session), user, uuid.uuid4())

    async def refresh(self, refresh_token: str) -> TokenPair:
        payload = security.decode_token(self.settings, refresh_token, "refresh")
        failure: AuthenticationError
        async with self.database.transaction() as session:
            tokens = RefreshTokenRepository(session)
            stored = await tokens.get_for_update(payload.jti)
            if stored is None and payload.fam and await tokens.family_exists(payload.fam):
                # A validly signed token whose row is gone was rotated away (spent rows are
                # deleted): a replay, as below.
                await tokens.revoke_family(payload.fam)
                failure = RefreshTokenReused()
            elif stored is None or stored.user_id != payload.sub:
                failure = AuthenticationError()
            elif stored.revoked_at is not None:
                failure = SessionEnded()
            elif stored.used_at is not None:
                # A rotated-away token came back: someone holds a copy. End the whole family;
                # the transaction commits before the request fails.
                await tokens.revoke_family(stored.family_id)
                failure = RefreshTokenReused()
            elif stored.expires_at <= utcnow():
                failure = SessionEnded()
            else:
                user = await UserRepository(session).get(stored.user_id)
                if user is None or not user.is_active or user.token_version != payload.ver:
                    failure = SessionEnded()
                else:
                    await tokens.update(stored, {"used_at": utcnow()})
                    pair = await self._issue(tokens, user, stored.family_id)
                    # The table keeps one live token per chain, not one row per rotation.
                    await tokens.delete_spent(stored.family_id)
                    return pair
        raise failure

    async def logout(self, refresh_token: str) -> None:
        payload = security.decode_token(self.settings, refresh_token, "refresh")
        async with self.database.transaction() as session:
            tokens = RefreshTokenRepository(session)
            stored = await tokens.get_for_update(payload.jti)
            if stored is not None:
                await tokens.revoke_family(stored.family_id)

    async def _issue(
        self, tokens: RefreshTokenRepository, user: User, family_id: uuid.UUID
    ) -> TokenPair:
        access_lifetime = timedelta(minutes=self.settings.access_token_expire_minutes)
        access_token, _ = security.create_token(
            self.settings,
            subject=user.id,
            kind="access",
            lifetime=access_lifetime,
            version=user.token_version,
        )
        jti = uuid.uuid4()
        refresh_token, expires_at = security.create_token(
            self.settings,
            subject=user.id,
            kind="refresh",
            lifetime=timedelta(days=self.settings.refresh_token_expire_days),
            version=user.token_version,
            jti=jti,
            family_id=family_id,
        )
        await tokens.add(
            RefreshToken(id=jti, user_id=user.id, family_id=family_id, expires_at=expires_at)
        )
        return TokenPair(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=int(access_lifetime.total_seconds()),
        )
