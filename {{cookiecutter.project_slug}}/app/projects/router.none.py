"""HTTP endpoints for projects."""

import uuid

from fastapi import APIRouter, status

from app.core.dependencies import PageParamsDep
from app.core.errors import error_responses
from app.core.pagination import Page, Paginated
{%- if cookiecutter.background_jobs == "yes" %}
from app.jobs import tasks
from app.jobs.dependencies import JobQueueDep
{%- endif %}
from app.projects.dependencies import ProjectReader, ProjectWriter
from app.projects.models import Project
from app.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
    responses=error_responses(status.HTTP_409_CONFLICT),
)
{%- if cookiecutter.background_jobs == "yes" %}
async def create_project(
    data: ProjectCreate, projects: ProjectWriter, jobs: JobQueueDep
) -> Project:
    project = await projects.create(data)
    jobs.send_after_commit(tasks.announce_project, project.id)
    return project
{%- else %}
async def create_project(data: ProjectCreate, projects: ProjectWriter) -> Project:
    return await projects.create(data)
{%- endif %}


@router.get("", response_model=Page[ProjectRead], responses=error_responses())
async def list_projects(projects: ProjectReader, page: PageParamsDep) -> Paginated[Project]:
    """Every project, by name."""
    return await projects.list_page(page)


@router.get(
    "/{project_id}",
    response_model=ProjectRead,
    responses=error_responses(status.HTTP_404_NOT_FOUND),
)
async def read_project(project_id: uuid.UUID, projects: ProjectReader) -> Project:
    return await projects.get(project_id)


@router.patch(
    "/{project_id}",
    response_model=ProjectRead,
    responses=error_responses(status.HTTP_404_NOT_FOUND, status.HTTP_409_CONFLICT),
)
async def update_project(
    project_id: uuid.UUID, data: ProjectUpdate, projects: ProjectWriter
) -> Project:
    return await projects.update(project_id, data)


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(status.HTTP_404_NOT_FOUND),
)
async def delete_project(project_id: uuid.UUID, projects: ProjectWriter) -> None:
    """Delete the project; its items stay, without a project."""
    await projects.delete(project_id)
