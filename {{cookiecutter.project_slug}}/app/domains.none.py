"""The domains this service serves: their routers, and the state they keep on the app.

No users and no authentication: the service runs behind a gateway that decides who may call it.
"""

from fastapi import APIRouter, FastAPI

from app.items.router import router as items_router
from app.projects.router import router as projects_router

ROUTERS: tuple[APIRouter, ...] = (projects_router, items_router)


def fresh_state(app: FastAPI) -> None:
    """Nothing to give: these domains keep no state on the app."""
