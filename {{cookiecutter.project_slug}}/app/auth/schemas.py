"""Request and response bodies for authentication."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import GivenPassword
from app.users.schemas import Email


class LoginForm(BaseModel):
    """The OAuth2 password grant, sent as a form: `username` is the e-mail address."""

    grant_type: Literal["password"] | None = None
    username: Annotated[Email, Field(max_length=320)]
    password: GivenPassword
    scope: str = ""


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 scheme name
    expires_in: int = Field(description="Lifetime of the access token, in seconds.")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=4096)
