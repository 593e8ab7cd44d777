"""FastAPI wiring for projects: the service, on the session the route asks for by name."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import on_read_session, on_write_session
from app.projects.service import ProjectService

ProjectReader = Annotated[ProjectService, Depends(on_read_session(ProjectService))]
ProjectWriter = Annotated[ProjectService, Depends(on_write_session(ProjectService))]
