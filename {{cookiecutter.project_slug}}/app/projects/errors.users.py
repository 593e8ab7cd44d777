"""What can go wrong with projects, in words for the API's users."""

from app.core.errors import ConflictError, NotFoundError


class ProjectNotFound(NotFoundError):
    detail = "Project not found."


class ProjectNameTaken(ConflictError):
    detail = "You already have a project with this name."
