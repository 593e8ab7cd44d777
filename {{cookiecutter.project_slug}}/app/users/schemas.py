"""Request and response bodies for users. No schema here ever carries a password hash."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from app.core.schemas import GivenPassword, NewPassword, StorableText, omittable
from app.users.models import Role


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Every address is compared in one form, whether it arrives to register, to log in or to be
# changed: the validator turns it into that form once, here.
Email = Annotated[EmailStr, AfterValidator(normalise_email)]
FullName = Annotated[StorableText, Field(max_length=200)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: NewPassword
    full_name: FullName = ""


class UserSelfUpdate(BaseModel):
    """What users may change about themselves: never their role or status."""

    model_config = ConfigDict(extra="forbid")

    email: Email = omittable()
    full_name: FullName = omittable()
    password: NewPassword = omittable()
    current_password: GivenPassword = omittable()


class UserAdminUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email = omittable()
    full_name: FullName = omittable()
    role: Role = omittable()
    is_active: bool = omittable()


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str = Field(description="The address as stored, in lower case.")
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
