"""FastAPI wiring for authentication: the service, the current user, the admin guard."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import NotAuthenticated
from app.auth.service import AuthService, authenticate
from app.auth.throttle import LoginThrottle
from app.core.dependencies import (
    WRITING,
    DatabaseDep,
    ReadSession,
    SettingsDep,
    state_settings,
)
from app.core.errors import PermissionDeniedError
from app.core.routing import API_PREFIX
from app.users.models import User

# auto_error=False: a missing token goes through our handler and gets the common error shape.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=f"{API_PREFIX}/auth/login", auto_error=False)


async def auth_service(
    database: DatabaseDep, settings: SettingsDep, request: Request
) -> AuthService:
    throttle: LoginThrottle = request.app.state.login_throttle
    return AuthService(database, settings, throttle)


AuthServiceDep = Annotated[AuthService, Depends(auth_service)]


async def release_for_writes(reading: AsyncSession) -> None:
    """Give back the read session's connection if the request writes in a session of its own.

    The user is looked up before the route's session is known: a request that only reads
    keeps one connection for all its statements.
    """
    if reading.info.get(WRITING):
        await reading.close()


async def get_current_user(
    request: Request,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    session: ReadSession,
) -> User:
    """Looked up in the request's read session: a route that only reads runs all its
    statements on one connection. (Nearly every request asks for this one: it takes the
    settings from the app state rather than through another dependency level.)"""
    if token is None:
        raise NotAuthenticated
    user = await authenticate(state_settings(request), token, session)
    await release_for_writes(session)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def require_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise PermissionDeniedError("Administrator access is required.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]


async def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, uvicorn's --proxy-headers makes it the client's)."""
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]
