"""Request and response bodies for users. No schema here ever carries a password hash."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr

from app.core.validation import NO_NUL_PATTERN
from app.users.models import Role

# SecretStr: a password never shows in a repr, a log line or a response.
Password = Annotated[SecretStr, Field(min_length=8, max_length=128)]
FullName = Annotated[str, Field(max_length=200, pattern=NO_NUL_PATTERN)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: Password
    full_name: FullName = ""


class UserSelfUpdate(BaseModel):
    """What users may change about themselves: never their role or status."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    full_name: FullName | None = None
    password: Password | None = None
    current_password: Annotated[SecretStr, Field(max_length=128)] | None = None


class UserAdminUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    full_name: FullName | None = None
    role: Role | None = None
    is_active: bool | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: EmailStr
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
