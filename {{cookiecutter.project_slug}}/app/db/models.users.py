"""Imports every model, so that `Base.metadata` is complete for Alembic and the tests."""

from app.auth.models import RefreshToken
from app.db.base import Base
from app.items.models import Item
from app.projects.models import Project
from app.users.models import User

__all__ = ["Base", "Item", "Project", "RefreshToken", "User"]
