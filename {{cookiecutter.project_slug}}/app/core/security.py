"""Password hashing and JSON Web Tokens."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, TypeVar

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from app.core.config import Settings, get_settings
from app.core.errors import AuthenticationError

T = TypeVar("T")
ALGORITHM = "HS256"
TokenType = Literal["access", "refresh"]


# Argon2id at the first of OWASP's equivalent minimums (Password Storage Cheat Sheet): 19 MiB,
# two passes, one lane. About 35 ms of one core here; pwdlib's default (64 MiB, 3 passes,
# 4 lanes) took 170 ms and 64 MiB per hash, a GiB for twenty concurrent logins.
ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES = 19_456, 2, 1


@lru_cache
def password_hasher() -> PasswordHash:
    if get_settings().is_test:
        # Hashing strength is not under test; the minimum cost keeps the suite fast.
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    return PasswordHash(
        (
            Argon2Hasher(
                memory_cost=ARGON2_MEMORY_KIB, time_cost=ARGON2_PASSES, parallelism=ARGON2_LANES
            ),
        )
    )


@lru_cache
def hashing_slots() -> asyncio.Semaphore:
    """At most PASSWORD_HASHING_CONCURRENCY hashes at once (the CPU count by default): more
    would only share the same cores, and each holds its memory while it waits."""
    return asyncio.Semaphore(get_settings().password_hashing_concurrency)


async def _off_the_loop(work: Callable[..., T], *args: str) -> T:
    # Argon2 takes tens of milliseconds of CPU: a thread, not the event loop; a bounded few.
    async with hashing_slots():
        return await run_in_threadpool(work, *args)


async def hash_password(password: str) -> str:
    return await _off_the_loop(password_hasher().hash, password)


async def verify_password(password: str, hashed: str) -> bool:
    return await _off_the_loop(password_hasher().verify, password, hashed)


@lru_cache
def _dummy_hash() -> str:
    return password_hasher().hash(uuid.uuid4().hex)


async def burn_password_check(password: str) -> None:
    """Spend the time a real check takes, so that unknown e-mails cannot be told apart."""
    await verify_password(password, await _off_the_loop(_dummy_hash))


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
