"""Request and response bodies for items."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import StorableText, omittable
from app.items.models import ItemStatus
from app.projects.schemas import ProjectSummary

Title = Annotated[StorableText, Field(min_length=1, max_length=200)]
Description = Annotated[StorableText, Field(max_length=10_000)]
Tag = Annotated[StorableText, Field(min_length=1, max_length=50)]
Tags = Annotated[list[Tag], Field(max_length=20)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    tags: Tags = []
    status: ItemStatus = ItemStatus.TODO
    project_id: uuid.UUID | None = Field(default=None, description="A project's id.")


class ItemUpdate(BaseModel):
    """Only the fields sent change. `project_id: null` takes the item out of its project;
    the other fields cannot be null."""

    model_config = ConfigDict(extra="forbid")

    title: Title = omittable()
    description: Description = omittable()
    tags: Tags = omittable()
    status: ItemStatus = omittable()
    project_id: uuid.UUID | None = Field(default=None, description="A project's id.")


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    description: str
    tags: list[str]
    status: ItemStatus
    project: ProjectSummary | None
    created_at: datetime
    updated_at: datetime
