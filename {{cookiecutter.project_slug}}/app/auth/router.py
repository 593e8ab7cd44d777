"""HTTP endpoints for registration, login, refresh and logout."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Response, status

from app.auth.dependencies import AuthServiceDep, ClientAddress, CurrentUser
from app.auth.schemas import LoginForm, RefreshRequest, TokenPair
from app.core.errors import error_responses
{%- if cookiecutter.background_jobs == "yes" %}
from app.jobs import tasks
from app.jobs.dependencies import JobQueueDep
{%- endif %}
from app.users.dependencies import UserWriter
from app.users.models import User
from app.users.schemas import UserCreate, UserRead


async def no_store(response: Response) -> None:
    """Tokens must not be cached by the client or anything on the way (RFC 6749, 5.1)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(no_store)])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=error_responses(status.HTTP_409_CONFLICT),
)
{%- if cookiecutter.background_jobs == "yes" %}
async def register(data: UserCreate, users: UserWriter, jobs: JobQueueDep) -> User:
    user = await users.register(data)
    jobs.send_after_commit(tasks.send_welcome, user.id)
    return user
{%- else %}
async def register(data: UserCreate, users: UserWriter) -> User:
    return await users.register(data)
{%- endif %}


@router.post(
    "/login",
    responses=error_responses(status.HTTP_401_UNAUTHORIZED, status.HTTP_429_TOO_MANY_REQUESTS),
)
async def login(
    form: Annotated[LoginForm, Form()], auth: AuthServiceDep, address: ClientAddress
) -> TokenPair:
    """OAuth2 password flow: `username` is the e-mail address. Too many failed logins for an
    account or from an address are answered 429 for a while (`Retry-After`)."""
    return await auth.login(form.username, form.password.get_secret_value(), address)


@router.post("/refresh", responses=error_responses(status.HTTP_401_UNAUTHORIZED))
async def refresh(data: RefreshRequest, auth: AuthServiceDep) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return await auth.refresh(data.refresh_token)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(status.HTTP_401_UNAUTHORIZED),
)
async def logout(data: RefreshRequest, auth: AuthServiceDep) -> None:
    """Revoke the refresh token and every token rotated from the same login."""
    await auth.logout(data.refresh_token)


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(status.HTTP_401_UNAUTHORIZED),
)
async def logout_all(user: CurrentUser, users: UserWriter) -> None:
    """End every session of yours at once: every access and refresh token stops working."""
    await users.end_sessions(user)
