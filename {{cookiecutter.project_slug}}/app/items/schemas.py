"""Request and response bodies for items."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.validation import NO_NUL_PATTERN

Tag = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=NO_NUL_PATTERN)]
Tags = Annotated[list[Tag], Field(max_length=20)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, pattern=NO_NUL_PATTERN)
    description: str = Field(default="", max_length=10_000, pattern=NO_NUL_PATTERN)
    tags: Tags = []


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL_PATTERN)
    description: str | None = Field(default=None, max_length=10_000, pattern=NO_NUL_PATTERN)
    tags: Tags | None = None


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str
    tags: list[str]
    created_at: datetime
    updated_at: datetime
