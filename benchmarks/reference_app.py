"""The reference ("bare limit") app the benchmark compares the baked service with.

It does the same work per request as the baked `GET /api/v1/items` and `GET /health/live`, with
no framework on top: raw Starlette routing, an asyncpg pool and orjson.

Per list request:
1. read `Authorization: Bearer <token>` and verify the HS256 JWT with PyJWT, with the checks
   the baked `app.core.security.decode_token` makes: signature, algorithm, issuer, expiry,
   the required claims (exp, iat, iss, sub, jti, ver), `type == "access"`, and UUID-shaped
   sub/jti;
2. load the user row by id (every column, as the ORM does) and refuse a missing or inactive user
   or a token issued under an older token version;
3. count the user's items and fetch one page of them, newest first (`created_at DESC, id DESC`),
   each with its project's id and name joined in, with the same SQL shape as the baked
   repository;
4. answer `{"items": [...], "total": N, "limit": L, "offset": O}` with the same item fields and
   the same JSON encoding (UUIDs as strings, UTC timestamps ending in `Z`).

The three statements run on one pooled connection in autocommit mode (no BEGIN/COMMIT), which is
the least a server can do for this answer. The pool holds up to DB_POOL_SIZE + DB_MAX_OVERFLOW
connections (10 + 10, the baked defaults), opened on demand as the baked engine does.

Run: `uvicorn reference_app:create_app --factory --app-dir benchmarks ...` with DATABASE_URL,
SECRET_KEY and JWT_ISSUER in the environment (the benchmark sets them).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jwt
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

LIVE_PATH = "/health/live"
LIST_PATH = "/api/v1/items"
ALGORITHM = "HS256"
MAX_PAGE_SIZE = 100
MAX_OFFSET = 100_000
JSON_OPTIONS = orjson.OPT_UTC_Z

USER_SQL = (
    "SELECT id, email, full_name, hashed_password, role, is_active, token_version, created_at, "
    "updated_at FROM user_account WHERE id = $1"
)
COUNT_SQL = "SELECT count(*) FROM item WHERE item.owner_id = $1"
# Each item with its project (id and name), as the baked list shows it.
PAGE_SQL = (
    "SELECT item.id, item.owner_id, item.title, item.description, item.tags, item.status, "
    "project.id AS project_id, project.name AS project_name, item.created_at, item.updated_at "
    "FROM item LEFT OUTER JOIN project ON project.id = item.project_id "
    "WHERE item.owner_id = $1 ORDER BY item.created_at DESC, item.id DESC LIMIT $2 OFFSET $3"
)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=JSON_OPTIONS)


UNAUTHORIZED = JSONResponse(
    {"detail": "Could not validate credentials."},
    status_code=401,
    headers={"WWW-Authenticate": "Bearer"},
)


def asyncpg_dsn(url: str) -> str:
    """Accept the SQLAlchemy form `postgresql+asyncpg://...` as well as a plain DSN."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def init_connection(connection: asyncpg.Connection) -> None:
    # UUIDs come back as canonical strings: orjson writes them as they are, no conversion.
    await connection.set_type_codec(
        "uuid", encoder=str, decoder=str, schema="pg_catalog", format="text"
    )


def verify_access_token(token: str, secret: str, issuer: str) -> tuple[str, int] | None:
    """The subject (user id) and token version of a valid access token, or None."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "sub", "jti", "ver"]},
        )
        if claims.get("type") != "access" or not isinstance(claims["ver"], int):
            return None
        subject = str(uuid.UUID(claims["sub"]))
        uuid.UUID(claims["jti"])
    except (jwt.PyJWTError, ValueError, TypeError, AttributeError):
        return None
    return subject, claims["ver"]


def item_body(row: asyncpg.Record) -> dict[str, Any]:
    item = dict(row)
    project_id, project_name = item.pop("project_id"), item.pop("project_name")
    item["project"] = None if project_id is None else {"id": project_id, "name": project_name}
    return item


def page_param(request: Request, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


async def list_items(request: Request) -> Response:
    state = request.app.state
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return UNAUTHORIZED
    verified = verify_access_token(token, state.secret, state.issuer)
    if verified is None:
        return UNAUTHORIZED
    subject, version = verified
    limit = page_param(request, "limit", 20, 1, MAX_PAGE_SIZE)
    offset = page_param(request, "offset", 0, 0, MAX_OFFSET)
    if limit is None or offset is None:
        return JSONResponse({"detail": "Invalid page parameters."}, status_code=422)

    pool: asyncpg.Pool = state.pool
    async with pool.acquire() as connection:
        user = await connection.fetchrow(USER_SQL, subject)
        if user is None or not user["is_active"] or user["token_version"] != version:
            return UNAUTHORIZED
        total = await connection.fetchval(COUNT_SQL, subject)
        rows = await connection.fetch(PAGE_SQL, subject, limit, offset)
    return JSONResponse(
        {
            "items": [item_body(row) for row in rows],
            "total": total,
            "limit": limit,
            "offset": offset,
        }
    )


async def live(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app() -> Starlette:
    database_url = asyncpg_dsn(os.environ["DATABASE_URL"])
    pool_size = int(os.environ.get("DB_POOL_SIZE", "10"))
    max_overflow = int(os.environ.get("DB_MAX_OVERFLOW", "10"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.secret = os.environ["SECRET_KEY"]
        app.state.issuer = os.environ["JWT_ISSUER"]
        app.state.pool = await asyncpg.create_pool(
            database_url,
            min_size=0,
            max_size=pool_size + max_overflow,
            init=init_connection,
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(
        routes=[
            Route(LIVE_PATH, live, methods=["GET"]),
            Route(LIST_PATH, list_items, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
