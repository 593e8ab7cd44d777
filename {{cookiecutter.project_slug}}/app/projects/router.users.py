"""HTTP endpoints for projects."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.dependencies import CurrentUser
from app.core.dependencies import PageParamsDep
from app.core.errors import OWNED_RESOURCE_ERRORS, error_responses
from app.core.pagination import Page, Paginated
from app.projects.dependencies import ProjectReader, ProjectWriter
from app.projects.models import Project
from app.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
    responses=error_responses(status.HTTP_401_UNAUTHORIZED, status.HTTP_409_CONFLICT),
)
async def create_project(
    data: ProjectCreate, user: CurrentUser, projects: ProjectWriter
) -> Project:
    return await projects.create(user, data)


@router.get(
    "", response_model=Page[ProjectRead], responses=error_responses(status.HTTP_401_UNAUTHORIZED)
)
async def list_projects(
    user: CurrentUser,
    projects: ProjectReader,
    page: PageParamsDep,
    owner_id: Annotated[uuid.UUID | None, Query(description="Admins only: one owner.")] = None,
) -> Paginated[Project]:
    """Your projects by name. Admins see everyone's."""
    return await projects.list_page(user, page, owner_id=owner_id)


@router.get(
    "/{project_id}", response_model=ProjectRead, responses=error_responses(*OWNED_RESOURCE_ERRORS)
)
async def read_project(
    project_id: uuid.UUID, user: CurrentUser, projects: ProjectReader
) -> Project:
    return await projects.get(user, project_id)


@router.patch(
    "/{project_id}",
    response_model=ProjectRead,
    responses=error_responses(*OWNED_RESOURCE_ERRORS, status.HTTP_409_CONFLICT),
)
async def update_project(
    project_id: uuid.UUID, data: ProjectUpdate, user: CurrentUser, projects: ProjectWriter
) -> Project:
    return await projects.update(user, project_id, data)


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*OWNED_RESOURCE_ERRORS),
)
async def delete_project(project_id: uuid.UUID, user: CurrentUser, projects: ProjectWriter) -> None:
    """Delete the project; its items stay, without a project."""
    await projects.delete(user, project_id)
