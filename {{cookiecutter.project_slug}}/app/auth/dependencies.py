"""FastAPI wiring for authentication: the service, the current user, the admin guard."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.auth.errors import NotAuthenticated
from app.auth.service import AuthService
from app.core.dependencies import DatabaseDep, SettingsDep
from app.core.errors import PermissionDeniedError
from app.core.routing import API_PREFIX
from app.users.models import User

# auto_error=False: a missing token goes through our handler and gets the common error shape.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=f"{API_PREFIX}/auth/login", auto_error=False)


async def auth_service(database: DatabaseDep, settings: SettingsDep) -> AuthService:
    return AuthService(database, settings)


AuthServiceDep = Annotated[AuthService, Depends(auth_service)]


async def get_current_user(
    token: Annotated[str | None, Depends(oauth2_scheme)], auth: AuthServiceDep
) -> User:
    if token is None:
        raise NotAuthenticated
    return await auth.authenticate(token)


CurrentUser = Annotated[User, Depends(get_current_user)]


async def require_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise PermissionDeniedError("Administrator access is required.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
