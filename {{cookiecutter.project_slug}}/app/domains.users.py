"""The domains this service serves: their routers, and the state they keep on the app."""

from fastapi import APIRouter, FastAPI

from app.auth.router import router as auth_router
from app.auth.throttle import LoginThrottle
from app.core.throttle_storage import throttle_storage
from app.items.router import router as items_router
from app.projects.router import router as projects_router
from app.users.router import router as users_router

ROUTERS: tuple[APIRouter, ...] = (auth_router, users_router, projects_router, items_router)


def fresh_state(app: FastAPI) -> None:
    """Give the domains their state on the app: the login throttle, on its storage."""
    app.state.login_throttle = LoginThrottle.from_settings(
        app.state.settings, throttle_storage(app)
    )
