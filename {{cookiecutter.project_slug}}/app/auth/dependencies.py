"""Who is calling: the current user from the Bearer token, and the admin guard."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.core import security
from app.core.config import SettingsDep
from app.core.errors import AuthenticationError, PermissionDeniedError
from app.users.models import User
from app.users.repository import UserRepositoryDep

# auto_error=False: a missing token goes through our handler and gets the common error shape.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)


async def get_current_user(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    settings: SettingsDep,
    users: UserRepositoryDep,
) -> User:
    if token is None:
        raise AuthenticationError("Not authenticated.")
    payload = security.decode_token(settings, token, "access")
    user = await users.get(payload.sub)
    if user is None or not user.is_active:
        raise AuthenticationError
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def require_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise PermissionDeniedError("Administrator access is required.")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
