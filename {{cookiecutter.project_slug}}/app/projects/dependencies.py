"""FastAPI wiring for projects: the service, bound to the session the route asks for."""

from typing import Annotated

from fastapi import Depends

from app.core.dependencies import ReadSession, WriteSession
from app.projects.service import ProjectService


def project_reader(session: ReadSession) -> ProjectService:
    return ProjectService(session)


def project_writer(session: WriteSession) -> ProjectService:
    return ProjectService(session)


ProjectReader = Annotated[ProjectService, Depends(project_reader)]
ProjectWriter = Annotated[ProjectService, Depends(project_writer)]
