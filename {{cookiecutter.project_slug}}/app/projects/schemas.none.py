"""Request and response bodies for projects."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import StorableText, omittable

Name = Annotated[StorableText, Field(min_length=1, max_length=100)]
Description = Annotated[StorableText, Field(max_length=10_000)]


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description = ""


class ProjectUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = omittable()
    description: Description = omittable()


class ProjectSummary(BaseModel):
    """A project as other resources show it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str


class ProjectRead(ProjectSummary):
    description: str
    created_at: datetime
    updated_at: datetime
