"""Password hashing and JSON Web Tokens."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from app.core.config import Settings, get_settings
from app.core.errors import AuthenticationError

ALGORITHM = "HS256"
TokenType = Literal["access", "refresh"]


@lru_cache
def password_hasher() -> PasswordHash:
    if get_settings().is_test:
        # Hashing strength is not under test; the minimum cost keeps the suite fast.
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    return PasswordHash((Argon2Hasher(),))


# Argon2 takes tens of milliseconds of CPU: run it in a thread, not on the event loop.
async def hash_password(password: str) -> str:
    return await run_in_threadpool(password_hasher().hash, password)


async def verify_password(password: str, hashed: str) -> bool:
    return await run_in_threadpool(password_hasher().verify, password, hashed)


@lru_cache
def _dummy_hash() -> str:
    return password_hasher().hash(uuid.uuid4().hex)


async def burn_password_check(password: str) -> None:
    """Spend the time a real check takes, so that unknown e-mails cannot be told apart."""
    await verify_password(password, await run_in_threadpool(_dummy_hash))


class TokenPayload(BaseModel):
    sub: uuid.UUID
    type: TokenType
    jti: uuid.UUID
    iss: str
    iat: int
    exp: int
    ver: int
    fam: uuid.UUID | None = None


def create_token(
    settings: Settings,
    *,
    subject: uuid.UUID,
    kind: TokenType,
    lifetime: timedelta,
    version: int,
    jti: uuid.UUID | None = None,
    family_id: uuid.UUID | None = None,
) -> tuple[str, datetime]:
    """Sign a token; returns it with its expiry time."""
    now = datetime.now(UTC)
    expires_at = now + lifetime
    claims: dict[str, Any] = {
        "sub": str(subject),
        "type": kind,
        "jti": str(jti or uuid.uuid4()),
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": expires_at,
        "ver": version,
    }
    if family_id is not None:
        claims["fam"] = str(family_id)
    token = jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)
    return token, expires_at


def decode_token(settings: Settings, token: str, expected_type: TokenType) -> TokenPayload:
    """Verify signature, algorithm, issuer, expiry and type; any failure is a 401."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "iss", "sub", "jti", "ver"]},
        )
        payload = TokenPayload.model_validate(claims)
    except (jwt.PyJWTError, ValidationError) as exc:
        raise AuthenticationError from exc
    if payload.type != expected_type:
        raise AuthenticationError
    return payload
