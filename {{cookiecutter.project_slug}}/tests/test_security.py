"""Tokens: everything but a well-formed, current access token of an active user is a 401."""

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from httpx import AsyncClient

from app.core import security
from app.core.config import Settings
from app.users.models import User

ME = "/api/v1/users/me"


def sign(settings: Settings, claims: dict[str, object], key: str | None = None) -> str:
    secret = key or settings.secret_key.get_secret_value()
    return jwt.encode(claims, secret, algorithm="HS256")


def claims_for(settings: Settings, user: User, **overrides: object) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": str(user.id),
        "type": "access",
        "jti": str(uuid.uuid4()),
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "ver": user.token_version,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


async def get_me(client: AsyncClient, token: str) -> int:
    response = await client.get(ME, headers={"Authorization": f"Bearer {token}"})
    if response.status_code == 401:
        assert response.json()["code"] == "NOT_AUTHENTICATED"
    return response.status_code


async def test_a_valid_token_is_accepted(
    client: AsyncClient, settings: Settings, user: User
) -> None:
    assert await get_me(client, sign(settings, claims_for(settings, user))) == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": datetime.now(UTC) - timedelta(seconds=1)},
        {"iss": "someone-else"},
        {"type": "refresh"},
        {"sub": str(uuid.uuid4())},
        {"sub": "not-a-uuid"},
        {"exp": None},
        {"iat": None},
        {"iss": None},
        {"jti": None},
        {"ver": None},
        {"ver": 1},
    ],
    ids=[
        "expired",
        "wrong-issuer",
        "refresh-type",
        "unknown-user",
        "bad-subject",
        "no-exp",
        "no-iat",
        "no-iss",
        "no-jti",
        "no-version",
        "stale-version",
    ],
)
async def test_bad_claims_are_rejected(
    client: AsyncClient, settings: Settings, user: User, overrides: dict[str, object]
) -> None:
    assert await get_me(client, sign(settings, claims_for(settings, user, **overrides))) == 401


async def test_wrong_signature_is_rejected(
    client: AsyncClient, settings: Settings, user: User
) -> None:
    token = sign(settings, claims_for(settings, user), key="another-key-of-sufficient-length-123")
    assert await get_me(client, token) == 401


async def test_alg_none_is_rejected(client: AsyncClient, settings: Settings, user: User) -> None:
    token = jwt.encode(claims_for(settings, user), key=None, algorithm="none")
    assert await get_me(client, token) == 401


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_other_algorithm_is_rejected(
    client: AsyncClient, settings: Settings, user: User
) -> None:
    key = settings.secret_key.get_secret_value()
    token = jwt.encode(claims_for(settings, user), key, algorithm="HS512")
    assert await get_me(client, token) == 401


async def test_hash_and_verify() -> None:
    hashed = await security.hash_password("s3cret password")
    assert hashed.startswith("$argon2id$")
    assert await security.verify_password("s3cret password", hashed)
    assert not await security.verify_password("another password", hashed)
