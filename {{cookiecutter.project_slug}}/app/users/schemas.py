"""Request and response bodies for users. No schema here ever carries a password hash."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr

from app.users.models import Role

Password = SecretStr  # never echoed in reprs, logs or responses
PASSWORD_FIELD = Field(min_length=8, max_length=128)
FULL_NAME_FIELD = Field(max_length=200)


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: Password = PASSWORD_FIELD
    full_name: str = Field(default="", max_length=200)


class UserSelfUpdate(BaseModel):
    """What users may change about themselves: never their role or status."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    full_name: str | None = FULL_NAME_FIELD
    password: Password | None = PASSWORD_FIELD
    current_password: Password | None = Field(default=None, max_length=128)


class UserAdminUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    full_name: str | None = FULL_NAME_FIELD
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
